import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** What the officer expects of a box on the desk: its lane and, for a control lane, the reason. */
export interface DeskExpectation {
  lane: 'Green' | 'Yellow' | 'Red';
  reason?: string;
}

/**
 * An officer signed in on the customs desk works one declaration through the page: picks the
 * office where the box crosses, finds the card by its MRN, assesses it if it is not yet due,
 * checks its lane (and reason), then releases it as the lane says: green on arrival, yellow once
 * the documents are checked, red once inspected. It leaves the queue and is among the day's
 * decisions. Returns the card, gone, for more checks.
 */
export async function workTheDesk(
  page: Page,
  { mrn, office, container }: { mrn: string; office: string; container: string },
  expected: DeskExpectation,
  /** Called with the card shown, before the first decision (screenshots, accessibility). */
  beforeDeciding?: () => Promise<void>,
) {
  await page.getByRole('link', { name: 'Customs desk' }).click();
  const offices = page.getByRole('combobox', { name: /^Office/ });
  await offices.locator(`option[value="${office}"]`).waitFor({ state: 'attached' });
  await offices.selectOption(office);
  const box = page.locator(`[data-testid=queue-item][data-mrn="${mrn}"]`);
  await box.waitFor();
  expect(await box.getByTestId('containers').textContent()).toBe(container);
  // What the desk says of the last decision (an undo offer may follow it).
  const said = () => page.getByTestId('customs-done').locator('p').first().textContent();
  // Further along the route the box is not due yet: the officer assesses it ahead of arrival.
  const assess = box.getByRole('button', { name: 'Assess risk' });
  if ((await assess.count()) > 0) {
    await assess.click();
    await expect.poll(() => said()).toBe(`${mrn} assessed: ${expected.lane} lane.`);
  }
  expect({ office, lane: await box.locator('.lane').textContent() }).toEqual({
    office,
    lane: expected.lane,
  });
  if (expected.reason)
    expect(await box.getByTestId('reasons').textContent()).toContain(
      `${expected.reason} → ${expected.lane}`,
    );
  await beforeDeciding?.();
  await box.getByRole('button', { name: 'Record arrival' }).click();
  if (expected.lane === 'Green') {
    await expect.poll(() => said()).toBe(`Arrival of ${mrn} recorded: released.`);
  } else {
    await expect.poll(() => said()).toBe(`Arrival of ${mrn} recorded: assessed.`);
    // Not released before what the lane asks for is done.
    expect(await box.getByRole('button', { name: 'Release' }).count()).toBe(0);
    if (expected.lane === 'Yellow') {
      await box.getByRole('button', { name: 'Documents checked' }).click();
      await expect.poll(() => said()).toBe(`Documents of ${mrn} recorded as checked.`);
    } else {
      await box.getByRole('button', { name: 'Record inspection' }).click();
      await expect.poll(() => said()).toBe(`Inspection of ${mrn} recorded.`);
    }
    await box.getByRole('button', { name: 'Release' }).click();
    await expect.poll(() => said()).toBe(`${mrn} released.`);
  }
  // Released, it leaves the office's queue and is among the day's decisions.
  await expect.poll(() => box.count()).toBe(0);
  await expect.poll(() => page.getByTestId('decided-today').textContent()).toContain(mrn);
  return box;
}
