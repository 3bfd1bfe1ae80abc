import { asc, eq } from 'drizzle-orm';
import { webhookDeliveries } from '../../src/store/schema.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/app/seed-demo.ts';
import { PgDirectoryStore } from '../../src/store/directory.store.ts';
import {
  apiKeyCaller,
  manualClock,
  organisationWithPeople,
  signIn,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import { runCapturing } from '../support/cli.ts';

/**
 * The one-stop service desk over HTTP, on PGlite and on PostgreSQL: profiles and their search,
 * matchmaking on the demo's exporters and importers, and service requests between two parties.
 */
const clock = manualClock(new Date('2026-11-30T08:00:00Z'));
const DAY = 86_400_000;
let server: TestServer;
/** Demo organisations by name, with an admin API key each. */
const demo: Record<string, Caller> = {};
let platform: Caller;
let outsider: Caller;

const call = (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  who: Caller,
  payload?: unknown,
) =>
  server.app.inject({
    method,
    url,
    headers: who.headers,
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });

interface ProfileJson {
  organisationId: string;
  name: string;
  verified: boolean;
  contact: Record<string, string> | null;
  rank?: number;
}
interface PageJson {
  total: number;
  next: number | null;
  results: ProfileJson[];
}

async function search(query: string, who = outsider): Promise<PageJson> {
  const res = await call('GET', `/v1/directory?${query}`, who);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PageJson>();
}
const names = (p: PageJson) => p.results.map((r) => r.name);

beforeAll(async () => {
  server = await testServer(undefined, clock);
  await seedDemo(server.accounts, new PgDirectoryStore(server.database.db));
  for (const org of await server.accounts.stores.organisations.list()) {
    const { key } = await createApiKey(server.accounts, undefined, org.id, {
      name: 'test',
      role: 'admin',
    });
    const short = org.name.replace(/ \(demo\)$/, '');
    demo[short] = {
      label: short,
      organisation: org,
      role: 'admin',
      headers: { authorization: `Bearer ${key}` },
    };
  }
  platform = demo['Corridor platform operator']!;
  outsider = await apiKeyCaller(server, {
    name: 'Tbilisi Trading',
    kind: 'shipper',
    country: 'GE',
  });
});
afterAll(() => server.close());

describe('profiles', () => {
  it('are published by the organisation’s admins only and verified by platform admins only', async () => {
    const org = await organisationWithPeople(server, {
      name: 'Kars Warehousing',
      kind: 'service_provider',
      country: 'TR',
    });
    const member = org.people.find((p) => p.role === 'member')!;
    const memberHeaders = await signIn(server.app, member.email, member.password);
    const body = {
      services: ['warehousing'],
      nodes: ['TR_KARS'],
      languages: ['tr', 'en'],
      descriptions: { en: 'Dual-gauge warehousing at Kars' },
      contact: { email: 'ops@kars.example' },
    };
    const url = `/v1/organisations/${org.organisation.id}/profile`;
    const asMember = { ...outsider, headers: memberHeaders };
    expect((await call('PUT', url, asMember, body)).statusCode).toBe(403);
    expect((await call('PUT', url, outsider, body)).statusCode).toBe(404);
    const admin = org.people.find((p) => p.role === 'admin')!;
    const adminCaller = {
      ...outsider,
      headers: await signIn(server.app, admin.email, admin.password),
    };
    const put = await call('PUT', url, adminCaller, body);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ verified: false, contact: { email: 'ops@kars.example' } });
    const bad = await call('PUT', url, adminCaller, { ...body, nodes: ['TR_NOWHERE'] });
    expect(bad.json()).toMatchObject({ errors: [{ path: 'body.nodes.0' }] });

    const verify = `/v1/organisations/${org.organisation.id}/verified`;
    expect((await call('PUT', verify, adminCaller, { verified: true })).statusCode).toBe(403);
    const verified = await call('PUT', verify, platform, { verified: true });
    expect(verified.json()).toMatchObject({ verified: true });
    // Others see it, without its contact details.
    const seen = await call('GET', url, outsider);
    expect(seen.json()).toMatchObject({ name: 'Kars Warehousing', verified: true, contact: null });
  });
});

