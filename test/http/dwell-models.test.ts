import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dwellModelsSchema } from '../../src/api/dwell-models.ts';
import { planResponseSchema } from '../../src/api/plan.ts';
import { seededRng } from '../../src/core/shared/rng.ts';
import { containerNumber } from '../support/containers.ts';
import { referenceNetwork } from '../support/network-files.ts';
import {
  apiKeyCaller,
  manualClock,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';
import { corridor, observedJourney, ride, TRUTH } from '../core/learning/true-corridor.ts';

/**
 * The platform learns a faster Khorgos border from the events its carrier posts through
 * POST /v1/events: the refit makes a new dwell-model version, the planner plans with it, the
 * council sees who contributed, events from an organisation not entitled at the place do not
 * count, and a frozen model stays.
 */
const clock = manualClock(new Date('2026-11-30T08:00:00Z'));
const reference = referenceNetwork();
const c = corridor(reference, '2026-12-01', 45);
let server: TestServer;
let shipper: Caller;
let ktz: Caller;
let kzCustoms: Caller;
let council: Caller;
/** A second carrier through Khorgos that reports its stands there twenty times longer. */
let silk: Caller;
const SKEW = 20;

const post = (url: string, who: Caller, payload?: unknown) =>
  server.app.inject({
    method: 'POST',
    url,
    headers: who.headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const get = (url: string, who: Caller) => server.app.inject({ url, headers: who.headers });
const models = async (who: Caller, query = '') => {
  const res = await get(`/v1/models/dwell${query}`, who);
  expect(res.statusCode, res.body).toBe(200);
  return dwellModelsSchema.parse(res.json());
};
const khorgos = (m: Awaited<ReturnType<typeof models>>) =>
  m.models.find(
    (x) => x.nodeId === 'CN_KHORGOS' && x.operation === 'border_crossing' && x.month === 0,
  )!;

function event(container: string, type: string, code: string, at: number, locode: string) {
  const iso = new Date(at).toISOString();
  return {
    eventID: randomUUID(),
    eventCreatedDateTime: iso,
    eventDateTime: iso,
    eventType: type,
    eventClassifierCode: 'ACT',
    ...(type === 'TRANSPORT' ? { transportEventTypeCode: code } : { equipmentEventTypeCode: code }),
    equipmentReference: container,
    eventLocation: { UNLocationCode: locode },
  };
}

beforeAll(async () => {
  server = await testServer(undefined, clock);
  shipper = await apiKeyCaller(server, { name: 'Xian Exporter', kind: 'shipper', country: 'CN' });
  ktz = await apiKeyCaller(server, {
    name: 'KTZ Express',
    kind: 'carrier',
    country: 'KZ',
    services: ['SVC_XIAN_BAKU_BLOCK'],
  });
  kzCustoms = await apiKeyCaller(server, { name: 'KZ customs', kind: 'customs', country: 'KZ' });
  council = await apiKeyCaller(server, { name: 'Council', kind: 'coordinator', country: 'KZ' });
  silk = await apiKeyCaller(server, {
    name: 'Silk Block Rail',
    kind: 'carrier',
    country: 'CN',
    services: ['SVC_CHINA_GEORGIA_PORTS_BLOCK'],
  });

  // Three containers on every block train of December, each its own shipment.
  const rng = seededRng(9);
  const journeys = [];
  let n = 0;
  for (const trip of c.blockTrains.filter((t) => t.departure > clock.now().getTime()))
    for (let k = 0; k < 3; k++) {
      const container = containerNumber('TRCU', ++n);
      const res = await post('/v1/shipments', shipper, {
        rides: [{ tripId: trip.id, from: 'CN_XIAN_ITL', to: 'AZ_BAKU' }],
        containers: [{ equipmentReference: container }],
      });
      expect(res.statusCode, res.body).toBe(201);
      journeys.push({
        container,
        journey: observedJourney(reference, c, c.itineraries(trip)[0]!, rng)!,
      });
    }
  expect(journeys.length).toBeGreaterThan(30);
  // One container on each of the second carrier's first three weekly trains.
  const skewed = [];
  const silkTrains = c.trips.filter(
    (t) => t.serviceId === 'SVC_CHINA_GEORGIA_PORTS_BLOCK' && t.departure > clock.now().getTime(),
  );
  for (const trip of silkTrains.slice(0, 3)) {
    const container = containerNumber('SLKU', ++n);
    const res = await post('/v1/shipments', shipper, {
      rides: [{ tripId: trip.id, from: 'CN_XIAN_ITL', to: 'GE_POTI_PORT' }],
      containers: [{ equipmentReference: container }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const j = observedJourney(reference, c, [ride(trip, 0, 'CN_XIAN_ITL', 'GE_POTI_PORT')], rng)!;
    const arri = j.events.find((e) => e.code === 'ARRI' && e.location === 'CNHRS')!;
    const stand = j.events.find((e) => e.code === 'DEPA' && e.location === 'CNHRS')!.at - arri.at;
    skewed.push({
      container,
      journey: {
        ...j,
        // Its Khorgos departure reported SKEW times the stand later; everything after shifted.
        events: j.events.map((e) => (e.at > arri.at ? { ...e, at: e.at + (SKEW - 1) * stand } : e)),
      },
    });
  }
  expect(skewed.length).toBe(3);
  // The journeys happened: the carrier posts them afterwards.
  clock.advance(75 * 86_400_000);
  for (const { container, journey } of journeys) {
    const items = journey.events
      .filter((e) => ['ARRI', 'DEPA', 'DISC'].includes(e.code))
      .map((e) => event(container, e.eventType, e.code, e.at, e.location!));
    const res = await post('/v1/events', ktz, items);
    expect(res.json<{ accepted: number }>().accepted, res.body).toBe(items.length);
    // Kazakh customs also reports a two-week stand at the Chinese border: accepted as tracking
    // (the shipment crosses Kazakhstan), but it does not speak for a place in China.
    const arri = journey.events.find((e) => e.code === 'ARRI' && e.location === 'CNHRS')!;
    const bogus = await post('/v1/events', kzCustoms, [
      event(container, 'TRANSPORT', 'ARRI', arri.at - 14 * 86_400_000, 'CNHRS'),
      event(container, 'TRANSPORT', 'DEPA', arri.at + 3_600_000, 'CNHRS'),
    ]);
    expect(bogus.json<{ accepted: number }>().accepted, bogus.body).toBe(2);
  }
  for (const { container, journey } of skewed) {
    const items = journey.events
      .filter((e) => ['ARRI', 'DEPA', 'DISC'].includes(e.code))
      .map((e) => event(container, e.eventType, e.code, e.at, e.location!));
    const res = await post('/v1/events', silk, items);
    expect(res.json<{ accepted: number }>().accepted, res.body).toBe(items.length);
  }
}, 240_000);
afterAll(() => server.close());

/** The Xi'an–Baku plan for the day after the events, as the planner in force makes it. */
async function xianBaku() {
  const res = await post('/v1/plans', shipper, {
    from: 'Xian',
    to: 'Baku',
    depart: new Date(clock.now().getTime() + 86_400_000).toISOString().slice(0, 10),
    containers: '1x40HC',
  });
  expect(res.statusCode, res.body).toBe(200);
  return planResponseSchema.parse(res.json());
}
/** Per itinerary through Khorgos on the block train: its first trip and P50/P90 arrival. */
const throughKhorgos = (plan: Awaited<ReturnType<typeof xianBaku>>) =>
  new Map(
    plan.itineraries
      .filter((it) =>
        it.legs.some((l) => l.kind === 'ride' && l.tripId.startsWith('SVC_XIAN_BAKU_BLOCK@')),
      )
      .map((it) => [
        it.legs.map((l) => (l.kind === 'ride' ? l.tripId : '')).join(' '),
        {
          planned: Date.parse(it.plannedArrival),
          p50: Date.parse(it.arrivalP50),
          p90: Date.parse(it.arrivalP90),
          // The P50s of its stands, hours: what its planned arrival is made of beside the trips.
          stands: it.legs.reduce((t, l) => t + (l.kind === 'dwell' ? l.p50Hours : 0), 0),
        },
      ]),
  );
let before: Awaited<ReturnType<typeof xianBaku>>;

describe('dwell models learnt from POST /v1/events', () => {
  it('starts from the reference models, version none', async () => {
    before = await xianBaku();
    expect(before.dwellModelVersion).toBeNull();
    const m = await models(shipper);
    expect(m.version).toBeNull();
    expect(khorgos(m)).toMatchObject({ samples: 0, inForce: { p50Hours: 12, p90Hours: 24 } });
  });

  it('only the council and platform admins refit, freeze and see contributions', async () => {
    expect((await post('/v1/models/dwell/refit', shipper)).statusCode).toBe(403);
    const refit = await post('/v1/models/dwell/refit', council);
    expect(refit.statusCode, refit.body).toBe(200);
    expect(refit.json()).toEqual({ version: 1, refitted: true });
    // The same events again: no new version.
    expect((await post('/v1/models/dwell/refit', council)).json()).toEqual({
      version: 1,
      refitted: false,
    });
    const mine = khorgos(await models(shipper));
    expect(mine.contributions).toBeUndefined();
    const seen = khorgos(await models(council));
    expect(seen.contributions!.map((x) => x.organisationId).sort()).toEqual(
      [ktz.organisation.id, silk.organisation.id].sort(),
    );
    expect(seen.contributions!.reduce((t, x) => t + x.samples, 0)).toBe(seen.samples);
    // Each contributor by its name, as the council reads it.
    expect(
      Object.fromEntries(seen.contributions!.map((x) => [x.organisationId, x.organisationName])),
    ).toEqual({
      [ktz.organisation.id]: ktz.organisation.name,
      [silk.organisation.id]: silk.organisation.name,
    });
  });

  it('moves the Khorgos border towards what the carrier reported, not the customs of another country', async () => {
    const k = khorgos(await models(council, '?node=CN_KHORGOS'));
    expect(k.samples).toBeGreaterThan(30);
    // The truth is P50 5 h; 14-day stands would have pulled it far above the reference's 12 h.
    expect(k.observed!.p50Hours).toBeGreaterThan(TRUTH.khorgosBorder.p50Hours * 0.8);
    expect(k.observed!.p50Hours).toBeLessThan(TRUTH.khorgosBorder.p50Hours * 1.5);
    expect(k.inForce.p50Hours).toBeLessThan(9);
    expect(k.inForce.p50Hours).toBeGreaterThan(TRUTH.khorgosBorder.p50Hours);
    expect(k.drift).toBe('faster');
    const alerts = await get('/v1/notifications', council);
    const drift = alerts
      .json<{ notifications: { kind: string; text: string }[] }>()
      .notifications.filter((x) => x.kind === 'dwell_drift');
    expect(drift.map((x) => x.text)).toContainEqual(
      expect.stringMatching(/^Dwell faster: border crossing at CN_KHORGOS \(the whole year\)/),
    );
  });

  it('a carrier posting skewed stands for its own rides moves the model by at most its traffic share', async () => {
    const k = khorgos(await models(council, '?node=CN_KHORGOS'));
    const mine = k.contributions!.find((x) => x.organisationId === silk.organisation.id)!;
    // Three of the 48 containers through Khorgos ride its trains.
    expect(mine.trafficShare).toBeCloseTo(3 / 48, 2);
    expect(mine.samples).toBe(3);
    expect(mine.share).toBeLessThanOrEqual(mine.trafficShare + 1e-3);
    // Its twenty-fold stands count at most at the outlier bound: the observed log-P50 moves from
    // the truth by at most its share of the way to that bound (with the honest samples' own
    // noise, 0.15 on the log scale for about 45 stands).
    const shift = Math.log(k.observed!.p50Hours / TRUTH.khorgosBorder.p50Hours);
    const room = Math.log(k.bounds!.highHours / TRUTH.khorgosBorder.p50Hours);
    expect(shift).toBeLessThanOrEqual(mine.trafficShare * room + 0.15);
    expect(k.bounded).toBeGreaterThan(0);
  });

  it('plans with the version in force, says so, and moves its arrivals by what the observed stands moved', async () => {
    const after = await xianBaku();
    expect(after.dwellModelVersion).toBe(1);
    const was = throughKhorgos(before);
    const now = throughKhorgos(after);
    const same = [...now.keys()].filter((k) => was.has(k));
    expect(same.length).toBeGreaterThan(0);
    // The whole-year P50s moved: the border faster, the ferry wait at Aktau slower (winter
    // waits of about 60 h observed, the reference's year 13 h).
    const p50 = (n: typeof reference, key: string, month?: number) => {
      const d = n.dwellModels.get(key);
      return (
        (month === undefined ? undefined : d?.byMonth?.[month - 1]?.p50Hours) ?? d?.p50Hours ?? 0
      );
    };
    const aktau = 'KZ_AKTAU_PORT:ferry_waiting';
    expect(p50(server.live.network, 'CN_KHORGOS:border_crossing')).toBeLessThan(9);
    expect(p50(server.live.network, aktau)).toBeGreaterThan(30);
    // Each month observed blends with the reference's own month: January's 47 h moves towards
    // the 60 h or so observed; a month without observed waits keeps the reference's (July: 8 h).
    expect(p50(server.live.network, aktau, 1)).toBeGreaterThan(47);
    expect(p50(server.live.network, aktau, 1)).toBeLessThan(80);
    expect(p50(server.live.network, aktau, 7)).toBe(8);
    /**
     * Hours the trip of a service stands at its stops after the first and before `to`: the
     * scheduled stand or the P50s of the operations there, whichever is longer; with the
     * whole-year P50s (the trip's timetable in the planner) or those of a month (the plan's
     * stands and its simulated arrival).
     */
    const standsUpTo = (n: typeof reference, serviceId: string, to: string, month?: number) => {
      const stops = n.services.get(serviceId)!.stops;
      const end = stops.findIndex((s) => s.nodeId === to);
      return stops.slice(1, end).reduce(
        (t, s) =>
          t +
          Math.max(
            s.dwellHours,
            s.operations.reduce((u, op) => u + p50(n, `${s.nodeId}:${op}`, month), 0),
          ),
        0,
      );
    };
    let onBoard = 0;
    for (const k of same) {
      const a = was.get(k)!;
      const b = now.get(k)!;
      // The same trips: the plan arrives when its last trip reaches the destination, so its
      // arrival moves by what that trip's own stands on the way moved, no more, no less; a
      // faster border before a change onto a ship that keeps its timetable saves nothing.
      const rides = after.itineraries
        .find((it) => it.legs.map((l) => (l.kind === 'ride' ? l.tripId : '')).join(' ') === k)!
        .legs.filter((l) => l.kind === 'ride');
      const last = rides.at(-1)!;
      const moved =
        standsUpTo(server.live.network, last.serviceId, last.to) -
        standsUpTo(reference, last.serviceId, last.to);
      expect(Math.abs(b.planned - a.planned - moved * 3_600_000)).toBeLessThan(60_000);
      if (rides.every((l) => l.serviceId === 'SVC_XIAN_BAKU_BLOCK')) {
        onBoard++;
        // On board all the way, it stands at Aktau for the ferry with the train: the trip's
        // timetable moved by some thirty hours (the whole year's slower waits), and so does its
        // planned arrival, later.
        expect(moved).toBeGreaterThan(20);
        // Its stands as the plan lists them are those of their month: February, not observed,
        // keeps the reference's February, and so do they.
        const month = Number(last.tripId.split('@')[1]!.slice(5, 7));
        expect(month).toBe(2);
        const movedInMonth =
          standsUpTo(server.live.network, last.serviceId, last.to, month) -
          standsUpTo(reference, last.serviceId, last.to, month);
        expect(Math.abs(movedInMonth - (b.stands - a.stands))).toBeLessThan(3);
        expect(Math.abs(b.stands - a.stands)).toBeLessThan(3);
      }
    }
    expect(onBoard).toBeGreaterThan(0);
    expect(server.live.network.dwellModels.get('CN_KHORGOS:border_crossing')!.p50Hours).toBe(
      khorgos(await models(shipper)).inForce.p50Hours,
    );
  });

  it('reads the running times learnt per link beside the dwells, and plans with them', async () => {
    const m = await models(shipper);
    expect(m.linkSamples).toBeGreaterThan(0);
    const xk = m.links.find((l) => l.from === 'CN_XIAN_ITL' && l.to === 'CN_KHORGOS')!;
    // The true corridor runs the block train to its timetable: the factor stays near one.
    expect(xk.samples).toBeGreaterThan(10);
    expect(xk.timetableHours).toBe(105);
    expect(Math.abs(xk.factor - 1)).toBeLessThan(0.03);
    expect(xk.contributions).toBeUndefined();
    const seen = (await models(council)).links.find((l) => l.from === 'CN_XIAN_ITL')!;
    expect(seen.contributions!.map((x) => x.organisationId)).toContain(ktz.organisation.id);
    // The network in force runs the train's first link at the timetable times the factor.
    const run = server.live.network.services
      .get('SVC_XIAN_BAKU_BLOCK')!
      .stops.find((s) => s.nodeId === 'CN_KHORGOS')!.runHours;
    expect(run).toBeCloseTo(105 * xk.factor, 1);
  });

  it('a frozen model stays as frozen until unfrozen', async () => {
    const url = '/v1/models/dwell/CN_KHORGOS/border_crossing/freeze';
    expect(
      (await server.app.inject({ method: 'PUT', url, headers: ktz.headers, payload: {} }))
        .statusCode,
    ).toBe(403);
    const frozen = await server.app.inject({
      method: 'PUT',
      url,
      headers: council.headers,
      payload: { p50Hours: 12, p90Hours: 24 },
    });
    expect(frozen.statusCode, frozen.body).toBe(200);
    expect(khorgos(await models(shipper)).frozen).toMatchObject({ p50Hours: 12, version: 1 });
    expect(server.live.network.dwellModels.get('CN_KHORGOS:border_crossing')!.p50Hours).toBe(12);
    const bad = await server.app.inject({
      method: 'PUT',
      url: '/v1/models/dwell/NOWHERE/border_crossing/freeze',
      headers: council.headers,
    });
    expect(bad.body).toContain('params');
    expect(bad.statusCode).toBe(404);
    const off = await server.app.inject({ method: 'DELETE', url, headers: council.headers });
    expect(off.statusCode).toBe(204);
    expect(
      server.live.network.dwellModels.get('CN_KHORGOS:border_crossing')!.p50Hours,
    ).toBeLessThan(9);
  });

  it('names the field of a bad query', async () => {
    const res = await get('/v1/models/dwell?node=NOWHERE', shipper);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('query.node');
  });
});
