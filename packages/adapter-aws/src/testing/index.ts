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