describe('directory search', () => {
  it('filters by service, country, node, HS code, language and verified status', async () => {
    expect(names(await search('service=free_zone_residency'))).toEqual([
      'Alat FEZ Logistics Services (demo)',
    ]);
    expect(names(await search('service=trade_finance,free_zone_residency')).sort()).toEqual([
      'Alat FEZ Logistics Services (demo)',
      'SCODA Multimodal Forwarding Co. (demo)',
      'SCODA Service Centre (one-stop service platform)',
    ]);
    expect(names(await search('country=GE&service=freight_forwarding')).sort()).toEqual([
      'Black Sea Bridge Forwarding LLC (demo)',
      'KTZ Express',
    ]);
    expect(names(await search('node=KZ_ALTYNKOL_KHORGOS_GATEWAY')).sort()).toEqual([
      'KTZ Express',
      'Steppe Transit Logistics LLP (demo)',
    ]);
    // An HS prefix finds exporters of the subheading and importers of the heading.
    expect(names(await search('hs=0802')).sort()).toEqual([
      'Ganja Hazelnut Growers LLC (demo)',
      "Xi'an Silk Road Foods Import Co. (demo)",
    ]);
    expect(names(await search('hs=080222')).sort()).toEqual([
      'Ganja Hazelnut Growers LLC (demo)',
      "Xi'an Silk Road Foods Import Co. (demo)",
    ]);
    expect(names(await search('language=ka'))).toEqual(['Black Sea Bridge Forwarding LLC (demo)']);
    expect(names(await search('language=kk,ka')).sort()).toEqual([
      'Black Sea Bridge Forwarding LLC (demo)',
      'KTZ Express',
      'Kazmortransflot (Caspian container feeders)',
      'Steppe Transit Logistics LLP (demo)',
    ]);
    expect(names(await search('verified=true&service=warehousing'))).not.toContain(
      'Alat FEZ Logistics Services (demo)',
    );
  });

  it('ranks a name match above a description match, and finds words in any language', async () => {
    const ranked = await search('q=warehousing');
    expect(ranked.results.length).toBeGreaterThanOrEqual(3);
    expect(ranked.results[0]!.name).toBe('Kars Warehousing');
    const ranks = ranked.results.map((r) => r.rank!);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    expect(names(await search('q=hazel')).sort()).toEqual(['Ganja Hazelnut Growers LLC (demo)']);
    expect(names(await search(`q=${encodeURIComponent('фындыг')}`))).toEqual([]);
    expect(names(await search(`q=${encodeURIComponent('Каспий')}`))).toContain(
      'Steppe Transit Logistics LLP (demo)',
    );
    expect(names(await search(`q=${encodeURIComponent('保税仓储')}`))).toEqual([
      'SCODA Multimodal Forwarding Co. (demo)',
    ]);
    expect(names(await search(`q=${encodeURIComponent('Ələt')}`))).toContain(
      'Alat FEZ Logistics Services (demo)',
    );
  });

  it('pages through results', async () => {
    const first = await search('limit=3');
    expect(first.results).toHaveLength(3);
    expect(first.next).toBe(3);
    const all = await search('limit=50');
    expect(all.total).toBe(first.total);
    const second = await search('limit=3&offset=3');
    expect(names(second)).toEqual(names(all).slice(3, 6));
    const last = await search(`limit=3&offset=${all.total - 1}`);
    expect(last.next).toBeNull();
  });

  it('refuses unknown filters with the field named', async () => {
    for (const [q, path] of [
      ['service=teleportation', 'query.service'],
      ['hs=08a', 'query.hs'],
      ['limit=500', 'query.limit'],
      ['country=XX', 'query.country'],
    ] as const) {
      const res = await call('GET', `/v1/directory?${q}`, outsider);
      expect(res.statusCode, q).toBe(400);
      expect(res.json<{ errors: { path: string }[] }>().errors[0]!.path).toMatch(path);
    }
  });
});

