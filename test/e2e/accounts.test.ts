import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createUser } from '../../src/app/manage-accounts.ts';
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
import { testServer, type TestServer } from '../support/server.ts';

/**
 * Account management in Debian's chromium against the real server with the demo's accounts: a
 * demo shipper's admin opens Users, disables a member (a double-click makes one change) and the
 * member's next page is sign-in; enables the member again; gives a new password, shown once, that
 * signs in; ends the member's session. No console error, no failed request other than the
 * refusals the test expects, no serious accessibility violation.
 */

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
const SCREENSHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS ? '../../docs/screenshots' : '../../reports/screenshots',
    import.meta.url,
  ),
);
const run = browserAvailable();
const SHIPPER = 'Qingdao Haixing Machinery Export Co. (demo)';

let server: TestServer;
let base: string;
let browser: Browser;
let admin = { email: '', password: '' };
const member = { email: 'dispatcher@qingdao-haixing.example', password: '', id: '' };
let adminKey = '';
const problems: PageProblems[] = [];
/** Refusals the test provokes: each is taken out of the problems once, and must have happened. */
const expected: string[] = [];
const a11y: Record<string, string[]> = {};

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

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').waitFor();
}

async function signedIn(who: { email: string; password: string }): Promise<Page> {
  const page = await (await browserContext()).newPage();
  problems.push(watch(page));
  await page.goto(base);
  await signIn(page, who);
  return page;
}

/** The page, reloaded, asks to sign in: its session was refused (401 from /v1/auth/me). */
async function refused(page: Page) {
  expected.push(`GET ${base}/v1/auth/me: 401`);
  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  expect(await page.getByRole('navigation').count()).toBe(0);
}

