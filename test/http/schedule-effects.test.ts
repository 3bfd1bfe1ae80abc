import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingSchema } from '../../src/api/bookings.ts';
import { shipmentSchema } from '../../src/api/tracking.ts';
import { containerNumber } from '../support/containers.ts';
import { dataFiles } from '../support/network-files.ts';
import {
  callersOf,
  manualClock,
  organisationWithPeople,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';

/**
 * What a schedule change does to the bookings on it, over HTTP: checked first without changing
 * anything, then published — bookings flagged, shipments re-estimated with an alert, and a
 * booking confirmation that refuses to confirm a departure that no longer runs.
 */
const clock = manualClock();
let server: TestServer;
let shipper: Caller;
let asco: Caller;

const FEEDER_ID = 'SVC_FEEDER_AKTAU_ALAT';
const TUESDAY = `${FEEDER_ID}@2026-12-01T1800`;
const WEDNESDAY = `${FEEDER_ID}@2026-12-02T1800`;
/** Tuesday's sailing as notices name it: the service and its local day and time. */
const TUESDAY_SAID = 'the Aktau - Alat container feeder departure of 2026-12-01 18:00 from Aktau';
const feeder = () =>
  (
    JSON.parse(dataFiles()['services.json']!) as {
      services: (Record<string, unknown> & { id: string })[];
    }
  ).services.find((s) => s.id === FEEDER_ID)!;
/** No Tuesday sailing, and 60 hours across instead of 36. */
const change = () => ({
  ...feeder(),
  pattern: {
    weekly: [
      { weekday: 'Mon', time: '18:00' },
      { weekday: 'Wed', time: '18:00' },
    ],
  },
  stops: [{ node: 'KZ_AKTAU_PORT' }, { node: 'AZ_BAKU_PORT_ALAT', runHours: 60 }],
});

const send = (method: 'GET' | 'POST', url: string, who?: Caller, payload?: object) =>
  server.app.inject({
    method,
    url,
    headers: { ...who?.headers },
    ...(payload !== undefined ? { payload } : {}),
  });

/** A booking of one sailing, confirmed by its carrier, and a shipment of one container on it. */
async function shipped(tripId: string, serial: number) {
  const booked = await send('POST', '/v1/bookings', shipper, {
    rides: [{ tripId, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }],
    containers: '1x40HC',
  });
  expect(booked.statusCode).toBe(201);
  const id = bookingSchema.parse(booked.json()).id;
  expect((await send('POST', `/v1/bookings/${id}/rides/0/confirm`, asco)).statusCode).toBe(200);
  const res = await send('POST', '/v1/shipments', shipper, {
    bookingId: id,
    containers: [{ equipmentReference: containerNumber('MSKU', serial) }],
  });
  expect(res.statusCode).toBe(201);
  return { bookingId: id, shipment: shipmentSchema.parse(res.json()) };
}

const bookingOf = async (id: string) =>
  bookingSchema.parse((await send('GET', `/v1/bookings/${id}`, shipper)).json());
const shipmentOf = async (id: string) =>
  shipmentSchema.parse((await send('GET', `/v1/shipments/${id}`, shipper)).json());

beforeAll(async () => {
  server = await testServer(undefined, clock);
  const adminOf = async (input: Parameters<typeof organisationWithPeople>[1]) =>
    (await callersOf(server, await organisationWithPeople(server, input)))[0]!;
  shipper = await adminOf({ name: 'Aktau Forwarding', kind: 'shipper', country: 'KZ' });
  asco = await adminOf({ name: 'ASCO', kind: 'carrier', country: 'AZ', services: [FEEDER_ID] });
});
afterAll(() => server.close());

describe('a schedule change', () => {
  it('is checked first: the bookings and departures it affects, and nothing changes', async () => {
    const cancelled = await shipped(TUESDAY, 21);
    const moved = await shipped(WEDNESDAY, 22);
    const check = await send('POST', '/v1/network/services', asco, {
      effectiveFrom: '2026-11-30',
      services: [change()],
      dryRun: true,
    });
    expect(check.statusCode).toBe(200);
    const body = check.json<{
      dryRun: boolean;
      flaggedBookings: { bookingId: string; notices: string[] }[];
      affectedDepartures: { tripId: string; change: string; bookingIds: string[] }[];
    }>();
    expect(body.dryRun).toBe(true);
    expect(Object.fromEntries(body.flaggedBookings.map((b) => [b.bookingId, b.notices]))).toEqual({
      [cancelled.bookingId]: [expect.stringContaining(`${TUESDAY_SAID} no longer runs`)],
      // On the place's own clock, with its offset, and by how much.
      [moved.bookingId]: [
        expect.stringMatching(
          /now arrives at .+ \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC[+-]\d{2}:\d{2}\) instead of \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC[+-]\d{2}:\d{2}\), \d+ h (later|earlier)$/,
        ),
      ],
    });
    expect(
      Object.fromEntries(body.affectedDepartures.map((d) => [d.tripId, d.bookingIds])),
    ).toEqual({ [TUESDAY]: [cancelled.bookingId], [WEDNESDAY]: [moved.bookingId] });

    // Nothing was applied: the bookings, the shipments, the inbox and the network are as they were.
    for (const { bookingId, shipment } of [cancelled, moved]) {
      const b = await bookingOf(bookingId);
      expect({ attention: b.attention, notices: b.notices }).toEqual({
        attention: [],
        notices: [],
      });
      const s = await shipmentOf(shipment.id);
      expect({ eta: s.eta, alerts: s.alerts }).toEqual({ eta: shipment.eta, alerts: [] });
    }
    const inbox = await send('GET', '/v1/notifications', shipper);
    expect(inbox.json<{ notifications: unknown[] }>().notifications).toEqual([]);
    const versions = await send('GET', `/v1/network/services/${FEEDER_ID}/versions`);
    expect(versions.json<{ versions: unknown[] }>().versions).toHaveLength(1);
  });

  it('once published, flags each booking, moves its shipment’s ETA with an alert, and a booking confirmation refuses', async () => {
    const { bookings } = (await send('GET', '/v1/bookings', shipper)).json<{
      bookings: { id: string; rides: { tripId: string }[] }[];
    }>();
    const cancelledId = bookings.find((b) => b.rides[0]!.tripId === TUESDAY)!.id;
    const movedId = bookings.find((b) => b.rides[0]!.tripId === WEDNESDAY)!.id;
    const { shipments } = (await send('GET', '/v1/shipments', shipper)).json<{
      shipments: { id: string; bookingId: string }[];
    }>();
    const shipmentFor = (bookingId: string) => shipments.find((s) => s.bookingId === bookingId)!.id;
    const movedBefore = await shipmentOf(shipmentFor(movedId));

    const res = await send('POST', '/v1/network/services', asco, {
      effectiveFrom: '2026-11-30',
      services: [change()],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<{ rescheduledShipments: string[] }>().rescheduledShipments.sort()).toEqual(
      [shipmentFor(cancelledId), shipmentFor(movedId)].sort(),
    );

    // Each booking needs its shipper's attention, with the reason, and still says CONFIRMED.
    const cancelled = await bookingOf(cancelledId);
    expect(cancelled.state).toBe('CONFIRMED');
    expect(cancelled.attention).toEqual([
      expect.stringContaining(`${TUESDAY_SAID} no longer runs`),
    ]);
    expect((await bookingOf(movedId)).attention).toEqual([
      expect.stringMatching(/now arrives at .+ instead of/),
    ]);

    // The moved sailing's shipment arrives 24 hours later than estimated, and says why.
    const moved = await shipmentOf(shipmentFor(movedId));
    const later = Date.parse(moved.eta!.p50) - Date.parse(movedBefore.eta!.p50);
    expect(later).toBeGreaterThan(20 * 3_600_000);
    expect(moved.alerts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'schedule_change',
          message: expect.stringContaining('Arrival now estimated') as unknown,
        }),
      ]),
    );
    // The cancelled sailing's shipment has no estimate until the booking is amended.
    const gone = await shipmentOf(shipmentFor(cancelledId));
    expect(gone.eta).toBeNull();
    expect(gone.alerts.map((a) => a.kind)).toEqual(['schedule_change']);
    expect(gone.alerts[0]!.message).toContain(`No arrival estimate until booking ${cancelledId}`);

    // What the shipper reads names the sailings by service and local day, never by trip id.
    const inbox = await send('GET', '/v1/notifications', shipper);
    const texts = [
      ...[cancelled, await bookingOf(movedId)].flatMap((b) => [...b.notices, ...b.attention]),
      ...inbox.json<{ notifications: { text: string }[] }>().notifications.map((n) => n.text),
      ...[moved, gone].flatMap((s) => s.alerts.map((a) => a.message)),
    ];
    expect(texts.length).toBeGreaterThanOrEqual(6);
    expect(texts.filter((t) => /@\d{4}-\d{2}-\d{2}T\d{4}/.test(t))).toEqual([]);
    expect(
      texts.filter((t) => t.includes('Aktau - Alat container feeder departure of')),
    ).not.toEqual([]);

    // A booking confirmation issued now refuses to confirm the cancelled departure, and says why.
    const doc = await send('POST', `/v1/shipments/${shipmentFor(cancelledId)}/documents`, shipper, {
      kind: 'booking_confirmation',
    });
    expect(doc.statusCode).toBe(409);
    expect(doc.json<{ detail: string }>().detail).toMatch(
      new RegExp(`booking ${cancelledId} needs attention: .*${TUESDAY_SAID} no longer runs`),
    );
    const list = await send('GET', `/v1/shipments/${shipmentFor(cancelledId)}/documents`, shipper);
    expect(
      list
        .json<{ documents: { kind: string; status: string; reason: string | null }[] }>()
        .documents.find((d) => d.kind === 'booking_confirmation'),
    ).toMatchObject({
      status: 'not_ready',
      reason: expect.stringContaining('needs attention') as unknown,
    });

    // Amended onto Wednesday's sailing, the booking needs nothing more.
    const amended = await send('POST', `/v1/bookings/${cancelledId}/amend`, shipper, {
      rides: [{ tripId: WEDNESDAY, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }],
    });
    expect(amended.statusCode).toBe(200);
    expect((await bookingOf(cancelledId)).attention).toEqual([]);
  });

  it('may be published by each carrier operating a shared service, and by nobody else', async () => {
    const adminOf = async (input: Parameters<typeof organisationWithPeople>[1]) =>
      (await callersOf(server, await organisationWithPeople(server, input)))[0]!;
    const kmtf = await adminOf({
      name: 'Kazmortransflot',
      kind: 'carrier',
      country: 'KZ',
      services: [FEEDER_ID],
    });
    const other = await adminOf({
      name: 'Caspian Other Line',
      kind: 'carrier',
      country: 'TM',
      services: ['SVC_TURKMENBASHI_ALAT'],
    });
    const publish = (who: Caller) =>
      send('POST', '/v1/network/services', who, {
        effectiveFrom: '2026-12-10',
        services: [{ ...feeder(), capacityTeu: 240 }],
        dryRun: true,
      });
    for (const who of [asco, kmtf]) expect((await publish(who)).statusCode).toBe(200);
    const refused = await publish(other);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toBe(
      `${FEEDER_ID} is operated by another organisation`,
    );
  });
});
