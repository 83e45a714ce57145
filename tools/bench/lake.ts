// bench:lake — commits 1,000,000 findings in batches to the Iceberg findings table through the SQLite
// SQL catalog (one snapshot per batch), and in the same run pyiceberg appends the same rows, batch for
// batch (interleaved, so both see the same load), to an identical table in another SQLite SQL catalog.
// Both sides load each batch from the same
// JSONL file untimed; only the append calls are timed. Last line: one JSON object.
//   node --conditions=@neurocipher/source tools/bench/lake.ts [--rows N] [--batch N] [--no-fsync]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import {
  IcebergTable,
  LocalFileIO,
  SqlCatalog,
  SqliteDriver,
  fileUri,
  localPath,
  tableLayout,
  toRow,
  type Row,
} from '@neurocipher/seg-lakehouse';

// pyiceberg (pyarrow's local filesystem) never fsyncs; our writer fsyncs every file and directory before
// the catalog swap (RPO 0). `--no-fsync` measures the writer without that cost, for a like-for-like view.
class NoSyncFileIO extends LocalFileIO {
  override async writeNew(uri: string, bytes: Uint8Array): Promise<void> {
    const path = localPath(uri);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes, { flag: 'wx' });
  }
}
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const TOTAL = arg('--rows', 1_000_000);
const BATCH = arg('--batch', 50_000);
const PYTHON =
  process.env.SEG_PYTHON ?? join(import.meta.dirname, '..', '..', '.tools', 'venv', 'bin', 'python');
const ORGS = 8;

const layout = tableLayout('findings');
// Fingerprints, evidence hashes and ids look like the real ones (sha256 hex, random UUIDs), not like
// zero-padded counters, which would compress and compare unlike real data. Deterministic in `n`.
const mix32 = (x: number) => {
  let h = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
};
const hex8 = (x: number) => mix32(x).toString(16).padStart(8, '0');
const hex = (n: number) => Array.from({ length: 8 }, (_, k) => hex8(n * 8 + k)).join('');
const uuid = (n: number) => {
  const h = hex(n ^ 0x5bd1e995);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

// One batch of findings rows, deterministic in the batch index.
function batchRows(b: number, size: number): Row[] {
  const rows: Row[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const n = b * size + i;
    const org = `org-${n % ORGS}`;
    const result = n % 3 === 0 ? 'fail' : 'pass';
    const finding = {
      id: uuid(n),
      control_id: `cis-${n % 40}`,
      control_version: '1.0.0',
      asset: { urn: `urn:asset:aws:bucket:${org}-bucket-${n % 5000}` },
      result,
      severity: n % 5 === 0 ? 'high' : 'medium',
      message: `control cis-${n % 40} ${result}`,
      evidence: [{ hash: hex(n), media_type: 'application/json' }],
      created_at: `2026-01-0${1 + (b % 2)}T02:00:00Z`,
      updated_at: `2026-01-0${1 + (b % 2)}T02:00:00Z`,
      fingerprint: hex(n * 7 + 1),
    };
    rows[i] = toRow(layout, finding, {
      org_id: org,
      run_id: uuid(1_000_000_000 + b),
      committed_at: '2026-01-02T03:00:00Z',
    });
  }
  return rows;
}

function jsonl(rows: Row[]): string {
  return (
    rows
      .map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)))
      .join('\n') + '\n'
  );
}

