import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingSchema } from '../../src/api/bookings.ts';
import { seedDemo, type DemoCredential } from '../../src/app/seed-demo.ts';
import { PgDirectoryStore } from '../../src/store/directory.store.ts';
import { referenceNetwork } from '../support/network-files.ts';
import { manualClock, signIn, testServer, type TestServer } from '../support/server.ts';

/**
 * The demo at first start, on PGlite and on PostgreSQL: its organisations operate every service
 * of the reference data, so that a shipper can book what the planner offers and each ride's
 * carrier can confirm it with the demo account it was given.
 */
const clock = manualClock();
let server: TestServer;
let credentials: DemoCredential[];

beforeAll(async () => {
  server = await testServer(undefined, clock);
  ({ credentials } = await seedDemo(server.accounts, new PgDirectoryStore(server.database.db)));
});
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
