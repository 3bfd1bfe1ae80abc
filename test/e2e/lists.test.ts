import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser.ts';
import { demoBrowser, expectCleanPages, type DemoBrowser } from '../support/demo-browser.ts';

/**
 * The shipper's bookings and shipments as lists a person works with, in Debian's chromium against
 * the real server with the demo's organisations and traffic: each row named by its journey and
 * containers (never an id: that is on hover and copied with a click), states in words; search,
 * filter by state, sort, and a CSV download that opens with the rows shown. No console error, no
 * failed request, no serious accessibility violation.
 */

const run = browserAvailable();
const SHIPPER = 'Qingdao Haixing Machinery Export Co. (demo)';
/** What a person must never read on a page: ids and code words. */
const RAW = /\b(bkg|shp|org|trp)_[A-Za-z0-9]|SVC_|\b[a-z]+_[a-z]+\b|\b[A-Z]+_[A-Z_]+\b/;

let demo: DemoBrowser;

/** Parses RFC 4180 CSV (quoted fields with commas, doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) field += c;
    else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}

/** The CSV of the list whose toolbar is in `within` (the page's only list by default). */
async function downloadCsv(page: Page, within: Page | Locator = page): Promise<string[][]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    within.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  return parseCsv(text.slice(1));
}

/** The ids (on hover) of the bookings listed, in their order. */
async function titles(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const a of await page.getByTestId('booking-row').getByRole('link').all())
    out.push((await a.getAttribute('title')) ?? '');
  return out;
}

const visibleText = (page: Page) => page.locator('main').innerText();

