import { preset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'service-fixture',
  // The smoke test starts a nats-server, the API and a worker (each loads the engine from its sources).
  testTimeout: 120_000,
};
