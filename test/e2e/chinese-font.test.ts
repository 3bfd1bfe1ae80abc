import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser.ts';
import { demoBrowser, expectCleanPages, type DemoBrowser } from '../support/demo-browser.ts';

/**
 * Chinese is drawn with the face the web app ships (a subset of Noto Sans SC), in Debian's
 * chromium on a machine with no CJK font of its own, where any other font draws boxes; and a page
 * in another language does not download that face.
 */

const run = browserAvailable();
const SHIPPER = 'Qingdao Haixing Machinery Export Co. (demo)';
const FAMILY = 'Corridor Noto Sans SC';
/** A family no machine has: Chinese in it falls back to the system's fonts (boxes here). */
const MISSING = 'Corridor No Such Font';

let demo: DemoBrowser;

// What runs in the page is written as source text: the tests are compiled without the DOM's types.

/** The faces of the document of FAMILY, with their load status. */
const faces = (page: Page) =>
  page.evaluate<string[]>(
    `[...document.fonts]
      .filter((f) => f.family.replace(/["']/g, '') === ${JSON.stringify(FAMILY)})
      .map((f) => f.status)`,
  );

/** Lays a copy of the element exactly over it (same computed style and box, the element hidden) in `family`. */
const overlay = (selector: string, family: string) => `(async () => {
  document.getElementById('font-probe')?.remove();
  const original = document.querySelector(${JSON.stringify(selector)});
  const copy = original.cloneNode(true);
  const style = getComputedStyle(original);
  for (const p of style) copy.style.setProperty(p, style.getPropertyValue(p));
  const r = original.getBoundingClientRect();
  Object.assign(copy.style, {
    position: 'fixed', left: r.left + 'px', top: r.top + 'px', margin: '0', visibility: 'visible',
    fontFamily: ${JSON.stringify(`'${family}'`)},
  });
  copy.id = 'font-probe';
  original.style.visibility = 'hidden';
  document.body.append(copy);
  await document.fonts.ready;
  return true;
})()`;

/**
 * Screenshots of the element as the page draws it and of copies laid exactly over it with the
 * font stack replaced by each family.
 */
async function drawnAs(page: Page, selector: string, families: string[]): Promise<Buffer[]> {
  const box = (await page.locator(selector).first().boundingBox())!;
  const clip = { x: box.x, y: box.y, width: box.width, height: box.height };
  const shots = [await page.screenshot({ clip })];
  for (const family of families) {
    await page.evaluate(overlay(selector, family));
    shots.push(await page.screenshot({ clip }));
  }
  await page.evaluate(`(() => {
    document.getElementById('font-probe')?.remove();
    document.querySelector(${JSON.stringify(selector)}).style.visibility = '';
    return true;
  })()`);
  return shots;
}

/** The share of pixels that differ between two screenshots of the same size (0 to 1). */
function differingShare(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate<number>(`(async () => {
    const pixels = async (b64) => {
      const blob = await (await fetch('data:image/png;base64,' + b64)).blob();
      const bitmap = await createImageBitmap(blob);
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    };
    const p = await pixels('${a.toString('base64')}');
    const q = await pixels('${b.toString('base64')}');
    if (p.length !== q.length) return 1;
    let differ = 0;
    for (let i = 0; i < p.length; i += 4)
      if (Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1]) + Math.abs(p[i + 2] - q[i + 2]) > 24) differ++;
    return differ / (p.length / 4);
  })()`);
}

describe.skipIf(!run)('the Chinese font the web app ships, in a browser', () => {
  beforeAll(async () => {
    demo = await demoBrowser();
  }, 180_000);

  afterAll(async () => {
    await demo?.close();
  });

  it('draws the planner in 中文 with the shipped face, not with boxes', async () => {
    const page = await demo.signedIn(SHIPPER);
    await page.getByTestId('language').selectOption('zh');
    await page.getByRole('link', { name: '线路规划' }).click();
    await page.getByRole('heading', { name: '门到门规划' }).waitFor();
    // As the app opens for someone who chose 中文 before.
    await page.reload();
    await page.getByRole('heading', { name: '门到门规划' }).waitFor();
    await page.evaluate('document.fonts.ready.then(() => true)');
    expect(await faces(page)).toEqual(['loaded']);
    const [, shipped, missing] = await drawnAs(page, 'main h1', [FAMILY, MISSING]);
    // Boxes and glyphs differ in much of the heading's ink...
    expect(await differingShare(page, shipped!, missing!)).toBeGreaterThan(0.02);
    // ...and the page's heading is drawn as the shipped face draws it (once the swap is painted).
    await expect
      .poll(
        async () => {
          const [asPage, asShipped] = await drawnAs(page, 'main h1', [FAMILY]);
          return differingShare(page, asPage!, asShipped!);
        },
        { timeout: 10_000, interval: 250 },
      )
      .toBeLessThan(0.002);
    await demo.check(page, 'planner-zh-font');
    expectCleanPages(demo, 1);
  });

  it('draws the text already on the page in the shipped face on switching to 中文, without a reload', async () => {
    const page = await demo.signedIn(SHIPPER);
    await page.getByTestId('language').selectOption('zh');
    await page.getByRole('link', { name: '线路规划' }).click();
    await page.getByRole('heading', { name: '门到门规划' }).waitFor();
    expect(await faces(page)).toEqual(['loaded']);
    await expect
      .poll(
        async () => {
          const [asPage, asShipped] = await drawnAs(page, 'main h1', [FAMILY]);
          return differingShare(page, asPage!, asShipped!);
        },
        { timeout: 10_000, interval: 250 },
      )
      .toBeLessThan(0.002);
    await page.context().close();
  });

  it('does not download the face for a page in English', async () => {
    const page = await demo.signedIn(SHIPPER);
    const fonts: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('.woff2')) fonts.push(new URL(r.url()).pathname);
    });
    await page.getByRole('link', { name: 'Planner' }).click();
    await page.getByRole('heading', { name: 'Plan door to door' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await faces(page)).toEqual(['unloaded']);
    // Only the two glyphs of the language picker's 中文.
    expect(fonts.every((f) => f.includes('/noto-sans-sc-language-names-'))).toBe(true);
  });
});
