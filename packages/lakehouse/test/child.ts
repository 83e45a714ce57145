// Child process for the crash and concurrency tests (run with node's type stripping).
//   crash <dir> <run-seed> <table> <step>   commit a sample run, SIGKILL itself at <table>/<step>
//   append <dir> <worker> <count>           <count> single-row commits to the findings table
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SqlCatalog } from '../src/catalog/sql-catalog.ts';
import { SqliteDriver } from '../src/catalog/sqlite-driver.ts';
import { LocalKeyProvider } from '../src/evidence/local-key-provider.ts';
import { IcebergFindingStore } from '../src/ingest/iceberg-finding-store.ts';
import { fileUri, LocalFileIO } from '../src/io/local-file-io.ts';
import { LakehouseTables } from '../src/tables/lakehouse-tables.ts';
import { toRow } from '../src/tables/row-codec.ts';
import { sampleRun, uuidFrom } from './fixtures.ts';

const [mode, dir, a, b, c] = process.argv.slice(2) as [string, string, string, string, string];
const io = new LocalFileIO();
const catalog = new SqlCatalog({
  name: 'seg',
  driver: new SqliteDriver(join(dir, 'catalog.db')),
  io,
  warehouse: fileUri(join(dir, 'warehouse')),
});

if (mode === 'crash') {
  const tables = new LakehouseTables({
    catalog,
    io,
    onCommitStep: (table, step) => {
      if (table === b && step === c) process.kill(process.pid, 'SIGKILL');
    },
  });
  const store = new IcebergFindingStore({
    tables,
    keys: new LocalKeyProvider({ masterKey: randomBytes(32) }),
  });
  const r = sampleRun({ org: 'org-a', run: uuidFrom(a), day: '2026-01-01', assetCount: 3 });
  await store.commit(r.findings, r.evidence, r.context);
  console.log('committed without crashing');
} else if (mode === 'append') {
  const tables = new LakehouseTables({ catalog, io });
  const layout = tables.layout('findings');
  const worker = a;
  for (let i = 0; i < Number(b); i++) {
    const r = sampleRun({
      org: `org-${worker}`,
      run: uuidFrom(`w${worker}-${i}`),
      day: '2026-01-01',
      assetCount: 1,
    });
    const f = r.findings[0]!;
    const row = toRow(
      layout,
      { ...f, id: uuidFrom(`w${worker}-${i}`), evidence: [] },
      {
        org_id: r.context.run.scope.org_id,
        run_id: r.context.run.run_id,
        committed_at: '2026-01-01T00:00:00Z',
      },
    );
    await tables.table('findings').append([row], { summary: { 'seg.worker': `${worker}-${i}` } });
  }
  void c;
}
await catalog.close();
