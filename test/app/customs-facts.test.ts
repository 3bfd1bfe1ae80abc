import { describe, expect, it } from 'vitest';
import { factsOf } from '../../src/app/customs-facts.ts';
import type { CustomsDeclaration, CustomsSegment } from '../../src/app/customs-ports.ts';

const segment = (seq: number, country: string, inspections: CustomsSegment['inspections'] = []) =>
  ({
    seq,
    country,
    office: `${country}XXX001`,
    exitOffice: null,
    shared: [],
    inspections,
  }) as unknown as CustomsSegment;
const declaration = {
  holderId: 'CN91610000X',
  data: {
    containers: [{ equipmentReference: 'MSCU1234566', seals: ['S1'] }],
    consignments: [
      {
        consignor: { name: 'Xian Electronics Co' },
        goodsItems: [
          { hsCode: '851712', countryOfOrigin: 'CN', netMassKg: 1, value: 1, currency: 'USD' },
        ],
      },
    ],
  },
} as unknown as CustomsDeclaration;

describe('what the risk engine sees of a segment', () => {
  it('lists the inspections of the administrations earlier on the route, clean or not', () => {
    const segments = [
      segment(0, 'CN', [
        { kind: 'scan', sealsIntact: true, discrepancies: [], at: 0 },
        { kind: 'physical', sealsIntact: true, discrepancies: ['one carton short'], at: 1 },
      ]),
      segment(1, 'KZ'),
      segment(2, 'AZ', [{ kind: 'scan', sealsIntact: false, discrepancies: [], at: 2 }]),
    ];
    expect(factsOf(declaration, segments[1]!, segments, 0).upstreamInspections).toEqual([
      { country: 'CN', kind: 'scan', clean: true },
      { country: 'CN', kind: 'physical', clean: false },
    ]);
    // The first country has none before it; a later one's do not count.
    expect(factsOf(declaration, segments[0]!, segments, 0).upstreamInspections).toBeUndefined();
  });
});
