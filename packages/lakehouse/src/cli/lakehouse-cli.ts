// `seg-lakehouse compact|purge [--root DIR]`: maintenance commands on the embedded lakehouse.
import { openEmbeddedLakehouse } from '../embedded/open-embedded-lakehouse.ts';

/** Runs a maintenance command and returns its JSON report. */
export async function runLakehouseCommand(argv: readonly string[]): Promise<Record<string, unknown>> {
  const [command, ...rest] = argv;
  const rootAt = rest.indexOf('--root');
  const root = rootAt >= 0 ? rest[rootAt + 1] : undefined;
  const lake = openEmbeddedLakehouse(root ? { root } : {});
  try {
    if (command === 'compact') return { command, compacted: await lake.store.compact() };
    if (command === 'purge')
      return { command, deleted: await lake.evidence.purgeExpired(await lake.store.evidenceReferences()) };
    throw new Error(`unknown command ${String(command)}; use compact or purge`);
  } finally {
    await lake.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runLakehouseCommand(process.argv.slice(2)).then(
    (report) => console.log(JSON.stringify(report)),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
}
