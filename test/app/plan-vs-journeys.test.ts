import { describe, expect, it } from 'vitest';
import { createPlanner } from '../../src/app/plan-route.ts';
import { simulateJourney } from '../../src/core/eta/journey-simulation.ts';
import { seededRng } from '../../src/core/shared/rng.ts';
import { fixedClock } from '../support/clock.ts';
import { referenceNetwork } from '../support/network-files.ts';
import { ridesOf } from '../support/itinerary-rides.ts';

/**
 * The P50 a plan promises against journeys simulated event by event along the same itinerary
 * (the journey simulation that `corridor track simulate` and the demo's shipments use): the
 * planner computes its spread on a grid, the journeys are drawn one by one, and the planner's P50
 * must lie inside the 95 % confidence interval of the journeys' median.
 */
const network = referenceNetwork();
const planner = createPlanner(network, fixedClock());
const JOURNEYS = 600;

describe('the planner and the simulated journeys agree', () => {
  for (const [from, to, depart] of [
    ['Xian', 'Baku', '2026-12-01'],
    ['Qingdao', 'Duisburg', '2027-03-01'],
    ['Xian', 'Rotterdam', '2027-06-01'],
  ] as const)
    it(`on the P50 of ${from} → ${to} departing ${depart}, within the journeys' 95 % interval`, () => {
      const r = planner.plan({ from, to, depart, containers: '1x40HC' });
      expect(r.errors).toEqual([]);
      const it = r.itineraries[0]!;
      const rides = ridesOf(it);
      const ready = Date.parse(r.request.depart);
      const arrivals = Array.from({ length: JOURNEYS }, (_, seed) => {
        const steps = simulateJourney(planner.model, rides, ready, seededRng(seed + 1));
        expect(steps).toBeDefined();
        return steps!.findLast((s) => s.code === 'DISC')!.at;
      }).sort((a, b) => a - b);
      // The median's 95 % interval: order statistics n/2 ± 1.96 √n / 2.
      const half = Math.ceil((1.96 * Math.sqrt(JOURNEYS)) / 2);
      const lo = arrivals[JOURNEYS / 2 - half]!;
      const hi = arrivals[JOURNEYS / 2 + half]!;
      const p50 = Date.parse(it.arrivalP50);
      // The journeys end with the discharge an hour after arrival; the grid rounds to 2 h.
      const slack = 3 * 3_600_000;
      expect(
        p50,
        `${new Date(lo).toISOString()} … ${new Date(hi).toISOString()}`,
      ).toBeGreaterThanOrEqual(lo - slack);
      expect(p50).toBeLessThanOrEqual(hi + slack);
    });
});
