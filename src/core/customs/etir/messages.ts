import type { NctsDeclarationInput } from '../ncts/declaration-data.ts';
import { el, localName, parseXml, renderXml, type XmlElement } from '../ncts/xml.ts';

/**
 * The eTIR international system's messages (eTIR specifications v4.3, ECE/TRANS/WP.30/AC.2/
 * TIB/2022/5) as the platform exchanges them. No official XML schema of v4.3 is available to the
 * platform: the element names follow the specification's data model (docs/customs-systems.md
 * says how), in the platform's own namespace. Pure.
 *
 * - E9 advance TIR data / E11 advance amendment data: the holder's declaration and its
 *   amendments, sent to the international system, which forwards them to the customs of
 *   departure; E10 / E12 answer them.
 * - I7 record declaration data, I9 start, I11 terminate, I13 discharge of a TIR operation and I15
 *   notify customs: what the customs along the itinerary do, as the international system relays
 *   them; the platform answers each with its response (I8, I10, I12, I14, I16), with the errors
 *   of code list 99 when it cannot apply it.
 */

export const ETIR_NAMESPACE = 'urn:corridor:etir:4.3';

/** Requests the platform answers, and the response of each. */
export const ETIR_REQUESTS = { I7: 'I8', I9: 'I10', I11: 'I12', I13: 'I14', I15: 'I16' } as const;
export type EtirRequestType = keyof typeof ETIR_REQUESTS;
/** Responses to the platform's own requests. */
export type EtirResponseType = 'E10' | 'E12';

/** An error of code list 99, with its pointer to the field (an element path of the message). */
export interface EtirError {
  code: EtirErrorCode;
  pointer: string;
}

/**
 * The codes of code list 99 the platform uses, with their names in the specification:
 * 1xx validation, 2xx state, 3xx functional errors.
 */
export const ETIR_ERRORS = {
  '100': 'Invalid message',
  '101': 'Missing field',
  '102': 'Invalid domain for the value',
  '103': 'Malformed date',
  '105': 'Field value length exceeded',
  '200': 'Invalid state',
  '210': 'Operation already started',
  '211': 'Operation already terminated',
  '212': 'Operation already discharged',
  '213': 'Operation not yet started',
  '220': 'Declaration not yet received',
  '299': 'Duplicate message',
  '301': 'Guarantee not found',
  '307': 'Declaration not found',
} as const;
export type EtirErrorCode = keyof typeof ETIR_ERRORS;

/** The header every message starts with. */
export interface EtirHeader {
  /** Unique per sender, at most 35 characters. */
  messageId: string;
  sender: string;
  recipient: string;
  preparedAt: Date;
  /** For a response: the request's message id. */
  correlationId?: string | undefined;
}

/** One eTIR segment of the TIR transport: the country, its office of entry (or departure) and exit. */
export interface EtirItineraryStop {
  country: string;
  office: string;
  exitOffice?: string | undefined;
}

/**
 * The holder's advance TIR data (E9) or advance amendment data (E11): the guarantee, the holder,
 * the customs offices of the itinerary in order, the consignments with their items, the
 * consignment notes issued for the transport (AdditionalDocument) and the transport equipment
 * with seals. Pure.
 */
