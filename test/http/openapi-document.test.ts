import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../support/server.ts';

/**
 * docs/openapi.json is the committed copy of the contract, for readers and client generators.
 * It must equal what the server serves; `npm run openapi:update` rewrites it.
 */
const FILE = join(import.meta.dirname, '../../docs/openapi.json');
let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

describe('docs/openapi.json', () => {
  it('is the document the server serves', async () => {
    const served = `${JSON.stringify((await server.app.inject({ url: '/openapi.json' })).json(), null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(FILE, served);
    expect(
      readFileSync(FILE, 'utf8'),
      'run `npm run openapi:update` and commit docs/openapi.json',
    ).toBe(served);
  });
});
