import { preset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'e2e-lakehouse-s3',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // The file runs its own moto_server and a pyiceberg process; one at a time keeps the machine responsive.
  maxWorkers: 1,
  testTimeout: 120_000,
};
