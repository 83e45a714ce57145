#!/usr/bin/env node
// Launches `seg`: from the TypeScript sources in a workspace checkout (Node 24 strips types; the
// @neurocipher/source condition resolves workspace packages to their sources), else the built dist/.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const source = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const args = existsSync(built)
  ? [built, ...process.argv.slice(2)]
  : [
      '--conditions=@neurocipher/source',
      '--disable-warning=ExperimentalWarning',
      source,
      ...process.argv.slice(2),
    ];
const child = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exitCode = child.status ?? 2;
