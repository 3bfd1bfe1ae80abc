/**
 * `npm run bench`: timetable generation against baselines measured in the same run, plus memory.
 * Prints a table; never part of the test suite.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { loadNetwork } from '../src/core/network/load-network.ts';
import { generateTimetable, type Trip } from '../src/core/network/timetable.ts';
import { DEFAULT_NETWORK_DIR } from '../src/store/network-files.ts';
import { NETWORK_FILES } from '../src/core/network/schema.ts';

const files = Object.fromEntries(
  Object.keys(NETWORK_FILES).map((f) => [f, readFileSync(join(DEFAULT_NETWORK_DIR, f), 'utf8')]),
);
const loaded = loadNetwork(files);
if (!loaded.ok) throw new Error('data/ does not validate: run `corridor network validate`');
const network = loaded.network;
const YEAR = { from: '2026-12-01', days: 365 };
const yearTrips = generateTimetable(network, YEAR);
const stopCount = yearTrips.reduce((n, t) => n + t.stopTimes.length, 0);

/** The floor: building the same number of trip and stop-time objects from precomputed numbers. */
function copyTrips(trips: readonly Trip[]): Trip[] {
  return trips.map((t) => ({
    ...t,
    stopTimes: t.stopTimes.map((s) => ({
      nodeId: s.nodeId,
      arrival: s.arrival,
      departure: s.departure,
    })),
  }));
}

const bench = new Bench({ time: 1500, warmup: true });
bench
  .add('baseline: copy a year of trips (object floor)', () => copyTrips(yearTrips))
  .add('baseline: JSON.parse the 5 data files', () => {
    for (const text of Object.values(files)) JSON.parse(text);
  })
  .add('load + validate network', () => loadNetwork(files))
  .add('timetable, 7 days', () => generateTimetable(network, { from: YEAR.from, days: 7 }))
  .add('timetable, 365 days', () => generateTimetable(network, YEAR))
  .add('timetable, 365 days as JSON text', () => JSON.stringify(generateTimetable(network, YEAR)));

await bench.run();

const rows = bench.tasks.map((task) => {
  const r = task.result;
  if (r.state !== 'completed') return [task.name, r.state, '', '', ''];
  return [
    task.name,
    r.latency.mean.toFixed(2),
    r.latency.p50.toFixed(2),
    r.latency.p99.toFixed(2),
    String(r.latency.samplesCount),
  ];
});

function heapMb(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1_048_576;
}
const before = heapMb();
const held = generateTimetable(network, YEAR);
const retained = heapMb() - before;

const header = ['task', 'mean ms', 'p50 ms', 'p99 ms', 'samples'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) =>
  '| ' +
  r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') +
  ' |';
console.log(
  `Timetable: ${held.length} trips, ${stopCount} stop times for ${YEAR.days} days from ${YEAR.from}; Node ${process.version}`,
);
console.log(line(header));
console.log(
  '|' +
    widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') +
    '|',
);
for (const r of rows) console.log(line(r));
console.log();
console.log(
  `memory: a year of trips retains ${retained.toFixed(1)} MB of heap ` +
    `(${((retained * 1_048_576) / held.length).toFixed(0)} bytes per trip); ` +
    `process RSS ${(process.memoryUsage().rss / 1_048_576).toFixed(0)} MB` +
    (globalThis.gc ? '' : ' (run with --expose-gc for exact heap figures)'),
);
