// Mutation testing of the pure rules and the access code (`npm run mutate`; not part of `npm test`).
// What it covers, the score it must keep and the mutants that survive, with their reasons:
// docs/mutation.md.
//
// Two passes (`npm run mutate` runs both; each fails below a 90 % score):
// - `rules-and-access` (default): every file below, static mutants left out (see `ignoreStatic`);
// - `access-static` (MUTATE_PASS=access-static): the access files again, static mutants included,
//   tested by the few unit test files that guard access, so each static mutant stays cheap.

const accessFiles = [
  'shared/platform/access/*.ts', // roles, principal (authorizer context), grid scope
  'shared/modules/people/use-cases/view.ts', // masking
  'shared/platform/cursor.ts', // cursors bound to tenant and query
  'shared/platform/table/tenant-guard.ts', // the client-side tenant key guard
];

const rulesFiles = [
  'shared/modules/people/rules/*.ts', // ID numbers, the person lifecycle
  'shared/platform/dates.ts',
  'shared/platform/counting.ts',
];

const pass = process.env.MUTATE_PASS === 'access-static' ? 'access-static' : 'rules-and-access';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const common = {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // Only the vitest `unit` project (no I/O: no DynamoDB Local, no stack), from a config of its
  // own with a longer test timeout (the runner has no `--project` option; see that file).
  vitest: { configFile: 'tests/unit/access/vitest.mutate.config.ts', related: false },
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
  ignorePatterns: ['cdk.out', '.data', '.test-data', 'coverage', 'reports', 'console/dist'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `.test-data/mutation/${pass}.html` },
  jsonReporter: { fileName: `.test-data/mutation/${pass}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 95, low: 90, break: 90 },
};

export default pass === 'access-static'
  ? {
      ...common,
      mutate: accessFiles,
      ignoreStatic: false,
      // Its test files (only those that guard access, so each static mutant stays cheap) are
      // chosen by the vitest config from MUTATE_PASS: see there why not with `testFiles`.
    }
  : {
      ...common,
      mutate: [...rulesFiles, ...accessFiles],
      // A static mutant (a module-level constant: the province codes, a regex, a role list) can
      // only be tested by reloading every module and running all ~30 unit test files: ~350 of
      // them would take hours on 2 cores. This pass leaves them out; the access files' static
      // mutants are tested by the `access-static` pass; docs/mutation.md lists the rest.
      ignoreStatic: true,
    };