describe('trade matchmaking', () => {
  interface MatchJson {
    exporter: { organisationName: string; hsCode: string };
    importer: { organisationName: string; hsCode: string };
    hsDigits: number;
    route: { transitDaysP50: number; costUsdPer40ft: number; legs: string[] };
  }

  it("suggests the Azerbaijani exporters to the Chinese importer, with the planner's route", async () => {
    const res = await call('GET', '/v1/trade-matches', demo["Xi'an Silk Road Foods Import Co."]!);
    expect(res.statusCode, res.body).toBe(200);
    const matches = res.json<{ matches: MatchJson[] }>().matches;
    expect(
      matches.map(
        (m) => `${m.exporter.organisationName}:${m.exporter.hsCode}>${m.importer.hsCode}`,
      ),
    ).toEqual([
      // Same subheading first, the closer volumes first: 60 t against 50, then 80 against 100.
      'Lankaran Fresh Produce LLC (demo):081070>081070',
      'Ganja Hazelnut Growers LLC (demo):080222>080222',
      'Ganja Hazelnut Growers LLC (demo):081090>081070',
    ]);
    for (const m of matches) {
      expect(m.route.transitDaysP50).toBeGreaterThan(5);
      expect(m.route.costUsdPer40ft).toBeGreaterThan(0);
      expect(m.route.legs[0]).toMatch(/^AZ_BAKU/);
    }
    expect(matches[0]!.hsDigits).toBe(6);
    expect(matches[2]!.hsDigits).toBe(4);
  });

  it('leaves out pairs whose countries do not fit and listings of other headings', async () => {
    const exporter = demo['Ganja Hazelnut Growers LLC']!;
    const listed = await call('POST', '/v1/trade-listings', exporter, {
      kind: 'export',
      hsCode: '080222',
      description: 'Hazelnuts for Kazakhstan only',
      place: 'Baku',
      tonnesPerMonth: 10,
      partnerCountries: ['KZ'],
    });
    expect(listed.statusCode, listed.body).toBe(201);
    const res = await call('GET', '/v1/trade-matches', exporter);
    const matches = res.json<{ matches: MatchJson[] }>().matches;
    // The Kazakhstan-only listing finds no importer; the other two their Chinese buyer.
    expect(matches.map((m) => `${m.exporter.hsCode}>${m.importer.organisationName}`)).toEqual([
      "080222>Xi'an Silk Road Foods Import Co. (demo)",
      "081090>Xi'an Silk Road Foods Import Co. (demo)",
    ]);
    const none = await call(
      'GET',
      '/v1/trade-matches',
      demo['Qingdao Haixing Machinery Export Co.']!,
    );
    expect(none.json()).toEqual({ matches: [] });
    const unknown = await call('POST', '/v1/trade-listings', exporter, {
      kind: 'export',
      hsCode: '080222',
      description: 'x',
      place: 'Atlantis',
      tonnesPerMonth: 1,
    });
    expect(unknown.json()).toMatchObject({ errors: [{ path: 'body.place' }] });
  });
});

