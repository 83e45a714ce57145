// Test helpers of the lakehouse: the `@neurocipher/seg-lakehouse/testing` sub-path. Never import this
// from production code.
export { startPostgres } from './postgres-server.ts';
export type { PostgresServer } from './postgres-server.ts';
export { tempDir } from './temp-dir.ts';
export { REST_JAR, startRestFixture } from './rest-server.ts';
export type { RestServer } from './rest-server.ts';
