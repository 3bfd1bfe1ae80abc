import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoCredential } from '../../src/app/seed-demo.ts';
import { PgDirectoryStore } from '../../src/store/directory.store.ts';
import { manualClock, signIn, testServer, type TestServer } from '../support/server.ts';

/**
 * Every list of the API a page at a time, on the demo's organisations and traffic: bookings,
 * shipments, declarations, an office's queue, service requests, notifications and simulations
 * take `limit` and `cursor`, say how many the whole list holds, and following `nextCursor` from
 * the first page reads each item once, in the order of the whole list, to a last page whose
 * cursor is null. A cursor the list did not give, or a limit out of range, is a 400 naming it.
 */
const clock = manualClock();
let server: TestServer;
let credentials: DemoCredential[];
const sessions = new Map<string, Promise<Record<string, string>>>();

const SHIPPER = 'Qingdao Haixing Machinery Export Co. (demo)';
const CUSTOMS_CN = 'General Administration of Customs of China';
const COUNCIL = 'Middle Corridor coordinating council';

function sessionOf(organisation: string): Promise<Record<string, string>> {
  const account = credentials.find((c) => c.organisation === organisation && c.role === 'admin');
  if (!account) throw new Error(`no demo account for ${organisation}`);
  if (!sessions.has(organisation))
    sessions.set(organisation, signIn(server.app, account.email, account.password));
  return sessions.get(organisation)!;
}

interface PageJson {
  nextCursor: string | null;
  total: number;
  [list: string]: unknown;
}

async function get(who: string, url: string): Promise<{ status: number; body: PageJson }> {
  const res = await server.app.inject({ method: 'GET', url, headers: await sessionOf(who) });
  return { status: res.statusCode, body: res.json<PageJson>() };
}

/** Follows nextCursor from the first page of `limit`, returning the ids of each page. */
async function pages(who: string, url: string, key: string, limit: number): Promise<string[][]> {
  const out: string[][] = [];
  let cursor: string | null = null;
  const join = url.includes('?') ? '&' : '?';
  do {
    const res = await get(
      who,
      `${url}${join}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items = res.body[key] as { id: string }[];
    out.push(items.map((x) => x.id));
    cursor = res.body.nextCursor;
    expect(out.length).toBeLessThan(1000);
  } while (cursor);
  return out;
}

beforeAll(async () => {
  server = await testServer(undefined, clock);
  ({ credentials } = await seedDemo(
    server.accounts,
    new PgDirectoryStore(server.database.db),
    server,
  ));
  // Simulations of the council, four of them made in the same instant: the page boundary
  // falls between items with equal times.
  const council = (await server.accounts.stores.organisations.list()).find(
    (o) => o.name === COUNCIL,
  )!;
  const at = clock.now();
  for (const id of ['sim_a1', 'sim_a2', 'sim_a3', 'sim_a4', 'sim_a5'])
    await server.simulations.simulations.create({
      id,
      organisationId: council.id,
      scenario: { name: id, base: 'base.json', changes: [] } as never,
      days: 30,
      seed: 1,
      runs: 1,
      state: 'failed',
      progress: 0,
      result: null,
      error: 'stopped',
      createdAt: at,
      finishedAt: at,
    });
}, 180_000);
afterAll(() => server.close());

describe('lists a page at a time', () => {
  it.each([
    [SHIPPER, '/v1/bookings', 'bookings'],
    [SHIPPER, '/v1/shipments', 'shipments'],
    [SHIPPER, '/v1/customs/declarations', 'declarations'],
    [CUSTOMS_CN, '/v1/customs/declarations', 'declarations'],
    [CUSTOMS_CN, '/v1/shipments', 'shipments'],
    [COUNCIL, '/v1/simulations', 'simulations'],
  ])('%s: %s reads every item once, in order, with its total', async (who, url, key) => {
    const whole = await get(who, `${url}?limit=1000`);
    expect(whole.status).toBe(200);
    const all = (whole.body[key] as { id: string }[]).map((x) => x.id);
    expect(all.length).toBeGreaterThan(3);
    expect(whole.body.total).toBe(all.length);
    expect(whole.body.nextCursor).toBeNull();
    const paged = await pages(who, url, key, 2);
    expect(paged.slice(0, -1).every((p) => p.length === 2)).toBe(true);
    expect(paged.flat()).toEqual(all);
    // Without limit or cursor, as clients before paging asked: the first page, the whole list here.
    const plain = await get(who, url);
    expect((plain.body[key] as unknown[]).length).toBe(all.length);
  });

  it("pages an office's queue by when the boxes are expected, with the queue's size", async () => {
    const offices = (await get(CUSTOMS_CN, '/v1/customs/offices')).body.offices as {
      code: string;
      open: number;
    }[];
    const busiest = offices[0]!;
    expect(busiest.open).toBeGreaterThan(2);
    const url = `/v1/customs/queue?office=${busiest.code}`;
    const whole = await get(CUSTOMS_CN, `${url}&limit=1000`);
    const all = (whole.body.declarations as { id: string }[]).map((x) => x.id);
    expect(whole.body.total).toBe(busiest.open);
    expect(all.length).toBe(busiest.open);
    expect((await pages(CUSTOMS_CN, url, 'declarations', 2)).flat()).toEqual(all);
  });

  it('pages service requests and notifications the same way', async () => {
    for (const [url, key] of [
      ['/v1/service-requests', 'requests'],
      ['/v1/notifications', 'notifications'],
    ] as const) {
      for (const who of [SHIPPER, COUNCIL]) {
        const whole = await get(who, `${url}?limit=1000`);
        expect(whole.status).toBe(200);
        const all = (whole.body[key] as { id: string }[]).map((x) => x.id);
        expect(whole.body.total).toBe(all.length);
        expect((await pages(who, url, key, 1)).flat()).toEqual(all);
      }
    }
  });

  it.each([
    ['/v1/bookings?cursor=bm90LWEtY3Vyc29y', 'query.cursor'],
    ['/v1/shipments?cursor=%5B%5D', 'query.cursor'],
    ['/v1/simulations?limit=0', 'query.limit'],
    ['/v1/customs/declarations?limit=1001', 'query.limit'],
    ['/v1/notifications?limit=two', 'query.limit'],
  ])('refuses %s naming %s', async (url, field) => {
    const who = url.startsWith('/v1/simulations') ? COUNCIL : SHIPPER;
    const res = await server.app.inject({ method: 'GET', url, headers: await sessionOf(who) });
    expect(res.statusCode, res.body).toBe(400);
    const problem = res.json<{ errors: { path: string; message: string }[] }>();
    expect(problem.errors.map((e) => e.path)).toContain(field);
  });

  it('refuses a keyset cursor on an office queue', async () => {
    const list = await get(SHIPPER, '/v1/bookings?limit=1');
    const offices = (await get(CUSTOMS_CN, '/v1/customs/offices')).body.offices as {
      code: string;
    }[];
    const res = await server.app.inject({
      method: 'GET',
      url: `/v1/customs/queue?office=${offices[0]!.code}&cursor=${list.body.nextCursor}`,
      headers: await sessionOf(CUSTOMS_CN),
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json<{ errors: { path: string }[] }>().errors[0]!.path).toBe('query.cursor');
  });
});
