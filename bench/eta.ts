/**
 * ETA quality: replays simulated journeys and, at 25/50/75 % of each journey, re-estimates the
 * arrival from the events seen so far, as the platform does after every event. Reports the mean
 * absolute error of the P50 and how often the arrival came before the P90 (it should be near
 * 90 %), beside the estimate made before departure (the plan) as the baseline of the same run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPlanner } from '../src/app/plan-route.ts';
import { ridesOf } from '../src/app/plans.ts';
import { ETA_DRAWS, itineraryRide, nodesAt } from '../src/app/tracking.ts';
import { estimateArrival } from '../src/core/eta/eta.ts';
import { simulateJourney } from '../src/core/eta/journey-simulation.ts';
import { loadNetwork } from '../src/core/network/load-network.ts';
import { NETWORK_FILES } from '../src/core/network/schema.ts';
import { seededRng } from '../src/core/shared/rng.ts';
import type { TrackingEvent } from '../src/core/tracking/events.ts';
import { foldProgress, type ItineraryRide } from '../src/core/tracking/progress.ts';
import { addDays } from '../src/core/shared/time-zone.ts';
import { DEFAULT_NETWORK_DIR } from '../src/store/network-files.ts';
import { systemClock } from '../src/store/security.ts';

const JOURNEYS = Number(process.env.BENCH_JOURNEYS ?? 300);
const files = Object.fromEntries(
  Object.keys(NETWORK_FILES).map((f) => [f, readFileSync(join(DEFAULT_NETWORK_DIR, f), 'utf8')]),
);
const loaded = loadNetwork(files);
if (!loaded.ok) throw new Error('data/ does not validate');
const network = loaded.network;
const planner = createPlanner(network, systemClock);
const today = systemClock.now().toISOString().slice(0, 10);
const locate = nodesAt(network);

// Itineraries of the corridor's main origin-destination pairs, over four weeks of departures.
const PAIRS = [
  ['Xian', 'Baku'],
  ['Xian', 'Poti'],
  ['Qingdao', 'Baku'],
  ['Xian', 'Istanbul'],
  ['Lianyungang', 'Tbilisi'],
  ['Xian', 'Duisburg'],
];
const itineraries: ItineraryRide[][] = [];
for (const [from, to] of PAIRS)
  for (const depart of [1, 8, 15, 22].map((d) => addDays(today, d))) {
    const plan = planner.plan({ from, to, depart, containers: '1x40HC' } as never);
    for (const it of plan.itineraries.slice(0, 2)) {
      const rides = ridesOf(it.legs);
      const laid = rides.map((r, i) => itineraryRide(network, i, r));
      if (laid.every((r) => typeof r !== 'string')) itineraries.push(laid);
    }
  }

const FRACTIONS = [0, 0.25, 0.5, 0.75];
const errors = FRACTIONS.map(() => [] as number[]);
const covered = FRACTIONS.map(() => 0);
const rng = seededRng(11);
let journeys = 0;
const started = performance.now();
for (let j = 0; j < JOURNEYS; j++) {
  const rides = itineraries[j % itineraries.length]!;
  const start = rides[0]!.plannedDepartures[0]! - 6 * 3_600_000;
  const steps = simulateJourney(planner.model, rides, start, rng);
  if (!steps) continue;
  const destination = rides.at(-1)!.stops.at(-1)!;
  const arrival = steps.find((s) => s.code === 'ARRI' && s.nodeId === destination)?.at;
  if (arrival === undefined) continue;
  journeys++;
  const events: TrackingEvent[] = steps.flatMap((s, i) => {
    const node = network.nodes.get(s.nodeId)!;
    const code = node.unLocode ?? node.altUnLocodes?.[0];
    return code
      ? [
          {
            eventID: `e${i}`,
            eventType: s.eventType,
            eventClassifierCode: 'ACT' as const,
            eventTypeCode: s.code,
            eventDateTime: s.at,
            eventCreatedDateTime: s.at,
            unLocationCode: code,
            facilityTypeCode: null,
            equipmentReference: null,
            modeOfTransport: null,
          },
        ]
      : [];
  });
  FRACTIONS.forEach((f, k) => {
    const now = start + f * (arrival - start);
    const seen = events.filter((e) => e.eventDateTime <= now);
    const progress = foldProgress(rides, seen, locate);
    const eta = estimateArrival(planner.model, rides, progress, now, ETA_DRAWS, j * 7 + k);
    if (!eta) return;
    errors[k]!.push(Math.abs(eta.p50 - arrival) / 3_600_000);
    if (arrival <= eta.p90) covered[k]!++;
  });
}
const seconds = (performance.now() - started) / 1000;

console.log(
  `\nETA quality: ${journeys} simulated journeys over ${itineraries.length} itineraries (${PAIRS.map((p) => p.join('→')).join(', ')}), ${ETA_DRAWS} draws per estimate; Node ${process.version}`,
);
console.log(
  '| estimate made at | journeys | MAE of P50, hours | MAE of P50, days | arrival ≤ P90 |',
);
console.log('|---|---:|---:|---:|---:|');
FRACTIONS.forEach((f, k) => {
  const e = errors[k]!;
  const mae = e.reduce((a, b) => a + b, 0) / e.length;
  console.log(
    `| ${f === 0 ? 'baseline: before departure (the plan)' : `${f * 100} % of the journey`} | ${e.length} | ${mae.toFixed(1)} | ${(mae / 24).toFixed(2)} | ${((covered[k]! / e.length) * 100).toFixed(1)} % |`,
  );
});
console.log(
  `\n${(journeys * FRACTIONS.length) / seconds > 0 ? ((journeys * FRACTIONS.length) / seconds).toFixed(0) : 0} estimates/s (journey simulation included); heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`,
);
