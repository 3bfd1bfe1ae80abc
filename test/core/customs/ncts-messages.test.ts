import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declarationDataMessage } from '../../../src/core/customs/ncts/declaration-data.ts';
import { arrivalNotificationMessage } from '../../../src/core/customs/ncts/arrival-notification.ts';
import { readInboundMessage } from '../../../src/core/customs/ncts/inbound.ts';

/** The official NCTS phase 6 schemas (../shared/standards/ncts-p6/, XSD 60.4.16). */
const NCTS_DIR = resolve(import.meta.dirname, '../../../../shared/standards/ncts-p6');
const XMLLINT = '/usr/bin/xmllint';
const available = existsSync(XMLLINT) && existsSync(NCTS_DIR);
if (!available && process.env.CI === 'true')
  throw new Error(
    'CI=true: xmllint and the NCTS schemas are required (apt-get install libxml2-utils)',
  );
if (!available && process.env.CI === 'true')
  throw new Error(`NCTS schema tests need ${XMLLINT} (libxml2-utils) and ${NCTS_DIR}`);

function validate(type: string, xml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ncts-')), `${type}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync(
      XMLLINT,
      ['--noout', '--nonet', '--schema', join(NCTS_DIR, `${type.toLowerCase()}.xsd`), file],
      { stdio: 'pipe' },
    );
    return 'valid';
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  }
}

const declaration = {
  lrn: 'LRN-GE-1',
  holder: { name: 'Xian Exporter', identificationNumber: 'CN91610000X', country: 'CN' },
  guarantee: { reference: 'GRN2026000001', amount: 120_000, currency: 'USD' },
  consignments: [
    {
      consignor: { name: 'Xian Electronics Co & "Sons"', country: 'CN' },
      consignee: {
        name: 'Tbilisi Trading LLC',
        country: 'GE',
        identificationNumber: 'GE404000001',
      },
      goodsItems: [
        {
          hsCode: '85171200',
          description: 'Mobile phones',
          packages: { count: 400, kind: 'CT' },
          grossMassKg: 4200.5,
          netMassKg: 4000,
        },
        {
          hsCode: '847130',
          description: 'Laptops <15">',
          packages: { count: 20, kind: 'PK' },
          grossMassKg: 300,
          netMassKg: 280,
        },
      ],
    },
  ],
  containers: [{ equipmentReference: 'MSKU1234565', seals: ['KZ-778812'] }],
  itinerary: [{ country: 'KZ' }, { country: 'AZ' }, { country: 'GE' }],
  documents: [
    { type: 'N380', reference: 'INV-2026-0042' },
    { type: 'commercial invoice', reference: 'x' },
  ],
};
const header = {
  messageIdentification: 'msg_0001',
  messageSender: 'CORRIDOR',
  messageRecipient: 'NTA.GE',
  preparedAt: new Date('2026-12-04T10:00:00.123Z'),
};
const segment = { office: 'GEPTI001', destinationOffice: 'GETBS001', mode: 'rail' };

describe.skipIf(!available)('NCTS messages the platform writes', () => {
  it('CC015C declaration data validates against the official XSD', () => {
    const xml = declarationDataMessage('CC015C', header, declaration, segment);
    expect(validate('CC015C', xml)).toBe('valid');
    expect(xml).toContain(
      '<harmonizedSystemSubHeadingCode>851712</harmonizedSystemSubHeadingCode>',
    );
    expect(xml).toContain('<identifier>KZ-778812</identifier>');
  });

  it("CC015C names the movement's consignment notes as transport documents, and validates", () => {
    const xml = declarationDataMessage(
      'CC015C',
      header,
      {
        ...declaration,
        transportDocuments: [
          { type: 'N722', reference: 'RCN-20261130-0A1B2C3D' },
          { type: 'N730', reference: 'CMR-20261130-266FCC09' },
        ],
      },
      segment,
    );
    expect(validate('CC015C', xml)).toBe('valid');
    expect(xml).toMatch(
      /<TransportDocument>\s*<sequenceNumber>2<\/sequenceNumber>\s*<type>N730<\/type>\s*<referenceNumber>CMR-20261130-266FCC09<\/referenceNumber>/,
    );
  });

  it('CC013C amendment carries the MRN allocated and validates', () => {
    const xml = declarationDataMessage(
      'CC013C',
      header,
      declaration,
      segment,
      '26GE000000000012J3',
    );
    expect(xml).toContain('<MRN>26GE000000000012J3</MRN>');
    expect(validate('CC013C', xml)).toBe('valid');
  });

  it('CC007C arrival notification validates, with the office of destination and the goods there', () => {
    const xml = arrivalNotificationMessage(header, {
      mrn: '26GE000000000012J3',
      arrivedAt: new Date('2026-12-05T08:00:00Z'),
      office: 'GETBS001',
      traderIdentificationNumber: 'GE404000001',
    });
    expect(validate('CC007C', xml)).toBe('valid');
    expect(xml).toContain(
      '<arrivalNotificationDateAndTime>2026-12-05T08:00:00</arrivalNotificationDateAndTime>',
    );
    // The message the platform writes is one it reads back the same.
    const read = readInboundMessage(xml, 1 << 20);
    expect(read.ok && read.message).toMatchObject({
      type: 'CC007C',
      mrn: '26GE000000000012J3',
      office: 'GETBS001',
    });
  });
});

describe('NCTS messages the platform reads', () => {
  const cc028 = (id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<ncts:CC028C xmlns:ncts="http://ncts.dgtaxud.ec" PhaseID="NCTS6">
  <messageSender>NTA.GE</messageSender><messageRecipient>CORRIDOR</messageRecipient>
  <preparationDateAndTime>2026-12-04T10:05:00</preparationDateAndTime>
  <messageIdentification>${id}</messageIdentification><messageType>CC028C</messageType>
  <TransitOperation><LRN>LRN-GE-1</LRN><MRN>26GE000000000012J3</MRN><declarationAcceptanceDate>2026-12-04</declarationAcceptanceDate></TransitOperation>
  <CustomsOfficeOfDeparture><referenceNumber>GEPTI001</referenceNumber></CustomsOfficeOfDeparture>
  <HolderOfTheTransitProcedure><identificationNumber>CN91610000X</identificationNumber></HolderOfTheTransitProcedure>
</ncts:CC028C>`;

  it.skipIf(!available)('reads a CC028C that the official XSD accepts', () => {
    expect(validate('CC028C', cc028('NTA-1'))).toBe('valid');
    const r = readInboundMessage(cc028('NTA-1'), 100_000);
    expect(r.ok && r.message.type === 'CC028C' && r.message.mrn).toBe('26GE000000000012J3');
  });

  it('refuses a document type declaration (no external entities) and names missing elements', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${cc028('X').split('?>')[1]}`;
    const r = readInboundMessage(xxe, 100_000);
    expect(r.ok ? '' : r.problems[0]!.message).toMatch(/document type declaration/);
    const missing = readInboundMessage(cc028('X').replace(/<MRN>.*<\/MRN>/, ''), 100_000);
    expect(missing.ok ? [] : missing.problems.map((p) => p.path)).toEqual([
      'CC028C/TransitOperation/MRN',
    ]);
    expect(readInboundMessage(cc028('X'), 100).ok).toBe(false);
  });
});
