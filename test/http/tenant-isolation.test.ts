import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createUser } from '../../src/app/manage-accounts.ts';
import { containerNumber } from '../support/containers.ts';
import {
  apiKeyCaller,
  callersOf,
  manualClock,
  organisationWithPeople,
  signIn,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';

/**
 * Every organisation-scoped endpoint, tried as every role of every other organisation (by
 * session and by API key): the answer is 403 or 404 and never carries the target's data.
 */
// Moved between claims, so that a later claim is the newer shipment.
const clock = manualClock();
let server: TestServer;
let target: Awaited<ReturnType<typeof organisationWithPeople>>;
let targetKeyId: string;
let outsiders: Caller[];
const secrets: string[] = [];

beforeAll(async () => {
  server = await testServer(undefined, clock);
  target = await organisationWithPeople(server, {
    name: 'Target Rail Co',
    kind: 'carrier',
    country: 'KZ',
    services: ['SVC_XIAN_BAKU_BLOCK'],
  });
  const { apiKey } = await createApiKey(server.accounts, undefined, target.organisation.id, {
    name: 'target feed',
  });
  targetKeyId = apiKey.id;
  secrets.push('Target Rail Co', ...target.people.map((p) => p.email), apiKey.prefix);
  outsiders = [];
  for (const input of [
    {
      name: 'Other Carrier',
      kind: 'carrier' as const,
      country: 'AZ',
      services: ['SVC_FEEDER_AKTAU_ALAT'],
    },
    { name: 'Some Shipper', kind: 'shipper' as const, country: 'CN' },
    {
      name: 'Some Customs',
      kind: 'customs' as const,
      country: 'GE',
      customsOffices: [{ code: 'GEPTI007', name: 'Poti' }],
    },
    { name: 'Council', kind: 'coordinator' as const, country: 'KZ' },
  ]) {
    outsiders.push(...(await callersOf(server, await organisationWithPeople(server, input))));
  }
  // The platform operator's ordinary members are outsiders too: only its admins see everyone.
  const platform = await organisationWithPeople(server, {
    name: 'Platform',
    kind: 'platform',
    country: 'AZ',
  });
  const member = platform.people.find((p) => p.role === 'member')!;
  outsiders.push({
    label: 'platform member (session)',
    organisation: platform.organisation,
    role: 'member',
    headers: await signIn(server.app, member.email, member.password),
  });
  const { key } = await createApiKey(server.accounts, undefined, platform.organisation.id, {
    name: 'platform member key',
    role: 'member',
  });
  outsiders.push({
    label: 'platform member (API key)',
    organisation: platform.organisation,
    role: 'member',
    headers: { authorization: `Bearer ${key}` },
  });
});
afterAll(() => server.close());

const endpoints = () => {
  const org = target.organisation.id;
  return [
    { method: 'GET' as const, url: `/v1/organisations/${org}` },
    { method: 'PATCH' as const, url: `/v1/organisations/${org}`, payload: { autoConfirm: true } },
    { method: 'GET' as const, url: `/v1/organisations/${org}/users` },
    {
      method: 'POST' as const,
      url: `/v1/organisations/${org}/users`,
      payload: { email: 'intruder@test.example', name: 'Intruder', role: 'admin' },
    },
    { method: 'GET' as const, url: `/v1/organisations/${org}/api-keys` },
    {
      method: 'POST' as const,
      url: `/v1/organisations/${org}/api-keys`,
      payload: { name: 'stolen', role: 'admin' },
    },
    { method: 'DELETE' as const, url: `/v1/organisations/${org}/api-keys/${targetKeyId}` },
  ];
};

describe('tenant isolation', () => {
  it('refuses every organisation endpoint to every role of every other organisation', async () => {
    let tried = 0;
    for (const caller of outsiders) {
      for (const e of endpoints()) {
        const res = await server.app.inject({ ...e, headers: caller.headers });
        tried++;
        expect([403, 404], `${caller.label}: ${e.method} ${e.url} -> ${res.statusCode}`).toContain(
          res.statusCode,
        );
        for (const s of secrets)
          expect(res.body, `${caller.label}: ${e.method} ${e.url}`).not.toContain(s);
      }
    }
    expect(tried).toBe(outsiders.length * 7);
    // carrier, shipper and council: admin, member, key; customs adds an officer; platform member twice.
    expect(outsiders.length).toBe(15);
  });

  it("lists only the caller's own organisation", async () => {
    for (const caller of outsiders) {
      const res = await server.app.inject({ url: '/v1/organisations', headers: caller.headers });
      expect(res.statusCode).toBe(200);
      const orgs = (res.json() as { organisations: { id: string }[] }).organisations;
      expect(
        orgs.map((o) => o.id),
        caller.label,
      ).toEqual([caller.organisation.id]);
    }
  });

  it('changed nothing in the target organisation', async () => {
    const users = await server.accounts.stores.users.listByOrganisation(target.organisation.id);
    expect(users.map((u) => u.email).sort()).toEqual(target.people.map((p) => p.email).sort());
    const keys = await server.accounts.stores.apiKeys.listByOrganisation(target.organisation.id);
    expect(keys.map((k) => [k.name, k.revokedAt])).toEqual([['target feed', null]]);
    expect(
      (await server.accounts.stores.organisations.find(target.organisation.id))!.autoConfirm,
    ).toBe(false);
  });

  it('lets the target organisation in, as a control', async () => {
    const [admin] = await callersOf(server, target);
    for (const e of endpoints().filter((x) => x.method === 'GET')) {
      const res = await server.app.inject({ ...e, headers: admin!.headers });
      expect(res.statusCode, e.url).toBe(200);
    }
    await createUser(server.accounts, undefined, target.organisation.id, {
      email: 'control@test.example',
      name: 'c',
      role: 'member',
    });
  });

  it('refuses anonymous callers with 401', async () => {
    for (const e of endpoints()) {
      const res = await server.app.inject(e);
      expect(res.statusCode, `${e.method} ${e.url}`).toBe(401);
    }
  });
});

describe("another organisation's container", () => {
  const RIDES = [
    { tripId: 'SVC_XIAN_BAKU_BLOCK@2026-12-04T1200', from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT' },
  ];
  const container = containerNumber('VICU', 7);
  let owner: Caller;
  let shipmentId: string;
  const claim = (who: Caller, containers: string[]) => {
    clock.advance(1000);
    return server.app.inject({
      method: 'POST',
      url: '/v1/shipments',
      headers: who.headers,
      payload: {
        rides: RIDES,
        containers: containers.map((equipmentReference) => ({ equipmentReference })),
      },
    });
  };

  beforeAll(async () => {
    owner = await apiKeyCaller(server, { name: 'Victim Exporter', kind: 'shipper', country: 'CN' });
    const res = await claim(owner, [container]);
    expect(res.statusCode, res.body).toBe(201);
    shipmentId = res.json<{ id: string }>().id;
  });

  it('is refused to every role of every other organisation, without saying whose it is', async () => {
    let refusedAsTaken = 0;
    for (const caller of outsiders) {
      // The container alone, and hidden among fresh ones of the caller's own.
      for (const containers of [
        [container],
        [containerNumber('ATKU', 1), container, containerNumber('ATKU', 2)],
      ]) {
        const res = await claim(caller, containers);
        const label = `${caller.label}: ${containers.join(',')}`;
        if (caller.organisation.kind === 'shipper') {
          refusedAsTaken++;
          expect([res.statusCode, res.headers['content-type']], label).toEqual([
            409,
            'application/problem+json; charset=utf-8',
          ]);
          expect(res.json<{ errors: unknown }>().errors, label).toEqual([
            {
              path: `body.containers[${containers.indexOf(container)}].equipmentReference`,
              message: 'the container is in a shipment under way',
            },
          ]);
        } else expect(res.statusCode, label).toBe(403);
        for (const s of ['Victim Exporter', owner.organisation.id, shipmentId])
          expect(res.body, label).not.toContain(s);
      }
    }
    expect(refusedAsTaken).toBe(6);
  });

  it("keeps the carrier's events in the owner's shipment, out of every other organisation's sight", async () => {
    const [carrier] = await callersOf(server, target);
    const posted = await server.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: carrier!.headers,
      payload: {
        eventID: randomUUID(),
        eventCreatedDateTime: '2026-11-30T07:00:00Z',
        eventDateTime: '2026-11-30T07:00:00Z',
        eventType: 'EQUIPMENT',
        eventClassifierCode: 'ACT',
        equipmentEventTypeCode: 'GTIN',
        equipmentReference: container,
        eventLocation: { UNLocationCode: 'CNXIA' },
      },
    });
    expect([posted.statusCode, posted.json<{ shipmentId: string }>().shipmentId]).toEqual([
      201,
      shipmentId,
    ]);
    const seen = (who: Caller) =>
      server.app.inject({
        url: `/v3/events?equipmentReference=${container}&eventTypes=EQUIPMENT`,
        headers: who.headers,
      });
    const mine = await seen(owner);
    expect(mine.json<{ payload: { equipmentEventTypeCode?: string } }[]>()).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({ equipmentEventTypeCode: 'GTIN' }) as unknown,
      }),
    ]);
    for (const caller of outsiders) {
      const res = await seen(caller);
      expect([res.statusCode, res.json<unknown[]>()], caller.label).toEqual([200, []]);
    }
  });

  it('goes to one of two shippers claiming a free container at once', async () => {
    const other = outsiders.find((c) => c.organisation.kind === 'shipper')!;
    const free = containerNumber('VICU', 8);
    const answers = await Promise.all([claim(owner, [free]), claim(other, [free])]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
  });
});