// Both sides load the same JSONL batch untimed: pyiceberg into an Arrow table, we into rows (strings as
// JSON.parse makes them, timestamps as bigint microseconds), as rows arrive from a serialised source.
const TIMESTAMPS = layout.schema.fields.filter((f) => f.type === 'timestamptz').map((f) => f.name);
function loadBatch(file: string): Row[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const row = JSON.parse(line) as Row;
      for (const name of TIMESTAMPS) if (row[name] !== null) row[name] = BigInt(row[name] as number);
      return row;
    });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'seg-bench-lake-'));
  try {
    const noFsync = process.argv.includes('--no-fsync');
    const io = noFsync ? new NoSyncFileIO() : new LocalFileIO();
    const open = (name: string) =>
      new SqlCatalog({
        name: 'seg',
        driver: new SqliteDriver(join(dir, `${name}.db`)),
        io,
        warehouse: fileUri(join(dir, name)),
      });
    const ours = open('ours');
    const theirs = open('pyiceberg');
    const create = { schema: layout.schema, spec: layout.spec };
    const table = new IcebergTable({
      catalog: ours,
      io,
      ident: { namespace: 'seg', name: 'findings' },
      create,
    });
    await table.load();
    await new IcebergTable({
      catalog: theirs,
      io,
      ident: { namespace: 'seg', name: 'findings' },
      create,
    }).load();

    // pyiceberg runs as one long-lived process and appends each batch right after ours, so that both
    // writers see the same machine load, batch by batch.
    const py = spawn(
      PYTHON,
      [new URL('./lake_pyiceberg.py', import.meta.url).pathname, join(dir, 'pyiceberg.db'), 'seg.findings'],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const answers = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
    const pyAppend = async (
      file: string,
    ): Promise<{ rows: number; seconds: number; cpu_seconds: number }> => {
      py.stdin.write(`${file}\n`);
      const next = await answers.next();
      if (next.done) throw new Error('the pyiceberg process ended early (see its error above)');
      return JSON.parse(next.value) as { rows: number; seconds: number; cpu_seconds: number };
    };

    const batchDir = join(dir, 'batches');
    mkdirSync(batchDir);
    let seconds = 0;
    // CPU time of each side's appends (all its threads): how much of the machine each writer used.
    let cpuSeconds = 0;
    let pyCpuSeconds = 0;
    let rows = 0;
    let pySeconds = 0;
    let pyRows = 0;
    const batches = Math.ceil(TOTAL / BATCH);
    for (let b = 0; b < batches; b++) {
      const size = Math.min(BATCH, TOTAL - b * BATCH);
      const file = join(batchDir, `${String(b).padStart(4, '0')}.jsonl`);
      writeFileSync(file, jsonl(batchRows(b, size)));
      const batch = loadBatch(file);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await table.append(batch);
      seconds += (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      cpuSeconds += (cpu.user + cpu.system) / 1e6;
      rows += size;
      const theirs = await pyAppend(file);
      pySeconds += theirs.seconds;
      pyCpuSeconds += theirs.cpu_seconds;
      pyRows += theirs.rows;
      rmSync(file);
      console.log(
        `batch ${b + 1}/${batches}: ${rows} rows, ours ${(rows / seconds).toFixed(0)} rows/s, ` +
          `pyiceberg ${(pyRows / pySeconds).toFixed(0)} rows/s`,
      );
    }
    py.stdin.end();
    const [code] = (await once(py, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`the pyiceberg process exited with ${code}`);
    const check = (await table.load()).metadata;
    const total = check.snapshots.at(-1)?.summary['total-records'];
    if (total !== String(TOTAL)) throw new Error(`expected ${TOTAL} rows committed, metadata says ${total}`);
    await ours.close();
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const pyTable = await theirs.loadTable({ namespace: 'seg', name: 'findings' });
    const pyTotal = pyTable.metadata.snapshots.at(-1)?.summary['total-records'];
    await theirs.close();
    if (pyRows !== TOTAL || pyTotal !== String(TOTAL))
      throw new Error(`pyiceberg appended ${pyRows} rows (metadata: ${pyTotal}), expected ${TOTAL}`);
    const pyRowsPerS = pyRows / pySeconds;
    const rowsPerS = rows / seconds;
    console.log(
      JSON.stringify({
        rows: TOTAL,
        batch: BATCH,
        fsync: !noFsync,
        commits: batches,
        rows_per_s: Math.round(rowsPerS),
        pyiceberg_rows_per_s: Math.round(pyRowsPerS),
        ratio_vs_pyiceberg: Number((rowsPerS / pyRowsPerS).toFixed(3)),
        cpu_s: Number(cpuSeconds.toFixed(2)),
        pyiceberg_cpu_s: Number(pyCpuSeconds.toFixed(2)),
        peak_rss_mb: Math.round(peakRssMb),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
