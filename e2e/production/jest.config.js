import { preset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'e2e-production',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // The file runs its own PostgreSQL cluster, moto server, seg processes and a pyiceberg process.
  maxWorkers: 1,
  testTimeout: 240_000,
};
