import { preset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'reports',
  collectCoverage: true,
  coverageThreshold: { global: { statements: 95, branches: 60, functions: 95, lines: 95 } },
};
