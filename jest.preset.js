// Shared Jest settings: native ESM (run through tools/jest, which sets --experimental-vm-modules),
// TypeScript through swc, and workspace packages resolved to their sources by the
// `@neurocipher/source` export condition, so tests need no build step.
/** @type {import('jest').Config} */
export const preset = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  testEnvironmentOptions: {
    customExportConditions: ['@neurocipher/source', 'node', 'node-addons'],
  },
  collectCoverageFrom: ['<rootDir>/src/**/*.ts', '!<rootDir>/src/**/*.test.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  testTimeout: 30_000,
};
