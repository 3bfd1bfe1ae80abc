import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyCaller, testServer, type Caller, type TestServer } from '../support/server.ts';

/** What answers tell caches and browsers: tenant data kept nowhere, built files kept a year. */
let server: TestServer;
let shipper: Caller;
let webRoot: string;
const ASSET = 'assets/index-3f9a1c2b.js';

beforeAll(async () => {
  webRoot = mkdtempSync(join(tmpdir(), 'corridor-web-'));
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Corridor</title>');
  writeFileSync(join(webRoot, ASSET), 'console.log(1);');
  server = await testServer(undefined, undefined, { webRoot });
  shipper = await apiKeyCaller(server, { name: 'Cache Exporter', kind: 'shipper', country: 'CN' });
});
afterAll(async () => {
  await server.close();
  rmSync(webRoot, { recursive: true, force: true });
});

describe('caching', () => {
  it("keeps every organisation's answer out of every cache, refusals included", async () => {
    const doc = (await server.app.inject({ url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    }>();
    const tenantGets = Object.entries(doc.paths).flatMap(([path, ops]) =>
      ops.get?.security?.length ? [path.replace(/\{[^}]+\}/g, 'x_1')] : [],
    );
    expect(tenantGets.length).toBeGreaterThan(20);
    const statuses = new Set<number>();
    for (const url of tenantGets)
      for (const headers of [shipper.headers, {}]) {
        const res = await server.app.inject({ url, headers });
        statuses.add(res.statusCode);
        expect(res.headers['cache-control'], `${url} ${res.statusCode}`).toMatch(/no-store/);
      }
    // Answers with data, refusals and anonymous callers alike.
    expect([...statuses]).toEqual(expect.arrayContaining([200, 400, 401]));
    const booked = await server.app.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: { from: 'Xian', to: 'Baku', depart: '2026-12-04', containers: '1x40HC' },
    });
    // Public answers are not the organisation's: the planner's answer is not marked.
    expect(booked.headers['cache-control'] ?? '').not.toMatch(/no-store/);
  });

  it('sends built files under /assets as immutable for a year, the page itself revalidated', async () => {
    const asset = await server.app.inject({ url: `/${ASSET}` });
    expect([asset.statusCode, asset.headers['cache-control']]).toEqual([
      200,
      'public, max-age=31536000, immutable',
    ]);
    for (const url of ['/', '/planner']) {
      const page = await server.app.inject({ url, headers: { accept: 'text/html' } });
      expect([page.statusCode, page.headers['cache-control']], url).toEqual([200, 'no-cache']);
    }
  });
});

describe('the API documentation page', () => {
  it('carries a content security policy that allows only its own scripts, over HTTP too', async () => {
    for (const url of ['/docs', '/docs/']) {
      const res = await server.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toMatch(/default-src 'self'/);
      expect(csp, url).toMatch(/script-src 'self'/);
      expect(csp, url).toMatch(/object-src 'none'/);
      expect(csp, url).not.toMatch(/upgrade-insecure-requests/);
    }
  });
});
