// The SQL catalog on a real PostgreSQL 15 server (started here, torn down after): pyiceberg opens every
// table through the same PostgreSQL catalog and must see what was committed.
import { PostgresDriver } from '../src/catalog/postgres-driver.ts';
import type { PostgresServer } from '../src/testing/postgres-server.ts';
import { startPostgres } from '../src/testing/postgres-server.ts';
import { describeReaderSuite } from './reader-suite.ts';

let server: PostgresServer | undefined;

describeReaderSuite(
  'pyiceberg reads every table (PostgreSQL catalog)',
  async () => {
    server = await startPostgres();
    const url = server.url;
    return {
      driver: () => new PostgresDriver(url),
      uri: () => url.replace(/^postgresql:/, 'postgresql+psycopg2:'),
    };
  },
  async () => server?.stop(),
);
