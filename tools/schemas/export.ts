// `npm run schemas` writes the registry's current versions into schemas/; `npm run schemas:check` (and the
// test suite) fails when the committed files differ from a fresh generation or break N-1 compatibility.
// Older versions' files are never rewritten: they are the history the N-1 check reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REGISTRY_DIR, checkRegistry, registryEntries, renderRegistry } from './registry.ts';

const entries = registryEntries();
if (process.argv.includes('--check')) {
  const problems = checkRegistry(REGISTRY_DIR, entries);
  for (const p of problems) console.error(`schemas: ${p}`);
  console.log(
    problems.length === 0
      ? `schemas: ${entries.length} schemas match the registry`
      : `schemas: ${problems.length} problem(s)`,
  );
  process.exit(problems.length === 0 ? 0 : 1);
}
for (const [path, content] of renderRegistry(entries)) {
  const file = join(REGISTRY_DIR, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}
const problems = checkRegistry(REGISTRY_DIR, entries);
for (const p of problems) console.error(`schemas: ${p}`);
console.log(`schemas: wrote ${entries.length} schemas to schemas/`);
process.exit(problems.length === 0 ? 0 : 1);
