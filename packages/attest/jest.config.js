import { preset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'attest',
  collectCoverage: true,
  coverageThreshold: { global: { statements: 95, branches: 95, functions: 95, lines: 95 } },
};
