/**
 * `npm run bench` (simulation): one year of the base scenario, of the base with its demand
 * raised by a fifth, two more feeders and more inspectors, and of the base with × 2, × 5 and × 10 its demand and capacity, simulated container by
 * container; time, events and journeys per second, CPU per event against the base's, and memory,
 * against a baseline in the same run: the event queue alone running as many empty events. Each
 * row runs in a process of its own, so that its peak resident memory is its own.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { EventQueue } from '../src/core/simulation/engine.ts';
import { simulate } from '../src/core/simulation/corridor.ts';
import { applyChanges, scenarioSchema, type Scenario } from '../src/core/simulation/scenario.ts';

const base = scenarioSchema.parse(JSON.parse(readFileSync('data/scenarios/base.json', 'utf8')));
const applied = applyChanges(base, 'grown', [
  { op: 'scale_demand', factor: 1.2 },
  { op: 'add_vessels', resource: 'CASPIAN_FEEDERS', count: 2 },
  { op: 'set_capacity', resource: 'AZ_CUSTOMS', value: 16 },
]);
if (!applied.ok) throw new Error(applied.errors.join('; '));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/**
 * The base with `k` times its demand and `k` times its capacity, so that it stays as loaded:
 * k times the terminal servers, inspectors and vessels, trains k times as often.
 */
function scaled(k: number): Scenario {
  const s = structuredClone(base);
  s.name = `base × ${k}`;
  for (const d of s.demand) d.teuPerWeek *= k;
  for (const r of Object.values(s.resources)) {
    if (r.type === 'train') r.headwayHours /= k;
    else if (r.type === 'terminal') r.servers *= k;
    else if (r.type === 'vessel') r.vessels *= k;
    else r.inspectors *= k;
  }
  return s;
}

/** CPU time (user + system) of this process, ms. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

interface Row {
  name: string;
  ms: number[];
  cpuMs: number[];
  events: number;
  journeys: number;
  teu: number;
  heapMb: number;
  rssMb: number;
}

/** A scenario's demand in TEU a year, as its weekly flows say. */
const teuAYear = (s: Scenario) =>
  Math.round(s.demand.reduce((t, d) => t + d.teuPerWeek, 0) * 52.14).toLocaleString('en');

const scenarios: [string, () => Scenario][] = [
  [`base (${teuAYear(base)} TEU a year demand)`, () => base],
  [
    `base × 1.2 demand (${teuAYear(applied.scenario)} TEU a year), 8 feeders, 16 inspectors`,
    () => applied.scenario,
  ],
  ['base × 2 demand, × 2 capacity', () => scaled(2)],
  ['base × 5 demand, × 5 capacity', () => scaled(5)],
  ['base × 10 demand, × 10 capacity', () => scaled(10)],
];

/** One row, in this process: a warm-up, then RUNS simulated years. */
function measure(name: string, scenario: Scenario): Row {
  simulate(scenario, { days: 30, seed: 99 });
  const ms: number[] = [];
  const cpu: number[] = [];
  let last = simulate(scenario, { days: 1, seed: 0 });
  const before = heapMb();
  let peak = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const c = cpuMs();
    last = simulate(scenario, { days: 365, seed: i + 1 });
    ms.push(performance.now() - t);
    cpu.push(cpuMs() - c);
    peak = Math.max(peak, process.memoryUsage().heapUsed / 2 ** 20);
  }
  return {
    name,
    ms: ms.sort((a, b) => a - b),
    cpuMs: cpu.sort((a, b) => a - b),
    events: last.events,
    journeys: last.journeys,
    teu: last.deliveredTeu,
    heapMb: peak - before,
    rssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/**
 * The baseline: as many empty events through the event queue, each scheduling the next as a
 * simulation's events do, 100 at a time.
 */
function baseline(events: number): Row {
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const q = new EventQueue();
    let left = events;
    const step = () => {
      if (--left > 0) q.at(q.now + 0.01 + (left % 7) * 0.001, 0, 0);
    };
    for (let k = 0; k < 100; k++) q.at(k, 0, 0);
    const t = performance.now();
    const c = cpuMs();
    q.run(Number.MAX_SAFE_INTEGER, step);
    // The first run warms up.
    if (i > 0) {
      ms.push(performance.now() - t);
      cpu.push(cpuMs() - c);
    }
  }
  return {
    name: `baseline: event queue alone, ${events.toLocaleString('en')} empty events`,
    ms: ms.sort((a, b) => a - b),
    cpuMs: cpu.sort((a, b) => a - b),
    events,
    journeys: 0,
    teu: 0,
    heapMb: 0,
    rssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const ROW = process.env.BENCH_SIMULATION_ROW;
if (ROW !== undefined) {
  // A child: one row, printed as JSON.
  const i = Number(ROW);
  const row =
    i < 0
      ? baseline(Number(process.env.BENCH_EVENTS))
      : measure(scenarios[i]![0], scenarios[i]![1]());
  console.log(JSON.stringify(row));
  process.exit(0);
}

const child = (row: number, events = 0): Row =>
  JSON.parse(
    execFileSync(process.execPath, [...process.execArgv, import.meta.filename], {
      env: { ...process.env, BENCH_SIMULATION_ROW: String(row), BENCH_EVENTS: String(events) },
      encoding: 'utf8',
    }),
  ) as Row;

const rows = scenarios.map((_, i) => child(i));
const events = rows[0]!.events;
const floor = child(-1, events);

const mid = Math.floor(RUNS / 2);
/** CPU per event of a row, µs (its median run). */
const usPerEvent = (r: Row) => (r.cpuMs[mid]! * 1000) / r.events;
const baseUs = usPerEvent(rows[0]!);
const perSecond = (r: Row) => Math.round((r.events * 1000) / r.ms[mid]!);
console.log(
  `\nSimulation: one year (365 days after a 30-day warm-up) of the base scenario, container by container, ${RUNS} runs each (seeds 1-${RUNS}), each row in its own process; Node ${process.version}`,
);
console.log(
  '| scenario | p50 s | max s | events | events/s | CPU µs an event | of base | journeys | TEU delivered | journeys/s | heap growth MB | peak RSS MB |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of [floor, ...rows]) {
  const p50 = r.ms[mid]!;
  const us = usPerEvent(r);
  const model = r !== floor;
  console.log(
    `| ${r.name} | ${(p50 / 1000).toFixed(2)} | ${(r.ms.at(-1)! / 1000).toFixed(2)} | ${r.events} | ${perSecond(r).toLocaleString('en')} | ${us.toFixed(3)} | ${model ? `${(us / baseUs).toFixed(2)}×` : '-'} | ${model ? r.journeys : '-'} | ${model ? r.teu : '-'} | ${model ? Math.round((r.journeys * 1000) / p50) : '-'} | ${model ? r.heapMb.toFixed(1) : '-'} | ${r.rssMb.toFixed(0)} |`,
  );
}
const worst = Math.max(...rows.slice(2).map((r) => usPerEvent(r) / baseUs));
console.log(
  `\ntargets: a year of the base at ≥ 3,500,000 events/s: ${perSecond(rows[0]!).toLocaleString('en')} (${perSecond(rows[0]!) >= 3.5e6 ? 'met' : 'not met'}); CPU per event of × 2 / × 5 / × 10 within 1.3× of × 1: at most ${worst.toFixed(2)}× (${worst <= 1.3 ? 'met' : 'not met'})`,
);
