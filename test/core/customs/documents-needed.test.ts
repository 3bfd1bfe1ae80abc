import { describe, expect, it } from 'vitest';
import {
  documentName,
  documentsFor,
  documentsNeeded,
  type RegimeSegment,
} from '../../../src/core/customs/regimes.ts';

/**
 * The documents a route needs come by kind, with the countries each is for, so that any language
 * can name them; the English names are drawn from the same list.
 */

const seg = (
  countries: string[],
  customsRegime: RegimeSegment['customsRegime'],
  transportDocument: RegimeSegment['transportDocument'],
): RegimeSegment => ({
  from: countries[0]!,
  to: countries.at(-1)!,
  countries,
  modes: ['rail'],
  transportDocument,
  customsRegime,
});

// Xi'an → Istanbul over the Caspian: export in China, EAEU transit, the crossing, national
// transit in Azerbaijan, NCTS in Georgia, import in Türkiye; one CIM/SMGS note all the way.
const ROUTE = [
  seg(['CN'], 'export', 'CIM/SMGS'),
  seg(['KZ'], 'eaeu_transit', 'CIM/SMGS'),
  seg(['KZ', 'AZ'], 'sea_crossing', 'CIM/SMGS'),
  seg(['AZ'], 'national_transit', 'CIM/SMGS'),
  seg(['GE'], 'ncts_transit', 'CIM/SMGS'),
  seg(['TR'], 'import', 'CIM/SMGS'),
];

describe('the documents a route needs', () => {
  it('lists each by kind with its countries, once, the crossing needing no declaration', () => {
    expect(documentsNeeded(ROUTE, { hazardous: true })).toEqual([
      { kind: 'commercial_invoice', countries: [] },
      { kind: 'packing_list', countries: [] },
      { kind: 'certificate_of_origin', countries: [] },
      { kind: 'cim_smgs_note', countries: [] },
      { kind: 'export_declaration', countries: ['CN'] },
      { kind: 'eaeu_transit_declaration', countries: ['KZ'] },
      { kind: 'transit_declaration', countries: ['AZ'] },
      { kind: 'ncts_transit_accompanying_document', countries: ['GE'] },
      { kind: 'import_declaration', countries: ['TR'] },
      { kind: 'dangerous_goods_declaration', countries: [] },
    ]);
  });

  it('names them in English from the same list', () => {
    const names = documentsFor(ROUTE, { hazardous: false });
    expect(names).toEqual(documentsNeeded(ROUTE, { hazardous: false }).map(documentName));
    expect(names).toContain('export declaration (CN)');
    expect(names).toContain('CIM/SMGS common consignment note');
    expect(documentsFor([seg(['GE'], 'tir_etir', 'CMR')], { hazardous: false })).toContain(
      'TIR carnet or eTIR declaration',
    );
  });
});
