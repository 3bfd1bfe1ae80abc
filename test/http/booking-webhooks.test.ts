import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingSchema } from '../../src/api/bookings.ts';
import { deliverDue, type Notifier } from '../../src/app/subscriptions.ts';
import {
  callersOf,
  manualClock,
  organisationWithPeople,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';

/** Booking changes sent as signed webhooks to the booking organisation's subscriptions. */
const clock = manualClock();
let server: TestServer;
let shipper: Caller;
let otherShipper: Caller;
let ktz: Caller;
let asco: Caller;

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
});
afterAll(() => server.close());

const post = (url: string, who: Caller, payload?: object) =>
  server.app.inject({ method: 'POST', url, headers: who.headers, ...(payload ? { payload } : {}) });

interface Change {
  eventType: string;
  bookingID: string;
  change: string;
  bookingStatus: string;
  reason: string | null;
}

/** Sends what is due; what each subscription received, signatures checked with its secret. */
async function deliver(keys: ReadonlyMap<string, string>) {
  const got = new Map<string, Change[]>();
  const notifier: Notifier = {
    sign: (key, body) => server.subscriptions.notifier.sign(key, body),
    post: (_url, body, headers) => {
      const sub = headers['subscription-id']!;
      const key = keys.get(sub);
      if (key)
        expect(headers['notification-signature']).toBe(
          `sha256=${createHmac('sha256', Buffer.from(key, 'base64')).update(body, 'utf8').digest('hex')}`,
        );
      got.set(sub, [...(got.get(sub) ?? []), ...(JSON.parse(body) as Change[])]);
      return Promise.resolve({ status: 204 });
    },
  };
  await deliverDue({
    ...server.subscriptions,
    notifier,
    guard: { problem: async () => undefined },
  });
  return got;
}

describe('booking changes as webhooks', () => {
  it('sends confirmation, amendment, rejection and cancellation, signed, to the booking party only', async () => {
    const key = randomBytes(32).toString('base64');
    const sub = await post('/v3/event-subscriptions', shipper, {
      callbackUrl: 'http://127.0.0.1:9/bookings',
      secret: key,
      eventTypes: ['BOOKING'],
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const subId = sub.json<{ subscriptionID: string }>().subscriptionID;
    const other = await post('/v3/event-subscriptions', otherShipper, {
      callbackUrl: 'http://127.0.0.1:9/other',
      secret: randomBytes(32).toString('base64'),
      eventTypes: ['BOOKING'],
    });
    const otherId = other.json<{ subscriptionID: string }>().subscriptionID;
    const keys = new Map([[subId, key]]);

    const rides = [
      { tripId: BLOCK, from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT' },
      { tripId: FEEDER, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' },
    ];
    const b = bookingSchema.parse(
      (await post('/v1/bookings', shipper, { rides, containers: '1x40HC' })).json(),
    );
    expect((await post(`/v1/bookings/${b.id}/rides/0/confirm`, ktz)).statusCode).toBe(200);
    // Not confirmed until every carrier has: nothing sent yet.
    expect((await deliver(keys)).get(subId)).toBeUndefined();
    expect((await post(`/v1/bookings/${b.id}/rides/1/confirm`, asco)).statusCode).toBe(200);
    expect((await deliver(keys)).get(subId)).toEqual([
      expect.objectContaining({
        eventType: 'BOOKING',
        bookingID: b.id,
        change: 'confirmed',
        bookingStatus: 'CONFIRMED',
      }),
    ]);
    // The amendment of the confirmed booking waits beside it; one carrier declines it.
    const amended = await post(`/v1/bookings/${b.id}/amend`, shipper, { containers: '2x40HC' });
    expect(amended.statusCode, amended.body).toBe(200);
    expect((await post(`/v1/bookings/${b.id}/rides/0/amendment/confirm`, ktz)).statusCode).toBe(
      200,
    );
    expect((await post(`/v1/bookings/${b.id}/rides/1/amendment/decline`, asco)).statusCode).toBe(
      200,
    );
    const closed = await server.app.inject({
      method: 'PATCH',
      url: `/v1/departures/${FEEDER}`,
      headers: asco.headers,
      payload: { closed: true },
    });
    expect(closed.statusCode, closed.body).toBe(204);
    // Its cancellation is asked, then confirmed by both carriers.
    const cancelled = await post(`/v1/bookings/${b.id}/cancel`, shipper);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    for (const [i, carrier] of [ktz, asco].entries())
      expect(
        (await post(`/v1/bookings/${b.id}/rides/${i}/cancellation/confirm`, carrier)).statusCode,
      ).toBe(200);
    const rejected = bookingSchema.parse(
      (await post('/v1/bookings', shipper, { rides: [rides[0]], containers: '1x20GP' })).json(),
    );
    expect((await post(`/v1/bookings/${rejected.id}/rides/0/decline`, ktz)).statusCode).toBe(200);
    const got = await deliver(keys);
    // Sent at once, in no particular order.
    const changes = got.get(subId)!.map((c) => [c.bookingID, c.change, c.bookingStatus]);
    expect(changes.sort((x, y) => x[1]!.localeCompare(y[1]!))).toEqual([
      [b.id, 'amended', 'CONFIRMED'],
      [b.id, 'amendment_declined', 'CONFIRMED'],
      [b.id, 'cancellation_received', 'CONFIRMED'],
      [b.id, 'cancelled', 'CANCELLED'],
      [rejected.id, 'rejected', 'REJECTED'],
      [b.id, 'schedule_changed', 'CONFIRMED'],
    ]);
    expect(got.get(subId)!.find((c) => c.change === 'amendment_declined')).toMatchObject({
      amendedBookingStatus: 'AMENDMENT_DECLINED',
      bookingCancellationStatus: null,
    });
    expect(got.get(subId)!.find((c) => c.change === 'cancelled')).toMatchObject({
      bookingCancellationStatus: 'CANCELLATION_CONFIRMED',
    });
    expect(got.get(subId)!.find((c) => c.change === 'rejected')!.reason).toBe(
      'SVC_XIAN_BAKU_BLOCK declined ride 0',
    );
    // Another organisation's subscription hears nothing of these bookings.
    expect(got.get(otherId)).toBeUndefined();
  });
});
