import { Validator } from '@seriousme/openapi-schema-validator';
import type { InjectOptions } from 'fastify';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationSchema, sessionSchema } from '../../src/api/accounts.ts';
import { SESSION_HOURS } from '../../src/app/authenticate.ts';
import { problemSchema } from '../../src/api/common.ts';
import { networkResponseSchema, timetableResponseSchema } from '../../src/api/network.ts';
import { planResponseSchema } from '../../src/api/plan.ts';
import {
  manualClock,
  organisationWithPeople,
  signIn,
  testServer,
  type TestServer,
} from '../support/server.ts';

let server: TestServer;
let platform: Awaited<ReturnType<typeof organisationWithPeople>>;
let carrier: Awaited<ReturnType<typeof organisationWithPeople>>;

beforeAll(async () => {
  server = await testServer();
  platform = await organisationWithPeople(server, {
    name: 'Platform',
    kind: 'platform',
    country: 'AZ',
  });
  carrier = await organisationWithPeople(server, {
    name: 'KTZ Express',
    kind: 'carrier',
    country: 'KZ',
    services: ['SVC_XIAN_BAKU_BLOCK'],
  });
});
afterAll(() => server.close());

const inject = (opts: InjectOptions) => server.app.inject(opts);
const person = (org: typeof carrier, role: string) => org.people.find((p) => p.role === role)!;

