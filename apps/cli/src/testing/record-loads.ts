// A preload (`node --import`) that records every module this process resolves and, at exit, writes their
// URLs (one per line) to the file named by SEG_RECORD_LOADS. Tests use it to prove what a command loads.
import module from 'node:module';
import { writeFileSync } from 'node:fs';

const loaded = new Set<string>();
module.registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    loaded.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => {
  const file = process.env['SEG_RECORD_LOADS'];
  if (file) writeFileSync(file, [...loaded].join('\n'));
});
