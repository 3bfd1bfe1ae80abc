import { resolve } from 'node:path';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { CJK_FACES, chineseCharacters, cjkFontSubset } from '../../src/web/cjk-font.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const [text, names] = CJK_FACES.map((f) => chineseCharacters(ROOT, f.sources) + f.extra);

describe('the Chinese faces the web app ships', () => {
  it('take the Chinese of the messages, the place names and the language picker', () => {
    for (const c of ['门到门规划', '青岛港', '阿克套', '年'].join('')) expect(text).toContain(c);
    expect(names).toBe('中文');
    // Latin letters and punctuation are left to the Latin fonts.
    expect(text).not.toMatch(/[A-Za-z0-9.,:;…—]/);
  });

  it('hold a glyph for every one of those characters and not for the rest of Noto Sans SC', async () => {
    const font = fontkit.create(await cjkFontSubset(text!)) as fontkit.Font;
    const missing = [...text!].filter((c) => !font.hasGlyphForCodePoint(c.codePointAt(0)!));
    expect(missing).toEqual([]);
    expect(font.hasGlyphForCodePoint('丐'.codePointAt(0)!)).toBe(false);
    // Of Noto Sans SC's some 30,000 Chinese characters, those the app shows (and the odd one
    // the subsetter keeps with them).
    expect(font.characterSet.filter((cp) => cp > 0x2e7f).length).toBeLessThan(text!.length + 10);
  }, 60_000);
});
