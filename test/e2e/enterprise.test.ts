import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser.ts';
import { demoBrowser, expectCleanPages, type DemoBrowser } from '../support/demo-browser.ts';

/**
 * An enterprise's job on the service desk, in Debian's chromium against the real server with the
 * demo's organisations, accounts and traffic: a hazelnut grower finds ASCO by name and a cold
 * store at Alat by words, requests chilled storage there; the cold store's own account sees the
 * request and makes an offer; the grower accepts it; both see it accepted and each other's
 * contact. Only the pages; the API is read to check what they said. No console error, no failed
 * request, no serious accessibility violation.
 */

const run = browserAvailable();
const ENTERPRISE = 'Ganja Hazelnut Growers LLC (demo)';
const COLD_STORE = 'Alat Cold Chain Terminal (demo)';
const NEED = 'Chilled storage for 40 t of shelled hazelnuts a month before they leave for Xi’an.';

let demo: DemoBrowser;

async function search(page: Page, words: string) {
  await page.getByTestId('directory-q').fill(words);
  await page.getByRole('search').getByRole('button', { name: 'Search the directory' }).click();
  await expect
    .poll(() => page.getByTestId('directory-result').first().textContent())
    .not.toBeNull();
}

const request = (page: Page) => page.getByTestId('service-request').filter({ hasText: NEED });

describe.skipIf(!run)('an enterprise’s job on the service desk, in a browser', () => {
  beforeAll(async () => {
    demo = await demoBrowser({ activity: true });
  }, 180_000);

  afterAll(async () => {
    await demo?.close();
  });

  it('finds ASCO by name and a cold store at Alat by words, and requests chilled storage', async () => {
    const page = await demo.signedIn(ENTERPRISE);
    await page.getByRole('link', { name: 'Service desk' }).click();
    await page.getByRole('heading', { name: 'Service desk', level: 1 }).waitFor();
    await search(page, 'ASCO');
    const asco = page.getByTestId('directory-result').first();
    await expect
      .poll(() => asco.getByRole('heading').textContent())
      .toMatch(/^ASCO \(Azerbaijan Caspian Shipping\)/);
    expect(await asco.textContent()).toMatch(/Carrier · AZ · freight forwarding/);
    await search(page, 'cold storage Alat');
    const store = page.getByTestId('directory-result').first();
    await expect.poll(() => store.getByRole('heading').textContent()).toContain(COLD_STORE);
    expect(await store.textContent()).toMatch(/Service provider · AZ · warehousing/);
    expect(await store.getByTestId('directory-contact').count()).toBe(0);
    await store.getByRole('button', { name: 'Request a service' }).click();
    const form = page.getByRole('form', { name: `Request to ${COLD_STORE}` });
    await form.getByLabel('Service').selectOption({ label: 'warehousing' });
    await form.getByLabel('Where').selectOption({ label: 'Alat Free Economic Zone (AFEZ)' });
    await form.getByLabel('What you need').fill(NEED);
    await demo.check(page, 'service-request-form');
    await form.getByRole('button', { name: 'Send request' }).click();
    await store.getByRole('status').waitFor();
    expect(await store.getByRole('status').textContent()).toContain(
      `Request sent to ${COLD_STORE}`,
    );
    await request(page).waitFor();
    expect(await request(page).getAttribute('data-state')).toBe('requested');
    expect(await request(page).textContent()).toMatch(/Where: Alat Free Economic Zone \(AFEZ\)/);
    await page.context().close();
  });

  it('lets the cold store see the request and make an offer', async () => {
    const page = await demo.signedIn(COLD_STORE);
    await page.getByRole('heading', { name: 'Service desk', level: 1 }).waitFor();
    const mine = request(page);
    await mine.waitFor();
    expect(await mine.getByRole('heading').textContent()).toMatch(
      new RegExp(`^${ENTERPRISE.replace(/[()]/g, '\\$&')} → .+ · warehousing · requested`),
    );
    const offer = mine.getByRole('form', { name: `Offer to ${ENTERPRISE}` });
    await offer.getByLabel('Price (USD)').fill('950');
    await offer.getByLabel('Terms').fill('Per month for up to 40 t at 0–4 °C, invoiced monthly.');
    await demo.check(page, 'service-request-offer');
    await offer.getByRole('button', { name: 'Make offer' }).click();
    await expect.poll(() => mine.getAttribute('data-state')).toBe('offered');
    expect(await mine.getByTestId('request-offer').textContent()).toMatch(
      /^Offer: US\$950 · Per month .+ · Valid until /,
    );
    await page.context().close();
  });

  it('lets the enterprise accept the offer; both sides see it accepted, with each other’s contact', async () => {
    const page = await demo.signedIn(ENTERPRISE);
    await page.getByRole('link', { name: 'Service desk' }).click();
    const mine = request(page);
    await mine.waitFor();
    expect(await mine.getAttribute('data-state')).toBe('offered');
    await mine.getByRole('button', { name: 'Accept', exact: true }).click();
    await expect.poll(() => mine.getAttribute('data-state')).toBe('accepted');
    await expect
      .poll(() => mine.getByTestId('request-contact').textContent())
      .toContain('contact@alat-cold-chain.example');
    // The cold store's contact is now shown in the directory too.
    await search(page, 'cold storage Alat');
    await expect
      .poll(() => page.getByTestId('directory-result').first().textContent())
      .toContain('contact@alat-cold-chain.example');
    await demo.check(page, 'service-request-accepted');
    await page.context().close();

    const store = await demo.signedIn(COLD_STORE);
    const theirs = request(store);
    await theirs.waitFor();
    expect(await theirs.getAttribute('data-state')).toBe('accepted');
    expect(await theirs.getByTestId('request-contact').textContent()).toContain(
      'contact@ganja-hazelnut.example',
    );
    await store.context().close();
    const { requests } = await demo.read<{
      requests: { description: string; state: string; offer: { price: number } | null }[];
    }>(ENTERPRISE, '/v1/service-requests');
    const sent = requests.filter((r) => r.description === NEED);
    expect(sent.map((r) => [r.state, r.offer?.price])).toEqual([['accepted', 950]]);
  });

  it('had no console error, no failed request and no serious accessibility violation', () => {
    expectCleanPages(demo, 3);
  });
});
