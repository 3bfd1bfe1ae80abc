import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
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
import { manualClock } from '../support/clock.ts';
import { containerNumber } from '../support/containers.ts';
import { testServer, type TestServer } from '../support/server.ts';

/**
 * The customs desk in chromium with the demo's own administrations: a Qingdao → Baku declaration
 * (lodged by the shipper through the API: lodging has its own form) is found by the officer of
 * each country on the route at the office the desk opens on; green is released on arrival,
 * confirmed in words, listed among the day's decisions and undone; yellow waits for its documents
 * to be checked; red for its inspection; another box is refused; the rule editor starts from the
 * rule set in force.
 */
const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
const run = browserAvailable();
const clock = manualClock();
let server: TestServer;
let base: string;
let browser: Browser;
const people: Record<string, { email: string; password: string }> = {};
const keys: Record<string, string> = {};
const problems: PageProblems[] = [];
const a11y: Record<string, string[]> = {};
const ORGS = {
  shipper: ['Qingdao Haixing Machinery Export Co. (demo)', 'admin'],
  CN: ['General Administration of Customs of China', 'officer'],
  KZ: ['State Revenue Committee of Kazakhstan (customs)', 'officer'],
  AZ: ['State Customs Committee of Azerbaijan', 'officer'],
} as const;

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

