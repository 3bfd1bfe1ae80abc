import { isArgumentElement, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import IntlMessageFormat from 'intl-messageformat';
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { az } from './az.ts';
import { en, type MessageKey, type Messages } from './en.ts';
import { ka } from './ka.ts';
import { kk } from './kk.ts';
import { ru } from './ru.ts';
import { zh } from './zh.ts';

/**
 * The languages of the corridor, each with every message of the app: English, Chinese, Russian,
 * Azerbaijani, Kazakh and Georgian. The choice is remembered in the browser; dates, numbers and
 * currencies follow the language's locale. Messages are ICU MessageFormat: a count is a plural
 * argument (`{count, plural, one {# route} other {# routes}}`) with the forms of the language's
 * CLDR plural categories, and its number is written in the language's locale.
 */

export const LANGUAGES = [
  { code: 'en', label: 'English', locale: 'en-GB', messages: en as Messages },
  { code: 'zh', label: '中文', locale: 'zh-CN', messages: zh },
  { code: 'ru', label: 'Русский', locale: 'ru-RU', messages: ru },
  { code: 'az', label: 'Azərbaycanca', locale: 'az-Latn-AZ', messages: az },
  { code: 'kk', label: 'Қазақша', locale: 'kk-KZ', messages: kk },
  { code: 'ka', label: 'ქართული', locale: 'ka-GE', messages: ka },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'corridor.language';

export interface I18n {
  language: LanguageCode;
  locale: string;
  setLanguage: (code: LanguageCode) => void;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  number: (x: number, digits?: number) => string;
  money: (usd: number) => string;
  /** An instant in a place's time zone (the user's own when none). */
  dateTime: (iso: string, timeZone?: string) => string;
  date: (iso: string) => string;
}

function initialLanguage(): LanguageCode {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (LANGUAGES.some((l) => l.code === saved)) return saved as LanguageCode;
  const browser = navigator.language.slice(0, 2);
  return LANGUAGES.find((l) => l.code === browser)?.code ?? 'en';
}

/** A message read as ICU MessageFormat; markup-like text (`<`) stays text. */
export function parseMessage(text: string, locale: string): IntlMessageFormat {
  return new IntlMessageFormat(text, locale, undefined, { ignoreTag: true });
}

/** The arguments a message shows as they are (`{name}`), not through a plural or a format. */
function plainArguments(
  elements: readonly MessageFormatElement[],
  into = new Set<string>(),
): Set<string> {
  for (const e of elements) {
    if (isArgumentElement(e)) into.add(e.value);
    if ('options' in e) for (const o of Object.values(e.options)) plainArguments(o.value, into);
    if ('children' in e) plainArguments(e.children, into);
  }
  return into;
}

export function makeI18n(language: LanguageCode, setLanguage: (c: LanguageCode) => void): I18n {
  const lang = LANGUAGES.find((l) => l.code === language)!;
  const messages = lang.messages;
  const { locale } = lang;
  const numbers = new Intl.NumberFormat(locale);
  const parsed = new Map<MessageKey, { format: IntlMessageFormat; plain: Set<string> } | null>();
  /** The message of a key, parsed once; null for a key no language has (a word built at run time). */
  const formatOf = (key: MessageKey) => {
    if (!parsed.has(key)) {
      const text = messages[key] ?? (en as Messages)[key];
      const format = typeof text === 'string' ? parseMessage(text, locale) : null;
      parsed.set(key, format && { format, plain: plainArguments(format.getAst()) });
    }
    return parsed.get(key) ?? null;
  };
  return {
    language,
    locale,
    setLanguage,
    t: (key, params) => {
      const f = formatOf(key);
      if (!f) return '';
      // A number shown as it is is still written the locale's way (1 234,5 in Russian).
      const values = params
        ? Object.fromEntries(
            Object.entries(params).map(([k, v]) => [
              k,
              typeof v === 'number' && f.plain.has(k) ? numbers.format(v) : v,
            ]),
          )
        : undefined;
      return String(f.format.format(values));
    },
    number: (x, digits = 0) =>
      new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(x),
    money: (usd) =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: 'USD',
        maximumFractionDigits: 0,
      }).format(usd),
    dateTime: (iso, timeZone) =>
      // dateStyle cannot be combined with timeZoneName: the parts are named one by one.
      new Intl.DateTimeFormat(locale, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        ...(timeZone ? { timeZone, timeZoneName: 'short' } : {}),
      }).format(new Date(iso)),
    date: (iso) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso)),
  };
}

/** The Chinese face the app ships (src/web/cjk-font.ts), as `document.fonts.load` names it. */
const CHINESE_FACE = "1em 'Corridor Noto Sans SC'";

const Context = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setState] = useState<LanguageCode>(initialLanguage);
  const value = useMemo(
    () =>
      makeI18n(language, (code) => {
        localStorage.setItem(STORAGE_KEY, code);
        document.documentElement.lang = code;
        // Chinese words once the shipped face is there: text already on the page when a face
        // arrives later can stay drawn as boxes until it is laid out again. A language chosen
        // meanwhile wins.
        const show = () => {
          if (localStorage.getItem(STORAGE_KEY) === code) setState(code);
        };
        if (code === 'zh') void document.fonts.load(CHINESE_FACE, '中文').then(show, show);
        else setState(code);
      }),
    [language],
  );
  document.documentElement.lang = language;
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
