import {
  isLiteralElement,
  isPluralElement,
  isPoundElement,
  TYPE,
  type MessageFormatElement,
} from '@formatjs/icu-messageformat-parser';
import IntlMessageFormat from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { itinerarySegmentSchema } from '../../src/api/customs.ts';
import { NEEDED_DOCUMENT_KINDS } from '../../src/core/customs/regimes.ts';
import { LANES } from '../../src/core/customs/risk.ts';
import { SEGMENT_STATES } from '../../src/core/customs/lifecycle.ts';
import { DOCUMENT_KINDS } from '../../src/core/documents/route.ts';
import { az } from '../../src/web/i18n/az.ts';
import { en } from '../../src/web/i18n/en.ts';
import { ka } from '../../src/web/i18n/ka.ts';
import { kk } from '../../src/web/i18n/kk.ts';
import { ru } from '../../src/web/i18n/ru.ts';
import { zh } from '../../src/web/i18n/zh.ts';

/**
 * Every language of the web app says every message of the English set, with the same
 * arguments ({count}, {name}…), and nothing the English set does not have: a key missing in
 * any language, or an argument lost in translation, fails here. Every message is ICU
 * MessageFormat that FormatJS parses, and a count is a plural with each form its language's CLDR
 * plural rules ask for (Russian one/few/many/other, Chinese other alone).
 */

type Element = MessageFormatElement;

const parse = (text: string, lang: string) =>
  new IntlMessageFormat(text, lang, undefined, { ignoreTag: true }).getAst();

/** Each argument of a message, with how it is shown: plain, number, plural… */
function argumentsOf(elements: readonly Element[], into = new Map<string, TYPE>()) {
  for (const e of elements) {
    if (!isLiteralElement(e) && !isPoundElement(e) && e.type !== TYPE.tag)
      into.set(e.value, e.type);
    if ('options' in e) for (const o of Object.values(e.options)) argumentsOf(o.value, into);
  }
  return into;
}

/** Each plural of a message: its argument and the forms it has. */
function pluralsOf(elements: readonly Element[], into: { arg: string; forms: string[] }[] = []) {
  for (const e of elements) {
    if (isPluralElement(e) && e.pluralType === 'cardinal')
      into.push({ arg: e.value, forms: Object.keys(e.options) });
    if ('options' in e) for (const o of Object.values(e.options)) pluralsOf(o.value, into);
  }
  return into;
}

const LANGUAGES: [string, string, Record<string, string>][] = [
  ['English', 'en', en],
  ['中文', 'zh', zh],
  ['Русский', 'ru', ru],
  ['Azərbaycanca', 'az', az],
  ['Қазақша', 'kk', kk],
  ['ქართული', 'ka', ka],
];

describe('the messages of the six languages', () => {
  it.each(LANGUAGES)(
    '%s has every key, no other, each with the arguments of English',
    (_label, lang, messages) => {
      const missing = Object.keys(en).filter((k) => typeof messages[k] !== 'string');
      expect(missing).toEqual([]);
      expect(Object.keys(messages).filter((k) => !(k in en))).toEqual([]);
      const names = (text: string, l: string) => [...argumentsOf(parse(text, l)).keys()].sort();
      const lost = Object.entries(en)
        .filter(
          ([k, text]) =>
            JSON.stringify(names(messages[k] ?? '', lang)) !== JSON.stringify(names(text, 'en')),
        )
        .map(([k]) => k);
      expect(lost).toEqual([]);
    },
  );

  it.each(LANGUAGES)('%s: every message is ICU MessageFormat', (_label, lang, messages) => {
    const broken = Object.entries(messages).flatMap(([k, text]) => {
      try {
        parse(text, lang);
        return [];
      } catch (e) {
        return [`${k}: ${(e as Error).message}`];
      }
    });
    expect(broken).toEqual([]);
  });

  it.each(LANGUAGES)(
    '%s: each count is a plural with the forms of its CLDR plural categories',
    (_label, lang, messages) => {
      const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      const wrong: string[] = [];
      for (const [k, english] of Object.entries(en)) {
        const plurals = pluralsOf(parse(messages[k]!, lang));
        for (const p of plurals) {
          const lacking = needed.filter((c) => !p.forms.includes(c));
          if (lacking.length) wrong.push(`${k}: {${p.arg}} lacks ${lacking.join(', ')}`);
        }
        // A count in English is a count in every language: no "Routes: {count}" workaround.
        for (const p of pluralsOf(parse(english, 'en')))
          if (!plurals.some((q) => q.arg === p.arg)) wrong.push(`${k}: {${p.arg}} is no plural`);
        // A count shown bare would not agree with its noun, nor be written the locale's way.
        if (argumentsOf(parse(messages[k]!, lang)).get('count') === TYPE.argument)
          wrong.push(`${k}: {count} is shown bare`);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('formats a Russian count with its plural form, and Chinese with its one form', () => {
    const say = (text: string, lang: string, count: number) =>
      new IntlMessageFormat(text, lang).format({ count });
    const results = ru['planner.results'];
    expect([1, 3, 5, 21, 1.5].map((n) => say(results, 'ru', n))).toEqual([
      '1 маршрут',
      '3 маршрута',
      '5 маршрутов',
      '21 маршрут',
      '1,5 маршрута',
    ]);
    expect(say(en['planner.results'], 'en', 1)).toBe('1 itinerary');
    expect(say(zh['planner.results'], 'zh', 2)).toBe('2 条线路');
  });

  it('names every regime, document kind, customs state and lane the API sends, in words', () => {
    const words = [
      ...[...itinerarySegmentSchema.shape.regime.options, 'sea_crossing'].map((r) => `regime.${r}`),
      // A CMR is named as the CMR consignment note a route needs.
      ...[...NEEDED_DOCUMENT_KINDS, ...DOCUMENT_KINDS].map(
        (k) => `document.${k === 'cmr' ? 'cmr_note' : k}`,
      ),
      ...SEGMENT_STATES.map((x) => `segmentState.${x}`),
      ...LANES.map((x) => `lane.${x}`),
      ...['PLANNED', 'AT_NODE', 'ON_RIDE', 'ARRIVED'].map((x) => `status.${x}`),
    ];
    expect(words.filter((k) => !(k in en))).toEqual([]);
  });

  it('has a Kazakh and a Georgian of their own, not a copy of another language', () => {
    const same = (a: Record<string, string>, b: Record<string, string>) =>
      Object.keys(en).filter((k) => a[k] === b[k] && /\p{L}{4,}/u.test(a[k] ?? '')).length;
    expect(same(kk, ru)).toBeLessThan(40);
    expect(same(ka, en)).toBeLessThan(40);
  });
});
