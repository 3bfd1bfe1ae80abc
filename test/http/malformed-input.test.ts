import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import { seededRng } from '../../src/core/shared/rng.ts';
import { organisationWithPeople, signIn, testServer, type TestServer } from '../support/server.ts';

/**
 * More than 10,000 malformed requests across every endpoint: wrong types, missing and unknown
 * fields, huge strings and arrays, broken JSON, wrong content types, path traversal in ids.
 * Every answer must be a 4xx problem+json; none a 5xx; the server stays healthy. Then text that
 * is not text (lone surrogates, NUL) in every string field of every request body, every query
 * and path parameter and the headers of every route the OpenAPI document lists: 400 naming it.
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

/** Every body above, and those with free text the random sweep leaves out: profiles, scenarios. */
function textBodies(): { method: 'POST' | 'PUT'; url: string; body: Record<string, unknown> }[] {
  return [
    ...validBodies(),
    {
      method: 'PUT',
      url: `/v1/organisations/${orgId}/profile`,
      body: { descriptions: { en: 'Rail and port services' }, contact: { address: 'Baku' } },
    },
    {
      method: 'POST',
      url: '/v1/simulations',
      body: { scenario: { name: 'fuzz', base: 'base.json', changes: [] }, days: 30 },
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
        // Not /v3/events: DCSA clients may send parameters it does not know, and it ignores them.
        url: `/${pick(['v1/timetable', 'v1/departures', 'v1/utilisation', 'v1/customs/queue', 'v1/customs/release-times'])}?${q}`,
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
      const problem = refusal(req, res);
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

/**
 * Whether an answer is a refusal in the API's words: RFC 9457 problem+json; on the DCSA APIs
 * (/v2/..., /v3/...) the DCSA error object.
 */
function refusal(req: InjectOptions, res: { headers: Record<string, unknown>; body: string }) {
  const raw = res.headers['content-type'];
  const type = typeof raw === 'string' ? raw : '';
  if (type.startsWith('application/problem+json')) return true;
  const url = typeof req.url === 'string' ? req.url : '';
  // DCSA's own error objects: TNT 3.0 under /v3, Booking 2.0 under /v2.
  if (!/^\/v[23]\//.test(url) || !type.startsWith('application/json')) return false;
  const body = JSON.parse(res.body) as { statusCode?: unknown; errors?: unknown[] };
  return typeof body.statusCode === 'number' && (body.errors?.length ?? 0) > 0;
}

/**
 * The fields a refusal names (problem+json errors[].path, TNT errors[].field, Booking 2.0
 * errors[].property).
 */
function fieldsNamed(body: string): string[] {
  return (
    JSON.parse(body) as { errors: { path?: string; field?: string; property?: string }[] }
  ).errors.map((e) => e.path ?? e.field ?? e.property ?? '');
}

/** Text no field, query parameter or header accepts: lone surrogates and NUL. */
const NOT_TEXT = ['\ud800', 'end\udbff', '\udc00start', 'nul\u0000inside', '\u0000'];

/** Every string leaf of a JSON value with its path as the platform names it. */
function stringLeaves(v: unknown, path: string): string[] {
  if (typeof v === 'string') return [path];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringLeaves(x, `${path}[${i}]`));
  if (v !== null && typeof v === 'object')
    return Object.entries(v).flatMap(([k, x]) => stringLeaves(x, `${path}.${k}`));
  return [];
}

/** The value with the string at `path` (as stringLeaves names it) replaced. */
function replaced(v: unknown, path: string, at: string, value: string): unknown {
  if (path === at) return value;
  if (Array.isArray(v)) return v.map((x, i) => replaced(x, `${path}[${i}]`, at, value));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, replaced(x, `${path}.${k}`, at, value)]),
    );
  return v;
}

/** A JSON Schema as the OpenAPI document carries it (the parts a sweep walks). */
interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

/**
 * Every string field a request body schema has, as the path the platform names (`body.a[0].b`)
 * and a body that holds `value` there and nothing else. Each alternative of a union counts; a
 * schema met again inside itself is not walked twice.
 */
