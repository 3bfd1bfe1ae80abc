import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingSchema } from '../../src/api/bookings.ts';
import { departuresResponseSchema } from '../../src/api/capacity.ts';
import { expireAmendments } from '../../src/app/booking-amendments.ts';
import { expireBookings } from '../../src/app/bookings.ts';
import { legHolds } from '../../src/store/schema.ts';
import {
  apiKeyCaller,
  manualClock,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';

/**
 * Amendments and cancellations of confirmed bookings, as DCSA Booking 2.0 has them: the booking
 * stays CONFIRMED on its terms and capacity while the change waits for its carriers. After every
 * step the departure's ledger (held, confirmed) is what the bookings on it take, and equals the
 * sum of its live holds.
 */
const clock = manualClock();
let server: TestServer;
let shipper: Caller;
let other: Caller;
let asco: Caller;
let ktz: Caller;

beforeAll(async () => {
  server = await testServer(undefined, clock);
  shipper = await apiKeyCaller(server, {
    name: 'Qingdao Exporter',
    kind: 'shipper',
    country: 'CN',
  });
  other = await apiKeyCaller(server, { name: 'Other Exporter', kind: 'shipper', country: 'KZ' });
  asco = await apiKeyCaller(server, {
    name: 'ASCO',
    kind: 'carrier',
    country: 'AZ',
    services: ['SVC_FEEDER_AKTAU_ALAT'],
  });
  ktz = await apiKeyCaller(server, {
    name: 'KTZ Express',
    kind: 'carrier',
    country: 'KZ',
    services: ['SVC_XIAN_BAKU_BLOCK'],
  });
  const res = await server.app.inject({
    url: '/v1/departures?service=SVC_FEEDER_AKTAU_ALAT&from=2026-12-02&days=31',
  });
  sailings = departuresResponseSchema.parse(res.json()).departures.map((d) => d.tripId);
  expect(sailings.length).toBeGreaterThanOrEqual(10);
});
afterAll(() => server.close());

const post = (url: string, who: Caller, payload?: object) =>
  server.app.inject({ method: 'POST', url, headers: who.headers, ...(payload ? { payload } : {}) });
const get = (url: string, who: Caller) => server.app.inject({ url, headers: who.headers });

/** Each test books its own sailings, so that the ledger holds only its bookings. */
let sailings: string[] = [];
function sailing(): string {
  return sailings.shift()!;
}
const ride = (tripId: string) => [{ tripId, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }];

async function book(tripId: string, containers = '1x40HC') {
  const res = await post('/v1/bookings', shipper, { rides: ride(tripId), containers });
  expect(res.statusCode, res.body).toBe(201);
  return bookingSchema.parse(res.json());
}

async function confirmed(tripId: string, containers = '1x40HC') {
  const b = await book(tripId, containers);
  const res = await post(`/v1/bookings/${b.id}/rides/0/confirm`, asco);
  expect(res.json()).toMatchObject({ state: 'CONFIRMED' });
  return b;
}

async function call(method: 'POST' | 'GET', url: string, who: Caller, payload?: object) {
  const res = method === 'GET' ? await get(url, who) : await post(url, who, payload);
  expect(res.statusCode, res.body).toBe(200);
  return bookingSchema.parse(res.json());
}

/**
 * The departure's held and confirmed TEU, as published to everyone, checked against the sum of
 * the live holds on it in the database.
 */
async function ledger(tripId: string): Promise<{ held: number; confirmed: number }> {
  const res = await server.app.inject({
    url: `/v1/departures?service=${tripId.slice(0, tripId.indexOf('@'))}&from=${tripId.slice(tripId.indexOf('@') + 1, tripId.indexOf('@') + 11)}&days=1`,
  });
  const leg = departuresResponseSchema
    .parse(res.json())
    .departures.find((d) => d.tripId === tripId)!.legs[0]!;
  const rows = await server.database.db
    .select({ state: legHolds.state, teu: sql<string>`sum(${legHolds.teu})` })
    .from(legHolds)
    .where(
      and(
        eq(legHolds.tripId, tripId),
        eq(legHolds.legIndex, leg.legIndex),
        inArray(legHolds.state, ['held', 'confirmed']),
      ),
    )
    .groupBy(legHolds.state);
  const sums = Object.fromEntries(rows.map((r) => [r.state, Number(r.teu)])) as Record<
    string,
    number
  >;
  expect([leg.heldTeu, leg.confirmedTeu]).toEqual([sums.held ?? 0, sums.confirmed ?? 0]);
  return { held: leg.heldTeu, confirmed: leg.confirmedTeu };
}

describe('an amendment of a confirmed booking', () => {
  it('keeps the booking confirmed on its terms and holds only the extra capacity', async () => {
    const trip = sailing();
    const b = await confirmed(trip);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 2 });
    const amended = await call('POST', `/v1/bookings/${b.id}/amend`, shipper, {
      containers: '2x40HC',
    });
    expect([amended.state, amended.teu, amended.containers]).toEqual([
      'CONFIRMED',
      2,
      [{ type: '40HC', count: 1, grossKg: expect.any(Number) as number }],
    ]);
    expect(amended.amendment).toMatchObject({
      status: 'AMENDMENT_RECEIVED',
      teu: 4,
      containers: [{ type: '40HC', count: 2 }],
      rides: [{ rideIndex: 0, tripId: trip, state: 'REQUESTED' }],
    });
    // One more 40HC held beside the confirmed one.
    expect(await ledger(trip)).toEqual({ held: 2, confirmed: 2 });
    // The booking still completes its confirmed life: nothing asks its rides again.
    expect(amended.rides.map((r) => r.state)).toEqual(['CONFIRMED']);
  });

  it('declined by the carrier, leaves the booking confirmed on its original terms', async () => {
    const trip = sailing();
    const b = await confirmed(trip);
    await call('POST', `/v1/bookings/${b.id}/amend`, shipper, { containers: '2x40HC' });
    // Only the ride's carrier decides it.
    expect((await post(`/v1/bookings/${b.id}/rides/0/amendment/decline`, ktz)).statusCode).toBe(
      404,
    );
    const declined = await call('POST', `/v1/bookings/${b.id}/rides/0/amendment/decline`, asco);
    expect([declined.state, declined.teu, declined.containers[0]!.count]).toEqual([
      'CONFIRMED',
      2,
      1,
    ]);
    expect(declined.amendment).toMatchObject({
      status: 'AMENDMENT_DECLINED',
      reason: 'SVC_FEEDER_AKTAU_ALAT declined ride 0 of the amendment',
    });
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 2 });
    // Decided once.
    expect((await post(`/v1/bookings/${b.id}/rides/0/amendment/confirm`, asco)).statusCode).toBe(
      409,
    );
  });

  it('confirmed by the carrier, gives the booking its terms and moves the capacity to them', async () => {
    const trip = sailing();
    const b = await confirmed(trip);
    await call('POST', `/v1/bookings/${b.id}/amend`, shipper, { containers: '2x40HC' });
    const done = await call('POST', `/v1/bookings/${b.id}/rides/0/amendment/confirm`, asco);
    expect([done.state, done.teu, done.containers[0]!.count, done.amendment?.status]).toEqual([
      'CONFIRMED',
      4,
      2,
      'AMENDMENT_CONFIRMED',
    ]);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 4 });
    // A smaller amendment holds nothing more, and gives back the difference once confirmed.
    const smaller = await call('POST', `/v1/bookings/${b.id}/amend`, shipper, {
      containers: '1x20GP',
    });
    expect(smaller.amendment?.status).toBe('AMENDMENT_RECEIVED');
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 4 });
    await call('POST', `/v1/bookings/${b.id}/rides/0/amendment/confirm`, asco);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 1 });
  });

  it('is replaced by a later one, withdrawn by its party, and declined when its hold runs out', async () => {
    const trip = sailing();
    const b = await confirmed(trip);
    await call('POST', `/v1/bookings/${b.id}/amend`, shipper, { containers: '3x40HC' });
    expect(await ledger(trip)).toEqual({ held: 4, confirmed: 2 });
    await call('POST', `/v1/bookings/${b.id}/amend`, shipper, { containers: '2x40HC' });
    expect(await ledger(trip)).toEqual({ held: 2, confirmed: 2 });
    expect((await post(`/v1/bookings/${b.id}/amendment/cancel`, other)).statusCode).toBe(404);
    const withdrawn = await call('POST', `/v1/bookings/${b.id}/amendment/cancel`, shipper);
    expect([withdrawn.state, withdrawn.amendment?.status]).toEqual([
      'CONFIRMED',
      'AMENDMENT_CANCELLED',
    ]);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 2 });
    expect((await post(`/v1/bookings/${b.id}/amendment/cancel`, shipper)).statusCode).toBe(404);

    await call('POST', `/v1/bookings/${b.id}/amend`, shipper, { containers: '2x40HC' });
    clock.advance(29 * 60_000);
    await expireAmendments(server.bookings);
    expect((await call('GET', `/v1/bookings/${b.id}`, shipper)).amendment?.status).toBe(
      'AMENDMENT_RECEIVED',
    );
    clock.advance(60_000);
    expect(await expireAmendments(server.bookings)).toBeGreaterThanOrEqual(1);
    expect((await call('GET', `/v1/bookings/${b.id}`, shipper)).amendment).toMatchObject({
      status: 'AMENDMENT_DECLINED',
      reason: 'the hold expired before every carrier confirmed the amendment',
    });
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 2 });
  });

  it('that does not fit changes nothing', async () => {
    const trip = sailing();
    const b = await confirmed(trip);
    const res = await post(`/v1/bookings/${b.id}/amend`, shipper, { containers: '200x40HC' });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ detail: string }>().detail).toMatch(/the booking is unchanged$/);
    expect((await call('GET', `/v1/bookings/${b.id}`, shipper)).amendment).toBeNull();
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 2 });
  });
});

