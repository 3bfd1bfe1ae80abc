import { el, renderXml, type XmlElement } from './xml.ts';

/**
 * NCTS phase 6 declaration data (IE015, CC015C) and its amendment (IE013, CC013C) for one CTC
 * country segment of a corridor declaration, in XSD 60.4.16 (DDNTA 6.4.1). The mapping of each
 * field is in docs/customs-systems.md; what the schema bounds more tightly than the platform's
 * contract (holder number of 17 characters, names of 70) is named by `declarationDataProblems`,
 * which lodging runs before a declaration goes to an NCTS administration. Pure.
 */

/** The NCTS namespace of every message's root element. */
export const NCTS_NAMESPACE = 'http://ncts.dgtaxud.ec';

/** The declaration as the message reads it (the platform's contract, api/customs.ts). */
export interface NctsDeclarationInput {
  lrn: string;
  holder: { name: string; identificationNumber: string; country: string };
  guarantee: { reference: string; amount: number; currency: string };
  consignments: readonly {
    consignor: { name: string; country: string; identificationNumber?: string | undefined };
    consignee: { name: string; country: string; identificationNumber?: string | undefined };
    goodsItems: readonly {
      hsCode: string;
      description: string;
      packages: { count: number; kind: string };
      grossMassKg: number;
      netMassKg: number;
    }[];
  }[];
  containers?: readonly { equipmentReference: string; seals: readonly string[] }[] | undefined;
  itinerary?: readonly { country: string }[] | undefined;
  documents: readonly { type: string; reference: string }[];
  /**
   * The transport documents issued for the movement (code list CL754, e.g. N730 road
   * consignment note, N720 CIM consignment note, N722 SMGS) with their numbers.
   */
  transportDocuments?: readonly { type: string; reference: string }[] | undefined;
}

/** The segment the movement is for. */
export interface NctsSegmentInput {
  /** Office of departure (the segment's departure or entry office), e.g. GEPTI001. */
  office: string;
  /** Office of destination: the segment's exit office, or its own office without one. */
  destinationOffice: string;
  /** Transport mode at the border into the segment (rail, road, sea, ferry), if declared. */
  mode?: string | undefined;
}

/** The message header (the MESSAGE group of htypes.xsd). */
export interface NctsHeader {
  /** Up to 35 characters, unique per message: the outbox message id. */
  messageIdentification: string;
  /** Up to 35 characters: the platform's sender id at the national application. */
  messageSender: string;
  /** Up to 35 characters, e.g. NTA.GE. */
  messageRecipient: string;
  preparedAt: Date;
  correlationIdentifier?: string | undefined;
}

export type DeclarationDataKind = 'CC015C' | 'CC013C';

/** Places where the declaration does not fit the NCTS schema, as field paths of the contract. */
export function declarationDataProblems(
  d: NctsDeclarationInput,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const max = (path: string, value: string | undefined, n: number) => {
    if (value !== undefined && value.length > n)
      problems.push({ path, message: `NCTS allows at most ${n} characters here` });
  };
  max('body.holder.identificationNumber', d.holder.identificationNumber, 17);
  max('body.holder.name', d.holder.name, 70);
  d.consignments.forEach((c, i) => {
    for (const role of ['consignor', 'consignee'] as const) {
      max(`body.consignments[${i}].${role}.name`, c[role].name, 70);
      max(`body.consignments[${i}].${role}.identificationNumber`, c[role].identificationNumber, 17);
    }
  });
  if (d.consignments.reduce((n, c) => n + c.goodsItems.length, 0) > 1999)
    problems.push({ path: 'body.consignments', message: 'NCTS allows at most 1999 goods items' });
  (d.containers ?? []).forEach((c, i) =>
    c.seals.forEach((s, k) => max(`body.containers[${i}].seals[${k}]`, s, 20)),
  );
  return problems;
}

/** NCTS codes of the modes of transport (code list CL018). */
const MODE_CODES: Record<string, string> = { sea: '1', ferry: '1', rail: '2', road: '3' };
/** A guarantee reference number in the NCTS layout (GRNType). */
const GRN = /^[0-9]{2}[A-Z]{2}[A-Z0-9]{12}[0-9]([A-Z][0-9]{6})?$/;
/** NCTS document types are 4 characters (code lists CL213/CL214), e.g. N380 invoice. */
const DOCUMENT_TYPE = /^[A-Z0-9]{4}$/;

/** The XML of the declaration data (CC015C) or its amendment (CC013C) for the segment. Pure. */
export function declarationDataMessage(
  kind: DeclarationDataKind,
  header: NctsHeader,
  d: NctsDeclarationInput,
  segment: NctsSegmentInput,
  mrn?: string,
): string {
  return renderXml(declarationDataElement(kind, header, d, segment, mrn));
}