function stringFieldsOf(
  schema: Schema,
  components: Record<string, Schema>,
  path = 'body',
  seen: ReadonlySet<string> = new Set(),
): { path: string; body: (value: string) => unknown }[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return [];
    return stringFieldsOf(components[name]!, components, path, new Set([...seen, name]));
  }
  const out: { path: string; body: (value: string) => unknown }[] = [];
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
    out.push(...stringFieldsOf(branch, components, path, seen));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('string')) out.push({ path, body: (value) => value });
  for (const [key, child] of Object.entries(schema.properties ?? {}))
    for (const f of stringFieldsOf(child, components, `${path}.${key}`, seen))
      out.push({ path: f.path, body: (value) => ({ [key]: f.body(value) }) });
  if (schema.items)
    for (const f of stringFieldsOf(schema.items, components, `${path}[0]`, seen))
      out.push({ path: f.path, body: (value) => [f.body(value)] });
  return out;
}

/** The operations of the served OpenAPI document. */
async function operations(): Promise<
  {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    template: string;
    params: string[];
    body?: Schema;
    /** A body of another type than JSON that is one string (XML): its content type. */
    textBody?: string;
  }[]
> {
  const doc = (await server.app.inject({ url: '/openapi.json' })).json<{
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { in: string; name: string }[];
          requestBody?: { content: Record<string, { schema: Schema }> };
        }
      >
    >;
  }>();
  return Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase() as 'GET',
      template,
      params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      ...(op.requestBody?.content['application/json']
        ? { body: op.requestBody.content['application/json'].schema }
        : {}),
      ...Object.entries(op.requestBody?.content ?? {})
        .filter(([type, c]) => type !== 'application/json' && c.schema.type === 'string')
        .slice(0, 1)
        .map(([type]) => ({ textBody: type }))[0],
    })),
  );
}

