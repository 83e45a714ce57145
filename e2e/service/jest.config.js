import { preset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'e2e-service',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Each file starts its own nats-server and SEG processes (service.test.ts: the API and three workers).
  maxWorkers: 1,
  testTimeout: 240_000,
};
