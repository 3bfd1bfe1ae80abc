import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingSchema } from '../../src/api/bookings.ts';
import { utilisationResponseSchema } from '../../src/api/capacity.ts';
import { planResponseSchema } from '../../src/api/plan.ts';
import {
  apiKeyCaller,
  callersOf,
  manualClock,
  organisationWithPeople,
  signIn,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';

/**
 * Booking from a kept plan, a booking's end (COMPLETED), utilisation for the council, and
 * Idempotency-Key on the POSTs that answer with a secret, on PGlite and on PostgreSQL.
 */
const clock = manualClock();
let server: TestServer;
let shipper: Caller;
let shipperMember: Caller;
let otherShipper: Caller;
let ktz: Caller;
let asco: Caller;
let otherCarrier: Caller;
let council: Caller;
let shipperAdmin: { email: string; password: string };
let shipperOrgId = '';

beforeAll(async () => {
  server = await testServer(undefined, clock);
  const exporter = await organisationWithPeople(server, {
    name: 'Qingdao Exporter',
    kind: 'shipper',
    country: 'CN',
  });
  shipperOrgId = exporter.organisation.id;
  shipperAdmin = exporter.people[0]!;
  const exporterCallers = await callersOf(server, exporter);
  // API keys: the tests move the clock past the end of sessions.
  shipper = exporterCallers.at(-1)!;
  shipperMember = exporterCallers[1]!;
  otherShipper = await apiKeyCaller(server, {
    name: 'Other Exporter',
    kind: 'shipper',
    country: 'KZ',
  });
  ktz = await apiKeyCaller(server, {
    name: 'KTZ Express',
    kind: 'carrier',
    country: 'KZ',
    services: ['SVC_XIAN_BAKU_BLOCK'],
  });
  asco = await apiKeyCaller(server, {
    name: 'ASCO',
    kind: 'carrier',
    country: 'AZ',
    services: ['SVC_FEEDER_AKTAU_ALAT'],
  });
  otherCarrier = await apiKeyCaller(server, {
    name: 'Georgian Railway',
    kind: 'carrier',
    country: 'GE',
    services: ['SVC_ADY_EXPRESS_ALAT_POTI'],
  });
  council = await apiKeyCaller(server, { name: 'Council', kind: 'coordinator', country: 'KZ' });
});
afterAll(() => server.close());

const post = (url: string, who?: Caller, payload?: object, headers: Record<string, string> = {}) =>
  server.app.inject({
    method: 'POST',
    url,
    headers: { ...who?.headers, ...headers },
    ...(payload ? { payload } : {}),
  });
const get = (url: string, who?: Caller) =>
  server.app.inject({ url, ...(who ? { headers: who.headers } : {}) });

async function plan(depart = '2026-12-01') {
  const res = await post('/v1/plans', undefined, {
    from: 'Xian',
    to: 'Baku',
    depart,
    containers: '2x40HC',
  });
  expect(res.statusCode).toBe(200);
  const body = res.json<{ planId: string; planExpiresAt: string }>();
  return { ...planResponseSchema.parse(body), planId: body.planId, expiresAt: body.planExpiresAt };
}

describe('booking an itinerary of a plan', () => {
  it('books the rides the plan found, with its containers and what it promised', async () => {
    const p = await plan();
    expect(p.expiresAt).toBe(new Date(clock.now().getTime() + 24 * 3_600_000).toISOString());
    const it0 = p.itineraries[0]!;
    const res = await post('/v1/bookings', shipper, { planId: p.planId, itineraryId: it0.id });
    expect(res.statusCode).toBe(201);
    const b = bookingSchema.parse(res.json());
    // One ride per trip: the pieces of a ride the plan shows between operations are joined.
    const trips = [...new Set(it0.legs.flatMap((l) => (l.kind === 'ride' ? [l.tripId] : [])))];
    expect(b.rides.map((r) => r.tripId)).toEqual(trips);
    const rideLegs = it0.legs.filter((l) => l.kind === 'ride');
    expect(b.rides[0]!.fromNodeId).toBe(rideLegs[0]!.from);
    expect(b.rides.at(-1)!.toNodeId).toBe(rideLegs.at(-1)!.to);
    expect([b.teu, b.containers]).toEqual([4, p.request.containers]);
    expect(b.promise).toEqual({
      planId: p.planId,
      itineraryId: it0.id,
      arrivalP50: it0.arrivalP50,
      arrivalP90: it0.arrivalP90,
      costUsd: it0.costUsd,
      co2eKg: it0.co2eKg,
    });
    // Other containers than the plan's may be given.
    const one = bookingSchema.parse(
      (
        await post('/v1/bookings', shipper, {
          planId: p.planId,
          itineraryId: it0.id,
          containers: '1x20GP',
        })
      ).json(),
    );
    expect(one.teu).toBe(1);
  });

  it('keeps every one of 40 plans made at once, each bookable', async () => {
    const made = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post('/v1/plans', undefined, {
          from: 'Xian',
          to: 'Baku',
          depart: '2026-12-01',
          containers: `${(i % 5) + 1}x20GP`,
        }),
      ),
    );
    const ids = made.map((r) => r.json<{ planId: string }>().planId);
    expect(new Set(ids).size).toBe(40);
    for (const [i, r] of made.entries()) {
      const found = await server.bookings.plans.find(ids[i]!, clock.now());
      expect(found?.containers, ids[i]).toEqual(
        planResponseSchema.parse(r.json()).request.containers,
      );
    }
  });

  it('names the field when the plan or itinerary is unknown, or the request mixes both ways', async () => {
    const p = await plan();
    const cases: [object, number, string][] = [
      [{ planId: 'pln_doesnotexist', itineraryId: 'it_x' }, 404, 'body.planId'],
      [{ planId: p.planId, itineraryId: 'it_nope' }, 404, 'body.itineraryId'],
      [{ planId: p.planId }, 400, 'body.itineraryId'],
      [
        {
          planId: p.planId,
          itineraryId: p.itineraries[0]!.id,
          rides: [{ tripId: 'SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800', from: 'a', to: 'b' }],
        },
        400,
        'body.rides',
      ],
      [{ containers: '1x40HC' }, 400, 'body.rides'],
    ];
    for (const [payload, status, path] of cases) {
      const res = await post('/v1/bookings', shipper, payload);
      expect([res.statusCode, res.json<{ errors: { path: string }[] }>().errors[0]?.path]).toEqual([
        status,
        path,
      ]);
    }
  });
});

