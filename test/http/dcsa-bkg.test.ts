import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue, type Notifier } from '../../src/app/subscriptions.ts';
import { planResponseSchema } from '../../src/api/plan.ts';
import {
  apiKeyCaller,
  manualClock,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';
import { BKG, dcsaProblems, dcsaSpec } from '../support/dcsa-schemas.ts';

/**
 * DCSA Booking 2.0 as DCSA's own OpenAPI file defines it: every answer of /v2/bookings is
 * validated against the official schemas, and the spec's example booking requests (adapted only
 * in container, place and reference) are accepted and read back with every field kept.
 */
const clock = manualClock();
let server: TestServer;
let shipper: Caller;
let otherShipper: Caller;
let ktz: Caller;
let asco: Caller;

beforeAll(async () => {
  server = await testServer(undefined, clock);
  shipper = await apiKeyCaller(server, {
    name: 'Qingdao Exporter',
    kind: 'shipper',
    country: 'CN',
  });
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
});
afterAll(() => server.close());

const send = (method: 'POST' | 'PUT' | 'PATCH', url: string, who: Caller, payload?: unknown) =>
  server.app.inject({
    method,
    url,
    headers: who.headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const get = (url: string, who: Caller) => server.app.inject({ url, headers: who.headers });

/** A kept plan Xi'an → Baku and its first itinerary. */
async function plan(containers = '1x40GP') {
  const res = await server.app.inject({
    method: 'POST',
    url: '/v1/plans',
    payload: { from: 'Xian', to: 'Baku', depart: '2026-12-01', containers },
  });
  expect(res.statusCode, res.body).toBe(200);
  const body = planResponseSchema.parse(res.json());
  return { planId: res.json<{ planId: string }>().planId, itineraryId: body.itineraries[0]!.id };
}

type Request = Record<string, unknown> & {
  references?: { type: string; value: string }[];
  requestedEquipments: { ISOEquipmentCode: string; units: number }[];
};

/** The spec's example booking requests of POST /v2/bookings, by name. */
function specExamples(): Record<string, Request> {
  const post = (dcsaSpec('bkg').paths as Record<string, Record<string, unknown>>)['/v2/bookings']!
    .post as {
    requestBody: {
      content: { 'application/json': { examples: Record<string, { value: Request }> } };
    };
  };
  return Object.fromEntries(
    Object.entries(post.requestBody.content['application/json'].examples).map(([k, v]) => [
      k,
      v.value,
    ]),
  );
}

/** An example adapted in place (Xi'an → Baku), reference (the plan and itinerary) and containers. */
function adapt(example: Request, p: { planId: string; itineraryId: string }, units = 1): Request {
  const adapted = JSON.parse(
    JSON.stringify(example)
      .replaceAll('DEBRV', 'CNXIA')
      .replaceAll('Bremerhaven', "Xi'an")
      .replaceAll('USORF', 'AZBAK')
      .replaceAll('Norfolk', 'Baku'),
  ) as Request;
  adapted.contractQuotationReference = p.planId;
  adapted.references = [...(adapted.references ?? []), { type: 'CR', value: p.itineraryId }];
  // One box of each requested kind: the corridor's block trains are short.
  adapted.requestedEquipments = adapted.requestedEquipments.map((e) => ({ ...e, units }));
  return adapted;
}

/** Books a Booking 2.0 request: 202 with only the carrierBookingRequestReference. */
async function book(request: Request, who = shipper): Promise<string> {
  expect(dcsaProblems('bkg', BKG.createRequest, request)).toEqual([]);
  const res = await send('POST', '/v2/bookings', who, request);
  expect(res.statusCode, res.body).toBe(202);
  expect(res.headers['api-version']).toBe('2.0.0');
  expect(dcsaProblems('bkg', BKG.created, res.json())).toEqual([]);
  return res.json<{ carrierBookingRequestReference: string }>().carrierBookingRequestReference;
}

/** Reads a booking; the answer checked against the official schema. */
async function read(reference: string, who = shipper, query = '') {
  const res = await get(`/v2/bookings/${reference}${query}`, who);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json<Record<string, unknown>>();
  expect(dcsaProblems('bkg', BKG.booking, body)).toEqual([]);
  return body;
}

const carrierOf = (r: { serviceId: string }) =>
  r.serviceId === 'SVC_FEEDER_AKTAU_ALAT' ? asco : ktz;

/** Every carrier confirms its ride; the rides. */
async function confirmAll(reference: string) {
  const rides = (await get(`/v1/bookings/${reference}`, shipper)).json<{
    rides: { rideIndex: number; serviceId: string }[];
  }>().rides;
  for (const r of rides)
    expect(
      (await send('POST', `/v1/bookings/${reference}/rides/${r.rideIndex}/confirm`, carrierOf(r)))
        .statusCode,
    ).toBe(200);
  return rides;
}

function expectDcsaError(
  res: { statusCode: number; body: string },
  status: number,
  field?: string,
) {
  expect(res.statusCode, res.body).toBe(status);
  const body = JSON.parse(res.body) as { errors: { property?: string }[] };
  expect(dcsaProblems('bkg', BKG.error, body)).toEqual([]);
  if (field) expect(body.errors.map((e) => e.property)).toContain(field);
}

describe('the spec’s own example booking requests', () => {
  it('are accepted and read back schema-valid with every field kept', async () => {
    const examples = specExamples();
    expect(Object.keys(examples).length).toBeGreaterThanOrEqual(4);
    for (const [name, example] of Object.entries(examples)) {
      const request = adapt(example, await plan());
      const reference = await book(request);
      const back = await read(reference);
      expect(back, name).toMatchObject({ ...request, bookingStatus: 'RECEIVED' });
      expect(back.carrierBookingRequestReference).toBe(reference);
    }
  });
});

describe('a booking through Booking 2.0', () => {
  it('is the platform booking: confirmed by its carriers, then a carrierBookingReference', async () => {
    const reference = await book(adapt(specExamples().dryExample!, await plan()));
    const v1 = (await get(`/v1/bookings/${reference}`, shipper)).json<{
      state: string;
      containers: { type: string; count: number; grossKg: number }[];
      rides: { rideIndex: number; serviceId: string }[];
    }>();
    // 42G1 is the platform's 40GP; the example's 36 000 kg shared over the box booked.
    expect([v1.state, v1.containers]).toEqual([
      'RECEIVED',
      [{ type: '40GP', count: 1, grossKg: 36_000 }],
    ]);
    for (const r of v1.rides) {
      const carrier = r.serviceId === 'SVC_FEEDER_AKTAU_ALAT' ? asco : ktz;
      expect(
        (await send('POST', `/v1/bookings/${reference}/rides/${r.rideIndex}/confirm`, carrier))
          .statusCode,
      ).toBe(200);
    }
    expect(await read(reference)).toMatchObject({
      bookingStatus: 'CONFIRMED',
      carrierBookingReference: reference,
    });
  });

  it('is amended with PUT (202, no body) and read back as amended', async () => {
    const p = await plan();
    const request = adapt(specExamples().dryExample!, p);
    const reference = await book(request);
    const amended = {
      ...request,
      requestedEquipments: [{ ...request.requestedEquipments[0]!, units: 2 }],
    };
    expect(dcsaProblems('bkg', BKG.updateRequest, amended)).toEqual([]);
    const res = await send('PUT', `/v2/bookings/${reference}`, shipper, amended);
    expect(res.statusCode, res.body).toBe(202);
    expect(await read(reference)).toMatchObject({
      requestedEquipments: [{ ISOEquipmentCode: '42G1', units: 2 }],
    });
    expect((await get(`/v1/bookings/${reference}`, shipper)).json<{ teu: number }>().teu).toBe(4);
    // Another itinerary is another booking.
    expectDcsaError(
      await send('PUT', `/v2/bookings/${reference}`, shipper, {
        ...amended,
        contractQuotationReference: (await plan()).planId,
      }),
      409,
      'body.contractQuotationReference',
    );
  });

  it('is cancelled with PATCH: a request by bookingStatus, a confirmed booking by its cancellation', async () => {
    const pending = await book(adapt(specExamples().dryExample!, await plan()));
    const cancel = { bookingStatus: 'CANCELLED', reason: 'no longer needed' };
    expect(dcsaProblems('bkg', BKG.cancelRequest, cancel)).toEqual([]);
    expect((await send('PATCH', `/v2/bookings/${pending}`, shipper, cancel)).statusCode).toBe(202);
    expect(await read(pending)).toMatchObject({ bookingStatus: 'CANCELLED' });
    // A cancelled booking cannot be cancelled again.
    expectDcsaError(await send('PATCH', `/v2/bookings/${pending}`, shipper, cancel), 409);
    // No amendment waits: withdrawing one is a 404, as the spec says.
    expectDcsaError(
      await send('PATCH', `/v2/bookings/${pending}`, shipper, {
        amendedBookingStatus: 'AMENDMENT_CANCELLED',
      }),
      404,
      'body.amendedBookingStatus',
    );
    // A confirmed booking is not cancelled by bookingStatus, only by asking its cancellation.
    const confirmed = await book(adapt(specExamples().dryExample!, await plan()));
    const rides = (await get(`/v1/bookings/${confirmed}`, shipper)).json<{
      rides: { rideIndex: number; serviceId: string }[];
    }>().rides;
    for (const r of rides)
      await send(
        'POST',
        `/v1/bookings/${confirmed}/rides/${r.rideIndex}/confirm`,
        r.serviceId === 'SVC_FEEDER_AKTAU_ALAT' ? asco : ktz,
      );
    expectDcsaError(
      await send('PATCH', `/v2/bookings/${confirmed}`, shipper, cancel),
      409,
      'body.bookingStatus',
    );
    const ask = { bookingCancellationStatus: 'CANCELLATION_RECEIVED' };
    expect(dcsaProblems('bkg', BKG.cancelRequest, ask)).toEqual([]);
    expect((await send('PATCH', `/v2/bookings/${confirmed}`, shipper, ask)).statusCode).toBe(202);
    // It stays CONFIRMED until its carriers decide the cancellation.
    expect(await read(confirmed)).toMatchObject({
      bookingStatus: 'CONFIRMED',
      bookingCancellationStatus: 'CANCELLATION_RECEIVED',
    });
    for (const r of rides)
      await send(
        'POST',
        `/v1/bookings/${confirmed}/rides/${r.rideIndex}/cancellation/confirm`,
        r.serviceId === 'SVC_FEEDER_AKTAU_ALAT' ? asco : ktz,
      );
    expect(await read(confirmed)).toMatchObject({
      bookingStatus: 'CANCELLED',
      bookingCancellationStatus: 'CANCELLATION_CONFIRMED',
      carrierBookingReference: confirmed,
    });
  });

  it('amends a confirmed booking beside it: the carriers decline or confirm the amendment on its own', async () => {
    const request = adapt(specExamples().dryExample!, await plan());
    const reference = await book(request);
    const rides = await confirmAll(reference);
    const amended = {
      ...request,
      requestedEquipments: [{ ...request.requestedEquipments[0]!, units: 2 }],
    };
    expect((await send('PUT', `/v2/bookings/${reference}`, shipper, amended)).statusCode).toBe(202);
    // The booking is read as confirmed, the amendment with amendedContent=true.
    expect(await read(reference)).toMatchObject({
      bookingStatus: 'CONFIRMED',
      amendedBookingStatus: 'AMENDMENT_RECEIVED',
      requestedEquipments: [{ units: 1 }],
    });
    expect(await read(reference, shipper, '?amendedContent=true')).toMatchObject({
      bookingStatus: 'CONFIRMED',
      amendedBookingStatus: 'AMENDMENT_RECEIVED',
      requestedEquipments: [{ units: 2 }],
    });
    expect((await get(`/v1/bookings/${reference}`, shipper)).json()).toMatchObject({
      state: 'CONFIRMED',
      teu: 2,
      amendment: { status: 'AMENDMENT_RECEIVED', teu: 4 },
    });
    // One carrier declines: the booking stays as confirmed.
    await send(
      'POST',
      `/v1/bookings/${reference}/rides/${rides[0]!.rideIndex}/amendment/decline`,
      carrierOf(rides[0]!),
    );
    expect(await read(reference)).toMatchObject({
      bookingStatus: 'CONFIRMED',
      amendedBookingStatus: 'AMENDMENT_DECLINED',
      requestedEquipments: [{ units: 1 }],
    });
    // Asked again and withdrawn by PATCH, asked again and confirmed by every carrier.
    expect((await send('PUT', `/v2/bookings/${reference}`, shipper, amended)).statusCode).toBe(202);
    const withdraw = { amendedBookingStatus: 'AMENDMENT_CANCELLED' };
    expect(dcsaProblems('bkg', BKG.cancelRequest, withdraw)).toEqual([]);
    expect((await send('PATCH', `/v2/bookings/${reference}`, shipper, withdraw)).statusCode).toBe(
      202,
    );
    expect(await read(reference)).toMatchObject({ amendedBookingStatus: 'AMENDMENT_CANCELLED' });
    expect((await send('PUT', `/v2/bookings/${reference}`, shipper, amended)).statusCode).toBe(202);
    for (const r of rides)
      await send(
        'POST',
        `/v1/bookings/${reference}/rides/${r.rideIndex}/amendment/confirm`,
        carrierOf(r),
      );
    expect(await read(reference)).toMatchObject({
      bookingStatus: 'CONFIRMED',
      amendedBookingStatus: 'AMENDMENT_CONFIRMED',
      requestedEquipments: [{ units: 2 }],
    });
    expect((await get(`/v1/bookings/${reference}`, shipper)).json()).toMatchObject({ teu: 4 });
    // A booking never amended has no amended content.
    const plain = await book(adapt(specExamples().dryExample!, await plan()));
    expectDcsaError(await get(`/v2/bookings/${plain}?amendedContent=true`, shipper), 404);
  });

  it('refuses what it cannot read with the DCSA error object, naming the field', async () => {
    const p = await plan();
    const request = adapt(specExamples().dryExample!, p);
    const { receiptTypeAtOrigin: _, ...missing } = request;
    expectDcsaError(
      await send('POST', '/v2/bookings', shipper, missing),
      400,
      'body.receiptTypeAtOrigin',
    );
    expectDcsaError(
      await send('POST', '/v2/bookings', shipper, {
        ...request,
        contractQuotationReference: 'HHL1401',
      }),
      400,
      'body.contractQuotationReference',
    );
    expectDcsaError(
      await send('POST', '/v2/bookings', shipper, {
        ...request,
        requestedEquipments: [{ ISOEquipmentCode: '22T1', units: 1 }],
      }),
      400,
      'body.requestedEquipments[0].ISOEquipmentCode',
    );
    expectDcsaError(
      await send('POST', '/v2/bookings', shipper, { ...request, references: [] }),
      400,
      'body.references',
    );
    // The plan's itinerary is named by the reference that chose it.
    expectDcsaError(
      await send('POST', '/v2/bookings', shipper, {
        ...request,
        references: [{ type: 'CR', value: 'it_nothing' }],
      }),
      404,
      'body.references',
    );
    // Another organisation's booking is not found.
    const reference = await book(request);
    expectDcsaError(await get(`/v2/bookings/${reference}`, otherShipper), 404);
    expectDcsaError(await get('/v2/bookings/bkg_nothing', shipper), 404);
  });
});

describe('booking notifications', () => {
  it('go to the shipper’s /v2/booking-notifications endpoint, signed, as the spec’s notification', async () => {
    const key = randomBytes(32).toString('base64');
    const sub = await send('POST', '/v3/event-subscriptions', otherShipper, {
      callbackUrl: 'http://127.0.0.1:9/dcsa/v2/booking-notifications',
      secret: key,
      eventTypes: ['BOOKING'],
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const reference = await book(adapt(specExamples().dryExample!, await plan()), otherShipper);
    const rides = (await get(`/v1/bookings/${reference}`, otherShipper)).json<{
      rides: { rideIndex: number; serviceId: string }[];
    }>().rides;
    for (const r of rides)
      await send(
        'POST',
        `/v1/bookings/${reference}/rides/${r.rideIndex}/confirm`,
        r.serviceId === 'SVC_FEEDER_AKTAU_ALAT' ? asco : ktz,
      );
    const got: unknown[] = [];
    const notifier: Notifier = {
      sign: (k, body) => server.subscriptions.notifier.sign(k, body),
      post: (url, body, headers) => {
        expect(url).toBe('http://127.0.0.1:9/dcsa/v2/booking-notifications');
        expect(headers['notification-signature']).toBe(
          `sha256=${createHmac('sha256', Buffer.from(key, 'base64')).update(body, 'utf8').digest('hex')}`,
        );
        got.push(JSON.parse(body));
        return Promise.resolve({ status: 204 });
      },
    };
    await deliverDue({
      ...server.subscriptions,
      notifier,
      guard: { problem: async () => undefined },
    });
    expect(got).toHaveLength(1);
    expect(dcsaProblems('bkg', BKG.notification, got[0])).toEqual([]);
    expect(got[0]).toMatchObject({
      type: 'org.dcsa.booking.v2',
      subscriptionReference: sub.json<{ subscriptionID: string }>().subscriptionID,
      data: {
        bookingStatus: 'CONFIRMED',
        carrierBookingRequestReference: reference,
        carrierBookingReference: reference,
      },
    });
  });
  it('tell the amendment and the cancellation of a confirmed booking with their sub-states', async () => {
    const key = randomBytes(32).toString('base64');
    const forwarder = await apiKeyCaller(server, {
      name: 'SCODA Forwarder',
      kind: 'forwarder',
      country: 'CN',
    });
    const sub = await send('POST', '/v3/event-subscriptions', forwarder, {
      callbackUrl: 'http://127.0.0.1:9/dcsa/v2/booking-notifications',
      secret: key,
      eventTypes: ['BOOKING'],
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const request = adapt(specExamples().dryExample!, await plan());
    const reference = await book(request, forwarder);
    const rides = (await get(`/v1/bookings/${reference}`, forwarder)).json<{
      rides: { rideIndex: number; serviceId: string }[];
    }>().rides;
    for (const r of rides)
      await send('POST', `/v1/bookings/${reference}/rides/${r.rideIndex}/confirm`, carrierOf(r));
    await send('PUT', `/v2/bookings/${reference}`, forwarder, {
      ...request,
      requestedEquipments: [{ ...request.requestedEquipments[0]!, units: 2 }],
    });
    await send(
      'POST',
      `/v1/bookings/${reference}/rides/${rides[0]!.rideIndex}/amendment/decline`,
      carrierOf(rides[0]!),
    );
    await send('PATCH', `/v2/bookings/${reference}`, forwarder, {
      bookingCancellationStatus: 'CANCELLATION_RECEIVED',
    });
    await send(
      'POST',
      `/v1/bookings/${reference}/rides/${rides[0]!.rideIndex}/cancellation/decline`,
      carrierOf(rides[0]!),
    );
    const got: { data: Record<string, unknown>; time: string }[] = [];
    await deliverDue({
      ...server.subscriptions,
      notifier: {
        sign: (k, body) => server.subscriptions.notifier.sign(k, body),
        post: (_url, body) => {
          got.push(JSON.parse(body) as (typeof got)[number]);
          return Promise.resolve({ status: 204 });
        },
      },
      guard: { problem: async () => undefined },
    });
    for (const n of got) expect(dcsaProblems('bkg', BKG.notification, n)).toEqual([]);
    const statuses = got.map((n) => [
      n.data.bookingStatus,
      n.data.amendedBookingStatus ?? null,
      n.data.bookingCancellationStatus ?? null,
    ]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        ['CONFIRMED', null, null],
        ['CONFIRMED', 'AMENDMENT_RECEIVED', null],
        ['CONFIRMED', 'AMENDMENT_DECLINED', null],
        ['CONFIRMED', 'AMENDMENT_DECLINED', 'CANCELLATION_RECEIVED'],
        ['CONFIRMED', 'AMENDMENT_DECLINED', 'CANCELLATION_DECLINED'],
      ]),
    );
    expect(got).toHaveLength(5);
  });
  it('tell a carrier’s request for an update or an amendment, and the answers, schema-valid', async () => {
    const key = randomBytes(32).toString('base64');
    const party = await apiKeyCaller(server, {
      name: 'Baku Importer',
      kind: 'shipper',
      country: 'AZ',
    });
    for (const callbackUrl of [
      'http://127.0.0.1:9/dcsa/v2/booking-notifications',
      'http://127.0.0.1:9/corridor/bookings',
    ])
      expect(
        (
          await send('POST', '/v3/event-subscriptions', party, {
            callbackUrl,
            secret: key,
            eventTypes: ['BOOKING'],
          })
        ).statusCode,
      ).toBe(201);
    const request = adapt(specExamples().dryExample!, await plan());
    const reference = await book(request, party);
    const rides = (await get(`/v1/bookings/${reference}`, party)).json<{
      rides: { rideIndex: number; serviceId: string }[];
    }>().rides;
    const first = rides[0]!;
    const other = carrierOf(first) === asco ? ktz : asco;
    const ask = (what: 'request-update' | 'request-amendment', who: Caller) =>
      send('POST', `/v1/bookings/${reference}/rides/${first.rideIndex}/${what}`, who, {
        reason: 'one box more fits this departure',
      });
    // UseCase 2: only the ride's carrier asks.
    expect((await ask('request-update', party)).statusCode).toBe(404);
    // Another carrier (even one with another ride of it) does not ask for this ride.
    expect((await ask('request-update', other)).statusCode).toBe(404);
    expect((await ask('request-update', carrierOf(first))).statusCode).toBe(200);
    const pending = await read(reference, party);
    expect(pending.bookingStatus).toBe('PENDING_UPDATE');
    // The carrier's reason is told as feedback.
    expect(pending.feedbacks).toEqual([
      {
        severity: 'INFO',
        code: 'INFORMATIONAL_MESSAGE',
        message: `${first.serviceId}: one box more fits this departure`,
      },
    ]);
    // UseCase 3: the update answers it.
    const two = {
      ...request,
      requestedEquipments: [{ ...request.requestedEquipments[0]!, units: 2 }],
    };
    expect((await send('PUT', `/v2/bookings/${reference}`, party, two)).statusCode).toBe(202);
    expect(await read(reference, party)).toMatchObject({
      bookingStatus: 'UPDATE_RECEIVED',
      requestedEquipments: [{ units: 2 }],
    });
    expect(await read(reference, party)).not.toHaveProperty('carrierBookingReference');
    for (const r of rides)
      await send('POST', `/v1/bookings/${reference}/rides/${r.rideIndex}/confirm`, carrierOf(r));
    expect(await read(reference, party)).toMatchObject({
      bookingStatus: 'CONFIRMED',
      carrierBookingReference: reference,
    });
    // UseCase 6: the carrier asks to amend the confirmed booking; no amended content until sent.
    expect((await ask('request-update', carrierOf(first))).statusCode).toBe(409);
    expect((await ask('request-amendment', party)).statusCode).toBe(404);
    expect((await ask('request-amendment', carrierOf(first))).statusCode).toBe(200);
    expect(await read(reference, party)).toMatchObject({
      bookingStatus: 'PENDING_AMENDMENT',
      carrierBookingReference: reference,
      requestedEquipments: [{ units: 2 }],
    });
    expectDcsaError(await get(`/v2/bookings/${reference}?amendedContent=true`, party), 404);
    // UseCase 7 in answer: it stays PENDING_AMENDMENT beside the amendment, then is CONFIRMED.
    const one = {
      ...request,
      requestedEquipments: [{ ...request.requestedEquipments[0]!, units: 1 }],
    };
    expect((await send('PUT', `/v2/bookings/${reference}`, party, one)).statusCode).toBe(202);
    expect(await read(reference, party)).toMatchObject({
      bookingStatus: 'PENDING_AMENDMENT',
      amendedBookingStatus: 'AMENDMENT_RECEIVED',
      requestedEquipments: [{ units: 2 }],
    });
    expect(await read(reference, party, '?amendedContent=true')).toMatchObject({
      amendedBookingStatus: 'AMENDMENT_RECEIVED',
      requestedEquipments: [{ units: 1 }],
    });
    for (const r of rides)
      await send(
        'POST',
        `/v1/bookings/${reference}/rides/${r.rideIndex}/amendment/confirm`,
        carrierOf(r),
      );
    expect(await read(reference, party)).toMatchObject({
      bookingStatus: 'CONFIRMED',
      amendedBookingStatus: 'AMENDMENT_CONFIRMED',
      requestedEquipments: [{ units: 1 }],
    });
    // Asked again, it is cancelled as a confirmed booking (and not as a request).
    expect((await ask('request-amendment', carrierOf(first))).statusCode).toBe(200);
    expectDcsaError(
      await send('PATCH', `/v2/bookings/${reference}`, party, { bookingStatus: 'CANCELLED' }),
      409,
      'body.bookingStatus',
    );
    expect(
      (
        await send('PATCH', `/v2/bookings/${reference}`, party, {
          bookingCancellationStatus: 'CANCELLATION_RECEIVED',
        })
      ).statusCode,
    ).toBe(202);
    expect(await read(reference, party)).toMatchObject({
      bookingStatus: 'PENDING_AMENDMENT',
      bookingCancellationStatus: 'CANCELLATION_RECEIVED',
    });

    const dcsa: { data: Record<string, unknown> }[] = [];
    const platform: {
      change: string;
      bookingStatus: string;
      amendedBookingStatus: string | null;
    }[] = [];
    await deliverDue({
      ...server.subscriptions,
      notifier: {
        sign: (k, body) => server.subscriptions.notifier.sign(k, body),
        post: (url, body) => {
          if (url.endsWith('/v2/booking-notifications'))
            dcsa.push(JSON.parse(body) as (typeof dcsa)[number]);
          else platform.push(...(JSON.parse(body) as typeof platform));
          return Promise.resolve({ status: 204 });
        },
      },
      guard: { problem: async () => undefined },
    });
    for (const n of dcsa) expect(dcsaProblems('bkg', BKG.notification, n)).toEqual([]);
    // Queued at the same instant of the test clock, they arrive in no particular order.
    expect(dcsa).toHaveLength(8);
    expect(
      dcsa.map((n) => [
        n.data.bookingStatus,
        n.data.amendedBookingStatus ?? null,
        n.data.bookingCancellationStatus ?? null,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['PENDING_UPDATE', null, null],
        ['UPDATE_RECEIVED', null, null],
        ['CONFIRMED', null, null],
        ['PENDING_AMENDMENT', null, null],
        ['PENDING_AMENDMENT', 'AMENDMENT_RECEIVED', null],
        ['CONFIRMED', 'AMENDMENT_CONFIRMED', null],
        ['PENDING_AMENDMENT', 'AMENDMENT_CONFIRMED', null],
        ['PENDING_AMENDMENT', 'AMENDMENT_CONFIRMED', 'CANCELLATION_RECEIVED'],
      ]),
    );
    expect(platform).toHaveLength(8);
    expect(platform.map((n) => [n.change, n.bookingStatus])).toEqual(
      expect.arrayContaining([
        ['update_requested', 'PENDING_UPDATE'],
        ['amended', 'UPDATE_RECEIVED'],
        ['confirmed', 'CONFIRMED'],
        ['amendment_requested', 'PENDING_AMENDMENT'],
        ['amended', 'PENDING_AMENDMENT'],
        ['amendment_confirmed', 'CONFIRMED'],
        ['amendment_requested', 'PENDING_AMENDMENT'],
        ['cancellation_received', 'PENDING_AMENDMENT'],
      ]),
    );
  });
});
