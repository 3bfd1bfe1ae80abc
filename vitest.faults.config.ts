import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: PostgreSQL restarted and a server killed under load, each on a
 * PostgreSQL server of its own (test/support/pg-cluster.ts). Bounded, loopback only.
 */
export default defineConfig({
  test: {
    name: 'faults',
    include: ['test/faults/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'reports/fault-results.json' }]],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // The tests run `bin/corridor.js` as a process: compile the CLI first.
    globalSetup: ['test/setup/cli-build.ts'],
  },
});
