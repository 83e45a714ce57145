import { preset } from '../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'tools',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