describe('utilisation per service', () => {
  it('shows the council every service and a carrier its own, never who booked', async () => {
    const trip = 'SVC_FEEDER_AKTAU_ALAT@2026-12-03T1800';
    const book = (who: Caller, containers: string) =>
      post('/v1/bookings', who, {
        rides: [{ tripId: trip, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }],
        containers,
      });
    const a = bookingSchema.parse((await book(shipper, '3x40HC')).json());
    await book(otherShipper, '5x20GP');
    await post(`/v1/bookings/${a.id}/rides/0/confirm`, asco);
    const url = '/v1/utilisation?from=2026-12-03&days=1';
    const seen = await get(url, council);
    expect(seen.statusCode).toBe(200);
    const all = utilisationResponseSchema.parse(seen.json());
    const feeder = all.services.find((x) => x.serviceId === 'SVC_FEEDER_AKTAU_ALAT')!;
    expect(feeder).toMatchObject({
      departures: 1,
      capacityTeu: 225,
      heldTeu: 5,
      confirmedTeu: 6,
      utilisation: Math.round((11 / 225) * 1000) / 1000,
    });
    expect(all.services.length).toBeGreaterThan(10);
    expect(seen.body).not.toContain(shipperOrgId);
    expect(seen.body).not.toContain('Exporter');
    const own = utilisationResponseSchema.parse((await get(url, asco)).json());
    expect(own.services.map((x) => x.serviceId)).toEqual(['SVC_FEEDER_AKTAU_ALAT']);
    for (const outsider of [shipper, otherShipper])
      expect((await get(url, outsider)).statusCode, outsider.label).toBe(403);
    expect((await get(url)).statusCode).toBe(401);
    expect((await get('/v1/utilisation?from=2026-02-30', council)).statusCode).toBe(400);
  });
});

