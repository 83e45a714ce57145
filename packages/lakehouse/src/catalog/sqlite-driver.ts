import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { SqlDriver } from './sql-driver.ts';

/** {@link SqlDriver} on an SQLite file through `node:sqlite` (WAL, full sync, busy timeout). */
export class SqliteDriver implements SqlDriver {
  /** Always `sqlite`. */
  readonly dialect = 'sqlite' as const;
  readonly #db: DatabaseSync;

  /** Opens (creating if needed) the database file at `path`. */
  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA busy_timeout = 30000');
    this.#db.exec('PRAGMA journal_mode = WAL');
    this.#db.exec('PRAGMA synchronous = FULL');
  }

  /** Runs statements. */
  async exec(sql: string): Promise<void> {
    this.#db.exec(sql);
  }

  /** Runs a query. */
  async query<T extends Record<string, unknown>>(
    sql: string,
    params: readonly (string | null)[],
  ): Promise<T[]> {
    return this.#db.prepare(sql).all(...params) as T[];
  }

  /** Runs a statement and returns its change count. */
  async run(sql: string, params: readonly (string | null)[]): Promise<number> {
    return Number(this.#db.prepare(sql).run(...params).changes);
  }

  /** Closes the database. */
  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}
