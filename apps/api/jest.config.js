import { preset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'api',
  // The tests start the API in process against a JWKS of their own.
  testTimeout: 240_000,
  maxWorkers: 1,
};
