import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser.ts';
import { demoBrowser, type DemoBrowser } from '../support/demo-browser.ts';

/**
 * The web app in each of its six languages as a person reads it, in Debian's chromium against the
 * real server with the demo's organisations and traffic: the main page of each role shows no raw
 * id and no code word (a snake_case status or kind) in its text. Screenshots of each page in
 * Chinese, Russian, Kazakh and Georgian for the README with UPDATE_SCREENSHOTS=1.
 */

const run = browserAvailable();
const LANGUAGES = ['en', 'zh', 'ru', 'az', 'kk', 'ka'] as const;
const SCREENSHOT_LANGUAGES = new Set(['zh', 'ru', 'kk', 'ka']);
const SHIPPER = 'Qingdao Haixing Machinery Export Co. (demo)';
const CUSTOMS = 'State Customs Committee of Azerbaijan';
const COUNCIL = 'Middle Corridor coordinating council';
const CARRIER = 'KTZ Express';

/** The prefixes of the ids the server gives (src/store/security.ts `id(prefix)`). */
const ID_PREFIXES = 'aud|bkg|dcl|dlv|doc|hld|key|lst|msg|ntf|org|pln|shp|sim|srq|usr|trp';
/** What a person must never read: an id, a service code (SVC_...) or a snake_case code word. */
const RAW = new RegExp(
  `\\b(?:(?:${ID_PREFIXES})_[A-Za-z0-9]+|SVC_[A-Z0-9_]+|[a-z]+(?:_[a-z]+)+)\\b`,
  'g',
);

/**
 * Words a page may show as they are: the operations the council's simulation takes in its JSON
 * field of changes, named in the field's hint for the person to type.
 */
const ALLOWED = new Set(['add_vessels', 'set_capacity', 'green_share', 'scale_demand']);

/** A page of a role, reached from a signed-in page, with what shows it has loaded. */
interface Visit {
  /** Also the screenshot's name: not one that another test writes (planner-zh, shipments-ru). */
  name: string;
  organisation: string;
  role?: 'admin' | 'officer';
  open(page: Page, base: string): Promise<void>;
}

const settled = (page: Page) => page.waitForLoadState('networkidle');

const VISITS: Visit[] = [
  {
    name: 'plan',
    organisation: SHIPPER,
    async open(page, base) {
      await page.goto(`${base}/planner`);
      await page.getByTestId('plan-submit').click();
      await page.getByTestId('itinerary').first().waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'booking-list',
    organisation: SHIPPER,
    async open(page, base) {
      await page.goto(`${base}/bookings`);
      await page.getByTestId('booking-row').first().waitFor();
    },
  },
  {
    name: 'booking',
    organisation: SHIPPER,
    async open(page, base) {
      await page.goto(`${base}/bookings`);
      await page.getByTestId('booking-row').first().getByRole('link').first().click();
      await settled(page);
    },
  },
  {
    name: 'shipment-list',
    organisation: SHIPPER,
    async open(page, base) {
      await page.goto(`${base}/shipments`);
      await page.getByTestId('shipment-row').first().waitFor();
    },
  },
  {
    name: 'shipment',
    organisation: SHIPPER,
    async open(page, base) {
      await page.goto(`${base}/shipments`);
      await page.getByTestId('shipment-row').first().getByRole('link').first().click();
      await page.getByTestId('shipment-status').first().waitFor();
    },
  },
  {
    name: 'customs',
    organisation: CUSTOMS,
    role: 'officer',
    async open(page, base) {
      await page.goto(`${base}/customs`);
      await settled(page);
    },
  },
  {
    name: 'council',
    organisation: COUNCIL,
    async open(page, base) {
      await page.goto(`${base}/council`);
      await settled(page);
    },
  },
  {
    name: 'directory',
    organisation: SHIPPER,
    async open(page, base) {
      await page.goto(`${base}/directory`);
      await settled(page);
    },
  },
  {
    name: 'services',
    organisation: CARRIER,
    async open(page, base) {
      await page.goto(`${base}/services`);
      await settled(page);
    },
  },
];

let demo: DemoBrowser;

describe.skipIf(!run)('the web app in each language, as a person reads it', () => {
  beforeAll(async () => {
    demo = await demoBrowser({ activity: true });
  }, 180_000);

  afterAll(async () => {
    await demo?.close();
  });

  it('shows no raw id and no code word on the main page of any role, in any language', async () => {
    const found: string[] = [];
    const pages = new Map<string, Page>();
    for (const visit of VISITS) {
      const who = `${visit.organisation} ${visit.role ?? 'admin'}`;
      let page = pages.get(who);
      if (!page) {
        page = await demo.signedIn(visit.organisation, visit.role);
        pages.set(who, page);
      }
      for (const language of LANGUAGES) {
        await page.getByTestId('language').selectOption(language);
        await visit.open(page, demo.base);
        await settled(page);
        // The page opened in the language chosen, not in the one before.
        expect(await page.locator('html').getAttribute('lang')).toBe(language);
        const text = await page.locator('main').innerText();
        const raw = [...new Set(text.match(RAW) ?? [])].filter((w) => !ALLOWED.has(w));
        if (raw.length > 0) found.push(`${visit.name} (${language}): ${raw.join(', ')}`);
        if (SCREENSHOT_LANGUAGES.has(language)) await demo.check(page, `${visit.name}-${language}`);
      }
      await page.getByTestId('language').selectOption('en');
    }
    expect(found).toEqual([]);
  }, 900_000);
});
