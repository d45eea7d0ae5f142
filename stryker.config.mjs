// Mutation testing of the pure rules and the access code (`npm run mutate`; not part of `npm test`).
// What it covers, the score it must keep and the mutants that survive, with their reasons:
// docs/mutation.md.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    // domain rules
    'shared/modules/people/rules/*.ts',
    'shared/platform/dates.ts',
    'shared/platform/counting.ts',
    // access: roles, principal, grid scope, masking, cursors, the tenant key guard
    'shared/platform/access/*.ts',
    'shared/modules/people/use-cases/view.ts',
    'shared/platform/cursor.ts',
    'shared/platform/table/tenant-guard.ts',
  ],
  // Only the vitest `unit` project (no I/O): the runner has no project option, so the unit
  // test files are named here; Stryker runs no other file, so no DynamoDB Local, no stack.
  testFiles: ['tests/unit/**/*.test.ts'],
  vitest: { configFile: 'vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  incremental: false,
  concurrency: 2,
  timeoutMS: 10_000,
  // Stryker rewrites `tsconfigFile`'s extends/references for the sandbox with TypeScript's JS API,
  // which TypeScript 7 (the native compiler) no longer has; this tsconfig needs no rewriting (no
  // extends, no references), so point the option at no file and the step is skipped.
  tsconfigFile: 'no-tsconfig-rewrite.json',
  // The sandbox and the reports live under .test-data/ (git-, biome- and tsc-ignored), so a run
  // leaves nothing for `npm test`'s lint to trip over.
  tempDirName: '.test-data/stryker-tmp',
  ignorePatterns: ['cdk.out', '.data', '.test-data', 'coverage', 'reports'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.test-data/mutation/mutation.html' },
  jsonReporter: { fileName: '.test-data/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 95, low: 90, break: 90 },
};
