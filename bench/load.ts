/**
 * `npm run bench:load`: a steady mixed load (plans, bookings, tracking events, reads; 20 requests
 * a second in turn) on `corridor serve` on PostgreSQL for BENCH_LOAD_SECONDS (600 by default;
 * .ci/run runs 60), and the same load on a raw node:http server answering every request at once,
 * in the same run, as the baseline. Prints per endpoint the error rate and p50/p99, and the
 * server's resident memory over time; exits 1 when memory keeps growing (the last sample above
 * 1.5 times the one a fifth of the way in) or any request failed. Loopback only; stops by itself.
 */
import { createServer } from 'node:http';
import {
  carrierArgs,
  MixedLoad,
  OPERATIONS,
  percentile,
  rssMb,
  type Outcome,
} from '../test/support/mixed-load.ts';
import { adminApiKey, serveProcess } from '../test/support/process.ts';
import { ADMIN_URL, databaseUrl, sql } from './support.ts';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 600);
const RATE = Number(process.env.BENCH_LOAD_RATE ?? 20);
const SAMPLE_MS = Math.max(5_000, (SECONDS * 1000) / 10);
/** Latency of the raw server needs no ten minutes: a minute at most. */
const BASELINE_SECONDS = Math.min(SECONDS, 60);
const ENDPOINTS = {
  plan: 'POST /v1/plans',
  book: 'POST /v1/bookings',
  event: 'POST /v1/events',
  read: 'GET /v1/bookings/{id}',
} as const;

interface Run {
  outcomes: Outcome[];
  memory: { at: number; rssMb: number }[];
}

async function drive(load: MixedLoad, pid: number | undefined, seconds: number): Promise<Run> {
  await load.prepare();
  const memory: Run['memory'] = [{ at: 0, rssMb: rssMb(pid) }];
  const t0 = performance.now();
  load.start();
  const sampler = setInterval(
    () => memory.push({ at: (performance.now() - t0) / 1000, rssMb: rssMb(pid) }),
    SAMPLE_MS,
  );
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await load.stop();
  clearInterval(sampler);
  memory.push({ at: (performance.now() - t0) / 1000, rssMb: rssMb(pid) });
  return { outcomes: load.outcomes, memory };
}

async function platform(): Promise<Run> {
  const name = 'corridor_bench_load';
  await sql(ADMIN_URL, `drop database if exists "${name}" with (force)`);
  await sql(ADMIN_URL, `create database "${name}"`);
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl(name),
    LOG_LEVEL: 'warn',
    CORRIDOR_WRITE_PER_MINUTE: '1000000',
  };
  const shipperKey = await adminApiKey(env, 'shipper', 'Load shipper', { country: 'CN' });
  const platformKey = await adminApiKey(env, 'platform', 'Load operator', { country: 'KZ' });
  // The carrier of the departures the load books.
  await adminApiKey(env, 'carrier', 'Caspian carrier', { country: 'KZ', extra: carrierArgs });
  const { child, url } = await serveProcess(env);
  try {
    return await drive(
      new MixedLoad({ urls: [url], shipperKey, platformKey, ratePerS: RATE }),
      child.pid,
      SECONDS,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await sql(ADMIN_URL, `drop database if exists "${name}" with (force)`);
  }
}

/** The floor: node:http answering each request with a small JSON body at once, same load. */
async function baseline(): Promise<Run> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const created = req.method === 'POST' && /\/v1\/(bookings|shipments)$/.test(req.url ?? '');
      res
        .writeHead(created ? 201 : 200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: 'bkg_raw', accepted: 1 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    return await drive(
      new MixedLoad({ urls: [url], shipperKey: 'raw', platformKey: 'raw', ratePerS: RATE }),
      process.pid,
      BASELINE_SECONDS,
    );
  } finally {
    server.close();
  }
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

function table(p: Run, b: Run): boolean {
  const lines = [
    `Mixed load, ${RATE} requests/s for ${SECONDS} s (plans, bookings, events, reads in turn), one server on PostgreSQL; baseline: raw node:http answering at once, same load for ${BASELINE_SECONDS} s, same run`,
    '',
    '| Endpoint | Requests | Errors | Error rate | p50 ms | p99 ms | Baseline p50 ms | Baseline p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  let failed = 0;
  for (const op of OPERATIONS) {
    const mine = p.outcomes.filter((o) => o.op === op);
    const errors = mine.filter((o) => o.status === 0 || o.status >= 500).length;
    failed += errors;
    const ms = mine.map((o) => o.ms).sort((x, y) => x - y);
    const base = b.outcomes
      .filter((o) => o.op === op)
      .map((o) => o.ms)
      .sort((x, y) => x - y);
    lines.push(
      `| ${ENDPOINTS[op]} | ${mine.length} | ${errors} | ${fmt((100 * errors) / Math.max(1, mine.length), 2)}% | ${fmt(percentile(ms, 50))} | ${fmt(percentile(ms, 99))} | ${fmt(percentile(base, 50), 2)} | ${fmt(percentile(base, 99), 2)} |`,
    );
  }
  lines.push('', '| Time s | Server RSS MB |', '| ---: | ---: |');
  for (const m of p.memory) lines.push(`| ${fmt(m.at, 0)} | ${fmt(m.rssMb, 0)} |`);
  const early = p.memory[Math.max(1, Math.round(p.memory.length / 5))]!.rssMb;
  const last = p.memory.at(-1)!.rssMb;
  const bounded = last <= early * 1.5;
  lines.push(
    '',
    `Memory: ${fmt(early, 0)} MB a fifth of the way in, ${fmt(last, 0)} MB at the end: ${bounded ? 'bounded' : 'GROWING'}. Requests failed: ${failed}.`,
  );
  console.log(lines.join('\n'));
  return bounded && failed === 0;
}

const b = await baseline();
const p = await platform();
process.exit(table(p, b) ? 0 : 1);
