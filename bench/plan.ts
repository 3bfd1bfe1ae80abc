/**
 * `npm run bench` (second part): route planning. 1,000 random origin-destination-date queries on
 * the full timetable of the reference corridor with the arrival spread computed from the dwell
 * models, against the previous planner (1,000 quasi-random draws per itinerary) and independent
 * draws in the same run, then the same on a synthetic network ten times larger (ten linked copies
 * of the corridor). Prints queries/s, p50/p99 latency, memory and how far the P90 of the first
 * itineraries of 20 answered queries moves across 50 seeds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPlanner, PLANNING_DAYS, type Planner } from '../src/app/plan-route.ts';
import { addDays } from '../src/core/shared/time-zone.ts';
import { systemClock } from '../src/store/security.ts';
import { loadNetwork } from '../src/core/network/load-network.ts';
import type { Network } from '../src/core/network/network.ts';
import { NETWORK_FILES } from '../src/core/network/schema.ts';
import { seededRng } from '../src/core/shared/rng.ts';
import { DEFAULT_NETWORK_DIR } from '../src/store/network-files.ts';

const QUERIES = 1000;
const DRAWS = 1000;

type Json = Record<string, Record<string, unknown>[]>;
const files = Object.fromEntries(
  Object.entries(NETWORK_FILES).map(([f, { key }]) => [
    f,
    (JSON.parse(readFileSync(join(DEFAULT_NETWORK_DIR, f), 'utf8')) as Json)[key]!,
  ]),
) as Record<keyof typeof NETWORK_FILES, Record<string, unknown>[]>;

function load(parts: typeof files): Network {
  const result = loadNetwork(
    Object.fromEntries(
      Object.entries(NETWORK_FILES).map(([f, { key }]) => [
        f,
        JSON.stringify({ [key]: parts[f as keyof typeof NETWORK_FILES] }),
      ]),
    ),
  );
  if (!result.ok)
    throw new Error(result.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`).join('\n'));
  return result.network;
}

/**
 * Ten copies of the corridor, ids suffixed _X0.._X9, chained by a daily rail shuttle from each
 * copy's Baku to the next copy's Xi'an, so that journeys can cross copies.
 */
function tenfold(): Network {
  const copies = 10;
  const out = { ...files } as typeof files;
  const rename = (id: string, c: number) => `${id}_X${c}`;
  const renameStops = (stops: Record<string, unknown>[], c: number) =>
    stops.map((s) => ({
      ...s,
      node: rename(s.node as string, c),
      ...(s.via ? { via: (s.via as string[]).map((v) => rename(v, c)) } : {}),
    }));
  type Tariff = { sections?: { from: string; to: string }[] };
  const renameTariff = (t: Tariff, c: number) =>
    t.sections
      ? {
          ...t,
          sections: t.sections.map((x) => ({ ...x, from: rename(x.from, c), to: rename(x.to, c) })),
        }
      : t;
  out['nodes.json'] = [];
  out['links.json'] = [];
  out['services.json'] = [];
  out['dwell.json'] = [];
  out['border-capacity.json'] = [];
  for (let c = 0; c < copies; c++) {
    out['nodes.json'].push(
      ...files['nodes.json'].map((n) => ({ ...n, id: rename(n.id as string, c) })),
    );
    out['links.json'].push(
      ...files['links.json'].map((l) => ({
        ...l,
        id: `${l.id as string}--X${c}`,
        from: rename(l.from as string, c),
        to: rename(l.to as string, c),
        ...(l.gaugeBreak
          ? {
              gaugeBreak: {
                ...l.gaugeBreak,
                at: rename((l.gaugeBreak as { at: string }).at, c),
              },
            }
          : {}),
      })),
    );
    out['services.json'].push(
      ...files['services.json'].map((s) => ({
        ...s,
        id: rename(s.id as string, c),
        stops: renameStops(s.stops as Record<string, unknown>[], c),
        tariff: renameTariff(s.tariff as Tariff, c),
      })),
    );
    out['border-capacity.json'].push(
      ...files['border-capacity.json'].map((b) => ({
        ...b,
        id: `${b.id as string}_X${c}`,
        node: rename(b.node as string, c),
      })),
    );
    out['dwell.json'].push(
      ...files['dwell.json'].map((d) => ({
        ...d,
        id: `${d.id as string}_X${c}`,
        node: rename(d.node as string, c),
      })),
    );
    if (c + 1 < copies) {
      const from = rename('AZ_BAKU', c);
      const to = rename('CN_XIAN_ITL', c + 1);
      out['links.json'].push({
        id: `BRIDGE_${c}`,
        from,
        to,
        mode: 'rail',
        distanceKm: 500,
        typicalHours: 10,
        gaugeMm: 1520,
        source: 'estimate: synthetic bench link',
      });
      out['services.json'].push({
        id: `SVC_BRIDGE_${c}`,
        name: `bridge ${c}`,
        operator: 'bench',
        mode: 'rail',
        stops: [{ node: from }, { node: to, runHours: 10 }],
        pattern: { everyHours: 24, anchor: '2026-01-01T08:00' },
        sailsWhenFull: false,
        capacityTeu: 100,
        refusesCargo: [],
        // The through line only: the sections name stops the bridge does not have.
        tariff: {
          ...(files['services.json'][1] as { tariff: Record<string, unknown> }).tariff,
          sections: undefined,
        },
        validFrom: '2026-01-01',
        source: 'estimate: synthetic bench service',
      });
    }
  }
  return load(out);
}

