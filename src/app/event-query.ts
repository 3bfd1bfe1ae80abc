import type { Actor } from './actor.ts';
import { AppError } from './errors.ts';
import {
  EQUIPMENT_EVENT_CODES,
  EVENT_TYPES,
  SHIPMENT_EVENT_CODES,
  TRANSPORT_EVENT_CODES,
} from '../core/tracking/events.ts';
import type { EventFilter, StoredEvent, TimeBound } from './shipments.ts';
import { mayRead } from './shipment-access.ts';
import { accessOfActor, type TrackingDeps } from './tracking.ts';

/**
 * The DCSA TNT 3.0 read API (`GET /v3/events`, `GET /v3/events/{eventID}`): its query
 * parameters, with the TNT 2.2 names as aliases, and keyset pages whose cursor carries the
 * query.
 */

/** Default and largest page. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

const DOCUMENT_TYPE_CODES = [
  'CBR',
  'BKG',
  'SHI',
  'TRD',
  'DEI',
  'DEO',
  'TRO',
  'CRO',
  'ARN',
  'VGM',
  'CAS',
  'CUC',
  'DGD',
  'OOG',
  'CQU',
  'INV',
  'HCE',
  'PCE',
  'VCE',
  'FCE',
  'ICE',
  'CEA',
  'CEO',
] as const;

/** A query as a cursor keeps it: the filters, order and page size. */
type Query = Omit<EventFilter, 'shipments' | 'after' | 'limit'> & {
  shipmentId?: string | undefined;
  limit: number;
};

interface Cursor {
  q: Query;
  /** The key to go beyond, and whether backwards (a previous page). */
  k: { at: number; eventId: string };
  back: boolean;
}

function invalid(field: string, message: string): AppError {
  return new AppError('invalid_data', `${field}: ${message}`, [
    { path: `query.${field}`, message },
  ]);
}

function text(raw: Readonly<Record<string, unknown>>, ...names: string[]): [string, string] | [] {
  for (const name of names) {
    const v = raw[name];
    if (typeof v === 'string') return [name, v];
    if (Array.isArray(v) && typeof v[0] === 'string') return [name, v[0]];
  }
  return [];
}

function list(
  raw: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
  ...names: string[]
): string[] | undefined {
  const [name, v] = text(raw, ...names);
  if (name === undefined) return undefined;
  const items = v!.split(',').map((s) => s.trim());
  const bad = items.find((i) => !allowed.includes(i));
  if (bad !== undefined)
    throw invalid(name, `${bad || 'an empty value'} is not one of ${allowed.join(', ')}`);
  return items;
}

function plain(
  raw: Readonly<Record<string, unknown>>,
  max: number,
  ...names: string[]
): string | undefined {
  const [name, v] = text(raw, ...names);
  if (name === undefined) return undefined;
  if (v!.length === 0 || v!.length > max) throw invalid(name, `1 to ${max} characters`);
  return v;
}