describe('the carriers of a two-ride booking', () => {
  it('confirming its amendment at the same moment move its capacity once', async () => {
    const block = 'SVC_XIAN_BAKU_BLOCK@2026-12-01T1200';
    const trip = sailing();
    const made = await post('/v1/bookings', shipper, {
      rides: [{ tripId: block, from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT' }, ...ride(trip)],
      containers: '1x40HC',
    });
    expect(made.statusCode, made.body).toBe(201);
    const b = bookingSchema.parse(made.json());
    await post(`/v1/bookings/${b.id}/rides/0/confirm`, ktz);
    await post(`/v1/bookings/${b.id}/rides/1/confirm`, asco);
    await call('POST', `/v1/bookings/${b.id}/amend`, shipper, { containers: '2x40HC' });
    expect(await ledger(trip)).toEqual({ held: 2, confirmed: 2 });
    const answers = await Promise.all([
      post(`/v1/bookings/${b.id}/rides/0/amendment/confirm`, ktz),
      post(`/v1/bookings/${b.id}/rides/1/amendment/confirm`, asco),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
    const done = await call('GET', `/v1/bookings/${b.id}`, shipper);
    expect([done.state, done.teu, done.amendment?.status]).toEqual([
      'CONFIRMED',
      4,
      'AMENDMENT_CONFIRMED',
    ]);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 4 });
    expect(await ledger(block)).toEqual({ held: 0, confirmed: 4 });
  });
});

describe('a cancellation', () => {
  it('of a booking not yet confirmed is immediate', async () => {
    const trip = sailing();
    const b = await book(trip);
    expect(await ledger(trip)).toEqual({ held: 2, confirmed: 0 });
    const cancelled = await call('POST', `/v1/bookings/${b.id}/cancel`, shipper);
    expect([cancelled.state, cancelled.cancellation]).toEqual(['CANCELLED', null]);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 0 });
  });

  it('of a confirmed booking is received, keeps the capacity, and is confirmed by the carrier', async () => {
    const trip = sailing();
    const b = await confirmed(trip);
    // A waiting amendment goes with it.
    await call('POST', `/v1/bookings/${b.id}/amend`, shipper, { containers: '2x40HC' });
    const asked = await call('POST', `/v1/bookings/${b.id}/cancel`, shipper);
    expect([asked.state, asked.cancellation?.status]).toEqual([
      'CONFIRMED',
      'CANCELLATION_RECEIVED',
    ]);
    expect(await ledger(trip)).toEqual({ held: 2, confirmed: 2 });
    // Asked once; no amendment meanwhile.
    expect((await post(`/v1/bookings/${b.id}/cancel`, shipper)).statusCode).toBe(409);
    expect(
      (await post(`/v1/bookings/${b.id}/amend`, shipper, { containers: '1x20GP' })).statusCode,
    ).toBe(409);
    const done = await call('POST', `/v1/bookings/${b.id}/rides/0/cancellation/confirm`, asco);
    expect([done.state, done.cancellation?.status, done.amendment?.status]).toEqual([
      'CANCELLED',
      'CANCELLATION_CONFIRMED',
      'AMENDMENT_CANCELLED',
    ]);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 0 });
  });

  it('of a confirmed booking declined by the carrier leaves it confirmed', async () => {
    const trip = sailing();
    const b = await confirmed(trip);
    await call('POST', `/v1/bookings/${b.id}/cancel`, shipper);
    expect((await post(`/v1/bookings/${b.id}/rides/0/cancellation/decline`, ktz)).statusCode).toBe(
      404,
    );
    const declined = await call('POST', `/v1/bookings/${b.id}/rides/0/cancellation/decline`, asco);
    expect([declined.state, declined.cancellation?.status]).toEqual([
      'CONFIRMED',
      'CANCELLATION_DECLINED',
    ]);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 2 });
    // It can be asked again.
    expect((await call('POST', `/v1/bookings/${b.id}/cancel`, shipper)).cancellation?.status).toBe(
      'CANCELLATION_RECEIVED',
    );
  });
});

