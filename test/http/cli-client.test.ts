import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import { runCapturing } from '../support/cli.ts';
import { organisationWithPeople, testServer, type TestServer } from '../support/server.ts';
import { dataFiles } from '../support/network-files.ts';

/** The CLI as a client of a real server over HTTP. */
let server: TestServer;
let url: string;
let key: string;

beforeAll(async () => {
  server = await testServer();
  url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const shipper = await organisationWithPeople(server, {
    name: 'Exporter',
    kind: 'shipper',
    country: 'CN',
  });
  // The carriers of the rides booked: rides nobody operates are refused.
  await organisationWithPeople(server, {
    name: 'KTZ Express',
    kind: 'carrier',
    country: 'KZ',
    services: ['SVC_XIAN_BAKU_BLOCK', 'SVC_CHINA_TURKEY_BTK'],
  });
  await organisationWithPeople(server, {
    name: 'ASCO',
    kind: 'carrier',
    country: 'AZ',
    services: ['SVC_FEEDER_AKTAU_ALAT', 'SVC_ASCO_RAIL_FERRY_AKTAU_ALAT'],
  });
  key = (
    await createApiKey(server.accounts, undefined, shipper.organisation.id, {
      name: 'cli',
      role: 'admin',
    })
  ).key;
});
afterAll(() => server.close());

const cli = (...argv: string[]) =>
  runCapturing(argv, {
    env: { CORRIDOR_API_KEY: key, CORRIDOR_SERVER: url },
    http: (u, init) => fetch(u, init),
  });

const RIDE = 'SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800:KZ_AKTAU_PORT:AZ_BAKU_PORT_ALAT';

