import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser.ts';
import { demoBrowser, expectCleanPages, type DemoBrowser } from '../support/demo-browser.ts';

/**
 * An enterprise's job on the service desk, in Debian's chromium against the real server with the
 * demo's organisations and accounts: a grower finds ASCO by its name and a cold store at Alat by
 * what it does, asks the cold store for storage; the cold store's own account answers with an
 * offer; the grower accepts it and sees whom to call. Each step through the pages a person uses;
 * the API is read only to check what the pages said. No console error, no failed request, no
 * serious accessibility violation.
 */

const run = browserAvailable();
const ENTERPRISE = 'Ganja Hazelnut Growers LLC (demo)';
const COLD_STORE = 'Alat Cold Chain Terminal (demo)';
const NEED =
  'Chilled storage for 60 tonnes of shelled hazelnuts a month at 0–5 °C before they leave by rail for Xi’an.';
const TERMS = 'Per tonne and month at 0–5 °C, handling in and out included; invoiced monthly.';

let demo: DemoBrowser;

interface RequestJson {
  id: string;
  state: string;
  service: string;
  nodeId: string | null;
  description: string;
  providerName: string;
  requesterName: string;
  offer: { price: number; currency: string; terms: string } | null;
}

async function serviceDesk(page: Page) {
  await page.getByRole('link', { name: 'Service desk' }).click();
  await page.getByRole('heading', { name: 'Service desk', level: 1 }).waitFor();
}

async function search(page: Page, words: string) {
  const box = page.getByRole('search');
  await box.getByRole('searchbox').fill(words);
  await box.getByRole('button', { name: 'Search the directory' }).click();
  await page.waitForLoadState('networkidle');
  return page.getByTestId('directory-result').getByRole('heading', { level: 2 });
}

/** The request of this job as the desk lists it, found by what the enterprise wrote. */
const ours = (page: Page) => page.getByTestId('service-request').filter({ hasText: NEED });

describe.skipIf(!run)('an enterprise’s job on the service desk, in a browser', () => {
  beforeAll(async () => {
    demo = await demoBrowser({ activity: true });
  }, 180_000);

  afterAll(async () => {
    await demo?.close();
  });

  it('finds ASCO by name and a cold store at Alat by words, and requests storage', async () => {
    const page = await demo.signedIn(ENTERPRISE);
    await serviceDesk(page);

    const byName = await search(page, 'ASCO');
    await expect.poll(async () => (await byName.allTextContents())[0]).toMatch(/^ASCO /);
    await demo.check(page, 'enterprise-asco');

    const byWords = await search(page, 'cold storage Alat');
    await expect
      .poll(async () => (await byWords.allTextContents()).slice(0, 3).join(' | '))
      .toContain(COLD_STORE);
    const card = page.getByTestId('directory-result').filter({ hasText: COLD_STORE });
    expect(await card.textContent()).toContain('Cold storage in the Alat Free Economic Zone');

    await card.getByRole('button', { name: 'Request a service' }).click();
    const form = card.getByRole('form', { name: `Request to ${COLD_STORE}` });
    await form.getByLabel('Service').selectOption({ label: 'warehousing' });
    await form.getByLabel('Where').selectOption('AZ_ALAT_FEZ');
    await form.getByLabel('What you need').fill(NEED);
    await demo.check(page, 'enterprise-request');
    await form.getByRole('button', { name: 'Send request' }).click();
    await card.getByRole('status').waitFor();
    expect(await card.getByRole('status').textContent()).toContain(`Request sent to ${COLD_STORE}`);

    const item = ours(page);
    await item.waitFor();
    expect(await item.getAttribute('data-state')).toBe('requested');
    expect(await item.textContent()).toContain(`${ENTERPRISE} → ${COLD_STORE}`);
    const { requests } = await demo.read<{ requests: RequestJson[] }>(
      ENTERPRISE,
      '/v1/service-requests',
    );
    const sent = requests.find((r) => r.description === NEED)!;
    expect(sent).toMatchObject({
      state: 'requested',
      service: 'warehousing',
      nodeId: 'AZ_ALAT_FEZ',
      providerName: COLD_STORE,
    });
    await page.context().close();
  });

  it('has the cold store’s own account answer with an offer', async () => {
    const page = await demo.signedIn(COLD_STORE);
    await serviceDesk(page);
    const item = ours(page);
    await item.waitFor();
    expect(await item.getAttribute('data-state')).toBe('requested');
    const form = item.getByRole('form', { name: `Offer to ${ENTERPRISE}` });
    await form.getByLabel('Price (USD)').fill('2400');
    await form.getByLabel('Terms').fill(TERMS);
    await demo.check(page, 'enterprise-provider-offer');
    await form.getByRole('button', { name: 'Make offer' }).click();
    await expect.poll(() => item.getAttribute('data-state')).toBe('offered');
    expect(await item.getByTestId('request-offer').textContent()).toContain('US$2,400');
    await page.context().close();
  });

  it('has the enterprise accept the offer and see whom to call', async () => {
    const page = await demo.signedIn(ENTERPRISE);
    await serviceDesk(page);
    const item = ours(page);
    await item.waitFor();
    expect(await item.getAttribute('data-state')).toBe('offered');
    const offer = await item.getByTestId('request-offer').textContent();
    expect(offer).toContain('US$2,400');
    expect(offer).toContain(TERMS);
    await demo.check(page, 'enterprise-offer');
    await item.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => item.getAttribute('data-state')).toBe('accepted');
    await item.getByTestId('request-contact').waitFor();
    expect(await item.getByTestId('request-contact').textContent()).toMatch(/^Contact: \S/);
    await demo.check(page, 'enterprise-accepted');
    const { requests } = await demo.read<{ requests: RequestJson[] }>(
      COLD_STORE,
      '/v1/service-requests',
    );
    expect(requests.find((r) => r.description === NEED)).toMatchObject({
      state: 'accepted',
      offer: { price: 2400, currency: 'USD', terms: TERMS },
    });
    await page.context().close();
  });

  it('had no console error, no failed request and no serious accessibility violation', () => {
    expectCleanPages(demo, 5);
  });
});
