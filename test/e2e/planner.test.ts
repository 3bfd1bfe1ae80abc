import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser.ts';
import { demoBrowser, expectCleanPages, type DemoBrowser } from '../support/demo-browser.ts';

/**
 * The planner as a shipper reads it, in Debian's chromium against the real server with the demo's
 * organisations: each card says which way it goes (via Khorgos, Aktau, BTK…), when it leaves and
 * arrives at P50 and P90, transit from the ready date on an axis every card shares, regimes in
 * words and the price of each leg; the cards sort by P50, P90, cost and CO2e; the form sends
 * every option of the planning API; an unknown place is named next to its field with what to do;
 * the last plan comes back on returning to the page. No console error, no failed request, no
 * serious accessibility violation.
 */

const run = browserAvailable();
const SHIPPER = 'Qingdao Haixing Machinery Export Co. (demo)';

let demo: DemoBrowser;

const cards = (page: Page) => page.getByTestId('itinerary');

async function plan(page: Page, from: string, to: string) {
  await page.getByTestId('plan-from').fill(from);
  await page.getByTestId('plan-to').fill(to);
  await page.getByTestId('plan-submit').click();
  await cards(page).first().waitFor({ timeout: 30_000 });
}

/** Each card's instant (its <time>'s datetime) or text under a test id, in the cards' order. */
async function each(page: Page, testId: string, read: 'datetime' | 'text'): Promise<string[]> {
  const out: string[] = [];
  for (const el of await cards(page).getByTestId(testId).all())
    out.push(
      read === 'datetime'
        ? ((await el.locator('time').getAttribute('datetime')) ?? '')
        : ((await el.textContent()) ?? ''),
    );
  return out;
}

const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1]! <= x);
const usd = (s: string) => Number(s.replace(/[^0-9.]/g, ''));

