import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, seriousViolations } from '../support/browser.ts';
import { demoBrowser, expectCleanPages, type DemoBrowser } from '../support/demo-browser.ts';

/**
 * Every page of every kind of account at a 390 × 844 phone and a 1280 × 800 laptop, in Debian's
 * chromium against the real server with the demo's organisations and traffic: the header is one
 * row (on the phone the navigation opens from a menu button), no page scrolls sideways, buttons
 * are large enough to touch on the phone, the language picker stays where it is whatever the
 * length of the user's name, and the planner's results come before its map. No console error,
 * no failed request, no serious accessibility violation on the phone.
 */

const run = browserAvailable();

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };

/** One account of each kind, as the demo creates them. */
const ACCOUNTS = [
  { who: 'shipper', organisation: 'Qingdao Haixing Machinery Export Co. (demo)' },
  { who: 'forwarder', organisation: 'SCODA Multimodal Forwarding Co. (demo)' },
  { who: 'carrier', organisation: 'ADY Express' },
  {
    who: 'customs officer',
    organisation: 'State Customs Committee of Azerbaijan',
    role: 'officer',
  },
  { who: 'council', organisation: 'Middle Corridor coordinating council' },
  { who: 'enterprise', organisation: 'Ganja Hazelnut Growers LLC (demo)' },
  { who: 'service provider', organisation: 'Alat Cold Chain Terminal (demo)' },
  { who: 'platform admin', organisation: 'Corridor platform operator' },
] as const;

let demo: DemoBrowser;

async function signedIn(account: (typeof ACCOUNTS)[number]): Promise<Page> {
  return demo.signedIn(account.organisation, 'role' in account ? account.role : 'admin');
}

/** The paths of the main navigation, read at the laptop's width where it is always shown. */
async function navPaths(page: Page): Promise<string[]> {
  await page.setViewportSize(LAPTOP);
  const hrefs = await page.evaluate<string[]>(
    `[...document.querySelectorAll('nav.nav a')].map((a) => a.getAttribute('href'))`,
  );
  expect(hrefs.length).toBeGreaterThan(0);
  return hrefs;
}

async function open(page: Page, path: string) {
  await page.goto(`${demo.base}${path}`);
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
}

/** The innermost elements that reach past the screen's right edge: what makes a page scroll sideways. */
const pastTheEdge = (page: Page) =>
  page.evaluate<string[]>(`[...document.querySelectorAll('main *')]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
    .filter((el) => {
      for (let up = el.parentElement; up; up = up.parentElement)
        if (getComputedStyle(up).overflowX !== 'visible') return false;
      return true;
    })
    .filter((el) => ![...el.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 0.5))
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' ' + (el.textContent || '').slice(0, 30))`);

/** Tables not inside a named, focusable region that scrolls sideways on its own. */
const tablesWithoutRegion = (page: Page) =>
  page.evaluate<number>(`[...document.querySelectorAll('main table')].filter((table) => {
    const region = table.closest('[role=region]');
    return !region || region.tabIndex !== 0 || getComputedStyle(region).overflowX !== 'auto' ||
      !(region.getAttribute('aria-label') || region.getAttribute('aria-labelledby'));
  }).length`);

/** How far the page scrolls sideways, in CSS px (0 when it does not). */
const sideways = (page: Page) =>
  page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');

/** The visible buttons, selects and navigation links lower than 44 px, by their text. */
const smallTargets = (page: Page) =>
  page.evaluate<string[]>(`[...document.querySelectorAll('button, select, .nav a, .menu a')]
    .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
    .filter((el) => el.getBoundingClientRect().height < 44)
    .map((el) => (el.textContent || el.getAttribute('aria-label') || el.tagName).trim().slice(0, 40))`);

/** The header's height and its items' rows: one row means every item's top is within a few px. */
async function headerRows(page: Page): Promise<{ height: number; rows: number }> {
  return page.evaluate<{ height: number; rows: number }>(`(() => {
    const header = document.querySelector('header.top');
    const tops = [...header.children]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => el.getBoundingClientRect())
      .map((r) => Math.round(r.top + r.height / 2));
    const rows = tops.filter((t, i) => tops.findIndex((u) => Math.abs(u - t) < 12) === i).length;
    return { height: header.getBoundingClientRect().height, rows };
  })()`);
}

/** The rows the main navigation's links take when it is shown. */
const navRows = (page: Page) =>
  page.evaluate<number>(`new Set([...document.querySelectorAll('nav.nav a')]
    .filter((a) => a.getClientRects().length > 0)
    .map((a) => Math.round(a.getBoundingClientRect().top))).size`);

