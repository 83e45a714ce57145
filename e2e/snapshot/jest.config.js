import { preset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'e2e-snapshot',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
