import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Organisation, Role } from '../../src/app/account-ports.ts';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import { seedDemo, type DemoCredential } from '../../src/app/seed-demo.ts';
import { PgDirectoryStore } from '../../src/store/directory.store.ts';
import { launchBrowser, seriousViolations, watch, type PageProblems } from './browser.ts';
import { manualClock } from './clock.ts';
import { testServer, type TestServer } from './server.ts';

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
/** The README's screenshots with UPDATE_SCREENSHOTS=1, else reports/. */
const SCREENSHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS ? '../../docs/screenshots' : '../../reports/screenshots',
    import.meta.url,
  ),
);

/**
 * The real server on a fresh database with the demo's organisations and accounts (as first start
 * creates them), the built web app, and chromium: people sign in with the demo's own accounts.
 * The server runs on a clock the test holds; each page's clock starts at the server's instant, so
 * that "today" means the same on both sides on any day the test runs.
 */
export interface DemoBrowser {
  server: TestServer;
  base: string;
  browser: Browser;
  clock: ReturnType<typeof manualClock>;
  organisations: Organisation[];
  credentials: DemoCredential[];
  /** Console errors and failed requests of every page opened. */
  problems: PageProblems[];
  /** The serious accessibility violations of each page checked, by name. */
  a11y: Record<string, string[]>;
  /** A new browser signed in as the organisation's demo account of that role. */
  signedIn(organisation: string, role?: Role): Promise<Page>;
  /** Accessibility check and screenshot of the page once its requests have settled. */
  check(page: Page, name: string): Promise<void>;
  /** What the organisation's API answers (200 expected): to assert what the pages said. */
  read<T>(organisation: string, path: string): Promise<T>;
  /** The organisation by name. */
  organisation(name: string): Organisation;
  close(): Promise<void>;
}

export async function demoBrowser(options: { activity?: boolean } = {}): Promise<DemoBrowser> {
  const clock = manualClock();
  const server = await testServer(undefined, clock, { webRoot: WEB_ROOT });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`;
  const { credentials } = await seedDemo(
    server.accounts,
    new PgDirectoryStore(server.database.db),
    options.activity ? server : undefined,
  );
  const organisations = await server.accounts.stores.organisations.list();
  const browser = await launchBrowser();
  const problems: PageProblems[] = [];
  const a11y: Record<string, string[]> = {};
  const keys = new Map<string, string>();
  const organisation = (name: string) => {
    const o = organisations.find((x) => x.name === name);
    if (!o) throw new Error(`no demo organisation ${name}`);
    return o;
  };
  return {
    server,
    base,
    browser,
    clock,
    organisations,
    credentials,
    problems,
    a11y,
    organisation,
    async signedIn(name, role = 'admin') {
      const c = credentials.find((x) => x.organisation === name && x.role === role);
      if (!c) throw new Error(`no demo account ${role} of ${name}`);
      const context = await browser.newContext({
        locale: 'en-GB',
        bypassCSP: true,
        viewport: { width: 1280, height: 900 },
      });
      await context.clock.install({ time: clock.now() });
      const page = await context.newPage();
      problems.push(watch(page));
      await page.goto(base);
      await page.getByLabel('E-mail').fill(c.email);
      await page.getByLabel('Password').fill(c.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation').waitFor();
      return page;
    },
    async check(page, name) {
      await page.waitForLoadState('networkidle');
      a11y[name] = await seriousViolations(page);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
    },
    async read<T>(name: string, path: string) {
      let key = keys.get(name);
      if (!key) {
        key = (
          await createApiKey(server.accounts, undefined, organisation(name).id, {
            name: 'checks',
            role: 'admin',
          })
        ).key;
        keys.set(name, key);
      }
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status, `GET ${path}`).toBe(200);
      return (await res.json()) as T;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Every page opened had no console error and no failed request, and none checked a serious accessibility violation. */
export function expectCleanPages(demo: DemoBrowser, checked: number) {
  expect({
    console: demo.problems.flatMap((p) => p.console),
    requests: demo.problems.flatMap((p) => p.requests),
  }).toEqual({ console: [], requests: [] });
  expect(Object.keys(demo.a11y).length).toBeGreaterThanOrEqual(checked);
  for (const [page, violations] of Object.entries(demo.a11y))
    expect({ page, violations }).toEqual({ page, violations: [] });
}