function declarationDataElement(
  kind: DeclarationDataKind,
  header: NctsHeader,
  d: NctsDeclarationInput,
  segment: NctsSegmentInput,
  mrn: string | undefined,
): XmlElement {
  const mass = (items: NctsDeclarationInput['consignments'][number]['goodsItems']) =>
    items.reduce((n, g) => n + g.grossMassKg, 0);
  const all = d.consignments.flatMap((c) => c.goodsItems);
  const containers = d.containers ?? [];
  const mode = segment.mode ? MODE_CODES[segment.mode] : undefined;
  const grn = GRN.test(d.guarantee.reference);
  const documents = d.documents.filter((x) => DOCUMENT_TYPE.test(x.type));
  const routing = [...new Set((d.itinerary ?? []).map((s) => s.country))];
  let itemNumber = 0;
  return el(
    `ncts:${kind}`,
    [
      ...headerElements(header, kind),
      el('TransitOperation', [
        el('LRN', d.lrn),
        kind === 'CC013C' && mrn !== undefined && el('MRN', mrn),
        el('declarationType', 'T1'),
        el('additionalDeclarationType', 'A'),
        el('security', '0'),
        el('reducedDatasetIndicator', '0'),
        el('bindingItinerary', '0'),
        kind === 'CC013C' && el('amendmentTypeFlag', '0'),
      ]),
      el('CustomsOfficeOfDeparture', [el('referenceNumber', segment.office)]),
      el('CustomsOfficeOfDestinationDeclared', [el('referenceNumber', segment.destinationOffice)]),
      el('HolderOfTheTransitProcedure', [
        el('identificationNumber', d.holder.identificationNumber),
        el('name', d.holder.name),
      ]),
      el('Guarantee', [
        el('sequenceNumber', 1),
        // A GRN is a comprehensive guarantee's (type 1); another reference is a cash guarantee's.
        el('guaranteeType', grn ? '1' : '3'),
        !grn && el('otherGuaranteeReference', d.guarantee.reference.slice(0, 35)),
        el('GuaranteeReference', [
          el('sequenceNumber', 1),
          grn && el('GRN', d.guarantee.reference),
          el('amountToBeCovered', d.guarantee.amount.toFixed(2)),
          el('currency', d.guarantee.currency),
        ]),
      ]),
      el('Consignment', [
        el('countryOfDispatch', d.consignments[0]!.consignor.country),
        el('countryOfDestination', d.consignments[0]!.consignee.country),
        el('containerIndicator', containers.length > 0 ? '1' : '0'),
        mode !== undefined && el('inlandModeOfTransport', mode),
        mode !== undefined && el('modeOfTransportAtTheBorder', mode),
        el('grossMass', decimal(mass(all))),
        ...containers.map((c, i) =>
          el('TransportEquipment', [
            el('sequenceNumber', i + 1),
            el('containerIdentificationNumber', c.equipmentReference),
            el('numberOfSeals', c.seals.length),
            ...c.seals.map((s, k) =>
              el('Seal', [el('sequenceNumber', k + 1), el('identifier', s)]),
            ),
          ]),
        ),
        ...routing.map((country, i) =>
          el('CountryOfRoutingOfConsignment', [
            el('sequenceNumber', i + 1),
            el('country', country),
          ]),
        ),
        ...documents.map((x, i) =>
          el('SupportingDocument', [
            el('sequenceNumber', i + 1),
            el('type', x.type),
            el('referenceNumber', x.reference),
          ]),
        ),
        ...(d.transportDocuments ?? []).map((x, i) =>
          el('TransportDocument', [
            el('sequenceNumber', i + 1),
            el('type', x.type),
            el('referenceNumber', x.reference),
          ]),
        ),
        ...d.consignments.map((c, h) =>
          el('HouseConsignment', [
            el('sequenceNumber', h + 1),
            el('grossMass', decimal(mass(c.goodsItems))),
            el('Consignor', party(c.consignor)),
            el('Consignee', party(c.consignee)),
            ...c.goodsItems.map((g, k) =>
              el('ConsignmentItem', [
                el('goodsItemNumber', k + 1),
                el('declarationGoodsItemNumber', ++itemNumber),
                el('Commodity', [
                  el('descriptionOfGoods', g.description),
                  el('CommodityCode', [
                    el('harmonizedSystemSubHeadingCode', g.hsCode.slice(0, 6)),
                    g.hsCode.length >= 8 && el('combinedNomenclatureCode', g.hsCode.slice(6, 8)),
                  ]),
                  el('GoodsMeasure', [
                    el('grossMass', decimal(g.grossMassKg)),
                    el('netMass', decimal(g.netMassKg)),
                  ]),
                ]),
                el('Packaging', [
                  el('sequenceNumber', 1),
                  el('typeOfPackages', g.packages.kind),
                  el('numberOfPackages', g.packages.count),
                ]),
              ]),
            ),
          ]),
        ),
      ]),
    ],
    { 'xmlns:ncts': NCTS_NAMESPACE, PhaseID: 'NCTS6' },
  );
}

/** The MESSAGE group every NCTS message starts with. Pure. */
export function headerElements(header: NctsHeader, messageType: string): XmlElement[] {
  return [
    el('messageSender', header.messageSender),
    el('messageRecipient', header.messageRecipient),
    el('preparationDateAndTime', nctsDateTime(header.preparedAt)),
    el('messageIdentification', header.messageIdentification),
    el('messageType', messageType),
    header.correlationIdentifier !== undefined &&
      el('correlationIdentifier', header.correlationIdentifier),
  ].filter((x): x is XmlElement => Boolean(x));
}

/** NCTS date and time: UTC to the second, without zone (DateTimeType). Pure. */
export function nctsDateTime(at: Date): string {
  return at.toISOString().slice(0, 19);
}

function party(p: { name: string; identificationNumber?: string | undefined }): XmlElement[] {
  return [
    ...(p.identificationNumber !== undefined
      ? [el('identificationNumber', p.identificationNumber)]
      : []),
    el('name', p.name),
  ];
}

/** A mass in kg with at most 6 decimals and no exponent. */
function decimal(kg: number): string {
  return kg
    .toFixed(6)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}
