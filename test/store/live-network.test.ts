import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveNetwork } from '../../src/app/live-network.ts';
import type { Database } from '../../src/store/database.ts';
import { PgServiceVersionStore } from '../../src/store/service-version.store.ts';
import { manualClock } from '../support/clock.ts';
import { testDatabase } from '../support/database.ts';
import { dataFiles, referenceNetwork } from '../support/network-files.ts';

/**
 * A server runs for months without a restart: the network it holds plans from each new day for
 * the twelve months after it, however far the calendar has moved since it started.
 */
let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe('the network in force over the days', () => {
  it('plans from each new day as the clock moves on, a year and more after the start', async () => {
    const clock = manualClock();
    const live = await LiveNetwork.open(
      dataFiles(),
      referenceNetwork(),
      new PgServiceVersionStore(database.db),
      clock,
      { draws: 50 },
    );
    expect(live.planner.period.from).toBe('2026-11-30');
    const first = live.planner;
    // Nothing changed: the same planner.
    await live.refresh();
    expect(live.planner).toBe(first);

    clock.advance(400 * 86_400_000);
    await live.refresh();
    expect(live.planner.period).toEqual({ from: '2028-01-04', to: '2029-01-03' });
    const r = live.planner.plan({ from: 'Qingdao', to: 'Baku', containers: '1x40HC' });
    expect(r.errors).toEqual([]);
    expect(r.itineraries.length).toBeGreaterThan(1);
    for (const it of r.itineraries)
      expect(Date.parse(it.departure)).toBeGreaterThanOrEqual(clock.now().getTime());
    // The day that was today when the server started has long passed.
    expect(
      live.planner.plan({ from: 'Qingdao', to: 'Baku', depart: '2026-12-01', containers: '1x40HC' })
        .errors[0],
    ).toMatchObject({ code: 'invalid_date', field: 'depart' });
  });
});
