import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createUser } from '../../src/app/manage-accounts.ts';
import { seedDemo } from '../../src/app/seed-demo.ts';
import { PgDirectoryStore } from '../../src/store/directory.store.ts';
import { browserAvailable, launchBrowser, watch, type PageProblems } from '../support/browser.ts';
import { manualClock } from '../support/clock.ts';
import { containerNumber } from '../support/containers.ts';
import { testServer, type TestServer } from '../support/server.ts';

/**
 * A double-click on every button of the web app that changes something makes one change, in
 * Debian's chromium against the real server with the demo's organisations and accounts. Each
 * button is double-clicked (a button that asks first: its question's yes) and the test checks
 * that the server made one change: one write answered that was not a replay of the first, no
 * refusal, and the change itself in the server's lists (bookings, declarations, documents,
 * subscriptions, service requests, simulations, the audit log).
 *
 * | button (page)                                               | double-clicked in        |
 * |-------------------------------------------------------------|--------------------------|
 * | Sign in (sign-in)                                           | here                     |
 * | Sign out (header)                                           | here                     |
 * | Plan (planner: asks the server, changes nothing)            | here                     |
 * | Book this itinerary (planner)                               | web.test.ts              |
 * | Amend booking (booking)                                     | here                     |
 * | Confirm, a ride (booking, carrier)                          | here                     |
 * | Decline, a ride: Yes, decline the ride (booking, carrier)   | here                     |
 * | Book the same rides again (declined booking)                | here                     |
 * | Cancel booking: Yes, cancel the booking (booking)           | here                     |
 * | Start tracking (booking)                                    | web.test.ts              |
 * | Ride completed: Yes, the ride is completed (booking)        | here                     |
 * | Lodge declaration (booking)                                 | here                     |
 * | Amend declaration (booking)                                 | here                     |
 * | Issue with these particulars (documents)                    | here                     |
 * | Issue, a document (documents)                               | here                     |
 * | Subscribe, a webhook (shipment)                             | here                     |
 * | Remove, a webhook: Yes, remove it (shipment)                | here                     |
 * | Publish as new version, a rule set (customs desk, admin)    | here                     |
 * | Back-test on past declarations (customs desk: changes none) | here                     |
 * | Record arrival, and Undo (customs desk)                     | here                     |
 * | Documents checked (customs desk)                            | here                     |
 * | Record inspection (customs desk)                            | here                     |
 * | Release (customs desk)                                      | here                     |
 * | Request documents (customs desk)                            | here                     |
 * | Hold: Yes, hold the goods (customs desk)                    | here                     |
 * | Refuse: Yes, refuse (customs desk)                          | here                     |
 * | Check, a service file (services: changes nothing)           | here                     |
 * | Publish, a service file in JSON and in CSV (services)       | here                     |
 * | Send request (service desk)                                 | here                     |
 * | Make offer (service desk, provider)                         | here                     |
 * | Accept, an offer (service desk)                             | here                     |
 * | Decline, an offer: Yes, decline the offer (service desk)    | here                     |
 * | Withdraw: Yes, withdraw the request (service desk)          | here                     |
 * | Run simulation (council dashboard)                          | here                     |
 * | Disable (users)                                             | accounts.test.ts         |
 * | Enable (users)                                              | here                     |
 * | New password: Yes, give a new password (users)              | here                     |
 * | End session: Yes, end the session (users)                   | here                     |
 * | End all sessions: Yes, end them all (users)                 | here                     |
 * | Remove, a user: Yes, remove the user (users)                | here                     |
 *
 * The language choice is kept in the browser and changes nothing on the server.
 */

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
const run = browserAvailable();
const clock = manualClock();
const SHIPPER = 'Qingdao Haixing Machinery Export Co. (demo)';
const FORWARDER = 'SCODA Multimodal Forwarding Co. (demo)';
const ORGS: Record<string, [string, 'admin' | 'officer']> = {
  shipper: [SHIPPER, 'admin'],
  forwarder: [FORWARDER, 'admin'],
  council: ['Middle Corridor coordinating council', 'admin'],
  CN: ['General Administration of Customs of China', 'officer'],
  KZ: ['State Revenue Committee of Kazakhstan (customs)', 'officer'],
  AZ: ['State Customs Committee of Azerbaijan', 'officer'],
  'KZ admin': ['State Revenue Committee of Kazakhstan (customs)', 'admin'],
  'AZ admin': ['State Customs Committee of Azerbaijan', 'admin'],
};

let server: TestServer;
let base: string;
let browser: Browser;
const people: Record<string, { email: string; password: string }> = {};
const keys: Record<string, string> = {};
/** The demo carrier whose account confirms rides of each service (the first that operates it). */
const operatorOf: Record<string, string> = {};
const problems: PageProblems[] = [];