export function advanceDataMessage(
  kind: 'E9' | 'E11',
  header: EtirHeader,
  d: NctsDeclarationInput,
  stops: readonly EtirItineraryStop[],
  version: number,
): string {
  let item = 0;
  const offices = stops.flatMap((s, i) => [
    office(i === 0 ? 'departure' : 'entry', s.office, s.country),
    ...(s.exitOffice
      ? [office(i === stops.length - 1 ? 'destination' : 'exit', s.exitOffice, s.country)]
      : []),
  ]);
  return renderXml(
    el(
      `etir:${kind}`,
      [
        ...headerElements(header, kind),
        el('Declaration', [
          el('FunctionalReferenceID', d.lrn),
          el('VersionID', version),
          el('TypeCode', kind === 'E9' ? '9' : '5'),
          el('Guarantee', [
            el('ReferenceID', d.guarantee.reference),
            el('AmountAmount', d.guarantee.amount, { currencyID: d.guarantee.currency }),
          ]),
          el('Holder', [
            el('ID', d.holder.identificationNumber),
            el('Name', d.holder.name),
            el('CountryCode', d.holder.country),
          ]),
          el(
            'Itinerary',
            stops.map((s, i) =>
              el('RoutingCountry', [el('SequenceNumeric', i + 1), el('CountryCode', s.country)]),
            ),
          ),
          ...offices.map((o, i) =>
            el('CustomsOffice', [
              el('SequenceNumeric', i + 1),
              el('RoleCode', o.role),
              el('ID', o.id),
              el('CountryCode', o.country),
            ]),
          ),
          ...d.consignments.map((c, ci) =>
            el('Consignment', [
              el('SequenceNumeric', ci + 1),
              el('Consignor', party(c.consignor)),
              el('Consignee', party(c.consignee)),
              ...c.goodsItems.map((g) =>
                el('ConsignmentItem', [
                  el('SequenceNumeric', ++item),
                  el('Commodity', [
                    el('Description', g.description),
                    el('Classification', [el('ID', g.hsCode), el('IdentificationTypeCode', 'HS')]),
                  ]),
                  el('GoodsMeasure', [
                    el('GrossMassMeasure', g.grossMassKg, { unitCode: 'KGM' }),
                    el('NetNetWeightMeasure', g.netMassKg, { unitCode: 'KGM' }),
                  ]),
                  el('Packaging', [
                    el('QuantityQuantity', g.packages.count),
                    el('TypeCode', g.packages.kind),
                  ]),
                ]),
              ),
            ]),
          ),
          ...(d.transportDocuments ?? []).map((x) =>
            el('AdditionalDocument', [el('TypeCode', x.type), el('ID', x.reference)]),
          ),
          ...(d.containers ?? []).map((t, i) =>
            el('TransportEquipment', [
              el('SequenceNumeric', i + 1),
              el('ID', t.equipmentReference),
              ...t.seals.map((s) => el('Seal', [el('ID', s)])),
            ]),
          ),
        ]),
      ],
      { 'xmlns:etir': ETIR_NAMESPACE },
    ),
  );
}

/** The response to a request: its type (I8 …), no errors when applied, else code list 99's. Pure. */
export function responseMessage(
  type: (typeof ETIR_REQUESTS)[EtirRequestType],
  header: EtirHeader,
  errors: readonly EtirError[],
): string {
  return renderXml(
    el(
      `etir:${type}`,
      [
        ...headerElements(header, type),
        el('Response', [
          el('StatusCode', errors.length === 0 ? 'accepted' : 'rejected'),
          ...errors.map((e) =>
            el('Error', [
              el('ValidationCode', e.code),
              el('Description', ETIR_ERRORS[e.code]),
              el('Pointer', e.pointer),
            ]),
          ),
        ]),
      ],
      { 'xmlns:etir': ETIR_NAMESPACE },
    ),
  );
}

/** A message read from the international system. */
export type EtirInbound = {
  header: {
    messageId: string;
    sender: string;
    recipient: string;
    preparedAt: string;
    correlationId: string | null;
  };
} & (
  | { type: EtirResponseType; errors: EtirError[] }
  | {
      type: EtirRequestType;
      /** The guarantee reference, eTIR's key of the TIR transport. */
      guaranteeReference: string;
      /** The customs office acting (for I15, an office of the country notified). */
      office: string;
      /** I7: the reference the customs of departure gave the declaration; else null. */
      declarationReference: string | null;
      /** The operation's sequence number (I9, I11, I13), or null. */
      sequence: number | null;
      /** Seals recorded at start or found at termination (I9, I11). */
      seals: string[];
    }
);

export type EtirRead = { ok: true; message: EtirInbound } | { ok: false; errors: EtirError[] };

