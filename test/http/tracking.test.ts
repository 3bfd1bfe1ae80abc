import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dcsaEventSchema, eventsAnswerSchema, shipmentSchema } from '../../src/api/tracking.ts';
import { INLINE_REFRESH, refreshShipments } from '../../src/app/tracking.ts';
import {
  apiKeyCaller,
  callersOf,
  manualClock,
  organisationWithPeople,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';
import { containerNumber } from '../support/containers.ts';
import { referenceNetwork } from '../support/network-files.ts';
import { placeTime } from '../../src/core/shared/time-zone.ts';

/** A page of GET /v3/events: TNT 3.0 events, the next page in the Next-Page header. */
const eventsPage = (res: { json(): unknown; headers: Record<string, unknown> }) => {
  const next = res.headers['next-page'] as string | undefined;
  return {
    events: dcsaEventSchema.array().parse(res.json()),
    nextCursor: next ? new URL(next).searchParams.get('cursor') : null,
  };
};

/** Shipments and DCSA events over HTTP, on PGlite and on PostgreSQL. */
const clock = manualClock(new Date('2026-12-04T00:00:00Z'));
let server: TestServer;
let shipper: Caller;
let otherShipper: Caller;
let ktz: Caller;
let asco: Caller;
let otherCarrier: Caller;
let kzCustoms: Caller;
let geCustoms: Caller;
let azTerminal: Caller;

const BLOCK = 'SVC_XIAN_BAKU_BLOCK@2026-12-04T1200';
const FEEDER = 'SVC_FEEDER_AKTAU_ALAT@2026-12-14T1800';
const RIDES = [
  { tripId: BLOCK, from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT' },
  { tripId: FEEDER, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' },
];

/** A valid ISO 6346 number with serial n. */
const box = (n: number) => containerNumber('CSQU', n);

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
    country: 'CN',
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
  kzCustoms = await apiKeyCaller(server, { name: 'KZ customs', kind: 'customs', country: 'KZ' });
  geCustoms = await apiKeyCaller(server, { name: 'GE customs', kind: 'customs', country: 'GE' });
  azTerminal = await apiKeyCaller(server, { name: 'Baku port', kind: 'terminal', country: 'AZ' });
});
afterAll(() => server.close());

const post = (url: string, who: Caller, payload: unknown) =>
  server.app.inject({ method: 'POST', url, headers: who.headers, payload: payload as object });
const get = (url: string, who: Caller) => server.app.inject({ url, headers: who.headers });

async function newShipment(containers = [box(1), box(2)]) {
  const res = await post('/v1/shipments', shipper, {
    rides: RIDES,
    containers: containers.map((equipmentReference) => ({ equipmentReference })),
  });
  expect(res.statusCode, res.body).toBe(201);
  return shipmentSchema.parse(res.json());
}

function event(
  container: string,
  type: 'TRANSPORT' | 'EQUIPMENT',
  code: string,
  at: string,
  locode: string,
  extra: object = {},
) {
  return {
    eventID: randomUUID(),
    eventCreatedDateTime: at,
    eventDateTime: at,
    eventType: type,
    eventClassifierCode: 'ACT',
    ...(type === 'TRANSPORT' ? { transportEventTypeCode: code } : { equipmentEventTypeCode: code }),
    equipmentReference: container,
    eventLocation: { UNLocationCode: locode },
    ...extra,
  };
}

describe('shipments', () => {
  it('registers a shipment with its itinerary and a first P50/P90 arrival', async () => {
    const s = await newShipment();
    expect(s.status).toBe('PLANNED');
    expect(s.itinerary.map((r) => r.stops.map((x) => x.nodeId).join('>'))).toEqual([
      'CN_XIAN_ITL>CN_KHORGOS>KZ_ALTYNKOL_KHORGOS_GATEWAY>KZ_AKTAU_PORT',
      'KZ_AKTAU_PORT>AZ_BAKU_PORT_ALAT',
    ]);
    expect(s.eta).not.toBeNull();
    expect(Date.parse(s.eta!.p90)).toBeGreaterThanOrEqual(Date.parse(s.eta!.p50));
    // Not before the feeder's planned arrival.
    expect(Date.parse(s.eta!.p50)).toBeGreaterThanOrEqual(
      Date.parse(s.itinerary[1]!.stops[1]!.plannedArrival!),
    );
  });

  it('refuses container numbers with a wrong check digit, naming the container', async () => {
    const res = await post('/v1/shipments', shipper, {
      rides: RIDES,
      containers: [{ equipmentReference: box(3) }, { equipmentReference: 'CSQU3054384' }],
    });
    expect([res.statusCode, res.json<{ errors: unknown }>().errors]).toEqual([
      400,
      [
        {
          path: 'body.containers[1].equipmentReference',
          message: 'CSQU3054384 has check digit 4; ISO 6346 gives 3',
        },
      ],
    ]);
  });
});

describe('events', () => {
  it('moves the box along its itinerary and re-estimates the arrival after every event', async () => {
    const s = await newShipment([box(10)]);
    const c = box(10);
    const steps: [Caller, string, 'TRANSPORT' | 'EQUIPMENT', string, string, string][] = [
      [ktz, '2026-12-04T03:00:00Z', 'EQUIPMENT', 'GTIN', 'CNXIA', 'AT_NODE CN_XIAN_ITL'],
      [ktz, '2026-12-04T04:30:00Z', 'TRANSPORT', 'DEPA', 'CNXIA', 'ON_RIDE CN_XIAN_ITL>CN_KHORGOS'],
      [
        kzCustoms,
        '2026-12-09T02:00:00Z',
        'EQUIPMENT',
        'CROS',
        'CNHRS',
        'ON_RIDE CN_KHORGOS>KZ_ALTYNKOL_KHORGOS_GATEWAY',
      ],
      [ktz, '2026-12-14T08:00:00Z', 'EQUIPMENT', 'DISC', 'KZAAU', 'AT_NODE KZ_AKTAU_PORT'],
      [
        asco,
        '2026-12-14T14:00:00Z',
        'TRANSPORT',
        'DEPA',
        'KZAAU',
        'ON_RIDE KZ_AKTAU_PORT>AZ_BAKU_PORT_ALAT',
      ],
      [
        azTerminal,
        '2026-12-16T03:00:00Z',
        'TRANSPORT',
        'ARRI',
        'AZBAK',
        'ARRIVED AZ_BAKU_PORT_ALAT',
      ],
    ];
    let previousEta = s.eta!;
    for (const [poster, at, type, code, locode, expected] of steps) {
      clock.advance(Date.parse(at) + 60_000 - clock.now().getTime());
      const res = await post('/v1/events', poster, event(c, type, code, at, locode));
      expect(res.statusCode, res.body).toBe(201);
      const now = shipmentSchema.parse((await get(`/v1/shipments/${s.id}`, shipper)).json());
      const where = now.position.departed
        ? `${now.status} ${now.position.nodeId}>${now.position.nextNodeId}`
        : `${now.status} ${now.position.nodeId}`;
      expect(where, code).toBe(expected);
      // A new estimate, published as an EST event.
      expect(now.eta).not.toBeNull();
      if (now.status !== 'ARRIVED') {
        expect(
          now.events.some(
            (e) => e.eventClassifierCode === 'EST' && e.eventDateTime === now.eta!.p50,
          ),
        ).toBe(true);
      } else
        expect(now.eta).toEqual({
          p50: '2026-12-16T03:00:00.000Z',
          p90: '2026-12-16T03:00:00.000Z',
        });
      previousEta = now.eta!;
    }
    expect(previousEta.p50).toBe('2026-12-16T03:00:00.000Z');
  });

  it('lets a container travel again once its shipment has arrived, and only then', async () => {
    const claim = (c: string) =>
      post('/v1/shipments', otherShipper, {
        rides: RIDES,
        containers: [{ equipmentReference: c }],
      });
    // box(1) is in the first shipment, still PLANNED; box(10) arrived in Baku above.
    expect((await claim(box(1))).statusCode).toBe(409);
    const again = await claim(box(10));
    expect(again.statusCode, again.body).toBe(201);
    // The box's next event belongs to its new journey.
    const res = await post(
      '/v1/events',
      ktz,
      event(box(10), 'EQUIPMENT', 'GTIN', clock.now().toISOString(), 'CNXIA'),
    );
    expect(res.json<{ shipmentId: string }>().shipmentId).toBe(again.json<{ id: string }>().id);
  });
});

describe('a batch of events', () => {
  it('answers per item: accepted, duplicate, or rejected with the reason', async () => {
    const s = await newShipment([box(20), box(21)]);
    const at = '2026-12-04T03:00:00.000Z';
    clock.advance(Date.parse('2026-12-04T04:00:00Z') - clock.now().getTime());
    const good = event(box(20), 'EQUIPMENT', 'GTIN', at, 'CNXIA');
    const envelope = (() => {
      const { eventID, eventCreatedDateTime, ...payload } = event(
        box(21),
        'EQUIPMENT',
        'GTIN',
        at,
        'CNXIA',
      );
      return { metadata: { eventID, eventCreatedDateTime }, payload };
    })();
    const items = [
      good,
      envelope,
      good, // the same eventID again in the batch
      { ...good, eventID: 'x'.repeat(101) },
      { ...good, eventID: randomUUID(), equipmentReference: 'CSQU3054384' },
      { ...good, eventID: randomUUID(), equipmentReference: box(99) },
      { ...good, eventID: randomUUID(), eventType: 'TRANSPORT' },
      { ...good, eventID: randomUUID(), eventLocation: { UNLocationCode: 'xx' } },
      { ...good, eventID: randomUUID(), eventDateTime: '2027-01-01T00:00:00Z' },
      { ...good, eventID: randomUUID(), equipmentReference: undefined },
      'not an object',
    ];
    const res = await post('/v1/events', ktz, items);
    expect(res.statusCode, res.body).toBe(200);
    const answer = eventsAnswerSchema.parse(res.json());
    expect(answer.results.map((r) => [r.status, r.reason])).toEqual([
      ['accepted', null],
      ['accepted', null],
      ['duplicate', 'the same eventID as item 0'],
      ['rejected', 'eventID: Too big: expected string to have <=100 characters'],
      ['rejected', 'equipmentReference: CSQU3054384 has check digit 4; ISO 6346 gives 3'],
      [
        'rejected',
        `no shipment with container ${box(99)} that your organisation may post events for (carriers of its rides, terminals and customs of the countries it crosses)`,
      ],
      ['rejected', 'transportEventTypeCode: required for TRANSPORT events'],
      ['rejected', 'eventLocation.UNLocationCode: not a UN/LOCODE (e.g. KZAAU)'],
      [
        'rejected',
        'eventDateTime: an actual (ACT) event cannot be in the future (2027-01-01T00:00:00Z)',
      ],
      [
        'rejected',
        'the event names no container (equipmentReference, or references of type EQ) and no booking or shipment of the platform (relatedDocumentReferences, documentReference, documentReferences)',
      ],
      ['rejected', expect.stringMatching(/^event: /)],
    ]);
    expect([answer.accepted, answer.duplicates, answer.rejected]).toEqual([2, 1, 8]);
    expect(answer.results[0]!.shipmentId).toBe(s.id);
    // Posting the batch again: nothing new.
    const again = eventsAnswerSchema.parse(
      (await post('/v1/events', ktz, items.slice(0, 2))).json(),
    );
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    const seen = shipmentSchema.parse((await get(`/v1/shipments/${s.id}`, shipper)).json());
    expect(seen.events.filter((e) => e.eventClassifierCode === 'ACT')).toHaveLength(2);
    // One event alone: 201, then 200 as a duplicate, 400 with the reason when rejected.
    const one = event(box(20), 'TRANSPORT', 'DEPA', '2026-12-04T03:30:00Z', 'CNXIA');
    expect((await post('/v1/events', ktz, one)).statusCode).toBe(201);
    const dup = await post('/v1/events', ktz, one);
    expect(dup.statusCode).toBe(200);
    expect(dup.json()).toMatchObject({ status: 'duplicate' });
    const bad = await post('/v1/events', ktz, { ...one, eventID: randomUUID(), eventType: 'X' });
    expect(bad.statusCode).toBe(400);
    // Over 1,000 events is refused whole.
    expect(
      (
        await post(
          '/v1/events',
          ktz,
          Array.from({ length: 1001 }, () => good),
        )
      ).statusCode,
    ).toBe(400);
  });

  it('holds its place when a late event about an earlier place arrives after a later one', async () => {
    const s = await newShipment([box(30)]);
    clock.advance(Date.parse('2026-12-15T00:00:00Z') - clock.now().getTime());
    // The discharge at Aktau arrives first; the departure from Xi'an, days old, after it.
    await post(
      '/v1/events',
      ktz,
      event(box(30), 'EQUIPMENT', 'DISC', '2026-12-14T08:00:00Z', 'KZAAU'),
    );
    const late = await post(
      '/v1/events',
      ktz,
      event(box(30), 'TRANSPORT', 'DEPA', '2026-12-04T04:30:00Z', 'CNXIA'),
    );
    expect(late.statusCode).toBe(201);
    const now = shipmentSchema.parse((await get(`/v1/shipments/${s.id}`, shipper)).json());
    expect([now.status, now.position.nodeId]).toEqual(['AT_NODE', 'KZ_AKTAU_PORT']);
    // Events are listed in event time, whatever order they came in.
    expect(
      now.events.filter((e) => e.eventClassifierCode === 'ACT').map((e) => e.eventDateTime),
    ).toEqual(['2026-12-04T04:30:00.000Z', '2026-12-14T08:00:00.000Z']);
  });
});

describe('who may post and read', () => {
  it('takes events only from carriers of the rides and terminals and customs on the route', async () => {
    const s = await newShipment([box(40)]);
    clock.advance(Date.parse('2026-12-05T00:00:00Z') - clock.now().getTime());
    const e = () => event(box(40), 'EQUIPMENT', 'GTIN', '2026-12-04T03:00:00Z', 'CNXIA');
    for (const outsider of [otherCarrier, geCustoms, otherShipper, shipper]) {
      const res = await post('/v1/events', outsider, [e()]);
      expect(
        eventsAnswerSchema.parse(res.json()).results[0]!.status,
        outsider.organisation.name,
      ).toBe('rejected');
    }
    for (const insider of [ktz, asco, kzCustoms, azTerminal])
      expect(
        eventsAnswerSchema.parse((await post('/v1/events', insider, [e()])).json()).results[0]!
          .status,
        insider.organisation.name,
      ).toBe('accepted');
    // Reading: the owner and those serving it; nobody else, not even by guessing the id.
    for (const reader of [shipper, ktz, asco, kzCustoms, azTerminal]) {
      expect((await get(`/v1/shipments/${s.id}`, reader)).statusCode).toBe(200);
      const mine = eventsPage(
        await get(`/v3/events?equipmentReference=${box(40)}&eventType=EQUIPMENT`, reader),
      );
      expect(mine.events.length, reader.organisation.name).toBe(4);
    }
    for (const outsider of [otherShipper, otherCarrier, geCustoms]) {
      expect((await get(`/v1/shipments/${s.id}`, outsider)).statusCode).toBe(404);
      const page = eventsPage(await get(`/v3/events?shipmentID=${s.id}`, outsider));
      expect(page.events).toEqual([]);
      const all = eventsPage(await get(`/v3/events?equipmentReference=${box(40)}`, outsider));
      expect(all.events).toEqual([]);
      const list = (await get('/v1/shipments', outsider)).json<{ shipments: { id: string }[] }>();
      expect(list.shipments.map((x) => x.id)).not.toContain(s.id);
    }
  });
});

describe('the DCSA read API', () => {
  it('filters and pages events in ascending eventCreatedDateTime', async () => {
    const s = await newShipment([box(50)]);
    const base = Date.parse('2026-12-04T03:00:00Z');
    const batch = Array.from({ length: 7 }, (_, i) => {
      const at = new Date(base + i * 60_000).toISOString();
      return event(box(50), 'EQUIPMENT', i % 2 ? 'GTIN' : 'STUF', at, 'CNXIA');
    });
    // Sent newest first.
    await post('/v1/events', ktz, [...batch].reverse());
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor
        ? `/v3/events?cursor=${cursor}`
        : `/v3/events?shipmentID=${s.id}&eventType=EQUIPMENT&limit=3`;
      const page = eventsPage(await get(q, shipper));
      seen.push(...page.events.map((e) => e.metadata.eventCreatedDateTime as string));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toHaveLength(7);
    const ranged = eventsPage(
      await get(
        `/v3/events?shipmentID=${s.id}&eventCreatedDateTime:gte=${new Date(base + 2 * 60_000).toISOString()}&eventCreatedDateTime:lt=${new Date(base + 4 * 60_000).toISOString()}`,
        shipper,
      ),
    );
    expect(ranged.events.map((e) => e.metadata.eventCreatedDateTime)).toEqual([
      new Date(base + 2 * 60_000).toISOString(),
      new Date(base + 3 * 60_000).toISOString(),
    ]);
    const byBox = eventsPage(
      await get(`/v3/events?equipmentReference=${box(50)}&UNLocationCode=CNXIA`, ktz),
    );
    expect(byBox.events).toHaveLength(7);
    expect((await get('/v3/events?cursor=nonsense', shipper)).statusCode).toBe(400);
    expect((await get('/v3/events?eventType=BOAT', shipper)).statusCode).toBe(400);
  });
});

describe('a shipment from a booking', () => {
  it('keeps the promised arrival and alerts when its P90 passes it', async () => {
    clock.advance(Date.parse('2026-12-01T00:00:00Z') - clock.now().getTime());
    const plan = (
      await server.app.inject({
        method: 'POST',
        url: '/v1/plans',
        payload: { from: 'Xian', to: 'Baku', depart: '2026-12-04', containers: '1x40HC' },
      })
    ).json<{
      planId: string;
      itineraries: {
        id: string;
        arrivalP90: string;
        legs: { kind: string; serviceId?: string }[];
      }[];
    }>();
    const itinerary = plan.itineraries[0]!;
    const services = [
      ...new Set(itinerary.legs.flatMap((l) => (l.serviceId ? [l.serviceId] : []))),
    ];
    const carrier = await organisationWithPeople(server, {
      name: 'Route carrier',
      kind: 'carrier',
      country: 'KZ',
      services,
    });
    await server.accounts.stores.organisations.setAutoConfirm(carrier.organisation.id, true);
    const booking = (
      await post('/v1/bookings', shipper, { planId: plan.planId, itineraryId: itinerary.id })
    ).json<{ id: string; state: string; rides: { tripId: string; fromNodeId: string }[] }>();
    expect(booking.state).toBe('CONFIRMED');
    // Not from another organisation's booking, nor from one that is not confirmed.
    expect(
      (
        await post('/v1/shipments', otherShipper, {
          bookingId: booking.id,
          containers: [{ equipmentReference: box(60) }],
        })
      ).statusCode,
    ).toBe(404);
    const res = await post('/v1/shipments', shipper, {
      bookingId: booking.id,
      containers: [{ equipmentReference: box(60) }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const s = shipmentSchema.parse(res.json());
    expect([s.bookingId, s.promisedArrival, s.alerts]).toEqual([
      booking.id,
      new Date(itinerary.arrivalP90).toISOString(),
      [],
    ]);
    // The container reaches the origin terminal ten days late: the next trips, a later arrival.
    const origin = s.itinerary[0]!.stops[0]!;
    const late = new Date(Date.parse(origin.plannedDeparture!) + 10 * 86_400_000).toISOString();
    clock.advance(Date.parse(late) + 60_000 - clock.now().getTime());
    const posted = await post(
      '/v1/events',
      (await callersOf(server, carrier)).at(-1)!,
      event(box(60), 'EQUIPMENT', 'GTIN', late, origin.UNLocationCode!),
    );
    expect(posted.statusCode, posted.body).toBe(201);
    const after = shipmentSchema.parse((await get(`/v1/shipments/${s.id}`, shipper)).json());
    expect(Date.parse(after.eta!.p90)).toBeGreaterThan(Date.parse(s.promisedArrival!));
    const zone = referenceNetwork().nodes.get(s.itinerary.at(-1)!.stops.at(-1)!.nodeId)!.timeZone;
    expect(after.alerts[0]!.message).toMatch(/ \(UTC[+-]\d{2}:\d{2}\)$/);
    expect(after.alerts).toEqual([
      {
        at: clock.now().toISOString(),
        kind: 'delay',
        // On the destination's clock, with its offset.
        message: `P90 arrival ${placeTime(Date.parse(after.eta!.p90), zone)} is after the arrival promised at booking, ${placeTime(Date.parse(s.promisedArrival!), zone)}`,
      },
    ]);
  });
});

describe('a large batch', () => {
  it('is acknowledged at once and its shipments brought up to date by the refresh job', async () => {
    clock.advance(Date.parse('2026-12-04T03:30:00Z') - clock.now().getTime());
    const ids: string[] = [];
    for (let i = 0; i < INLINE_REFRESH + 1; i++) ids.push((await newShipment([box(100 + i)])).id);
    // One event more than a small post: a bulk upload.
    const batch = ids.map((_, i) =>
      event(box(100 + i), 'EQUIPMENT', 'GTIN', '2026-12-04T03:00:00Z', 'CNXIA'),
    );
    const answer = eventsAnswerSchema.parse((await post('/v1/events', ktz, batch)).json());
    expect(answer.accepted).toBe(ids.length);
    const status = async (id: string) =>
      shipmentSchema.parse((await get(`/v1/shipments/${id}`, shipper)).json()).status;
    expect(await status(ids[0]!)).toBe('PLANNED');
    expect(await refreshShipments(server.tracking)).toBe(ids.length);
    for (const id of ids) expect(await status(id)).toBe('AT_NODE');
    // Nothing left to do.
    expect(await refreshShipments(server.tracking)).toBe(0);
  });

  it('stores a batch of 600 for many shipments whole (written in parts on PostgreSQL), once', async () => {
    const shipments: { id: string; box: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const b = box(300 + i);
      shipments.push({ id: (await newShipment([b])).id, box: b });
    }
    const batch = Array.from({ length: 600 }, (_, k) => {
      const s = shipments[k % shipments.length]!;
      const minute = String(Math.floor(k / shipments.length) % 60).padStart(2, '0');
      return event(s.box, 'EQUIPMENT', 'GTIN', `2026-12-04T02:${minute}:00Z`, 'CNXIA');
    });
    const first = eventsAnswerSchema.parse((await post('/v1/events', ktz, batch)).json());
    expect([first.accepted, first.duplicates, first.rejected]).toEqual([600, 0, 0]);
    // Each event is answered with its own shipment.
    for (const r of first.results)
      expect(r.shipmentId).toBe(shipments[r.index % shipments.length]!.id);
    for (const s of shipments) {
      const seen = shipmentSchema.parse((await get(`/v1/shipments/${s.id}`, shipper)).json());
      expect(seen.events.filter((e) => e.eventClassifierCode === 'ACT')).toHaveLength(50);
    }
    const again = eventsAnswerSchema.parse((await post('/v1/events', ktz, batch)).json());
    expect([again.accepted, again.duplicates]).toEqual([0, 600]);
  });
});
