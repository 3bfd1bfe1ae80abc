import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { placeShortName } from '../../src/web/i18n/place-names.ts';

const nodes = (
  JSON.parse(readFileSync(new URL('../../data/nodes.json', import.meta.url), 'utf8')) as {
    nodes: { id: string; name: string; aliases: string[]; country: string }[];
  }
).nodes;
const node = (id: string) => nodes.find((n) => n.id === id)!;
const names = (id: string) =>
  Object.fromEntries(
    ['en', 'zh', 'ru', 'kk', 'az', 'ka'].map((l) => [l, placeShortName(l, node(id))]),
  );

describe('a place’s short name in each language', () => {
  it('is the reference data’s own name of it in that language where it has one', () => {
    expect(names('AZ_BAKU_PORT_ALAT')).toEqual({
      en: 'Alat',
      zh: '巴库港',
      ru: 'Алят',
      kk: 'Алят',
      az: 'Ələt',
      ka: 'Alat',
    });
    expect(names('KZ_AKTAU_PORT')).toMatchObject({ zh: '阿克套', ru: 'Актау', kk: 'Ақтау' });
    expect(names('GE_TBILISI')).toMatchObject({ ka: 'თბილისი', ru: 'Тбилиси', zh: '第比利斯' });
  });

  it('gives every place a Chinese and a Russian name, and the English one where a language has none', () => {
    for (const n of nodes) expect(placeShortName('zh', n), n.id).toMatch(/\p{Script=Han}/u);
    // The China–SCO demonstration area has no Russian name in the sources.
    const russian = nodes.filter((n) => /\p{Script=Cyrillic}/u.test(placeShortName('ru', n)));
    expect(nodes.filter((n) => !russian.includes(n)).map((n) => n.id)).toEqual(['CN_SCODA']);
    expect(names('AZ_BAKU')).toMatchObject({ az: 'Bakı', kk: 'Баку' });
    expect(names('KZ_DOSTYK')).toMatchObject({ ru: 'Достык', kk: 'Достық' });
    // Turkmen and Turkish spellings are not Azerbaijani: those places keep the English name.
    expect(names('TM_TURKMENBASHI_PORT').az).toBe('Turkmenbashi');
    expect(names('CN_URUMQI').az).toBe('Urumqi');
    expect(placeShortName('ka', node('DE_DUISBURG'))).toBe('Duisburg');
    expect(placeShortName('fr', node('DE_DUISBURG'))).toBe('Duisburg');
  });
});
