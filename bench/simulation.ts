/**
 * `npm run bench` (simulation): one year of the base scenario, and of the base with its demand
 * raised to 105,600 TEU, two more feeders and more inspectors so that over 100,000 TEU get
 * through, simulated
 * container by container; time, events and journeys per second and
 * memory, against a baseline in the same run: the scheduler alone running as many empty events.
 */
import { readFileSync } from 'node:fs';
import { Scheduler } from '../src/core/simulation/engine.ts';
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
}

const rows: Row[] = [];
for (const [name, scenario] of [
  ['base (88,000 TEU a year demand)', base],
  ['base × 1.2 demand (105,600 TEU a year), 8 feeders, 16 inspectors', applied.scenario],
  ['base × 2 demand, × 2 capacity', scaled(2)],
  ['base × 5 demand, × 5 capacity', scaled(5)],
  ['base × 10 demand, × 10 capacity', scaled(10)],
] as const) {
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
  rows.push({
    name,
    ms: ms.sort((a, b) => a - b),
    cpuMs: cpu.sort((a, b) => a - b),
    events: last.events,
    journeys: last.journeys,
    teu: last.throughputTeu,
    heapMb: peak - before,
  });
}

// Baseline: as many empty events through the scheduler, each scheduling the next as a
// simulation's events do.
const events = rows[0]!.events;
const baseMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const s = new Scheduler();
  let left = events;
  const step = () => {
    if (--left > 0) s.after(0.01 + (left % 7) * 0.001, step);
  };
  for (let k = 0; k < 100; k++) s.at(k, step);
  const t = performance.now();
  s.run(Number.MAX_SAFE_INTEGER);
  baseMs.push(performance.now() - t);
}
baseMs.sort((a, b) => a - b);

const mid = Math.floor(RUNS / 2);
/** CPU per event of a row, µs (its median run). */
const usPerEvent = (r: Row) => (r.cpuMs[mid]! * 1000) / r.events;
const baseUs = usPerEvent(rows[0]!);
console.log(
  `\nSimulation: one year (365 days after a 30-day warm-up) of the base scenario, container by container, ${RUNS} runs each (seeds 1-${RUNS}); Node ${process.version}; peak RSS of the process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
console.log(
  '| scenario | p50 s | max s | events | events/s | CPU µs an event | of base | journeys | TEU delivered | journeys/s | heap growth MB |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
const baseP50 = baseMs[mid]!;
console.log(
  `| baseline: scheduler alone, ${events.toLocaleString('en')} empty events | ${(baseP50 / 1000).toFixed(2)} | ${(baseMs.at(-1)! / 1000).toFixed(2)} | ${events} | ${Math.round((events * 1000) / baseP50).toLocaleString('en')} | - | - | - | - | - | - |`,
);
for (const r of rows) {
  const p50 = r.ms[mid]!;
  const us = usPerEvent(r);
  console.log(
    `| ${r.name} | ${(p50 / 1000).toFixed(2)} | ${(r.ms.at(-1)! / 1000).toFixed(2)} | ${r.events} | ${Math.round((r.events * 1000) / p50).toLocaleString('en')} | ${us.toFixed(3)} | ${(us / baseUs).toFixed(2)}× | ${r.journeys} | ${r.teu} | ${Math.round((r.journeys * 1000) / p50)} | ${r.heapMb.toFixed(1)} |`,
  );
}
