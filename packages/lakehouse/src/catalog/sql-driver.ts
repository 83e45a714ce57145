/**
 * The few SQL operations a SQL catalog needs, over SQLite or PostgreSQL. Statements use `?`
 * placeholders; drivers translate them.
 */
export interface SqlDriver {
  /** `sqlite` or `postgres`. */
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs DDL or other statements without results. */
  exec(sql: string): Promise<void>;
  /** Runs a query and returns its rows. */
  query<T extends Record<string, unknown>>(sql: string, params: readonly (string | null)[]): Promise<T[]>;
  /** Runs a statement and returns the number of rows it changed. */
  run(sql: string, params: readonly (string | null)[]): Promise<number>;
  /** Closes the connection. */
  close(): Promise<void>;
}