describe.skipIf(!run)('the planner in a browser', () => {
  beforeAll(async () => {
    demo = await demoBrowser();
  }, 180_000);

  afterAll(async () => {
    await demo?.close();
  });

  it('labels each Qingdao → Istanbul itinerary by the way it goes, with P50 and P90 arrival, transit from the ready date and regimes in words', async () => {
    const page = await demo.signedIn(SHIPPER);
    // The header on one row at 1280 px, the organisation named once; the skip link says where it goes.
    expect((await page.locator('header.top').boundingBox())!.height).toBeLessThan(90);
    expect(await page.locator('header .who span').textContent()).toBe(`${SHIPPER} admin`);
    expect(await page.locator('a.skip').textContent()).toBe('Skip to content');
    await page.getByRole('link', { name: 'Planner' }).click();
    await plan(page, 'Qingdao', 'Istanbul');
    const labels = await cards(page).getByTestId('route-label').allTextContents();
    expect(labels.length).toBe(await cards(page).count());
    // The Middle Corridor over the Caspian and the BTK railway; the southern route through Turkmenistan.
    expect(labels).toContain(' · via Khorgos, Aktau, BTK');
    expect(labels.some((l) => /via Khorgos, Bolashak, Etrek/.test(l))).toBe(true);
    const first = cards(page).first();
    expect(await first.textContent()).toMatch(
      /Transit from ready date, P50–P90\d+(\.\d)?(–\d+(\.\d)?)? days/,
    );
    expect(await first.textContent()).toMatch(/Departs\d{1,2} \w{3} \d{4}, \d\d:\d\d GMT\+8/);
    // Istanbul's own time zone (GMT+3) for both arrivals.
    expect(await first.getByTestId('arrival-p50').textContent()).toMatch(/GMT\+3$/);
    expect(await first.getByTestId('arrival-p90').textContent()).toMatch(/GMT\+3$/);
    expect(await first.getByTestId('regimes').textContent()).toMatch(
      /^export \(CN\) · EAEU transit \(KZ\) · sea crossing \(KZ–AZ\) · national transit \(AZ\) · NCTS common transit \(GE\) · import \(TR\)$/,
    );
    // No code word on any card: regimes, operations and modes are words.
    for (const text of await cards(page).allTextContents())
      expect(text).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
    // One axis for every card: the same days under each bar.
    const axes = await cards(page).getByTestId('transit-axis').allTextContents();
    expect(new Set(axes).size).toBe(1);
    expect(axes[0]).toMatch(/^0(5|10)(10|20)/);
    // The price of each ride, on the card.
    await first.getByText('Legs, prices and documents').click();
    const legs = await first.getByTestId('legs').locator('li:not(.dwell)').allTextContents();
    expect(legs.length).toBeGreaterThan(2);
    for (const leg of legs) expect(leg).toMatch(/ · US\$[\d,]+$/);
    expect(await page.getByTestId('plan-validity').textContent()).toMatch(
      /^Prices held and bookable until /,
    );
    await demo.check(page, 'planner-cards');
    await page.context().close();
  });

  it('sorts the cards by P50, P90, cost and CO2e', async () => {
    const page = await demo.signedIn(SHIPPER);
    await page.getByRole('link', { name: 'Planner' }).click();
    await plan(page, 'Qingdao', 'Istanbul');
    const sort = page.getByLabel('Sort by');
    await sort.selectOption({ label: 'Cost' });
    const costs = (await each(page, 'cost', 'text')).map(usd);
    expect(costs.length).toBeGreaterThan(2);
    expect(ascending(costs)).toBe(true);
    await sort.selectOption({ label: 'Arrival P90' });
    const p90 = (await each(page, 'arrival-p90', 'datetime')).map(Date.parse);
    expect(ascending(p90)).toBe(true);
    await sort.selectOption({ label: 'Arrival P50' });
    const p50 = (await each(page, 'arrival-p50', 'datetime')).map(Date.parse);
    expect(ascending(p50)).toBe(true);
    // By arrival, the cheapest does not come first on this journey: the order did change.
    expect(ascending((await each(page, 'cost', 'text')).map(usd))).toBe(false);
    await page.context().close();
  });

  it('sends every option of the planning API and keeps the plan for the next visit', async () => {
    const page = await demo.signedIn(SHIPPER);
    await page.getByRole('link', { name: 'Planner' }).click();
    await page.getByTestId('plan-from').fill('Qingdao');
    await page.getByTestId('plan-to').fill('Baku');
    await page.getByRole('button', { name: 'Add containers of another type' }).click();
    const groups = page.getByTestId('container-group');
    await groups.nth(1).getByLabel('Number').fill('2');
    await groups.nth(1).getByLabel('Type').selectOption('20GP');
    await groups.nth(1).getByLabel('Gross mass per container, kg').fill('18000');
    await page.getByLabel('Dangerous goods').check();
    const sent = page.waitForRequest(
      (r: Request) => r.method() === 'POST' && r.url().endsWith('/v1/plans'),
    );
    await page.getByTestId('plan-submit').click();
    expect((await sent).postDataJSON()).toMatchObject({
      from: 'Qingdao',
      to: 'Baku',
      hazardous: true,
      containers: [
        { type: '40HC', count: 1 },
        { type: '20GP', count: 2, grossKg: 18000 },
      ],
    });
    await cards(page).first().waitFor({ timeout: 30_000 });
    const shown = await cards(page).count();
    // Back on the planner later: the same plan, without planning again.
    await page.getByRole('link', { name: 'Bookings' }).click();
    await page.getByRole('heading', { name: 'Bookings', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Planner' }).click();
    await cards(page).first().waitFor();
    expect(await cards(page).count()).toBe(shown);
    expect(await page.getByTestId('plan-to').inputValue()).toBe('Baku');
    expect(await page.getByTestId('container-group').count()).toBe(2);
    await page.getByText('Your recent plans (1)').click();
    expect(await page.locator('.recent-plans li').first().textContent()).toMatch(
      /^Qingdao → Baku · 1×40HC, 2×20GP · .+Prices held and bookable until /,
    );
    await page.context().close();
  });

  it('names an unknown place next to its field, says what to do and offers the places it may mean', async () => {
    const page = await demo.signedIn(SHIPPER);
    // This page's one refused request is the plan it asks for; it is checked here, not below.
    const seen = demo.problems.pop()!;
    await page.getByRole('link', { name: 'Planner' }).click();
    await page.getByTestId('plan-from').fill('Qingdao');
    await page.getByTestId('plan-to').fill('Bakuu');
    await page.getByTestId('plan-submit').click();
    const error = page.locator('#plan-to-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(
      /^No place of that name on the corridor\. Choose one from the list as you type, or enter its UN\/LOCODE\./,
    );
    expect(await page.getByTestId('plan-to').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText(/Something went wrong/).count()).toBe(0);
    // Baku, one click away.
    await error.getByRole('button', { name: /^Baku/ }).first().click();
    await page.getByTestId('plan-submit').click();
    await cards(page).first().waitFor({ timeout: 30_000 });
    expect(await error.count()).toBe(0);
    expect(seen.requests).toEqual([expect.stringMatching(/POST .*\/v1\/plans: 422$/)]);
    await page.context().close();
  });

  it('reads in Russian: the count of itineraries with its plural form, regimes and documents in words', async () => {
    const page = await demo.signedIn(SHIPPER);
    await page.getByTestId('language').selectOption('ru');
    await page.getByRole('link', { name: 'Планировщик' }).click();
    await plan(page, 'Qingdao', 'Istanbul');
    const n = await cards(page).count();
    // CLDR's Russian: 1, 21… маршрут; 2–4, 22–24… маршрута; 5–20, 25–30… маршрутов.
    const form =
      n % 10 === 1 && n % 100 !== 11
        ? 'маршрут'
        : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)
          ? 'маршрута'
          : 'маршрутов';
    await page
      .getByRole('status')
      .filter({ hasText: `${n} ${form}` })
      .first()
      .waitFor();
    expect(await page.getByText(/Маршрутов: \d/).count()).toBe(0);
    const first = cards(page).first();
    expect(await first.getByTestId('regimes').textContent()).toMatch(
      /^экспорт \(CN\) · транзит ЕАЭС \(KZ\) · морская переправа \(KZ–AZ\)/,
    );
    const documents = (await first.getByTestId('documents').textContent()) ?? '';
    expect(documents).toMatch(/^Документы: коммерческий инвойс, упаковочный лист/);
    expect(documents).toContain('экспортная декларация (CN)');
    expect(documents).toContain('транзитная декларация ЕАЭС (KZ)');
    // No English left among the documents' names, the CIM/SMGS and NCTS abbreviations aside.
    expect(documents.replace(/CIM|SMGS|NCTS|eTIR|CMR/g, '')).not.toMatch(/[a-z]{3,}/);
    // Days in Russian words with their plural: "25,9 дня", "20 дней".
    expect(await first.textContent()).toMatch(/\d+(,\d)? (день|дня|дней)/);
    await page.context().close();
  });

  it('plans 青岛 → 巴库 to Baku: places are found by their Chinese names', async () => {
    const page = await demo.signedIn(SHIPPER);
    await page.getByRole('link', { name: 'Planner' }).click();
    const sent = page.waitForResponse((r) => r.url().endsWith('/v1/plans'));
    await plan(page, '青岛', '巴库');
    expect((await sent).status()).toBe(200);
    const answer = (await (await sent).json()) as { request: { from: string; to: string } };
    expect(answer.request).toMatchObject({ from: 'CN_QINGDAO_PORT', to: 'AZ_BAKU' });
    expect(await cards(page).count()).toBeGreaterThan(0);
    // In Chinese and in Russian the cards name the places as those languages do.
    await page.getByTestId('language').selectOption('zh');
    await expect
      .poll(() => cards(page).getByTestId('route-label').allTextContents())
      .toContainEqual(expect.stringMatching(/霍尔果斯.*阿克套/));
    expect(await cards(page).first().textContent()).toMatch(/青岛 → .*巴库/);
    await page.getByTestId('language').selectOption('ru');
    await expect
      .poll(() => cards(page).getByTestId('route-label').allTextContents())
      .toContainEqual(expect.stringMatching(/Актау/));
    await page.context().close();
  });

  it('fits a 390-px phone without sideways scrolling, with two container groups and the cards', async () => {
    const page = await demo.signedIn(SHIPPER);
    await page.setViewportSize({ width: 390, height: 844 });
    // On a phone the navigation opens from the header's menu button.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Planner' }).click();
    await page.getByRole('button', { name: 'Add containers of another type' }).click();
    await plan(page, 'Qingdao', 'Istanbul');
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it('frames the chosen itinerary on the map, zooms in and out with place names by zoom level', async () => {
    const page = await demo.signedIn(SHIPPER);
    await page.getByRole('link', { name: 'Planner' }).click();
    await plan(page, 'Qingdao', 'Baku');
    const map = page.getByTestId('corridor-map');
    const width = async () => Number((await map.getAttribute('viewBox'))!.split(' ')[2]);
    const labels = () => page.getByTestId('place-labels').locator('text').count();
    // The route chosen is framed: the drawing is enlarged, its places named.
    await expect.poll(async () => Number(await map.getAttribute('data-scale'))).toBeGreaterThan(1);
    await page.getByRole('button', { name: 'Whole corridor' }).click();
    expect(await map.getAttribute('data-scale')).toBe('1.00');
    const whole = await width();
    const few = await labels();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    expect(await map.getAttribute('data-scale')).toBe('4.00');
    expect(await width()).toBeCloseTo(whole / 4, 0);
    expect(await labels()).toBeGreaterThan(few);
    expect(await page.getByTestId('place-labels').textContent()).toContain('Aktau');
    await page.getByRole('button', { name: 'Zoom out' }).click();
    expect(await width()).toBeCloseTo(whole / 2, 0);
    // Dragging moves the view.
    const before = await map.getAttribute('viewBox');
    const box = (await map.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 20, { steps: 4 });
    await page.mouse.up();
    expect(await map.getAttribute('viewBox')).not.toBe(before);
    await demo.check(page, 'planner-map-zoom');
    await page.context().close();
  });

  it('draws the Qingdao → Rotterdam voyage via Suez over the sea, not across Asia', async () => {
    const page = await demo.signedIn(SHIPPER);
    await page.getByRole('link', { name: 'Planner' }).click();
    await plan(page, 'Qingdao', 'Rotterdam');
    const bySea = cards(page).filter({ hasText: 'Sea route' }).first();
    await bySea.getByRole('button', { name: 'Show on map' }).click();
    const leg = page.getByTestId('map-route').getByTestId('map-sea-leg');
    await leg.first().waitFor();
    // Points along the drawn voyage, each tested against the countries drawn under it.
    const { points, overLand } = await page.evaluate<{
      points: number;
      overLand: string[];
    }>(`(() => {
      const leg = document.querySelector('[data-testid=map-route] [data-testid=map-sea-leg]');
      const land = [...document.querySelectorAll('[data-testid=corridor-map] .countries path')];
      const svg = leg.ownerSVGElement;
      const length = leg.getTotalLength();
      const ports = [...document.querySelectorAll('[data-testid=corridor-map] circle.on-route')].map(
        (c) => [c.cx.baseVal.value, c.cy.baseVal.value],
      );
      let points = 0;
      const overLand = new Set();
      for (let d = 0; d <= length; d += 2) {
        const at = leg.getPointAtLength(d);
        const p = svg.createSVGPoint();
        p.x = at.x; p.y = at.y;
        points++;
        // The last few kilometres into a port are under its marker (ports sit inland at 1:110m).
        if (ports.some(([x, y]) => Math.hypot(x - at.x, y - at.y) < 6)) continue;
        const country = land.find((c) => c.isPointInFill(p));
        if (country) overLand.add(country.dataset.country);
      }
      return { points, overLand: [...overLand] };
    })()`);
    // A straight line from Qingdao towards Rotterdam is over China, Mongolia and Kazakhstan. The
    // voyage is over land only in Egypt: the Suez Canal, which the 1:110m coastline does not show.
    expect(points).toBeGreaterThan(50);
    expect(overLand).toEqual(['Egypt']);
    await page.context().close();
  });

  it('shows no console error, no failed request and no serious accessibility violation', () => {
    expectCleanPages(demo, 1);
  });
});
