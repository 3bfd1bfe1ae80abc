import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser.ts';
import { demoBrowser, expectCleanPages, type DemoBrowser } from '../support/demo-browser.ts';

/**
 * The council reads the dwell models the planner uses on its dashboard, in Debian's chromium
 * against the real server with the demo's traffic: each place's model beside its reference, the
 * stands that moved it and who reported them (by name), refits, freezes and unfreezes one, and
 * keeps only the models that drift.
 */

const run = browserAvailable();
const COUNCIL = 'Middle Corridor coordinating council';
const RAW = /\b(bkg|shp|org|trp|usr)_[A-Za-z0-9]|SVC_|\b[a-z]+_[a-z]+\b|\b[A-Z]+_[A-Z_]+\b/;

interface Models {
  version: number | null;
  monthInForce: number;
  models: {
    nodeId: string;
    operation: string;
    month: number;
    samples: number;
    reference: { p50Hours: number; p90Hours: number };
    inForce: { p50Hours: number; p90Hours: number };
    drift: string | null;
    frozen: unknown;
    contributions?: { organisationName: string }[];
  }[];
}

let demo: DemoBrowser;

describe.skipIf(!run)('the council’s view of the dwell models, in a browser', () => {
  beforeAll(async () => {
    demo = await demoBrowser({ activity: true });
  }, 180_000);

  afterAll(async () => {
    await demo?.close();
  });

  it('shows each model beside its reference, refits, freezes and unfreezes, and filters by drift', async () => {
    const page = await demo.signedIn(COUNCIL);
    await page.getByRole('link', { name: 'Council dashboard' }).click();
    const panel = page.getByTestId('dwell-models');
    await panel.getByRole('heading', { name: 'Dwell models learnt from events' }).waitFor();

    await panel.getByRole('button', { name: 'Refit now' }).click();
    // The refit has answered once the button takes clicks again.
    await expect
      .poll(() => panel.getByRole('button', { name: 'Refit now' }).isEnabled())
      .toBe(true);
    await expect
      .poll(() => panel.getByTestId('dwell-models-summary').textContent())
      .toMatch(/^Version \d+, fitted .+; stands: [1-9]\d*, shipments: [1-9]\d*\.$/);

    const answer = await demo.read<Models>(COUNCIL, '/v1/models/dwell');
    const month = answer.models.filter((m) => m.month === answer.monthInForce);
    const rows = panel.getByTestId('dwell-models-table').locator('tbody tr');
    expect(await rows.count()).toBe(month.length);
    expect(await panel.getByTestId('list-count').textContent()).toBe(
      `${month.length} of ${month.length} shown`,
    );

    // The most observed model first: its reference and the blend in force, as the API has them.
    await panel.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Stands' });
    const top = [...month].sort((a, b) => b.samples - a.samples)[0]!;
    expect(top.samples).toBeGreaterThan(0);
    const cells = await rows.first().locator('td').allInnerTexts();
    // As the page writes numbers in English: at most one decimal.
    const inEnglish = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
    const one = (x: number) => inEnglish.format(x);
    const h = (p: { p50Hours: number; p90Hours: number }) =>
      `${one(p.p50Hours)} / ${one(p.p90Hours)} h`;
    expect(cells[2]).toBe(h(top.reference));
    expect(cells[4]).toBe(h(top.inForce));
    expect(cells[5]).toBe(String(top.samples));

    // Who reported the stands, by name.
    await rows
      .first()
      .getByText(/^\d+ contributors?$/)
      .click();
    const names = await rows.first().locator('details li').allInnerTexts();
    expect(names.length).toBe(top.contributions!.length);
    for (const c of top.contributions!)
      expect(names.some((n) => n.startsWith(`${c.organisationName}: `))).toBe(true);
    expect(await panel.innerText()).not.toMatch(RAW);
    await demo.check(page, 'council-dwell-models');

    // Freezing keeps the values in force until it is unfrozen. The row is found by its place and
    // operation: a refit in between may reorder the list.
    const row = rows
      .filter({ has: page.getByRole('cell', { name: cells[0]!, exact: true }) })
      .filter({ has: page.getByRole('cell', { name: cells[1]!, exact: true }) });
    expect(await row.count()).toBe(1);
    // Names match exactly: "Freeze" is part of "Unfreeze".
    await row.getByRole('button', { name: 'Freeze', exact: true }).click();
    await row.getByRole('button', { name: 'Unfreeze', exact: true }).waitFor();
    expect(await row.locator('td').nth(8).innerText()).toBe('Frozen');
    const frozen = await demo.read<Models>(COUNCIL, `/v1/models/dwell?node=${top.nodeId}`);
    expect(frozen.models.find((m) => m.operation === top.operation)!.frozen).not.toBeNull();
    await row.getByRole('button', { name: 'Unfreeze', exact: true }).click();
    await row.getByRole('button', { name: 'Freeze', exact: true }).waitFor();
    expect(await row.locator('td').nth(8).innerText()).toBe('Refitted hourly');

    // Only the slower ones, then the whole year's models.
    await panel.getByRole('combobox', { name: 'Against the reference' }).selectOption({
      label: 'Slower than the reference',
    });
    const slower = month.filter((m) => m.drift === 'slower').length;
    expect(await rows.count()).toBe(slower);
    for (const d of await rows.locator('td:nth-child(8)').allInnerTexts())
      expect(d).toBe('Slower than the reference');
    await panel.getByRole('combobox', { name: 'Against the reference' }).selectOption({
      label: 'All',
    });
    await panel.getByTestId('dwell-models-month').selectOption({ label: 'Whole year' });
    await expect.poll(() => rows.count()).toBe(answer.models.filter((m) => m.month === 0).length);
    expect(await panel.locator('caption').innerText()).toMatch(/Whole year$/);
    await page.context().close();
  });

  it('had no console error, no failed request and no serious accessibility violation', () => {
    expectCleanPages(demo, 1);
  });
});
