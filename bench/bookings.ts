/**
 * `npm run bench` (last part): bookings per second with 50 concurrent clients against a server on
 * PostgreSQL, then a check of the ledger for overbooking. Baseline in the same run: GET /readyz
 * (one database round trip) on the same server.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadNetwork } from '../src/core/network/load-network.ts';
import { NETWORK_FILES } from '../src/core/network/schema.ts';
import { generateTimetable } from '../src/core/network/timetable.ts';
import { seededRng } from '../src/core/shared/rng.ts';
import { DEFAULT_NETWORK_DIR } from '../src/store/network-files.ts';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '..');
const BIN = join(root, 'bin/corridor.js');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const ADMIN_URL =
  process.env.CORRIDOR_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DB = 'corridor_bench';
/** The Caspian services whose departures are booked. */
const SERVICES = [
  'SVC_FEEDER_AKTAU_ALAT',
  'SVC_FEEDER_ALAT_AKTAU',
  'SVC_ASCO_RAIL_FERRY_AKTAU_ALAT',
];
const dbUrl = (() => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${DB}`;
  return u.toString();
})();
const env = {
  ...process.env,
  DATABASE_URL: dbUrl,
  LOG_LEVEL: 'warn',
  CORRIDOR_WRITE_PER_MINUTE: '1000000',
};

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

await sql(ADMIN_URL, `drop database if exists "${DB}" with (force)`);
await sql(ADMIN_URL, `create database "${DB}"`);
const org = await exec(
  process.execPath,
  [BIN, 'admin', 'create-org', '--name', 'Bench Exporter', '--kind', 'shipper', '--country', 'CN'],
  { env },
);
const orgId = /created (org_\w+)/.exec(org.stdout)![1]!;
// The carrier of the Caspian departures booked: rides nobody operates are refused.
await exec(
  process.execPath,
  [
    BIN,
    'admin',
    'create-org',
    ...['--name', 'Caspian carrier', '--kind', 'carrier', '--country', 'AZ'],
    ...SERVICES.flatMap((s) => ['--service', s]),
  ],
  { env },
);
const key = /(ck_\S+)/.exec(
  (
    await exec(
      process.execPath,
      [BIN, 'admin', 'create-api-key', '--org', orgId, '--name', 'bench', '--role', 'admin'],
      { env },
    )
  ).stdout,
)![1]!;

const server: ChildProcess = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=reports/bprof'] : []),
    BIN,
    'serve',
    '--port',
    '0',
  ],
  { env, cwd: root },
);
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  server.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /Corridor is serving (http:\/\/localhost:\d+)/.exec(out);
    if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
  });
  server.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  server.on('exit', () => reject(new Error(out)));
});

// One-TEU bookings on the departures of 60 days of three Caspian services.
const files = Object.fromEntries(
  Object.keys(NETWORK_FILES).map((f) => [f, readFileSync(join(DEFAULT_NETWORK_DIR, f), 'utf8')]),
);
const loaded = loadNetwork(files);
if (!loaded.ok) throw new Error('data/ does not validate');
const trips = generateTimetable(loaded.network, {
  // From tomorrow: departures that have left take no bookings.
  from: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
  days: 60,
  serviceIds: SERVICES,
});
const bodies = trips.map((t) =>
  JSON.stringify({
    rides: [{ tripId: t.id, from: t.stopTimes[0]!.nodeId, to: t.stopTimes.at(-1)!.nodeId }],
    containers: '1x20GP',
  }),
);
// Each request picks a departure at random (seeded), as many shippers booking different sailings.
const rng = seededRng(5);
const requests: autocannon.Request[] = [
  {
    method: 'POST',
    path: '/v1/bookings',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    setupRequest: (req) => ({ ...req, body: bodies[Math.floor(rng.next() * bodies.length)]! }),
  },
];

/** Resident memory of the server process, MB (Linux), read after a row. */
function serverRssMb(): string {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1];
    return kb ? (Number(kb) / 1024).toFixed(0) : 'n/a';
  } catch {
    return 'n/a';
  }
}

try {
  const run = (reqs: autocannon.Request[]) =>
    autocannon({ url, connections: 50, duration: DURATION, requests: reqs });
  await autocannon({
    url,
    connections: 50,
    duration: 3,
    requests: [{ method: 'GET', path: '/readyz' }],
  });
  const baseline = await run([{ method: 'GET', path: '/readyz' }]);
  const baselineRss = serverRssMb();
  const booked = await run(requests);
  const bookedRss = serverRssMb();
  const [over] = await sql<{ n: string }>(
    dbUrl,
    'select count(*) as n from departure_legs where held_teu + confirmed_teu > capacity_teu',
  );
  const [mismatch] = await sql<{ n: string }>(
    dbUrl,
    `select count(*) as n from departure_legs d where d.held_teu <> coalesce((select sum(h.teu) from leg_holds h where h.trip_id = d.trip_id and h.leg_index = d.leg_index and h.state = 'held'), 0)`,
  );
  const [counts] = await sql<{ bookings: string; legs: string; full: string }>(
    dbUrl,
    `select (select count(*) from bookings) as bookings, (select count(*) from departure_legs) as legs, (select count(*) from departure_legs where held_teu = capacity_teu) as full`,
  );
  console.log(
    `\nBookings on PostgreSQL: autocannon, 50 connections, ${DURATION} s; one-TEU bookings, each on one of ${trips.length} Caspian departures drawn at random; Node ${process.version}`,
  );
  console.log('| scenario | req/s | p50 ms | p99 ms | 2xx | non-2xx | server RSS MB after |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| baseline: GET /readyz (one database round trip) | ${baseline.requests.average.toFixed(0)} | ${baseline.latency.p50} | ${baseline.latency.p99} | ${baseline['2xx']} | ${baseline.non2xx} | ${baselineRss} |`,
  );
  console.log(
    `| POST /v1/bookings | ${booked.requests.average.toFixed(0)} | ${booked.latency.p50} | ${booked.latency.p99} | ${booked['2xx']} | ${booked.non2xx} | ${bookedRss} |`,
  );
  console.log(
    `\nafter the run: ${counts!.bookings} bookings on ${counts!.legs} legs, ${counts!.full} legs full; legs over capacity: ${over!.n}; legs whose held TEU differ from their holds: ${mismatch!.n}`,
  );
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  await sql(ADMIN_URL, `drop database if exists "${DB}" with (force)`);
}
