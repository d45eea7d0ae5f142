import { defineConfig } from 'vitest/config';

/**
 * The vitest configuration `npm run mutate` runs (stryker.config.mjs): the `unit` project of
 * vitest.config.ts alone — no I/O, so no DynamoDB Local and no stack — with a longer test
 * timeout, because under Stryker's instrumentation the property tests run several times slower
 * than the 5 s default allows (a timed-out test in Stryker's initial run aborts the whole run).
 * The root stays the working directory (the Stryker sandbox), not this file's folder.
 *
 * The `access-static` pass (MUTATE_PASS=access-static) runs only the unit tests that guard
 * access, so that each static mutant (which reloads every module and runs every test file) stays
 * cheap. It is chosen here, not with Stryker's `testFiles`: with `testFiles`, Stryker 10.1.1
 * activates a static mutant only after the modules have loaded, so none could ever be killed.
 */
const accessTests = [
  'tests/unit/access/**/*.test.ts',
  'tests/unit/app/route-roles.test.ts',
  'tests/unit/platform/principal.test.ts',
  'tests/unit/platform/cursor.test.ts',
];

export default defineConfig({
  test: {
    name: 'unit',
    root: process.cwd(),
    include: process.env.MUTATE_PASS === 'access-static' ? accessTests : ['tests/unit/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
