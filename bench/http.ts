/**
 * `npm run bench` (third part): the HTTP API under load with autocannon (50 connections), each
 * server in its own process, beside a raw node:http hello-world measured in the same run.
 * - GET /v1/network must reach >= 40% of the hello-world ceiling;
 * - POST /v1/plans with varied queries must reach >= 70% of the planner's own in-process
 *   throughput on the same queries, with p99 <= 100 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createPlanner, PLANNING_DAYS } from '../src/app/plan-route.ts';
import { addDays } from '../src/core/shared/time-zone.ts';
import { systemClock } from '../src/store/security.ts';
import { loadNetwork } from '../src/core/network/load-network.ts';
import { NETWORK_FILES } from '../src/core/network/schema.ts';
import { seededRng } from '../src/core/shared/rng.ts';
import { DEFAULT_NETWORK_DIR } from '../src/store/network-files.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 8);
const root = join(import.meta.dirname, '..');

function start(
  cmd: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, cmd, { cwd: root, env: { ...process.env, ...env } });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /(?:listening|Corridor is serving) (http:\/\/[\w.]+:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]!.replace('localhost', '127.0.0.1') });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function load(
  server: { url: string; child: ChildProcess },
  requests: autocannon.Request[],
  headers: Record<string, string> = {},
) {
  const url = server.url;
  // Warm-up long enough for the JIT to settle on every code path of the varied requests.
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP, requests, headers });
  const serverBefore = cpuSeconds(server.child.pid!);
  const clientBefore = cpuSeconds(process.pid);
  const started = performance.now();
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    requests,
    headers,
  });
  const wall = (performance.now() - started) / 1000;
  const serverCpu = cpuSeconds(server.child.pid!) - serverBefore;
  return {
    serverCpuPct: (serverCpu / wall) * 100,
    clientCpuPct: ((cpuSeconds(process.pid) - clientBefore) / wall) * 100,
    serverMsPerRequest: (serverCpu * 1000) / Math.max(1, r.requests.total),
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    bytes: r.throughput.average,
  };
}

// Varied plan queries that have answers, and the planner's own throughput on them.
const files = Object.fromEntries(
  Object.keys(NETWORK_FILES).map((f) => [f, readFileSync(join(DEFAULT_NETWORK_DIR, f), 'utf8')]),
);
const loaded = loadNetwork(files);
if (!loaded.ok) throw new Error('data/ does not validate');
const planner = createPlanner(loaded.network, systemClock);
const served = [
  ...new Set([...loaded.network.services.values()].flatMap((s) => s.stops.map((st) => st.nodeId))),
];
const rng = seededRng(11);
const queries: { from: string; to: string; depart: string; containers: string }[] = [];
while (queries.length < 200) {
  const q = {
    from: served[Math.floor(rng.next() * served.length)]!,
    to: served[Math.floor(rng.next() * served.length)]!,
    // Any day of the twelve months the planner answers for, from tomorrow.
    depart: addDays(planner.period.from, 1 + Math.floor(rng.next() * (PLANNING_DAYS - 1))),
    containers: rng.next() < 0.5 ? '2x40HC' : '1x20GP,1x40HC',
  };
  if (planner.plan(q).itineraries.length > 0) queries.push(q);
}
/** The planner's own throughput on the queries, in this process, after a warm-up. */
function inProcessThroughput(): number {
  for (let i = 0; i < 2000; i++) planner.plan(queries[i % queries.length]!);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < DURATION * 1000) planner.plan(queries[n++ % queries.length]!);
  return (n / (performance.now() - t0)) * 1000;
}

const hello = await start(['bench/servers/hello.js']);
const corridor = await start(['bin/corridor.js', 'serve', '--port', '0'], {
  CORRIDOR_DATA_DIR: mkdtempSync(join(tmpdir(), 'corridor-bench-')),
  DATABASE_URL: '',
  LOG_LEVEL: 'warn',
  CORRIDOR_WRITE_PER_MINUTE: '1000000',
});
try {
  const ceiling = await load(hello, [{ method: 'GET', path: '/' }]);
  // Plans first, on a fresh server, right after the planner's own figure.
  const inProcess = inProcessThroughput();
  const plans = await load(
    corridor,
    queries.map((q) => ({
      method: 'POST' as const,
      path: '/v1/plans',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(q),
    })),
  );
  const network = await load(corridor, [{ method: 'GET', path: '/v1/network' }]);
  const compressed = await load(corridor, [
    { method: 'GET', path: '/v1/network', headers: { 'accept-encoding': 'br, gzip' } },
  ]);
  const etag = (await fetch(`${corridor.url}/v1/network`)).headers.get('etag')!;
  const conditional = await load(corridor, [
    { method: 'GET', path: '/v1/network', headers: { 'if-none-match': etag } },
  ]);
  const row = (
    name: string,
    r: Awaited<ReturnType<typeof load>>,
    baseline: number,
    target: string,
  ) =>
    `| ${name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${((r.rps / baseline) * 100).toFixed(0)}% | ${target} | ${r.non2xx + r.errors} | ${r.serverCpuPct.toFixed(0)}% | ${r.clientCpuPct.toFixed(0)}% | ${r.serverMsPerRequest.toFixed(3)} |`;
  const kib = (r: Awaited<ReturnType<typeof load>>) =>
    (r.bytes / Math.max(1, r.rps) / 1024).toFixed(1);
  console.log(
    `\nHTTP API under autocannon, ${CONNECTIONS} connections, ${DURATION} s per row after a ${WARMUP} s warm-up; servers in their own processes on this machine's ${cpus().length} cores, the load generator beside them; Node ${process.version}`,
  );
  console.log(
    '| scenario | req/s | p50 ms | p99 ms | of baseline | target | errors + non-2xx | server CPU | load generator CPU | server CPU ms a request |',
  );
  console.log('|---|---:|---:|---:|---:|---|---:|---:|---:|---:|');
  console.log(row('baseline: raw node:http hello-world', ceiling, ceiling.rps, ''));
  console.log(
    row(
      `GET /v1/network, uncompressed (${kib(network)} KiB a response)`,
      network,
      ceiling.rps,
      '≥ 40% of hello-world',
    ),
  );
  console.log(
    row(
      `GET /v1/network, Accept-Encoding: br (${kib(compressed)} KiB a response)`,
      compressed,
      ceiling.rps,
      '≥ 40% of hello-world',
    ),
  );
  // A 304 is not a 2xx for autocannon; it is the expected answer here.
  console.log(
    row(
      'GET /v1/network, If-None-Match: current ETag (304)',
      { ...conditional, non2xx: 0 },
      ceiling.rps,
      '≥ 40% of hello-world',
    ),
  );
  console.log(
    `| baseline: planner in-process, same 200 queries | ${inProcess.toFixed(0)} | | | 100% | | | 100% | | ${(1000 / inProcess).toFixed(3)} |`,
  );
  console.log(
    row(
      'POST /v1/plans, 200 varied answered queries',
      plans,
      inProcess,
      '≥ 70% of in-process, p99 ≤ 100 ms',
    ),
  );
} finally {
  hello.child.kill('SIGTERM');
  corridor.child.kill('SIGTERM');
}