describe('Idempotency-Key on every POST', () => {
  const key = (k: string) => ({ 'idempotency-key': k });

  it('gives a retried API-key creation the same key, stored only encrypted', async () => {
    const url = `/v1/organisations/${shipperOrgId}/api-keys`;
    const body = { name: 'erp link', role: 'member' };
    const k = key('2b0e8f3c-4c39-4c1e-9a55-6a1e0c6f1d2a');
    const first = await post(url, shipper, body, k);
    const again = await post(url, shipper, body, k);
    expect([first.statusCode, again.statusCode, again.headers['idempotent-replayed']]).toEqual([
      201,
      201,
      'true',
    ]);
    const secret = first.json<{ key: string }>().key;
    expect(again.json<{ key: string }>().key).toBe(secret);
    const keys = (await get(url, shipper)).json<{ apiKeys: { name: string }[] }>().apiKeys;
    expect(keys.filter((x) => x.name === 'erp link')).toHaveLength(1);
    // The key still works, and the database holds neither it nor the Idempotency-Key.
    expect(
      (await get('/v1/bookings', { ...shipper, headers: { authorization: `Bearer ${secret}` } }))
        .statusCode,
    ).toBe(200);
    const rows = await server.database.db.execute(sql`select * from idempotent_requests`);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain('2b0e8f3c-4c39-4c1e-9a55-6a1e0c6f1d2a');
    expect(dump).not.toContain('erp link');
    // Another body under the key is refused, and nothing is created.
    expect((await post(url, shipper, { ...body, role: 'admin' }, k)).statusCode).toBe(409);
  });

  it('gives a retried user creation the same one-time password', async () => {
    const url = `/v1/organisations/${shipperOrgId}/users`;
    const body = { email: 'ops.retry@exporter.example', name: 'Operations', role: 'member' };
    const first = await post(url, shipper, body, key('user-retry-1'));
    const again = await post(url, shipper, body, key('user-retry-1'));
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.json()).toEqual(first.json());
    expect(first.json<{ password: string }>().password).toMatch(/.{12,}/);
  });

  it('signs in once for a retried login: the same session cookie again', async () => {
    const body = { email: shipperAdmin.email, password: shipperAdmin.password };
    const login = () => post('/v1/auth/login', undefined, body, key('login-retry-1'));
    const first = await login();
    const again = await login();
    const cookie = (r: typeof first) => r.cookies.find((c) => c.name === 'corridor_session')?.value;
    expect([first.statusCode, again.statusCode, again.headers['idempotent-replayed']]).toEqual([
      200,
      200,
      'true',
    ]);
    expect(cookie(again)).toBe(cookie(first));
    expect(again.json()).toEqual(first.json());
    const wrong = await post(
      '/v1/auth/login',
      undefined,
      { ...body, password: 'not the password' },
      key('login-retry-1'),
    );
    expect(wrong.statusCode).toBe(409);
    // A wrong password is answered the same on a retry: still 401.
    const bad = { ...body, password: 'wrong again' };
    expect((await post('/v1/auth/login', undefined, bad, key('login-bad'))).statusCode).toBe(401);
    expect((await post('/v1/auth/login', undefined, bad, key('login-bad'))).statusCode).toBe(401);
    void (await signIn(server.app, body.email, body.password));
  });

  it('answers a retried plan with the same plan id', async () => {
    const body = { from: 'Xian', to: 'Baku', depart: '2026-12-01', containers: '1x40HC' };
    const first = await post('/v1/plans', undefined, body, key('plan-retry-1'));
    const again = await post('/v1/plans', undefined, body, key('plan-retry-1'));
    expect(again.json<{ planId: string }>().planId).toBe(first.json<{ planId: string }>().planId);
    const bad = await post('/v1/plans', undefined, { ...body, from: 'Atlantis' }, key('p-bad'));
    const badAgain = await post(
      '/v1/plans',
      undefined,
      { ...body, from: 'Atlantis' },
      key('p-bad'),
    );
    expect([bad.statusCode, badAgain.statusCode]).toEqual([422, 422]);
    expect(badAgain.json()).toEqual(bad.json());
  });

  it('creates one booking for 20 concurrent retries with one key', async () => {
    const body = {
      rides: [
        {
          tripId: 'SVC_FEEDER_AKTAU_ALAT@2026-12-03T1800',
          from: 'KZ_AKTAU_PORT',
          to: 'AZ_BAKU_PORT_ALAT',
        },
      ],
      containers: '1x20GP',
    };
    const before = (await get('/v1/bookings', shipper)).json<{ bookings: unknown[] }>().bookings
      .length;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => post('/v1/bookings', shipper, body, key('storm-1'))),
    );
    const created = results.filter((r) => r.statusCode === 201);
    // The others were told the first is still running (409), or got its answer.
    expect(results.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    expect(new Set(created.map((r) => r.json<{ id: string }>().id)).size).toBe(1);
    const after = (await get('/v1/bookings', shipper)).json<{ bookings: unknown[] }>().bookings;
    expect(after.length).toBe(before + 1);
    // A retry once it is done gets the booking.
    const late = await post('/v1/bookings', shipper, body, key('storm-1'));
    expect([late.statusCode, late.json<{ id: string }>().id]).toEqual([
      201,
      created[0]?.json<{ id: string }>().id ?? late.json<{ id: string }>().id,
    ]);
    // Each caller has its own keys: the member's session books anew with the same key.
    expect((await post('/v1/bookings', shipperMember, body, key('storm-1'))).statusCode).toBe(201);
  });
});