describe('corridor as a client of the platform', () => {
  it('books, lists, shows and cancels, and shows capacity per departure', async () => {
    const booked = await cli('book', '--ride', RIDE, '--containers', '2x40HC');
    expect(booked.code).toBe(0);
    const id = /^(bkg_\w+)\s+RECEIVED\s+4 TEU/.exec(booked.stdout)![1]!;
    expect(booked.stdout).toContain(
      '0. SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800  KZ_AKTAU_PORT → AZ_BAKU_PORT_ALAT  REQUESTED',
    );
    const deps = await cli(
      'departures',
      '--service',
      'SVC_FEEDER_AKTAU_ALAT',
      '--from',
      '2026-12-01',
      '--days',
      '1',
    );
    expect(deps.stdout).toMatch(
      /SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800\s+KZ_AKTAU_PORT → AZ_BAKU_PORT_ALAT\s+225\s+4\s+0\s+221/,
    );
    expect((await cli('bookings', 'list')).stdout).toContain(id);
    expect((await cli('bookings', 'show', id, '--json')).stdout).toContain(`"id": "${id}"`);
    expect((await cli('bookings', 'cancel', id)).stdout).toMatch(new RegExp(`^${id}\\s+CANCELLED`));
  });

  it('books an itinerary of a plan the platform kept', async () => {
    const res = await fetch(`${url}/v1/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        from: 'Xian',
        to: 'Baku',
        depart: '2026-12-01',
        containers: '1x40HC',
      }),
    });
    const plan = (await res.json()) as { planId: string; itineraries: { id: string }[] };
    const booked = await cli('book', '--plan', plan.planId, '--itinerary', plan.itineraries[0]!.id);
    expect([booked.code, booked.stdout]).toEqual([
      0,
      expect.stringMatching(/^bkg_\w+\s+RECEIVED\s+2 TEU/),
    ]);
    const both = await cli('book', '--plan', plan.planId, '--ride', RIDE, '--containers', '1x40HC');
    expect([both.code, both.stderr]).toEqual([
      2,
      'error: give --ride or --plan with --itinerary, not both',
    ]);
    const half = await cli('book', '--plan', plan.planId);
    expect([half.code, half.stderr]).toEqual([2, 'error: --plan and --itinerary go together']);
    const gone = await cli('book', '--plan', 'pln_nothere', '--itinerary', 'it_x');
    expect([gone.code, gone.stderr]).toEqual([
      1,
      'error: no plan pln_nothere: plans can be booked for a day after they are made; plan again',
    ]);
  });

  it('says why a booking does not fit, and exits 1', async () => {
    const r = await cli('book', '--ride', RIDE, '--containers', '300x20GP');
    expect([r.code, r.stderr]).toEqual([
      1,
      expect.stringMatching(
        /^error: insufficient capacity on leg Aktau→Alat \(trip SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800\): \d+ TEU available, 300 requested$/,
      ) as string,
    ]);
  });

  it('says which ride nobody on the platform could confirm, and exits 1', async () => {
    const r = await cli(
      'book',
      '--ride',
      'SVC_ADY_EXPRESS_POTI_ALAT@2026-12-05T1000:GE_POTI_PORT:AZ_BAKU_PORT_ALAT',
      '--containers',
      '1x40HC',
    );
    expect([r.code, r.stderr]).toEqual([
      1,
      expect.stringMatching(
        /^error: no carrier on the platform operates .* \(SVC_ADY_EXPRESS_POTI_ALAT\), so nobody could confirm this ride; choose another itinerary$/,
      ) as string,
    ]);
  });

  it('exits 2 with one line for bad input, locally or from the server', async () => {
    const local = await cli('book', '--ride', 'nonsense', '--containers', '1x40HC');
    expect([local.code, local.stderr]).toEqual([
      2,
      'error: --ride: "nonsense" is not TRIP:FROM:TO',
    ]);
    const remote = await cli(
      'book',
      '--ride',
      'SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800:AZ_BAKU_PORT_ALAT:KZ_AKTAU_PORT',
      '--containers',
      '1x40HC',
    );
    expect(remote.code).toBe(2);
    expect(remote.stderr).toBe(
      'error: KZ_AKTAU_PORT is not a later stop of SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800',
    );
  });

  it('publishes services from a JSON or CSV file, dry run first', async () => {
    const carrier = await organisationWithPeople(server, {
      name: 'ADY Container',
      kind: 'carrier',
      country: 'AZ',
      services: ['SVC_ADY_EXPRESS_ALAT_POTI'],
    });
    const carrierKey = (
      await createApiKey(server.accounts, undefined, carrier.organisation.id, {
        name: 'timetables',
        role: 'admin',
      })
    ).key;
    const record = (
      JSON.parse(dataFiles()['services.json']!) as { services: { id: string }[] }
    ).services.find((x) => x.id === 'SVC_ADY_EXPRESS_ALAT_POTI')!;
    const files: Record<string, string> = {
      'ady.json': JSON.stringify({ services: [{ ...record, capacityTeu: 90 }] }),
      'bad.json': JSON.stringify({ services: [{ ...record, stops: [{ node: 'AZ_NOWHERE' }] }] }),
      'shuttle.csv': [
        'service_id,name,operator,mode,corridor,valid_from,valid_to,departures,capacity_teu,sails_when_full,refuses_cargo,tariff,source,node,via,run_hours,dwell_hours,operations',
        'SVC_ADY_POTI_BATUMI,Poti - Batumi shuttle,ADY Container,rail,,2026-11-01,2027-12-31,every 24h from 2026-11-01T08:00,40,false,,42G1=300+0.5,ADY 2026 plan,GE_POTI_PORT,,,,',
        'SVC_ADY_POTI_BATUMI,,,,,,,,,,,,,GE_BATUMI_PORT,,,,',
      ].join('\n'),
    };
    const publish = (...argv: string[]) =>
      runCapturing(['network', 'publish', ...argv], {
        env: { CORRIDOR_API_KEY: carrierKey, CORRIDOR_SERVER: url },
        http: (u, init) => fetch(u, init),
        readText: (f) => Promise.resolve(files[f]!),
      });
    const dry = await publish('ady.json', '--effective-from', '2026-12-01', '--dry-run');
    expect([dry.code, dry.stdout]).toEqual([0, 'valid: SVC_ADY_EXPRESS_ALAT_POTI']);
    const made = await publish('ady.json', '--effective-from', '2026-12-01');
    expect(made.stdout).toBe(
      'published SVC_ADY_EXPRESS_ALAT_POTI version 2, in force from 2026-12-01',
    );
    const csv = await publish('shuttle.csv', '--effective-from', '2026-12-01');
    expect(csv.stdout).toBe(
      'published SVC_ADY_POTI_BATUMI version 1 (new), in force from 2026-12-01',
    );
    const bad = await publish('bad.json', '--effective-from', '2026-12-01');
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('error:');
    const badDate = await publish('ady.json', '--effective-from', 'soon');
    expect(badDate.code).toBe(2);
  });
});
