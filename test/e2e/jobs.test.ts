import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireBookings } from '../../src/app/bookings.ts';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import { seedDemo } from '../../src/app/seed-demo.ts';
import { PgDirectoryStore } from '../../src/store/directory.store.ts';
import {
  browserAvailable,
  launchBrowser,
  seriousViolations,
  watch,
  type PageProblems,
} from '../support/browser.ts';
import { manualClock, TEST_NOW } from '../support/clock.ts';
import { containerNumber } from '../support/containers.ts';
import { workTheDesk } from '../support/customs-desk.ts';
import { testServer, type TestServer } from '../support/server.ts';

/**
 * The jobs after booking, in Debian's chromium against the real server with the demo's
 * organisations and accounts, each through the pages a person would use: a carrier checks a
 * schedule change and sees the booking it breaks before publishing it, and the shipper sees the
 * booking flagged and its shipment's arrival moved; the shipper fills in the consignment note's
 * particulars and lodges the customs declaration from the booking; the officer of each country
 * on the route finds it in the queue and releases it; a carrier reports a ride
 * completed; a hold that expired offers to book the same rides again. No console error, no
 * failed request, no serious accessibility violation.
 */

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
const SCREENSHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS ? '../../docs/screenshots' : '../../reports/screenshots',
    import.meta.url,
  ),
);
const run = browserAvailable();

let server: TestServer;
let base: string;
let browser: Browser;
const people: Record<string, { email: string; password: string }> = {};
let shipperKey = '';
const problems: PageProblems[] = [];
const a11y: Record<string, string[]> = {};
/** The demo carrier whose account confirms rides of each service (the first that operates it). */
const operatorOf: Record<string, string> = {};
let bookingId = '';
let shipmentId = '';

/** The server's clock, held by the test; each page's clock starts at its instant. */
const clock = manualClock();

async function browserContext(): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: 'en-GB',
    bypassCSP: true,
    viewport: { width: 1280, height: 900 },
  });
  await context.clock.install({ time: clock.now() });
  return context;
}

