// @neurocipher/seg-service-fixture: SEG as a service on loopback (nats-server, seg-api, seg-worker) for
// e2e tests and benchmarks. Workspace-only (private); never imported by a library (its scope:tools tag
// lets only tools, e2e projects and apps depend on it).
export { FIXTURE_AUDIENCE, FIXTURE_ISSUER, startServiceFixture } from './service-fixture.ts';
export type { ApiAnswer, ServiceFixture, ServiceFixtureOptions } from './service-fixture.ts';
export { ServiceProcess } from './service-process.ts';
export type { ServiceExit, ServiceLogLine, ServiceProcessOptions } from './service-process.ts';
export { createTokenMinter } from './token-minter.ts';
export type { TokenClaims, TokenMinter, TokenMinterOptions } from './token-minter.ts';
