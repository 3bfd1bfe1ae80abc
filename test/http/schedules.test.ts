import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingSchema } from '../../src/api/bookings.ts';
import {
  callersOf,
  manualClock,
  organisationWithPeople,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';
import { dataFiles } from '../support/network-files.ts';

/** Carriers publishing their services, over HTTP, on PGlite and on PostgreSQL. */
const clock = manualClock();
let server: TestServer;
let shipper: Caller;
let asco: Caller;
let ktz: Caller;

const FEEDER_ID = 'SVC_FEEDER_AKTAU_ALAT';
const TUESDAY_SAILING = `${FEEDER_ID}@2026-12-01T1800`;
const feeder = () =>
  (
    JSON.parse(dataFiles()['services.json']!) as {
      services: (Record<string, unknown> & { id: string })[];
    }
  ).services.find((s) => s.id === FEEDER_ID)!;

beforeAll(async () => {
  server = await testServer(undefined, clock);
  const adminOf = async (input: Parameters<typeof organisationWithPeople>[1]) =>
    (await callersOf(server, await organisationWithPeople(server, input)))[0]!;
  shipper = await adminOf({ name: 'Qingdao Exporter', kind: 'shipper', country: 'CN' });
  asco = await adminOf({
    name: 'ASCO',
    kind: 'carrier',
    country: 'AZ',
    services: [FEEDER_ID],
  });
  ktz = await adminOf({
    name: 'KTZ Express',
    kind: 'carrier',
    country: 'KZ',
    services: ['SVC_XIAN_BAKU_BLOCK'],
  });
});
afterAll(() => server.close());

const send = (method: 'GET' | 'POST', url: string, who?: Caller, payload?: object | string) =>
  server.app.inject({
    method,
    url,
    headers: {
      ...who?.headers,
      ...(typeof payload === 'string' ? { 'content-type': 'text/csv' } : {}),
    },
    ...(payload !== undefined ? { payload } : {}),
  });

async function feederPlan() {
  const res = await send('POST', '/v1/plans', undefined, {
    from: 'Aktau',
    to: 'Alat',
    depart: '2026-12-01',
    containers: '1x40HC',
  });
  expect(res.statusCode).toBe(200);
  return res.json<{
    itineraries: {
      arrivalP50: string;
      legs: { kind: string; tripId?: string; departure?: string; arrival?: string }[];
    }[];
  }>().itineraries;
}

describe('publishing services', () => {
  it('changes the planner, the timetable and the bookings on the old version at once', async () => {
    const booked = await send('POST', '/v1/bookings', shipper, {
      rides: [{ tripId: TUESDAY_SAILING, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }],
      containers: '1x40HC',
    });
    expect(booked.statusCode).toBe(201);
    const booking = bookingSchema.parse(booked.json());
    expect(booking.rides[0]!.serviceVersion).toBe(1);
    const before = await feederPlan();
    const tripsOf = (plan: typeof before) =>
      plan.flatMap((i) => i.legs.flatMap((l) => (l.tripId ? [l.tripId] : [])));
    expect(tripsOf(before)).toContain(TUESDAY_SAILING);

    // Sailings on Mondays and Wednesdays only, 60 hours across: Tuesday's is gone.
    const changed = {
      ...feeder(),
      pattern: {
        weekly: [
          { weekday: 'Mon', time: '18:00' },
          { weekday: 'Wed', time: '18:00' },
        ],
      },
      stops: [{ node: 'KZ_AKTAU_PORT' }, { node: 'AZ_BAKU_PORT_ALAT', runHours: 60 }],
    };
    const res = await send('POST', '/v1/network/services', asco, {
      effectiveFrom: '2026-11-30',
      services: [changed],
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<{
      services: { serviceId: string; version: number }[];
      flaggedBookings: { bookingId: string; notices: string[] }[];
    }>();
    expect(body.services).toEqual([{ serviceId: FEEDER_ID, version: 2, isNew: false }]);
    expect(body.flaggedBookings).toEqual([
      {
        bookingId: booking.id,
        notices: [
          expect.stringContaining(
            'the Aktau - Alat container feeder departure of 2026-12-01 18:00 from Aktau no longer runs',
          ),
        ],
      },
    ]);

    // The planner now sails on Wednesday, 60 hours across.
    const after = await feederPlan();
    expect(tripsOf(after)).not.toContain(TUESDAY_SAILING);
    const wednesday = after.find((i) =>
      i.legs.some((l) => l.tripId === `${FEEDER_ID}@2026-12-02T1800`),
    );
    expect(wednesday).toBeDefined();
    // The feeder sails when full: not before its nominal Wednesday 18:00 at Aktau (UTC+5, 13:00
    // UTC), after the ferry wait the plan shows, and 60 hours across as published.
    const legs = wednesday!.legs;
    const k = legs.findIndex((l) => l.tripId?.startsWith(FEEDER_ID));
    const sailing = legs[k]!;
    expect(Date.parse(sailing.departure!)).toBeGreaterThanOrEqual(Date.parse('2026-12-02T13:00Z'));
    expect(legs[k - 1]).toMatchObject({ kind: 'dwell', operation: 'ferry_waiting' });
    expect(Date.parse(sailing.arrival!) - Date.parse(sailing.departure!)).toBe(60 * 3_600_000);
    const timetable = await send(
      'GET',
      `/v1/timetable?from=2026-12-01&days=1&service=${FEEDER_ID}`,
    );
    expect(timetable.json<{ trips: unknown[] }>().trips).toEqual([]);

    // The booking says so, its owner is told, and the version it was made on is still readable.
    const read = bookingSchema.parse(
      (await send('GET', `/v1/bookings/${booking.id}`, shipper)).json(),
    );
    expect(read.notices.join(' ')).toContain('schedule change from 2026-11-30');
    const inbox = await send('GET', '/v1/notifications', shipper);
    expect(inbox.json<{ notifications: { kind: string; text: string }[] }>().notifications).toEqual(
      [
        expect.objectContaining({
          kind: 'SCHEDULE_CHANGE',
          text: expect.stringContaining(booking.id) as unknown,
        }),
      ],
    );
    const v1 = await send('GET', `/v1/network/services/${FEEDER_ID}/versions/1`);
    expect(v1.statusCode).toBe(200);
    expect(
      v1.json<{ inForce: boolean; record: { pattern: { weekly: unknown[] } } }>(),
    ).toMatchObject({
      inForce: false,
      record: {
        pattern: {
          weekly: expect.arrayContaining([{ weekday: 'Tue', time: '18:00' }]) as unknown,
        },
      },
    });
    const versions = await send('GET', `/v1/network/services/${FEEDER_ID}/versions`);
    expect(
      versions
        .json<{ versions: { version: number; inForce: boolean }[] }>()
        .versions.map((v) => [v.version, v.inForce]),
    ).toEqual([
      [1, false],
      [2, true],
    ]);
    // New bookings are made on version 2.
    const again = await send('POST', '/v1/bookings', shipper, {
      rides: [
        { tripId: `${FEEDER_ID}@2026-12-02T1800`, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' },
      ],
      containers: '1x40HC',
    });
    expect(bookingSchema.parse(again.json()).rides[0]!.serviceVersion).toBe(2);
  });

  it('says which departure a capacity cut leaves overbooked, by service, day and place', async () => {
    const booked = await send('POST', '/v1/bookings', shipper, {
      rides: [
        { tripId: `${FEEDER_ID}@2026-12-02T1800`, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' },
      ],
      containers: '3x40HC',
    });
    expect(booked.statusCode).toBe(201);
    const id = bookingSchema.parse(booked.json()).id;
    const versions = await send('GET', `/v1/network/services/${FEEDER_ID}/versions`);
    const inForce = versions
      .json<{ versions: { inForce: boolean; record: object }[] }>()
      .versions.find((v) => v.inForce)!.record;
    const check = await send('POST', '/v1/network/services', asco, {
      effectiveFrom: '2026-11-30',
      services: [{ ...inForce, capacityTeu: 4 }],
      dryRun: true,
    });
    expect(check.statusCode).toBe(200);
    const flagged = check
      .json<{ flaggedBookings: { bookingId: string; notices: string[] }[] }>()
      .flaggedBookings.find((b) => b.bookingId === id);
    // The departure's booked total, this booking's 6 TEU among them.
    expect(flagged?.notices).toEqual([
      expect.stringMatching(
        /^schedule change from 2026-11-30: capacity of the Aktau - Alat container feeder departure of 2026-12-02 18:00 from Aktau cut to 4 TEU from 2026-11-30: ([6-9]|\d\d+) TEU are booked on Aktau→Alat$/,
      ),
    ]);
  });

  it('takes a version effective later only from its day', async () => {
    const later = { ...feeder(), capacityTeu: 300 };
    const res = await send('POST', '/v1/network/services', asco, {
      effectiveFrom: '2026-12-05',
      services: [later],
    });
    expect(res.statusCode).toBe(201);
    const versions = await send('GET', `/v1/network/services/${FEEDER_ID}/versions`);
    const list = versions.json<{ versions: { version: number; inForce: boolean }[] }>().versions;
    expect(list.find((v) => v.inForce)!.version).toBe(2);
    expect(list.at(-1)).toMatchObject({ version: 3, effectiveFrom: '2026-12-05', inForce: false });
  });

  it('publishes a new service from CSV, and names the row and column of each problem', async () => {
    const header =
      'service_id,name,operator,mode,corridor,valid_from,valid_to,departures,capacity_teu,sails_when_full,refuses_cargo,tariff,source,node,via,run_hours,dwell_hours,operations';
    const row = (node: string, runHours: string) =>
      `SVC_ASCO_RORO_ALAT_AKTAU,ASCO Ro-Ro Alat - Aktau,ASCO,ferry,middle,2026-11-01,2027-12-31,Tue 10:00;Fri 10:00,120,false,hazardous,42G1=900+0;22G1=600+0,ASCO timetable 2026,${node},,${runHours},,`;
    for (const [node, hours, path] of [
      ['KZ_NOWHERE', '', 'body, row 3, column node'],
      ['KZ_AKTAU_PORT', '-4', 'body, row 3, column run_hours'],
    ] as const) {
      const bad = [header, row('AZ_BAKU_PORT_ALAT', ''), row(node, hours)].join('\n');
      const refused = await send(
        'POST',
        '/v1/network/services/csv?effectiveFrom=2026-12-01',
        asco,
        bad,
      );
      expect(refused.statusCode).toBe(400);
      expect(refused.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(
        path,
      );
    }

    const good = [header, row('AZ_BAKU_PORT_ALAT', ''), row('KZ_AKTAU_PORT', '')].join('\n');
    const dry = await send(
      'POST',
      '/v1/network/services/csv?effectiveFrom=2026-12-01&dryRun=true',
      asco,
      good,
    );
    expect(dry.statusCode).toBe(200);
    expect(
      (await send('GET', '/v1/network/services/SVC_ASCO_RORO_ALAT_AKTAU/versions')).statusCode,
    ).toBe(404);
    const made = await send(
      'POST',
      '/v1/network/services/csv?effectiveFrom=2026-11-30',
      asco,
      good,
    );
    expect(made.statusCode).toBe(201);
    expect(made.json<{ services: unknown[] }>().services).toEqual([
      { serviceId: 'SVC_ASCO_RORO_ALAT_AKTAU', version: 1, isNew: true },
    ]);
    const net = await send('GET', '/v1/network');
    expect(net.json<{ services: { id: string }[] }>().services.map((s) => s.id)).toContain(
      'SVC_ASCO_RORO_ALAT_AKTAU',
    );
  });

  it('refuses what is wrong, naming each field, and changes nothing', async () => {
    const broken = {
      ...feeder(),
      capacityTeu: -5,
      stops: [{ node: 'KZ_AKTAU_PORT' }, { node: 'KZ_NOWHERE' }],
    };
    const res = await send('POST', '/v1/network/services', asco, {
      effectiveFrom: '2026-11-29',
      services: [broken],
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.services.0.capacityTeu']));
    const notFound = await send('POST', '/v1/network/services', asco, {
      effectiveFrom: '2026-11-29',
      services: [{ ...feeder(), stops: [{ node: 'KZ_AKTAU_PORT' }, { node: 'KZ_NOWHERE' }] }],
    });
    expect(notFound.statusCode).toBe(400);
    expect(notFound.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['body.effectiveFrom', 'body.services[0].stops[1].node']),
    );
  });

  it("lets nobody publish another carrier's services, and no shipper publish at all", async () => {
    const theirs = await send('POST', '/v1/network/services', ktz, {
      effectiveFrom: '2026-12-01',
      services: [{ ...feeder(), capacityTeu: 1 }],
    });
    expect(theirs.statusCode).toBe(403);
    expect(theirs.json<{ detail: string }>().detail).toContain('operated by another organisation');
    const unowned = await send('POST', '/v1/network/services', ktz, {
      effectiveFrom: '2026-12-01',
      services: [{ ...feeder(), id: 'SVC_ADY_EXPRESS_ALAT_POTI' }],
    });
    expect(unowned.statusCode).toBe(403);
    const shipperTry = await send('POST', '/v1/network/services', shipper, {
      effectiveFrom: '2026-12-01',
      services: [feeder()],
    });
    expect(shipperTry.statusCode).toBe(403);
    const anonymous = await send('POST', '/v1/network/services', undefined, {
      effectiveFrom: '2026-12-01',
      services: [feeder()],
    });
    expect(anonymous.statusCode).toBe(401);
    const versions = await send('GET', `/v1/network/services/${FEEDER_ID}/versions`);
    expect(versions.json<{ versions: unknown[] }>().versions).toHaveLength(3);
  });
});
