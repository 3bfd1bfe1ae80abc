/**
 * Dependency rules of docs/architecture.md. `npm run deps:check` fails on any violation;
 * test/architecture.test.ts plants violations to show that it does.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycles anywhere.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure-no-node-builtins',
      severity: 'error',
      comment: 'core does no I/O: no node:* or other Node built-in modules.',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment: 'core imports nothing from outside core except small pure libraries (zod).',
      from: { path: '^src/core/' },
      to: {
        pathNot: ['^src/core/', '^node_modules/zod/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'api-contract-only',
      severity: 'error',
      comment: 'api holds the HTTP contract: zod and core types only.',
      from: { path: '^src/api/' },
      to: { path: '^src/(app|store|http|cli|web)/' },
    },
    {
      name: 'app-no-adapters',
      severity: 'error',
      comment: 'app (use cases) does not depend on adapters.',
      from: { path: '^src/app/' },
      to: { path: '^src/(store|http|cli|web)/' },
    },
    {
      name: 'store-no-delivery',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(http|cli|web)/' },
    },
    {
      name: 'store-only-in-composition-roots',
      severity: 'error',
      comment: 'http and cli reach store only from their main.ts.',
      from: { path: '^src/(http|cli)/', pathNot: '^src/(http|cli)/main\\.ts$' },
      to: { path: '^src/store/' },
    },
    {
      name: 'cli-and-http-apart',
      severity: 'error',
      comment: 'the CLI composition root may start the server; nothing else in cli touches http.',
      from: { path: '^src/cli/', pathNot: '^src/cli/main\\.ts$' },
      to: { path: '^src/(http|web)/' },
    },
    {
      name: 'http-and-cli-apart',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/(cli|web)/' },
    },
    {
      name: 'web-uses-api-only',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/(core|app|store|http|cli)/' },
    },
    {
      name: 'client-stands-alone',
      severity: 'error',
      comment: 'the typed client ships to integrators: only its generated types and openapi-fetch.',
      from: { path: '^src/client/' },
      to: { path: '^src/(core|api|app|store|http|cli|web)/' },
    },
    {
      name: 'routing-does-not-price-or-book',
      severity: 'error',
      comment: 'a use case in app combines routing with pricing, capacity, customs, tracking.',
      from: { path: '^src/core/routing/' },
      to: { path: '^src/core/(pricing|capacity|customs|tracking)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
