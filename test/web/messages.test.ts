import { describe, expect, it } from 'vitest';
import { az } from '../../src/web/i18n/az.ts';
import { en } from '../../src/web/i18n/en.ts';
import { ka } from '../../src/web/i18n/ka.ts';
import { kk } from '../../src/web/i18n/kk.ts';
import { ru } from '../../src/web/i18n/ru.ts';
import { zh } from '../../src/web/i18n/zh.ts';

/**
 * Every language of the web app says every message of the English set, with the same
 * placeholders ({count}, {name}…), and nothing the English set does not have: a key missing in
 * any language, or a placeholder lost in translation, fails here.
 */

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the messages of the six languages', () => {
  const LANGUAGES: [string, Record<string, string>][] = [
    ['English', en],
    ['中文', zh],
    ['Русский', ru],
    ['Azərbaycanca', az],
    ['Қазақша', kk],
    ['ქართული', ka],
  ];

  it.each(LANGUAGES)(
    '%s has every key, no other, each with the placeholders of English',
    (_label, messages) => {
      const missing = Object.keys(en).filter((k) => typeof messages[k] !== 'string');
      expect(missing).toEqual([]);
      expect(Object.keys(messages).filter((k) => !(k in en))).toEqual([]);
      const lost = Object.entries(en)
        .filter(
          ([k, text]) =>
            JSON.stringify(placeholders(messages[k] ?? '')) !== JSON.stringify(placeholders(text)),
        )
        .map(([k]) => k);
      expect(lost).toEqual([]);
    },
  );

  it('has a Kazakh and a Georgian of their own, not a copy of another language', () => {
    const same = (a: Record<string, string>, b: Record<string, string>) =>
      Object.keys(en).filter((k) => a[k] === b[k] && /\p{L}{4,}/u.test(a[k] ?? '')).length;
    expect(same(kk, ru)).toBeLessThan(40);
    expect(same(ka, en)).toBeLessThan(40);
  });
});