describe('a plan after its day', () => {
  it('can no longer be booked by its id, and is purged', async () => {
    const p = await plan('2026-12-10');
    clock.advance(24 * 3_600_000 + 1000);
    const res = await post('/v1/bookings', shipper, {
      planId: p.planId,
      itineraryId: p.itineraries[0]!.id,
    });
    expect([res.statusCode, res.json<{ errors: { path: string }[] }>().errors[0]?.path]).toEqual([
      404,
      'body.planId',
    ]);
    expect(await server.bookings.plans.purge(clock.now())).toBeGreaterThan(0);
  });
});

const BLOCK = 'SVC_XIAN_BAKU_BLOCK@2026-12-04T1200';
const FEEDER = 'SVC_FEEDER_AKTAU_ALAT@2026-12-14T1800';
const twoRides = {
  rides: [
    { tripId: BLOCK, from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT' },
    { tripId: FEEDER, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' },
  ],
  containers: '1x40HC',
};

describe('a booking to its end', () => {
  it('is COMPLETED when the carrier of each ride reports it carried, not before it leaves', async () => {
    const b = bookingSchema.parse((await post('/v1/bookings', shipper, twoRides)).json());
    // Nothing to complete while the carriers have not confirmed.
    expect((await post(`/v1/bookings/${b.id}/rides/0/complete`, ktz)).statusCode).toBe(409);
    expect((await post(`/v1/bookings/${b.id}/rides/0/confirm`, ktz)).statusCode).toBe(200);
    expect((await post(`/v1/bookings/${b.id}/rides/1/confirm`, asco)).statusCode).toBe(200);
    const early = await post(`/v1/bookings/${b.id}/rides/0/complete`, ktz);
    expect([early.statusCode, early.json<{ detail: string }>().detail]).toEqual([
      409,
      'ride 0 departs at 2026-12-04T04:00:00.000Z; it cannot be completed before it leaves',
    ]);
    // Only the ride's own carrier reports it.
    for (const outsider of [shipper, asco, otherCarrier, council])
      expect(
        (await post(`/v1/bookings/${b.id}/rides/0/complete`, outsider)).statusCode,
        outsider.label,
      ).toBe(404);

    clock.advance(20 * 86_400_000);
    expect((await post(`/v1/bookings/${b.id}/rides/0/complete`, ktz)).json()).toMatchObject({
      state: 'CONFIRMED',
      rides: [{ state: 'COMPLETED' }],
    });
    const done = bookingSchema.parse(
      (await post(`/v1/bookings/${b.id}/rides/1/complete`, asco)).json(),
    );
    const seen = bookingSchema.parse((await get(`/v1/bookings/${b.id}`, shipper)).json());
    expect([done.state, seen.state, seen.rides.map((r) => r.state)]).toEqual([
      'COMPLETED',
      'COMPLETED',
      ['COMPLETED', 'COMPLETED'],
    ]);
    expect(seen.rides[1]!.completedAt).toBe(clock.now().toISOString());
    // Twice is refused, and a completed booking can no longer be cancelled or amended.
    expect((await post(`/v1/bookings/${b.id}/rides/1/complete`, asco)).statusCode).toBe(409);
    expect((await post(`/v1/bookings/${b.id}/cancel`, shipper)).statusCode).toBe(409);
    expect(
      (await post(`/v1/bookings/${b.id}/amend`, shipper, { containers: '1x20GP' })).statusCode,
    ).toBe(409);
  });

  it('refuses a departure that has already left, naming the ride', async () => {
    const res = await post('/v1/bookings', shipper, twoRides);
    expect([res.statusCode, res.json<{ errors: unknown }>().errors]).toEqual([
      400,
      [
        {
          path: 'body.rides[0].tripId',
          message: `${BLOCK} left CN_XIAN_ITL at 2026-12-04T04:00:00.000Z; it takes no more bookings`,
        },
        {
          path: 'body.rides[1].tripId',
          message: `${FEEDER} left KZ_AKTAU_PORT at 2026-12-14T13:00:00.000Z; it takes no more bookings`,
        },
      ],
    ]);
  });
});
