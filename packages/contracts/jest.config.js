import { preset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'contracts',
  // Spec §17: 95 % coverage on schema validators, enforced on every run.
  collectCoverage: true,
  coverageThreshold: { global: { statements: 95, branches: 95, functions: 95, lines: 95 } },
};