const TYPES = new Set<string>(['E10', 'E12', ...Object.keys(ETIR_REQUESTS)]);
const OFFICE = /^[A-Z]{2}[A-Z0-9]{6}$/;
const GUARANTEE = /^[A-Z0-9]{1,24}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Reads a message of the international system and checks it as the specification's validations
 * do (code list 99's 1xx): every missing field (101), value out of its list (102), malformed date
 * (103) or over-long value (105) is an error with its pointer. Pure.
 */
export function readEtirMessage(xml: string, maxBytes: number): EtirRead {
  const fail = (code: EtirErrorCode, pointer: string): EtirRead => ({
    ok: false,
    errors: [{ code, pointer }],
  });
  if (new TextEncoder().encode(xml).length > maxBytes) return fail('105', '/');
  const parsed = parseXml(xml);
  if (!parsed.ok) return fail('100', '/');
  const root = parsed.root;
  const type = localName(root.name);
  if (!TYPES.has(type)) return fail('102', '/');
  const errors: EtirError[] = [];
  const text = (
    path: string,
    limit: number,
    pattern?: RegExp,
    code: EtirErrorCode = '102',
  ): string => {
    const v = at(root, path)?.text ?? '';
    const pointer = `${type}/${path}`;
    if (v === '') errors.push({ code: '101', pointer });
    else if (v.length > limit) errors.push({ code: '105', pointer });
    else if (pattern && !pattern.test(v)) errors.push({ code, pointer });
    return v;
  };
  const header = {
    messageId: text('MessageID', 35),
    sender: text('Sender', 35),
    recipient: text('Recipient', 35),
    preparedAt: text('PreparationDateTime', 35, DATE_TIME, '103'),
    correlationId: at(root, 'CorrelationID')?.text || null,
  };
  if (at(root, 'MessageType')?.text !== type)
    errors.push({ code: '102', pointer: `${type}/MessageType` });
  if (type === 'E10' || type === 'E12') {
    if (header.correlationId === null)
      errors.push({ code: '101', pointer: `${type}/CorrelationID` });
    const response = at(root, 'Response');
    const found = (response?.children ?? [])
      .filter((c) => localName(c.name) === 'Error')
      .map((e) => ({
        code: (at(e, 'ValidationCode')?.text ?? '100') as EtirErrorCode,
        pointer: at(e, 'Pointer')?.text ?? '/',
      }));
    if (errors.length > 0) return { ok: false, errors };
    return { ok: true, message: { header, type, errors: found } };
  }
  const guaranteeReference = text('Declaration/Guarantee/ReferenceID', 24, GUARANTEE);
  const office = text('Declaration/CustomsOffice/ID', 8, OFFICE);
  const declarationReference = type === 'I7' ? text('Declaration/ID', 35, /^[A-Za-z0-9-]+$/) : null;
  let sequence: number | null = null;
  if (type === 'I9' || type === 'I11' || type === 'I13') {
    const v = text('Declaration/Operation/SequenceNumeric', 3, /^[1-9][0-9]{0,2}$/);
    sequence = Number(v) || null;
  }
  const seals = (at(root, 'Declaration')?.children ?? [])
    .filter((c) => localName(c.name) === 'TransportEquipment')
    .flatMap((t) =>
      t.children.filter((c) => localName(c.name) === 'Seal').map((s) => at(s, 'ID')?.text ?? ''),
    )
    .filter(Boolean);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    message: {
      header,
      type: type as EtirRequestType,
      guaranteeReference,
      office,
      declarationReference,
      sequence,
      seals,
    },
  };
}

/** The header elements: message id, type, sender, recipient, time (UTC) and correlation. */
function headerElements(h: EtirHeader, type: string): XmlElement[] {
  return [
    el('MessageID', h.messageId),
    el('MessageType', type),
    el('Sender', h.sender),
    el('Recipient', h.recipient),
    el('PreparationDateTime', h.preparedAt.toISOString().slice(0, 19) + 'Z'),
    h.correlationId !== undefined && el('CorrelationID', h.correlationId),
  ].filter((x): x is XmlElement => Boolean(x));
}

function office(role: string, id: string, country: string) {
  return { role, id, country };
}

function party(p: {
  name: string;
  country: string;
  identificationNumber?: string | undefined;
}): XmlElement[] {
  return [
    ...(p.identificationNumber !== undefined ? [el('ID', p.identificationNumber)] : []),
    el('Name', p.name),
    el('CountryCode', p.country),
  ];
}

/** The element at a path of child names (local names), or undefined. */
function at(root: XmlElement, path: string): XmlElement | undefined {
  let e: XmlElement | undefined = root;
  for (const step of path.split('/')) {
    e = e?.children.find((c) => localName(c.name) === step);
    if (!e) return undefined;
  }
  return e;
}
