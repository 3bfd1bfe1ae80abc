import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/http/main.ts';
import { databaseUrl } from '../support/database.ts';
import { dataFiles } from '../support/network-files.ts';
import { adminApiKey, dropDatabase, recreateDatabase } from '../support/process.ts';

/**
 * A carrier's publication wakes the network refresh of every server on the database at once
 * (PostgreSQL's LISTEN/NOTIFY; on the embedded PGlite, of the one server that holds it), where
 * the servers otherwise look only every 30 s: the network in force and the job's run in /metrics
 * follow within two seconds. The servers run on the real clock; the version takes effect today.
 */
const SERVICE = 'SVC_FEEDER_AKTAU_ALAT';
/** Far less than the 30 s between the servers' own looks at the publications. */
const WITHIN_MS = 2_000;

type Env = Record<string, string | undefined>;

function start(env: Env): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    demo: false,
    env,
    out: () => undefined,
    err: (line) => console.error(line),
  }).then((s) => {
    if (!s) throw new Error('the server did not start');
    return s;
  });
}

/** Publishes version 2 of the feeder, its capacity changed, in force today. */
async function publish(server: RunningServer, carrierKey: string): Promise<void> {
  const record = (
    JSON.parse(dataFiles()['services.json']!) as { services: { id: string; capacityTeu: number }[] }
  ).services.find((s) => s.id === SERVICE)!;
  const res = await fetch(`${server.url.replace('localhost', '127.0.0.1')}/v1/network/services`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${carrierKey}` },
    body: JSON.stringify({
      effectiveFrom: new Date().toISOString().slice(0, 10),
      services: [{ ...record, capacityTeu: record.capacityTeu - 1 }],
    }),
  });
  expect(res.status).toBe(201);
}

/** The version of the feeder a server has in force. */
async function versionInForce(server: RunningServer): Promise<number | undefined> {
  const res = await server.app.inject({ url: `/v1/network/services/${SERVICE}/versions` });
  const body = res.json<{ versions: { version: number; inForce: boolean }[] }>();
  return body.versions.find((v) => v.inForce)?.version;
}

/** Runs of the network refresh a server counted in /metrics. */
async function refreshRuns(server: RunningServer): Promise<number> {
  const text = (await server.app.inject({ url: '/metrics' })).body;
  const m = /corridor_job_runs_total\{job="network-refresh",outcome="ok"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** Milliseconds until `ok` holds, polled every 20 ms, or Infinity after 10 s. */
async function msUntil(ok: () => Promise<boolean>, since: number): Promise<number> {
  while (performance.now() - since < 10_000) {
    if (await ok()) return performance.now() - since;
    await new Promise((r) => setTimeout(r, 20));
  }
  return Infinity;
}

describe('on PostgreSQL, two servers', () => {
  const DB = `corridor_wake_${process.pid}`;
  const env: Env = { ...process.env, DATABASE_URL: databaseUrl(DB), LOG_LEVEL: 'warn' };
  const servers: RunningServer[] = [];
  let carrierKey = '';

  beforeAll(async () => {
    await recreateDatabase(DB);
    carrierKey = await adminApiKey(env, 'carrier', 'ASCO', { extra: ['--service', SERVICE] });
    servers.push(await start(env), await start(env));
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await dropDatabase(DB);
  });

  it('plan on a version published through the other one within two seconds', async () => {
    const [a, b] = [servers[0]!, servers[1]!];
    expect(await versionInForce(b)).toBe(1);
    const runsBefore = await refreshRuns(b);
    await publish(a, carrierKey);
    const t = performance.now();
    expect(await msUntil(async () => (await versionInForce(b)) === 2, t)).toBeLessThan(WITHIN_MS);
    expect(await refreshRuns(b)).toBeGreaterThan(runsBefore);
  });
});

describe('on the embedded database, one server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-wake-'));
  const env: Env = { ...process.env, CORRIDOR_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'warn' };
  let server: RunningServer | undefined;
  let carrierKey = '';

  beforeAll(async () => {
    // The organisation first: the data directory is the server's while it runs.
    carrierKey = await adminApiKey(env, 'carrier', 'ASCO', { extra: ['--service', SERVICE] });
    server = await start(env);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs its network refresh on the publication, not 30 s later', async () => {
    const runsBefore = await refreshRuns(server!);
    await publish(server!, carrierKey);
    const t = performance.now();
    expect(await msUntil(async () => (await refreshRuns(server!)) > runsBefore, t)).toBeLessThan(
      WITHIN_MS,
    );
    expect(await versionInForce(server!)).toBe(2);
  });
});
