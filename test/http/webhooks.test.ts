import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue, type SubscriptionDeps } from '../../src/app/subscriptions.ts';
import { callbackGuard, parseAllowlist } from '../../src/http/webhooks.ts';
import { PgSubscriptionStore } from '../../src/store/subscription.store.ts';
import {
  apiKeyCaller,
  manualClock,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';
import { containerNumber } from '../support/containers.ts';

/** Event subscriptions: signed deliveries, retries from the queue in the database, SSRF refusals. */
const clock = manualClock(new Date('2026-12-04T06:00:00Z'));
let server: TestServer;
let shipper: Caller;
let otherShipper: Caller;
let ktz: Caller;

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
let receiver: Server;
let receiverUrl = '';
const received: Received[] = [];
let answer = 200;

const box = (n: number) => containerNumber('TGHU', n);
const secret = () => randomBytes(32).toString('base64');

beforeAll(async () => {
  server = await testServer(undefined, clock);
  shipper = await apiKeyCaller(server, { name: 'Exporter', kind: 'shipper', country: 'CN' });
  otherShipper = await apiKeyCaller(server, {
    name: 'Other Exporter',
    kind: 'shipper',
    country: 'CN',
  });
  ktz = await apiKeyCaller(server, {
    name: 'KTZ Express',
    kind: 'carrier',
    country: 'KZ',
    services: ['SVC_XIAN_BAKU_BLOCK'],
  });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/dcsa/events`;
});
afterAll(async () => {
  await new Promise((r) => receiver.close(r));
  await server.close();
});

const post = (url: string, who: Caller, payload: unknown) =>
  server.app.inject({ method: 'POST', url, headers: who.headers, payload: payload as object });
const get = (url: string, who: Caller) => server.app.inject({ url, headers: who.headers });

async function shipment(container: string): Promise<string> {
  const res = await post('/v1/shipments', shipper, {
    rides: [
      { tripId: 'SVC_XIAN_BAKU_BLOCK@2026-12-04T1200', from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT' },
    ],
    containers: [{ equipmentReference: container }],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

const departure = (container: string) => ({
  eventID: randomUUID(),
  eventCreatedDateTime: '2026-12-04T04:31:00Z',
  eventDateTime: '2026-12-04T04:30:00Z',
  eventType: 'TRANSPORT',
  eventClassifierCode: 'ACT',
  transportEventTypeCode: 'DEPA',
  equipmentReference: container,
  eventLocation: { UNLocationCode: 'CNXIA' },
});

/** What a receiver does: HMAC-SHA256 of the raw body with the shared secret. */
const verifies = (r: Received, key: string) =>
  r.headers['notification-signature'] ===
  `sha256=${createHmac('sha256', Buffer.from(key, 'base64')).update(r.body, 'utf8').digest('hex')}`;

async function subscribe(who: Caller, body: object) {
  const res = await post('/v3/event-subscriptions', who, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ subscriptionID: string }>().subscriptionID;
}

describe('event subscriptions', () => {
  it('delivers new events signed over the raw body, to subscribers who may see them', async () => {
    const c = box(1);
    const id = await shipment(c);
    const key = secret();
    const sub = await subscribe(shipper, { callbackUrl: receiverUrl, secret: key, shipmentID: id });
    const transportOnly = await subscribe(shipper, {
      callbackUrl: `${receiverUrl}?only=transport`,
      secret: secret(),
      equipmentReference: c,
      eventTypes: ['EQUIPMENT'],
    });
    // Another shipper subscribing to everything gets nothing of this shipment.
    await subscribe(otherShipper, { callbackUrl: `${receiverUrl}?other`, secret: secret() });
    received.length = 0;
    const e = departure(c);
    expect((await post('/v1/events', ktz, e)).statusCode).toBe(201);
    // Two notifications: the event as posted, then the new estimate it caused (EST).
    expect(await deliverDue(server.subscriptions)).toBe(2);
    expect(received).toHaveLength(2);
    const bodies = received
      .map((r) =>
        (
          JSON.parse(r.body) as {
            metadata: { eventID: string };
            payload: { eventClassifierCode: string };
          }[]
        ).map((x) => ({ eventID: x.metadata.eventID, ...x.payload })),
      )
      .sort(
        (a, b) =>
          (a[0]!.eventClassifierCode === 'ACT' ? -1 : 1) -
          (b[0]!.eventClassifierCode === 'ACT' ? -1 : 1),
      );
    expect(bodies.map((b) => b.map((x) => [x.eventID, x.eventClassifierCode]))).toEqual([
      [[e.eventID, 'ACT']],
      [[expect.any(String), 'EST']],
    ]);
    for (const r of received) {
      expect(r.headers['subscription-id']).toBe(sub);
      expect(verifies(r, key)).toBe(true);
    }
    // A receiver with another secret, or a body changed on the way, does not verify.
    const r = received[0]!;
    expect(verifies(r, secret())).toBe(false);
    expect(
      verifies(
        { ...r, body: r.body.replace('"eventClassifierCode"', '"eventClassifierCode "') },
        key,
      ),
    ).toBe(false);
    const log = (await get(`/v3/event-subscriptions/${sub}/deliveries`, shipper)).json<{
      deliveries: { state: string; attempts: number; lastStatus: number }[];
    }>();
    expect(log.deliveries).toEqual([
      expect.objectContaining({ state: 'delivered', attempts: 1, lastStatus: 200 }),
      expect.objectContaining({ state: 'delivered', attempts: 1, lastStatus: 200 }),
    ]);
    expect(
      (await get(`/v3/event-subscriptions/${transportOnly}/deliveries`, shipper)).json(),
    ).toEqual({ deliveries: [] });
    // Nobody else reads the subscription or its log.
    expect((await get(`/v3/event-subscriptions/${sub}/deliveries`, otherShipper)).statusCode).toBe(
      404,
    );
  });

  it('retries a failed delivery with back-off, and after a restart from the queue in the database', async () => {
    const c = box(2);
    const id = await shipment(c);
    const key = secret();
    const sub = await subscribe(shipper, { callbackUrl: receiverUrl, secret: key, shipmentID: id });
    received.length = 0;
    answer = 503;
    await post('/v1/events', ktz, departure(c));
    expect(await deliverDue(server.subscriptions)).toBe(0);
    expect(received).toHaveLength(2);
    const log = async () =>
      (await get(`/v3/event-subscriptions/${sub}/deliveries`, shipper)).json<{
        deliveries: {
          state: string;
          attempts: number;
          lastError: string | null;
          nextAttemptAt: string;
        }[];
      }>().deliveries[0]!;
    expect(await log()).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastError: 'HTTP 503',
      nextAttemptAt: new Date(clock.now().getTime() + 60_000).toISOString(),
    });
    // Not before its time.
    clock.advance(30_000);
    expect(await deliverDue(server.subscriptions)).toBe(0);
    expect(received).toHaveLength(2);
    // The second failure waits twice as long.
    clock.advance(31_000);
    expect(await deliverDue(server.subscriptions)).toBe(0);
    expect(await log()).toMatchObject({
      attempts: 2,
      nextAttemptAt: new Date(clock.now().getTime() + 120_000).toISOString(),
    });
    // The server restarts: new stores on the same database find the delivery and send it.
    answer = 200;
    clock.advance(121_000);
    const restarted: SubscriptionDeps = {
      ...server.subscriptions,
      subscriptions: new PgSubscriptionStore(server.database.db),
    };
    expect(await deliverDue(restarted)).toBe(2);
    expect(await log()).toMatchObject({ state: 'delivered', attempts: 3 });
    expect(verifies(received.at(-1)!, key)).toBe(true);
  });

  it('signs with the new secret after a rotation', async () => {
    const c = box(3);
    const id = await shipment(c);
    const sub = await subscribe(shipper, {
      callbackUrl: receiverUrl,
      secret: secret(),
      shipmentID: id,
    });
    const rotated = secret();
    const put = await server.app.inject({
      method: 'PUT',
      url: `/v3/event-subscriptions/${sub}/secret`,
      headers: shipper.headers,
      payload: { secret: rotated },
    });
    expect(put.statusCode).toBe(204);
    received.length = 0;
    await post('/v1/events', ktz, departure(c));
    expect(await deliverDue(server.subscriptions)).toBe(2);
    expect(received.every((r) => verifies(r, rotated))).toBe(true);
    const short = await server.app.inject({
      method: 'PUT',
      url: `/v3/event-subscriptions/${sub}/secret`,
      headers: shipper.headers,
      payload: { secret: randomBytes(16).toString('base64') },
    });
    expect([short.statusCode, short.json<{ errors: unknown }>().errors]).toEqual([
      400,
      [
        {
          field: 'body.secret',
          reason: 'invalidInput',
          message: '16 bytes; a secret has 32-64 bytes',
        },
      ],
    ]);
  });
});

describe('callbacks that could reach inside the network', () => {
  it('refuses private, link-local and non-http callback URLs, naming the field', async () => {
    for (const url of [
      'http://10.0.0.7/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://192.168.1.1/',
      'http://172.16.5.4:8080/',
      'http://100.64.0.1/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://0.0.0.0/',
      // IPv4-compatible IPv6 (::/96) and IPv4-mapped in every spelling.
      'http://[::127.0.0.1]/',
      'http://[::7f00:1]/',
      'http://[::10.0.0.7]/',
      'http://[::169.254.169.254]/',
      'http://[0:0:0:0:0:ffff:10.0.0.7]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[::]/',
      // Ranges that carry or translate an IPv4 address, and the other reserved ones.
      'http://[64:ff9b::a00:7]/',
      'http://[64:ff9b:1::1]/',
      'http://[2002:7f00:1::1]/',
      'http://[2001::1]/',
      'http://[2001:db8::1]/',
      'http://[3fff::1]/',
      'http://[5f00::1]/',
      'http://[fec0::1]/',
      'http://[ff02::1]/',
      'http://[100::1]/',
      'http://192.88.99.1/',
      'http://192.31.196.1/',
      'http://198.18.0.1/',
      'http://203.0.113.9/',
      'http://255.255.255.255/',
      'ftp://example.com/x',
      'file:///etc/passwd',
      'gopher://127.0.0.1:6379/_',
      'http://user:pass@example.com/',
      'not a url',
    ]) {
      const res = await post('/v3/event-subscriptions', shipper, {
        callbackUrl: url,
        secret: secret(),
      });
      expect(res.statusCode, url).toBe(400);
      expect(res.json<{ errors: { field: string }[] }>().errors[0]!.field, url).toBe(
        'body.callbackUrl',
      );
    }
  });

  it('refuses loopback without the operator allowing it, whatever the spelling', async () => {
    const guard = callbackGuard(parseAllowlist(''));
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://127.1.2.3/',
      'http://localhost/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://2130706433/',
    ])
      expect(await guard.problem(url), url).toBeDefined();
    expect(await guard.problem('http://93.184.215.14/hook')).toBeUndefined();
    // Public addresses stay callable, however written.
    expect(await guard.problem('http://[::ffff:93.184.215.14]/hook')).toBeUndefined();
    expect(await guard.problem('http://[2606:4700:4700::1111]/hook')).toBeUndefined();
    expect(await guard.problem('http://[::127.0.0.1]/')).toBe(
      '::7f00:1: ::7f00:1 is a private, loopback, link-local or reserved address',
    );
    const allowed = callbackGuard(parseAllowlist('127.0.0.1'));
    expect(await allowed.problem('http://127.0.0.1:8080/')).toBeUndefined();
    expect(await allowed.problem('http://10.0.0.1/')).toBeDefined();
  });
});