/** A write the page sent and its answer. */
interface Write {
  method: string;
  path: string;
  status: number;
  replayed: boolean;
  detail?: string;
}
const writes = new WeakMap<Page, Write[]>();

async function signedIn(who: string, how: 'click' | 'dblclick' = 'click'): Promise<Page> {
  const context = await browser.newContext({
    locale: 'en-GB',
    bypassCSP: true,
    viewport: { width: 1280, height: 900 },
  });
  await context.clock.install({ time: clock.now() });
  const page = await context.newPage();
  problems.push(watch(page));
  const log: Write[] = [];
  writes.set(page, log);
  page.on('response', (r) => {
    const method = r.request().method();
    if (method === 'GET') return;
    const entry: Write = {
      method,
      path: new URL(r.url()).pathname,
      status: r.status(),
      replayed: r.headers()['idempotent-replayed'] === 'true',
    };
    log.push(entry);
    // A refusal says why, in the test's failure.
    if (entry.status >= 400) void r.text().then((t) => (entry.detail = t));
  });
  await page.goto(base);
  await page.getByLabel('E-mail').fill(people[who]!.email);
  await page.getByLabel('Password').fill(people[who]!.password);
  await page.getByRole('button', { name: 'Sign in' })[how]();
  await page.getByRole('navigation').waitFor();
  return page;
}

/**
 * Runs `act` (the double-click) and checks that the server made one change: one write to a path
 * matching `path` answered without being a replay, and no write refused.
 */
async function once(page: Page, path: RegExp, act: () => Promise<unknown>): Promise<void> {
  const log = writes.get(page)!;
  log.length = 0;
  await act();
  await expect.poll(() => log.filter((w) => path.test(w.path)).length).toBeGreaterThan(0);
  // Time for a second request, had the second click sent one.
  await page.waitForTimeout(400);
  expect(log.filter((w) => w.status >= 400)).toEqual([]);
  const changes = log.filter((w) => path.test(w.path) && !w.replayed);
  expect(changes.map((w) => `${w.method} ${w.path}`)).toHaveLength(1);
}

/** Double-clicks a button that asks first, then double-clicks the question's yes. */
async function confirmTwice(page: Page, button: Locator, yes: string) {
  await button.dblclick();
  await page.getByRole('dialog').getByRole('button', { name: yes }).dblclick();
}

