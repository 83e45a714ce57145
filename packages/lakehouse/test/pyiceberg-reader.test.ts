// The independent reader on the embedded default: pyiceberg opens every table through the same SQLite
// catalog and must see the schemas, row counts and values we committed.
import { join } from 'node:path';
import { SqliteDriver } from '../src/catalog/sqlite-driver.ts';
import { describeReaderSuite } from './reader-suite.ts';

describeReaderSuite('pyiceberg reads every table (SQLite catalog)', async () => ({
  driver: (dir) => new SqliteDriver(join(dir, 'catalog.db')),
  uri: (dir) => `sqlite:///${join(dir, 'catalog.db')}`,
}));
