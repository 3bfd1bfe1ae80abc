import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalMessage, tripLegs } from '../../src/app/capacity.ts';
import type { LegSpec } from '../../src/app/capacity-ports.ts';
import { availableTeu } from '../../src/core/capacity/capacity.ts';
import { PgCapacityLedger } from '../../src/store/capacity.store.ts';
import type { Database } from '../../src/store/database.ts';
import { testDatabase } from '../support/database.ts';
import { referenceNetwork } from '../support/network-files.ts';

/** The capacity ledger on a real database (PGlite and PostgreSQL: one run each). */
const network = referenceNetwork();
let database: Database;
let ledger: PgCapacityLedger;
beforeAll(async () => {
  database = await testDatabase();
  ledger = new PgCapacityLedger(database.db);
});
afterAll(() => database.close());

const LATER = new Date('2027-01-01T00:00:00Z');
let n = 0;
const holdId = () => `hld_${++n}`;

/** The Xi'an-Baku block train of 1 December: 110 TEU on each of its five legs. */
function xianBaku(): LegSpec[] {
  return tripLegs(network, 'SVC_XIAN_BAKU_BLOCK@2026-12-01T1200')!;
}

describe('trip legs', () => {
  it('are the stretches between consecutive stops, with the service capacity', () => {
    const legs = xianBaku();
    expect(legs.map((l) => `${l.fromNodeId}>${l.toNodeId}`)).toEqual([
      'CN_XIAN_ITL>CN_KHORGOS',
      'CN_KHORGOS>KZ_ALTYNKOL_KHORGOS_GATEWAY',
      'KZ_ALTYNKOL_KHORGOS_GATEWAY>KZ_AKTAU_PORT',
      'KZ_AKTAU_PORT>AZ_BAKU_PORT_ALAT',
      'AZ_BAKU_PORT_ALAT>AZ_BAKU',
    ]);
    expect(new Set(legs.map((l) => l.capacityTeu))).toEqual(new Set([110]));
    expect(tripLegs(network, 'SVC_XIAN_BAKU_BLOCK@2026-12-02T1200')).toBeUndefined();
    expect(tripLegs(network, '../etc/passwd')).toBeUndefined();
  });
});

describe('holding capacity', () => {
  it('gives the last 10 TEU of a leg to exactly 10 of 200 concurrent one-TEU holds', async () => {
    const legs = xianBaku();
    // Fill the Caspian leg (index 3) down to its last 10 TEU.
    expect(
      await ledger.hold({ holdId: holdId(), legs: [legs[3]!], teu: 100, expiresAt: LATER }),
    ).toEqual({ ok: true });
    // 200 holds over legs 2-4 (Altynkol to Baku) race for them.
    const ride = [legs[2]!, legs[3]!, legs[4]!];
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        ledger.hold({ holdId: holdId(), legs: ride, teu: 1, expiresAt: LATER }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({
      reason: 'insufficient_capacity',
      legIndex: 3,
      availableTeu: 0,
      requestedTeu: 1,
    });
    const after = await ledger.legs(legs[0]!.tripId);
    // The ledger balances: every winner holds one TEU on each of its three legs, nothing more.
    expect(after.map((l) => [l.legIndex, l.heldTeu, l.confirmedTeu])).toEqual([
      [2, 10, 0],
      [3, 110, 0],
      [4, 10, 0],
    ]);
    expect(after.every((l) => l.heldTeu + l.confirmedTeu <= l.capacityTeu)).toBe(true);
  });

  it('holds all legs or none: a full leg leaves the others untouched, and says why', async () => {
    const legs = tripLegs(network, 'SVC_XIAN_BAKU_BLOCK@2026-12-04T1200')!;
    await ledger.hold({ holdId: holdId(), legs, teu: 1, expiresAt: LATER });
    await ledger.hold({ holdId: holdId(), legs: [legs[3]!], teu: 105, expiresAt: LATER });
    const d = await ledger.hold({ holdId: holdId(), legs, teu: 6, expiresAt: LATER });
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(refusalMessage(network, d)).toBe(
      'insufficient capacity on leg Aktau→Alat (trip SVC_XIAN_BAKU_BLOCK@2026-12-04T1200): 4 TEU available, 6 requested',
    );
    const after = await ledger.legs(legs[0]!.tripId);
    expect(after.map((l) => l.heldTeu)).toEqual([1, 1, 1, 106, 1]);
  });

  it('returns capacity on release, moves it on confirmation, and does either once', async () => {
    const legs = tripLegs(network, 'SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800')!;
    const a = holdId();
    const b = holdId();
    await ledger.hold({ holdId: a, legs, teu: 20, expiresAt: LATER });
    await ledger.hold({ holdId: b, legs, teu: 5, expiresAt: LATER });
    expect(await ledger.confirm(a)).toBe(true);
    expect(await ledger.release(b)).toBe(true);
    expect(await ledger.release(b)).toBe(false);
    expect(await ledger.release(a)).toBe(false);
    const [leg] = await ledger.legs(legs[0]!.tripId);
    expect([leg!.heldTeu, leg!.confirmedTeu, availableTeu(leg!)]).toEqual([0, 20, 205]);
  });

  it('releases holds whose time ran out, and only those', async () => {
    const legs = tripLegs(network, 'SVC_FEEDER_AKTAU_ALAT@2026-12-02T1800')!;
    const t0 = new Date('2026-11-30T10:00:00Z');
    const soon = new Date(t0.getTime() + 30 * 60_000);
    await ledger.hold({ holdId: holdId(), legs, teu: 10, expiresAt: soon });
    await ledger.hold({ holdId: holdId(), legs, teu: 3, expiresAt: LATER });
    expect(await ledger.expire(new Date(soon.getTime() - 1))).toBe(0);
    expect(await ledger.expire(soon)).toBe(1);
    const [leg] = await ledger.legs(legs[0]!.tripId);
    expect(leg!.heldTeu).toBe(3);
  });

  it('counts 45-foot containers as 2.25 TEU without rounding', async () => {
    const legs = tripLegs(network, 'SVC_FEEDER_AKTAU_ALAT@2026-12-03T1800')!;
    for (let i = 0; i < 4; i++)
      await ledger.hold({ holdId: holdId(), legs, teu: 2.25, expiresAt: LATER });
    const [leg] = await ledger.legs(legs[0]!.tripId);
    expect(leg!.heldTeu).toBe(9);
  });
});
