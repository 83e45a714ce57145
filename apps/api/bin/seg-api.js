#!/usr/bin/env node
// Starts seg-api: the TypeScript sources in a workspace checkout (Node >= 22.18 strips types; the
// @neurocipher/source condition resolves workspace packages to their sources), else the built dist/.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const built = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (existsSync(source)) {
  module.registerHooks({
    resolve: (specifier, context, next) =>
      next(specifier, {
        ...context,
        conditions: [...new Set(['@neurocipher/source', ...(context.conditions ?? [])])],
      }),
  });
}
await import(pathToFileURL(existsSync(source) ? source : built).href);
