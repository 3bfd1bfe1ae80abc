import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import { seededRng } from '../../src/core/shared/rng.ts';
import { organisationWithPeople, signIn, testServer, type TestServer } from '../support/server.ts';

/**
 * More than 10,000 malformed requests across every endpoint: wrong types, missing and unknown
 * fields, huge strings and arrays, broken JSON, wrong content types, path traversal in ids.
 * Every answer must be a 4xx problem+json; none a 5xx; the server stays healthy.
 */
let server: TestServer;
let orgId: string;
let keyId: string;
let auth: Record<string, string>[];

beforeAll(async () => {
  server = await testServer();
  const platform = await organisationWithPeople(server, {
    name: 'Platform',
    kind: 'platform',
    country: 'AZ',
  });
  orgId = platform.organisation.id;
  const { key, apiKey } = await createApiKey(server.accounts, undefined, orgId, {
    name: 'fuzz',
    role: 'admin',
  });
  keyId = apiKey.id;
  const admin = platform.people.find((p) => p.role === 'admin')!;
  auth = [
    {},
    { authorization: `Bearer ${key}` },
    await signIn(server.app, admin.email, admin.password),
  ];
});
afterAll(() => server.close());

const rng = seededRng(20261127);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
const huge = (n: number) => 'A'.repeat(n);

/** Values of the wrong type for any field (every field of the bodies below is a string). */
const WRONG = [
  42,
  -1,
  1e308,
  true,
  null,
  [],
  [1, 2],
  {},
  { a: 1 },
  Array.from({ length: 5000 }, () => 'x'),
];
/** Strings no field accepts. */
const BAD_STRINGS = ['', 'nul\u0000inside', huge(20_000)];

/** Valid bodies; each generated request breaks them in one or more ways. */
function validBodies(): { method: 'POST'; url: string; body: Record<string, unknown> }[] {
  return [
    {
      method: 'POST',
      url: '/v1/plans',
      body: { from: 'Xian', to: 'Baku', depart: '2026-12-01', containers: '1x40HC' },
    },
    {
      method: 'POST',
      url: '/v1/auth/login',
      body: { email: 'a@test.example', password: 'password-long-enough' },
    },
    {
      method: 'POST',
      url: '/v1/organisations',
      body: { name: 'Fuzz Co', kind: 'shipper', country: 'AZ' },
    },
    {
      method: 'POST',
      url: `/v1/organisations/${orgId}/users`,
      body: { email: 'u@test.example', name: 'U', role: 'member' },
    },
    { method: 'POST', url: `/v1/organisations/${orgId}/api-keys`, body: { name: 'k' } },
    {
      method: 'POST',
      url: '/v1/bookings',
      body: {
        rides: [
          {
            tripId: 'SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800',
            from: 'KZ_AKTAU_PORT',
            to: 'AZ_BAKU_PORT_ALAT',
          },
        ],
        containers: '1x40HC',
      },
    },
    {
      method: 'POST',
      url: '/v1/bookings',
      body: { planId: 'pln_abc123', itineraryId: 'it_x', containers: '1x40HC' },
    },
    {
      method: 'POST',
      url: '/v1/shipments',
      body: {
        rides: [
          {
            tripId: 'SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800',
            from: 'KZ_AKTAU_PORT',
            to: 'AZ_BAKU_PORT_ALAT',
          },
        ],
        containers: [{ equipmentReference: 'CSQU3054383' }],
      },
    },
    {
      method: 'POST',
      url: '/v1/events',
      body: {
        eventID: '3910eb91-8791-4699-8029-8bba8cedb6f5',
        eventCreatedDateTime: '2026-12-01T10:00:00Z',
        eventDateTime: '2026-12-01T10:00:00Z',
        eventType: 'EQUIPMENT',
        eventClassifierCode: 'ACT',
        equipmentEventTypeCode: 'GTIN',
        equipmentReference: 'CSQU3054383',
        eventLocation: { UNLocationCode: 'KZAAU' },
      },
    },
    {
      method: 'POST',
      url: '/v1/customs/declarations',
      body: {
        lrn: 'LRN-FUZZ',
        holder: { name: 'H', identificationNumber: 'CN123', country: 'CN' },
        guarantee: { reference: 'GRN1', amount: 1000, currency: 'USD' },
        consignments: [
          {
            consignor: { name: 'A', country: 'CN' },
            consignee: { name: 'B', country: 'AZ' },
            goodsItems: [
              {
                hsCode: '851712',
                description: 'phones',
                packages: { count: 1, kind: 'CT' },
                grossMassKg: 2,
                netMassKg: 1,
                value: 10,
                currency: 'USD',
                countryOfOrigin: 'CN',
              },
            ],
          },
        ],
        itinerary: [{ country: 'CN', regime: 'export', office: 'CNHRS001' }],
      },
    },
    {
      method: 'POST',
      url: '/v1/customs/declarations/dcl_x/segments/KZ/actions',
      body: { type: 'hold', note: 'licence' },
    },
    {
      method: 'POST',
      url: '/v1/service-requests',
      body: { providerId: 'org_x', service: 'warehousing', description: 'x' },
    },
    {
      method: 'POST',
      url: '/v1/trade-listings',
      body: {
        kind: 'export',
        hsCode: '080222',
        description: 'x',
        // Without its tonnes a month: a number mutated into another number would be valid.
        place: 'Baku',
      },
    },
    {
      method: 'POST',
      url: '/v1/service-requests/srq_x/actions',
      body: {
        type: 'offer',
        price: 1,
        currency: 'USD',
        validUntil: '2027-01-01T00:00:00Z',
        terms: 'x',
      },
    },
    {
      method: 'POST',
      url: '/v1/shipments/shp_x/documents',
      body: {
        kind: 'rail_consignment_note',
        particulars: {
          consignor: { name: 'A', country: 'CN' },
          wagons: [{ number: '318064561000', containers: ['MSKU1234565'] }],
          consignorDeclarations: ['x'],
        },
      },
    },
  ];
}

