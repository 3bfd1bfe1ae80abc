import { el, renderXml } from '../customs/ncts/xml.ts';
import type { CarrierSection, Party, Place, TransportNote } from './consignment.ts';

/**
 * The consignment notes as structured data beside their PDFs: a CMR as UN/CEFACT e-CMR XML, a
 * CIM/SMGS, SMGS or CIM note as the same UN/CEFACT consignment structure for rail (the e-CIM /
 * e-SMGS data set). No official e-CMR or e-CIM schema is available to the platform: the elements
 * are the UN/CEFACT Multi-Modal Transport reference data model's (the model UN/CEFACT's e-CMR
 * standard is drawn from), in their rsm/ram namespaces; docs/documents-structured.md gives the
 * mapping box by box with its source. Pure.
 */

export const RSM_NAMESPACE = 'urn:un:unece:uncefact:data:standard:CrossBorderConsignmentNote:100';
export const RAM_NAMESPACE =
  'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100';

/**
 * UN/EDIFACT 1001 document name codes: 730 road consignment note, 720 rail consignment note; the
 * CIM/SMGS variant is told apart by the convention indicator of the header.
 */
const TYPE_CODES = { cmr: '730', rail_consignment_note: '720' } as const;

export interface StructuredMeta {
  /** The platform's document id and printed number. */
  documentId: string;
  number: string;
  version: number;
  issuedAt: Date;
  /** The signing party's name (PAdES), as the PDF's signature names it. */
  signedBy: string | null;
}

/** The structured consignment note of a transport note (CMR or rail), XML. Pure. */
export function structuredNoteXml(note: TransportNote, meta: StructuredMeta): string {
  const ram = (
    name: string,
    content: Parameters<typeof el>[1],
    attributes?: Record<string, string>,
  ) => el(`ram:${name}`, content, attributes);
  const party = (role: string, p: Party) =>
    ram(role, [
      p.identificationNumber !== null && ram('ID', p.identificationNumber),
      ram('Name', p.name),
      ram('PostalTradeAddress', [
        p.address !== null && ram('LineOne', p.address),
        ram('CountryID', p.country),
      ]),
    ]);
  const location = (role: string, place: Place) =>
    ram(role, [
      place.code !== null && ram('ID', place.code, { schemeAgencyID: '6' }),
      ram('Name', place.name),
      ram('CountryID', place.country),
    ]);
  const stage = (c: CarrierSection, i: number) =>
    ram('SpecifiedLogisticsTransportMovement', [
      ram('SequenceNumeric', i + 1),
      ram('ModeCode', note.kind === 'cmr' ? '3' : '2'),
      ram('ID', c.tripId),
      ram('ServiceID', c.serviceId),
      ram('CarrierTradeParty', [ram('Name', c.carrier)]),
      location('DepartureLogisticsLocation', c.from),
      location('ArrivalLogisticsLocation', c.to),
      c.departure !== null && ram('DepartureDateTime', iso(c.departure)),
      c.arrival !== null && ram('ArrivalDateTime', iso(c.arrival)),
    ]);
  const wagonOf = (equipment: string) =>
    note.wagons.find((w) => w.containers.includes(equipment))?.number ?? null;
  return renderXml(
    el(
      'rsm:CrossBorderConsignmentNote',
      [
        el('rsm:ExchangedDocumentContext', [
          ram('GuidelineSpecifiedDocumentContextParameter', [
            ram('ID', note.kind === 'cmr' ? 'eCMR' : `e-${note.variant}`),
          ]),
        ]),
        el('rsm:ExchangedDocument', [
          ram('ID', meta.number),
          ram('TypeCode', TYPE_CODES[note.kind]),
          ram('VersionID', meta.version),
          ram('IssueDateTime', meta.issuedAt.toISOString()),
          ram('IssueLogisticsLocation', [ram('Name', note.placeOfIssue)]),
          ram('URIID', meta.documentId),
          note.reference !== null && ram('ReferenceID', note.reference),
          ram('ConventionCode', note.variant),
          meta.signedBy !== null && ram('SignatoryTradeParty', [ram('Name', meta.signedBy)]),
          ...note.consignorDeclarations.map((d) =>
            ram('IncludedNote', [ram('SubjectCode', 'AAI'), ram('Content', d)]),
          ),
          note.instructions !== null &&
            ram('IncludedNote', [ram('SubjectCode', 'DIN'), ram('Content', note.instructions)]),
        ]),
        el('rsm:SpecifiedSupplyChainConsignment', [
          ram('GrossWeightMeasure', mass(note.goods.reduce((n, g) => n + g.grossMassKg, 0)), {
            unitCode: 'KGM',
          }),
          ram('DangerousGoodsIndicator', String(note.hazardous)),
          party('ConsignorTradeParty', note.consignor),
          party('ConsigneeTradeParty', note.consignee),
          location('CarrierAcceptanceLogisticsLocation', note.departure),
          location('ConsigneeReceiptLogisticsLocation', note.destination),
          note.takenOverAt !== null && ram('CarrierAcceptanceDateTime', iso(note.takenOverAt)),
          ...note.borderCrossings.map((b, i) =>
            ram('TransitLogisticsLocation', [
              ram('SequenceNumeric', i + 1),
              ram('ID', b.from.code ?? b.from.nodeId),
              ram('Name', `${b.from.name} – ${b.to.name}`),
              ram('CountryID', b.to.country),
            ]),
          ),
          ...note.carriers.map(stage),
          ...note.charges.map((c) =>
            ram('ApplicableServiceCharge', [
              ram('CarrierName', c.carrier),
              ram('PayingPartyName', c.payer),
              c.payerCode !== null && ram('PayingPartyID', c.payerCode),
            ]),
          ),
          ...note.containers.map((c) =>
            ram('UtilizedLogisticsTransportEquipment', [
              ram('ID', c.equipmentReference),
              c.isoEquipmentCode !== null && ram('CharacteristicCode', c.isoEquipmentCode),
              ...c.seals.map((s) => ram('AffixedLogisticsSeal', [ram('ID', s)])),
              wagonOf(c.equipmentReference) !== null &&
                ram('CarrierTransportMeans', [
                  ram('ID', wagonOf(c.equipmentReference)!),
                  ram('TypeCode', 'wagon'),
                ]),
            ]),
          ),
          ...note.goods.map((g, i) =>
            ram('IncludedSupplyChainConsignmentItem', [
              ram('SequenceNumeric', i + 1),
              ram('GrossWeightMeasure', mass(g.grossMassKg), { unitCode: 'KGM' }),
              ram('TransportLogisticsPackage', [
                ram('ItemQuantity', g.packages.count),
                ram('TypeCode', g.packages.kind),
                g.marks !== null && ram('PhysicalShippingMarks', [ram('Marking', g.marks)]),
              ]),
              ram('NatureIdentificationTransportCargo', [ram('Identification', g.description)]),
              ram('ApplicableTransportCommodity', [ram('SystemID', 'HS'), ram('ID', g.hsCode)]),
            ]),
          ),
          ...note.attachedDocuments.map((d) =>
            ram('AssociatedReferencedDocument', [ram('ID', d.reference), ram('TypeCode', d.type)]),
          ),
        ]),
      ],
      { 'xmlns:rsm': RSM_NAMESPACE, 'xmlns:ram': RAM_NAMESPACE },
    ),
  );
}

function iso(at: number): string {
  return new Date(at).toISOString();
}

function mass(kg: number): string {
  return String(Math.round(kg * 1000) / 1000);
}
