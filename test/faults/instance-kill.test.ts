import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { carrierArgs, MixedLoad } from '../support/mixed-load.ts';
import { adminApiKey, serveProcess } from '../support/process.ts';

/**
 * Two servers on one PostgreSQL under mixed load, with webhook deliveries going out; one is
 * killed with SIGKILL. The other carries on, and the deliveries the dead one had claimed are
 * sent by the other once their claim runs out.
 */
let cluster: PgCluster;
const servers: { child: ChildProcess; url: string }[] = [];
let receiver: Server;
let receiverUrl = '';
/** Events the receiver got. */
const received = new Set<string>();
/** Client ports of the deliveries the receiver holds, not yet answered. */
const inFlight = new Set<number>();
let shipperKey = '';
let platformKey = '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Local TCP ports of a process's sockets (Linux: its fds and /proc/net/tcp). */
function socketsOf(pid: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6'])
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && inodes.has(f[9]!)) ports.add(parseInt(f[1]!.split(':')[1]!, 16));
    }
  return ports;
}

beforeAll(async () => {
  cluster = await startPgCluster();
  // A slow receiver (6 s an answer): each server has deliveries under way most of the time.
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    const port = req.socket.remotePort!;
    inFlight.add(port);
    req.on('end', () => {
      const ids = (JSON.parse(body) as { metadata: { eventID: string } }[]).map(
        (e) => e.metadata.eventID,
      );
      setTimeout(() => {
        inFlight.delete(port);
        res.writeHead(204).end();
        for (const id of ids) received.add(id);
      }, 6_000);
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  const env = {
    ...process.env,
    DATABASE_URL: cluster.url,
    LOG_LEVEL: 'error',
    CORRIDOR_WRITE_PER_MINUTE: '1000000',
    CORRIDOR_WEBHOOK_ALLOW: '127.0.0.1',
  };
  shipperKey = await adminApiKey(env, 'shipper', 'Exporter', { country: 'CN' });
  platformKey = await adminApiKey(env, 'platform', 'Ops', { country: 'KZ' });
  // The carrier of the departures the load books.
  await adminApiKey(env, 'carrier', 'Caspian carrier', { country: 'KZ', extra: carrierArgs });
  servers.push(await serveProcess(env), await serveProcess(env));
}, 120_000);

afterAll(async () => {
  for (const s of servers) s.child.kill('SIGTERM');
  receiver?.close();
  await cluster?.destroy();
});

describe('one of two servers killed under load', () => {
  it('leaves the other serving, and its claimed jobs are done by the other', async () => {
    const [dying, surviving] = [servers[0]!, servers[1]!];
    const subscribed = await fetch(`${surviving.url}/v3/event-subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shipperKey}` },
      body: JSON.stringify({
        callbackUrl: receiverUrl,
        secret: randomBytes(32).toString('base64'),
      }),
    });
    expect(subscribed.status).toBe(201);
    const load = new MixedLoad({
      urls: servers.map((s) => s.url),
      shipperKey,
      platformKey,
      ratePerS: 20,
    });
    await load.prepare();
    const t0 = performance.now();
    load.start();
    await sleep(5_000);
    // Killed while it is sending a delivery (the receiver holds one from one of its sockets);
    // the load balancer stops sending it requests.
    const giveUp = performance.now() + 30_000;
    while (![...inFlight].some((p) => socketsOf(dying.child.pid!).has(p))) {
      if (performance.now() > giveUp) throw new Error('the server never sent a delivery');
      await sleep(100);
    }
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    const sending = async () =>
      (
        await c.query<{ id: string }>(`select id from webhook_deliveries where state = 'sending'`)
      ).rows.map((r) => r.id);
    const claimedAtKill = await sending();
    dying.child.kill('SIGKILL');
    const killedAt = performance.now() - t0;
    load.down.add(dying.url);
    await sleep(9_000);
    // The survivor's own sends take 6 s; those claimed before the kill and still claimed 9 s
    // later are the dead one's: there is at least the one it was sending.
    const stillClaimed = new Set(await sending());
    const orphaned = claimedAtKill.filter((id) => stillClaimed.has(id));
    expect(orphaned.length).toBeGreaterThan(0);
    await load.stop();

    const o = load.outcomes;
    // No error answers at all; dropped connections only from the dead one, at its death.
    expect(o.filter((x) => x.status >= 500)).toEqual([]);
    expect(
      o.filter((x) => x.status === 0 && (x.url !== dying.url || x.at > killedAt + 2_000)),
    ).toEqual([]);
    expect(
      o.filter((x) => x.at > killedAt + 2_000 && x.status >= 200 && x.status < 300).length,
    ).toBeGreaterThan(50);
    expect([...load.unsettled]).toEqual([]);

    // Every acknowledged event reaches the receiver, those the dead server had claimed too.
    expect(load.events.size).toBeGreaterThan(10);
    const until = performance.now() + 100_000;
    while ([...load.events].some((id) => !received.has(id)) && performance.now() < until)
      await sleep(1_000);
    expect([...load.events].filter((id) => !received.has(id))).toEqual([]);
    // The deliveries the dead server had claimed are sent by the other once the claim runs out
    // (a minute after it was made).
    const undelivered = async () =>
      (
        await c.query<{ id: string }>(
          `select id from webhook_deliveries where id = any($1) and state <> 'delivered'`,
          [orphaned],
        )
      ).rows;
    const by = performance.now() + 100_000;
    while ((await undelivered()).length > 0 && performance.now() < by) await sleep(1_000);
    expect(await undelivered()).toEqual([]);

    // Bookings: exactly those acknowledged, whichever server made them.
    const rows = (
      await c.query<{ id: string }>(
        `select b.id from bookings b join organisations o on o.id = b.organisation_id where o.name = 'Exporter'`,
      )
    ).rows;
    await c.end();
    expect(rows.map((r) => r.id).sort()).toEqual([...load.bookings.values()].sort());
  }, 240_000);
});