describe('service requests', () => {
  interface RequestJson {
    id: string;
    state: string;
    offer: { price: number; validUntil: string } | null;
    history: { state: string }[];
    messages: { fromName: string; text: string }[];
  }
  const requester = () => demo['Ganja Hazelnut Growers LLC']!;
  const provider = () => demo['Alat FEZ Logistics Services']!;
  const ask = async () => {
    const res = await call('POST', '/v1/service-requests', requester(), {
      providerId: provider().organisation.id,
      service: 'warehousing',
      nodeId: 'AZ_ALAT_FEZ',
      description: 'Warehousing for 20 TEU a month at Alat FEZ from February',
      wantedFrom: '2027-02-01',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<RequestJson>();
  };
  const act = (id: string, who: Caller, body: object) =>
    call('POST', `/v1/service-requests/${id}/actions`, who, body);
  const offer = (days = 14) => ({
    type: 'offer',
    price: 4200,
    currency: 'USD',
    validUntil: new Date(clock.now().getTime() + days * DAY).toISOString(),
    terms: 'Per month, 20 TEU, bonded area, 30 days notice',
  });

  it('makes one request, and one offer, of a request sent again with its Idempotency-Key', async () => {
    const body = {
      providerId: provider().organisation.id,
      service: 'warehousing',
      description: 'Cold storage for 4 reefers in March',
    };
    const send = (url: string, who: Caller, payload: object, key: string) =>
      server.app.inject({
        method: 'POST',
        url,
        headers: { ...who.headers, 'idempotency-key': key },
        payload,
      });
    const first = await send('/v1/service-requests', requester(), body, 'sr-1');
    const again = await send('/v1/service-requests', requester(), body, 'sr-1');
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json<RequestJson>().id).toBe(first.json<RequestJson>().id);
    const mine = (await call('GET', '/v1/service-requests', requester()))
      .json<{ requests: { description: string }[] }>()
      .requests.filter((x) => x.description === body.description);
    expect(mine).toHaveLength(1);
    const id = first.json<RequestJson>().id;
    const offered = await send(`/v1/service-requests/${id}/actions`, provider(), offer(), 'of-1');
    const retried = await send(`/v1/service-requests/${id}/actions`, provider(), offer(), 'of-1');
    expect([offered.statusCode, retried.statusCode]).toEqual([200, 200]);
    expect(retried.json<RequestJson>().history).toEqual(offered.json<RequestJson>().history);
  });

  it('runs request → offer → accept, with messages, notifications and contact details after', async () => {
    const r = await ask();
    expect(r.state).toBe('requested');
    const before = await call(
      'GET',
      `/v1/organisations/${provider().organisation.id}/profile`,
      requester(),
    );
    expect(before.json<ProfileJson>().contact).toBeNull();

    const offered = await act(r.id, provider(), offer());
    expect(offered.statusCode, offered.body).toBe(200);
    expect(offered.json<RequestJson>()).toMatchObject({ state: 'offered', offer: { price: 4200 } });
    const msg = await call('POST', `/v1/service-requests/${r.id}/messages`, requester(), {
      text: 'Is reefer space available?',
    });
    expect(msg.json<RequestJson>().messages).toEqual([
      expect.objectContaining({
        fromName: 'Ganja Hazelnut Growers LLC (demo)',
        text: 'Is reefer space available?',
      }),
    ]);
    const accepted = await act(r.id, requester(), { type: 'accept' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json<RequestJson>().history.map((h) => h.state)).toEqual([
      'requested',
      'offered',
      'accepted',
    ]);
    const after = await call(
      'GET',
      `/v1/organisations/${provider().organisation.id}/profile`,
      requester(),
    );
    expect(after.json<ProfileJson>().contact).toEqual({
      email: 'contact@alat-fez-services.example',
    });

    const inbox = (await call('GET', '/v1/notifications', provider())).json<{
      notifications: { id: string; kind: string; requestId: string }[];
    }>().notifications;
    expect(
      inbox
        .filter((n) => n.requestId === r.id)
        .map((n) => n.kind)
        .sort(),
    ).toEqual(['accept', 'message', 'requested']);
    const read = await call('POST', `/v1/notifications/${inbox[0]!.id}/read`, provider());
    expect(read.statusCode).toBe(204);
    expect(
      (await call('POST', `/v1/notifications/${inbox[0]!.id}/read`, requester())).statusCode,
    ).toBe(404);
  });

  it('keeps the state rules: who may do what, no accept after expiry, nothing on a closed request', async () => {
    const r = await ask();
    expect((await act(r.id, requester(), offer())).statusCode).toBe(403);
    expect((await act(r.id, requester(), { type: 'accept' })).statusCode).toBe(409);
    expect((await act(r.id, provider(), { type: 'accept' })).statusCode).toBe(403);
    expect((await act(r.id, provider(), offer(-1))).statusCode).toBe(400);
    expect((await act(r.id, provider(), offer(2))).statusCode).toBe(200);
    clock.advance(3 * DAY);
    const late = await act(r.id, requester(), { type: 'accept' });
    expect(late.statusCode).toBe(409);
    expect(late.json<{ detail: string }>().detail).toMatch(/^the offer expired at /);
    // A revised offer can still be accepted.
    expect((await act(r.id, provider(), offer(5))).statusCode).toBe(200);
    expect((await act(r.id, requester(), { type: 'decline', reason: 'too dear' })).statusCode).toBe(
      200,
    );
    const closed = await act(r.id, provider(), offer());
    expect(closed.statusCode).toBe(409);
    expect(closed.json<{ detail: string }>().detail).toBe(
      'the request is declined: it takes no offer',
    );

    const other = await ask();
    expect(
      (await act(other.id, provider(), { type: 'refuse', reason: 'full in February' })).statusCode,
    ).toBe(200);
    expect((await act(other.id, requester(), { type: 'withdraw' })).statusCode).toBe(409);
  });

  it('shows a request, its offer and its messages to its two parties only', async () => {
    const r = await ask();
    for (const [method, url, body] of [
      ['GET', `/v1/service-requests/${r.id}`, undefined],
      ['POST', `/v1/service-requests/${r.id}/actions`, offer()],
      ['POST', `/v1/service-requests/${r.id}/messages`, { text: 'hello' }],
    ] as const) {
      const res = await call(method, url, outsider, body);
      expect(res.statusCode, url).toBe(404);
    }
    const mine = await call('GET', '/v1/service-requests', outsider);
    expect(mine.json()).toEqual({ requests: [], nextCursor: null, total: 0 });
    const theirs = await call('GET', '/v1/service-requests', provider());
    expect(theirs.json<{ requests: { id: string }[] }>().requests.map((x) => x.id)).toContain(r.id);
  });

  it('asks only for a service the provider lists, and tells subscribed machine clients', async () => {
    const wrong = await call('POST', '/v1/service-requests', requester(), {
      providerId: provider().organisation.id,
      service: 'trade_finance',
      description: 'Letter of credit',
    });
    expect(wrong.json()).toMatchObject({ errors: [{ path: 'body.service' }] });
    const sub = await call('POST', '/v3/event-subscriptions', provider(), {
      callbackUrl: 'http://127.0.0.1:9/hook',
      secret: Buffer.alloc(32, 7).toString('base64'),
      eventTypes: ['SERVICE_REQUEST'],
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const r = await ask();
    clock.advance(1000);
    await act(r.id, provider(), offer());
    const rows = await server.database.db
      .select({ body: webhookDeliveries.body })
      .from(webhookDeliveries)
      .where(
        eq(webhookDeliveries.subscriptionId, sub.json<{ subscriptionID: string }>().subscriptionID),
      )
      .orderBy(asc(webhookDeliveries.createdAt));
    const bodies = rows.map(
      (x) => JSON.parse(x.body) as { change: string; state: string; serviceRequestID: string }[],
    );
    expect(bodies.map((b) => [b[0]!.change, b[0]!.state, b[0]!.serviceRequestID])).toEqual([
      ['requested', 'requested', r.id],
      ['offer', 'offered', r.id],
    ]);
  });
});

describe('corridor directory search', () => {
  it('prints the matching profiles as a table, and refuses a bad filter with one line', async () => {
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const key = outsider.headers.authorization!.replace('Bearer ', '');
    const cli = (...argv: string[]) =>
      runCapturing(argv, {
        env: { CORRIDOR_API_KEY: key, CORRIDOR_SERVER: url },
        http: (u, init) => fetch(u, init),
      });
    const res = await cli('directory', 'search', 'warehousing', '--node', 'AZ_ALAT_FEZ');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Alat FEZ Logistics Services \(demo\)\s+AZ/);
    expect(res.stdout).toMatch(/Alat Bonded Warehouse LLC \(demo\)\s+AZ/);
    expect(res.stdout).toMatch(/^3 found$/m);
    const bad = await cli('directory', 'search', '--hs', '08x');
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/query.hs/);
  });
});