describe('a carrier stopping a booking', () => {
  it('before confirmation REJECTS it; after confirmation it is DECLINED, with the capacity back', async () => {
    const trip = sailing();
    const early = await book(trip);
    const rejected = await call('POST', `/v1/bookings/${early.id}/rides/0/decline`, asco);
    expect(rejected.state).toBe('REJECTED');
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 0 });

    const b = await confirmed(trip);
    await call('POST', `/v1/bookings/${b.id}/amend`, shipper, { containers: '2x40HC' });
    expect(await ledger(trip)).toEqual({ held: 2, confirmed: 2 });
    // Declining a decided ride is refused; a confirmed booking is discontinued explicitly.
    expect((await post(`/v1/bookings/${b.id}/rides/0/decline`, asco)).statusCode).toBe(409);
    const stopped = await call('POST', `/v1/bookings/${b.id}/rides/0/discontinue`, asco, {
      reason: 'the vessel is out of service',
    });
    expect([stopped.state, stopped.reason, stopped.amendment?.status]).toEqual([
      'DECLINED',
      'SVC_FEEDER_AKTAU_ALAT: the vessel is out of service',
      'AMENDMENT_CANCELLED',
    ]);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 0 });
    expect(
      (await post(`/v1/bookings/${early.id}/rides/0/discontinue`, asco, { reason: 'x' }))
        .statusCode,
    ).toBe(409);
  });
});

