import { describe, expect, it } from 'vitest';
import { createPlanner, DEFAULT_DRAWS } from '../../../src/app/plan-route.ts';
import { generateTimetable } from '../../../src/core/network/timetable.ts';
import {
  buildRoutingModel,
  convolveArrival,
  searchJourneys,
  simulateArrival,
  simulateArrivalMonteCarlo,
  type Journey,
} from '../../../src/core/routing/api.ts';
import { referenceNetwork } from '../../support/network-files.ts';
import { fixedClock } from '../../support/clock.ts';

const network = referenceNetwork();
const model = buildRoutingModel(
  network,
  generateTimetable(network, { from: '2026-01-01', days: 200 }),
);
const H = 3_600_000;
const SEEDS = 50;

const pairs = [
  ['CN_QINGDAO_PORT', 'AZ_BAKU'],
  ['CN_XIAN_ITL', 'NL_ROTTERDAM'],
  ['CN_XIAN_ITL', 'TR_ISTANBUL'],
  ['CN_QINGDAO_PORT', 'DE_DUISBURG'],
  ['KZ_ALTYNKOL_KHORGOS_GATEWAY', 'GE_POTI_PORT'],
  ['AZ_BAKU', 'CN_XIAN_ITL'],
  ['CN_XIAN_ITL', 'TM_TURKMENBASHI_PORT'],
  ['CN_LIANYUNGANG', 'DE_DUISBURG'],
  ['CN_XIAN_ITL', 'DE_DUISBURG'],
  ['CN_QINGDAO_PORT', 'NL_ROTTERDAM'],
  ['KZ_ALMATY', 'AZ_BAKU'],
  ['CN_XIAN_ITL', 'GE_BATUMI_PORT'],
  ['AZ_BAKU', 'TR_ISTANBUL'],
  ['CN_SCODA', 'KZ_KURYK_PORT'],
  ['KZ_AKTAU_PORT', 'RO_CONSTANTA_PORT'],
  ['CN_XIAN_ITL', 'BG_BURGAS_PORT'],
] as const;
const departAfter = Date.parse('2026-03-10T00:00Z');
const free = () => ({
  usdAtBoard: new Float64Array(64),
  usdAtAlight: new Float64Array(64),
  cumulativeCo2eKgPerTonne: new Float64Array(64),
  tonnes: 1,
});
/** The first 20 journeys, up to three per origin-destination, in this order. */
const journeys: Journey[] = pairs
  .flatMap(([origin, destination]) =>
    searchJourneys(model, {
      origin,
      destination,
      departAfter,
      horizonHours: 90 * 24,
      maxRides: 6,
      criteria: free,
    }).slice(0, 3),
  )
  .slice(0, 20);

/** Per journey: the hours within which 95% of the seeds' P90s lie of their median. */
function spreads(estimate: typeof simulateArrival): number[] {
  return journeys.map((j) => {
    const p90 = Array.from(
      { length: SEEDS },
      (_, s) => estimate(model, j, departAfter, DEFAULT_DRAWS, s + 1).p90 / H,
    );
    const median = [...p90].sort((a, b) => a - b)[SEEDS / 2]!;
    const dev = p90.map((x) => Math.abs(x - median)).sort((a, b) => a - b);
    return dev[Math.ceil(0.95 * SEEDS) - 1]!;
  });
}

describe('the P90 a plan promises does not move with the seed', () => {
  it('across 50 seeds, 20 itineraries: every P90 within ±6 h for 95% of seeds, where 1,000 independent draws miss on several', () => {
    expect(journeys).toHaveLength(20);
    const computed = spreads(convolveArrival);
    expect(computed.filter((h) => h <= 6)).toHaveLength(20);
    // The draws the planner used before: several itineraries' P90s move by more than 6 h.
    const independent = spreads(simulateArrivalMonteCarlo);
    expect(independent.filter((h) => h > 6).length).toBeGreaterThanOrEqual(3);
    const quasi = spreads(simulateArrival);
    expect(quasi.filter((h) => h > 6).length).toBeGreaterThanOrEqual(1);
  });

  it('and it is the P90 of the dwell models: within hours of 100,000 independent draws', () => {
    let within6 = 0;
    journeys.forEach((j, i) => {
      const computed = convolveArrival(model, j, departAfter);
      const drawn = simulateArrivalMonteCarlo(model, j, departAfter, 100_000, 3);
      expect(Math.abs(computed.p50 - drawn.p50) / H, `P50 of ${i}`).toBeLessThan(6);
      const p90 = Math.abs(computed.p90 - drawn.p90) / H;
      expect(p90, `P90 of ${i}`).toBeLessThan(10);
      if (p90 <= 6) within6++;
    });
    expect(within6).toBeGreaterThanOrEqual(18);
  });

  it('the planner promises the same P90 whatever the seed', () => {
    const planner = createPlanner(network, fixedClock());
    let compared = 0;
    for (const [from, to] of pairs.slice(0, 5)) {
      const first = planner.plan({ from, to, depart: '2026-12-01', containers: '1x40HC' });
      for (const seed of [2, 17, 4242]) {
        const other = planner.plan({ from, to, depart: '2026-12-01', containers: '1x40HC', seed });
        for (const it of other.itineraries) {
          const same = first.itineraries.find((x) => x.id === it.id);
          if (!same) continue;
          expect(it.arrivalP90, `${from} → ${to}`).toBe(same.arrivalP90);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(15);
  });
});
