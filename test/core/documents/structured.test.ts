import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TransportNote } from '../../../src/core/documents/consignment.ts';
import { structuredNoteXml } from '../../../src/core/documents/structured.ts';
import { cmrNote as cmr } from '../../support/transport-note.ts';

/**
 * The structured consignment notes, read back field by field with an independent XML reader
 * (xmllint's XPath): no official e-CMR or e-CIM schema is available, so the mapping is the test.
 */
const XMLLINT = '/usr/bin/xmllint';
const available = existsSync(XMLLINT);
if (!available && process.env.CI === 'true')
  throw new Error(
    'CI=true: xmllint and the NCTS schemas are required (apt-get install libxml2-utils)',
  );
if (!available && process.env.CI === 'true') throw new Error(`needs ${XMLLINT} (libxml2-utils)`);

const meta = {
  documentId: 'doc_abc',
  number: 'CMR-2026-000123',
  version: 2,
  issuedAt: new Date('2026-12-09T12:00:00Z'),
  signedBy: 'Xian Electronics Co & Partners',
};

function reader(xml: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'ecmr-')), 'note.xml');
  writeFileSync(file, xml);
  execFileSync(XMLLINT, ['--noout', file]);
  return (path: string): string => {
    // Local names only: the reader does not need the namespaces to find the boxes.
    const xpath = path
      .split('/')
      .map((step) => {
        const m = /^([A-Za-z]+)(\[.*\])?$/.exec(step)!;
        return `*[local-name()='${m[1]}']${m[2] ?? ''}`;
      })
      .join('/');
    return execFileSync(XMLLINT, ['--xpath', `string(/${xpath})`, file])
      .toString()
      .replace(/\n$/, '');
  };
}

describe.skipIf(!available)('a CMR as UN/CEFACT e-CMR XML', () => {
  const read = reader(structuredNoteXml(cmr, meta));
  const c = 'CrossBorderConsignmentNote/SpecifiedSupplyChainConsignment';
  const d = 'CrossBorderConsignmentNote/ExchangedDocument';

  it.each([
    [
      `CrossBorderConsignmentNote/ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID`,
      'eCMR',
    ],
    [`${d}/ID`, 'CMR-2026-000123'],
    [`${d}/TypeCode`, '730'],
    [`${d}/VersionID`, '2'],
    [`${d}/IssueDateTime`, '2026-12-09T12:00:00.000Z'],
    [`${d}/IssueLogisticsLocation/Name`, 'Alat'],
    [`${d}/ReferenceID`, 'PO-2026-77'],
    [`${d}/ConventionCode`, 'CMR'],
    [`${d}/SignatoryTradeParty/Name`, 'Xian Electronics Co & Partners'],
    [`${d}/IncludedNote[1]/Content`, 'Goods packed for road transport'],
    [`${d}/IncludedNote[2]/Content`, 'Keep dry'],
    [`${c}/ConsignorTradeParty/ID`, 'CN91610000X'],
    [`${c}/ConsignorTradeParty/Name`, 'Xian Electronics Co & Partners'],
    [`${c}/ConsignorTradeParty/PostalTradeAddress/LineOne`, '88 Keji Road, Xi’an'],
    [`${c}/ConsignorTradeParty/PostalTradeAddress/CountryID`, 'CN'],
    [`${c}/ConsigneeTradeParty/Name`, 'Tbilisi Trading LLC'],
    [`${c}/ConsigneeTradeParty/PostalTradeAddress/CountryID`, 'GE'],
    [`${c}/CarrierAcceptanceLogisticsLocation/ID`, 'AZBAK'],
    [`${c}/CarrierAcceptanceDateTime`, '2026-12-10T07:30:00.000Z'],
    [`${c}/ConsigneeReceiptLogisticsLocation/Name`, 'Tbilisi'],
    [`${c}/TransitLogisticsLocation/Name`, 'Red Bridge (AZ) – Red Bridge (GE)'],
    [`${c}/SpecifiedLogisticsTransportMovement/ModeCode`, '3'],
    [`${c}/SpecifiedLogisticsTransportMovement/CarrierTradeParty/Name`, 'Alat Free Zone Haulage'],
    [`${c}/SpecifiedLogisticsTransportMovement/DepartureDateTime`, '2026-12-10T08:00:00.000Z'],
    [`${c}/ApplicableServiceCharge/PayingPartyName`, 'consignor'],
    [`${c}/GrossWeightMeasure`, '4500.5'],
    [`${c}/DangerousGoodsIndicator`, 'false'],
    [`${c}/UtilizedLogisticsTransportEquipment/ID`, 'MSCU1234566'],
    [`${c}/UtilizedLogisticsTransportEquipment/CharacteristicCode`, '45G1'],
    [`${c}/UtilizedLogisticsTransportEquipment/AffixedLogisticsSeal[2]/ID`, 'AZ0001'],
    [`${c}/IncludedSupplyChainConsignmentItem[1]/GrossWeightMeasure`, '4200.5'],
    [`${c}/IncludedSupplyChainConsignmentItem[1]/TransportLogisticsPackage/ItemQuantity`, '400'],
    [`${c}/IncludedSupplyChainConsignmentItem[1]/TransportLogisticsPackage/TypeCode`, 'CT'],
    [
      `${c}/IncludedSupplyChainConsignmentItem[1]/TransportLogisticsPackage/PhysicalShippingMarks/Marking`,
      'XE/TBS 1-400',
    ],
    [
      `${c}/IncludedSupplyChainConsignmentItem[2]/NatureIdentificationTransportCargo/Identification`,
      'Laptops <15">',
    ],
    [`${c}/IncludedSupplyChainConsignmentItem[2]/ApplicableTransportCommodity/ID`, '847130'],
    [`${c}/AssociatedReferencedDocument/ID`, 'INV-2026-0042'],
    [`${c}/AssociatedReferencedDocument/TypeCode`, 'N380'],
  ])('%s is %s', (path, value) => {
    expect(read(path)).toBe(value);
  });
});

describe.skipIf(!available)('a CIM/SMGS note as the e-CIM/SMGS data set', () => {
  const note: TransportNote = {
    ...cmr,
    kind: 'rail_consignment_note',
    variant: 'CIM/SMGS',
    wagons: [{ number: '31 56 4880 012-5', containers: ['MSCU1234566'] }],
  };
  const read = reader(structuredNoteXml(note, { ...meta, number: 'SMGS-1' }));
  const c = 'CrossBorderConsignmentNote/SpecifiedSupplyChainConsignment';

  it('is a rail consignment note under CIM/SMGS, the container on its wagon', () => {
    expect(
      read(
        'CrossBorderConsignmentNote/ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID',
      ),
    ).toBe('e-CIM/SMGS');
    expect(read('CrossBorderConsignmentNote/ExchangedDocument/TypeCode')).toBe('720');
    expect(read('CrossBorderConsignmentNote/ExchangedDocument/ConventionCode')).toBe('CIM/SMGS');
    expect(read(`${c}/SpecifiedLogisticsTransportMovement/ModeCode`)).toBe('2');
    expect(read(`${c}/UtilizedLogisticsTransportEquipment/CarrierTransportMeans/ID`)).toBe(
      '31 56 4880 012-5',
    );
  });
});
