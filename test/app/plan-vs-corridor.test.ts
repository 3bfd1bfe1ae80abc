import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPlanner } from '../../src/app/plan-route.ts';
import type { Itinerary } from '../../src/api/plan.ts';
import { simulate } from '../../src/core/simulation/corridor.ts';
import { estimate } from '../../src/core/simulation/runs.ts';
import { scenarioSchema, type Scenario } from '../../src/core/simulation/scenario.ts';
import { fixedClock } from '../support/clock.ts';
import { referenceNetwork } from '../support/network-files.ts';

/**
 * The planner and the corridor-wide queue simulation share one sailing model for the Caspian
 * feeders: a feeder sails when full or at the latest 48 h after its first container, not while
 * the port is closed. The planner waits for it by the month's wait (data/dwell.json); the
 * simulation queues every container of the 2025 base for the feeders. Here an origin–destination
 * is planned, and the same origin–destination set out on the same day runs through the base's
 * queues: its rides and dwells as the plan's (their P50/P90), its Caspian crossing on the base's
 * feeders, taking a tenth of the base's demand so that the feeders carry what they carried. The
 * plan's P50 must lie within the 95 % interval of the simulated P50 over 20 runs.
 */
const planner = createPlanner(referenceNetwork(), fixedClock());
const base = scenarioSchema.parse(JSON.parse(readFileSync('data/scenarios/base.json', 'utf8')));
const RUNS = 20;

/** The base with the itinerary as a demand set out on its day, its Caspian crossing on the feeders. */
function withItinerary(it: Itinerary): Scenario {
  const s = structuredClone<Scenario>(base);
  const route: string[] = [];
  let feeder = false;
  it.legs.forEach((leg, i) => {
    const id = `LEG_${i}`;
    if (leg.kind === 'dwell') {
      if (leg.operation === 'ferry_waiting') {
        // The wait for departure and the crossing after it: the base's feeders.
        route.push('CASPIAN_FEEDERS');
        feeder = true;
        return;
      }
      s.resources[id] = {
        type: 'terminal',
        name: `${leg.operation} at ${leg.node}`,
        servers: 10_000,
        backgroundTrainsPerDay: 0,
        process: { p50Hours: leg.p50Hours, p90Hours: leg.p90Hours },
        source: 'the plan',
      };
    } else {
      if (feeder) {
        feeder = false;
        return;
      }
      const hours = (Date.parse(leg.arrival) - Date.parse(leg.departure)) / 3_600_000;
      s.resources[id] = {
        type: 'terminal',
        name: `${leg.from} → ${leg.to}`,
        servers: 10_000,
        backgroundTrainsPerDay: 0,
        process: { p50Hours: hours, p90Hours: hours },
        source: 'the plan',
      };
    }
    route.push(id);
  });
  const d = s.demand[0]!;
  // A tenth of the base's containers take the itinerary; the base keeps the rest.
  const share = 0.1;
  s.demand = [
    { ...d, teuPerWeek: d.teuPerWeek * (1 - share) },
    {
      ...d,
      from: it.legs[0]!.kind === 'ride' ? it.legs[0]!.from : 'origin',
      to: 'destination',
      route,
      teuPerWeek: d.teuPerWeek * share,
    },
  ];
  return scenarioSchema.parse(s);
}

describe('the planner and the corridor simulation agree through the Caspian', () => {
  for (const [from, to, depart] of [
    ['Xian', 'Baku', '2027-06-01'],
    ['Altynkol', 'Baku', '2027-03-10'],
    ['Xian', 'Poti', '2027-09-15'],
  ] as const)
    it(`on the P50 of ${from} → ${to} departing ${depart}, within the simulation's 95 % interval`, () => {
      const r = planner.plan({ from, to, depart, containers: '1x40HC' });
      expect(r.errors).toEqual([]);
      const it = r.itineraries[0]!;
      expect(it.legs.some((l) => l.kind === 'dwell' && l.operation === 'ferry_waiting')).toBe(true);
      const scenario = withItinerary(it);
      const departure = Date.parse(it.departure);
      const dayOfYear = Math.floor(
        (departure - Date.UTC(new Date(departure).getUTCFullYear(), 0, 1)) / 86_400_000,
      );
      const p50s = Array.from(
        { length: RUNS },
        (_, i) =>
          simulate(scenario, { days: 365, seed: 1 + i }).ods[1]!.transitDaysP50BySetOutDay[
            dayOfYear
          ]!,
      );
      const sim = estimate(p50s);
      const plan = (Date.parse(it.arrivalP50) - departure) / 86_400_000;
      expect(
        Math.abs(plan - sim.mean),
        `plan ${plan} against ${sim.mean} ± ${sim.ci95}`,
      ).toBeLessThanOrEqual(sim.ci95);
    }, 180_000);
});
