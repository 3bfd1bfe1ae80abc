import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTimetable } from '../../src/core/network/timetable.ts';
import { checkDigit } from '../../src/core/tracking/iso6346.ts';
import { adminUrl, databaseUrl } from '../support/database.ts';
import { referenceNetwork } from '../support/network-files.ts';

/**
 * A webhook receiver that fails, a server stopped with the delivery still owed, another server
 * started on the same PostgreSQL: the delivery arrives, signed, from the queue in the database.
 */
const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/corridor.js');
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

async function sql(text: string, url = adminUrl()): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<Record<string, unknown>>(text)).rows;
  } finally {
    await c.end();
  }
}

async function keyFor(kind: string): Promise<string> {
  const org = await exec(
    process.execPath,
    [BIN, 'admin', 'create-org', '--name', `Hooks ${kind}`, '--kind', kind, '--country', 'AZ'],
    { env },
  );
  const orgId = /created (org_\w+)/.exec(org.stdout)![1]!;
  const k = await exec(
    process.execPath,
    [BIN, 'admin', 'create-api-key', '--org', orgId, '--name', 'hooks', '--role', 'admin'],
    { env },
  );
  return /(ck_\S+)/.exec(k.stdout)![1]!;
}

function serve(): Promise<string> {
  child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env });
  let out = '';
  return new Promise((resolve, reject) => {
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Corridor is serving (http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    child!.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child!.on('exit', () => reject(new Error(`exited: ${out}`)));
  });
}

const until = async (check: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  return check();
};

beforeAll(async () => {
  await sql(`drop database if exists "${DB}" with (force)`);
  await sql(`create database "${DB}"`);
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
  await sql(`drop database if exists "${DB}" with (force)`);
});

describe('webhook deliveries across a restart', () => {
  it('delivers what a stopped server still owed, once the receiver answers', async () => {
    const shipperKey = await keyFor('shipper');
    const platformKey = await keyFor('platform');
    let url = await serve();
    const post = async (path: string, key: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      });
    const container = `TGHU654321${checkDigit('TGHU654321')}`;
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
      "select state, attempts from webhook_deliveries where state = 'pending'",
      databaseUrl(DB),
    );
    expect(owed).toHaveLength(1);
    // Another server on the same database; the receiver answers now.
    answer = 200;
    const before = received.length;
    url = await serve();
    expect(await until(() => received.length > before && answer === 200, 15_000)).toBe(true);
    expect(await until(() => received.some((r) => r.body.includes(event.eventID)), 15_000)).toBe(
      true,
    );
    const last = received.at(-1)!;
    expect(last.signature).toBe(
      `sha256=${createHmac('sha256', Buffer.from(secret, 'base64')).update(last.body, 'utf8').digest('hex')}`,
    );
    expect(
      await until(() => true, 1500).then(() =>
        sql('select state from webhook_deliveries', databaseUrl(DB)),
      ),
    ).toEqual([{ state: 'delivered' }]);
  }, 120_000);
});
