import { describe, expect, it } from 'vitest';
import {
  advanceDataMessage,
  readEtirMessage,
  responseMessage,
} from '../../../src/core/customs/etir/messages.ts';

const declaration = {
  lrn: 'LRN-TIR-1',
  holder: { name: 'Xian Exporter', identificationNumber: 'CN91610000X', country: 'CN' },
  guarantee: { reference: 'XK12345678', amount: 60_000, currency: 'EUR' },
  consignments: [
    {
      consignor: { name: 'Xian Electronics Co', country: 'CN' },
      consignee: { name: 'Tbilisi Trading LLC', country: 'GE' },
      goodsItems: [
        {
          hsCode: '851712',
          description: 'Mobile phones',
          packages: { count: 400, kind: 'CT' },
          grossMassKg: 4200,
          netMassKg: 4000,
        },
      ],
    },
  ],
  containers: [{ equipmentReference: 'MSCU1234566', seals: ['CN778899'] }],
  documents: [],
  transportDocuments: [{ type: 'N730', reference: 'CMR-20261130-266FCC09' }],
};
const header = {
  messageId: 'msg_1',
  sender: 'CORRIDOR',
  recipient: 'ETIR.IS',
  preparedAt: new Date('2026-12-04T10:00:00Z'),
};

describe('eTIR messages', () => {
  it('writes the advance TIR data with the offices in order and the consignment notes', () => {
    const xml = advanceDataMessage(
      'E9',
      header,
      declaration,
      [
        { country: 'AZ', office: 'AZALT001', exitOffice: 'AZGNJ001' },
        { country: 'GE', office: 'GERED001', exitOffice: 'GETBS001' },
      ],
      1,
    );
    const roles = [...xml.matchAll(/<RoleCode>(\w+)<\/RoleCode>\s*<ID>(\w+)<\/ID>/g)].map(
      (m) => `${m[1]}:${m[2]}`,
    );
    expect(roles).toEqual([
      'departure:AZALT001',
      'exit:AZGNJ001',
      'entry:GERED001',
      'destination:GETBS001',
    ]);
    expect(xml).toMatch(
      /<AdditionalDocument>\s*<TypeCode>N730<\/TypeCode>\s*<ID>CMR-20261130-266FCC09<\/ID>/,
    );
    expect(xml).toContain('<PreparationDateTime>2026-12-04T10:00:00Z</PreparationDateTime>');
  });

  it('reads a request and names each invalid field with its code of code list 99', () => {
    const i9 = responseMessage('I10', header, []).replace(/I10/g, 'I9');
    const bad = readEtirMessage(i9.replace('2026-12-04T10:00:00Z', '4 December'), 1 << 20);
    expect(bad).toEqual({
      ok: false,
      errors: [
        { code: '103', pointer: 'I9/PreparationDateTime' },
        { code: '101', pointer: 'I9/Declaration/Guarantee/ReferenceID' },
        { code: '101', pointer: 'I9/Declaration/CustomsOffice/ID' },
        { code: '101', pointer: 'I9/Declaration/Operation/SequenceNumeric' },
      ],
    });
    expect(readEtirMessage('<etir:X9/>', 1 << 20)).toEqual({
      ok: false,
      errors: [{ code: '102', pointer: '/' }],
    });
    expect(readEtirMessage('x'.repeat(100), 10)).toMatchObject({ errors: [{ code: '105' }] });
  });
});