async function check(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  a11y[name] = await seriousViolations(page);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

async function audit(action: string): Promise<number> {
  const res = await fetch(`${base}/v1/audit`, { headers: { authorization: `Bearer ${adminKey}` } });
  expect(res.status).toBe(200);
  const { entries } = (await res.json()) as { entries: { action: string; target: string }[] };
  return entries.filter((e) => e.action === action && e.target === member.id).length;
}

function row(page: Page): Locator {
  return page.locator(`[data-testid="user"][data-email="${member.email}"]`);
}

async function confirm(page: Page, yes: string) {
  await page.getByRole('dialog').getByRole('button', { name: yes }).click();
}

describe.skipIf(!run)('account management, in a browser', () => {
  let users: Page;
  /** The member's browser signed in with the new password. */
  let theirs: Page;

  beforeAll(async () => {
    server = await testServer(undefined, clock, { webRoot: WEB_ROOT });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`;
    const { credentials } = await seedDemo(
      server.accounts,
      new PgDirectoryStore(server.database.db),
    );
    const c = credentials.find((x) => x.organisation === SHIPPER && x.role === 'admin')!;
    admin = { email: c.email, password: c.password };
    const org = (await server.accounts.stores.organisations.list()).find(
      (o) => o.name === SHIPPER,
    )!;
    const created = await createUser(server.accounts, undefined, org.id, {
      email: member.email,
      name: 'Li Wei',
      role: 'member',
    });
    member.password = created.password!;
    member.id = created.user.id;
    adminKey = (
      await createApiKey(server.accounts, undefined, org.id, { name: 'checks', role: 'admin' })
    ).key;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows Users to admins only', async () => {
    const own = await signedIn(member);
    expect(await own.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await own.context().close();
    users = await signedIn(admin);
    await users.getByRole('link', { name: 'Users' }).click();
    await row(users).waitFor();
    expect(await row(users).getByRole('rowheader').textContent()).toBe('Li Wei');
    expect(await row(users).getByRole('cell').nth(1).textContent()).toBe('Member');
    expect(await row(users).getByTestId('user-status').textContent()).toBe('Active');
    // No raw identifiers on the page.
    expect(await users.locator('main').textContent()).not.toMatch(/usr_|org_/);
    const self = users.locator(`[data-testid="user"][data-email="${admin.email}"]`);
    expect(await self.getByRole('cell').nth(1).textContent()).toBe('Administrator');
    expect(await self.getByRole('button', { name: 'Disable', exact: true }).count()).toBe(0);
    await check(users, 'users');
  });

  it('disables a member with one change for a double-click; the member is sent to sign-in; enables again', async () => {
    const memberPage = await signedIn(member);
    const patches: (string | undefined)[] = [];
    users.on('request', (r) => {
      if (r.method() === 'PATCH') patches.push(r.headers()['idempotency-key']);
    });
    await row(users).getByRole('button', { name: 'Disable', exact: true }).dblclick();
    await expect.poll(() => row(users).getByTestId('user-status').textContent()).toBe('Disabled');
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(await audit('user.disable')).toBe(1);

    await refused(memberPage);
    // Disabled, the member cannot sign in either; the refusal is said in words.
    expected.push(`POST ${base}/v1/auth/login: 401`);
    await memberPage.getByLabel('E-mail').fill(member.email);
    await memberPage.getByLabel('Password').fill(member.password);
    await memberPage.getByRole('button', { name: 'Sign in' }).click();
    await memberPage.getByRole('alert').waitFor();
    expect(await memberPage.getByRole('navigation').count()).toBe(0);

    await row(users).getByRole('button', { name: 'Enable', exact: true }).click();
    await expect.poll(() => row(users).getByTestId('user-status').textContent()).toBe('Active');
    expect(await audit('user.enable')).toBe(1);
    await signIn(memberPage, member);
    await memberPage.context().close();
  });

  it('gives a new password, shown once with a copy button, that signs in in a fresh browser', async () => {
    await users.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await row(users).getByRole('button', { name: 'New password', exact: true }).click();
    await confirm(users, 'Yes, give a new password');
    const shown = row(users).getByTestId('new-password');
    await shown.waitFor();
    expect(await shown.textContent()).toContain('It will not be shown again');
    const password = (await shown.getByTestId('password').textContent())!;
    expect(password.length).toBeGreaterThanOrEqual(12);
    await shown.getByRole('button', { name: 'Copy', exact: true }).click();
    await shown.getByText('Copied.').waitFor();
    expect(await users.evaluate('navigator.clipboard.readText()')).toBe(password);
    await check(users, 'users-new-password');
    expect(await audit('user.reset_password')).toBe(1);

    theirs = await signedIn({ email: member.email, password });
    await users.reload();
    await row(users).waitFor();
    expect(await users.getByTestId('new-password').count()).toBe(0);
    member.password = password;
  });

  it("lists the member's sessions and ends one: that browser is sent to sign-in", async () => {
    await row(users).getByRole('button', { name: 'Sessions', exact: true }).click();
    const sessions = row(users).getByTestId('sessions');
    await sessions.getByTestId('session').first().waitFor();
    expect(await sessions.getByTestId('session').count()).toBe(1);
    expect(await sessions.textContent()).toMatch(/^Signed in .+, ends .+/);
    await check(users, 'users-sessions');
    await sessions.getByRole('button', { name: 'End session' }).click();
    await confirm(users, 'Yes, end the session');
    await sessions.getByText('Not signed in anywhere.').waitFor();
    expect(await audit('user.end_sessions')).toBe(1);
    await refused(theirs);
    await theirs.context().close();
    await users.context().close();
  });

  it('had no console error, no failed request but the expected refusals and no serious accessibility violation', () => {
    const requests = problems.flatMap((p) => p.requests);
    const console = problems.flatMap((p) => p.console);
    // Each refusal is also the browser's own console line about the 401.
    const logged =
      'Failed to load resource: the server responded with a status of 401 (Unauthorized)';
    for (const e of expected) {
      const i = requests.indexOf(e);
      const j = console.indexOf(logged);
      expect({ expected: e, seen: i >= 0, logged: j >= 0 }).toEqual({
        expected: e,
        seen: true,
        logged: true,
      });
      requests.splice(i, 1);
      console.splice(j, 1);
    }
    expect({ console, requests }).toEqual({
      console: [],
      requests: [],
    });
    expect(Object.keys(a11y)).toHaveLength(3);
    for (const [page, violations] of Object.entries(a11y))
      expect({ page, violations }).toEqual({ page, violations: [] });
  });
});
