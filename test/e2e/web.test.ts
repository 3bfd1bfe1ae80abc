import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import {
  browserAvailable,
  launchBrowser,
  seriousViolations,
  watch,
  type PageProblems,
} from '../support/browser.ts';
import { containerNumber } from '../support/containers.ts';
import { manualClock, TEST_NOW } from '../support/clock.ts';
import { seedDemo } from '../../src/app/seed-demo.ts';
import { PgDirectoryStore } from '../../src/store/directory.store.ts';
import { testServer, type TestServer } from '../support/server.ts';

/**
 * The web app in Debian's chromium against the real server on a fresh database with the demo's
 * organisations and the accounts first start prints: each role's main flow through the pages a
 * person would use (each ride confirmed by its own carrier), with no console error, no failed request and no
 * serious accessibility violation on any page; screenshots for the README.
 */

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
/** The README's screenshots with UPDATE_SCREENSHOTS=1 (npm run screenshots:update), else reports/. */
const SCREENSHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS ? '../../docs/screenshots' : '../../reports/screenshots',
    import.meta.url,
  ),
);
const REPORTS = fileURLToPath(new URL('../../reports', import.meta.url));
const run = browserAvailable();

interface Person {
  email: string;
  password: string;
}

let server: TestServer;
let base: string;
let browser: Browser;
const people: Record<string, Person> = {};
const keys: Record<string, string> = {};
const problems: PageProblems[] = [];
const a11y: Record<string, string[]> = {};
let bookingId = '';
/** The demo carrier whose account confirms rides of each service (the first that operates it). */
const operatorOf: Record<string, string> = {};

/**
 * The server runs on a clock the test holds (TEST_NOW); each page's clock starts at the server's
 * instant and runs on, so that "today" and "tomorrow" mean the same on both sides on any day the
 * test runs. The browser's cookie store keeps the machine's real clock: a session must not depend
 * on the two agreeing.
 */
const clock = manualClock();

async function browserContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'en-GB', bypassCSP: true, ...options });
  await context.clock.install({ time: clock.now() });
  return context;
}

async function signIn(page: Page, who: string) {
  await page.goto(base);
  await page.getByLabel('E-mail').fill(people[who]!.email);
  await page.getByLabel('Password').fill(people[who]!.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signed in: the navigation is there (on a phone, behind the menu button).
  await page.locator('nav.nav').waitFor({ state: 'attached' });
}

async function signedIn(who: string, viewport = { width: 1280, height: 800 }) {
  const context = await browserContext({ viewport });
  const page = await context.newPage();
  problems.push(watch(page));
  await signIn(page, who);
  return page;
}

async function check(page: Page, name: string, fullPage = false) {
  await page.waitForLoadState('networkidle');
  a11y[name] = await seriousViolations(page);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage });
}

const api = async (who: string, method: string, path: string, body?: unknown) => {
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
};