async function read<T>(who: string, path: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${keys[who]}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function write(who: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${keys[who]}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

interface BookingJson {
  id: string;
  state: string;
  containers: { type: string; count: number }[];
  rides: { serviceId: string; state: string }[];
}

/** The shipper plans Qingdao → Baku and books the first itinerary; the booking's id. */
async function book(page: Page): Promise<string> {
  await page.getByRole('link', { name: 'Planner' }).click();
  await page.getByTestId('plan-from').fill('Qingdao');
  await page.getByTestId('plan-to').fill('Baku');
  await page.getByTestId('plan-submit').click();
  const first = page.getByTestId('itinerary').first();
  await first.waitFor({ timeout: 30_000 });
  await first.getByRole('button', { name: 'Book this itinerary' }).click();
  await page.waitForURL(/\/bookings\/bkg_/);
  return page.url().split('/').at(-1)!;
}

const bookings = async () =>
  (await read<{ bookings: BookingJson[] }>('shipper', '/v1/bookings')).bookings;

let serial = 500;
/** A declaration lodged by the shipper through the API (lodging by form is tested below). */
async function lodge(lrn: string, hsCode: string): Promise<string> {
  const plan = (await write('shipper', 'POST', '/v1/plans', {
    from: 'Qingdao',
    to: 'Baku',
    // The day after the shared clock's today: a date the planner plans on whenever this runs.
    depart: new Date(clock.now().getTime() + 86_400_000).toISOString().slice(0, 10),
    containers: '1x40HC',
  })) as { planId: string; itineraries: { id: string; legs: { kind: string; to?: string }[] }[] };
  // The itinerary that leaves China at Khorgos, so Kazakhstan's office is Altynkol.
  const viaKhorgos =
    plan.itineraries.find((i) => i.legs.some((l) => l.kind === 'ride' && l.to === 'CN_KHORGOS')) ??
    plan.itineraries[0]!;
  const d = await write('shipper', 'POST', '/v1/customs/declarations', {
    lrn,
    planId: plan.planId,
    itineraryId: viaKhorgos.id,
    holder: { name: 'Qingdao Haixing', identificationNumber: 'CN913702000X', country: 'CN' },
    guarantee: { reference: 'GRN2026000010', amount: 90_000, currency: 'USD' },
    consignments: [
      {
        consignor: { name: 'Qingdao Haixing Machinery', country: 'CN' },
        consignee: { name: 'Baku Machinery LLC', country: 'AZ' },
        goodsItems: [
          {
            hsCode,
            description: 'Excavator parts',
            packages: { count: 20, kind: 'PK' },
            grossMassKg: 18_000,
            netMassKg: 17_500,
            value: 210_000,
            currency: 'USD',
            countryOfOrigin: 'CN',
          },
        ],
      },
    ],
    containers: [{ equipmentReference: containerNumber('TGHU', serial++), seals: ['CN77001'] }],
  });
  return d.mrn as string;
}

describe.skipIf(!run)('a double-click makes one change, on every button', () => {
  /** Booked, confirmed and tracked by the tests below, in order. */
  let bookingId = '';
  let shipmentId = '';
  let member = { id: '', email: 'planner@qingdao-haixing.example', password: '' };

  beforeAll(async () => {
    server = await testServer(undefined, clock, { webRoot: WEB_ROOT });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`;
    const { credentials } = await seedDemo(
      server.accounts,
      new PgDirectoryStore(server.database.db),
    );
    const organisations = await server.accounts.stores.organisations.list();
    const key = async (name: string) =>
      (
        await createApiKey(
          server.accounts,
          undefined,
          organisations.find((o) => o.name === name)!.id,
          { name: 'checks', role: 'admin' },
        )
      ).key;
    for (const [who, [name, role]] of Object.entries(ORGS)) {
      const c = credentials.find((x) => x.organisation === name && x.role === role)!;
      people[who] = { email: c.email, password: c.password };
      keys[who] = await key(name);
    }
    for (const o of organisations.filter((x) => x.kind === 'carrier')) {
      const c = credentials.find((x) => x.organisation === o.name && x.role === 'admin')!;
      people[o.name] = { email: c.email, password: c.password };
      keys[o.name] = await key(o.name);
      for (const id of o.services) operatorOf[id] ??= o.name;
    }
    const shipper = organisations.find((o) => o.name === SHIPPER)!;
    const created = await createUser(server.accounts, undefined, shipper.id, {
      email: member.email,
      name: 'Zhang Min',
      role: 'member',
    });
    member = { ...member, id: created.user.id, password: created.password! };
    people.member = { email: member.email, password: member.password };
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in and out once; plans once', async () => {
    const page = await signedIn('shipper', 'dblclick');
    const log = writes.get(page)!;
    expect(log.filter((w) => w.path === '/v1/auth/login' && !w.replayed)).toHaveLength(1);
    await page.getByRole('link', { name: 'Planner' }).click();
    await page.getByTestId('plan-from').fill('Qingdao');
    await page.getByTestId('plan-to').fill('Baku');
    await once(page, /^\/v1\/plans$/, () => page.getByTestId('plan-submit').dblclick());
    await page.getByTestId('itinerary').first().waitFor({ timeout: 30_000 });
    await once(page, /^\/v1\/auth\/logout$/, () =>
      page.getByRole('button', { name: 'Sign out' }).dblclick(),
    );
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.context().close();
  });

  it('amends a booking once, has each ride confirmed once, completes a ride once', async () => {
    const page = await signedIn('shipper');
    bookingId = await book(page);
    const amend = page.getByLabel('Change the containers');
    await amend.fill('2x40HC');
    await once(page, /\/amend$/, () =>
      page.getByRole('button', { name: 'Amend booking' }).dblclick(),
    );
    const amended = (await bookings()).find((b) => b.id === bookingId)!;
    expect(amended.containers.map((c) => [c.count, c.type])).toEqual([[2, '40HC']]);

    const { rides } = await read<BookingJson>('shipper', `/v1/bookings/${bookingId}`);
    for (const carrier of new Set(rides.map((r) => operatorOf[r.serviceId]!))) {
      const own = await signedIn(carrier);
      await own.goto(`${base}/bookings/${bookingId}`);
      await own.getByTestId('booking-state').waitFor();
      const n = await own.getByRole('button', { name: 'Confirm' }).count();
      for (let i = 0; i < n; i++) {
        await once(own, /\/rides\/\d+\/confirm$/, () =>
          own.getByRole('button', { name: 'Confirm' }).first().dblclick(),
        );
        await expect
          .poll(() => own.getByRole('button', { name: 'Confirm' }).count())
          .toBe(n - i - 1);
      }
      await own.context().close();
    }
    await page.reload();
    expect(await page.getByTestId('booking-state').getAttribute('data-state')).toBe('CONFIRMED');
    await page
      .getByLabel('Container numbers (ISO 6346), one per line')
      .fill(`${containerNumber('MSKU', 61)}\n${containerNumber('MSKU', 62)}`);
    await page.getByRole('button', { name: 'Start tracking' }).click();
    await page.waitForURL(/\/shipments\//);
    shipmentId = page.url().split('/').at(-1)!;
    await page.context().close();
  });

  it('subscribes a webhook once and removes it once', async () => {
    const page = await signedIn('shipper');
    await page.goto(`${base}/shipments/${shipmentId}`);
    await page.getByTestId('shipment-eta').waitFor();
    await page.getByLabel('Callback URL (HTTPS)').fill('https://127.0.0.1:9/dcsa/events');
    await once(page, /^\/v3\/event-subscriptions$/, () =>
      page.getByRole('button', { name: 'Subscribe' }).dblclick(),
    );
    const mine = async () =>
      (await read<{ shipmentID?: string }[]>('shipper', '/v3/event-subscriptions')).filter(
        (s) => s.shipmentID === shipmentId,
      ).length;
    expect(await mine()).toBe(1);
    await once(page, /^\/v3\/event-subscriptions\/.+/, () =>
      confirmTwice(page, page.getByRole('button', { name: 'Remove' }), 'Yes, remove it'),
    );
    expect(await mine()).toBe(0);
    await page.context().close();
  });

  it('lodges a declaration once, amends it once, issues each document once', async () => {
    const page = await signedIn('shipper');
    await page.goto(`${base}/bookings/${bookingId}`);
    const section = page.getByTestId('booking-declaration');
    await section.getByRole('button', { name: 'Lodge a declaration' }).click();
    const form = section.getByTestId('declaration-form');
    const holder = form.getByRole('group', { name: 'Holder of the transit procedure' });
    await holder.getByLabel('Name').fill('Qingdao Haixing Machinery Export Co.');
    await holder.getByLabel('Country (ISO code, e.g. CN)').fill('CN');
    await holder.getByLabel('Identification number (EORI, TIN)').fill('CN91370200MA3C1X2Y');
    const guarantee = form.getByRole('group', { name: 'Guarantee' });
    await guarantee.getByLabel('Guarantee reference (GRN)').fill('GRN2026000042');
    await guarantee.getByLabel('Amount').fill('95000');
    for (const [party, name, country] of [
      ['Consignor', 'Qingdao Haixing Machinery Export Co.', 'CN'],
      ['Consignee', 'Baku Machinery Trading LLC', 'AZ'],
    ] as const) {
      const group = form.getByRole('group', { name: party });
      await group.getByLabel('Name').fill(name);
      await group.getByLabel('Country (ISO code, e.g. CN)').fill(country);
    }
    const goods = form.getByRole('group', { name: 'Goods item 1' });
    await goods.getByLabel('HS code (6, 8 or 10 digits)').fill('847989');
    await goods.getByLabel('Description of goods').fill('Packaging machines');
    await goods.getByLabel('Number of packages').fill('6');
    await goods.getByLabel('Gross mass, kg').fill('18400');
    await goods.getByLabel('Net mass, kg').fill('17900');
    await goods.getByLabel('Value').fill('240000');
    await goods.getByLabel('Country of origin').fill('CN');
    const invoice = form.getByRole('group', { name: 'Document 1' });
    await invoice.getByLabel('Document type (e.g. N380 invoice)').fill('N380');
    await invoice.getByLabel('Reference').fill('INV-2026-0117');
    await once(page, /^\/v1\/customs\/declarations$/, () =>
      form.getByRole('button', { name: 'Lodge declaration' }).dblclick(),
    );
    const status = section.getByTestId('declaration-status');
    await status.waitFor();
    const mrn = /MRN (\w+)\./.exec((await status.textContent())!)![1]!;
    await section.getByRole('button', { name: 'Amend the declaration' }).click();
    await form.getByRole('group', { name: 'Goods item 1' }).getByLabel('Value').fill('250000');
    await once(page, /^\/v1\/customs\/declarations\/.+/, () =>
      form.getByRole('button', { name: 'Amend declaration' }).dblclick(),
    );
    await form.waitFor({ state: 'detached' });
    const { declarations } = await read<{ declarations: { mrn: string; version: number }[] }>(
      'shipper',
      '/v1/customs/declarations',
    );
    expect(declarations.filter((d) => d.mrn === mrn).map((d) => d.version)).toEqual([2]);

    await status.getByRole('link', { name: 'Documents' }).click();
    const entry = (kind: string) =>
      page.locator(`[data-testid=document-entry][data-kind=${kind}]`).first();
    const note = entry('rail_consignment_note');
    await note.waitFor();
    await note.getByRole('button', { name: 'Fill in particulars' }).click();
    const particulars = note.getByTestId('particulars-form');
    const consignor = particulars.getByRole('group', { name: 'Consignor' });
    await consignor.getByLabel('Name').fill('Qingdao Haixing Machinery Export Co.');
    await consignor.getByLabel('Country (ISO code, e.g. CN)').fill('CN');
    await consignor.getByLabel('Address').fill('18 Haier Road, Qingdao');
    const consignee = particulars.getByRole('group', { name: 'Consignee' });
    await consignee.getByLabel('Name').fill('Baku Machinery Trading LLC');
    await consignee.getByLabel('Country (ISO code, e.g. CN)').fill('AZ');
    const item = particulars.getByRole('group', { name: 'Goods item 1' });
    await item.getByLabel('HS code (6, 8 or 10 digits)').fill('847989');
    await item.getByLabel('Description of goods').fill('Packaging machines');
    await item.getByLabel('Number of packages').fill('6');
    await item.getByLabel('Gross mass, kg').fill('18400');
    await once(page, /\/documents$/, () =>
      particulars.getByRole('button', { name: 'Issue with these particulars' }).dblclick(),
    );
    await expect.poll(() => note.getAttribute('data-status')).toBe('issued');
    const tad = entry('transit_accompanying_document');
    await once(page, /\/documents$/, () =>
      tad.getByRole('button', { name: 'Issue', exact: true }).dblclick(),
    );
    await expect.poll(() => tad.getAttribute('data-status')).toBe('issued');
    const { documents } = await read<{
      documents: { kind: string; document?: { version: number } }[];
    }>('shipper', `/v1/shipments/${shipmentId}/documents`);
    for (const kind of ['rail_consignment_note', 'transit_accompanying_document'])
      expect(documents.find((d) => d.kind === kind)?.document?.version).toBe(1);
    await page.context().close();
  });

  it('reports a ride completed once', async () => {
    for (const context of browser.contexts()) await context.close();
    // A day on: the first ride has reached its last stop.
    clock.advance(24 * 3_600_000);
    const { rides } = await read<BookingJson>('shipper', `/v1/bookings/${bookingId}`);
    const page = await signedIn(operatorOf[rides[0]!.serviceId]!);
    await page.goto(`${base}/bookings/${bookingId}`);
    const ride = page.getByTestId('booking-ride').first();
    await once(page, /\/rides\/0\/complete$/, () =>
      confirmTwice(
        page,
        ride.getByRole('button', { name: 'Ride completed' }),
        'Yes, the ride is completed',
      ),
    );
    await expect.poll(() => ride.textContent()).toMatch(/Completed · completed/);
    await page.context().close();
  });

  it('declines a ride once, books the same rides again once, cancels a booking once', async () => {
    const page = await signedIn('shipper');
    const declined = await book(page);
    const { rides } = await read<BookingJson>('shipper', `/v1/bookings/${declined}`);
    const carrier = await signedIn(operatorOf[rides[0]!.serviceId]!);
    await carrier.goto(`${base}/bookings/${declined}`);
    await once(carrier, /\/rides\/0\/decline$/, () =>
      confirmTwice(
        carrier,
        carrier.getByRole('button', { name: 'Decline' }).first(),
        'Yes, decline the ride',
      ),
    );
    await expect
      .poll(() => carrier.getByTestId('booking-state').getAttribute('data-state'))
      .toBe('REJECTED');
    await carrier.context().close();

    const before = (await bookings()).length;
    await page.reload();
    await once(page, /^\/v1\/bookings$/, () =>
      page.getByRole('button', { name: 'Book the same rides again' }).dblclick(),
    );
    await page.waitForURL(
      (url) => /\/bookings\/bkg_/.test(url.pathname) && !url.pathname.endsWith(declined),
    );
    expect((await bookings()).length).toBe(before + 1);
    const again = page.url().split('/').at(-1)!;
    await page.getByTestId('booking-state').waitFor();
    await once(page, /\/cancel$/, () =>
      confirmTwice(
        page,
        page.getByRole('button', { name: 'Cancel booking' }),
        'Yes, cancel the booking',
      ),
    );
    await expect
      .poll(() => page.getByTestId('booking-state').getAttribute('data-state'))
      .toBe('CANCELLED');
    expect((await bookings()).find((b) => b.id === again)?.state).toBe('CANCELLED');
    await page.context().close();
  });

  it('publishes a rule set once; back-tests without a change', async () => {
    for (const [who, lane] of [
      ['KZ admin', 'yellow'],
      ['AZ admin', 'red'],
    ] as const) {
      const page = await signedIn(who);
      await page.getByRole('link', { name: 'Customs desk' }).click();
      await page.getByTestId('rule-version').waitFor();
      const rules = {
        rules: [
          {
            id: `machinery-${lane}`,
            description: `Machinery parts: ${lane}`,
            lane,
            probability: 1,
            when: { hsPrefixes: ['8431'] },
          },
        ],
      };
      await page.getByLabel('Rule set (JSON)').fill(JSON.stringify(rules, null, 2));
      await once(page, /\/backtest$/, () => page.getByTestId('backtest').dblclick());
      await once(page, /^\/v1\/customs\/rule-sets\/\w+$/, () =>
        page.getByRole('button', { name: 'Publish as new version' }).dblclick(),
      );
      await expect.poll(() => page.getByTestId('rule-version').textContent()).toMatch(/version 1/);
      const country = who.slice(0, 2);
      expect(
        (await read<{ version: number }>(who, `/v1/customs/rule-sets/${country}`)).version,
      ).toBe(1);
      await page.context().close();
    }
  });

  it('takes each customs decision once, in each lane', async () => {
    const machinery = await lodge('LRN-DBL-MACH', '843149');
    const other = await lodge('LRN-DBL-OTHER', '940360');
    const card = (page: Page, mrn: string) =>
      page.locator(`[data-testid=queue-item][data-mrn="${mrn}"]`);
    const segment = async (mrn: string, country: string) => {
      const { declarations } = await read<{
        declarations: { mrn: string; segments: { country: string; state: string }[] }[];
      }>('shipper', '/v1/customs/declarations');
      return declarations.find((d) => d.mrn === mrn)!.segments.find((s) => s.country === country)!
        .state;
    };
    const actions = /\/segments\/\w+\/actions$/;
    const decisions = async (who: string, office: string, mrn: string) =>
      (
        await read<{ decisions: { mrn: string; action: string; seq: number }[] }>(
          who,
          `/v1/customs/decisions?office=${office}`,
        )
      ).decisions
        .filter((d) => d.mrn === mrn)
        .sort((a, b) => a.seq - b.seq)
        .map((d) => d.action);
    const desk = async (who: string) => {
      const page = await signedIn(who);
      await page.getByRole('link', { name: 'Customs desk' }).click();
      return page;
    };

    // China, green: arrival releases; undone once; again; the other box held and refused.
    const cn = await desk('CN');
    const box = card(cn, machinery);
    await box.waitFor();
    await once(cn, actions, () => box.getByRole('button', { name: 'Record arrival' }).dblclick());
    await expect.poll(() => segment(machinery, 'CN')).toBe('released');
    await once(cn, actions, () =>
      cn.getByTestId('customs-done').getByRole('button', { name: 'Undo' }).dblclick(),
    );
    await expect.poll(() => segment(machinery, 'CN')).toBe('assessed');
    await box.getByRole('button', { name: 'Record arrival' }).click();
    await expect.poll(() => segment(machinery, 'CN')).toBe('released');
    const held = card(cn, other);
    await held.getByLabel('Note').fill('seal number differs from the declaration');
    await once(cn, actions, () =>
      held.getByRole('button', { name: 'Request documents' }).dblclick(),
    );
    await once(cn, actions, () =>
      confirmTwice(cn, held.getByRole('button', { name: 'Hold' }), 'Yes, hold the goods'),
    );
    await expect.poll(() => segment(other, 'CN')).toBe('held');
    await once(cn, actions, () =>
      confirmTwice(cn, held.getByRole('button', { name: 'Refuse', exact: true }), 'Yes, refuse'),
    );
    await expect.poll(() => segment(other, 'CN')).toBe('refused');
    await cn.context().close();

    // Kazakhstan, yellow: documents checked once, released once.
    const kz = await desk('KZ');
    const yellow = card(kz, machinery);
    await yellow.waitFor();
    expect(await yellow.locator('.lane').textContent()).toBe('Yellow');
    await once(kz, actions, () =>
      yellow.getByRole('button', { name: 'Record arrival' }).dblclick(),
    );
    await once(kz, actions, () =>
      yellow.getByRole('button', { name: 'Documents checked' }).dblclick(),
    );
    await once(kz, actions, () => yellow.getByRole('button', { name: 'Release' }).dblclick());
    await expect.poll(() => segment(machinery, 'KZ')).toBe('released');
    await kz.context().close();

    // Azerbaijan, red: inspection recorded once, released once.
    const az = await desk('AZ');
    const red = card(az, machinery);
    await red.waitFor();
    expect(await red.locator('.lane').textContent()).toBe('Red');
    await red.getByRole('button', { name: 'Record arrival' }).click();
    await once(az, actions, () =>
      red.getByRole('button', { name: 'Record inspection' }).dblclick(),
    );
    await once(az, actions, () => red.getByRole('button', { name: 'Release' }).dblclick());
    await expect.poll(() => segment(machinery, 'AZ')).toBe('released');
    await az.context().close();

    // Each office's decisions of the day: each decision once.
    expect(await decisions('CN', 'CNTAO001', machinery)).toEqual(['arrive', 'undo', 'arrive']);
    expect(await decisions('CN', 'CNTAO001', other)).toEqual([
      'request_documents',
      'hold',
      'refuse',
    ]);
    expect(await decisions('KZ', 'KZALT001', machinery)).toEqual([
      'arrive',
      'check_documents',
      'release',
    ]);
    expect(await decisions('AZ', 'AZBAK001', machinery)).toEqual([
      'arrive',
      'record_inspection',
      'release',
    ]);
  });

  it('checks and publishes a service file once, in JSON and in CSV', async () => {
    const serviceId = 'SVC_FEEDER_AKTAU_ALAT';
    const carrier = operatorOf[serviceId]!;
    const versions = async () =>
      (
        await read<{
          versions: { inForce: boolean; record: Record<string, unknown> }[];
        }>(carrier, `/v1/network/services/${serviceId}/versions`)
      ).versions;
    const record = (await versions()).find((v) => v.inForce)!.record as {
      stops: { node: string; runHours?: number }[];
    } & Record<string, unknown>;
    const before = (await versions()).length;
    // The carrier's file: the crossing an hour longer.
    const stops = record.stops.map((st, i) =>
      i === record.stops.length - 1 ? { ...st, runHours: (st.runHours ?? 0) + 1 } : st,
    );
    const page = await signedIn(carrier);
    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByLabel('File (JSON or CSV)').setInputFiles({
      name: 'services.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ services: [{ ...record, stops }] })),
    });
    await page.getByLabel('Takes effect on').fill(clock.now().toISOString().slice(0, 10));
    await once(page, /^\/v1\/network\/services$/, () =>
      page.getByRole('button', { name: 'Check', exact: true }).dblclick(),
    );
    expect((await versions()).length).toBe(before);
    await once(page, /^\/v1\/network\/services$/, () =>
      page.getByRole('button', { name: 'Publish', exact: true }).dblclick(),
    );
    await page.getByTestId('publication').getByRole('heading', { name: 'Published' }).waitFor();
    expect((await versions()).length).toBe(before + 1);
    await page.context().close();

    // A new service from CSV, by ASCO.
    const asco = 'ASCO (Azerbaijan Caspian Shipping)';
    const header =
      'service_id,name,operator,mode,corridor,valid_from,valid_to,departures,capacity_teu,sails_when_full,refuses_cargo,tariff,source,node,via,run_hours,dwell_hours,operations';
    const row = (node: string) =>
      `SVC_ASCO_RORO_ALAT_AKTAU,ASCO Ro-Ro Alat - Aktau,ASCO,ferry,middle,2026-11-01,2027-12-31,Tue 10:00;Fri 10:00,120,false,hazardous,42G1=900+0;22G1=600+0,ASCO timetable 2026,${node},,,,`;
    const csv = await signedIn(asco);
    await csv.getByRole('link', { name: 'Services' }).click();
    await csv.getByLabel('File (JSON or CSV)').setInputFiles({
      name: 'services.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([header, row('AZ_BAKU_PORT_ALAT'), row('KZ_AKTAU_PORT')].join('\n')),
    });
    await csv.getByLabel('Takes effect on').fill(clock.now().toISOString().slice(0, 10));
    await once(csv, /^\/v1\/network\/services\/csv$/, () =>
      csv.getByRole('button', { name: 'Check', exact: true }).dblclick(),
    );
    await once(csv, /^\/v1\/network\/services\/csv$/, () =>
      csv.getByRole('button', { name: 'Publish', exact: true }).dblclick(),
    );
    await csv.getByTestId('publication').getByRole('heading', { name: 'Published' }).waitFor();
    const made = await read<{ versions: unknown[] }>(
      asco,
      '/v1/network/services/SVC_ASCO_RORO_ALAT_AKTAU/versions',
    );
    expect(made.versions).toHaveLength(1);
    await csv.context().close();
  });

  it('sends a service request once; offers, accepts, declines and withdraws once each', async () => {
    const requests = async () =>
      (
        await read<{ requests: { id: string; state: string; description: string }[] }>(
          'shipper',
          '/v1/service-requests',
        )
      ).requests;
    const page = await signedIn('shipper');
    await page.getByRole('link', { name: 'Service desk' }).click();
    await page.getByTestId('directory-q').fill('SCODA Multimodal');
    await page.getByTestId('directory-q').press('Enter');
    const scoda = page.getByTestId('directory-result').filter({ hasText: FORWARDER });
    const ask = async (description: string) => {
      await scoda.getByRole('button', { name: 'Request a service' }).click();
      await scoda.getByLabel('What you need').fill(description);
      await once(page, /^\/v1\/service-requests$/, () =>
        scoda.getByRole('button', { name: 'Send request' }).dblclick(),
      );
    };
    for (const d of ['Two boxes Aktau to Alat', 'Stuffing at Khorgos', 'Customs broker at Alat'])
      await ask(d);
    const mine = (await requests()).filter((r) =>
      ['Two boxes Aktau to Alat', 'Stuffing at Khorgos', 'Customs broker at Alat'].includes(
        r.description,
      ),
    );
    expect(mine.map((r) => r.state)).toEqual(['requested', 'requested', 'requested']);

    const provider = await signedIn('forwarder');
    await provider.getByRole('link', { name: 'Service desk' }).click();
    for (const d of ['Two boxes Aktau to Alat', 'Stuffing at Khorgos']) {
      const item = provider.locator('.queue > li').filter({ hasText: d });
      await item.getByLabel('Terms').fill('door to door, 10 days');
      await once(provider, /\/actions$/, () =>
        item.getByRole('button', { name: 'Make offer' }).dblclick(),
      );
    }
    await provider.context().close();

    await page.reload();
    const item = (d: string) => page.locator('.queue > li').filter({ hasText: d });
    await once(page, /\/actions$/, () =>
      item('Two boxes Aktau to Alat')
        .getByRole('button', { name: 'Accept', exact: true })
        .dblclick(),
    );
    await once(page, /\/actions$/, () =>
      confirmTwice(
        page,
        item('Stuffing at Khorgos').getByRole('button', { name: 'Decline' }),
        'Yes, decline the offer',
      ),
    );
    await once(page, /\/actions$/, () =>
      confirmTwice(
        page,
        item('Customs broker at Alat').getByRole('button', { name: 'Withdraw' }),
        'Yes, withdraw the request',
      ),
    );
    const states = Object.fromEntries((await requests()).map((r) => [r.description, r.state]));
    expect([
      states['Two boxes Aktau to Alat'],
      states['Stuffing at Khorgos'],
      states['Customs broker at Alat'],
    ]).toEqual(['accepted', 'declined', 'withdrawn']);
    await page.context().close();
  });

  it('runs a simulation once', async () => {
    const runs = async () =>
      (await read<{ simulations: unknown[] }>('council', '/v1/simulations')).simulations.length;
    const before = await runs();
    const page = await signedIn('council');
    await page.getByRole('link', { name: 'Council dashboard' }).click();
    await page.getByTestId('sim-scenario').selectOption('base.json');
    await page.getByLabel('Days', { exact: true }).fill('30');
    await page.getByLabel('Runs', { exact: true }).fill('1');
    await once(page, /^\/v1\/simulations$/, () => page.getByTestId('sim-run').dblclick());
    expect(await runs()).toBe(before + 1);
    await page.context().close();
  });

  it("enables a user, gives a new password, ends a user's sessions and removes the user once each", async () => {
    const audit = async (action: string) =>
      (
        await read<{ entries: { action: string; target: string }[] }>('shipper', '/v1/audit')
      ).entries.filter((e) => e.action === action && e.target === member.id).length;
    const page = await signedIn('shipper');
    await page.getByRole('link', { name: 'Users' }).click();
    const row = page.locator(`[data-testid="user"][data-email="${member.email}"]`);
    await row.getByRole('button', { name: 'Disable', exact: true }).click();
    await row.getByRole('button', { name: 'Enable', exact: true }).waitFor();
    await once(page, /\/users\/[^/]+$/, () =>
      row.getByRole('button', { name: 'Enable', exact: true }).dblclick(),
    );
    await expect.poll(() => row.getByTestId('user-status').textContent()).toBe('Active');
    expect(await audit('user.enable')).toBe(1);

    await once(page, /\/password$/, () =>
      confirmTwice(
        page,
        row.getByRole('button', { name: 'New password', exact: true }),
        'Yes, give a new password',
      ),
    );
    await row.getByTestId('new-password').waitFor();
    expect(await audit('user.reset_password')).toBe(1);
    people.member!.password = (await row.getByTestId('password').textContent())!;
    // Three sessions of the member, each browser closed (its session lives on).
    for (let i = 0; i < 3; i++) await (await signedIn('member')).context().close();

    await row.getByRole('button', { name: 'Sessions', exact: true }).click();
    const sessions = row.getByTestId('sessions');
    await expect.poll(() => sessions.getByTestId('session').count()).toBe(3);
    await once(page, /\/sessions\/[^/]+$/, () =>
      confirmTwice(
        page,
        sessions.getByRole('button', { name: 'End session' }).first(),
        'Yes, end the session',
      ),
    );
    await expect.poll(() => sessions.getByTestId('session').count()).toBe(2);
    await once(page, /\/sessions$/, () =>
      confirmTwice(
        page,
        sessions.getByRole('button', { name: 'End all sessions' }),
        'Yes, end them all',
      ),
    );
    await sessions.getByText('Not signed in anywhere.').waitFor();
    expect(await audit('user.end_sessions')).toBe(2);

    await once(page, /\/users\/[^/]+$/, () =>
      confirmTwice(
        page,
        row.getByRole('button', { name: 'Remove', exact: true }),
        'Yes, remove the user',
      ),
    );
    await expect.poll(() => row.count()).toBe(0);
    expect(await audit('user.remove')).toBe(1);
    await page.context().close();
  });

  it('had no console error and no failed request', () => {
    expect({
      console: problems.flatMap((p) => p.console),
      requests: problems.flatMap((p) => p.requests),
    }).toEqual({ console: [], requests: [] });
  });
});