describe.skipIf(!run)('every page at a phone’s and a laptop’s width', () => {
  beforeAll(async () => {
    demo = await demoBrowser({ activity: true });
  }, 180_000);

  afterAll(async () => {
    await demo?.close();
  });

  for (const account of ACCOUNTS)
    it(`keeps the header to one row and the page to the screen's width for the ${account.who}`, async () => {
      const page = await signedIn(account);
      const paths = await navPaths(page);
      const problems: string[] = [];
      for (const size of [LAPTOP, PHONE]) {
        await page.setViewportSize(size);
        for (const path of paths) {
          await open(page, path);
          const at = `${path} at ${size.width} px`;
          const header = await headerRows(page);
          if (header.rows !== 1) problems.push(`${at}: header in ${header.rows} rows`);
          if (header.height > (size === PHONE ? 64 : 72))
            problems.push(`${at}: header ${header.height} px high`);
          const over = await sideways(page);
          if (over > 0)
            problems.push(
              `${at}: scrolls ${over} px sideways: ${(await pastTheEdge(page)).join(' | ')}`,
            );
          if (size === LAPTOP) {
            const rows = await navRows(page);
            if (rows !== 1) problems.push(`${at}: navigation in ${rows} rows`);
          } else {
            const unframed = await tablesWithoutRegion(page);
            if (unframed > 0) problems.push(`${at}: ${unframed} tables outside a named region`);
            const small = await smallTargets(page);
            if (small.length > 0) problems.push(`${at}: small targets ${small.join(' | ')}`);
            demo.a11y[`${account.who} ${path} phone`] = await seriousViolations(page);
          }
        }
      }
      expect(problems).toEqual([]);
      await page.context().close();
    });

  it('opens the navigation on the phone from a menu button, by keyboard too, and closes it on choosing a page', async () => {
    const page = await signedIn(ACCOUNTS[0]);
    await page.setViewportSize(PHONE);
    await open(page, '/bookings');
    const menu = page.getByRole('button', { name: 'Menu' });
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.isVisible()).toBe(false);
    await menu.focus();
    await page.keyboard.press('Enter');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Shipments' }).waitFor();
    // Escape closes it and leaves the focus on the button.
    await page.keyboard.press('Escape');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(
      await page.evaluate<string>('document.activeElement.getAttribute("aria-controls")'),
    ).toBe('menu');
    await menu.click();
    // Signing out is in the menu on the phone.
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    await nav.getByRole('link', { name: 'Shipments' }).click();
    await page.getByRole('heading', { name: 'Shipments', level: 1 }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.isVisible()).toBe(false);
    await page.context().close();
  });

  it('keeps the language picker in its place whatever the length of the user’s name', async () => {
    const short = await demo.signedIn('ADY Express');
    const long = await demo.signedIn('Shandong Hi-speed Group (Qilu China-Europe trains)');
    for (const size of [LAPTOP, PHONE]) {
      const boxes = [];
      for (const page of [short, long]) {
        await page.setViewportSize(size);
        await open(page, '/bookings');
        boxes.push(await page.getByTestId('language').boundingBox());
      }
      expect(boxes[1], `at ${size.width} px`).toEqual(boxes[0]);
    }
    await short.context().close();
    await long.context().close();
  });

  it('shows the planner’s results before the map on the phone', async () => {
    const page = await signedIn(ACCOUNTS[0]);
    await page.setViewportSize(PHONE);
    await open(page, '/planner');
    await page.getByTestId('plan-from').fill('Qingdao');
    await page.getByTestId('plan-to').fill('Baku');
    await page.getByTestId('plan-submit').click();
    const first = page.getByTestId('itinerary').first();
    await first.waitFor({ timeout: 30_000 });
    const card = (await first.boundingBox())!;
    const map = (await page.getByTestId('corridor-map').boundingBox())!;
    expect(card.y + card.height).toBeLessThanOrEqual(map.y);
    // The comparison table scrolls in its own region with rows short enough to read across.
    const comparison = page.getByRole('region', { name: 'Comparison' });
    await comparison.waitFor();
    const rows = await page.evaluate<number[]>(
      `[...document.querySelectorAll('[role=region][aria-label="Comparison"] tbody tr')]
        .map((tr) => tr.getBoundingClientRect().height)`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(Math.max(...rows)).toBeLessThan(200);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it('shows the bookings, a shipment, the customs desk and the council dashboard on the phone', async () => {
    const shipper = await signedIn(ACCOUNTS[0]);
    await shipper.setViewportSize(PHONE);
    await open(shipper, '/bookings');
    await demo.check(shipper, 'bookings-phone');
    await open(shipper, '/shipments');
    await shipper.locator('main a[href^="/shipments/"]').first().click();
    await shipper.locator('main h1').first().waitFor();
    expect(await pastTheEdge(shipper)).toEqual([]);
    expect(await sideways(shipper)).toBeLessThanOrEqual(0);
    await demo.check(shipper, 'shipment-phone');
    await shipper.context().close();
    const officer = await signedIn(ACCOUNTS[3]);
    await officer.setViewportSize(PHONE);
    await open(officer, '/customs');
    await demo.check(officer, 'customs-desk-phone');
    await officer.context().close();
    const council = await signedIn(ACCOUNTS[4]);
    await council.setViewportSize(PHONE);
    await open(council, '/council');
    await demo.check(council, 'council-phone');
    await council.context().close();
  });

  it('shows no console error, no failed request and no serious accessibility violation', () => {
    expectCleanPages(demo, 4);
  });
});