async function signedIn(who: string): Promise<Page> {
  const page = await (await browserContext()).newPage();
  problems.push(watch(page));
  await page.goto(base);
  await page.getByLabel('E-mail').fill(people[who]!.email);
  await page.getByLabel('Password').fill(people[who]!.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').waitFor();
  return page;
}

async function check(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  a11y[name] = await seriousViolations(page);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** Reads what the shipper's organisation sees, to check what the pages said. */
async function read<T>(path: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${shipperKey}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

interface BookingJson {
  id: string;
  state: string;
  attention: string[];
  rides: { serviceId: string; tripId: string; fromNodeId: string; toNodeId: string }[];
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

/** Closes every page: a page's session ends when the server's clock moves on. */
async function closeAll() {
  for (const context of browser.contexts()) await context.close();
}

describe.skipIf(!run)('the jobs after booking, in a browser', () => {
  beforeAll(async () => {
    server = await testServer(undefined, clock, { webRoot: WEB_ROOT });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`;
    const { credentials } = await seedDemo(
      server.accounts,
      new PgDirectoryStore(server.database.db),
    );
    const organisations = await server.accounts.stores.organisations.list();
    const shipper = 'Qingdao Haixing Machinery Export Co. (demo)';
    for (const o of organisations.filter((x) => x.kind === 'customs')) {
      const c = credentials.find((x) => x.organisation === o.name && x.role === 'officer')!;
      people[`customs ${o.country}`] = { email: c.email, password: c.password };
    }
    for (const o of organisations.filter((x) => x.kind === 'carrier' || x.name === shipper)) {
      const c = credentials.find((x) => x.organisation === o.name && x.role === 'admin')!;
      const who = o.name === shipper ? 'shipper' : o.name;
      people[who] = { email: c.email, password: c.password };
      if (o.kind === 'carrier') for (const id of o.services) operatorOf[id] ??= o.name;
      if (o.name === shipper)
        shipperKey = (
          await createApiKey(server.accounts, undefined, o.id, { name: 'checks', role: 'admin' })
        ).key;
    }
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('books Qingdao → Baku, has each ride confirmed by its carrier and starts tracking', async () => {
    const page = await signedIn('shipper');
    bookingId = await book(page);
    const { rides } = await read<BookingJson>(`/v1/bookings/${bookingId}`);
    for (const carrier of new Set(rides.map((r) => operatorOf[r.serviceId]!))) {
      const own = await signedIn(carrier);
      // The booking is in the carrier's own queue of rides to confirm.
      await own.getByRole('link', { name: 'Bookings' }).click();
      await own.getByTestId('carrier-queue').locator(`a[title="${bookingId}"]`).click();
      await own.getByTestId('booking-state').waitFor();
      const n = await own.getByRole('button', { name: 'Confirm' }).count();
      for (let i = 0; i < n; i++) {
        await own.getByRole('button', { name: 'Confirm' }).first().click();
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
      .fill(containerNumber('MSKU', 41));
    await page.getByRole('button', { name: 'Start tracking' }).click();
    await page.waitForURL(/\/shipments\//);
    shipmentId = page.url().split('/').at(-1)!;
    await page.getByTestId('shipment-eta').waitFor();
  });

  it('lets a carrier see the booking a schedule change breaks before publishing it; the shipper sees it flagged and the ETA moved', async () => {
    const booking = await read<BookingJson>(`/v1/bookings/${bookingId}`);
    const ride = booking.rides.at(-1)!;
    const before = await read<{ eta: { p50: string } }>(`/v1/shipments/${shipmentId}`);
    // The carrier downloads its service's file in force and makes it a day longer to the ride's
    // last stop.
    const page = await signedIn(operatorOf[ride.serviceId]!);
    await page.getByRole('link', { name: 'Services' }).click();
    const mine = page.locator(`[data-testid=your-service][data-service="${ride.serviceId}"]`);
    await mine.waitFor();
    const download = mine.getByRole('button', { name: 'Download the file in force (JSON)' });
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toBe(`${ride.serviceId}.json`);
    const inForce = JSON.parse(readFileSync(await file.path(), 'utf8')) as {
      services: ({ id: string; stops: { node: string; runHours?: number }[] } & Record<
        string,
        unknown
      >)[];
    };
    expect(inForce.services.map((s) => s.id)).toEqual([ride.serviceId]);
    const record = inForce.services[0]!;
    const stops = record.stops.map((s) =>
      s.node === ride.toNodeId ? { ...s, runHours: (s.runHours ?? 0) + 24 } : s,
    );
    await page.getByLabel('File (JSON or CSV)').setInputFiles({
      name: 'services.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ services: [{ ...record, stops }] })),
    });
    await page.getByLabel('Takes effect on').fill(TEST_NOW.slice(0, 10));
    // Nothing can be published before its effects have been shown.
    const publish = page.getByRole('button', { name: 'Publish', exact: true });
    expect(await publish.isDisabled()).toBe(true);
    expect(await page.getByText('Check the file first').count()).toBe(1);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    const result = page.getByTestId('publication');
    await result.getByText('Valid: nothing published yet').waitFor();
    // What it would break, before anything is applied.
    expect(await result.getByTestId('affected-bookings').textContent()).toMatch(
      new RegExp(
        `Booking: schedule change from ${TEST_NOW.slice(0, 10)}: .+ now arrives at .+ \\(UTC\\+04:00\\) instead of .+, 24 h later`,
      ),
    );
    // Each departure by its service's name and day, its trip id on hover.
    expect(
      await result.getByTestId('affected-departures').locator(`[title="${ride.tripId}"]`).count(),
    ).toBe(1);
    expect(
      await result.getByTestId('affected-departures').locator('strong').allTextContents(),
    ).not.toContainEqual(expect.stringMatching(/SVC_/));
    expect(await result.textContent()).toContain('Nothing has changed yet');
    await check(page, 'services-check');
    expect((await read<BookingJson>(`/v1/bookings/${bookingId}`)).attention).toEqual([]);
    expect(await publish.isDisabled()).toBe(false);
    await publish.click();
    await result.getByRole('heading', { name: 'Published' }).waitFor();
    expect(
      await result.getByTestId('affected-bookings').locator(`a[title="${bookingId}"]`).count(),
    ).toBe(1);
    // The carrier's list of services shows the new version in force from today.
    const published = (
      await read<{ versions: { version: number; inForce: boolean }[] }>(
        `/v1/network/services/${ride.serviceId}/versions`,
      )
    ).versions.find((v) => v.inForce)!.version;
    await expect
      .poll(() => mine.textContent())
      .toContain(`version ${published}, from ${TEST_NOW.slice(0, 10)}`);
    await page.context().close();

    // The shipper's bookings list and booking page say it needs attention, and why.
    const shipper = await signedIn('shipper');
    await shipper.getByRole('link', { name: 'Bookings' }).click();
    const row = shipper
      .getByRole('row')
      .filter({ has: shipper.locator(`a[title="${bookingId}"]`) });
    await row.getByTestId('needs-attention').waitFor();
    expect(await row.textContent()).toMatch(/Needs attention.*now arrives at/);
    await check(shipper, 'bookings-attention');
    await row.locator(`a[title="${bookingId}"]`).click();
    const attention = shipper.getByTestId('booking-attention');
    await attention.waitFor();
    expect(await attention.textContent()).toMatch(
      /Needs attention.*now arrives at.*Amend the booking/,
    );
    // The shipment's arrival moved by about the day added, with an alert saying so.
    await shipper.goto(`${base}/shipments/${shipmentId}`);
    await shipper.getByTestId('shipment-eta').waitFor();
    const alert = shipper.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /schedule change from .+ Arrival now estimated \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\+04:00\)/,
    );
    const after = await read<{ eta: { p50: string } }>(`/v1/shipments/${shipmentId}`);
    expect(Date.parse(after.eta.p50) - Date.parse(before.eta.p50)).toBeGreaterThan(12 * 3_600_000);
    await check(shipper, 'shipment-rescheduled');
    // A booking confirmation now is not ready, and says why.
    await shipper.getByRole('link', { name: 'Documents' }).click();
    const confirmation = shipper.locator(
      '[data-testid=document-entry][data-kind=booking_confirmation]',
    );
    await confirmation.waitFor();
    expect(await confirmation.getAttribute('data-status')).toBe('not_ready');
    expect(await confirmation.textContent()).toContain('needs attention');
    await shipper.context().close();
  });

  it('lets the shipper fill in the consignment note’s particulars and issue it', async () => {
    const page = await signedIn('shipper');
    await page.getByRole('link', { name: 'Documents' }).click();
    const note = page
      .locator('[data-testid=document-entry][data-kind=rail_consignment_note]')
      .first();
    await note.waitFor();
    expect(await note.textContent()).toContain("needs the consignor's particulars");
    await note.getByRole('button', { name: 'Fill in particulars' }).click();
    const form = note.getByTestId('particulars-form');
    const consignor = form.getByRole('group', { name: 'Consignor' });
    await consignor.getByLabel('Name').fill('Qingdao Haixing Machinery Export Co.');
    await consignor.getByLabel('Country (ISO code, e.g. CN)').fill('CN');
    await consignor.getByLabel('Address').fill('18 Haier Road, Qingdao');
    const consignee = form.getByRole('group', { name: 'Consignee' });
    await consignee.getByLabel('Name').fill('Baku Machinery Trading LLC');
    await consignee.getByLabel('Country (ISO code, e.g. CN)').fill('AZ');
    const goods = form.getByRole('group', { name: 'Goods item 1' });
    await goods.getByLabel('HS code (6, 8 or 10 digits)').fill('847989');
    await goods.getByLabel('Description of goods').fill('Packaging machines');
    await goods.getByLabel('Number of packages').fill('6');
    await goods.getByLabel('Gross mass, kg').fill('18400');
    await check(page, 'consignment-particulars');
    await form.getByRole('button', { name: 'Issue with these particulars' }).click();
    await expect.poll(() => note.getAttribute('data-status')).toBe('issued');
    expect(await note.getByRole('link', { name: 'Download PDF' }).count()).toBe(1);
    await page.context().close();
  });

  it('lets the shipper lodge the customs declaration from the booking, and the transit document is ready', async () => {
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
    await check(page, 'declaration-form');
    await form.getByRole('button', { name: 'Lodge declaration' }).click();
    const status = section.getByTestId('declaration-status');
    await status.waitFor();
    expect(await status.textContent()).toMatch(/^Lodged, MRN \w+\. CN: /);
    // Amended: the goods' value corrected, the same MRN in a new version.
    const mrn = /MRN (\w+)\./.exec((await status.textContent())!)![1]!;
    await section.getByRole('button', { name: 'Amend the declaration' }).click();
    await form.getByRole('group', { name: 'Goods item 1' }).getByLabel('Value').fill('250000');
    await form.getByRole('button', { name: 'Amend declaration' }).click();
    await form.waitFor({ state: 'detached' });
    expect(await status.textContent()).toContain(`Lodged, MRN ${mrn}.`);
    const { declarations } = await read<{
      declarations: {
        mrn: string;
        version: number;
        declaration: { consignments: { goodsItems: { value: number }[] }[] };
      }[];
    }>('/v1/customs/declarations');
    expect(
      declarations
        .filter((d) => d.mrn === mrn)
        .map((d) => [d.version, d.declaration.consignments[0]!.goodsItems[0]!.value]),
    ).toEqual([[2, 250_000]]);
    // The declaration lodged, the transit accompanying document can be issued.
    await status.getByRole('link', { name: 'Documents' }).click();
    const tad = page.locator(
      '[data-testid=document-entry][data-kind=transit_accompanying_document]',
    );
    await tad.waitFor();
    expect(await tad.getAttribute('data-status')).toBe('missing');
    expect(await tad.textContent()).toContain('ready to issue');
    await tad.getByRole('button', { name: 'Issue', exact: true }).click();
    await expect.poll(() => tad.getAttribute('data-status')).toBe('issued');
    await check(page, 'documents-issued');
    await page.context().close();
  });

  it('has the officer of each country on the route find the shipper’s declaration in the queue and release it', async () => {
    const { declarations } = await read<{
      declarations: {
        mrn: string;
        shipmentId: string;
        segments: { country: string; office: string }[];
      }[];
    }>('/v1/customs/declarations');
    const { mrn, segments } = declarations.find((d) => d.shipmentId === shipmentId)!;
    expect(segments.map((s) => s.country)).toEqual(['CN', 'KZ', 'AZ']);
    // No administration has published rules here: every box goes green, released on arrival.
    for (const { country, office } of segments) {
      const page = await signedIn(`customs ${country}`);
      await workTheDesk(
        page,
        { mrn, office, container: containerNumber('MSKU', 41) },
        { lane: 'Green' },
      );
      await page.context().close();
    }
    const shipper = await signedIn('shipper');
    await shipper.getByRole('link', { name: 'Bookings' }).click();
    await shipper.locator(`a[title="${bookingId}"]`).first().click();
    await expect
      .poll(() => shipper.getByTestId('declaration-status').textContent())
      .toContain('CN: released · KZ: released · AZ: released');
    await shipper.context().close();
  });

  it('lets a carrier report its ride completed once it has run', async () => {
    await closeAll();
    // A day on: the first ride has left Qingdao and reached its last stop.
    clock.advance(24 * 3_600_000);
    const { rides } = await read<BookingJson>(`/v1/bookings/${bookingId}`);
    const page = await signedIn(operatorOf[rides[0]!.serviceId]!);
    await page.getByRole('link', { name: 'Bookings' }).click();
    await page.locator(`a[title="${bookingId}"]`).first().click();
    const ride = page.getByTestId('booking-ride').first();
    await ride.getByRole('button', { name: 'Ride completed' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toMatch(/Report ride 1, .+ as completed/);
    await dialog.getByRole('button', { name: 'Yes, the ride is completed' }).click();
    await expect.poll(() => ride.textContent()).toMatch(/Completed · completed/);
    expect(await ride.getByRole('button', { name: 'Ride completed' }).count()).toBe(0);
    await check(page, 'ride-completed');
    await page.context().close();
  });

  it('offers to book the same rides again when a hold expired, and books them', async () => {
    const page = await signedIn('shipper');
    const expiring = await book(page);
    await page.context().close();
    // Nobody confirmed within the hold; the platform's expiry job rejects the booking.
    clock.advance(31 * 60_000);
    expect(await expireBookings(server.bookings)).toBe(1);
    const again = await signedIn('shipper');
    await again.goto(`${base}/bookings/${expiring}`);
    expect(await again.getByTestId('booking-state').textContent()).toBe('Rejected');
    expect(await again.getByTestId('booking-reason').textContent()).toBe(
      'Reason: the hold expired before every carrier confirmed',
    );
    const rebook = again.getByTestId('rebook');
    expect(
      await rebook.getByRole('link', { name: 'Plan this journey again' }).getAttribute('href'),
    ).toMatch(/^\/planner\?from=.+&to=.+/);
    await check(again, 'hold-expired');
    await rebook.getByRole('button', { name: 'Book the same rides again' }).click();
    await again.waitForURL(
      (url) => /\/bookings\/bkg_/.test(url.pathname) && !url.pathname.endsWith(expiring),
    );
    await expect
      .poll(() => again.getByTestId('booking-state').getAttribute('data-state'))
      .toBe('RECEIVED');
    const fresh = await read<BookingJson>(`/v1/bookings/${again.url().split('/').at(-1)!}`);
    const old = await read<BookingJson>(`/v1/bookings/${expiring}`);
    expect(fresh.rides.map((r) => r.tripId)).toEqual(old.rides.map((r) => r.tripId));
    await again.context().close();
  });

  it('had no console error, no failed request and no serious accessibility violation', () => {
    expect({
      console: problems.flatMap((p) => p.console),
      requests: problems.flatMap((p) => p.requests),
    }).toEqual({ console: [], requests: [] });
    expect(Object.keys(a11y).length).toBeGreaterThanOrEqual(8);
    for (const [page, violations] of Object.entries(a11y))
      expect({ page, violations }).toEqual({ page, violations: [] });
  });
});