describe.skipIf(!run)('the web app in a browser', () => {
  beforeAll(async () => {
    server = await testServer(undefined, clock, { webRoot: WEB_ROOT });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const address = server.app.server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
    // The demo's own organisations, with the accounts first start prints, and its traffic.
    const { credentials } = await seedDemo(
      server.accounts,
      new PgDirectoryStore(server.database.db),
      server,
    );
    const organisations = await server.accounts.stores.organisations.list();
    const roles = {
      shipper: ['Qingdao Haixing Machinery Export Co. (demo)', 'admin'],
      customs: ['General Administration of Customs of China', 'officer'],
      council: ['Middle Corridor coordinating council', 'admin'],
      carrier: ['Georgian Railway', 'admin'],
      ...Object.fromEntries(
        organisations.filter((o) => o.kind === 'carrier').map((o) => [o.name, [o.name, 'admin']]),
      ),
    } as Record<string, [string, string]>;
    for (const [who, [name, role]] of Object.entries(roles)) {
      const c = credentials.find((x) => x.organisation === name && x.role === role)!;
      people[who] = { email: c.email, password: c.password };
      const org = organisations.find((o) => o.name === name)!;
      keys[who] = (
        await createApiKey(server.accounts, undefined, org.id, { name: 'setup', role: 'admin' })
      ).key;
      if (org.kind === 'carrier') for (const id of org.services) operatorOf[id] ??= org.name;
    }
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('greets a visitor with the sign-in page and refuses a wrong password in words', async () => {
    const context = await browserContext();
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(base);
    await check(page, 'sign-in');
    await page.getByLabel('E-mail').fill(people.shipper!.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/Sign-in failed/);
    expect(await page.getByRole('navigation').count()).toBe(0);
    // The refused sign-in is the one failed request this page may show.
    expect(seen.requests).toEqual([expect.stringMatching(/POST .*\/v1\/auth\/login: 401/)]);
    await context.close();
  });

  it('opens the council dashboard on KPI charts with data and the customs desk on a queue of cards', async () => {
    const council = await signedIn('council');
    await council.getByRole('link', { name: 'Council dashboard' }).click();
    const kpis = council.locator('.charts').first();
    await kpis.locator('figure').first().waitFor();
    // Each KPI chart of the demo's past weeks has bars: volumes, transit, dwell, border times.
    const bars: [string | null, number][] = [];
    for (const figure of await kpis.locator('figure').all())
      bars.push([
        await figure.locator('figcaption').textContent(),
        await figure.locator('rect').count(),
      ]);
    expect(bars.length).toBeGreaterThanOrEqual(4);
    // No chart without bars (each named by its title).
    expect(bars.filter(([, n]) => n === 0)).toEqual([]);
    expect(await council.locator('.kpi-cards').textContent()).not.toMatch(/n = 0/);
    await check(council, 'council-kpis', true);
    await council.context().close();

    const officer = await signedIn('customs');
    await officer.getByRole('link', { name: 'Customs desk' }).click();
    // Khorgos, where the Qingdao → Baku trains leave China.
    const khorgos = await officer
      .getByRole('combobox', { name: /^Office/ })
      .locator('option', { hasText: 'Khorgos' })
      .getAttribute('value');
    await officer.getByRole('combobox', { name: /^Office/ }).selectOption(khorgos!);
    await officer.getByTestId('queue-item').first().waitFor();
    expect(await officer.getByTestId('queue-item').count()).toBeGreaterThan(0);
    await check(officer, 'customs-desk');
    await officer.context().close();
  });

  it('lets a shipper plan Qingdao → Baku and book', async () => {
    const page = await signedIn('shipper');
    // How soon the planner is usable after navigation (reported by npm run bench).
    await page.goto(`${base}/planner`, { waitUntil: 'commit' });
    await page.waitForFunction(
      `document.querySelectorAll('#places option').length > 0 &&
       !document.querySelector('[data-testid=plan-submit]')?.disabled`,
    );
    const usableMs = await page.evaluate<number>('performance.now()');
    mkdirSync(REPORTS, { recursive: true });
    writeFileSync(`${REPORTS}/planner-usable.json`, JSON.stringify({ usableMs }));
    // Ready today, the browser's own date (TEST_NOW), not tomorrow.
    expect(await page.getByLabel('Ready on').inputValue()).toBe(TEST_NOW.slice(0, 10));
    await page.getByTestId('plan-from').fill('Qingdao');
    await page.getByTestId('plan-to').fill('Baku');
    await page.getByTestId('plan-submit').click();
    const first = page.getByTestId('itinerary').first();
    await first.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('map-route').locator('line').count())
      .toBeGreaterThan(0);
    expect(await page.getByRole('table').first().textContent()).toMatch(/Middle Corridor/);
    await check(page, 'planner');
    const bookingsOf = async () =>
      ((await api('shipper', 'GET', '/v1/bookings')) as { bookings: { id: string }[] }).bookings;
    const before = await bookingsOf();
    // A double-click books once.
    await first.getByRole('button', { name: 'Book this itinerary' }).dblclick();
    await page.waitForURL(/\/bookings\/bkg_/);
    bookingId = page.url().split('/').at(-1)!;
    expect(await page.getByTestId('booking-state').getAttribute('data-state')).toBe('RECEIVED');
    await page.waitForLoadState('networkidle');
    const after = await bookingsOf();
    expect(after.map((b) => b.id).filter((id) => !before.some((b) => b.id === id))).toEqual([
      bookingId,
    ]);
    await check(page, 'booking');
  });

  it('lets each ride be confirmed by its own carrier, with its demo account', async () => {
    const { rides } = (await api('shipper', 'GET', `/v1/bookings/${bookingId}`)) as {
      rides: { serviceId: string }[];
    };
    const carriers = [...new Set(rides.map((r) => operatorOf[r.serviceId]!))];
    expect(carriers.length).toBeGreaterThan(1);
    for (const [k, carrier] of carriers.entries()) {
      const page = await signedIn(carrier);
      await page.getByRole('link', { name: 'Bookings' }).click();
      await page.getByTestId('carrier-queue').locator(`a[title="${bookingId}"]`).click();
      await page.getByTestId('booking-state').waitFor();
      if (k === 0) await check(page, 'carrier-booking');
      const confirms = page.getByRole('button', { name: 'Confirm' });
      const n = await confirms.count();
      // Its own rides only: one Confirm per ride of its services.
      expect({ carrier, n }).toEqual({
        carrier,
        n: rides.filter((r) => operatorOf[r.serviceId] === carrier).length,
      });
      for (let i = 0; i < n; i++) {
        await page.getByRole('button', { name: 'Confirm' }).first().click();
        await expect
          .poll(() => page.getByRole('button', { name: 'Confirm' }).count())
          .toBe(n - i - 1);
      }
      if (k === carriers.length - 1)
        await expect
          .poll(() => page.getByTestId('booking-state').getAttribute('data-state'))
          .toBe('CONFIRMED');
      await page.context().close();
    }
  });

  it('lets the shipper start tracking the confirmed booking and see the shipment', async () => {
    const page = await signedIn('shipper');
    await page.getByRole('link', { name: 'Bookings' }).click();
    await page.locator(`a[title="${bookingId}"]`).first().click();
    expect(await page.getByTestId('booking-state').getAttribute('data-state')).toBe('CONFIRMED');
    const container = containerNumber('MSKU', 1);
    await page.getByLabel('Container numbers (ISO 6346), one per line').fill(container);
    // A double-click starts one shipment.
    await page.getByRole('button', { name: 'Start tracking' }).dblclick();
    await page.waitForURL(/\/shipments\//);
    await page.getByTestId('shipment-status').waitFor();
    expect(await page.getByTestId('shipment-status').textContent()).toBe('Planned');
    expect(await page.getByTestId('shipment-eta').textContent()).toMatch(/2026|2027/);
    await page.getByTestId('map-position').waitFor();
    await check(page, 'shipment');
    const shipmentsOf = async () =>
      (
        (await api('shipper', 'GET', '/v1/shipments')) as {
          shipments: { id: string; bookingId: string | null }[];
        }
      ).shipments.filter((x) => x.bookingId === bookingId);
    expect((await shipmentsOf()).map((x) => x.id)).toEqual([page.url().split('/').at(-1)]);
    // Once more on purpose, the same container: refused in words, and still one shipment.
    await page.goto(`${base}/bookings/${bookingId}`);
    await page.getByLabel('Container numbers (ISO 6346), one per line').fill(container);
    await page.getByRole('button', { name: 'Start tracking' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain(
      `Container ${container} is already in a shipment under way`,
    );
    expect(page.url()).toMatch(/\/bookings\/bkg_/);
    expect(await shipmentsOf()).toHaveLength(1);
    // That refusal is the one failed request this page may show.
    const seen = problems.at(-1)!;
    expect(seen.requests).toEqual([expect.stringMatching(/POST .*\/v1\/shipments: 409/)]);
    seen.requests.length = 0;
    seen.console.length = 0;
  });

  it('keeps the confirmed booking confirmed while its amendment waits, until each carrier accepts it', async () => {
    const { containers, rides } = (await api('shipper', 'GET', `/v1/bookings/${bookingId}`)) as {
      containers: { type: string; count: number }[];
      rides: { serviceId: string }[];
    };
    const more = `${containers[0]!.count + 1}x${containers[0]!.type}`;
    const page = await signedIn('shipper');
    await page.goto(`${base}/bookings/${bookingId}`);
    await page.getByTestId('booking-state').waitFor();
    await page.getByLabel('Change the containers').fill(more);
    await page.getByRole('button', { name: 'Amend booking' }).click();
    await page.getByTestId('booking-amendment').waitFor();
    expect(await page.getByTestId('booking-state').getAttribute('data-state')).toBe('CONFIRMED');
    expect(await page.getByTestId('amendment-status').textContent()).toBe(
      'Amendment awaiting the carriers',
    );
    for (const carrier of new Set(rides.map((r) => operatorOf[r.serviceId]!))) {
      const own = await signedIn(carrier);
      await own.getByRole('link', { name: 'Bookings' }).click();
      const item = own
        .getByTestId('carrier-queue')
        .locator('li', { has: own.locator(`a[title="${bookingId}"]`) });
      expect(await item.getAttribute('data-decide')).toBe('amendment');
      await item.locator(`a[title="${bookingId}"]`).click();
      await own.getByTestId('booking-amendment').waitFor();
      const accept = own.getByRole('button', { name: 'Accept amendment' });
      const n = await accept.count();
      expect(n).toBeGreaterThan(0);
      for (let i = 0; i < n; i++) {
        await accept.first().click();
        await expect.poll(() => accept.count()).toBe(n - i - 1);
      }
      await own.context().close();
    }
    await page.reload();
    await page.getByTestId('booking-amendment').waitFor();
    expect(await page.getByTestId('amendment-status').getAttribute('data-state')).toBe(
      'AMENDMENT_CONFIRMED',
    );
    expect(await page.getByTestId('booking-state').getAttribute('data-state')).toBe('CONFIRMED');
    const after = (await api('shipper', 'GET', `/v1/bookings/${bookingId}`)) as {
      containers: { count: number }[];
    };
    expect(after.containers[0]!.count).toBe(containers[0]!.count + 1);
    await page.context().close();
  });

  it('asks before cancelling a booking, and keeps it when told to go back', async () => {
    const plan = await api('shipper', 'POST', '/v1/plans', {
      from: 'Qingdao',
      to: 'Baku',
      containers: '1x40HC',
    });
    const itineraries = plan.itineraries as { id: string }[];
    const booking = await api('shipper', 'POST', '/v1/bookings', {
      planId: plan.planId,
      itineraryId: itineraries[0]!.id,
    });
    const page = await signedIn('shipper');
    await page.goto(`${base}/bookings/${booking.id as string}`);
    const state = page.getByTestId('booking-state');
    await state.waitFor();
    await page.getByRole('button', { name: 'Cancel booking' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`Cancel booking ${booking.id as string}?`);
    await check(page, 'cancel-booking');
    await dialog.getByRole('button', { name: 'Go back' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForLoadState('networkidle');
    expect(await state.getAttribute('data-state')).toBe('RECEIVED');
    await page.getByRole('button', { name: 'Cancel booking' }).click();
    await dialog.getByRole('button', { name: 'Yes, cancel the booking' }).click();
    await expect.poll(() => state.getAttribute('data-state')).toBe('CANCELLED');
    expect((await api('shipper', 'GET', `/v1/bookings/${booking.id as string}`)).state).toBe(
      'CANCELLED',
    );
    await page.context().close();
  });

  it('lets a ride’s carrier ask the shipper to update a booking, with its reason', async () => {
    const plan = await api('shipper', 'POST', '/v1/plans', {
      from: 'Qingdao',
      to: 'Baku',
      containers: '1x40HC',
    });
    const itineraries = plan.itineraries as { id: string }[];
    const booking = (await api('shipper', 'POST', '/v1/bookings', {
      planId: plan.planId,
      itineraryId: itineraries[0]!.id,
    })) as { id: string; rides: { serviceId: string; state: string }[] };
    const ride = booking.rides.find((r) => r.state === 'REQUESTED')!;
    const carrier = await signedIn(operatorOf[ride.serviceId]!);
    await carrier.goto(`${base}/bookings/${booking.id}`);
    await carrier.getByLabel('What should change').fill('one more box fits this departure');
    await carrier.getByRole('button', { name: 'Ask for an update' }).click();
    const state = carrier.getByTestId('booking-state');
    await expect.poll(() => state.getAttribute('data-state')).toBe('PENDING_UPDATE');
    await carrier.context().close();
    const page = await signedIn('shipper');
    await page.goto(`${base}/bookings/${booking.id}`);
    expect(await page.getByTestId('booking-state').textContent()).toBe('Changes requested');
    expect(await page.getByTestId('booking-reason').textContent()).toContain(
      'one more box fits this departure',
    );
    await page.context().close();
  });

  it('lets a customs officer release a green-lane declaration and inspect a red-lane one', async () => {
    await api('customs', 'PUT', '/v1/customs/rule-sets/CN', {
      rules: [
        {
          id: 'phones-cheap',
          description: 'Phones under 100 USD/kg',
          lane: 'red',
          probability: 1,
          share: true,
          when: { hsPrefixes: ['8517'], valuePerKg: { currency: 'USD', min: 100 } },
        },
      ],
    });
    const lodge = async (lrn: string, serial: number, value: number) => {
      const shipment = await api('shipper', 'POST', '/v1/shipments', {
        rides: [
          {
            tripId: 'SVC_XIAN_BAKU_BLOCK@2026-12-04T1200',
            from: 'CN_XIAN_ITL',
            to: 'KZ_AKTAU_PORT',
          },
        ],
        containers: [{ equipmentReference: containerNumber('TGHU', serial) }],
      });
      const d = await api('shipper', 'POST', '/v1/customs/declarations', {
        lrn,
        shipmentId: shipment.id,
        holder: { name: 'Xian Exporter', identificationNumber: 'CN91610000X', country: 'CN' },
        guarantee: { reference: 'GRN2026000001', amount: 120_000, currency: 'USD' },
        consignments: [
          {
            consignor: { name: 'Xian Electronics Co', country: 'CN' },
            consignee: { name: 'Baku Trading LLC', country: 'AZ' },
            goodsItems: [
              {
                hsCode: '851712',
                description: 'Mobile phones',
                packages: { count: 400, kind: 'CT' },
                grossMassKg: 4200,
                netMassKg: 4000,
                value,
                currency: 'USD',
                countryOfOrigin: 'CN',
              },
            ],
          },
        ],
        documents: [{ type: 'N380', reference: 'INV-2026-0042' }],
      });
      return d.mrn as string;
    };
    const green = await lodge('LRN-GREEN', 11, 800_000);
    const red = await lodge('LRN-RED', 12, 40_000);
    const page = await signedIn('customs');
    await page.getByRole('link', { name: 'Customs desk' }).click();
    await page.getByRole('combobox', { name: /^Office/ }).selectOption('CNHRS001');
    const item = (mrn: string) => page.locator(`[data-testid=queue-item][data-mrn="${mrn}"]`);
    await item(green).waitFor();
    expect(await item(green).locator('.lane').textContent()).toBe('Green');
    expect(await item(red).locator('.lane').textContent()).toBe('Red');
    expect(await item(red).getByTestId('reasons').textContent()).toMatch(
      /Phones under 100 USD\/kg → Red/,
    );
    await check(page, 'customs');
    // A green-lane box is released as it arrives; a red-lane one waits for its inspection.
    const stateOf = async (mrn: string) => {
      const { declarations } = (await api('shipper', 'GET', '/v1/customs/declarations')) as {
        declarations: { mrn: string; segments: { country: string; state: string }[] }[];
      };
      return declarations.find((d) => d.mrn === mrn)!.segments.find((x) => x.country === 'CN')!
        .state;
    };
    await item(green).getByRole('button', { name: 'Record arrival' }).click();
    // Released, it leaves the office's queue.
    await expect.poll(() => item(green).count()).toBe(0);
    expect(await stateOf(green)).toBe('released');
    await item(red).getByRole('button', { name: 'Record arrival' }).click();
    await item(red).getByRole('button', { name: 'Record inspection' }).click();
    await item(red).getByRole('button', { name: 'Release' }).waitFor();
    await item(red).getByRole('button', { name: 'Release' }).click();
    await expect.poll(() => item(red).count()).toBe(0);
    expect(await stateOf(red)).toBe('released');
    // The rule set in force, back-tested on the declarations just decided.
    await page.getByTestId('backtest').click();
    const result = page.getByTestId('backtest-result');
    await result.waitFor();
    expect(await result.locator('tbody tr').first().textContent()).toMatch(/phones-cheap/);
    await check(page, 'customs-rules', true);
  });

  it('lets the council run a simulation and see its charts', async () => {
    const page = await signedIn('council');
    await page.getByRole('link', { name: 'Council dashboard' }).click();
    await page.getByText('On time').waitFor();
    await page.getByTestId('sim-scenario').selectOption('base.json');
    await page.getByTestId('sim-compare').selectOption('seventh-feeder.json');
    await page.getByLabel('Days', { exact: true }).fill('60');
    await page.getByLabel('Runs', { exact: true }).fill('2');
    // A change naming a resource the scenario lacks is refused with the field named.
    await page
      .getByTestId('sim-changes')
      .fill('[{ "op": "add_vessels", "resource": "NO_SUCH_FLEET", "count": 1 }]');
    await page.getByTestId('sim-run').click();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('main').textContent()).toMatch(/scenario › changes 1/);
    // That refusal is the one failed request this page may show.
    const seen = problems.at(-1)!;
    expect(seen.requests).toEqual([expect.stringMatching(/POST .*\/v1\/simulations: 400/)]);
    seen.requests.length = 0;
    seen.console.length = 0;
    await page
      .getByTestId('sim-changes')
      .fill('[{ "op": "add_vessels", "resource": "CASPIAN_FEEDERS", "count": 1 }]');
    await page.getByTestId('sim-run').click();
    await page.getByTestId('sim-charts').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('sim-charts').textContent()).toMatch(/\(changed\)/);
    expect(await page.getByTestId('sim-charts').locator('figure').count()).toBeGreaterThan(2);
    await check(page, 'council', true);
  });

  it('switches language to 中文 and Русский and remembers the choice', async () => {
    const page = await signedIn('shipper');
    await page.getByTestId('language').selectOption('zh');
    await page.getByRole('link', { name: '线路规划' }).click();
    await page.getByRole('heading', { name: '门到门规划' }).waitFor();
    await check(page, 'planner-zh');
    await page.getByTestId('language').selectOption('ru');
    await page.getByRole('link', { name: 'Планировщик' }).waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'Отправки' }).click();
    await page.getByRole('heading', { name: 'Отправки' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    await check(page, 'shipments-ru');
  });

  it('works on a 390-px-wide phone screen without sideways scrolling', async () => {
    const page = await signedIn('shipper', { width: 390, height: 844 });
    // On a phone the navigation opens from the header's menu button.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Planner' }).click();
    await page.getByTestId('plan-submit').click();
    await page.getByTestId('itinerary').first().waitFor({ timeout: 30_000 });
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await check(page, 'planner-phone');
  });

  it('lets the carrier check and publish a new service from a CSV file', async () => {
    const page = await signedIn('carrier');
    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('heading', { name: 'Services', level: 1 }).waitFor();
    const csv = [
      'service_id,name,operator,mode,corridor,valid_from,valid_to,departures,capacity_teu,sails_when_full,refuses_cargo,tariff,source,node,via,run_hours,dwell_hours,operations',
      'SVC_WEB_POTI_BATUMI,Poti - Batumi shuttle,Georgian Railway,rail,,2026-11-01,2027-12-31,Mon 08:00;Thu 08:00,40,false,,42G1=300+0.5,Georgian Railway plan 2026,GE_POTI_PORT,,,,',
      'SVC_WEB_POTI_BATUMI,,,,,,,,,,,,,GE_BATUMI_PORT,,,,',
    ].join('\n');
    await page.getByLabel('File (JSON or CSV)').setInputFiles({
      name: 'shuttle.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByTestId('publication').getByText('Valid: nothing published yet').waitFor();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByTestId('publication').getByRole('heading', { name: 'Published' }).waitFor();
    expect(await page.getByTestId('publication').textContent()).toContain(
      'SVC_WEB_POTI_BATUMI — version 1 (new)',
    );
    await check(page, 'services');
    const versions = await fetch(`${base}/v1/network/services/SVC_WEB_POTI_BATUMI/versions`);
    expect(versions.status).toBe(200);
  });

  it('shows the shipper every page of its navigation: map, shipments, documents, service desk', async () => {
    const page = await signedIn('shipper');
    for (const [link, name] of [
      ['Map', 'map'],
      ['Shipments', 'shipments'],
      ['Documents', 'documents'],
      ['Service desk', 'directory'],
      ['Bookings', 'bookings'],
    ] as const) {
      await page.getByRole('link', { name: link }).click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      if (name === 'map') await page.getByTestId('corridor-map').waitFor();
      await check(page, name);
    }
    // The customs desk and the council dashboard are not the shipper's.
    expect(await page.getByRole('link', { name: 'Customs desk' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Council dashboard' }).count()).toBe(0);
  });

  it('says in words, next to the itinerary booked, which ride could not be booked', async () => {
    // The pages of the earlier tests would see their sessions end on the moved server clock.
    for (const context of browser.contexts()) await context.close();
    const start = clock.now().getTime();
    try {
      // Plan at 20:00 UTC, two hours before the Qingdao port shuttle's 06:00 (Qingdao time)...
      clock.advance(Date.parse(`${TEST_NOW.slice(0, 10)}T20:00:00Z`) - start);
      const context = await browserContext();
      const page = await context.newPage();
      const seen = watch(page);
      await signIn(page, 'shipper');
      await page.getByRole('link', { name: 'Planner' }).click();
      await page.getByTestId('plan-from').fill('Qingdao');
      await page.getByTestId('plan-to').fill('Baku');
      await page.getByTestId('plan-submit').click();
      const first = page.getByTestId('itinerary').first();
      await first.waitFor({ timeout: 30_000 });
      // ...and book it after the shuttle has left.
      clock.advance(3 * 3_600_000);
      await first.getByRole('button', { name: 'Book this itinerary' }).click();
      const refusal = first.getByTestId('booking-refusal');
      await refusal.waitFor();
      expect(await refusal.textContent()).toMatch(
        /^This itinerary could not be booked\.Ride 1, Port of Qingdao .+ → SCODA .+: this departure has already leftChoose another itinerary, or plan again\.$/,
      );
      expect(await refusal.textContent()).not.toMatch(/SVC_|body\.|CN_/);
      expect(page.url()).toMatch(/\/planner$/);
      // Only the refusal itself failed.
      expect(seen.requests).toEqual([expect.stringMatching(/POST .*\/v1\/bookings: 400/)]);
      await context.close();
    } finally {
      clock.advance(start - clock.now().getTime());
    }
  });

  it('keeps a session whose server clock is a day behind or ahead of the browser’s', async () => {
    // The pages of the earlier tests would see their sessions end on the moved server clock.
    for (const context of browser.contexts()) await context.close();
    const start = clock.now().getTime();
    try {
      for (const skewDays of [-1, 1]) {
        // The server a day off the machine's clock, which the browser's cookie store keeps.
        clock.advance(Date.now() + skewDays * 86_400_000 - clock.now().getTime());
        const context = await browserContext();
        const page = await context.newPage();
        problems.push(watch(page));
        await signIn(page, 'shipper');
        await page.getByRole('link', { name: 'Bookings' }).click();
        await page.getByRole('heading', { level: 1 }).waitFor();
        // Still signed in after a reload: the cookie outlived the difference of the clocks.
        await page.reload();
        await page.getByRole('navigation').waitFor();
        expect(await page.getByLabel('Password').count()).toBe(0);
        const me = await page.evaluate(async () => (await fetch('/v1/auth/me')).status);
        expect({ skewDays, me }).toEqual({ skewDays, me: 200 });
        await context.close();
      }
    } finally {
      clock.advance(start - clock.now().getTime());
    }
  });

  it('had no console error, no failed request and no serious accessibility violation', () => {
    expect({
      console: problems.flatMap((p) => p.console),
      requests: problems.flatMap((p) => p.requests),
    }).toEqual({ console: [], requests: [] });
    expect(Object.keys(a11y).length).toBeGreaterThanOrEqual(15);
    for (const [page, violations] of Object.entries(a11y))
      expect({ page, violations }).toEqual({ page, violations: [] });
  });
});
