import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTimetable } from '../../src/core/network/timetable.ts';
import { databaseUrl } from '../support/database.ts';
import { dataFiles, referenceNetwork } from '../support/network-files.ts';
import { adminApiKey, dropDatabase, recreateDatabase, serveProcess } from '../support/process.ts';

/**
 * Two `corridor serve` processes on one PostgreSQL database: 200 concurrent bookings for the last
 * 10 TEU of a departure, sent to both, never overbook it; a schedule published through one is
 * planned on by the other within seconds; rate limits count the requests to both.
 */
const DB = `corridor_two_${process.pid}`;
const env = {
  ...process.env,
  DATABASE_URL: databaseUrl(DB),
  LOG_LEVEL: 'warn',
  CORRIDOR_WRITE_PER_MINUTE: '100000',
};
const servers: { child: ChildProcess; url: string }[] = [];
let key = '';
let carrierKey = '';

beforeAll(async () => {
  await recreateDatabase(DB);
  key = await adminApiKey(env, 'shipper', 'Exporter', { country: 'CN' });
  carrierKey = await adminApiKey(env, 'carrier', 'ASCO', {
    extra: ['--service', 'SVC_FEEDER_AKTAU_ALAT'],
  });
  servers.push(await serveProcess(env), await serveProcess(env));
}, 120_000);

afterAll(async () => {
  for (const s of servers) s.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  await dropDatabase(DB);
});

describe('two server processes on one PostgreSQL', () => {
  it('give the last 10 TEU of a departure to exactly 10 of 200 concurrent bookings', async () => {
    // The servers run on the real clock: the feeder's first sailing two days ahead or later has
    // not left yet, whichever weekday today is.
    const first = generateTimetable(referenceNetwork(), {
      from: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
      days: 7,
      serviceIds: ['SVC_FEEDER_AKTAU_ALAT'],
    })[0]!;
    const [trip, day] = [first.id, first.serviceDate];
    const book = (url: string, containers: string) =>
      fetch(`${url}/v1/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          rides: [{ tripId: trip, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }],
          containers,
        }),
      });
    expect((await book(servers[0]!.url, '215x20GP')).status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => book(servers[i % 2]!.url, '1x20GP')),
    );
    const codes = results.map((r) => r.status);
    expect(codes.filter((c) => c === 201)).toHaveLength(10);
    expect(codes.filter((c) => c === 409)).toHaveLength(190);
    // Either process sees the same ledger.
    const leg = (
      (await (
        await fetch(
          `${servers[1]!.url}/v1/departures?service=SVC_FEEDER_AKTAU_ALAT&from=${day}&days=1`,
        )
      ).json()) as {
        departures: { legs: { heldTeu: number; availableTeu: number }[] }[];
      }
    ).departures[0]!.legs[0]!;
    expect(leg).toMatchObject({ heldTeu: 225, availableTeu: 0 });
  });

  it('plan on a schedule published through the other one within seconds, without a restart', async () => {
    const [a, b] = [servers[0]!, servers[1]!];
    const today = new Date().toISOString().slice(0, 10);
    const depart = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const feederTrips = async () => {
      const res = await fetch(`${b.url}/v1/plans`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'Aktau', to: 'Alat', depart, containers: '1x40HC' }),
      });
      const plan = (await res.json()) as { itineraries: { legs: { tripId?: string }[] }[] };
      return plan.itineraries.flatMap((i) =>
        i.legs.flatMap((l) => (l.tripId?.startsWith('SVC_FEEDER_AKTAU_ALAT@') ? [l.tripId] : [])),
      );
    };
    const weekday = (tripId: string) =>
      new Date(
        `${tripId.slice(tripId.indexOf('@') + 1, tripId.indexOf('@') + 11)}T00:00Z`,
      ).getUTCDay();
    const before = await feederTrips();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((t) => weekday(t) === 0)).toBe(false);

    // Sundays only, from today: published through server A.
    const record = (
      JSON.parse(dataFiles()['services.json']!) as { services: { id: string }[] }
    ).services.find((s) => s.id === 'SVC_FEEDER_AKTAU_ALAT')!;
    const published = await fetch(`${a.url}/v1/network/services`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${carrierKey}` },
      body: JSON.stringify({
        effectiveFrom: today,
        services: [{ ...record, pattern: { weekly: [{ weekday: 'Sun', time: '18:00' }] } }],
      }),
    });
    expect(published.status).toBe(201);
    const at = Date.now();
    let after = await feederTrips();
    while (!(after.length > 0 && after.every((t) => weekday(t) === 0)) && Date.now() - at < 5_000) {
      await new Promise((r) => setTimeout(r, 100));
      after = await feederTrips();
    }
    // Server B plans on Sundays' sailings only, within five seconds of the publication.
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((t) => weekday(t) === 0)).toBe(true);
    expect(Date.now() - at).toBeLessThan(5_000);
  });

  it('share the sign-in throttle: ten failed sign-ins a minute from one address in all, not ten on each', async () => {
    const attempt = (url: string, i: number) =>
      fetch(`${url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `nobody${i}@example.com`, password: 'not the password' }),
      });
    const codes: number[] = [];
    for (let i = 0; i < 14; i++) codes.push((await attempt(servers[i % 2]!.url, i)).status);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429, 429, 429]);
  });
});
