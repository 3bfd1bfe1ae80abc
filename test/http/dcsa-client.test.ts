import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue, type Notifier } from '../../src/app/subscriptions.ts';
import {
  apiKeyCaller,
  manualClock,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';
import { containerNumber } from '../support/containers.ts';

/**
 * A small DCSA client written from the TNT 3.0 and Booking 2.0 specifications alone (no schema
 * of the platform's): it subscribes, receives notifications and verifies their signatures, pages
 * events with Next-Page, books with Booking 2.0, amends and cancels.
 */
const clock = manualClock(new Date('2026-12-04T06:00:00Z'));
let server: TestServer;
let shipper: Caller;
let ktz: Caller;
let carriers: Caller[];

beforeAll(async () => {
  server = await testServer(undefined, clock);
  shipper = await apiKeyCaller(server, { name: 'Client Shipper', kind: 'shipper', country: 'CN' });
  ktz = await apiKeyCaller(server, {
    name: 'KTZ Express',
    kind: 'carrier',
    country: 'KZ',
    services: ['SVC_XIAN_BAKU_BLOCK'],
  });
  carriers = [
    ktz,
    await apiKeyCaller(server, {
      name: 'ASCO',
      kind: 'carrier',
      country: 'AZ',
      services: ['SVC_FEEDER_AKTAU_ALAT'],
    }),
    await apiKeyCaller(server, {
      name: 'Southern Carrier',
      kind: 'carrier',
      country: 'GE',
      services: ['SVC_CHINA_TURKEY_BTK', 'SVC_ADY_EXPRESS_POTI_ALAT'],
    }),
  ];
});
afterAll(() => server.close());

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/** The client: HTTP as the specs describe it, with the caller's credentials. */
class DcsaClient {
  constructor(private readonly auth: Record<string, string>) {}

  async call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown) {
    const res = await server.app.inject({
      method,
      url: url.replace(/^https?:\/\/[^/]+/, ''),
      headers: { ...this.auth, 'api-version': url.includes('/v2/') ? '2' : '3' },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return {
      status: res.statusCode,
      headers: res.headers as Record<string, string | undefined>,
      body: res.body ? (JSON.parse(res.body) as unknown) : null,
    } satisfies Answer;
  }

  /** TNT 3.0: every event of a query, following Next-Page. */
  async allEvents(query: string): Promise<{ metadata: { eventID: string } }[]> {
    const out: { metadata: { eventID: string } }[] = [];
    let url: string | undefined = `/v3/events${query}`;
    let pages = 0;
    while (url) {
      const res = await this.call('GET', url);
      expect(res.status).toBe(200);
      out.push(...(res.body as { metadata: { eventID: string } }[]));
      url = res.headers['next-page'];
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    return out;
  }

  /** Booking 2.0: the carrierBookingRequestReference of a new booking. */
  async book(request: object): Promise<string> {
    const res = await this.call('POST', '/v2/bookings', request);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return (res.body as { carrierBookingRequestReference: string }).carrierBookingRequestReference;
  }
}

/** The receiver: notifications as they arrive, each signature checked (HMAC-SHA256, hex). */
function receiver(secret: string) {
  const got: unknown[] = [];
  const notifier: Notifier = {
    sign: (k, body) => server.subscriptions.notifier.sign(k, body),
    post: (_url, body, headers) => {
      const expected = `sha256=${createHmac('sha256', Buffer.from(secret, 'base64')).update(body, 'utf8').digest('hex')}`;
      if (headers['notification-signature'] !== expected) return Promise.resolve({ status: 401 });
      got.push(JSON.parse(body));
      return Promise.resolve({ status: 204 });
    },
  };
  return {
    got,
    deliver: () =>
      deliverDue({ ...server.subscriptions, notifier, guard: { problem: async () => undefined } }),
  };
}

describe('a DCSA client written from the specifications', () => {
  it('subscribes, receives signed notifications, pages events, books, amends and cancels', async () => {
    const client = new DcsaClient(shipper.headers);
    const secret = randomBytes(32).toString('base64');
    const sub = await client.call('POST', '/v3/event-subscriptions', {
      callbackUrl: 'http://127.0.0.1:9/client/v2/booking-notifications',
      secret,
      eventTypes: ['EQUIPMENT', 'BOOKING'],
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    const inbox = receiver(secret);

    // Events of a shipment of the client's, posted by its carrier.
    const box = containerNumber('MSCU', 7);
    const shipment = await server.app.inject({
      method: 'POST',
      url: '/v1/shipments',
      headers: shipper.headers,
      payload: {
        rides: [
          {
            tripId: 'SVC_XIAN_BAKU_BLOCK@2026-12-04T1200',
            from: 'CN_XIAN_ITL',
            to: 'KZ_AKTAU_PORT',
          },
        ],
        containers: [{ equipmentReference: box }],
      },
    });
    expect(shipment.statusCode, shipment.body).toBe(201);
    for (const [code, at] of [
      ['GTIN', '2026-12-04T03:00:00Z'],
      ['LOAD', '2026-12-04T04:00:00Z'],
    ] as const) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: ktz.headers,
        payload: {
          eventID: randomUUID(),
          eventCreatedDateTime: at,
          eventDateTime: at,
          eventType: 'EQUIPMENT',
          eventClassifierCode: 'ACT',
          equipmentEventTypeCode: code,
          equipmentReference: box,
          eventLocation: { UNLocationCode: 'CNXIA' },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    // Every event once, over pages of one (the platform's own estimates beside the two posted).
    const ids = (await client.allEvents(`?equipmentReference=${box}&limit=1`)).map(
      (e) => e.metadata.eventID,
    );
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ids).size).toBe(ids.length);
    await inbox.deliver();
    expect(inbox.got.length).toBeGreaterThan(0);

    // Booking 2.0: plan (the quotation), book, amend, cancel.
    const planned = await server.app.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: { from: 'Xian', to: 'Baku', depart: '2026-12-05', containers: '1x40GP' },
    });
    expect(planned.statusCode, planned.body).toBe(200);
    const plan = planned.json<{ planId: string; itineraries: { id: string }[] }>();
    const request = {
      receiptTypeAtOrigin: 'CY',
      deliveryTypeAtDestination: 'CY',
      cargoMovementTypeAtOrigin: 'FCL',
      cargoMovementTypeAtDestination: 'FCL',
      contractQuotationReference: plan.planId,
      isEquipmentSubstitutionAllowed: false,
      references: [{ type: 'CR', value: plan.itineraries[0]!.id }],
      documentParties: { bookingAgent: { partyName: 'Client Shipper' } },
      shipmentLocations: [
        { location: { UNLocationCode: 'CNXIA' }, locationTypeCode: 'POL' },
        { location: { UNLocationCode: 'AZBAK' }, locationTypeCode: 'POD' },
      ],
      requestedEquipments: [{ ISOEquipmentCode: '42G1', units: 1 }],
    };
    const reference = await client.book(request);
    const read = await client.call('GET', `/v2/bookings/${reference}`);
    expect(read.body).toMatchObject({ bookingStatus: 'RECEIVED' });
    const amended = await client.call('PUT', `/v2/bookings/${reference}`, {
      ...request,
      requestedEquipments: [{ ISOEquipmentCode: '42G1', units: 2 }],
    });
    expect(amended.status).toBe(202);
    expect((await client.call('GET', `/v2/bookings/${reference}`)).body).toMatchObject({
      requestedEquipments: [{ units: 2 }],
    });
    const cancelled = await client.call('PATCH', `/v2/bookings/${reference}`, {
      bookingStatus: 'CANCELLED',
    });
    expect(cancelled.status).toBe(202);
    expect((await client.call('GET', `/v2/bookings/${reference}`)).body).toMatchObject({
      bookingStatus: 'CANCELLED',
    });
    await inbox.deliver();
    const notes = inbox.got.filter(
      (n): n is { type: string; data: { bookingStatus: string } } =>
        (n as { type?: string }).type === 'org.dcsa.booking.v2',
    );
    expect(notes.map((n) => n.data.bookingStatus)).toContain('CANCELLED');

    // A confirmed booking: its amendment and its cancellation wait beside it, still CONFIRMED.
    const confirmed = await client.book(request);
    const rides = (
      await server.app.inject({ url: `/v1/bookings/${confirmed}`, headers: shipper.headers })
    ).json<{ rides: { rideIndex: number; serviceId: string }[] }>().rides;
    for (const r of rides) {
      const carrier = carriers.find((c) => c.organisation.services.includes(r.serviceId))!;
      const res = await server.app.inject({
        method: 'POST',
        url: `/v1/bookings/${confirmed}/rides/${r.rideIndex}/confirm`,
        headers: carrier.headers,
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await client.call('GET', `/v2/bookings/${confirmed}`)).body).toMatchObject({
      bookingStatus: 'CONFIRMED',
      carrierBookingReference: confirmed,
    });
    const amendment = await client.call('PUT', `/v2/bookings/${confirmed}`, {
      ...request,
      requestedEquipments: [{ ISOEquipmentCode: '42G1', units: 2 }],
    });
    expect(amendment.status).toBe(202);
    expect((await client.call('GET', `/v2/bookings/${confirmed}`)).body).toMatchObject({
      bookingStatus: 'CONFIRMED',
      amendedBookingStatus: 'AMENDMENT_RECEIVED',
      requestedEquipments: [{ units: 1 }],
    });
    expect(
      (await client.call('GET', `/v2/bookings/${confirmed}?amendedContent=true`)).body,
    ).toMatchObject({ requestedEquipments: [{ units: 2 }] });
    const ask = await client.call('PATCH', `/v2/bookings/${confirmed}`, {
      bookingCancellationStatus: 'CANCELLATION_RECEIVED',
      reason: 'the order was withdrawn',
    });
    expect(ask.status).toBe(202);
    expect((await client.call('GET', `/v2/bookings/${confirmed}`)).body).toMatchObject({
      bookingStatus: 'CONFIRMED',
      bookingCancellationStatus: 'CANCELLATION_RECEIVED',
    });
    await inbox.deliver();
    const latest = inbox.got
      .filter(
        (n): n is { type: string; data: Record<string, string> } =>
          (n as { type?: string }).type === 'org.dcsa.booking.v2',
      )
      .filter((n) => n.data.carrierBookingRequestReference === confirmed)
      .map((n) => n.data.bookingCancellationStatus);
    expect(latest).toContain('CANCELLATION_RECEIVED');
  });
});
