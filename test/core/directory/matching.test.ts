import { describe, expect, it } from 'vitest';
import { matchListings, type Listing } from '../../../src/core/directory/matching.ts';

let n = 0;
const listing = (over: Partial<Listing>): Listing => ({
  id: `l${n++}`,
  organisationId: 'org_a',
  kind: 'export',
  hsCode: '080222',
  description: '',
  country: 'AZ',
  nodeId: 'AZ_BAKU',
  tonnesPerMonth: 100,
  partnerCountries: [],
  ...over,
});

describe('trade matchmaking', () => {
  it('pairs goods of one HS heading, ranking the subheading and the closer volume first', () => {
    const e1 = listing({ hsCode: '080222', tonnesPerMonth: 100 });
    const e2 = listing({ hsCode: '080290', tonnesPerMonth: 100 });
    const e3 = listing({ hsCode: '080222', tonnesPerMonth: 10 });
    const i = listing({ organisationId: 'org_b', kind: 'import', hsCode: '080222', country: 'CN' });
    const m = matchListings([e1, e2, e3], [i]);
    expect(m.map((x) => [x.exporter.id, x.hsDigits, x.volumeFit])).toEqual([
      [e1.id, 6, 1],
      [e2.id, 4, 1],
      [e3.id, 6, 0.1],
    ]);
  });

  it('leaves out other headings, the same organisation and countries either side excludes', () => {
    const i = listing({
      organisationId: 'org_b',
      kind: 'import',
      country: 'CN',
      partnerCountries: ['AZ'],
    });
    expect(matchListings([listing({ hsCode: '080300' })], [i])).toEqual([]);
    expect(matchListings([listing({ organisationId: 'org_b' })], [i])).toEqual([]);
    expect(matchListings([listing({ partnerCountries: ['KZ'] })], [i])).toEqual([]);
    expect(matchListings([listing({ country: 'GE' })], [i])).toEqual([]);
    expect(matchListings([listing({ partnerCountries: ['CN'] })], [i])).toHaveLength(1);
  });
});