interface Row {
  name: string;
  nodes: number;
  services: number;
  trips: number;
  buildMs: number;
  heapMb: number;
  qps: number;
  p50: number;
  p99: number;
  p50Answered: number;
  p99Answered: number;
  found: number;
  itineraries: number;
  /** Over 20 answered queries' first itineraries: hours within which 95 % of 50 seeds' P90s lie of their median. */
  p90Spread?: { median: number; worst: number; within6h: number };
}

function heapMb(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1_048_576;
}

function run(
  name: string,
  network: Network,
  draws = DRAWS,
  estimator: 'convolution' | 'quasi-random' | 'monte-carlo' = 'convolution',
  spreadAcrossSeeds = false,
): Row {
  const before = heapMb();
  let t = performance.now();
  const planner: Planner = createPlanner(network, systemClock, { draws, estimator });
  const buildMs = performance.now() - t;
  const heap = heapMb() - before;
  const served = [
    ...new Set([...network.services.values()].flatMap((s) => s.stops.map((st) => st.nodeId))),
  ];
  const rng = seededRng(7);
  const pick = () => served[Math.floor(rng.next() * served.length)]!;
  const queries = Array.from({ length: QUERIES }, () => {
    // Any day of the twelve months the planner answers for, from tomorrow.
    const day = 1 + Math.floor(rng.next() * (PLANNING_DAYS - 1));
    return {
      from: pick(),
      to: pick(),
      depart: addDays(planner.period.from, day),
      containers: '2x40HC',
    };
  });
  for (const q of queries) planner.plan(q); // warm-up: every query once
  const times: number[] = [];
  const answered: number[] = [];
  let found = 0;
  let itineraries = 0;
  const start = performance.now();
  for (const q of queries) {
    t = performance.now();
    const r = planner.plan(q);
    const ms = performance.now() - t;
    times.push(ms);
    if (r.itineraries.length) {
      found++;
      answered.push(ms);
    }
    itineraries += r.itineraries.length;
  }
  const total = performance.now() - start;
  const p90Spread = spreadAcrossSeeds ? p90SpreadAcrossSeeds(planner, queries) : undefined;
  times.sort((a, b) => a - b);
  answered.sort((a, b) => a - b);
  return {
    name,
    nodes: network.nodes.size,
    services: network.services.size,
    trips: planner.model.routes.reduce((s, r) => s + r.trips.length, 0),
    buildMs,
    heapMb: heap,
    qps: (QUERIES / total) * 1000,
    p50: times[Math.floor(QUERIES * 0.5)]!,
    p99: times[Math.floor(QUERIES * 0.99)]!,
    p50Answered: answered[Math.floor(answered.length * 0.5)] ?? NaN,
    p99Answered: answered[Math.floor(answered.length * 0.99)] ?? NaN,
    found,
    itineraries,
    ...(p90Spread ? { p90Spread } : {}),
  };
}

