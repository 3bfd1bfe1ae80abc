import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // The JSON report feeds the `N passed, N failed` line of .ci/run.
    reporters: ['default', ['json', { outputFile: 'reports/test-results.json' }]],
    testTimeout: 30_000,
  },
});
