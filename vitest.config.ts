import { defineConfig } from 'vitest/config';

/** Tests that need a database run twice: on embedded PGlite and on PostgreSQL. */
const DATABASE_TESTS = ['test/http/**/*.test.ts', 'test/store/**/*.test.ts'];

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
          exclude: DATABASE_TESTS,
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'pglite',
          include: DATABASE_TESTS,
          env: { CORRIDOR_TEST_DB: 'pglite' },
          globalSetup: ['test/setup/pglite-template.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'postgres',
          include: DATABASE_TESTS,
          env: { CORRIDOR_TEST_DB: 'postgres' },
          globalSetup: ['test/setup/postgres-template.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
