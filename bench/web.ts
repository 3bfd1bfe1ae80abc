/**
 * `npm run bench` (web): how soon the planner page is usable after navigation, in Debian's
 * chromium against `corridor serve` in its own process on a fresh embedded database: from the
 * navigation's start to the moment the form can be filled (the page drawn, the places loaded
 * for the type-ahead, the Plan button enabled). Baseline, same run and server: the same page
 * loaded with JavaScript off (HTML, CSS and scripts fetched and parsed, nothing run). Memory:
 * the page's JavaScript heap. Prints a table; never part of the test suite.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromiumPath, launchBrowser } from '../test/support/browser.ts';
import { BIN, serve } from './support.ts';

const exec = promisify(execFile);
const LOADS = 10;

if (!chromiumPath()) {
  console.log('\nWeb: skipped, no chromium (apt-get install chromium)');
  process.exit(0);
}
const dataDir = mkdtempSync(join(tmpdir(), 'corridor-bench-web-'));
const env = {
  ...process.env,
  CORRIDOR_DATA_DIR: dataDir,
  DATABASE_URL: undefined,
  LOG_LEVEL: 'warn',
};
await exec('npm', ['run', '--silent', 'build'], { cwd: join(import.meta.dirname, '..') });
const org = await exec(
  process.execPath,
  [BIN, 'admin', 'create-org', '--name', 'Bench shipper', '--kind', 'shipper', '--country', 'CN'],
  { env },
);
const orgId = /created (org_\w+)/.exec(org.stdout)![1]!;
const user = await exec(
  process.execPath,
  [
    BIN,
    'admin',
    'create-user',
    '--org',
    orgId,
    '--email',
    'bench@shipper.example',
    '--name',
    'Bench',
    '--role',
    'admin',
  ],
  { env },
);
const password = /password \(shown once\): (\S+)/.exec(user.stdout)![1]!;

const { server, url } = await serve(env);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    bypassCSP: true,
  });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('E-mail').fill('bench@shipper.example');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').waitFor();

  const usable: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    await page.goto(`${url}/planner`, { waitUntil: 'commit' });
    await page.waitForFunction(
      `document.querySelectorAll('#places option').length > 0 &&
       !document.querySelector('[data-testid=plan-submit]')?.disabled`,
      undefined,
      { polling: 'raf' },
    );
    usable.push(await page.evaluate<number>('performance.now()'));
    heap.push(
      (await page.evaluate<number>('performance.memory ? performance.memory.usedJSHeapSize : 0')) /
        1_048_576,
    );
  }
  const bare = await browser.newContext({ javaScriptEnabled: false, bypassCSP: true });
  const plain = await bare.newPage();
  const loaded: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    await plain.goto(`${url}/planner`, { waitUntil: 'load' });
    loaded.push(
      await plain.evaluate<number>('performance.getEntriesByType("navigation")[0].loadEventEnd'),
    );
  }
  const p = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1]!;
  console.log(
    `\nWeb: the planner page in chromium, ${LOADS} navigations each, signed in as a shipper`,
  );
  console.log('| page | p50 ms | max ms | JS heap MB |');
  console.log('|---|---:|---:|---:|');
  console.log(
    `| baseline: /planner with JavaScript off (load event) | ${p(loaded, 0.5).toFixed(0)} | ${Math.max(...loaded).toFixed(0)} | - |`,
  );
  console.log(
    `| planner usable (form drawn, places loaded, Plan enabled) | ${p(usable, 0.5).toFixed(0)} | ${Math.max(...usable).toFixed(0)} | ${p(heap, 0.5).toFixed(1)} |`,
  );
  const fromTests = join(import.meta.dirname, '../reports/planner-usable.json');
  if (existsSync(fromTests))
    console.log(
      `| planner usable, measured by the last browser test run | ${(JSON.parse(readFileSync(fromTests, 'utf8')) as { usableMs: number }).usableMs.toFixed(0)} | - | - |`,
    );
  console.log('Target: usable within 1,500 ms of navigation.');
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