function bounds(raw: Readonly<Record<string, unknown>>, field: string): TimeBound[] | undefined {
  const out: TimeBound[] = [];
  for (const op of ['', 'gte', 'gt', 'lte', 'lt', 'eq'] as const) {
    const name = op ? `${field}:${op}` : field;
    const [, v] = text(raw, name);
    if (v === undefined) continue;
    const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(v)
      ? Date.parse(v)
      : NaN;
    if (Number.isNaN(at)) throw invalid(name, 'not an ISO 8601 date-time with zone');
    out.push({ op: op || 'eq', at });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The query of `GET /v3/events` from its parameters: TNT 3.0 names, TNT 2.2 names as aliases
 * (eventType, shipmentEventTypeCode, documentTypeCode, carrierBookingReference, bookingReference,
 * transportDocumentReference, transportDocumentID, transportEventTypeCode, transportCallID,
 * carrierVoyageNumber, exportVoyageNumber, equipmentEventTypeCode). Unknown parameters are
 * ignored. Throws invalid_data naming the parameter for a bad value.
 */
export function parseEventQuery(raw: Readonly<Record<string, unknown>>): Query {
  const [limitName, limitText] = text(raw, 'limit');
  const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw invalid(limitName!, `a whole number from 1 to ${MAX_LIMIT}`);
  const [sortName, sort] = text(raw, 'sort');
  let order: 'asc' | 'desc' = 'asc';
  if (sort !== undefined) {
    const m = /^eventCreatedDateTime(?::(ASC|DESC))?$/i.exec(sort.trim());
    if (!m) throw invalid(sortName!, 'events are sorted by eventCreatedDateTime (:ASC or :DESC)');
    order = m[1]?.toUpperCase() === 'DESC' ? 'desc' : 'asc';
  }
  const typeCodes: { eventType: string; codes: string[] }[] = [];
  const codes = (eventType: string, allowed: readonly string[], ...names: string[]) => {
    const c = list(raw, allowed, ...names);
    if (c) typeCodes.push({ eventType, codes: c });
  };
  codes('SHIPMENT', SHIPMENT_EVENT_CODES, 'shipmentEventTypeCodes', 'shipmentEventTypeCode');
  codes('TRANSPORT', TRANSPORT_EVENT_CODES, 'transportEventTypeCodes', 'transportEventTypeCode');
  codes('EQUIPMENT', EQUIPMENT_EVENT_CODES, 'equipmentEventTypeCodes', 'equipmentEventTypeCode');

  let documentTypeCodes = list(raw, DOCUMENT_TYPE_CODES, 'documentTypeCodes', 'documentTypeCode');
  let documentReference = plain(raw, 100, 'documentReference');
  const booking = plain(raw, 100, 'carrierBookingReference', 'bookingReference');
  const transportDocument = plain(raw, 100, 'transportDocumentReference', 'transportDocumentID');
  if (documentReference === undefined && (booking ?? transportDocument) !== undefined) {
    documentReference = booking ?? transportDocument;
    documentTypeCodes ??= [booking !== undefined ? 'BKG' : 'TRD'];
  }

  const transportCall: Record<string, string> = {};
  const call = (field: string, max: number, ...aliases: string[]) => {
    const v = plain(raw, max, field, ...aliases);
    if (v !== undefined) transportCall[field] = v;
  };
  call('transportCallReference', 100, 'transportCallID');
  call('carrierImportVoyageNumber', 50);
  call('universalImportVoyageReference', 5);
  call('carrierExportVoyageNumber', 50, 'exportVoyageNumber', 'carrierVoyageNumber');
  call('universalExportVoyageReference', 5);
  call('carrierServiceCode', 11);
  call('universalServiceReference', 8);

  const vessel = plain(raw, 7, 'vesselIMONumber');
  if (vessel !== undefined && !/^\d{7}$/.test(vessel))
    throw invalid('vesselIMONumber', 'seven digits');
  const place = plain(raw, 5, 'UNLocationCode');
  if (place !== undefined && !/^[A-Z]{2}[A-Z2-9]{3}$/.test(place))
    throw invalid('UNLocationCode', 'not a UN/LOCODE (e.g. KZAAU)');
  const shipmentId = plain(raw, 44, 'shipmentID');
  if (shipmentId !== undefined && !/^[a-z]{3}_[A-Za-z0-9]{1,40}$/.test(shipmentId))
    throw invalid('shipmentID', 'not a shipment id');

  return {
    eventTypes: list(raw, EVENT_TYPES, 'eventTypes', 'eventType'),
    typeCodes: typeCodes.length > 0 ? typeCodes : undefined,
    documentTypeCodes,
    documentReference,
    equipmentReference: plain(raw, 11, 'equipmentReference'),
    transportCall: Object.keys(transportCall).length > 0 ? transportCall : undefined,
    vesselIMONumber: vessel,
    unLocationCode: place,
    created: bounds(raw, 'eventCreatedDateTime'),
    happened: bounds(raw, 'eventDateTime'),
    shipmentId,
    order,
    limit,
  };
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    if (
      typeof c.k.at === 'number' &&
      typeof c.k.eventId === 'string' &&
      typeof c.back === 'boolean' &&
      Number.isInteger(c.q.limit) &&
      c.q.limit >= 1 &&
      c.q.limit <= MAX_LIMIT
    )
      return c;
  } catch {
    // not ours: answered below
  }
  throw invalid('cursor', 'not a cursor from a Next-Page or Prev-Page header');
}

/** A page of events with the cursors of the pages after and before it (null: none). */
export interface EventPage {
  events: StoredEvent[];
  next: string | null;
  prev: string | null;
}

/**
 * The events of the shipments the caller may see that pass the query, a page in order of
 * (eventCreatedDateTime, eventID); given a cursor, the page it points to (the cursor carries
 * the query: other parameters are then not read).
 */
export async function listEvents(
  deps: TrackingDeps,
  actor: Actor,
  raw: Readonly<Record<string, unknown>>,
): Promise<EventPage> {
  const [, cursorText] = text(raw, 'cursor');
  const cursor = cursorText !== undefined ? decodeCursor(cursorText) : undefined;
  const q = cursor?.q ?? parseEventQuery(raw);
  let shipments: EventFilter['shipments'];
  if (q.shipmentId !== undefined) {
    const s = await deps.tracking.findShipment(q.shipmentId);
    if (!s || !mayRead(await accessOfActor(deps, actor), s))
      return { events: [], next: null, prev: null };
    shipments = { shipmentId: s.id };
  } else shipments = await accessOfActor(deps, actor);
  const back = cursor?.back ?? false;
  const order = q.order ?? 'asc';
  const { shipmentId: _s, limit, ...filter } = q;
  const found = await deps.tracking.listEvents({
    ...filter,
    shipments,
    order: back ? (order === 'asc' ? 'desc' : 'asc') : order,
    after: cursor?.k,
    limit: limit + 1,
  });
  const more = found.length > limit;
  const page = found.slice(0, limit);
  if (back) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  const key = (e: StoredEvent) => ({ at: e.eventCreatedDateTime, eventId: e.eventID });
  // Forwards there is a next page when more were found, and a previous one when a cursor
  // brought us here; backwards the other way round.
  const hasNext = back ? cursor !== undefined : more;
  const hasPrev = back ? more : cursor !== undefined;
  return {
    events: page,
    next: hasNext && last ? encodeCursor({ q, k: key(last), back: false }) : null,
    prev: hasPrev && first ? encodeCursor({ q, k: key(first), back: true }) : null,
  };
}

/** One event of a shipment the caller may see, by its eventID exactly; or not found. */
export async function getEvent(
  deps: TrackingDeps,
  actor: Actor,
  eventId: string,
): Promise<StoredEvent> {
  const [event] = await deps.tracking.findEvents([eventId]);
  const shipment = event ? await deps.tracking.findShipment(event.shipmentId) : undefined;
  if (!event || !shipment || !mayRead(await accessOfActor(deps, actor), shipment))
    throw new AppError('not_found', `no event ${eventId}`);
  return event;
}
