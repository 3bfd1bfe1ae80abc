import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingSchema } from '../../src/api/bookings.ts';
import { seedDemo, type DemoCredential } from '../../src/app/seed-demo.ts';
import { PgDirectoryStore } from '../../src/store/directory.store.ts';
import { TEST_NOW } from '../support/clock.ts';
import { referenceNetwork } from '../support/network-files.ts';
import { manualClock, signIn, testServer, type TestServer } from '../support/server.ts';

/**
 * The demo at first start, on PGlite and on PostgreSQL: its organisations operate every service
 * of the reference data, so that a shipper can book what the planner offers and each ride's
 * carrier can confirm it with the demo account it was given; and it looks lived in, whatever
 * day it starts on: freight under way, declarations in the border offices' queues, weeks of KPI
 * history, carriers and terminals in the directory, service requests open.
 */
const clock = manualClock();
let server: TestServer;
let credentials: DemoCredential[];

beforeAll(async () => {
  server = await testServer(undefined, clock);
  ({ credentials } = await seedDemo(
    server.accounts,
    new PgDirectoryStore(server.database.db),
    server,
  ));
}, 180_000);
afterAll(() => server.close());

/** Session headers of the first demo account of the organisation, signed in once. */
const sessions = new Map<string, Promise<Record<string, string>>>();
function sessionOf(organisation: string): Promise<Record<string, string>> {
  const account = credentials.find((c) => c.organisation === organisation && c.role === 'admin');
  if (!account) throw new Error(`no demo account for ${organisation}`);
  if (!sessions.has(organisation))
    sessions.set(organisation, signIn(server.app, account.email, account.password));
  return sessions.get(organisation)!;
}

describe('the demo organisations', () => {
  it('operate every service of the reference data', async () => {
    const organisations = await server.accounts.stores.organisations.list();
    const operated = new Set(
      organisations
        .filter((o) => credentials.some((c) => c.organisation === o.name))
        .flatMap((o) => o.services),
    );
    const unoperated = [...referenceNetwork().services.keys()].filter((id) => !operated.has(id));
    expect(unoperated).toEqual([]);
  });

  it.each([
    ['Qingdao', 'Baku'],
    ['Xian', 'Istanbul'],
  ])(
    'confirm every ride of every itinerary from %s to %s, each by its own carrier',
    async (from, to) => {
      const shipper = await sessionOf('Qingdao Haixing Machinery Export Co. (demo)');
      const planned = await server.app.inject({
        method: 'POST',
        url: '/v1/plans',
        headers: shipper,
        payload: { from, to, depart: '2026-12-01', containers: '1x40HC' },
      });
      expect(planned.statusCode, planned.body).toBe(200);
      const plan = planned.json<{ planId: string; itineraries: { id: string }[] }>();
      expect(plan.itineraries.length).toBeGreaterThan(0);
      const organisations = await server.accounts.stores.organisations.list();
      for (const itinerary of plan.itineraries) {
        const booked = await server.app.inject({
          method: 'POST',
          url: '/v1/bookings',
          headers: shipper,
          payload: { planId: plan.planId, itineraryId: itinerary.id },
        });
        expect(booked.statusCode, booked.body).toBe(201);
        const booking = bookingSchema.parse(booked.json());
        for (const ride of booking.rides) {
          const carrier = organisations.find((o) => o.services.includes(ride.serviceId))!;
          const confirmed = await server.app.inject({
            method: 'POST',
            url: `/v1/bookings/${booking.id}/rides/${ride.rideIndex}/confirm`,
            headers: await sessionOf(carrier.name),
          });
          expect(confirmed.statusCode, `${carrier.name}: ${confirmed.body}`).toBe(200);
        }
        const seen = await server.app.inject({
          url: `/v1/bookings/${booking.id}`,
          headers: shipper,
        });
        expect([itinerary.id, bookingSchema.parse(seen.json()).state]).toEqual([
          itinerary.id,
          'CONFIRMED',
        ]);
      }
    },
  );
});

const DAY = 86_400_000;

