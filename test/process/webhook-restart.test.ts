import type { ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTimetable } from '../../src/core/network/timetable.ts';
import { containerNumber } from '../support/containers.ts';
import { databaseUrl } from '../support/database.ts';
import { referenceNetwork } from '../support/network-files.ts';
import {
  adminApiKey,
  dropDatabase,
  recreateDatabase,
  serveProcess,
  sql,
} from '../support/process.ts';

/**
 * A webhook receiver that fails, a server stopped with the delivery still owed, another server
 * started on the same PostgreSQL: the delivery arrives, signed, from the queue in the database.
 */
const DB = `corridor_hooks_${process.pid}`;
const env = {
  ...process.env,
  DATABASE_URL: databaseUrl(DB),
  LOG_LEVEL: 'warn',
  CORRIDOR_WEBHOOK_ALLOW: '127.0.0.1',
  CORRIDOR_WEBHOOK_RETRY_SECONDS: '1',
};
let child: ChildProcess | undefined;
let receiver: Server;
let answer = 503;
const received: { signature: string; body: string }[] = [];

const until = async (check: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  return check();
};

beforeAll(async () => {
  await recreateDatabase(DB);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      received.push({ signature: String(req.headers['notification-signature']), body });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
}, 60_000);
afterAll(async () => {
  child?.kill('SIGKILL');
  await new Promise((r) => receiver.close(r));
  await dropDatabase(DB);
});

describe('webhook deliveries across a restart', () => {
  it('delivers what a stopped server still owed, once the receiver answers', async () => {
    const shipperKey = await adminApiKey(env, 'shipper', 'Hooks shipper');
    const platformKey = await adminApiKey(env, 'platform', 'Hooks operator');
    let started = await serveProcess(env);
    child = started.child;
    let url = started.url;
    const post = async (path: string, key: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      });
    const container = containerNumber('TGHU', 654321);
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const trip = generateTimetable(referenceNetwork(), {
      from: day,
      days: 7,
      serviceIds: ['SVC_FEEDER_AKTAU_ALAT'],
    })[0]!;
    const shipment = await post('/v1/shipments', shipperKey, {
      rides: [{ tripId: trip.id, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }],
      containers: [{ equipmentReference: container }],
    });
    expect(shipment.status).toBe(201);
    const secret = randomBytes(32).toString('base64');
    const port = (receiver.address() as AddressInfo).port;
    const sub = await post('/v3/event-subscriptions', shipperKey, {
      callbackUrl: `http://127.0.0.1:${port}/events`,
      secret,
      eventTypes: ['EQUIPMENT'],
    });
    expect(sub.status).toBe(201);
    const at = new Date(Date.now() - 60_000).toISOString();
    const event = {
      eventID: randomUUID(),
      eventCreatedDateTime: at,
      eventDateTime: at,
      eventType: 'EQUIPMENT',
      eventClassifierCode: 'ACT',
      equipmentEventTypeCode: 'GTIN',
      equipmentReference: container,
      eventLocation: { UNLocationCode: 'KZAAU' },
    };
    expect((await post('/v1/events', platformKey, event)).status).toBe(201);
    // The receiver fails: the first attempt is made and refused.
    expect(await until(() => received.length >= 1, 10_000)).toBe(true);
    child!.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    const owed = await sql(
      databaseUrl(DB),
      "select state, attempts from webhook_deliveries where state = 'pending'",
    );
    expect(owed).toHaveLength(1);
    // Another server on the same database; the receiver answers now.
    answer = 200;
    const before = received.length;
    started = await serveProcess(env);
    child = started.child;
    url = started.url;
    expect(await until(() => received.length > before && answer === 200, 15_000)).toBe(true);
    expect(await until(() => received.some((r) => r.body.includes(event.eventID)), 15_000)).toBe(
      true,
    );
    const last = received.at(-1)!;
    expect(last.signature).toBe(
      `sha256=${createHmac('sha256', Buffer.from(secret, 'base64')).update(last.body, 'utf8').digest('hex')}`,
    );
    // Marked delivered once the answer is in (on a busy machine, a moment after).
    let states: unknown[] = [];
    for (let i = 0; i < 50; i++) {
      states = await sql(databaseUrl(DB), 'select state from webhook_deliveries');
      if (JSON.stringify(states) === JSON.stringify([{ state: 'delivered' }])) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(states).toEqual([{ state: 'delivered' }]);
  }, 120_000);
});
