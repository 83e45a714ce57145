// Starts the Iceberg REST catalog fixture (org.apache.iceberg:iceberg-open-api:1.10.1, the runnable
// test-fixtures jar, installed by tools/bootstrap) on a free port, backed by a JDBC catalog on SQLite in
// a temporary warehouse. Note: the 1.10.1 fixture has no host setting and listens on all interfaces.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '@neurocipher/seg-ports/testing';

/** Where the bootstrap puts the fixture jar (override with SEG_ICEBERG_REST_JAR). */
export const REST_JAR =
  process.env.SEG_ICEBERG_REST_JAR ??
  join(import.meta.dirname, '..', '..', '..', '..', '.tools', 'iceberg-rest', 'iceberg-open-api-1.10.1.jar');

/** A running fixture. */
export interface RestServer {
  uri: string;
  stop(): Promise<void>;
}

/** Starts the fixture and waits until `GET /v1/config` answers (fails loudly if the jar is missing). */
export async function startRestFixture(): Promise<RestServer> {
  if (!existsSync(REST_JAR)) {
    throw new Error(
      `Iceberg REST fixture jar missing at ${REST_JAR}: run tools/bootstrap (or set SEG_ICEBERG_REST_JAR)`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'seg-rest-'));
  const port = await freePort();
  const log = join(dir, 'server.log');
  const out = openSync(log, 'w');
  const child = spawn('java', ['-Xmx384m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', REST_JAR], {
    cwd: dir,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      CATALOG_CATALOG__IMPL: 'org.apache.iceberg.jdbc.JdbcCatalog',
      CATALOG_URI: `jdbc:sqlite:${join(dir, 'rest-catalog.db')}`,
      CATALOG_JDBC_USER: 'user',
      CATALOG_JDBC_PASSWORD: 'password',
      CATALOG_WAREHOUSE: pathToFileURL(join(dir, 'warehouse')).href,
      CATALOG_REST_PORT: String(port),
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const uri = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${uri}/v1/config`)).ok) return { uri, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = readFileSync(log, 'utf8').slice(-2000);
  await stop();
  throw new Error(`Iceberg REST fixture did not start:\n${tail}`);
}