describe.skipIf(!run)('bookings and shipments as lists, in a browser', () => {
  beforeAll(async () => {
    demo = await demoBrowser({ activity: true });
  }, 180_000);

  afterAll(async () => {
    await demo?.close();
  });

  it('names bookings by journey and containers, searches, filters by state, sorts and exports CSV', async () => {
    const page = await demo.signedIn(SHIPPER);
    await page.getByRole('link', { name: 'Bookings' }).click();
    const rows = page.getByTestId('booking-row');
    await rows.first().waitFor();
    const all = await rows.count();
    expect(all).toBeGreaterThan(1);
    expect(await visibleText(page)).not.toMatch(RAW);
    expect(await rows.first().getByRole('link').textContent()).toMatch(/^.+ → .+ · \d+×\w+/);
    expect(await rows.first().getByRole('link').getAttribute('title')).toMatch(/^bkg_/);
    expect(await page.getByTestId('list-count').textContent()).toBe(`${all} of ${all} shown`);

    // Filter by a state in words.
    const states = await rows.locator('.state').allTextContents();
    const state = states[0]!;
    await page.getByRole('combobox', { name: /^State/ }).selectOption({ label: state });
    const kept = await rows.locator('td:nth-child(2) .state').allTextContents();
    expect(kept.length).toBe(states.filter((s) => s === state).length);
    expect(new Set(kept)).toEqual(new Set([state]));
    await page.getByRole('combobox', { name: /^State/ }).selectOption({ label: 'All' });

    // Search by a place: every row shown names it.
    const place = (await rows.first().getByRole('link').textContent())!
      .split(' → ')[1]!
      .split(' · ')[0]!;
    await page.getByTestId('list-search').fill(place.toLowerCase());
    const found = await rows.allTextContents();
    expect(found.length).toBeGreaterThan(0);
    for (const r of found) expect(r).toContain(place);
    await page.getByTestId('list-search').fill('');

    // Oldest first is newest first the other way round.
    const newest = await titles(page);
    await page.getByRole('combobox', { name: /^Sort by/ }).selectOption({ label: 'Oldest first' });
    const oldest = await titles(page);
    expect(oldest).toEqual([...newest].reverse());

    // The CSV holds the rows shown, in their order, with the columns read on screen.
    const csv = await downloadCsv(page);
    expect(csv[0]).toEqual([
      'Booking',
      'State',
      'TEU',
      'Rides',
      'Promised arrival (P50)',
      'Created',
      'Reference',
    ]);
    expect(csv.slice(1).map((r) => r[6])).toEqual(oldest);
    expect(csv[1]![0]).toBe(await rows.first().getByRole('link').textContent());
    await demo.check(page, 'bookings-list');

    // A booking's page: named by its journey; its reference copied, not shown.
    await rows.first().getByRole('link').click();
    await page.getByTestId('booking-state').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^.+ → .+ · /);
    expect(await page.getByRole('button', { name: 'Copy reference' }).getAttribute('title')).toBe(
      oldest[0],
    );
    expect(await visibleText(page)).not.toMatch(/\b(bkg|org)_|SVC_/);
    await page.context().close();
  });

  it('names shipments by reference, containers and journey, filters by status and exports CSV', async () => {
    const page = await demo.signedIn(SHIPPER);
    await page.getByRole('link', { name: 'Shipments' }).click();
    const rows = page.getByTestId('shipment-row');
    await rows.first().waitFor();
    expect(await visibleText(page)).not.toMatch(RAW);
    expect(await rows.first().getByRole('link').getAttribute('title')).toMatch(/^shp_/);
    const statuses = await rows.locator('td:nth-child(2)').allTextContents();
    await page.getByRole('combobox', { name: /^Status/ }).selectOption({ label: statuses[0]! });
    expect(new Set(await rows.locator('td:nth-child(2)').allTextContents())).toEqual(
      new Set([statuses[0]]),
    );
    const csv = await downloadCsv(page);
    expect(csv[0]![0]).toBe('Shipment');
    expect(csv.length - 1).toBe(await rows.count());
    await demo.check(page, 'shipments-list');
    // A shipment under way: each stop planned and actual side by side, the difference in words.
    await page.getByRole('combobox', { name: /^Status/ }).selectOption({ label: 'All' });
    await page.getByRole('combobox', { name: /^Status/ }).selectOption({ label: 'Under way' });
    await rows.first().getByRole('link').click();
    const table = page.getByTestId('planned-actual');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(1);
    const differences = await table.getByTestId('difference').allTextContents();
    expect(differences.some((d) => /h late|h early|on time/.test(d))).toBe(true);
    expect(await page.getByTestId('timeline').innerText()).not.toMatch(
      /\b(ARRI|DEPA|ACT|PLN|EST|CUSS|CUSI|CUSR|GTIN|LOAD)\b/,
    );
    expect(await page.locator('main').innerText()).toContain('Promised arrival (P90, as booked)');
    await demo.check(page, 'shipment-planned-actual');
    await page.context().close();
  });

  it('filters the directory by service, country and verified, and exports what it found', async () => {
    const page = await demo.signedIn(SHIPPER);
    await page.getByRole('link', { name: 'Service desk' }).click();
    await page.getByTestId('directory-result').first().waitFor();
    const search = page.getByRole('search');
    await search.getByRole('combobox', { name: /^Service/ }).selectOption({ label: 'warehousing' });
    await search.getByLabel('Based in or serving (country code)').fill('az');
    await search.getByRole('button', { name: 'Search the directory' }).click();
    await expect
      .poll(async () => {
        const texts = await page.getByTestId('directory-result').allTextContents();
        return texts.length > 0
          ? texts.filter((x) => !/ · [A-Z]{2} · .*warehousing/.test(x)).map((x) => x.slice(0, 120))
          : ['none yet'];
      })
      .toEqual([]);
    const found = await page.getByTestId('directory-result').count();
    const csv = await downloadCsv(page);
    expect(csv[0]).toEqual(['Name', 'Kind', 'Country', 'Service', 'Verified']);
    expect(csv.length - 1).toBe(found);
    expect(csv.slice(1).filter((row) => row[2] === 'AZ').length).toBeGreaterThan(0);
    for (const row of csv.slice(1)) expect(row[3]).toContain('warehousing');
    await search.getByLabel('Verified only').check();
    await search.getByRole('button', { name: 'Search the directory' }).click();
    await expect
      .poll(async () =>
        (await page.getByTestId('directory-result').allTextContents()).every((x) =>
          x.includes('Verified'),
        ),
      )
      .toBe(true);
    await demo.check(page, 'directory-filters');
    await page.context().close();
  });

  it("lists the council's KPI figures by place name, filters them by kind and exports them", async () => {
    const page = await demo.signedIn('Middle Corridor coordinating council');
    await page.getByRole('link', { name: 'Council dashboard' }).click();
    const table = page.getByTestId('kpi-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    const all = await rows.count();
    expect(all).toBeGreaterThan(3);
    // Places by name in the charts and the list: no node id, no code word.
    expect(await page.locator('.charts').first().innerText()).not.toMatch(RAW);
    expect(await table.innerText()).not.toMatch(RAW);
    // Places by their names, not their UN/LOCODEs.
    expect(await table.innerText()).not.toMatch(/\b(CN|KZ|AZ|GE|TR)[A-Z]{3}\b/);
    expect(await table.innerText()).toContain('Khorgos');
    await page
      .getByRole('combobox', { name: /^Figure/ })
      .selectOption({ label: 'Border crossing times' });
    const kept = await rows.locator('td:first-child').allTextContents();
    expect(kept.length).toBeLessThan(all);
    expect(new Set(kept)).toEqual(new Set(['Border crossing times']));
    const csv = await downloadCsv(
      page,
      page.getByRole('search', { name: 'All figures of the period' }),
    );
    expect(csv[0]).toEqual(['Figure', 'Where', 'n', 'P50', 'P90']);
    expect(csv.length - 1).toBe(kept.length);
    await demo.check(page, 'council-figures');
    await page.context().close();
  });

  it.each([
    ['kk', 'Жоспарлаушы', 'Брондаулар'],
    ['ka', 'დამგეგმავი', 'ჯავშნები'],
  ])(
    'reads the planner and the bookings in %s, with no English left',
    async (code, planner, bookings) => {
      const page = await demo.signedIn(SHIPPER);
      await page.getByTestId('language').selectOption(code);
      expect(await page.locator('html').getAttribute('lang')).toBe(code);
      await page.getByRole('link', { name: planner }).click();
      await page.getByTestId('plan-submit').click();
      await page.getByTestId('itinerary').first().waitFor({ timeout: 30_000 });
      const english =
        /Transit from ready date|Sort by|Departs|Arrival P50|Legs, prices|Cost|Regimes|Book this itinerary|Something went wrong/;
      const main = await page.locator('main').innerText();
      expect(main).not.toMatch(english);
      await demo.check(page, `planner-${code}`);
      await page.getByRole('link', { name: bookings }).click();
      await page.getByTestId('booking-row').first().waitFor();
      const list = await page.locator('main').innerText();
      expect(list).not.toMatch(/Download CSV|Search|State|Rides|Created|Received|Confirmed/);
      expect(list).not.toMatch(RAW);
      await demo.check(page, `bookings-${code}`);
      await page.context().close();
    },
  );

  it('shows no console error, no failed request and no serious accessibility violation', () => {
    expectCleanPages(demo, 8);
  });
});