let serial = 700;
async function lodge(lrn: string, hsCode: string, description: string): Promise<string> {
  const plan = (await api('shipper', 'POST', '/v1/plans', {
    from: 'Qingdao',
    to: 'Baku',
    depart: '2026-12-01',
    containers: '1x40HC',
  })) as { planId: string; itineraries: { id: string; legs: { kind: string; to?: string }[] }[] };
  // The itinerary that leaves China at Khorgos, so Kazakhstan's office is Altynkol.
  const viaKhorgos =
    plan.itineraries.find((i) => i.legs.some((l) => l.kind === 'ride' && l.to === 'CN_KHORGOS')) ??
    plan.itineraries[0]!;
  const d = await api('shipper', 'POST', '/v1/customs/declarations', {
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
            description,
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

async function desk(who: keyof typeof ORGS): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', bypassCSP: true });
  await context.clock.install({ time: clock.now() });
  const page = await context.newPage();
  problems.push(watch(page));
  await page.goto(base);
  await page.getByLabel('E-mail').fill(people[who]!.email);
  await page.getByLabel('Password').fill(people[who]!.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').waitFor();
  await page.getByRole('link', { name: 'Customs desk' }).click();
  return page;
}

const card = (page: Page, mrn: string) =>
  page.locator(`[data-testid=queue-item][data-mrn="${mrn}"]`);
const done = (page: Page) => page.getByTestId('customs-done');

describe.skipIf(!run)('the customs desk in a browser', () => {
  let machinery = '';
  let furniture = '';

  beforeAll(async () => {
    server = await testServer(undefined, clock, { webRoot: WEB_ROOT });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`;
    const { credentials } = await seedDemo(
      server.accounts,
      new PgDirectoryStore(server.database.db),
    );
    const organisations = await server.accounts.stores.organisations.list();
    for (const [who, [name, role]] of Object.entries(ORGS)) {
      const c = credentials.find((x) => x.organisation === name && x.role === role)!;
      people[who] = { email: c.email, password: c.password };
      const org = organisations.find((o) => o.name === name)!;
      keys[who] = (
        await createApiKey(server.accounts, undefined, org.id, { name: 'setup', role: 'admin' })
      ).key;
    }
    // Kazakhstan checks the documents of machinery parts; Azerbaijan inspects them.
    for (const [country, lane] of [
      ['KZ', 'yellow'],
      ['AZ', 'red'],
    ] as const)
      await api(country, 'PUT', `/v1/customs/rule-sets/${country}`, {
        rules: [
          {
            id: `machinery-${lane}`,
            description: `Machinery parts: ${lane === 'yellow' ? 'check the invoice' : 'open the box'}`,
            lane,
            probability: 1,
            when: { hsPrefixes: ['8431'] },
          },
        ],
      });
    machinery = await lodge('LRN-WEB-MACH', '843149', 'Excavator parts');
    furniture = await lodge('LRN-WEB-FURN', '940360', 'Wooden furniture');
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('China: green released on arrival, confirmed, listed today and undone; another refused', async () => {
    const page = await desk('CN');
    // The desk opens on the office with the work: Qingdao, where the box departs.
    await card(page, machinery).waitFor();
    expect(await page.getByRole('combobox', { name: /^Office/ }).inputValue()).toBe('CNTAO001');
    const box = card(page, machinery);
    expect(await box.getByTestId('declarant').textContent()).toMatch(/Qingdao Haixing/);
    expect(await box.getByTestId('goods').textContent()).toMatch(/Excavator parts \(HS 843149\)/);
    expect(await box.getByTestId('containers').textContent()).toMatch(/^TGHU\d{7}$/);
    expect(await box.getByTestId('transport').textContent()).toMatch(/\(Rail\)$/);
    expect(await box.locator('.lane').textContent()).toBe('Green');
    a11y['customs-desk'] = await seriousViolations(page);
    await box.getByRole('button', { name: 'Record arrival' }).click();
    await expect
      .poll(() => done(page).textContent())
      .toMatch(new RegExp(`Arrival of ${machinery} recorded: released`));
    await expect.poll(() => box.count()).toBe(0);
    const today = page.getByTestId('decided-today');
    await expect
      .poll(() => today.textContent())
      .toMatch(new RegExp(`${machinery} · arrival recorded`));
    await done(page).getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => done(page).textContent()).toMatch(/undone: assessed/);
    await box.waitFor();
    await expect.poll(() => today.locator('[data-action=undo]').count()).toBe(1);
    await box.getByRole('button', { name: 'Record arrival' }).click();
    await expect.poll(() => box.count()).toBe(0);
    // Refusing asks first, and needs the reason.
    const other = card(page, furniture);
    await other.getByLabel('Note').fill('no export licence');
    await other.getByRole('button', { name: 'Refuse', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, refuse' }).click();
    await expect.poll(() => done(page).textContent()).toMatch(new RegExp(`${furniture} refused`));
    await expect.poll(() => other.count()).toBe(0);
    // The rule editor starts from the rule set in force: none published, everything green.
    expect(await page.getByTestId('rule-version').textContent()).toMatch(/No rule set published/);
    expect(await page.getByLabel('Rule set (JSON)').inputValue()).toMatch(/"rules": \[\]/);
    expect(await page.getByTestId('rule-schema').textContent()).toMatch(/hsPrefixes/);
    await page.waitForLoadState('networkidle');
    a11y['customs-desk-decided'] = await seriousViolations(page);
    await page.context().close();
  });

  it('Kazakhstan: yellow waits for its documents to be checked, then is released', async () => {
    const page = await desk('KZ');
    await card(page, machinery).waitFor();
    // The train crosses into Kazakhstan at Altynkol: the desk opens there, not on Almaty.
    expect(await page.getByRole('combobox', { name: /^Office/ }).inputValue()).toBe('KZALT001');
    const box = card(page, machinery);
    expect(await box.locator('.lane').textContent()).toBe('Yellow');
    expect(await box.getByTestId('reasons').textContent()).toMatch(
      /Machinery parts: check the invoice → Yellow/,
    );
    await box.getByRole('button', { name: 'Record arrival' }).click();
    await expect.poll(() => done(page).textContent()).toMatch(/recorded: assessed/);
    expect(await box.getByRole('button', { name: 'Release' }).count()).toBe(0);
    await box.getByRole('button', { name: 'Documents checked' }).click();
    await expect.poll(() => done(page).textContent()).toMatch(/recorded as checked/);
    await box.getByRole('button', { name: 'Release' }).click();
    await expect.poll(() => done(page).textContent()).toMatch(new RegExp(`${machinery} released`));
    await expect.poll(() => box.count()).toBe(0);
    // The rule editor shows Kazakhstan's rules in force.
    expect(await page.getByTestId('rule-version').textContent()).toMatch(/version 1/);
    expect(await page.getByLabel('Rule set (JSON)').inputValue()).toMatch(/machinery-yellow/);
    await page.waitForLoadState('networkidle');
    a11y['customs-desk-yellow'] = await seriousViolations(page);
    await page.context().close();
  });

  it('Azerbaijan: red is inspected at Alat, then released', async () => {
    const page = await desk('AZ');
    await card(page, machinery).waitFor();
    expect(await page.getByRole('combobox', { name: /^Office/ }).inputValue()).toBe('AZBAK001');
    const box = card(page, machinery);
    expect(await box.locator('.lane').textContent()).toBe('Red');
    expect(['(Sea)', '(Ferry)']).toContain(
      (await box.getByTestId('transport').textContent())!.match(/\(\w+\)$/)?.[0],
    );
    await box.getByRole('button', { name: 'Record arrival' }).click();
    await box.getByRole('button', { name: 'Record inspection' }).click();
    await expect.poll(() => done(page).textContent()).toMatch(/Inspection of .* recorded/);
    await box.getByRole('button', { name: 'Release' }).click();
    await expect.poll(() => box.count()).toBe(0);
    const { segments } = (await api(
      'shipper',
      'GET',
      `/v1/customs/declarations/${((await api('shipper', 'GET', '/v1/customs/declarations')) as { declarations: { id: string; mrn: string }[] }).declarations.find((d) => d.mrn === machinery)!.id}`,
    )) as { segments: { country: string; state: string }[] };
    expect(segments.map((s) => [s.country, s.state])).toEqual([
      ['CN', 'released'],
      ['KZ', 'released'],
      ['AZ', 'released'],
    ]);
    await page.context().close();
  });

  it('had no console error, no failed request and no serious accessibility violation', () => {
    expect({
      console: problems.flatMap((p) => p.console),
      requests: problems.flatMap((p) => p.requests),
    }).toEqual({ console: [], requests: [] });
    expect(Object.keys(a11y).length).toBe(3);
    for (const [page, violations] of Object.entries(a11y))
      expect({ page, violations }).toEqual({ page, violations: [] });
  });
});
