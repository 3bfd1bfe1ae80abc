import type { DcsaDocument, StoredEvent } from './shipments.ts';

/**
 * Events in DCSA Track & Trace 3.0 form (event domain 3.1.0): `{ metadata, payload }`, as the
 * read API, `GET /v3/events/{eventID}` and notifications give them.
 */

/** The version of the TNT contract the API and its notifications follow (API-Version). */
export const TNT_VERSION = '3.0.0-Beta-1';

/** TNT 3.0 `publisher`: a party name and a carrier code of a DCSA code list (SMDG or NMFTA). */
export interface DcsaPublisher {
  partyName: string;
  carrierCode: string;
  carrierCodeListProvider: 'SMDG' | 'NMFTA';
}

/**
 * The platform as publisher: of its own events (estimated arrivals) and of the customs desk's
 * events (customs selected, released, crossed), which the platform makes from the desk's
 * decisions. Role SVP (service provider).
 */
export const PLATFORM_PUBLISHER: DcsaPublisher = {
  partyName: 'Corridor',
  carrierCode: 'CRDR',
  carrierCodeListProvider: 'SMDG',
};

/**
 * The publisher of an event posted without one: the posting organisation. Its name is the
 * `partyName`; its `carrierCode` is the initials of its name (its first four letters when the
 * name is one word), upper case, at most four characters — the platform keeps no SMDG or NMFTA
 * code of railways, ferry lines, terminals or customs, and TNT 3.0 allows only those two lists,
 * so the code is given as SMDG. Carriers (rail, ferry, road) publish as CA, terminals and customs
 * as SVP. A `publisher` an event arrives with is kept as it is.
 */
export function publisherOf(org: { name: string; kind: string }): {
  publisher: DcsaPublisher;
  publisherRole: 'CA' | 'SVP';
} {
  const words = org.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9 ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const code =
    (words.length === 1
      ? words[0]!.slice(0, 4)
      : words
          .map((w) => w[0])
          .join('')
          .slice(0, 4)
    )
      .toUpperCase()
      .trim() || 'ZZZZ';
  return {
    publisher: {
      partyName: org.name.trim().slice(0, 100) || code,
      carrierCode: code,
      carrierCodeListProvider: 'SMDG',
    },
    publisherRole: org.kind === 'carrier' ? 'CA' : 'SVP',
  };
}

const CODE_FIELD = {
  TRANSPORT: 'transportEventTypeCode',
  EQUIPMENT: 'equipmentEventTypeCode',
  SHIPMENT: 'shipmentEventTypeCode',
} as const;

/** TNT 3.0 modeOfTransport of a service mode of the network. */
export function dcsaMode(mode: string | undefined): 'VESSEL' | 'RAIL' | 'TRUCK' | 'BARGE' {
  return mode === 'road' ? 'TRUCK' : mode === 'ferry' || mode === 'sea' ? 'VESSEL' : 'RAIL';
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function object(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** A location given by its UN/LOCODE alone gets the `locationType` TNT 3.0 requires. */
function typedLocation(v: unknown): void {
  const l = object(v);
  if (
    l &&
    l.locationType === undefined &&
    typeof l.UNLocationCode === 'string' &&
    l.facilityCode === undefined &&
    l.address === undefined &&
    l.latitude === undefined
  )
    l.locationType = 'UNLO';
}

/** What completing an event's document needs to know of the event and its shipment. */
export interface DocumentContext {
  eventID: string;
  eventType: StoredEvent['eventType'];
  shipmentId: string;
  bookingId: string | null;
  unLocationCode: string | null;
  facilityTypeCode: string | null;
  /** The mode of the ride the event is on, when the event does not say. */
  modeOfTransport: 'VESSEL' | 'RAIL' | 'TRUCK' | 'BARGE';
}

/**
 * Completes a received event (changed in place) with what TNT 3.0 requires and it lacks, adding
 * and never changing or removing a field: the publisher (the poster's organisation); for
 * equipment events `emptyIndicatorCode` (LADEN: a shipment's containers travel full); for
 * transport events a `transportCall` (its reference is the shipment and place, its mode that of
 * the ride) or what its transport call lacks; for shipment events the document (the booking,
 * else the shipment); `locationType: UNLO` on places given by UN/LOCODE alone.
 */
export function completeDocument(
  doc: DcsaDocument,
  ctx: DocumentContext,
  poster: ReturnType<typeof publisherOf>,
): DcsaDocument {
  const m = doc.metadata;
  m.eventType ??= ctx.eventType;
  m.publisher ??= poster.publisher;
  m.publisherRole ??= poster.publisherRole;
  const p = doc.payload;
  if (!p) return doc;
  typedLocation(p.eventLocation);
  typedLocation(p.location);
  if (ctx.eventType === 'EQUIPMENT') p.emptyIndicatorCode ??= 'LADEN';
  if (ctx.eventType === 'SHIPMENT') {
    p.documentTypeCode ??= ctx.bookingId ? 'BKG' : 'TRD';
    p.documentReference ??=
      (typeof p.documentID === 'string' ? p.documentID : null) ?? ctx.bookingId ?? ctx.shipmentId;
  }
  if (ctx.eventType === 'TRANSPORT') {
    p.transportCall ??= {};
    const call = object(p.transportCall)!;
    call.transportCallReference ??= `${ctx.shipmentId}-${ctx.unLocationCode ?? 'XXXXX'}`;
    call.modeOfTransport ??= ctx.modeOfTransport;
    if (call.location === undefined && ctx.unLocationCode)
      call.location = { locationType: 'UNLO', UNLocationCode: ctx.unLocationCode };
    typedLocation(call.location);
    if (call.facilityTypeCode === undefined && ctx.facilityTypeCode)
      call.facilityTypeCode = ctx.facilityTypeCode === 'BORD' ? 'BOCR' : ctx.facilityTypeCode;
  }
  return doc;
}

/**
 * An event in TNT 3.0 form: as received, completed (completeDocument); events kept without
 * their document (the customs desk's, and those stored before documents were kept) are written
 * from what was kept, published by the platform.
 */
export function dcsaEvent(e: StoredEvent): DcsaDocument {
  if (e.document) return e.document;
  const payload: Record<string, unknown> = {
    eventClassifierCode: e.eventClassifierCode,
    eventDateTime: iso(e.eventDateTime),
    [CODE_FIELD[e.eventType]]: e.eventTypeCode,
  };
  if (e.equipmentReference !== null) payload.equipmentReference = e.equipmentReference;
  if (e.eventType === 'EQUIPMENT' && e.unLocationCode !== null)
    payload.eventLocation = { locationType: 'UNLO', UNLocationCode: e.unLocationCode };
  if (e.eventType === 'EQUIPMENT' && e.facilityTypeCode !== null)
    payload.facilityTypeCode = e.facilityTypeCode === 'BOCR' ? 'BORD' : e.facilityTypeCode;
  const doc: DcsaDocument = {
    metadata: { eventID: e.eventID, eventCreatedDateTime: iso(e.eventCreatedDateTime) },
    payload,
  };
  return completeDocument(
    doc,
    {
      eventID: e.eventID,
      eventType: e.eventType,
      shipmentId: e.shipmentId,
      bookingId: null,
      unLocationCode: e.unLocationCode,
      facilityTypeCode: e.facilityTypeCode,
      modeOfTransport: (e.modeOfTransport as DocumentContext['modeOfTransport'] | null) ?? 'RAIL',
    },
    { publisher: PLATFORM_PUBLISHER, publisherRole: 'SVP' },
  );
}