describe('text that is not text', () => {
  /** The answer is 400 problem+json naming exactly that field. */
  async function refusedNaming(req: InjectOptions, path: string) {
    const res = await server.app.inject(req);
    const label = `${req.method ?? 'GET'} ${typeof req.url === 'string' ? req.url : JSON.stringify(req.url)} ${path}`;
    expect(res.statusCode, `${label}: ${res.body.slice(0, 200)}`).toBe(400);
    expect(refusal(req, res), label).toBe(true);
    expect(fieldsNamed(res.body), label).toContain(path);
  }

  it('is refused in every string field of every body, naming the field', async () => {
    let tried = 0;
    for (const v of textBodies())
      for (const path of stringLeaves(v.body, 'body'))
        for (const bad of NOT_TEXT) {
          await refusedNaming(
            {
              method: v.method,
              url: v.url,
              headers: auth[1]!,
              payload: replaced(v.body, 'body', path, bad) as object,
            },
            path,
          );
          tried++;
        }
    // Holder names, goods descriptions, document particulars, profile descriptions, scenario names.
    expect(tried).toBeGreaterThan(60 * NOT_TEXT.length);
  });

  it('is refused in every query parameter of every route, naming the parameter', async () => {
    const doc = (await server.app.inject({ url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
    }>();
    let tried = 0;
    for (const [template, operations] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(operations))
        for (const param of (op.parameters ?? []).filter((p) => p.in === 'query')) {
          const url = template.replace(/\{[^}]+\}/g, 'x_1');
          // A NUL is sent as %00; a lone surrogate cannot be percent-encoded, its UTF-8 bytes can.
          for (const encoded of ['%00', 'a%00b'])
            await refusedNaming(
              {
                method: method.toUpperCase() as 'GET',
                url: `${url}?${encodeURIComponent(param.name)}=${encoded}`,
                headers: auth[1]!,
              },
              `query.${param.name}`,
            );
          const res = await server.app.inject({
            method: method.toUpperCase() as 'GET',
            url: `${url}?${encodeURIComponent(param.name)}=%ED%A0%80`,
            headers: auth[1]!,
          });
          expect(res.statusCode, `${template} ${param.name}`).toBeLessThan(500);
          tried++;
        }
    // /v3/events, /v1/directory, the timetable, departures, utilisation, customs queues...
    expect(tried).toBeGreaterThan(25);
  });

  it('is refused in every header, naming the header', async () => {
    const routes: InjectOptions[] = [
      { method: 'GET', url: '/v1/timetable' },
      { method: 'GET', url: '/v1/bookings' },
      { method: 'POST', url: '/v1/plans', payload: validBodies()[0]!.body },
      { method: 'POST', url: '/v1/shipments', payload: validBodies()[7]!.body },
    ];
    const headers = [
      'authorization',
      'cookie',
      'idempotency-key',
      'x-csrf-token',
      'accept',
      'accept-language',
      'user-agent',
      'x-forwarded-for',
      'x-request-id',
      'if-none-match',
      'origin',
      'x-anything',
    ];
    for (const route of routes)
      for (const name of headers)
        for (const bad of NOT_TEXT)
          await refusedNaming(
            { ...route, headers: { ...auth[1]!, [name]: bad } },
            `header.${name}`,
          );
  });

  it('is refused in every string field of every request body the API documents, naming the field', async () => {
    const components = (await server.app.inject({ url: '/openapi.json' })).json<{
      components: { schemas: Record<string, Schema> };
    }>().components.schemas;
    let bodies = 0;
    let fields = 0;
    for (const op of await operations()) {
      const url = op.template.replace(/\{[^}]+\}/g, 'x_1');
      if (op.textBody) {
        // An XML body is one string, refused as a whole. Its bytes are UTF-8, in which a lone
        // surrogate cannot be written (it arrives as U+FFFD): only NUL can reach it.
        for (const bad of NOT_TEXT.filter((t) => t.includes('\u0000')))
          await refusedNaming(
            {
              method: op.method,
              url,
              headers: { ...auth[1]!, 'content-type': op.textBody },
              payload: `<CC028C>${bad}</CC028C>`,
            },
            'body',
          );
        bodies++;
      }
      if (!op.body) continue;
      bodies++;
      for (const field of stringFieldsOf(op.body, components)) {
        for (const bad of NOT_TEXT)
          await refusedNaming(
            { method: op.method, url, headers: auth[1]!, payload: field.body(bad) as object },
            field.path,
          );
        fields++;
      }
    }
    // Every documented JSON body: accounts, bookings, shipments, events, customs, documents,
    // directory, subscriptions, simulations...
    expect(bodies).toBeGreaterThan(30);
    expect(fields).toBeGreaterThan(200);
  });

  it('is refused in every path parameter and, on every route, in a header, naming it', async () => {
    let params = 0;
    for (const op of await operations()) {
      const url = op.template.replace(/\{[^}]+\}/g, 'x_1');
      for (const name of op.params) {
        await refusedNaming(
          {
            method: op.method,
            url: op.template.replace(`{${name}}`, 'a%00b').replace(/\{[^}]+\}/g, 'x_1'),
            headers: auth[1]!,
          },
          `params.${name}`,
        );
        params++;
      }
      for (const [header, bad] of [
        ['idempotency-key', 'k\u0000'],
        ['x-anything', '\ud800'],
      ] as const)
        await refusedNaming(
          { method: op.method, url, headers: { ...auth[1]!, [header]: bad } },
          `header.${header}`,
        );
    }
    expect(params).toBeGreaterThan(40);
  });

  it('answers the requests that once failed with 400 naming the field', async () => {
    await refusedNaming({ url: '/v1/directory?q=%00', headers: auth[1]! }, 'query.q');
    await refusedNaming(
      { url: '/v3/events?equipmentReference=AB%00', headers: auth[1]! },
      'query.equipmentReference',
    );
    const declaration = validBodies().find((v) => v.url === '/v1/customs/declarations')!;
    await refusedNaming(
      {
        method: 'POST',
        url: declaration.url,
        headers: auth[1]!,
        payload: replaced(declaration.body, 'body', 'body.holder.name', 'Holder \ud800') as object,
      },
      'body.holder.name',
    );
  });
});
