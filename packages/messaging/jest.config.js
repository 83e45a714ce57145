import { preset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'messaging',
  // The NATS tests start and restart their own nats-server and worker processes.
  testTimeout: 60_000,
};