describe('system endpoints', () => {
  it('is live and ready with its migrations applied', async () => {
    const live = await inject({ url: '/healthz' });
    expect(live.json()).toEqual({ status: 'ok' });
    expect(live.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
    const ready = await inject({ url: '/readyz' });
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('exposes Prometheus metrics per route with latency and the database pool', async () => {
    await inject({ url: '/healthz' });
    const text = (await inject({ url: '/metrics' })).body;
    expect(text).toMatch(
      /corridor_http_requests_total\{method="GET",route="\/healthz",status_code="200"\} \d+/,
    );
    expect(text).toContain(
      'corridor_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/healthz"}',
    );
    expect(text).toMatch(/corridor_db_pool_connections \d+/);
    // The background jobs, from the database every process shares.
    expect(text).toMatch(/corridor_webhook_deliveries\{state="pending"\} \d+/);
    expect(text).toMatch(/corridor_webhook_deliveries\{state="failed"\} \d+/);
    expect(text).toMatch(/corridor_webhook_oldest_due_seconds \d+/);
    expect(text).toMatch(/corridor_shipments_awaiting_refresh \d+/);
    expect(text).toMatch(/corridor_simulations_running \d+/);
    // Query time, from the queries this test's requests made.
    const queries = /corridor_db_query_duration_seconds_count (\d+)/.exec(text);
    expect(Number(queries?.[1])).toBeGreaterThan(0);
  });

  it('publishes a valid OpenAPI 3.1 document that documents every route', async () => {
    const spec = (await inject({ url: '/openapi.json' })).json() as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(spec.openapi).toBe('3.1.0');
    const result = await new Validator().validate(spec);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const documented = new Set(
      Object.entries(spec.paths).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
      ),
    );
    const routes = server.app.printRoutes({ commonPrefix: false }).split('\n').filter(Boolean);
    expect(routes.length).toBeGreaterThan(5);
    for (const expected of [
      'GET /healthz',
      'GET /readyz',
      'GET /metrics',
      'GET /v1/network',
      'GET /v1/timetable',
      'GET /v1/departures',
      'POST /v1/plans',
      'POST /v1/auth/login',
      'POST /v1/auth/logout',
      'GET /v1/auth/me',
      'GET /v1/organisations',
      'POST /v1/organisations',
      'GET /v1/organisations/{orgId}',
      'GET /v1/organisations/{orgId}/users',
      'POST /v1/organisations/{orgId}/users',
      'GET /v1/organisations/{orgId}/api-keys',
      'POST /v1/organisations/{orgId}/api-keys',
      'DELETE /v1/organisations/{orgId}/api-keys/{keyId}',
      'GET /openapi.json',
    ])
      expect(documented, expected).toContain(expected);
    expect(JSON.stringify(spec)).toContain('"example"');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await inject({ url: '/v1/nothing' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(problemSchema.parse(res.json()).detail).toBe('no route GET /v1/nothing');
  });
});

describe('network, timetable and plans', () => {
  it('serves the network with an ETag and answers 304 when it has not changed', async () => {
    const first = await inject({ url: '/v1/network' });
    expect(first.statusCode).toBe(200);
    const body = networkResponseSchema.parse(first.json());
    expect(body.nodes.some((n) => n.id === 'AZ_BAKU_PORT_ALAT')).toBe(true);
    const again = await inject({
      url: '/v1/network',
      headers: { 'if-none-match': first.headers.etag as string },
    });
    expect([again.statusCode, again.body]).toEqual([304, '']);
    // No body length on a 304: clients would wait for bytes that never come.
    expect(again.headers['content-length'] ?? '0').toBe('0');
    const br = await inject({ url: '/v1/network', headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(first.body);
    expect(br.rawPayload.length).toBeLessThan(first.rawPayload.length / 4);
  });

  it('serves the timetable as the CLI prints it, and names an unknown service', async () => {
    const res = await inject({
      url: '/v1/timetable?from=2026-12-01&days=2&service=SVC_FEEDER_AKTAU_ALAT',
    });
    const body = timetableResponseSchema.parse(res.json());
    expect(body.trips.map((t) => t.id)).toEqual([
      'SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800',
      'SVC_FEEDER_AKTAU_ALAT@2026-12-02T1800',
    ]);
    const bad = await inject({ url: '/v1/timetable?service=SVC_NOPE' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      errors: [{ path: 'query.service', message: 'unknown service "SVC_NOPE"' }],
    });
  });

  it('plans with the planner contract unchanged', async () => {
    const res = await inject({
      method: 'POST',
      url: '/v1/plans',
      payload: { from: 'Xian', to: 'Baku', depart: '2026-12-01', containers: '1x40HC' },
    });
    expect(res.statusCode).toBe(200);
    const plan = planResponseSchema.parse(res.json());
    expect(plan.itineraries[0]!.legs[0]).toMatchObject({ kind: 'ride', from: 'CN_XIAN_ITL' });
    const list = await inject({
      method: 'POST',
      url: '/v1/plans',
      payload: {
        from: 'Xian',
        to: 'Baku',
        depart: '2026-12-01',
        containers: [{ type: '40HC', count: 1 }],
      },
    });
    // The same plan, kept under another id.
    const { planId: a, planExpiresAt: _a, ...first } = res.json<Record<string, unknown>>();
    const { planId: b, planExpiresAt: _b, ...second } = list.json<Record<string, unknown>>();
    expect(second).toEqual(first);
    expect(a).toMatch(/^pln_/);
    expect(b).not.toBe(a);
  });

  it('answers an unreadable plan request with 422 and the suggestions, a route-less one with 200', async () => {
    const res = await inject({
      method: 'POST',
      url: '/v1/plans',
      payload: { from: 'Aktua', to: 'Baku', containers: '1x40HC' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      errors: [{ path: 'body.from' }],
      planErrors: [
        {
          code: 'unknown_place',
          suggestions: expect.arrayContaining(['Aktau (KZAAU)']) as string[],
        },
      ],
    });
    const none = await inject({
      method: 'POST',
      url: '/v1/plans',
      payload: { from: 'Urumqi', to: 'Baku', depart: '2026-12-01', containers: '1x40HC' },
    });
    expect(none.statusCode).toBe(200);
    expect(none.json()).toMatchObject({ itineraries: [], errors: [{ code: 'no_connection' }] });
  });
});

describe('sessions, CSRF and API keys', () => {
  it('signs in with an httpOnly SameSite cookie, knows who is signed in, and signs out', async () => {
    const admin = person(carrier, 'admin');
    const res = await inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: admin.email.toUpperCase(), password: admin.password },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toMatch(/corridor_session=[^;]+;.*HttpOnly; SameSite=Strict/);
    // A lifetime the browser counts on its own clock, never an instant of the server's.
    expect(res.headers['set-cookie']).toMatch(new RegExp(`Max-Age=${SESSION_HOURS * 3600};`));
    expect(res.headers['set-cookie']).not.toMatch(/Expires=/);
    const session = sessionSchema.parse(res.json());
    expect(session.organisation.name).toBe('KTZ Express');
    const headers = {
      cookie: `corridor_session=${res.cookies[0]!.value}`,
      'x-csrf-token': session.csrfToken,
    };
    expect((await inject({ url: '/v1/auth/me', headers })).json()).toMatchObject({
      user: { email: admin.email },
    });
    const out = await inject({ method: 'POST', url: '/v1/auth/logout', headers });
    expect([out.statusCode, out.body, out.headers['content-length'] ?? '0']).toEqual([
      204,
      '',
      '0',
    ]);
    expect((await inject({ url: '/v1/auth/me', headers })).statusCode).toBe(401);
  });

  it('gives the same answer for a wrong password and an unknown e-mail', async () => {
    const wrong = await inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: person(carrier, 'admin').email, password: 'not-the-password' },
    });
    const unknown = await inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'nobody@test.example', password: 'not-the-password' },
    });
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json<{ detail: string }>().detail).toBe(unknown.json<{ detail: string }>().detail);
  });

  it('refuses a state-changing request made with the cookie but without the CSRF token', async () => {
    const { cookie } = await signIn(
      server.app,
      person(carrier, 'admin').email,
      person(carrier, 'admin').password,
    );
    const res = await inject({
      method: 'POST',
      url: `/v1/organisations/${carrier.organisation.id}/api-keys`,
      headers: { cookie },
      payload: { name: 'x' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ detail: expect.stringContaining('X-CSRF-Token') as string });
  });

  it('issues an API key once, stores it hashed, records its use and revokes it', async () => {
    const headers = await signIn(
      server.app,
      person(carrier, 'admin').email,
      person(carrier, 'admin').password,
    );
    const created = await inject({
      method: 'POST',
      url: `/v1/organisations/${carrier.organisation.id}/api-keys`,
      headers,
      payload: { name: 'tracking feed' },
    });
    expect(created.statusCode).toBe(201);
    const { key, apiKey } = created.json() as {
      key: string;
      apiKey: { id: string; prefix: string };
    };
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    const stored = JSON.stringify(
      await server.accounts.stores.apiKeys.listByOrganisation(carrier.organisation.id),
    );
    expect(stored).not.toContain(key);
    const bearer = { authorization: `Bearer ${key}` };
    expect(
      (
        await inject({ url: `/v1/organisations/${carrier.organisation.id}`, headers: bearer })
      ).json(),
    ).toMatchObject({ name: 'KTZ Express' });
    const listed = (
      await inject({ url: `/v1/organisations/${carrier.organisation.id}/api-keys`, headers })
    ).json() as { apiKeys: { id: string; lastUsedAt: string | null }[] };
    expect(listed.apiKeys.find((k) => k.id === apiKey.id)!.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(
      (
        await inject({
          method: 'DELETE',
          url: `/v1/organisations/${carrier.organisation.id}/api-keys/${apiKey.id}`,
          headers,
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (await inject({ url: `/v1/organisations/${carrier.organisation.id}`, headers: bearer }))
        .statusCode,
    ).toBe(401);
  });

  it('rejects a forged bearer token', async () => {
    const res = await inject({
      url: '/v1/organisations',
      headers: { authorization: 'Bearer ck_forgedforgedforgedforgedforged' },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('organisations and users', () => {
  it('lets platform admins register organisations with services and customs offices', async () => {
    const headers = await signIn(
      server.app,
      person(platform, 'admin').email,
      person(platform, 'admin').password,
    );
    const res = await inject({
      method: 'POST',
      url: '/v1/organisations',
      headers,
      payload: {
        name: 'State Customs Committee',
        kind: 'customs',
        country: 'AZ',
        customsOffices: [{ code: 'AZBAK009', name: 'Alat', nodeId: 'AZ_BAKU_PORT_ALAT' }],
      },
    });
    expect(res.statusCode).toBe(201);
    expect(organisationSchema.parse(res.json()).customsOffices).toEqual([
      { code: 'AZBAK009', name: 'Alat', nodeId: 'AZ_BAKU_PORT_ALAT' },
    ]);
    const all = (await inject({ url: '/v1/organisations', headers })).json() as {
      organisations: unknown[];
    };
    expect(all.organisations.length).toBeGreaterThanOrEqual(3);
  });

  it('names the field of a bad organisation: unknown service, office in another country', async () => {
    const headers = await signIn(
      server.app,
      person(platform, 'admin').email,
      person(platform, 'admin').password,
    );
    const res = await inject({
      method: 'POST',
      url: '/v1/organisations',
      headers,
      payload: { name: 'X', kind: 'carrier', country: 'KZ', services: ['SVC_NOPE'] },
    });
    expect([res.statusCode, res.json<{ errors: unknown }>().errors]).toEqual([
      400,
      [{ path: 'body.services[0]', message: 'unknown service "SVC_NOPE"' }],
    ]);
    const office = await inject({
      method: 'POST',
      url: '/v1/organisations',
      headers,
      payload: {
        name: 'Y',
        kind: 'customs',
        country: 'GE',
        customsOffices: [{ code: 'AZBAK001', name: 'x' }],
      },
    });
    expect(office.json()).toMatchObject({
      errors: [{ path: 'body.customsOffices[0].code', message: 'AZBAK001 is not in GE' }],
    });
  });

  it('refuses organisation registration to anyone but platform admins', async () => {
    const headers = await signIn(
      server.app,
      person(carrier, 'admin').email,
      person(carrier, 'admin').password,
    );
    const res = await inject({
      method: 'POST',
      url: '/v1/organisations',
      headers,
      payload: { name: 'Mine', kind: 'carrier', country: 'KZ' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('adds users with a generated password shown once, and refuses a second account on one e-mail in the organisation', async () => {
    const headers = await signIn(
      server.app,
      person(carrier, 'admin').email,
      person(carrier, 'admin').password,
    );
    const url = `/v1/organisations/${carrier.organisation.id}/users`;
    const res = await inject({
      method: 'POST',
      url,
      headers,
      payload: { email: 'Dispatch@KTZ.example', name: 'Dispatch', role: 'member' },
    });
    expect(res.statusCode).toBe(201);
    const { password } = res.json() as { password: string };
    expect(password.length).toBeGreaterThanOrEqual(20);
    await signIn(server.app, 'dispatch@ktz.example', password);
    const again = await inject({
      method: 'POST',
      url,
      headers,
      payload: { email: 'dispatch@ktz.example', name: 'Again', role: 'member' },
    });
    expect([again.statusCode, again.json<{ errors: unknown }>().errors]).toEqual([
      409,
      [{ path: 'body.email', message: 'already a user of this organisation' }],
    ]);
    // An address of another organisation is no hindrance, and nothing tells that it exists.
    const elsewhere = await inject({
      method: 'POST',
      url,
      headers,
      payload: { email: person(platform, 'member').email.toUpperCase(), name: 'X', role: 'member' },
    });
    expect(elsewhere.statusCode).toBe(201);
    expect(elsewhere.json<{ user: { organisationId: string } }>().user.organisationId).toBe(
      carrier.organisation.id,
    );
    const officer = await inject({
      method: 'POST',
      url,
      headers,
      payload: { email: 'o@ktz.example', name: 'O', role: 'officer' },
    });
    expect(officer.statusCode).toBe(400);
  });

  it('does not let a member manage users or keys', async () => {
    const headers = await signIn(
      server.app,
      person(carrier, 'member').email,
      person(carrier, 'member').password,
    );
    const res = await inject({
      method: 'POST',
      url: `/v1/organisations/${carrier.organisation.id}/users`,
      headers,
      payload: { email: 'm2@ktz.example', name: 'M', role: 'admin' },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('audit of administrative changes', () => {
  it('records who registered, added, issued, revoked and changed what; admins read their own', async () => {
    const admin = await signIn(
      server.app,
      person(platform, 'admin').email,
      person(platform, 'admin').password,
    );
    const created = await inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: admin,
      payload: { name: 'Audited Rail', kind: 'carrier', country: 'GE' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const orgId = created.json<{ id: string }>().id;
    const key = await inject({
      method: 'POST',
      url: `/v1/organisations/${orgId}/api-keys`,
      headers: admin,
      payload: { name: 'dispatch', role: 'admin' },
    });
    expect(key.statusCode, key.body).toBe(201);
    const {
      apiKey: { id: keyId },
      key: secret,
    } = key.json<{ apiKey: { id: string }; key: string }>();
    const carrierAdmin = { authorization: `Bearer ${secret}` };
    await inject({
      method: 'PATCH',
      url: `/v1/organisations/${orgId}`,
      headers: carrierAdmin,
      payload: { autoConfirm: true },
    });
    await inject({
      method: 'DELETE',
      url: `/v1/organisations/${orgId}/api-keys/${keyId}`,
      headers: admin,
    });
    const all = await inject({ url: `/v1/audit?organisationId=${orgId}`, headers: admin });
    const entries = all.json<{
      entries: { action: string; actorId: string | null; detail: Record<string, unknown> }[];
    }>().entries;
    expect(entries.map((e) => e.action)).toEqual([
      'api_key.revoke',
      'organisation.auto_confirm',
      'api_key.create',
      'organisation.create',
    ]);
    expect(entries[1]!.detail).toEqual({ from: false, to: true });
    // No secret is kept in the audit: the key's prefix only.
    expect(JSON.stringify(entries)).not.toContain(secret);
    // A carrier's admin reads its own organisation's changes, not another's; a member none.
    const own = await signIn(
      server.app,
      person(carrier, 'admin').email,
      person(carrier, 'admin').password,
    );
    const mine = await inject({ url: '/v1/audit', headers: own });
    expect(mine.statusCode).toBe(200);
    expect(
      mine
        .json<{ entries: { organisationId: string }[] }>()
        .entries.every((e) => e.organisationId === carrier.organisation.id),
    ).toBe(true);
    expect(
      (await inject({ url: `/v1/audit?organisationId=${orgId}`, headers: own })).statusCode,
    ).toBe(404);
    const member = await signIn(
      server.app,
      person(carrier, 'member').email,
      person(carrier, 'member').password,
    );
    expect((await inject({ url: '/v1/audit', headers: member })).statusCode).toBe(403);
  });
});

describe('limits', () => {
  it('refuses many failed sign-ins from one address with 429 and Retry-After; successes never count', async () => {
    const limited = await testServer({ loginPerMinute: 3, writePerMinute: 1000 });
    try {
      const org = await organisationWithPeople(limited, {
        name: 'Busy Office',
        kind: 'shipper',
        country: 'CN',
      });
      const { email, password } = org.people[0]!;
      const login = (e: string, p: string, remoteAddress = '192.0.2.10') =>
        limited.app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email: e, password: p },
          remoteAddress,
        });
      // An office behind one address: twelve people sign in.
      const signIns = [];
      for (let i = 0; i < 12; i++) signIns.push((await login(email, password)).statusCode);
      expect(signIns).toEqual(Array(12).fill(200));
      // Someone there guesses, a new e-mail each time (so no account slows down).
      const codes = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await login(`guess${i}@test.example`, 'wrong-password');
        codes.push(last.statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      const wait = Number(last!.headers['retry-after']);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60);
      expect(last!.headers['content-type']).toContain('application/problem+json');
      expect(last!.json<{ detail: string }>().detail).toMatch(/from this address; try again in/);
      // The address waits, even with the right password; another address does not.
      expect((await login(email, password)).statusCode).toBe(429);
      expect((await login(email, password, '198.51.100.7')).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('slows an account down after failed sign-ins from anywhere, doubling the wait, without locking its user out', async () => {
    const clock = manualClock();
    const server = await testServer({ loginPerMinute: 1000, writePerMinute: 1000 }, clock);
    try {
      const org = await organisationWithPeople(server, {
        name: 'Targeted Shipper',
        kind: 'shipper',
        country: 'CN',
      });
      const { email, password } = org.people[0]!;
      const login = (e: string, p: string, remoteAddress: string) =>
        server.app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email: e, password: p },
          remoteAddress,
        });
      const attack = async (e: string) => {
        const answers = [];
        for (let i = 0; i < 5; i++)
          answers.push(await login(e, 'wrong-password', `203.0.113.${i}`));
        return answers;
      };
      // Five wrong passwords from five addresses: three free, then a wait of 1 s.
      const answers = await attack(email);
      expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401, 429]);
      expect(answers[4]!.headers['retry-after']).toBe('1');
      // The real user is not locked out: the answer says how long to wait, then they are in.
      const waiting = await login(email.toUpperCase(), password, '192.0.2.20');
      expect(waiting.statusCode).toBe(429);
      expect(waiting.headers['retry-after']).toBe('1');
      expect(waiting.json<{ detail: string }>().detail).toMatch(/for this e-mail address/);
      clock.advance(1000);
      expect((await login(email, password, '192.0.2.20')).statusCode).toBe(200);
      // A success forgets the failures: the next guesses start free again.
      expect((await attack(email)).map((a) => a.statusCode)).toEqual([401, 401, 401, 401, 429]);
      // An e-mail nobody has slows down the same way (the answer does not tell who exists), and
      // each failure past the free ones doubles the wait: 1 s, 2 s, 4 s.
      const nobody = 'nobody@test.example';
      expect((await attack(nobody)).map((a) => a.statusCode)).toEqual([401, 401, 401, 401, 429]);
      const waits = [];
      for (let i = 0; i < 3; i++) {
        const r = await login(nobody, 'wrong-password', `203.0.113.${20 + i}`);
        expect(r.statusCode).toBe(429);
        waits.push(r.headers['retry-after']);
        clock.advance(Number(r.headers['retry-after']) * 1000);
        expect((await login(nobody, 'wrong-password', `203.0.113.${30 + i}`)).statusCode).toBe(401);
      }
      expect(waits).toEqual(['1', '2', '4']);
    } finally {
      await server.close();
    }
  });

  it('refuses a body over the limit with 413 and a non-JSON body with 415', async () => {
    const big = await inject({
      method: 'POST',
      url: '/v1/plans',
      headers: { 'content-type': 'application/json' },
      payload: `{"from":"${'x'.repeat(1_100_000)}"}`,
    });
    expect(big.statusCode).toBe(413);
    const text = await inject({
      method: 'POST',
      url: '/v1/plans',
      headers: { 'content-type': 'text/plain' },
      payload: 'from=Xian',
    });
    expect(text.statusCode).toBe(415);
    expect(problemSchema.parse(text.json()).status).toBe(415);
  });
});

describe('idempotent registration', () => {
  it('registers an organisation once for a retried request with the same Idempotency-Key', async () => {
    const headers = {
      ...(await signIn(
        server.app,
        person(platform, 'admin').email,
        person(platform, 'admin').password,
      )),
      'idempotency-key': 'org-1',
    };
    const payload = { name: 'Retry Forwarding', kind: 'forwarder', country: 'GE' };
    const first = await inject({ method: 'POST', url: '/v1/organisations', headers, payload });
    const again = await inject({ method: 'POST', url: '/v1/organisations', headers, payload });
    expect([first.statusCode, again.statusCode, again.headers['idempotent-replayed']]).toEqual([
      201,
      201,
      'true',
    ]);
    expect(again.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
    const all = (await inject({ url: '/v1/organisations', headers })).json<{
      organisations: { name: string }[];
    }>().organisations;
    expect(all.filter((o) => o.name === 'Retry Forwarding')).toHaveLength(1);
    expect(
      (
        await inject({
          method: 'POST',
          url: '/v1/organisations',
          headers,
          payload: { ...payload, country: 'AZ' },
        })
      ).statusCode,
    ).toBe(409);
  });
});
