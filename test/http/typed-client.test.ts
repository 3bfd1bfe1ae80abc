import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCorridorClient, type CorridorClient, type Problem } from 'corridor/client';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import { organisationWithPeople, testServer, type TestServer } from '../support/server.ts';

/** The published client (`corridor/client`, built into dist/client) against a real server. */
const exec = promisify(execFile);
let server: TestServer;
let url: string;
let shipper: { email: string; password: string };
let key: string;

beforeAll(async () => {
  server = await testServer();
  url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const exporter = await organisationWithPeople(server, {
    name: 'Exporter',
    kind: 'shipper',
    country: 'CN',
  });
  shipper = exporter.people[0]!;
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
    await createApiKey(server.accounts, undefined, exporter.organisation.id, {
      name: 'integration',
      role: 'admin',
    })
  ).key;
});
afterAll(() => server.close());

/** Signs in with the password; the session cookie and CSRF token go with every later request. */
async function signedIn(): Promise<CorridorClient> {
  const { data, error, response } = await createCorridorClient({ baseUrl: url }).POST(
    '/v1/auth/login',
    { body: { email: shipper.email, password: shipper.password } },
  );
  if (error) throw new Error(`sign-in refused: ${JSON.stringify(error)}`);
  const session = /corridor_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
  return createCorridorClient({
    baseUrl: `${url}/`,
    headers: { cookie: session, 'x-csrf-token': data.csrfToken },
  });
}

describe('the typed client of the API', () => {
  it('signs in, plans, books the fastest itinerary and finds the booking in the list', async () => {
    const client = await signedIn();
    const me = await client.GET('/v1/auth/me');
    expect(me.data?.user.email).toBe(shipper.email);

    const plan = await client.POST('/v1/plans', {
      body: { from: 'Xian', to: 'Baku', depart: '2026-12-01', containers: '1x40HC' },
    });
    expect(plan.response.status).toBe(200);
    const itinerary = plan.data!.itineraries[0]!;
    expect(itinerary.legs[0]).toMatchObject({ kind: 'ride', from: 'CN_XIAN_ITL' });

    const booked = await client.POST('/v1/bookings', {
      body: { planId: plan.data!.planId!, itineraryId: itinerary.id },
      headers: { 'idempotency-key': 'book-fastest-1' },
    });
    expect(booked.response.status).toBe(201);
    expect([booked.data!.state, booked.data!.teu]).toEqual(['RECEIVED', 2]);

    const list = await client.GET('/v1/bookings');
    expect(list.data!.bookings.map((b) => b.id)).toContain(booked.data!.id);
    const one = await client.GET('/v1/bookings/{bookingId}', {
      params: { path: { bookingId: booked.data!.id } },
    });
    expect(one.data!.rides[0]!.state).toBe('REQUESTED');
  });

  it('gives a refusal as the problem the contract declares, naming the field', async () => {
    const client = createCorridorClient({ baseUrl: url, apiKey: key });
    const unreadable = await client.POST('/v1/plans', {
      body: { from: 'Aktua', to: 'Baku', containers: '1x40HC' },
    });
    expect(unreadable.response.status).toBe(422);
    const problem: Problem | undefined = unreadable.error;
    expect(problem?.errors.map((e) => e.path)).toEqual(['body.from']);

    const missing = await client.GET('/v1/bookings/{bookingId}', {
      params: { path: { bookingId: 'bkg_none' } },
    });
    expect([missing.response.status, missing.error?.title]).toEqual([404, 'Not found']);

    const anonymous = await createCorridorClient({ baseUrl: url }).GET('/v1/bookings');
    expect([anonymous.response.status, anonymous.error?.status]).toEqual([401, 401]);
  });

  it('loads in plain Node as an ES module and lists the bookings with an API key', async () => {
    const script = `
      import { createCorridorClient } from 'corridor/client';
      const client = createCorridorClient({ baseUrl: process.argv[1], apiKey: process.argv[2] });
      const { data } = await client.GET('/v1/bookings');
      console.log(JSON.stringify({ total: data.total }));
    `;
    const { stdout } = await exec(
      process.execPath,
      ['--input-type=module', '-e', script, url, key],
      { cwd: resolve(import.meta.dirname, '../..') },
    );
    expect(JSON.parse(stdout)).toEqual({ total: 1 });
  });
});
