import { defineConfig } from 'vitest/config';

/** Tests that need a database run twice: on embedded PGlite and on PostgreSQL. */
const DATABASE_TESTS = ['test/http/**/*.test.ts', 'test/store/**/*.test.ts'];
/** Browser tests: the built web app in chromium against the real server on PGlite. */
const BROWSER_TESTS = ['test/e2e/**/*.test.ts'];
/** Compiles the CLI first: tests run `bin/corridor.js` as a process. */
const CLI_BUILD = 'test/setup/cli-build.ts';
/** Fault tests run on their own: `npm run test:faults` (vitest.faults.config.ts). */
const FAULT_TESTS = ['test/faults/**/*.test.ts'];

export default defineConfig({
  test: {
    // The JSON report feeds the `N passed, N failed` line of .ci/run.
    reporters: ['default', ['json', { outputFile: 'reports/test-results.json' }]],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: [...DATABASE_TESTS, ...BROWSER_TESTS, ...FAULT_TESTS],
          globalSetup: [CLI_BUILD],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'pglite',
          include: DATABASE_TESTS,
          env: { CORRIDOR_TEST_DB: 'pglite' },
          globalSetup: [CLI_BUILD, 'test/setup/pglite-template.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: BROWSER_TESTS,
          env: { CORRIDOR_TEST_DB: 'pglite' },
          globalSetup: [CLI_BUILD, 'test/setup/pglite-template.ts', 'test/setup/web-build.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'postgres',
          include: DATABASE_TESTS,
          env: { CORRIDOR_TEST_DB: 'postgres' },
          globalSetup: [CLI_BUILD, 'test/setup/postgres-template.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
