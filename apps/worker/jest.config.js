import { preset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'worker',
  // The tests start nats-server and worker processes, and kill them.
  testTimeout: 240_000,
  maxWorkers: 1,
};
