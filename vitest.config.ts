import { defineConfig } from 'vitest/config';

// Every DynamoDB Local the tests start (directly, or under a test stack) inherits this: the
// client compiler only and the serial collector. A JVM that lives a few minutes spends less CPU
// that way — measured: start-up and table creation 3.3 s of CPU instead of 6.9 s, the
// seed-volume e2e file about 8 % less — and CPU is what `npm test` on two cores runs out of.
// `npm start` and the bench keep the JVM's defaults.
process.env.JAVA_TOOL_OPTIONS ??= '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the CPUs: on CI's 2 cores that is ONE. Most of a
    // file's time is spent waiting on other processes (DynamoDB Local, the local stack,
    // Chromium), so 3 workers keep 2 cores busy.
    //
    // Vitest runs the files of every project with fileParallelism: false (e2e, browser) one
    // after another in a last group, after all the other projects' files: e2e and browser
    // never overlapped each other or anything else. `npm test` therefore runs three vitest
    // processes side by side (unit + integration + infra, e2e, browser: the `suite:*` scripts),
    // e2e and browser each with its own stack; `npx vitest run` still runs everything, in that
    // slower order. (A fourth process, the seed-volume e2e file on a stack of its own, was tried:
    // two cores were overloaded and the whole suite got slower.)
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        // Property tests run hundreds of cases: under the whole suite's load on 2 cores one took
        // over vitest's default 5 s. A timeout is no performance check (those are benchmarks).
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          env: {
            POWERTOOLS_LOG_LEVEL: 'SILENT',
            POWERTOOLS_METRICS_DISABLED: 'true',
            POWERTOOLS_TRACE_ENABLED: 'false',
          },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['tests/infra/**/*.test.ts'],
          // no isolation: a worker's files share one module graph, so the synthesized stacks are
          // shared by the files it runs (tests/infra/support/stack.ts) instead of bundling every
          // function once per file
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          fileParallelism: false,
          // beside the other suites on two cores, registering the seed's 303 people took over 30 s
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
      {
        extends: true,
        test: {
          // The web console in Debian's Chromium (playwright-core) against the real local stack:
          // one stack, one browser, one file at a time (tests/browser/global-setup.ts).
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/browser/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
