#!/usr/bin/env node
// Launches `seg`: from the TypeScript sources in a workspace checkout (Node 24 strips types; the
// @neurocipher/source condition resolves workspace packages to their sources), else the built dist/.
// On Node >= 22 it runs in this process (a resolve hook adds the condition), so start-up pays for one
// Node, not two. When the calling Node is older than 22, it re-runs under the Node 24 that
// tools/bootstrap installs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const source = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tools = fileURLToPath(new URL('../../../.tools/', import.meta.url));
const condition = '@neurocipher/source';

function pinnedNode() {
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

// Adds the workspace-source condition to every resolution, as `--conditions` does on the command line.
function addSourceCondition() {
  const withCondition = (context) => ({
    ...context,
    conditions: [...new Set([condition, ...(context.conditions ?? [])])],
  });
  if (typeof module.registerHooks === 'function') {
    module.registerHooks({ resolve: (specifier, context, next) => next(specifier, withCondition(context)) });
    return;
  }
  const hooks = `export async function resolve(specifier, context, next) {
  return next(specifier, { ...context, conditions: [...new Set([${JSON.stringify(condition)}, ...(context.conditions ?? [])])] });
}`;
  module.register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

// Type stripping warns once on some Node versions; `--disable-warning=ExperimentalWarning` did this before.
function quietExperimentalWarnings() {
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = (warning, ...rest) => {
    const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
    if (type === 'ExperimentalWarning' || warning?.name === 'ExperimentalWarning') return;
    emitWarning(warning, ...rest);
  };
}

const fromSource = existsSync(source);
if (Number(process.versions.node.split('.')[0]) >= 22) {
  if (fromSource) {
    quietExperimentalWarnings();
    addSourceCondition();
  }
  await import(pathToFileURL(fromSource ? source : built).href);
} else {
  const args = fromSource
    ? [`--conditions=${condition}`, '--disable-warning=ExperimentalWarning', source, ...process.argv.slice(2)]
    : [built, ...process.argv.slice(2)];
  const child = spawnSync(pinnedNode(), args, { stdio: 'inherit' });
  process.exitCode = child.status ?? 2;
}
