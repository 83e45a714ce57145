import pg from 'pg';
import type { SqlDriver } from './sql-driver.ts';

function placeholders(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

/** {@link SqlDriver} on PostgreSQL through a `pg` pool. */
export class PostgresDriver implements SqlDriver {
  /** Always `postgres`. */
  readonly dialect = 'postgres' as const;
  readonly #pool: pg.Pool;

  /** Connects lazily to `connectionString` (`postgresql://user@host:port/db`). */
  constructor(connectionString: string) {
    this.#pool = new pg.Pool({ connectionString, max: 4 });
  }

  /** Runs statements. */
  async exec(sql: string): Promise<void> {
    await this.#pool.query(sql);
  }

  /** Runs a query. */
  async query<T extends Record<string, unknown>>(
    sql: string,
    params: readonly (string | null)[],
  ): Promise<T[]> {
    return (await this.#pool.query(placeholders(sql), [...params])).rows as T[];
  }

  /** Runs a statement and returns its row count. */
  async run(sql: string, params: readonly (string | null)[]): Promise<number> {
    return (await this.#pool.query(placeholders(sql), [...params])).rowCount ?? 0;
  }

  /** Closes the pool. */
  async close(): Promise<void> {
    await this.#pool.end();
  }
}
