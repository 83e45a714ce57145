import { preset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'ports',
  // The in-memory implementations are what every other package tests against: enforce their coverage
  // on every run (the interface files hold only types and ids).
  collectCoverage: true,
  coverageThreshold: { global: { statements: 95, branches: 90, functions: 95, lines: 95 } },
};
