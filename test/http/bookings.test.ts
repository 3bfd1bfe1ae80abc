import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingSchema } from '../../src/api/bookings.ts';
import { departuresResponseSchema } from '../../src/api/capacity.ts';
import { expireBookings } from '../../src/app/bookings.ts';
import {
  callersOf,
  manualClock,
  organisationWithPeople,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';

/** Booking every ride at once, over HTTP, on PGlite and on PostgreSQL. */
const clock = manualClock();
let server: TestServer;
let shipper: Caller;
let otherShipper: Caller;
let ktz: Caller;
let asco: Caller;
let otherCarrier: Caller;
let council: Caller;

const BLOCK = 'SVC_XIAN_BAKU_BLOCK@2026-12-01T1200';
const FEEDER = 'SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800';

beforeAll(async () => {
  server = await testServer(undefined, clock);
  const adminOf = async (input: Parameters<typeof organisationWithPeople>[1]) =>
    (await callersOf(server, await organisationWithPeople(server, input)))[0]!;
  shipper = await adminOf({ name: 'Qingdao Exporter', kind: 'shipper', country: 'CN' });
  otherShipper = await adminOf({ name: 'Other Exporter', kind: 'shipper', country: 'KZ' });
  ktz = await adminOf({
    name: 'KTZ Express',
    kind: 'carrier',
    country: 'KZ',
    services: ['SVC_XIAN_BAKU_BLOCK'],
  });
  asco = await adminOf({
    name: 'ASCO',
    kind: 'carrier',
    country: 'AZ',
    services: ['SVC_FEEDER_AKTAU_ALAT'],
  });
  otherCarrier = await adminOf({
    name: 'Georgian Railway',
    kind: 'carrier',
    country: 'GE',
    services: ['SVC_ADY_EXPRESS_ALAT_POTI'],
  });
  council = await adminOf({ name: 'Council', kind: 'coordinator', country: 'KZ' });
});
afterAll(() => server.close());

const post = (url: string, who: Caller, payload?: object, headers: Record<string, string> = {}) =>
  server.app.inject({
    method: 'POST',
    url,
    headers: { ...who.headers, ...headers },
    ...(payload ? { payload } : {}),
  });
const get = (url: string, who?: Caller) =>
  server.app.inject({ url, ...(who ? { headers: who.headers } : {}) });
const twoRides = (containers = '2x40HC') => ({
  rides: [
    { tripId: BLOCK, from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT' },
    { tripId: FEEDER, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' },
  ],
  containers,
});
async function available(
  tripId: string,
  service: string,
  leg = 0,
): Promise<{ heldTeu: number; confirmedTeu: number; availableTeu: number }> {
  const res = await get(
    `/v1/departures?service=${service}&from=${tripId.slice(tripId.indexOf('@') + 1, tripId.indexOf('@') + 11)}&days=1`,
  );
  return departuresResponseSchema.parse(res.json()).departures.find((d) => d.tripId === tripId)!
    .legs[leg]!;
}

describe('booking an itinerary', () => {
  it('holds every leg of every ride, and confirms when each carrier has confirmed its ride', async () => {
    const res = await post('/v1/bookings', shipper, twoRides());
    expect(res.statusCode).toBe(201);
    const b = bookingSchema.parse(res.json());
    expect([b.state, b.teu, b.rides.map((r) => r.state)]).toEqual([
      'RECEIVED',
      4,
      ['REQUESTED', 'REQUESTED'],
    ]);
    expect(b.holdExpiresAt).toBe(new Date(clock.now().getTime() + 30 * 60_000).toISOString());
    expect(await available(FEEDER, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({
      heldTeu: 4,
      confirmedTeu: 0,
    });
    expect(await available(BLOCK, 'SVC_XIAN_BAKU_BLOCK', 2)).toMatchObject({ heldTeu: 4 });

    // Each carrier sees the booking with its own ride only.
    const seenByAsco = bookingSchema.parse((await get(`/v1/bookings/${b.id}`, asco)).json());
    expect(seenByAsco.rides.map((r) => r.serviceId)).toEqual(['SVC_FEEDER_AKTAU_ALAT']);
    expect((await post(`/v1/bookings/${b.id}/rides/1/confirm`, asco)).json()).toMatchObject({
      state: 'RECEIVED',
    });
    const done = await post(`/v1/bookings/${b.id}/rides/0/confirm`, ktz);
    expect(done.json()).toMatchObject({ state: 'CONFIRMED' });
    expect(await available(FEEDER, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({
      heldTeu: 0,
      confirmedTeu: 4,
    });
    // A second decision on a decided ride is refused.
    expect((await post(`/v1/bookings/${b.id}/rides/1/decline`, asco)).statusCode).toBe(409);

    // Cancelling a confirmed booking asks its carriers: it stays CONFIRMED with its capacity
    // until every carrier confirms the cancellation, which gives the confirmed capacity back.
    expect((await post(`/v1/bookings/${b.id}/cancel`, shipper)).json()).toMatchObject({
      state: 'CONFIRMED',
      cancellation: { status: 'CANCELLATION_RECEIVED' },
    });
    expect(await available(FEEDER, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({ confirmedTeu: 4 });
    expect(
      (await post(`/v1/bookings/${b.id}/rides/1/cancellation/confirm`, asco)).json(),
    ).toMatchObject({ state: 'CONFIRMED' });
    expect(
      (await post(`/v1/bookings/${b.id}/rides/0/cancellation/confirm`, ktz)).json(),
    ).toMatchObject({ state: 'CANCELLED', cancellation: { status: 'CANCELLATION_CONFIRMED' } });
    expect(await available(FEEDER, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({
      heldTeu: 0,
      confirmedTeu: 0,
      availableTeu: 225,
    });
  });

  it('frees the capacity when a carrier declines, REJECTED as DCSA names a stop before confirmation', async () => {
    const b = bookingSchema.parse((await post('/v1/bookings', shipper, twoRides('1x20GP'))).json());
    expect((await post(`/v1/bookings/${b.id}/rides/0/decline`, ktz)).json()).toMatchObject({
      state: 'REJECTED',
      reason: 'SVC_XIAN_BAKU_BLOCK declined ride 0',
    });
    expect(await available(BLOCK, 'SVC_XIAN_BAKU_BLOCK', 2)).toMatchObject({ heldTeu: 0 });
  });

  it('rejects a booking whose hold ran out and gives its capacity back', async () => {
    const b = bookingSchema.parse((await post('/v1/bookings', shipper, twoRides('1x40HC'))).json());
    clock.advance(29 * 60_000);
    expect(await expireBookings(server.bookings)).toBe(0);
    clock.advance(60_000);
    expect(await expireBookings(server.bookings)).toBe(1);
    expect((await get(`/v1/bookings/${b.id}`, shipper)).json()).toMatchObject({
      state: 'REJECTED',
      reason: 'the hold expired before every carrier confirmed',
    });
    expect(await available(FEEDER, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({ heldTeu: 0 });
    // Too late to confirm.
    expect((await post(`/v1/bookings/${b.id}/rides/1/confirm`, asco)).statusCode).toBe(409);
  });

  it('says why a booking does not fit, in terms a user acts on, and holds nothing', async () => {
    const res = await post('/v1/bookings', shipper, { ...twoRides(), containers: '120x20GP' });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ detail: string }>().detail).toMatch(
      /^insufficient capacity on leg Xi'an→Khorgos \(trip SVC_XIAN_BAKU_BLOCK@2026-12-01T1200\): 110 TEU available, 120 requested$/,
    );
    expect(await available(FEEDER, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({ heldTeu: 0 });
  });

  it('refuses, by ride, a ride that no carrier on the platform operates, and holds nothing', async () => {
    // Nobody here operates the Baku port – Alat FEZ truck shuttle: nobody could confirm it.
    const truck = departuresResponseSchema.parse(
      (await get('/v1/departures?service=SVC_ALAT_PORT_FEZ_SHUTTLE&from=2026-12-04&days=1')).json(),
    ).departures[0]!.tripId;
    const bookingCount = async () =>
      (await get('/v1/bookings', shipper)).json<{ bookings: unknown[] }>().bookings.length;
    const before = await bookingCount();
    const res = await post('/v1/bookings', shipper, {
      ...twoRides('1x40HC'),
      rides: [...twoRides().rides, { tripId: truck, from: 'AZ_BAKU_PORT_ALAT', to: 'AZ_ALAT_FEZ' }],
    });
    expect(res.statusCode).toBe(409);
    const problem = res.json<{ detail: string; errors: { path: string; message: string }[] }>();
    expect(problem.errors.map((e) => e.path)).toEqual(['body.rides[2]']);
    expect(problem.detail).toMatch(
      /^no carrier on the platform operates Baku port - Alat FEZ truck shuttle \(SVC_ALAT_PORT_FEZ_SHUTTLE\), so nobody could confirm this ride/,
    );
    expect(await available(FEEDER, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({ heldTeu: 0 });
    expect(await bookingCount()).toBe(before);
  });

  it('names the field of a bad ride', async () => {
    const res = await post('/v1/bookings', shipper, {
      rides: [{ tripId: FEEDER, from: 'AZ_BAKU_PORT_ALAT', to: 'KZ_AKTAU_PORT' }],
      containers: '1x40HC',
    });
    expect([res.statusCode, res.json<{ errors: unknown }>().errors]).toEqual([
      400,
      [{ path: 'body.rides[0].to', message: `KZ_AKTAU_PORT is not a later stop of ${FEEDER}` }],
    ]);
    const hazardous = await post('/v1/bookings', shipper, {
      rides: [
        {
          tripId: 'SVC_ASCO_ROPAX_KURYK_ALAT@2026-12-01T2000',
          from: 'KZ_KURYK_PORT',
          to: 'AZ_BAKU_PORT_ALAT',
        },
      ],
      containers: '1x40HC',
      hazardous: true,
    });
    expect(hazardous.statusCode === 400 || hazardous.statusCode === 409).toBe(true);
  });
});

describe('concurrency', () => {
  it('gives the last 10 TEU of a departure to exactly 10 of 200 concurrent bookings', async () => {
    const trip = 'SVC_FEEDER_AKTAU_ALAT@2026-12-02T1800';
    const fill = await post('/v1/bookings', otherShipper, {
      rides: [{ tripId: trip, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }],
      containers: '215x20GP',
    });
    expect(fill.statusCode).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        post('/v1/bookings', shipper, {
          rides: [{ tripId: trip, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }],
          containers: '1x20GP',
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(10);
    expect(codes.filter((c) => c === 409)).toHaveLength(190);
    expect(await available(trip, 'SVC_FEEDER_AKTAU_ALAT')).toEqual(
      expect.objectContaining({ heldTeu: 225, confirmedTeu: 0, availableTeu: 0 }),
    );
  });
});

describe('idempotency', () => {
  it('answers a retried POST with the same booking, and refuses the key for another body', async () => {
    const key = { 'idempotency-key': 'retry-1' };
    const first = await post('/v1/bookings', shipper, twoRides('1x20GP'), key);
    const again = await post('/v1/bookings', shipper, twoRides('1x20GP'), key);
    expect(first.statusCode).toBe(201);
    expect([
      again.statusCode,
      again.json<{ id: string }>().id,
      again.headers['idempotent-replayed'],
    ]).toEqual([201, first.json<{ id: string }>().id, 'true']);
    expect(
      (await get('/v1/bookings', shipper))
        .json<{ bookings: { id: string }[] }>()
        .bookings.filter((b) => b.id === first.json<{ id: string }>().id),
    ).toHaveLength(1);
    const other = await post('/v1/bookings', shipper, twoRides('2x20GP'), key);
    expect(other.statusCode).toBe(409);
    // Another organisation's key space is its own.
    expect((await post('/v1/bookings', otherShipper, twoRides('1x20GP'), key)).statusCode).toBe(
      201,
    );
  });
});

describe('who sees and decides what', () => {
  it('keeps bookings to their organisation, and rides to their carriers', async () => {
    const b = bookingSchema.parse((await post('/v1/bookings', shipper, twoRides('1x20GP'))).json());
    for (const outsider of [otherShipper, otherCarrier, council]) {
      expect((await get(`/v1/bookings/${b.id}`, outsider)).statusCode, outsider.label).toBe(404);
      expect((await post(`/v1/bookings/${b.id}/cancel`, outsider)).statusCode, outsider.label).toBe(
        404,
      );
      const list = (await get('/v1/bookings', outsider)).json<{ bookings: { id: string }[] }>()
        .bookings;
      expect(
        list.map((x) => x.id),
        outsider.label,
      ).not.toContain(b.id);
    }
    // Only the carrier of a ride decides it.
    expect((await post(`/v1/bookings/${b.id}/rides/1/confirm`, ktz)).statusCode).toBe(404);
    expect((await post(`/v1/bookings/${b.id}/rides/0/confirm`, otherCarrier)).statusCode).toBe(404);
    expect((await post(`/v1/bookings/${b.id}/rides/0/confirm`, shipper)).statusCode).toBe(404);
    // Carriers do not book; anonymous callers do nothing.
    expect((await post('/v1/bookings', ktz, twoRides('1x20GP'))).statusCode).toBe(403);
    expect(
      (await server.app.inject({ method: 'POST', url: '/v1/bookings', payload: twoRides() }))
        .statusCode,
    ).toBe(401);
  });
});

describe('carriers and their departures', () => {
  const TRIP = 'SVC_FEEDER_AKTAU_ALAT@2026-12-07T1800';
  const ride = {
    rides: [{ tripId: TRIP, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }],
    containers: '2x40HC',
  };
  const patch = (who: Caller, payload: object) =>
    server.app.inject({
      method: 'PATCH',
      url: `/v1/departures/${TRIP}`,
      headers: who.headers,
      payload,
    });

  it('lets a carrier change capacity, but not below what is booked', async () => {
    const b = await post('/v1/bookings', shipper, ride);
    expect(b.statusCode).toBe(201);
    expect((await patch(asco, { capacityTeu: 100 })).statusCode).toBe(204);
    expect(await available(TRIP, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({
      heldTeu: 4,
      availableTeu: 96,
    });
    const below = await patch(asco, { capacityTeu: 3 });
    expect([below.statusCode, below.json<{ detail: string }>().detail]).toEqual([
      409,
      '4 TEU are booked on leg KZ_AKTAU_PORT→AZ_BAKU_PORT_ALAT: the capacity cannot go below that',
    ]);
  });

  it('closes a departure to new bookings and tells the bookings already on it', async () => {
    const before = bookingSchema.parse((await post('/v1/bookings', shipper, ride)).json());
    expect((await patch(asco, { closed: true })).statusCode).toBe(204);
    const refused = await post('/v1/bookings', shipper, ride);
    expect([refused.statusCode, refused.json<{ detail: string }>().detail]).toEqual([
      409,
      `the departure is closed on leg Aktau→Alat (trip ${TRIP}): it takes no new bookings`,
    ]);
    expect((await get(`/v1/bookings/${before.id}`, shipper)).json()).toMatchObject({
      notices: [
        'the Aktau - Alat container feeder departure of 2026-12-07 18:00 from Aktau was closed by its carrier',
      ],
    });
    expect(await available(TRIP, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({ availableTeu: 0 });
  });

  it('keeps departures to their own carrier', async () => {
    for (const who of [ktz, otherCarrier, shipper, council])
      expect((await patch(who, { closed: false })).statusCode, who.label).toBe(404);
  });
});

describe('amendments', () => {
  const TRIP = 'SVC_FEEDER_AKTAU_ALAT@2026-12-08T1800';
  const LATER = 'SVC_FEEDER_AKTAU_ALAT@2026-12-09T1800';
  const rideOn = (tripId: string) => [{ tripId, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }];

  it('of a booking not yet confirmed takes the new capacity and gives the old back at once, and asks the carriers again', async () => {
    const [first, second] = ['2026-12-14T1800', '2026-12-15T1800'].map(
      (d) => `SVC_FEEDER_AKTAU_ALAT@${d}`,
    ) as [string, string];
    const b = bookingSchema.parse(
      (await post('/v1/bookings', shipper, { rides: rideOn(first), containers: '2x40HC' })).json(),
    );
    expect(b.state).toBe('RECEIVED');
    const res = await post(`/v1/bookings/${b.id}/amend`, shipper, {
      rides: rideOn(second),
      containers: '3x40HC',
    });
    expect(res.statusCode, res.body).toBe(200);
    const amended = bookingSchema.parse(res.json());
    // Updated before confirmation: UPDATE_RECEIVED until its carriers decide again.
    expect([amended.state, amended.teu, amended.amendment]).toEqual(['UPDATE_RECEIVED', 6, null]);
    expect(amended.rides.map((r) => [r.tripId, r.state])).toEqual([[second, 'REQUESTED']]);
    expect(await available(first, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({ heldTeu: 0 });
    expect(await available(second, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({ heldTeu: 6 });
  });

  it('of a confirmed booking waits beside it onto another sailing; confirmed, the capacity moves', async () => {
    const b = bookingSchema.parse(
      (await post('/v1/bookings', shipper, { rides: rideOn(TRIP), containers: '2x40HC' })).json(),
    );
    await post(`/v1/bookings/${b.id}/rides/0/confirm`, asco);
    const res = await post(`/v1/bookings/${b.id}/amend`, shipper, {
      rides: rideOn(LATER),
      containers: '3x40HC',
    });
    expect(res.statusCode).toBe(200);
    const waiting = bookingSchema.parse(res.json());
    // Still confirmed on its terms; the amendment waits with its capacity held on the later sailing.
    expect([waiting.state, waiting.teu, waiting.rides.map((r) => [r.tripId, r.state])]).toEqual([
      'CONFIRMED',
      4,
      [[TRIP, 'CONFIRMED']],
    ]);
    expect(waiting.amendment).toMatchObject({
      status: 'AMENDMENT_RECEIVED',
      teu: 6,
      rides: [{ tripId: LATER, state: 'REQUESTED' }],
    });
    expect(await available(TRIP, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({
      heldTeu: 0,
      confirmedTeu: 4,
    });
    expect(await available(LATER, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({
      heldTeu: 6,
      confirmedTeu: 0,
    });
    const confirmed = bookingSchema.parse(
      (await post(`/v1/bookings/${b.id}/rides/0/amendment/confirm`, asco)).json(),
    );
    expect([
      confirmed.state,
      confirmed.teu,
      confirmed.rides.map((r) => [r.tripId, r.state]),
    ]).toEqual(['CONFIRMED', 6, [[LATER, 'CONFIRMED']]]);
    expect(confirmed.amendment?.status).toBe('AMENDMENT_CONFIRMED');
    expect(await available(TRIP, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({
      heldTeu: 0,
      confirmedTeu: 0,
    });
    expect(await available(LATER, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({
      heldTeu: 0,
      confirmedTeu: 6,
    });
  });

  it('leaves the booking and its capacity unchanged when the amendment does not fit', async () => {
    const b = bookingSchema.parse(
      (await post('/v1/bookings', shipper, { rides: rideOn(TRIP), containers: '2x40HC' })).json(),
    );
    const before = await available(TRIP, 'SVC_FEEDER_AKTAU_ALAT');
    const res = await post(`/v1/bookings/${b.id}/amend`, shipper, { containers: '200x40HC' });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ detail: string }>().detail).toMatch(
      /^insufficient capacity on leg Aktau→Alat .*: \d+ TEU available, 400 requested; the booking is unchanged$/,
    );
    expect((await get(`/v1/bookings/${b.id}`, shipper)).json()).toEqual(b);
    expect(await available(TRIP, 'SVC_FEEDER_AKTAU_ALAT')).toEqual(before);
  });

  it('refuses an amendment onto a ride no carrier on the platform operates, and keeps the booking', async () => {
    const b = bookingSchema.parse(
      (await post('/v1/bookings', shipper, { rides: rideOn(TRIP), containers: '1x40HC' })).json(),
    );
    // The Aktau – Alat rail ferry: nobody here operates it.
    const ferry = departuresResponseSchema.parse(
      (
        await get('/v1/departures?service=SVC_ASCO_RAIL_FERRY_AKTAU_ALAT&from=2026-12-08&days=7')
      ).json(),
    ).departures[0]!.tripId;
    const res = await post(`/v1/bookings/${b.id}/amend`, shipper, {
      rides: [{ tripId: ferry, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual([
      'body.rides[0]',
    ]);
    expect((await get(`/v1/bookings/${b.id}`, shipper)).json()).toEqual(b);
  });

  it('refuses amendments to another organisation and to finished bookings', async () => {
    const b = bookingSchema.parse(
      (await post('/v1/bookings', shipper, { rides: rideOn(TRIP), containers: '1x20GP' })).json(),
    );
    expect(
      (await post(`/v1/bookings/${b.id}/amend`, otherShipper, { containers: '1x40HC' })).statusCode,
    ).toBe(404);
    await post(`/v1/bookings/${b.id}/cancel`, shipper);
    expect(
      (await post(`/v1/bookings/${b.id}/amend`, shipper, { containers: '1x40HC' })).statusCode,
    ).toBe(409);
    expect((await post(`/v1/bookings/${b.id}/amend`, shipper, {})).statusCode).toBe(400);
  });
});

describe("a carrier's auto-confirm policy", () => {
  it('confirms rides on its services at once, and the booking when that is every ride', async () => {
    const setPolicy = (who: Caller, autoConfirm: boolean) =>
      server.app.inject({
        method: 'PATCH',
        url: `/v1/organisations/${who.organisation.id}`,
        headers: who.headers,
        payload: { autoConfirm },
      });
    expect((await setPolicy(asco, true)).json()).toMatchObject({ autoConfirm: true });
    expect((await setPolicy(shipper, true)).statusCode).toBe(400);
    expect(
      (
        await server.app.inject({
          method: 'PATCH',
          url: `/v1/organisations/${asco.organisation.id}`,
          headers: ktz.headers,
          payload: { autoConfirm: false },
        })
      ).statusCode,
    ).toBe(404);
    const trip = 'SVC_FEEDER_AKTAU_ALAT@2026-12-10T1800';
    const alone = bookingSchema.parse(
      (
        await post('/v1/bookings', shipper, {
          rides: [{ tripId: trip, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }],
          containers: '1x40HC',
        })
      ).json(),
    );
    expect([alone.state, alone.rides[0]!.state]).toEqual(['CONFIRMED', 'CONFIRMED']);
    expect(await available(trip, 'SVC_FEEDER_AKTAU_ALAT')).toMatchObject({
      heldTeu: 0,
      confirmedTeu: 2,
    });
    // With a ride of a carrier that decides by hand, the booking waits for it.
    const mixed = bookingSchema.parse(
      (await post('/v1/bookings', shipper, twoRides('1x20GP'))).json(),
    );
    expect([mixed.state, mixed.rides.map((r) => r.state)]).toEqual([
      'RECEIVED',
      ['REQUESTED', 'CONFIRMED'],
    ]);
    await setPolicy(asco, false);
  });
});

describe('a carrier asking for changes', () => {
  it('puts the booking in PENDING_UPDATE until the booking party amends it', async () => {
    const b = bookingSchema.parse((await post('/v1/bookings', shipper, twoRides('1x20GP'))).json());
    const asked = await post(`/v1/bookings/${b.id}/rides/1/request-update`, asco, {
      reason: 'please move to the next sailing',
    });
    expect(asked.json()).toMatchObject({ state: 'PENDING_UPDATE' });
    expect((await get(`/v1/bookings/${b.id}`, shipper)).json()).toMatchObject({
      state: 'PENDING_UPDATE',
      reason: 'SVC_FEEDER_AKTAU_ALAT: please move to the next sailing',
    });
    // Nobody decides a ride while the booking waits for its update, and it keeps its capacity.
    expect((await post(`/v1/bookings/${b.id}/rides/0/confirm`, ktz)).statusCode).toBe(409);
    expect(
      (await post(`/v1/bookings/${b.id}/rides/1/request-update`, ktz, { reason: 'x' })).statusCode,
    ).toBe(404);
    const amended = await post(`/v1/bookings/${b.id}/amend`, shipper, {
      rides: [
        { tripId: BLOCK, from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT' },
        {
          tripId: 'SVC_FEEDER_AKTAU_ALAT@2026-12-11T1800',
          from: 'KZ_AKTAU_PORT',
          to: 'AZ_BAKU_PORT_ALAT',
        },
      ],
    });
    // The update answers the carrier's request: UPDATE_RECEIVED, its carriers decide again.
    expect(amended.json()).toMatchObject({ state: 'UPDATE_RECEIVED', reason: null });
    expect((await post(`/v1/bookings/${b.id}/rides/0/confirm`, ktz)).statusCode).toBe(200);
    expect((await post(`/v1/bookings/${b.id}/rides/1/confirm`, asco)).json()).toMatchObject({
      state: 'CONFIRMED',
    });
  });
});