describe('a carrier asking the booking party to change a booking', () => {
  it('before confirmation: PENDING_UPDATE, then UPDATE_RECEIVED once updated, for its carriers to decide again', async () => {
    const trip = sailing();
    const b = await book(trip);
    expect(await ledger(trip)).toEqual({ held: 2, confirmed: 0 });
    const reason = { reason: 'reefer plugs are taken; one more box fits' };
    // Only the ride's carrier asks: not the booking party, not another carrier.
    expect(
      (await post(`/v1/bookings/${b.id}/rides/0/request-update`, shipper, reason)).statusCode,
    ).toBe(404);
    expect(
      (await post(`/v1/bookings/${b.id}/rides/0/request-update`, ktz, reason)).statusCode,
    ).toBe(404);
    const asked = await call('POST', `/v1/bookings/${b.id}/rides/0/request-update`, asco, reason);
    expect([asked.state, asked.reason]).toEqual([
      'PENDING_UPDATE',
      'SVC_FEEDER_AKTAU_ALAT: reefer plugs are taken; one more box fits',
    ]);
    expect(
      (await post(`/v1/bookings/${b.id}/rides/0/request-update`, asco, reason)).statusCode,
    ).toBe(409);
    expect((await post(`/v1/bookings/${b.id}/rides/0/confirm`, asco)).statusCode).toBe(409);
    expect(await ledger(trip)).toEqual({ held: 2, confirmed: 0 });

    const updated = await call('POST', `/v1/bookings/${b.id}/amend`, shipper, {
      containers: '2x40HC',
    });
    expect([updated.state, updated.reason, updated.teu, updated.rides[0]!.state]).toEqual([
      'UPDATE_RECEIVED',
      null,
      4,
      'REQUESTED',
    ]);
    expect(await ledger(trip)).toEqual({ held: 4, confirmed: 0 });
    // Updated again while its carriers decide: still UPDATE_RECEIVED, the capacity follows.
    const again = await call('POST', `/v1/bookings/${b.id}/amend`, shipper, {
      containers: '1x40HC',
    });
    expect([again.state, again.teu]).toEqual(['UPDATE_RECEIVED', 2]);
    expect(await ledger(trip)).toEqual({ held: 2, confirmed: 0 });
    // Its carrier may ask once more, and confirm the next update.
    expect(
      (await call('POST', `/v1/bookings/${b.id}/rides/0/request-update`, asco, reason)).state,
    ).toBe('PENDING_UPDATE');
    expect(
      (await call('POST', `/v1/bookings/${b.id}/amend`, shipper, { containers: '1x40HC' })).state,
    ).toBe('UPDATE_RECEIVED');
    const done = await call('POST', `/v1/bookings/${b.id}/rides/0/confirm`, asco);
    expect([done.state, done.teu]).toEqual(['CONFIRMED', 2]);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 2 });
    // A confirmed booking is asked for an amendment, not an update.
    expect(
      (await post(`/v1/bookings/${b.id}/rides/0/request-update`, asco, reason)).statusCode,
    ).toBe(409);

    // An update declined by its carrier is REJECTED, its capacity back.
    const trip2 = sailing();
    const c = await book(trip2);
    await call('POST', `/v1/bookings/${c.id}/amend`, shipper, { containers: '2x40HC' });
    expect(await ledger(trip2)).toEqual({ held: 4, confirmed: 0 });
    expect((await call('POST', `/v1/bookings/${c.id}/rides/0/decline`, asco)).state).toBe(
      'REJECTED',
    );
    expect(await ledger(trip2)).toEqual({ held: 0, confirmed: 0 });
    // An update whose hold runs out before its carriers decide is REJECTED, its capacity back.
    const trip4 = sailing();
    const e = await book(trip4);
    clock.advance(20 * 60_000);
    await call('POST', `/v1/bookings/${e.id}/amend`, shipper, { containers: '2x40HC' });
    clock.advance(20 * 60_000);
    await expireBookings(server.bookings);
    expect((await call('GET', `/v1/bookings/${e.id}`, shipper)).state).toBe('UPDATE_RECEIVED');
    expect(await ledger(trip4)).toEqual({ held: 4, confirmed: 0 });
    clock.advance(11 * 60_000);
    expect(await expireBookings(server.bookings)).toBeGreaterThanOrEqual(1);
    expect((await call('GET', `/v1/bookings/${e.id}`, shipper)).state).toBe('REJECTED');
    expect(await ledger(trip4)).toEqual({ held: 0, confirmed: 0 });
    // A booking waiting for its update is cancelled at once.
    const trip3 = sailing();
    const d = await book(trip3);
    await call('POST', `/v1/bookings/${d.id}/rides/0/request-update`, asco, reason);
    expect((await call('POST', `/v1/bookings/${d.id}/cancel`, shipper)).state).toBe('CANCELLED');
    expect(await ledger(trip3)).toEqual({ held: 0, confirmed: 0 });
  });

  it('after confirmation: PENDING_AMENDMENT on its terms; the amendment confirmed or declined makes it CONFIRMED again', async () => {
    const trip = sailing();
    const b = await confirmed(trip);
    const reason = { reason: 'the sailing is full of reefers; one more box or none' };
    expect(
      (await post(`/v1/bookings/${b.id}/rides/0/request-amendment`, shipper, reason)).statusCode,
    ).toBe(404);
    expect(
      (await post(`/v1/bookings/${b.id}/rides/0/request-amendment`, ktz, reason)).statusCode,
    ).toBe(404);
    const asked = await call(
      'POST',
      `/v1/bookings/${b.id}/rides/0/request-amendment`,
      asco,
      reason,
    );
    expect([asked.state, asked.reason, asked.teu, asked.amendment]).toEqual([
      'PENDING_AMENDMENT',
      'SVC_FEEDER_AKTAU_ALAT: the sailing is full of reefers; one more box or none',
      2,
      null,
    ]);
    // It keeps its confirmed capacity.
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 2 });
    expect(
      (await post(`/v1/bookings/${b.id}/rides/0/request-amendment`, asco, reason)).statusCode,
    ).toBe(409);

    const amended = await call('POST', `/v1/bookings/${b.id}/amend`, shipper, {
      containers: '2x40HC',
    });
    expect([amended.state, amended.teu, amended.amendment?.status, amended.amendment?.teu]).toEqual(
      ['PENDING_AMENDMENT', 2, 'AMENDMENT_RECEIVED', 4],
    );
    expect(await ledger(trip)).toEqual({ held: 2, confirmed: 2 });
    const declined = await call('POST', `/v1/bookings/${b.id}/rides/0/amendment/decline`, asco);
    expect([declined.state, declined.reason, declined.teu, declined.amendment?.status]).toEqual([
      'CONFIRMED',
      null,
      2,
      'AMENDMENT_DECLINED',
    ]);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 2 });

    await call('POST', `/v1/bookings/${b.id}/rides/0/request-amendment`, asco, reason);
    await call('POST', `/v1/bookings/${b.id}/amend`, shipper, { containers: '2x40HC' });
    const done = await call('POST', `/v1/bookings/${b.id}/rides/0/amendment/confirm`, asco);
    expect([done.state, done.teu, done.amendment?.status]).toEqual([
      'CONFIRMED',
      4,
      'AMENDMENT_CONFIRMED',
    ]);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 4 });

    // Asked while an amendment waits: that amendment is declined and its extra capacity goes back.
    await call('POST', `/v1/bookings/${b.id}/amend`, shipper, { containers: '3x40HC' });
    expect(await ledger(trip)).toEqual({ held: 2, confirmed: 4 });
    const replaced = await call(
      'POST',
      `/v1/bookings/${b.id}/rides/0/request-amendment`,
      asco,
      reason,
    );
    expect([replaced.state, replaced.amendment?.status]).toEqual([
      'PENDING_AMENDMENT',
      'AMENDMENT_DECLINED',
    ]);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 4 });

    // Its cancellation is asked as of a confirmed booking, and confirmed by its carrier.
    const cancelling = await call('POST', `/v1/bookings/${b.id}/cancel`, shipper);
    expect([cancelling.state, cancelling.cancellation?.status]).toEqual([
      'PENDING_AMENDMENT',
      'CANCELLATION_RECEIVED',
    ]);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 4 });
    const cancelled = await call('POST', `/v1/bookings/${b.id}/rides/0/cancellation/confirm`, asco);
    expect([cancelled.state, cancelled.cancellation?.status]).toEqual([
      'CANCELLED',
      'CANCELLATION_CONFIRMED',
    ]);
    expect(await ledger(trip)).toEqual({ held: 0, confirmed: 0 });
    // Not before confirmation.
    const trip2 = sailing();
    const c = await book(trip2);
    expect(
      (await post(`/v1/bookings/${c.id}/rides/0/request-amendment`, asco, reason)).statusCode,
    ).toBe(409);
  });
});
