// Flat ESLint config for the whole workspace. The module-boundary constraints below are DESIGN.md §4;
// they are the architecture, so a failing import is fixed by moving code, never by loosening a rule.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import { readCachedProjectGraph } from '@nx/devkit';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Without a cached project graph the Nx boundary rule skips every file with only a warning, so a lint run
// would pass while checking none of DESIGN.md §4. Refuse to lint instead; `nx run-many -t lint` (npm run
// lint, the suite) computes the graph first.
try {
  readCachedProjectGraph();
} catch (cause) {
  throw new Error(
    'no Nx project graph is cached, so the DESIGN.md §4 boundary rule cannot run: lint through nx ' +
      '(npm run lint, or bash tools/with-env nx run-many -t lint), which computes it first',
    { cause },
  );
}

const cloudSdks = ['@aws-sdk/*', '@azure/*', '@google-cloud/*', 'google-auth-library'];
const appOnly = ['inversify', 'reflect-metadata', '@opentelemetry/sdk-*'];

/**
 * DESIGN.md §4 as module-boundary constraints. Tests may also use the test tools, so for them the
 * allow-lists of external packages are dropped; the bans (cloud SDKs outside adapters, DI outside apps)
 * hold everywhere.
 */
function boundaries({ forTests }) {
  const only = (list) => (forTests ? {} : { allowedExternalImports: list });
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      depConstraints: [
        {
          sourceTag: 'scope:contracts',
          onlyDependOnLibsWithTags: ['scope:contracts'],
          ...only(['zod', 'zod/*']),
        },
        { sourceTag: 'scope:ports', onlyDependOnLibsWithTags: ['scope:contracts'], ...only([]) },
        {
          sourceTag: 'scope:core',
          onlyDependOnLibsWithTags: ['scope:contracts', 'scope:ports', 'scope:attest'],
          bannedExternalImports: [...cloudSdks, ...appOnly],
        },
        {
          sourceTag: 'scope:attest',
          onlyDependOnLibsWithTags: ['scope:contracts', 'scope:ports'],
          bannedExternalImports: [...cloudSdks, ...appOnly],
        },
        {
          sourceTag: 'scope:infra',
          onlyDependOnLibsWithTags: ['scope:contracts', 'scope:ports', 'scope:attest'],
          bannedExternalImports: [...cloudSdks, ...appOnly],
        },
        {
          sourceTag: 'scope:adapter',
          onlyDependOnLibsWithTags: ['scope:contracts', 'scope:ports', 'scope:attest'],
          bannedExternalImports: appOnly,
        },
        {
          sourceTag: 'scope:conformance',
          onlyDependOnLibsWithTags: ['scope:contracts', 'scope:ports'],
          bannedExternalImports: [...cloudSdks, ...appOnly],
        },
        // The report formats (SARIF, OCSF, CSV, HTML): pure functions over the contracts, served by apps.
        {
          sourceTag: 'scope:reports',
          onlyDependOnLibsWithTags: ['scope:contracts', 'scope:ports'],
          ...only([]),
        },
        // The one composition (DESIGN.md §4): every library, no app; the only library that uses DI.
        {
          sourceTag: 'scope:runtime',
          onlyDependOnLibsWithTags: [
            'scope:contracts',
            'scope:ports',
            'scope:core',
            'scope:attest',
            'scope:infra',
            'scope:adapter',
            'scope:reports',
          ],
          bannedExternalImports: ['@opentelemetry/sdk-*'],
        },
        { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
        { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['*'] },
      ],
    },
  ];
}

/**
 * Type-aware linting: every TypeScript file is parsed with the program of its project's tsconfig that
 * covers sources and tests alike (`tsconfig.spec.json` in libraries and apps, `tsconfig.json` in e2e
 * projects and tools), so the rules below see the same types `npm run typecheck` does.
 */
function typedProjects() {
  const root = import.meta.dirname;
  const dirs = ['packages', 'apps', 'e2e'].flatMap((group) =>
    existsSync(join(root, group)) ? readdirSync(join(root, group)).map((name) => `${group}/${name}`) : [],
  );
  return [...dirs, 'tools'].flatMap((dir) => {
    const tsconfig = ['tsconfig.spec.json', 'tsconfig.json']
      .map((name) => `${dir}/${name}`)
      .find((path) => existsSync(join(root, path)));
    return tsconfig
      ? [
          {
            files: [`${dir}/**/*.ts`],
            languageOptions: { parserOptions: { project: [tsconfig], tsconfigRootDir: root } },
          },
        ]
      : [];
  });
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '.tools/**',
      '.seg/**',
      '.nx/**',
      '**/*.wasm',
      '**/test-output/**',
      // Code that breaks the rules on purpose: tools/lint/module-boundaries.test.ts lints it.
      'tools/lint/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...typedProjects(),
  {
    files: ['**/*.ts'],
    rules: {
      // A promise nobody awaits loses its error and its ordering: await it, return it, or `void` it.
      '@typescript-eslint/no-floating-promises': 'error',
      // A switch over a union names every member, so a new member is a compile-time to-do list.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.js'],
    plugins: { '@nx': nx },
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Use named exports (STYLE.md 1): no `export *`.' },
      ],
    },
  },
  {
    files: ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries({ forTests: false }) },
  },
  {
    // The same bans by import path, so they hold even before the banned package is installed (the Nx rule
    // only sees npm packages present in the project graph).
    files: ['packages/*/src/**/*.ts', 'packages/*/test/**/*.ts'],
    ignores: ['packages/adapter-*/**', 'packages/runtime/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: cloudSdks,
              message: 'Cloud SDKs are imported only by adapter-* packages (DESIGN.md §4).',
            },
            {
              group: appOnly,
              message:
                'Only packages/runtime and apps/* use dependency injection; only apps/* the OTel SDK (DESIGN.md §4).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/adapter-*/src/**/*.ts', 'packages/adapter-*/test/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: appOnly,
              message:
                'Only packages/runtime and apps/* use dependency injection; only apps/* the OTel SDK (DESIGN.md §4).',
            },
          ],
        },
      ],
    },
  },
  {
    // The runtime composes adapters, so it never imports a cloud SDK itself; it alone may use DI.
    files: ['packages/runtime/src/**/*.ts', 'packages/runtime/test/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: cloudSdks,
              message: 'Cloud SDKs are imported only by adapter-* packages (DESIGN.md §4).',
            },
            { group: ['@opentelemetry/sdk-*'], message: 'Only apps/* use the OTel SDK (DESIGN.md §4).' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'packages/*/test/**/*.ts', 'apps/*/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ forTests: true }),
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