const TRAVERSAL = [
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '....//....//',
  'org_../../x',
  '%00',
  'org_%00',
  'org_' + huge(300),
  '%C0%AE%C0%AE%2F',
  'org_😀',
  "org_1' OR '1'='1",
  'org_1;DROP TABLE users',
  '..\\..\\windows',
];

/** One malformed request. */
function malformed(): InjectOptions {
  const headers = { ...pick(auth) };
  switch (Math.floor(rng.next() * 9)) {
    case 0: {
      // A field of the wrong type.
      const v = pick(validBodies());
      const body = {
        ...v.body,
        [pick(Object.keys(v.body))]: rng.next() < 0.8 ? pick(WRONG) : pick(BAD_STRINGS),
      };
      // Idempotency keys too long, empty or odd.
      if (rng.next() < 0.2)
        headers['idempotency-key'] = pick(['', huge(300), 'key with spaces', 'k']);
      if (
        v.url === '/v1/plans' &&
        typeof body.containers === 'string' &&
        typeof body.from === 'string' &&
        typeof body.to === 'string'
      )
        body.depart = 12;
      return { method: v.method, url: v.url, headers, payload: body };
    }
    case 1: {
      // A required field missing (the first one of each body is required).
      const v = pick(validBodies());
      const body = { ...v.body };
      delete body[Object.keys(body)[0]!];
      return { method: v.method, url: v.url, headers, payload: body };
    }
    case 2: {
      // An unknown field.
      const v = pick(validBodies());
      return {
        method: v.method,
        url: v.url,
        headers,
        payload: { ...v.body, [pick(['extra', '__proto__x', 'isAdmin', 'role_'])]: pick(WRONG) },
      };
    }
    case 3: {
      // Huge strings and arrays.
      const v = pick(validBodies());
      const key = pick(Object.keys(v.body));
      return {
        method: v.method,
        url: v.url,
        headers,
        payload: {
          ...v.body,
          [key]: pick([
            huge(200_000),
            huge(1_100_000),
            Array.from({ length: 20_000 }, (_, i) => i),
          ]),
        },
      };
    }
    case 4: {
      // Broken JSON.
      const v = pick(validBodies());
      const text = JSON.stringify(v.body);
      const broken = pick([
        text.slice(0, Math.max(1, Math.floor(rng.next() * text.length) - 1)),
        text.replace('}', ',}'),
        text.replace(':', ''),
        `${text}${text}`,
        '{"__proto__": {"admin": true}}',
        '{"constructor": {"prototype": {"admin": true}}}',
        'null',
        '[]',
        '"string"',
        '{',
        '\u0000\u0001',
        '{"a":' + '['.repeat(5000),
      ]);
      return {
        method: v.method,
        url: v.url,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: broken,
      };
    }
    case 5: {
      // Wrong content types.
      const v = pick(validBodies());
      const type = pick([
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        'image/png',
        'application/jsonx',
      ]);
      return {
        method: v.method,
        url: v.url,
        headers: { ...headers, 'content-type': type },
        payload: type.includes('form') ? 'from=Xian&to=Baku' : JSON.stringify(v.body),
      };
    }
    case 6: {
      // Path traversal and junk in ids.
      const bad = pick(TRAVERSAL);
      const url = pick([
        `/v1/organisations/${bad}`,
        `/v1/organisations/${bad}/users`,
        `/v1/organisations/${bad}/api-keys`,
        `/v1/organisations/${orgId}/api-keys/${bad}`,
        `/v1/organisations/${bad}/api-keys/${keyId}`,
        `/v1/departures/${bad}`,
        `/v1/bookings/${bad}`,
        `/v1/bookings/${bad}/cancel`,
        `/v1/bookings/${bad}/rides/0/request-update`,
        `/v1/bookings/${bad}/rides/0/confirm`,
        `/v1/bookings/bkg_x/rides/${bad}/decline`,
        `/v1/bookings/${bad}/rides/0/complete`,
        `/v1/shipments/${bad}`,
        `/v1/customs/declarations/${bad}`,
        `/v1/customs/declarations/${bad}/segments/KZ/replay`,
        `/v1/customs/rule-sets/${bad}`,
        `/v1/shipments/${bad}/documents`,
        `/v1/documents/${bad}`,
        `/v1/documents/${bad}.pdf`,
        `/v1/documents/${bad}/verify`,
        `/v1/organisations/${bad}/profile`,
        `/v1/service-requests/${bad}`,
        `/v1/trade-listings/${bad}`,
      ]);
      const method = url.startsWith('/v1/trade-listings/')
        ? 'DELETE'
        : url.startsWith('/v1/departures/')
          ? 'PATCH'
          : /\/(cancel|confirm|decline|request-update)$/.test(url)
            ? 'POST'
            : url.endsWith('/users') || url.endsWith('/api-keys')
              ? pick(['GET', 'POST'] as const)
              : url.includes('/api-keys/')
                ? 'DELETE'
                : 'GET';
      return {
        method,
        url,
        headers,
        ...(method === 'POST'
          ? { payload: { name: 'x', email: 'x@test.example', role: 'member' } }
          : {}),
      };
    }
    case 7: {
      // Bad query strings on the timetable.
      const q = pick([
        'days=abc',
        'days=-1',
        'days=0',
        'days=100000',
        'days=1.5',
        'from=2026-02-30',
        'from=yesterday',
        'from=' + huge(5000),
        'service=SVC_NOPE',
        'service=' + huge(300),
        'unknown=1',
        'days=1&days=2',
        'from[]=x',
        'service=' + Array.from({ length: 200 }, (_, i) => `service=S${i}`).join('&'),
      ]);
      return {
        method: 'GET',
        url: `/${pick(['v1/timetable', 'v1/departures', 'v1/utilisation', 'v3/events', 'v1/customs/queue', 'v1/customs/release-times'])}?${q}`,
        headers,
      };
    }
    default: {
      // Valid shapes the planner cannot read.
      const payload = pick([
        { from: 'Atlantis', to: 'Baku', containers: '1x40HC' },
        { from: 'Xian', to: 'Xian', containers: '1x40HC' },
        { from: 'Xian', to: 'Baku', containers: '0x40HC' },
        { from: 'Xian', to: 'Baku', containers: '2x99ZZ' },
        { from: 'Xian', to: 'Baku', containers: '1x40HC', depart: '31/12/2026' },
        {
          from: 'Xian',
          to: 'Baku',
          containers: '1x40HC',
          depart: '2026-12-01',
          arriveBy: '2026-11-01',
        },
        { from: '../../etc/passwd', to: 'Baku', containers: '1x40HC' },
        { from: 'Xian', to: 'Baku', containers: [{ type: '40HC', count: 0 }] },
      ]);
      return { method: 'POST', url: '/v1/plans', headers, payload };
    }
  }
}

describe('malformed requests', () => {
  it('answers 10,000 malformed requests with 4xx problem+json and never a 5xx', async () => {
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const N = 10_200;
    for (let i = 0; i < N; i++) {
      const req = malformed();
      const res = await server.app.inject(req);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const problem = res.headers['content-type']
        ?.toString()
        .startsWith('application/problem+json');
      if (res.statusCode < 400 || res.statusCode >= 500 || !problem) {
        if (failures.length < 10)
          failures.push(
            `${res.statusCode} ${req.method} ${(typeof req.url === 'string' ? req.url : JSON.stringify(req.url)).slice(0, 120)} ${res.body.slice(0, 200)}`,
          );
      }
    }
    expect(failures).toEqual([]);
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    // Many kinds of refusal, not one catch-all.
    expect([...statuses.keys()].sort()).toEqual(
      expect.arrayContaining([400, 404, 413, 414, 415, 422]),
    );
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(N);
  });

  it('is still healthy and ready afterwards', async () => {
    expect((await server.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await server.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    const plan = await server.app.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: { from: 'Xian', to: 'Baku', depart: '2026-12-01', containers: '1x40HC' },
    });
    expect(plan.statusCode).toBe(200);
  });
});
