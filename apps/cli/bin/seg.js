#!/usr/bin/env node
// Launches `seg`: from the TypeScript sources in a workspace checkout (Node 24 strips types; the
// @neurocipher/source condition resolves workspace packages to their sources), else the built dist/.
// When the calling Node is older than 22, it re-runs under the Node 24 that tools/bootstrap installs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const source = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tools = fileURLToPath(new URL('../../../.tools/', import.meta.url));

function pinnedNode() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const found = existsSync(tools)
    ? readdirSync(tools)
        .filter((d) => /^node-v\d+/.test(d))
        .map((d) => `${tools}${d}/bin/node`)
        .find((p) => existsSync(p))
    : undefined;
  if (!found) {
    process.stderr.write(`seg: needs Node >= 22 (this is ${process.version}); run bash tools/bootstrap\n`);
    process.exit(2);
  }
  return found;
}

const args = existsSync(source)
  ? [
      '--conditions=@neurocipher/source',
      '--disable-warning=ExperimentalWarning',
      source,
      ...process.argv.slice(2),
    ]
  : [built, ...process.argv.slice(2)];
const child = spawnSync(pinnedNode(), args, { stdio: 'inherit' });
process.exitCode = child.status ?? 2;
