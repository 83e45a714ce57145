import { preset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'e2e-aws',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Each file runs its own moto_server; one file at a time keeps the shared machine responsive.
  maxWorkers: 1,
  testTimeout: 120_000,
};