describe('a booking over several carriers', () => {
  let shipper: Caller;
  let booking: { id: string; promise: { costUsd: number; co2eKg: number } | null };
  let services: string[];

  beforeAll(async () => {
    shipper = await apiKeyCaller(server, {
      name: 'Booking Exporter',
      kind: 'shipper',
      country: 'CN',
    });
    const plan = (
      await server.app.inject({
        method: 'POST',
        url: '/v1/plans',
        payload: { from: 'Xian', to: 'Baku', depart: '2026-12-04', containers: '1x40HC' },
      })
    ).json<{ planId: string; itineraries: { id: string; legs: { serviceId?: string }[] }[] }>();
    const servicesOf = (i: (typeof plan.itineraries)[number]) => [
      ...new Set(i.legs.flatMap((l) => (l.serviceId ? [l.serviceId] : []))),
    ];
    // An itinerary on the target's service and another carrier's.
    const itinerary = plan.itineraries.find((i) => {
      const s = servicesOf(i);
      return s.includes('SVC_XIAN_BAKU_BLOCK') && s.length > 1;
    })!;
    services = servicesOf(itinerary);
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: shipper.headers,
      payload: { planId: plan.planId, itineraryId: itinerary.id },
    });
    expect(res.statusCode, res.body).toBe(201);
    booking = res.json();
    expect(booking.promise!.costUsd).toBeGreaterThan(0);
  });

  it("shows each carrier only its own rides, never the whole itinerary's price", async () => {
    const callers = [...(await callersOf(server, target)), ...outsiders];
    const sawIt: string[] = [];
    for (const caller of callers) {
      const own = caller.organisation.kind === 'carrier' ? caller.organisation.services : [];
      const one = await server.app.inject({
        url: `/v1/bookings/${booking.id}`,
        headers: caller.headers,
      });
      const listed = await server.app.inject({ url: '/v1/bookings', headers: caller.headers });
      const inList = listed
        .json<{ bookings: { id: string }[] }>()
        .bookings.filter((b) => b.id === booking.id);
      if (!services.some((s) => own.includes(s))) {
        expect([one.statusCode, inList], caller.label).toEqual([404, []]);
        continue;
      }
      sawIt.push(caller.organisation.name);
      expect(one.statusCode, caller.label).toBe(200);
      for (const seen of [one.json(), ...inList] as {
        promise: unknown;
        rides: { serviceId: string }[];
      }[]) {
        expect(seen.promise, caller.label).toBeNull();
        expect(seen.rides.length, caller.label).toBeGreaterThan(0);
        expect(
          seen.rides.every((r) => own.includes(r.serviceId)),
          caller.label,
        ).toBe(true);
      }
      for (const body of [one.body, listed.body]) {
        expect(body, caller.label).not.toContain(String(booking.promise!.costUsd));
        for (const other of services.filter((s) => !own.includes(s)))
          expect(body, caller.label).not.toContain(other);
      }
    }
    expect(sawIt).toContain('Target Rail Co');
    // The booking party still sees the whole promise.
    const mine = await server.app.inject({
      url: `/v1/bookings/${booking.id}`,
      headers: shipper.headers,
    });
    expect(mine.json<typeof booking>().promise).toEqual(booking.promise);
  });
});
