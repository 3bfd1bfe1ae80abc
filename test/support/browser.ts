import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's chromium driven by playwright-core (no browser download). Under CI a missing browser
 * is a failure, never a skip; elsewhere the browser tests are skipped with a note.
 */
export function chromiumPath(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      // not this one
    }
  }
  return undefined;
}

export function browserAvailable(): boolean {
  const found = chromiumPath() !== undefined;
  if (!found && process.env.CI === 'true')
    throw new Error(
      'CI=true: chromium is required for the browser tests (apt-get install chromium)',
    );
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath()!,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** What went wrong in a page: console errors, failed requests, 4xx/5xx answers. */
export interface PageProblems {
  console: string[];
  requests: string[];
}

export function watch(page: Page): PageProblems {
  const problems: PageProblems = { console: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') problems.console.push(m.text());
  });
  page.on('pageerror', (e) => problems.console.push(e.message));
  page.on('requestfailed', (r) => {
    const error = r.failure()?.errorText ?? 'failed';
    // A navigation cancels what the page it leaves was still loading: not a failure.
    if (error !== 'net::ERR_ABORTED') problems.requests.push(`${r.method()} ${r.url()}: ${error}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400)
      problems.requests.push(`${r.request().method()} ${r.url()}: ${r.status()}`);
  });
  return problems;
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** axe-core's WCAG 2 A/AA check of the page as it is: the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  // Run in the page (a string: the test code has no DOM types).
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  })()`)) as { id: string; impact: string; targets: string[] }[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`);
}
