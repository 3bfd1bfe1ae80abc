import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departuresResponseSchema } from '../../src/api/capacity.ts';
import { tripLegs } from '../../src/app/capacity.ts';
import { PgCapacityLedger } from '../../src/store/capacity.store.ts';
import { referenceNetwork } from '../support/network-files.ts';
import { testServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

describe('GET /v1/departures', () => {
  it('shows capacity, held, confirmed and available TEU per departure and leg', async () => {
    const ledger = new PgCapacityLedger(server.database.db);
    const legs = tripLegs(referenceNetwork(), 'SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800')!;
    await ledger.hold({ holdId: 'hld_a', legs, teu: 20, expiresAt: new Date('2027-01-01') });
    await ledger.hold({ holdId: 'hld_b', legs, teu: 6, expiresAt: new Date('2027-01-01') });
    await ledger.confirm('hld_a');
    const res = await server.app.inject({
      url: '/v1/departures?service=SVC_FEEDER_AKTAU_ALAT&from=2026-12-01&days=2',
    });
    expect(res.statusCode).toBe(200);
    const body = departuresResponseSchema.parse(res.json());
    expect(body.departures.map((d) => d.tripId)).toEqual([
      'SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800',
      'SVC_FEEDER_AKTAU_ALAT@2026-12-02T1800',
    ]);
    expect(body.departures[0]!.legs).toEqual([
      {
        legIndex: 0,
        from: 'KZ_AKTAU_PORT',
        to: 'AZ_BAKU_PORT_ALAT',
        departure: '2026-12-01T13:00:00.000Z',
        capacityTeu: 225,
        heldTeu: 6,
        confirmedTeu: 20,
        availableTeu: 199,
        closed: false,
      },
    ]);
    // A departure nobody booked has its whole capacity free.
    expect(body.departures[1]!.legs[0]).toMatchObject({
      heldTeu: 0,
      confirmedTeu: 0,
      availableTeu: 225,
    });
    // Who booked never appears.
    expect(res.body).not.toContain('hld_');
  });

  it('names the field of a bad query', async () => {
    const unknown = await server.app.inject({ url: '/v1/departures?service=SVC_NOPE' });
    expect([unknown.statusCode, unknown.json<{ errors: unknown }>().errors]).toEqual([
      400,
      [{ path: 'query.service', message: 'unknown service "SVC_NOPE"' }],
    ]);
    const missing = await server.app.inject({ url: '/v1/departures' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ errors: { path: string }[] }>().errors[0]!.path).toBe('query.service');
    const tooLong = await server.app.inject({
      url: '/v1/departures?service=SVC_FEEDER_AKTAU_ALAT&days=400',
    });
    expect(tooLong.statusCode).toBe(400);
  });
});
