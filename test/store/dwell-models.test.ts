import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveNetwork } from '../../src/app/live-network.ts';
import { fitDwellModels, type DwellSample } from '../../src/core/learning/dwell-fit.ts';
import type { Database } from '../../src/store/database.ts';
import { PgDwellModelStore } from '../../src/store/dwell-model.store.ts';
import { PgServiceVersionStore } from '../../src/store/service-version.store.ts';
import { manualClock } from '../support/clock.ts';
import { testDatabase } from '../support/database.ts';
import { dataFiles, referenceNetwork } from '../support/network-files.ts';

/**
 * The dwell models in force follow the versions saved, the month and the freezes, in every
 * server: each holds a LiveNetwork that looks at the store's stamp.
 */
let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

const KEY = 'CN_KHORGOS:border_crossing';
const reference = {
  nodeId: 'CN_KHORGOS',
  operation: 'border_crossing',
  p50Hours: 12,
  p90Hours: 24,
};
/** Forty stands of 6 h in December 2026 and forty of 3 h in January 2027. */
const samples: DwellSample[] = [
  ...Array.from({ length: 40 }, (_, i) => ({
    nodeId: 'CN_KHORGOS',
    operation: 'border_crossing',
    at: Date.parse('2026-12-10T00:00:00Z') + i * 3_600_000,
    hours: 6 * (1 + ((i % 5) - 2) / 10),
    contributors: ['org_a'],
  })),
  ...Array.from({ length: 40 }, (_, i) => ({
    nodeId: 'CN_KHORGOS',
    operation: 'border_crossing',
    at: Date.parse('2027-01-10T00:00:00Z') + i * 3_600_000,
    hours: 3 * (1 + ((i % 5) - 2) / 10),
    contributors: ['org_a'],
  })),
];

describe('dwell-model versions and the network in force', () => {
  it('numbers versions in order, saves one fit once however many servers save it, and the network follows version, month and freeze', async () => {
    const clock = manualClock(new Date('2026-12-20T00:00:00Z'));
    const store = new PgDwellModelStore(database.db);
    const live = await LiveNetwork.open(
      dataFiles(),
      referenceNetwork(),
      new PgServiceVersionStore(database.db),
      clock,
      { draws: 50 },
      undefined,
      store,
    );
    expect(live.network.dwellModels.get(KEY)!.p50Hours).toBe(12);
    expect(
      live.planner.plan({
        from: 'Xian',
        to: 'Baku',
        depart: '2026-12-22',
        containers: '1x40HC',
      } as never).dwellModelVersion,
    ).toBeNull();

    const models = fitDwellModels([reference], samples, { now: clock.now().getTime() });
    const version = {
      fittedAt: clock.now(),
      samples: samples.length,
      shipments: 80,
      period: { from: new Date(samples[0]!.at), to: new Date(samples.at(-1)!.at) },
      models,
      linkSamples: 0,
      links: [],
    };
    // Two servers fit the same events at once: one version.
    const saved = await Promise.all([store.save(version, () => []), store.save(version, () => [])]);
    expect(saved.filter((v) => v !== undefined).map((v) => v!.version)).toEqual([1]);
    expect(await store.save({ ...version, samples: 79 }, () => [])).toMatchObject({ version: 2 });

    // December: the December model (about 6 h after the year's prior).
    expect(await live.refresh()).toBe(true);
    const december = live.network.dwellModels.get(KEY)!.p50Hours;
    expect(december).toBeGreaterThan(5);
    expect(december).toBeLessThan(7);
    expect(live.network.dwellModels.get(KEY)!.source).toMatch(
      /^dwell model version 2: 40 observed stands/,
    );
    expect(
      live.planner.plan({
        from: 'Xian',
        to: 'Baku',
        depart: '2026-12-22',
        containers: '1x40HC',
      } as never).dwellModelVersion,
    ).toBe(2);
    expect(await live.refresh()).toBe(false);

    // January: the January model.
    clock.advance(15 * 86_400_000);
    await live.refresh();
    const january = live.network.dwellModels.get(KEY)!.p50Hours;
    expect(january).toBeLessThan(4);

    // Frozen: the frozen values, whatever the month; unfrozen: the month's model again.
    await store.freeze({
      nodeId: 'CN_KHORGOS',
      operation: 'border_crossing',
      p50Hours: 10,
      p90Hours: 20,
      version: 2,
      frozenBy: 'usr_council',
      frozenAt: clock.now(),
    });
    expect(await live.refresh()).toBe(true);
    expect(live.network.dwellModels.get(KEY)).toMatchObject({ p50Hours: 10, p90Hours: 20 });
    expect(await store.unfreeze('CN_KHORGOS', 'border_crossing')).toBe(true);
    expect(await store.unfreeze('CN_KHORGOS', 'border_crossing')).toBe(false);
    await live.refresh();
    expect(live.network.dwellModels.get(KEY)!.p50Hours).toBe(january);
  });
});
