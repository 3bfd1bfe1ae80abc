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
import { dcsaProblems, dcsaSpec, TNT } from '../support/dcsa-schemas.ts';

/**
 * DCSA Track & Trace 3.0 as DCSA's own OpenAPI files define it: every answer and notification
 * body of /v3/events and /v3/event-subscriptions is validated against the official schemas, and
 * the spec's own example events (adapted only in container, place and booking reference) are
 * accepted and read back with every field kept.
 */
const clock = manualClock(new Date('2026-12-04T06:00:00Z'));
let server: TestServer;
let shipper: Caller;
let ktz: Caller;
let asco: Caller;
let kzCustoms: Caller;

const RIDES = [
  { tripId: 'SVC_XIAN_BAKU_BLOCK@2026-12-04T1200', from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT' },
  {
    tripId: 'SVC_FEEDER_AKTAU_ALAT@2026-12-14T1800',
    from: 'KZ_AKTAU_PORT',
    to: 'AZ_BAKU_PORT_ALAT',
  },
];
const box = (n: number) => containerNumber('MSCU', n);
const secret = () => randomBytes(32).toString('base64');

beforeAll(async () => {
  server = await testServer(undefined, clock);
  shipper = await apiKeyCaller(server, {
    name: 'Qingdao Exporter',
    kind: 'shipper',
    country: 'CN',
  });
  ktz = await apiKeyCaller(server, {
    name: 'KTZ Express',
    kind: 'carrier',
    country: 'KZ',
    services: ['SVC_XIAN_BAKU_BLOCK'],
  });
  asco = await apiKeyCaller(server, {
    name: 'Azerbaijan Caspian Shipping',
    kind: 'carrier',
    country: 'AZ',
    services: ['SVC_FEEDER_AKTAU_ALAT'],
  });
  kzCustoms = await apiKeyCaller(server, { name: 'KZ customs', kind: 'customs', country: 'KZ' });
});
afterAll(() => server.close());

const post = (url: string, who: Caller, payload: unknown) =>
  server.app.inject({ method: 'POST', url, headers: who.headers, payload: payload as object });
const get = (url: string, who: Caller, headers: Record<string, string> = {}) =>
  server.app.inject({ url, headers: { ...who.headers, ...headers } });

async function newShipment(containers: string[]): Promise<string> {
  const res = await post('/v1/shipments', shipper, {
    rides: RIDES,
    containers: containers.map((equipmentReference) => ({ equipmentReference })),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

/** A flat TNT 2.2 event of the kind the platform's carriers post. */
function flat(container: string, code: string, at: string, locode: string, extra: object = {}) {
  const transport = code === 'ARRI' || code === 'DEPA';
  return {
    eventID: randomUUID(),
    eventCreatedDateTime: at,
    eventDateTime: at,
    eventType: transport ? 'TRANSPORT' : 'EQUIPMENT',
    eventClassifierCode: 'ACT',
    ...(transport ? { transportEventTypeCode: code } : { equipmentEventTypeCode: code }),
    equipmentReference: container,
    eventLocation: { UNLocationCode: locode },
    ...extra,
  };
}

/** Reads /v3/events; every answer checked against the official schema. */
async function events(query: string, who: Caller = shipper) {
  const res = await get(`/v3/events${query}`, who);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['api-version']).toBe('3.0.0-Beta-1');
  const body =
    res.json<{ metadata: Record<string, unknown>; payload?: Record<string, unknown> }[]>();
  expect(dcsaProblems('tnt', TNT.events, body)).toEqual([]);
  return { body, res, ids: body.map((e) => e.metadata.eventID as string) };
}

type Example = { metadata: Record<string, unknown>; payload?: Record<string, unknown> };

/** Every example event of the TNT 3.0 spec (lists and single events), in the spec's order. */
function specExamples(): Example[] {
  const paths = dcsaSpec('tnt').paths as Record<
    string,
    { get: { responses: Record<string, unknown> } }
  >;
  const examplesOf = (path: string) =>
    Object.values(
      (
        paths[path]!.get.responses['200'] as {
          content: { 'application/json': { examples: Record<string, { value: unknown }> } };
        }
      ).content['application/json'].examples,
    ).flatMap((x) => (Array.isArray(x.value) ? x.value : [x.value]) as Example[]);
  return [...examplesOf('/v3/events'), ...examplesOf('/v3/events/{eventID}')];
}

describe('the spec’s own example events', () => {
  it('are accepted and read back schema-valid with every field kept', async () => {
    const [a, b] = [box(1), box(2)];
    const shipmentId = await newShipment([a, b]);
    // Adapted only in container number, place and booking reference. The spec uses some
    // eventIDs for more than one example; those get an eventID of their own.
    const seen = new Set<string>();
    const examples = specExamples().map((x) => {
      const adapted = JSON.parse(
        JSON.stringify(x)
          .replaceAll('APZU4812090', a)
          .replaceAll('APNR7744962', b)
          .replaceAll('NLRAM', 'KZAAU')
          .replaceAll('Railstation of Amsterdam', 'Aktau station')
          .replaceAll('Port of Amsterdam', 'Port of Aktau')
          .replaceAll('ABC123059', shipmentId),
      ) as Example;
      const id = adapted.metadata.eventID as string;
      if (seen.has(id)) adapted.metadata.eventID = randomUUID();
      seen.add(adapted.metadata.eventID as string);
      return adapted;
    });
    expect(examples.length).toBeGreaterThanOrEqual(11);
    // The events the spec's retractions retract, posted first by the same carrier.
    const retracted = [
      ...new Set(examples.flatMap((x) => (x.metadata.retractedEventID as string) ?? [])),
    ];
    for (const eventID of retracted) {
      const res = await post('/v1/events', asco, {
        ...flat(a, 'ARRI', '2022-09-19T06:31:00+02:00', 'KZAAU'),
        eventID,
        eventClassifierCode: 'EST',
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    // The spec's events name their own publishers; the retractions come from the one who posted.
    for (const x of examples) {
      const res = await post('/v1/events', asco, x);
      expect(res.statusCode, `${String(x.metadata.eventID)}: ${res.body}`).toBe(201);
      expect(res.json<{ shipmentId: string }>().shipmentId).toBe(shipmentId);
    }
    for (const x of examples) {
      const res = await get(`/v3/events/${String(x.metadata.eventID)}`, shipper);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['api-version']).toBe('3.0.0-Beta-1');
      const back = res.json<Example>();
      expect(dcsaProblems('tnt', TNT.event, back)).toEqual([]);
      expect(back).toEqual(x);
    }
    const all = await events(`?shipmentID=${shipmentId}&limit=1000`);
    for (const x of examples) expect(all.ids).toContain(x.metadata.eventID);
  });
});

describe('events posted as TNT 2.2 and the platform’s own', () => {
  it('read back as TNT 3.0, schema-valid, with what the spec requires completed', async () => {
    const c = box(3);
    const shipmentId = await newShipment([c]);
    const gateIn = flat(c, 'GTIN', '2026-12-04T05:00:00Z', 'CNXIA', {
      ISOEquipmentCode: '45G1',
      seals: [{ number: 'S123', source: 'CAR', type: 'BLT' }],
    });
    const departed = flat(c, 'DEPA', '2026-12-04T05:30:00Z', 'CNXIA', {
      transportCall: { modeOfTransport: 'RAIL', UNLocationCode: 'CNXIA', railService: 'X8001' },
    });
    for (const e of [gateIn, departed])
      expect((await post('/v1/events', ktz, e)).statusCode).toBe(201);
    const { body } = await events(`?shipmentID=${shipmentId}`);
    const byId = new Map(body.map((e) => [e.metadata.eventID, e]));
    const g = byId.get(gateIn.eventID)!;
    expect(g.metadata.publisher).toEqual({
      partyName: 'KTZ Express',
      carrierCode: 'KE',
      carrierCodeListProvider: 'SMDG',
    });
    expect(g.metadata.publisherRole).toBe('CA');
    expect(g.payload).toMatchObject({
      emptyIndicatorCode: 'LADEN',
      ISOEquipmentCode: '45G1',
      seals: [{ number: 'S123', source: 'CAR', type: 'BLT' }],
      eventLocation: { locationType: 'UNLO', UNLocationCode: 'CNXIA' },
    });
    const d = byId.get(departed.eventID)!;
    expect(d.payload!.transportCall).toMatchObject({
      transportCallReference: expect.any(String) as unknown,
      modeOfTransport: 'RAIL',
      railService: 'X8001',
      location: { locationType: 'UNLO', UNLocationCode: 'CNXIA' },
    });
    // The platform's estimate of the arrival is an event of its own, published by the platform.
    const estimate = body.find((e) => e.payload?.eventClassifierCode === 'EST')!;
    expect(estimate.metadata.publisher).toMatchObject({ partyName: 'Corridor' });
    expect(estimate.payload).toMatchObject({
      transportEventTypeCode: 'ARRI',
      transportCall: { modeOfTransport: 'VESSEL', location: { UNLocationCode: 'AZBAK' } },
      references: [{ type: 'EQ', value: c }],
    });
  });

  it('keeps any eventID the spec allows exactly as sent; BOCR and BORD both mean border', async () => {
    const c = box(4);
    await newShipment([c]);
    const upper = randomUUID().toUpperCase();
    const plain = `KTZ-${Date.now()}-border/1`;
    const e1 = { ...flat(c, 'CROS', '2026-12-04T05:00:00Z', 'CNHRS'), eventID: upper };
    const e2 = {
      ...flat(c, 'DEPA', '2026-12-04T05:10:00Z', 'CNHRS'),
      eventID: plain,
      transportCall: {
        transportCallReference: 'KHORGOS-1',
        modeOfTransport: 'RAIL',
        facilityTypeCode: 'BOCR',
        location: { locationType: 'UNLO', UNLocationCode: 'CNHRS' },
      },
    };
    const e3 = { ...flat(c, 'CROS', '2026-12-04T05:20:00Z', 'CNHRS'), facilityTypeCode: 'BORD' };
    for (const e of [e1, e2, e3]) {
      const res = await post('/v1/events', ktz, e);
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const id of [upper, plain]) {
      const res = await get(`/v3/events/${encodeURIComponent(id)}`, shipper);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<Example>().metadata.eventID).toBe(id);
      expect(dcsaProblems('tnt', TNT.event, res.json())).toEqual([]);
    }
    // The same UUID in lower case is another event, not found.
    expect((await get(`/v3/events/${upper.toLowerCase()}`, shipper)).statusCode).toBe(404);
  });
});

describe('retractions', () => {
  it('retract: the retracted event no longer counts; only its publisher may retract it', async () => {
    const c = box(5);
    const shipmentId = await newShipment([c]);
    const wrong = flat(c, 'DEPA', '2026-12-04T05:00:00Z', 'CNXIA');
    expect((await post('/v1/events', ktz, wrong)).statusCode).toBe(201);
    const position = async () =>
      (await get(`/v1/shipments/${shipmentId}`, shipper)).json<{
        position: { departed: boolean };
      }>().position.departed;
    expect(await position()).toBe(true);
    const retraction = (eventID: string) => ({
      metadata: {
        eventID: randomUUID(),
        eventCreatedDateTime: '2026-12-04T05:40:00Z',
        eventType: 'TRANSPORT',
        retractedEventID: eventID,
      },
    });
    const other = await post('/v1/events', asco, retraction(wrong.eventID));
    expect(other.statusCode).toBe(400);
    expect(other.json<{ errorMessage: string }>()).toBeTruthy();
    const unknown = await post('/v1/events', ktz, [retraction('no-such-event')]);
    expect(unknown.json<{ results: { reason: string }[] }>().results[0]!.reason).toMatch(
      /no event no-such-event/,
    );
    const r = retraction(wrong.eventID);
    const res = await post('/v1/events', ktz, r);
    expect(res.statusCode, res.body).toBe(201);
    expect(await position()).toBe(false);
    const back = (await get(`/v3/events/${String(r.metadata.eventID)}`, shipper)).json<Example>();
    expect(back.payload).toBeUndefined();
    expect(back.metadata).toMatchObject({ retractedEventID: wrong.eventID, publisherRole: 'CA' });
    expect(dcsaProblems('tnt', TNT.event, back)).toEqual([]);
  });
});

describe('GET /v3/events', () => {
  let shipmentId = '';
  const c = box(6);
  const posted: Record<string, string> = {};
  beforeAll(async () => {
    shipmentId = await newShipment([c]);
    const list = [
      ['gtin', flat(c, 'GTIN', '2026-12-04T01:00:00Z', 'CNXIA')],
      ['load', flat(c, 'LOAD', '2026-12-04T02:00:00Z', 'CNXIA')],
      [
        'depa',
        flat(c, 'DEPA', '2026-12-04T03:00:00Z', 'CNXIA', {
          transportCall: {
            transportCallReference: 'XIAN-0412',
            modeOfTransport: 'VESSEL',
            carrierServiceCode: 'XB1',
            carrierExportVoyageNumber: '2612W',
            vessel: { vesselIMONumber: '9321483', name: 'Test' },
          },
        }),
      ],
      [
        'shipment',
        {
          metadata: {
            eventID: randomUUID(),
            eventCreatedDateTime: '2026-12-04T04:00:00Z',
            eventType: 'SHIPMENT',
          },
          payload: {
            eventClassifierCode: 'ACT',
            eventDateTime: '2026-12-04T04:00:00Z',
            shipmentEventTypeCode: 'ISSU',
            documentTypeCode: 'TRD',
            documentReference: 'SMGS-12345',
            relatedDocumentReferences: [{ type: 'BKG', value: shipmentId }],
            references: [{ type: 'EQ', value: c }],
          },
        },
      ],
    ] as const;
    for (const [name, e] of list) {
      const res = await post('/v1/events', ktz, e);
      expect(res.statusCode, res.body).toBe(201);
      posted[name] = res.json<{ eventID: string }>().eventID;
    }
  });
  const mine = (ids: string[]) => ids.filter((id) => Object.values(posted).includes(id)).sort();
  const names = (...n: string[]) => n.map((x) => posted[x]!).sort();

  it('takes every query parameter of TNT 3.0, the TNT 2.2 names as aliases, and ignores unknown ones', async () => {
    const q = async (query: string) =>
      mine((await events(`?shipmentID=${shipmentId}&${query}`)).ids);
    expect(await q('eventTypes=EQUIPMENT')).toEqual(names('gtin', 'load'));
    expect(await q('eventType=SHIPMENT,TRANSPORT')).toEqual(names('depa', 'shipment'));
    expect(await q('equipmentEventTypeCodes=LOAD,DISC')).toEqual(names('load'));
    expect(await q('equipmentEventTypeCode=GTIN')).toEqual(names('gtin'));
    expect(await q('transportEventTypeCodes=DEPA')).toEqual(names('depa'));
    expect(await q('shipmentEventTypeCodes=ISSU')).toEqual(names('shipment'));
    expect(await q('shipmentEventTypeCodes=ISSU&equipmentEventTypeCodes=LOAD')).toEqual([]);
    expect(await q('documentTypeCodes=TRD&documentReference=SMGS-12345')).toEqual(
      names('shipment'),
    );
    expect(await q(`documentTypeCodes=BKG&documentReference=${shipmentId}`)).toContain(
      posted.shipment,
    );
    expect(await q(`carrierBookingReference=${shipmentId}`)).toContain(posted.shipment);
    expect(await q('transportCallReference=XIAN-0412')).toEqual(names('depa'));
    expect(await q('transportCallID=XIAN-0412')).toEqual(names('depa'));
    expect(await q('vesselIMONumber=9321483')).toEqual(names('depa'));
    expect(await q('carrierServiceCode=XB1')).toEqual(names('depa'));
    expect(await q('carrierExportVoyageNumber=2612W')).toEqual(names('depa'));
    expect(await q('carrierImportVoyageNumber=2612W')).toEqual([]);
    expect(await q(`equipmentReference=${c}`)).toEqual(names('gtin', 'load', 'depa', 'shipment'));
    expect(await q('UNLocationCode=CNXIA')).toEqual(names('gtin', 'load', 'depa'));
    expect(
      await q('eventDateTime:gte=2026-12-04T02:00:00Z&eventDateTime:lt=2026-12-04T04:00:00Z'),
    ).toEqual(names('load', 'depa'));
    expect(await q('eventCreatedDateTime=2026-12-04T02:00:00Z')).toEqual(names('load'));
    expect(await q('eventCreatedDateTime:eq=2026-12-04T03:00:00%2B00:00')).toEqual(names('depa'));
    expect(await q('eventCreatedDateTime:gt=2026-12-04T03:00:00Z&eventTypes=SHIPMENT')).toEqual(
      names('shipment'),
    );
    // Unknown parameters are ignored, as TNT allows.
    expect(await q('eventTypes=EQUIPMENT&someOtherFilter=1&scheduleID=x')).toEqual(
      names('gtin', 'load'),
    );
    const desc = await events(`?shipmentID=${shipmentId}&sort=eventCreatedDateTime:DESC`);
    const created = desc.body.map((e) => Date.parse(e.metadata.eventCreatedDateTime as string));
    expect(created).toEqual([...created].sort((x, y) => y - x));
  });

  it('pages with Next-Page and Prev-Page, whose cursor carries the query', async () => {
    const first = await events(
      `?shipmentID=${shipmentId}&eventTypes=EQUIPMENT,TRANSPORT,SHIPMENT&limit=2`,
    );
    expect(first.body).toHaveLength(2);
    expect(first.res.headers['prev-page']).toBeUndefined();
    const seen = [...first.ids];
    let next = first.res.headers['next-page'] as string | undefined;
    let last = first;
    while (next) {
      const url = new URL(next);
      expect([...url.searchParams.keys()]).toEqual(['cursor']);
      last = await events(`?${url.searchParams.toString()}`);
      seen.push(...last.ids);
      next = last.res.headers['next-page'] as string | undefined;
    }
    const all = await events(`?shipmentID=${shipmentId}&limit=1000`);
    expect(seen).toEqual(all.ids);
    // Back from the last page: the page before it.
    const prev = new URL(last.res.headers['prev-page'] as string);
    const before = await events(`?${prev.searchParams.toString()}`);
    const at = all.ids.indexOf(last.ids[0]!);
    expect(before.ids).toEqual(all.ids.slice(Math.max(0, at - 2), at));
  });

  it('answers refusals with the DCSA error object naming the parameter, and API-Version', async () => {
    for (const query of [
      '?limit=0',
      '?eventTypes=PARCEL',
      '?equipmentEventTypeCodes=FLY',
      '?eventCreatedDateTime:gte=yesterday',
      '?sort=eventDateTime:DESC',
      '?cursor=not-a-cursor',
    ]) {
      const res = await get(`/v3/events${query}`, shipper);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['api-version']).toBe('3.0.0-Beta-1');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json<{
        httpMethod: string;
        statusCode: number;
        errors: { field: string; reason: string }[];
      }>();
      expect(dcsaProblems('tnt', TNT.error, body), query).toEqual([]);
      expect(body).toMatchObject({
        httpMethod: 'GET',
        statusCode: 400,
        statusCodeText: 'Bad Request',
      });
      expect(body.errors[0]!.field).toBe(`query.${query.slice(1).split('=')[0]}`);
    }
    const missing = await get('/v3/events/no-such-event', shipper);
    expect(missing.statusCode).toBe(404);
    expect(dcsaProblems('tnt', TNT.error, missing.json())).toEqual([]);
    // Another organisation's event is not found either.
    const theirs = await get(`/v3/events/${posted.gtin!}`, kzCustoms);
    expect(theirs.statusCode).toBe(200); // customs of a country crossed may read it
    const stranger = await apiKeyCaller(server, {
      name: 'Stranger',
      kind: 'shipper',
      country: 'CN',
    });
    expect((await get(`/v3/events/${posted.gtin!}`, stranger)).statusCode).toBe(404);
  });
});

describe('/v3/event-subscriptions', () => {
  it('subscribes with the spec’s filter names, answers in the spec’s shape, notifies schema-valid and signed', async () => {
    const c = box(7);
    const shipmentId = await newShipment([c]);
    const key = secret();
    const request = {
      callbackUrl: 'http://127.0.0.1:9/dcsa/events',
      secret: key,
      eventTypes: ['EQUIPMENT', 'TRANSPORT'],
      equipmentEventTypeCodes: ['LOAD'],
      equipmentReference: c,
      carrierBookingReference: 'ignored-not-a-3.0-filter',
    };
    const { carrierBookingReference: _ignored, ...asSpec } = request;
    expect(dcsaProblems('tnt', TNT.subscriptionRequest, asSpec)).toEqual([]);
    const created = await post('/v3/event-subscriptions', shipper, request);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers['api-version']).toBe('3.0.0-Beta-1');
    const sub = created.json<Record<string, unknown>>();
    expect(dcsaProblems('tnt', TNT.subscription, sub)).toEqual([]);
    expect(sub.subscriptionID).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(sub).not.toHaveProperty('secret');
    expect(Object.values(sub)).not.toContain(null);
    expect(sub).toMatchObject({ equipmentEventTypeCodes: ['LOAD'], equipmentReference: c });
    expect(sub).toHaveProperty('subscriptionCreatedDateTime');
    const list = await get('/v3/event-subscriptions', shipper);
    expect(dcsaProblems('tnt', TNT.subscriptions, list.json())).toEqual([]);
    const one = await get(`/v3/event-subscriptions/${String(sub.subscriptionID)}`, shipper);
    expect(dcsaProblems('tnt', TNT.subscription, one.json())).toEqual([]);
    const put = await server.app.inject({
      method: 'PUT',
      url: `/v3/event-subscriptions/${String(sub.subscriptionID)}`,
      headers: shipper.headers,
      payload: asSpec,
    });
    expect(put.statusCode).toBe(501);
    expect(dcsaProblems('tnt', TNT.notImplemented, put.json())).toEqual([]);

    // A LOAD matches; a GTIN (another code) and the platform's estimate (TRANSPORT, no LOAD) do not.
    const load = flat(c, 'LOAD', '2026-12-04T05:00:00Z', 'CNXIA');
    for (const e of [flat(c, 'GTIN', '2026-12-04T04:00:00Z', 'CNXIA'), load])
      expect((await post('/v1/events', ktz, e)).statusCode).toBe(201);
    const sent: { url: string; body: string; headers: Record<string, string> }[] = [];
    const notifier: Notifier = {
      sign: (key, body) => server.subscriptions.notifier.sign(key, body),
      post: (url, body, headers) => {
        sent.push({ url, body, headers });
        return Promise.resolve({ status: 204 });
      },
    };
    await deliverDue({
      ...server.subscriptions,
      notifier,
      guard: { problem: async () => undefined },
    });
    const mine = sent.filter((s) => s.headers['subscription-id'] === sub.subscriptionID);
    expect(mine).toHaveLength(1);
    const body = JSON.parse(mine[0]!.body) as Example[];
    expect(dcsaProblems('tnt', TNT.notification, body)).toEqual([]);
    expect(body.map((e) => e.metadata.eventID)).toEqual([load.eventID]);
    expect(mine[0]!.headers['api-version']).toBe('3.0.0-Beta-1');
    expect(mine[0]!.headers['notification-signature']).toBe(
      `sha256=${createHmac('sha256', Buffer.from(key, 'base64')).update(mine[0]!.body, 'utf8').digest('hex')}`,
    );
    void shipmentId;
  });

  it('waits as long as a receiver’s Retry-After asks before delivering again', async () => {
    const c = box(8);
    const shipmentId = await newShipment([c]);
    const created = await post('/v3/event-subscriptions', shipper, {
      callbackUrl: 'http://127.0.0.1:9/dcsa/busy',
      secret: secret(),
      shipmentID: shipmentId,
    });
    const subId = created.json<{ subscriptionID: string }>().subscriptionID;
    expect(
      (await post('/v1/events', ktz, flat(c, 'GTIN', '2026-12-04T05:00:00Z', 'CNXIA'))).statusCode,
    ).toBe(201);
    const attempts: number[] = [];
    const notifier: Notifier = {
      sign: (key, body) => server.subscriptions.notifier.sign(key, body),
      post: (_url, _body, headers) => {
        if (headers['subscription-id'] === subId) attempts.push(clock.now().getTime());
        return Promise.resolve({ status: 503, retryAfterSeconds: 3600 });
      },
    };
    const deps = { ...server.subscriptions, notifier, guard: { problem: async () => undefined } };
    await deliverDue(deps);
    expect(attempts.length).toBeGreaterThan(0);
    const tries = attempts.length;
    // After the default first retry (a minute) nothing is sent: the receiver asked for an hour.
    clock.advance(5 * 60_000);
    await deliverDue(deps);
    expect(attempts).toHaveLength(tries);
    clock.advance(56 * 60_000);
    await deliverDue(deps);
    expect(attempts.length).toBeGreaterThan(tries);
    const log = await get(`/v3/event-subscriptions/${subId}/deliveries`, shipper);
    expect(log.json<{ deliveries: { lastStatus: number }[] }>().deliveries[0]!.lastStatus).toBe(
      503,
    );
  });
});
