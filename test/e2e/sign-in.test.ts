import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation, createUser } from '../../src/app/manage-accounts.ts';
import {
  browserAvailable,
  launchBrowser,
  seriousViolations,
  watch,
  type PageProblems,
} from '../support/browser.ts';
import { manualClock } from '../support/clock.ts';
import { testServer, type TestServer } from '../support/server.ts';

/**
 * Signing in, in Debian's chromium against the real server, with an e-mail address that users of
 * three organisations have, two of them with the same password: the page asks which of those two
 * (never the third), in the page's language, and signs in to the one chosen. No console error, no
 * failed request other than the sign-in's question, no serious accessibility violation.
 */

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
const SCREENSHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS ? '../../docs/screenshots' : '../../reports/screenshots',
    import.meta.url,
  ),
);
const run = browserAvailable();

const EMAIL = 'shared.desk@caspian.example';
const PASSWORD = 'one password for two desks';
const ORGANISATIONS = ['Aktau Forwarding LLP', 'Alat Logistics LLC'];
const OTHER = 'Baku Brokers LLC';

let server: TestServer;
let base: string;
let browser: Browser;
const problems: PageProblems[] = [];
const a11y: Record<string, string[]> = {};
/** Sign-in answers the test provokes (the question for the organisation), in order. */
let asked = 0;

const clock = manualClock();

async function browserContext(language?: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: 'en-GB',
    bypassCSP: true,
    viewport: { width: 1280, height: 900 },
  });
  await context.clock.install({ time: clock.now() });
  if (language)
    await context.addInitScript({
      content: `localStorage.setItem('corridor.language', ${JSON.stringify(language)})`,
    });
  return context;
}

async function open(language?: string): Promise<Page> {
  const page = await (await browserContext(language)).newPage();
  problems.push(watch(page));
  await page.goto(base);
  return page;
}

async function fill(page: Page, labels: { email: string; password: string; submit: string }) {
  await page.getByLabel(labels.email).fill(EMAIL);
  await page.getByLabel(labels.password).fill(PASSWORD);
  asked += 1;
  await page.getByRole('button', { name: labels.submit }).click();
}

const ENGLISH_NOTE =
  'This e-mail address and password open accounts in several organisations: choose the one to sign in to.';
const ENGLISH = { email: 'E-mail', password: 'Password', submit: 'Sign in' };

describe.skipIf(!run)('signing in with an e-mail address of several organisations', () => {
  beforeAll(async () => {
    server = await testServer(undefined, clock, { webRoot: WEB_ROOT });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`;
    for (const name of ORGANISATIONS) {
      const org = await createOrganisation(server.accounts, undefined, {
        name,
        kind: 'forwarder',
        country: 'AZ',
      });
      await createUser(server.accounts, undefined, org.id, {
        email: EMAIL,
        name: 'Shared desk',
        role: 'member',
        password: PASSWORD,
      });
    }
    // The same address with another password: never offered.
    const other = await createOrganisation(server.accounts, undefined, {
      name: OTHER,
      kind: 'forwarder',
      country: 'AZ',
    });
    await createUser(server.accounts, undefined, other.id, {
      email: EMAIL,
      name: 'Broker desk',
      role: 'member',
    });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks which organisation, offering only those the password opens, and signs in to the one chosen', async () => {
    const page = await open();
    await fill(page, ENGLISH);
    const choice = page.getByLabel('Organisation');
    await choice.waitFor();
    expect(await page.getByRole('status').textContent()).toBe(ENGLISH_NOTE);
    expect(await page.getByRole('navigation').count()).toBe(0);
    const offered = await choice.locator('option:not([disabled])').allTextContents();
    expect(offered.sort()).toEqual([...ORGANISATIONS].sort());
    expect(await page.locator('main').textContent()).not.toMatch(/org_/);
    await page.waitForLoadState('networkidle');
    a11y['sign-in-organisation'] = await seriousViolations(page);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}/sign-in-organisation.png`, fullPage: true });

    await choice.selectOption({ label: ORGANISATIONS[1]! });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation').waitFor();
    await page.getByText(`Shared desk, ${ORGANISATIONS[1]}`).filter({ visible: true }).waitFor();
    // Signed in to that organisation for the server too, after a reload.
    await page.reload();
    await page.getByText(`Shared desk, ${ORGANISATIONS[1]}`).filter({ visible: true }).waitFor();
    await page.context().close();
  });

  it('asks again when the password changes, and a wrong one is refused as any other', async () => {
    const page = await open();
    await fill(page, ENGLISH);
    await page.getByLabel('Organisation').waitFor();
    await page.getByLabel('Password').fill('not the password at all');
    expect(await page.getByLabel('Organisation').count()).toBe(0);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/^Sign-in failed: /);
    expect(await page.getByLabel('Organisation').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain(ORGANISATIONS[0]);
    await page.context().close();
  });

  it('asks in every language of the platform', async () => {
    const languages: Record<string, { labels: typeof ENGLISH; organisation: string }> = {
      zh: { labels: { email: '电子邮箱', password: '密码', submit: '登录' }, organisation: '组织' },
      ru: {
        labels: { email: 'Эл. почта', password: 'Пароль', submit: 'Войти' },
        organisation: 'Организация',
      },
      az: {
        labels: { email: 'E-poçt', password: 'Şifrə', submit: 'Daxil ol' },
        organisation: 'Təşkilat',
      },
      kk: {
        labels: { email: 'Электрондық пошта', password: 'Құпиясөз', submit: 'Кіру' },
        organisation: 'Ұйым',
      },
      ka: {
        labels: { email: 'ელფოსტა', password: 'პაროლი', submit: 'შესვლა' },
        organisation: 'ორგანიზაცია',
      },
    };
    for (const [code, { labels, organisation }] of Object.entries(languages)) {
      const page = await open(code);
      await fill(page, labels);
      const choice = page.getByRole('combobox', { name: organisation });
      await choice.waitFor();
      const note = await page.getByRole('status').textContent();
      expect({ code, note }).not.toEqual({ code, note: ENGLISH_NOTE });
      await choice.selectOption({ label: ORGANISATIONS[0]! });
      await page.getByRole('button', { name: labels.submit }).click();
      await page.getByRole('navigation').waitFor();
      await page.getByText(ORGANISATIONS[0]!).first().waitFor();
      await page.context().close();
    }
  });

  it('had no console error, no failed request but the questions and no serious accessibility violation', () => {
    const requests = problems.flatMap((p) => p.requests);
    const console = problems.flatMap((p) => p.console);
    const question = `POST ${base}/v1/auth/login: 400`;
    const wrong = `POST ${base}/v1/auth/login: 401`;
    expect(requests.filter((r) => r === question)).toHaveLength(asked);
    expect(requests.filter((r) => r === wrong)).toHaveLength(1);
    expect(requests.filter((r) => r !== question && r !== wrong)).toEqual([]);
    // The browser's own line for each refused request, and nothing else.
    expect(
      console.filter(
        (c) => !/^Failed to load resource: the server responded with a status of 40[01]/.test(c),
      ),
    ).toEqual([]);
    expect(Object.keys(a11y)).toHaveLength(1);
    for (const [page, violations] of Object.entries(a11y))
      expect({ page, violations }).toEqual({ page, violations: [] });
  });
});