describe.each([
  ['today', 0],
  ['400 days later', 400],
])('the demo started %s', (_, days) => {
  const started = new Date(Date.parse(TEST_NOW) + days * DAY);
  let here: TestServer;
  let accounts: DemoCredential[];
  const sessions = new Map<string, Promise<Record<string, string>>>();
  const as = (organisation: string, role = 'admin') => {
    const key = `${organisation}/${role}`;
    const account = accounts.find((c) => c.organisation === organisation && c.role === role);
    if (!account) throw new Error(`no demo account ${key}`);
    if (!sessions.has(key)) sessions.set(key, signIn(here.app, account.email, account.password));
    return sessions.get(key)!;
  };
  const get = async <T>(who: string, url: string, role = 'admin'): Promise<T> => {
    const res = await here.app.inject({ url, headers: await as(who, role) });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json<T>();
  };

  beforeAll(async () => {
    here = days === 0 ? server : await testServer(undefined, manualClock(started));
    accounts =
      days === 0
        ? credentials
        : (await seedDemo(here.accounts, new PgDirectoryStore(here.database.db), here)).credentials;
  }, 180_000);
  afterAll(async () => {
    if (here !== server) await here.close();
  });

  type ShipmentJson = {
    id: string;
    status: string;
    position: { nodeId: string; since: string | null };
    eta: { p50: string } | null;
  };

  it('has shipments under way, each with its carriers’ events, a position and an ETA ahead', async () => {
    const { shipments } = await get<{ shipments: ShipmentJson[] }>(
      'Qingdao Haixing Machinery Export Co. (demo)',
      '/v1/shipments',
    );
    const moving = shipments.filter((s) => s.status === 'ON_RIDE' || s.status === 'AT_NODE');
    expect(moving.length).toBeGreaterThan(0);
    expect(shipments.some((s) => s.status === 'ARRIVED')).toBe(true);
    for (const s of moving) {
      const { events } = await get<{ events: { eventClassifierCode: string }[] }>(
        'Qingdao Haixing Machinery Export Co. (demo)',
        `/v1/shipments/${s.id}`,
      );
      expect(events.filter((e) => e.eventClassifierCode === 'ACT').length).toBeGreaterThan(0);
      expect(s.position.since).not.toBeNull();
      expect(Date.parse(s.eta!.p50)).toBeGreaterThan(started.getTime());
    }
  });

  it('has declarations waiting in the queue of every customs office on the Qingdao → Baku route', async () => {
    const { declarations } = await get<{
      declarations: { segments: { country: string; office: string; state: string }[] }[];
    }>('Qingdao Haixing Machinery Export Co. (demo)', '/v1/customs/declarations');
    expect(declarations.some((d) => d.segments.some((s) => s.state === 'released'))).toBe(true);
    const offices = new Map(
      declarations.flatMap((d) => d.segments.map((s) => [s.office, s.country] as const)),
    );
    expect(new Set(offices.values())).toEqual(new Set(['CN', 'KZ', 'AZ']));
    const organisations = await here.accounts.stores.organisations.list();
    for (const [office, country] of offices) {
      const customs = organisations.find((o) => o.kind === 'customs' && o.country === country)!;
      const { declarations: queue } = await get<{ declarations: unknown[] }>(
        customs.name,
        `/v1/customs/queue?office=${office}`,
        'officer',
      );
      expect({ office, waiting: queue.length > 0 }).toEqual({ office, waiting: true });
    }
  });

  it('has green, yellow and red segments in the customs desks’ queues and decisions, each lane from a rule set in force', async () => {
    const organisations = await here.accounts.stores.organisations.list();
    const lanes = new Map<string, Set<string>>();
    for (const customs of organisations.filter((o) => o.kind === 'customs')) {
      const { offices } = await get<{ offices: { code: string }[] }>(
        customs.name,
        '/v1/customs/offices',
        'officer',
      );
      for (const { code } of offices) {
        const { declarations: queue } = await get<{
          declarations: { segments: { office: string; lane: string | null }[] }[];
        }>(customs.name, `/v1/customs/queue?office=${code}`, 'officer');
        for (const d of queue)
          for (const s of d.segments.filter((x) => x.office === code && x.lane))
            lanes.set(s.lane!, (lanes.get(s.lane!) ?? new Set()).add(code));
      }
      // And the lanes of the segments it decided over the demo's weeks (release times by lane).
      const { rows } = await get<{ rows: { office: string; lane: string; segments: number }[] }>(
        customs.name,
        '/v1/customs/release-times',
        'officer',
      );
      for (const r of rows.filter((x) => x.lane !== 'all' && x.segments > 0))
        lanes.set(r.lane, (lanes.get(r.lane) ?? new Set()).add(r.office));
      // The lanes come from the administration's published rule set, which says why.
      const { version, rules } = await get<{ version: number; rules: { rules: unknown[] } }>(
        customs.name,
        `/v1/customs/rule-sets/${customs.country}`,
      );
      expect({ country: customs.country, version, rules: rules.rules.length > 0 }).toEqual({
        country: customs.country,
        version: 1,
        rules: true,
      });
    }
    expect([...lanes.keys()]).toEqual(expect.arrayContaining(['green', 'yellow', 'red']));
  });

  it('gives the council KPIs over the last four weeks', async () => {
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const kpis = await get<{
      volumes: unknown[];
      transit: { shipments: number }[];
      borders: unknown[];
      onTime: { shipments: number };
      customs: { offices?: unknown[] } | null;
    }>(
      'Middle Corridor coordinating council',
      `/v1/analytics/kpis?from=${day(started.getTime() - 28 * DAY)}&to=${day(started.getTime() + DAY)}`,
    );
    expect(kpis.volumes.length).toBeGreaterThan(0);
    expect(kpis.transit.reduce((n, t) => n + t.shipments, 0)).toBeGreaterThan(0);
    expect(kpis.borders.length).toBeGreaterThan(0);
    expect(kpis.onTime.shipments).toBeGreaterThan(0);
  });

  it.each([
    ['ASCO', 'ASCO (Azerbaijan Caspian Shipping)'],
    ['KTZ', 'KTZ Express'],
    ['ferry Aktau', 'ASCO (Azerbaijan Caspian Shipping)'],
    ['bonded warehouse', 'Alat Bonded Warehouse LLC (demo)'],
    ['cold storage Alat', 'Alat Cold Chain Terminal (demo)'],
    ['Baku port', 'Baku International Sea Trade Port'],
    ['SCODA service centre', 'SCODA Service Centre (one-stop service platform)'],
  ])('finds "%s" in the directory: %s', async (q, name) => {
    const { results } = await get<{ results: { name: string }[] }>(
      'Lankaran Fresh Produce LLC (demo)',
      `/v1/directory?q=${encodeURIComponent(q)}`,
    );
    expect(results.slice(0, 3).map((r) => r.name)).toContain(name);
  });

  it('has service requests open, and an offer the enterprise accepts', async () => {
    const lankaran = 'Lankaran Fresh Produce LLC (demo)';
    const { requests } = await get<{ requests: { id: string; state: string }[] }>(
      lankaran,
      '/v1/service-requests',
    );
    const offered = requests.find((r) => r.state === 'offered')!;
    expect(offered).toBeDefined();
    const accepted = await here.app.inject({
      method: 'POST',
      url: `/v1/service-requests/${offered.id}/actions`,
      headers: await as(lankaran),
      payload: { type: 'accept' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json<{ state: string }>().state).toBe('accepted');
    const { requests: haixing } = await get<{ requests: { state: string }[] }>(
      'Qingdao Haixing Machinery Export Co. (demo)',
      '/v1/service-requests',
    );
    expect(haixing.map((r) => r.state)).toContain('requested');
  });

  it('adds nothing when seeded again', async () => {
    const before = await here.tracking.tracking.listShipments(
      { organisationId: '', admin: true, serviceIds: [], countries: [] },
      10_000,
    );
    const again = await seedDemo(here.accounts, new PgDirectoryStore(here.database.db), here);
    expect(again).toEqual({ created: false, credentials: [] });
    const after = await here.tracking.tracking.listShipments(
      { organisationId: '', admin: true, serviceIds: [], countries: [] },
      10_000,
    );
    expect(after.length).toBe(before.length);
    expect((await here.accounts.stores.organisations.list()).length).toBe(
      new Set(accounts.map((c) => c.organisation)).size,
    );
  });
});