const SEEDS = 50;
const SPREAD_ITINERARIES = 20;

/**
 * The P90 a plan promises, across seeds: the first itinerary of each of the first 20 answered
 * queries, planned again with seeds 1..50; per itinerary the hours within which 95 % of the seeds'
 * P90s lie of their median.
 */
function p90SpreadAcrossSeeds(
  planner: Planner,
  queries: { from: string; to: string; depart: string; containers: string }[],
): { median: number; worst: number; within6h: number } {
  const spreads: number[] = [];
  for (const q of queries) {
    if (spreads.length === SPREAD_ITINERARIES) break;
    const first = planner.plan({ ...q, seed: 1 }).itineraries[0];
    if (!first) continue;
    const p90: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const it = planner.plan({ ...q, seed }).itineraries.find((i) => i.id === first.id);
      if (it) p90.push(Date.parse(it.arrivalP90) / 3_600_000);
    }
    if (p90.length < SEEDS / 2) continue;
    const median = [...p90].sort((a, b) => a - b)[p90.length >> 1]!;
    const dev = p90.map((x) => Math.abs(x - median)).sort((a, b) => a - b);
    spreads.push(dev[Math.ceil(0.95 * dev.length) - 1]!);
  }
  spreads.sort((a, b) => a - b);
  return {
    median: spreads[spreads.length >> 1] ?? NaN,
    worst: spreads.at(-1) ?? NaN,
    within6h: spreads.filter((h) => h <= 6).length,
  };
}

const reference = load(files);
const rows = [
  run('baseline: reference, search only (1 draw)', reference, 1),
  run(
    'baseline: reference, independent pseudo-random draws',
    reference,
    DRAWS,
    'monte-carlo',
    true,
  ),
  run(
    'baseline: reference, previous planner (quasi-random draws)',
    reference,
    DRAWS,
    'quasi-random',
    true,
  ),
  run('reference corridor (computed spread)', reference, DRAWS, 'convolution', true),
  run('synthetic 10x', tenfold()),
];
const header = [
  'network',
  'nodes',
  'services',
  'trips',
  'build ms',
  'heap MB',
  'queries/s',
  'p50 ms',
  'p99 ms',
  'answered',
  'p50 ms answered',
  'p99 ms answered',
  'itineraries',
  'P90 ±h across seeds (median / worst)',
  'within ±6 h',
];
const cells = rows.map((r) => [
  r.name,
  String(r.nodes),
  String(r.services),
  String(r.trips),
  r.buildMs.toFixed(0),
  r.heapMb.toFixed(1),
  r.qps.toFixed(0),
  r.p50.toFixed(2),
  r.p99.toFixed(2),
  `${r.found}/${QUERIES}`,
  r.p50Answered.toFixed(2),
  r.p99Answered.toFixed(2),
  String(r.itineraries),
  r.p90Spread ? `${r.p90Spread.median.toFixed(1)} / ${r.p90Spread.worst.toFixed(1)}` : '–',
  r.p90Spread ? `${r.p90Spread.within6h}/${SPREAD_ITINERARIES}` : '–',
]);
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const fmt = (r: string[]) =>
  '| ' +
  r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') +
  ' |';
console.log(
  `\nRoute planning: ${QUERIES} random origin-destination-date queries, 2x40HC, arrival spread computed or from ${DRAWS} draws per itinerary (baselines), timetable of the whole validity period`,
);
console.log(fmt(header));
console.log(
  '|' +
    widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') +
    '|',
);
for (const c of cells) console.log(fmt(c));
console.log(
  `\nheap MB: heap retained by the planner (timetable + routing model) after a full GC; "answered": queries with at least one itinerary (the others end in an error value such as no_connection). P90 ±h across seeds: the first itineraries of ${SPREAD_ITINERARIES} answered queries planned with seeds 1..${SEEDS}, the hours within which 95 % of the seeds' P90s lie of their median (median and worst of the itineraries); within ±6 h: itineraries whose 95 % lie within 6 h.`,
);
console.log(`process RSS ${(process.memoryUsage().rss / 1_048_576).toFixed(0)} MB`);
