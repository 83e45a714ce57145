// Test helpers of the AWS adapter: the `@neurocipher/seg-adapter-aws/testing` sub-path. Never import
// this from production code.
export {
  MOTO_DEFAULT_ACCOUNT_ID,
  freeLoopbackPort,
  motoClientConfig,
  motoS3ControlClientConfig,
  resolveMotoExecutable,
  startMotoServer,
} from './moto-server.ts';
export type {
  MotoClientConfig,
  MotoCredentials,
  MotoS3ControlClientConfig,
  MotoServer,
  MotoServerOptions,
} from './moto-server.ts';
export { motoAdapterFixture } from './adapter-fixture.ts';
export type { MotoAdapterFixture } from './adapter-fixture.ts';
export {
  PASSING_ACCOUNT_ID,
  assumeInto,
  auditRoleArn,
  denyInsecureTransportPolicy,
  makeCompliantBucket,
  seedCisScenario,
} from './cis-seed.ts';
export type { CisSeed } from './cis-seed.ts';
export { seedSecretResources } from './secret-seed.ts';
export { LocalDirBlobStore } from './local-dir-blob-store.ts';
export { FaultInjector, refusedEndpoint, startBlackholeServer } from './fault-injector.ts';
export type { BlackholeServer, Fault } from './fault-injector.ts';
export { failingFinding } from './findings.ts';
