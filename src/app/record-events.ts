import { setImmediate } from 'node:timers/promises';
import { flatEventSchema, retractionSchema, type FlatEvent } from '../api/tracking.ts';
import type { Network } from '../core/network/network.ts';
import type { TrackingEvent } from '../core/tracking/events.ts';
import { containerNumberProblem } from '../core/tracking/iso6346.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import {
  completeDocument,
  dcsaMode,
  PLATFORM_PUBLISHER,
  publisherOf,
  type DocumentContext,
} from './dcsa-event.ts';
import type { DcsaDocument, ShipmentRef, StoredEvent } from './shipments.ts';
import { serves } from './shipment-access.ts';
import { deliveriesOf, subscriberScopes } from './subscriptions.ts';
import {
  accessOfActor,
  INLINE_REFRESH,
  nodesAtOf,
  refreshShipments,
  type TrackingDeps,
} from './tracking.ts';

/**
 * Recording DCSA Track & Trace events as carriers, terminals and customs post them: TNT 2.2
 * flat or TNT 3.0 `{ metadata, payload }`, matched to shipments by container or by the booking
 * or shipment they name, kept whole, and retractions.
 */

/** An actual event may be stamped this far ahead of the platform's clock (clock skew). */
const ACT_FUTURE_SLACK_MS = 15 * 60_000;

export interface EventResult {
  index: number;
  eventID: string | null;
  status: 'accepted' | 'duplicate' | 'rejected';
  reason: string | null;
  shipmentId: string | null;
}

/**
 * Records a batch of DCSA events (flat TNT 2.2 or 3.0 `{ metadata, payload }`), answering per
 * item: accepted, duplicate (its eventID is known) or rejected with the reason. The accepted
 * events are committed before this returns. Then each shipment that got events is folded again:
 * where it is, its P50/P90 arrival (published as an EST event), and a delay alert when its P90
 * passes the date promised at booking.
 */
export async function recordEvents(
  deps: TrackingDeps,
  actor: Actor,
  items: readonly unknown[],
): Promise<EventResult[]> {
  const now = deps.clock.now();
  // The database looks up the containers the items seem to name while the events are read
  // (the reads are CPU work of about as long); what the read events name beyond them is looked
  // up after.
  const early = [...new Set(items.flatMap(containerNamed))];
  const first = Promise.all([
    deps.tracking.shipmentsByEquipment(early),
    accessOfActor(deps, actor),
    subscriberScopes(deps),
    deps.organisations.find(actor.organisationId),
  ]);
  first.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  await setImmediate();

  const results: EventResult[] = [];
  const parsed: ({ index: number } & Extract<ReadItem, { kind: 'event' }>)[] = [];
  const retractions: ({ index: number } & Extract<ReadItem, { kind: 'retraction' }>)[] = [];
  items.forEach((item, index) => {
    const read = readEvent(item, now);
    if (typeof read === 'string')
      results[index] = {
        index,
        eventID: eventIdOf(item),
        status: 'rejected',
        reason: read,
        shipmentId: null,
      };
    else if (read.kind === 'event') parsed.push({ index, ...read });
    else retractions.push({ index, ...read });
  });

  // The shipments the events name, by container and by booking or shipment reference.
  const looked = new Set(early);
  const equipment = [...new Set(parsed.flatMap((p) => p.containers))];
  const docRefs = [...new Set(parsed.flatMap((p) => p.refs))];
  const [[byEarly, access, scopes, org], byLater, byId, byBooking, retracted] = await Promise.all([
    first,
    deps.tracking.shipmentsByEquipment(equipment.filter((c) => !looked.has(c))),
    deps.tracking.findShipments(docRefs.filter((r) => r.startsWith('shp_'))),
    deps.tracking.shipmentsByBooking(docRefs.filter((r) => r.startsWith('bkg_'))),
    deps.tracking.findEvents(retractions.map((r) => r.retracts)),
  ]);
  const poster = org
    ? publisherOf(org)
    : { publisher: PLATFORM_PUBLISHER, publisherRole: 'SVP' as const };
  // A shipment found by containers of both lookups holds the containers of both.
  const byEquipment = new Map(byEarly.map((r) => [r.id, r]));
  for (const r of byLater) {
    const known = byEquipment.get(r.id);
    byEquipment.set(
      r.id,
      known ? { ...known, equipment: [...known.equipment, ...r.equipment] } : r,
    );
  }
  const retractedShipments = await deps.tracking.findShipments([
    ...new Set(retracted.map((e) => e.shipmentId)),
  ]);
  const candidates = new Map<string, ShipmentRef>();
  for (const s of [...byEquipment.values(), ...byId, ...byBooking, ...retractedShipments])
    candidates.set(s.id, s);
  // Per container (and per named reference): the shipments the poster may post for, those under
  // way first, then the arrived ones newest first. A container travels in one shipment at a time
  // (createShipment refuses a second one under way), so under way there is one, and after its
  // arrival an event belongs to its last journey.
  const ranked = [...candidates.values()]
    .filter((s) => serves(access, s))
    .sort(
      (a, b) =>
        Number(a.arrived) - Number(b.arrived) || b.createdAt.getTime() - a.createdAt.getTime(),
    );
  const byContainer = new Map<string, ShipmentRef[]>();
  for (const s of ranked)
    for (const e of s.equipment) {
      const list = byContainer.get(e.equipmentReference) ?? [];
      list.push(s);
      byContainer.set(e.equipmentReference, list);
    }

  const toStore: StoredEvent[] = [];
  const seen = new Map<string, number>();
  const take = (index: number, event: StoredEvent) => {
    if (seen.has(event.eventID)) {
      results[index] = {
        index,
        eventID: event.eventID,
        status: 'duplicate',
        reason: `the same eventID as item ${seen.get(event.eventID)}`,
        shipmentId: event.shipmentId,
      };
      return;
    }
    seen.set(event.eventID, index);
    toStore.push(event);
    results[index] = {
      index,
      eventID: event.eventID,
      status: 'accepted',
      reason: null,
      shipmentId: event.shipmentId,
    };
  };
  const reject = (index: number, eventID: string, reason: string) => {
    results[index] = { index, eventID, status: 'rejected', reason, shipmentId: null };
  };

  for (const { index, event, refs, containers, document } of parsed) {
    const named = containers.length > 0 || refs.length > 0;
    // The first container it names that is in a shipment the poster serves.
    const container = containers.find((c) => byContainer.has(c)) ?? containers[0] ?? null;
    const pool = !named ? [] : container !== null ? (byContainer.get(container) ?? []) : ranked;
    const matches =
      refs.length > 0
        ? pool.filter(
            (s) => refs.includes(s.id) || (s.bookingId !== null && refs.includes(s.bookingId)),
          )
        : pool;
    const live = matches.filter((s) => !s.arrived);
    if (container !== null && live.length > 1) {
      // Only shipments registered before one container was held to one shipment can be here.
      reject(
        index,
        event.eventID,
        `container ${container} is in more than one shipment under way; name the shipment in relatedDocumentReferences`,
      );
      continue;
    }
    const shipment = matches[0];
    if (!shipment) {
      reject(
        index,
        event.eventID,
        !named
          ? 'the event names no container (equipmentReference, or references of type EQ) and no booking or shipment of the platform (relatedDocumentReferences, documentReference, documentReferences)'
          : `no shipment ${container !== null ? `with container ${container}` : `${refs.join(', ')}`} that your organisation may post events for (carriers of its rides, terminals and customs of the countries it crosses)`,
      );
      continue;
    }
    const stored: StoredEvent = {
      ...event,
      equipmentReference: event.equipmentReference ?? container,
      shipmentId: shipment.id,
      postedBy: actor.organisationId,
      document: completeDocument(
        document,
        {
          eventID: event.eventID,
          eventType: event.eventType,
          shipmentId: shipment.id,
          bookingId: shipment.bookingId,
          unLocationCode: event.unLocationCode,
          facilityTypeCode: event.facilityTypeCode,
          modeOfTransport:
            (event.modeOfTransport as DocumentContext['modeOfTransport'] | null) ??
            modeAt(deps.network, shipment.serviceIds, event.unLocationCode),
        },
        poster,
      ),
      retractedEventID: null,
    };
    take(index, stored);
  }

  const byEventId = new Map(retracted.map((e) => [e.eventID, e]));
  for (const { index, event, retracts, document } of retractions) {
    const target = byEventId.get(retracts);
    const shipment = target ? candidates.get(target.shipmentId) : undefined;
    if (!target || !shipment || !serves(access, shipment)) {
      reject(
        index,
        event.eventID,
        `metadata.retractedEventID: no event ${retracts} of a shipment your organisation may post events for`,
      );
      continue;
    }
    if (target.postedBy !== actor.organisationId && !isPlatformAdmin(actor)) {
      reject(
        index,
        event.eventID,
        `metadata.retractedEventID: event ${retracts} was posted by another organisation; only its publisher retracts it`,
      );
      continue;
    }
    if (target.retractedEventID) {
      reject(index, event.eventID, `metadata.retractedEventID: ${retracts} is itself a retraction`);
      continue;
    }
    take(index, {
      ...event,
      shipmentId: shipment.id,
      postedBy: actor.organisationId,
      retractedEventID: retracts,
      document: completeDocument(
        document,
        {
          eventID: event.eventID,
          eventType: event.eventType,
          shipmentId: shipment.id,
          bookingId: shipment.bookingId,
          unLocationCode: null,
          facilityTypeCode: null,
          modeOfTransport: 'RAIL',
        },
        poster,
      ),
    });
  }

  const notify = (events: readonly StoredEvent[]) =>
    deliveriesOf(scopes, candidates, events, now, () => deps.secrets.id('dlv'));
  const stored = await deps.tracking.insertEvents(toStore, now, {
    deliveriesFor: notify,
    markStale: true,
  });
  for (const e of toStore)
    if (!stored.has(e.eventID)) {
      const r = results.find((x) => x.eventID === e.eventID && x.status === 'accepted')!;
      r.status = 'duplicate';
      r.reason = 'an event with this eventID was recorded before';
    }
  // The events are committed. A small post (a carrier's system reporting as things happen)
  // brings position and ETA up to date before answering; a bulk upload leaves that to the
  // refresh job (refreshShipments), which follows within seconds.
  const moved = [...new Set(toStore.filter((e) => stored.has(e.eventID)).map((e) => e.shipmentId))];
  if (items.length <= INLINE_REFRESH && moved.length > 0) await refreshShipments(deps, moved);
  return results;
}

/** TNT 3.0 mode of the shipment's service that stops at the place (else its first service). */
function modeAt(
  network: Network,
  serviceIds: readonly string[],
  unLocationCode: string | null,
): DocumentContext['modeOfTransport'] {
  const services = serviceIds.flatMap((id) => network.services.get(id) ?? []);
  const at = nodesAtOf(network);
  const nodes = new Set(unLocationCode ? at(unLocationCode) : []);
  const service = services.find((s) => s.stops.some((x) => nodes.has(x.nodeId))) ?? services[0];
  return dcsaMode(service?.mode);
}

function eventIdOf(item: unknown): string | null {
  const o = item as { eventID?: unknown; metadata?: { eventID?: unknown } } | null;
  const id = o?.eventID ?? o?.metadata?.eventID;
  return typeof id === 'string' && id.length <= 100 ? id : null;
}

/** The container an item names at first sight (an envelope's payload or metadata), unchecked. */
function containerNamed(item: unknown): string[] {
  const o = item as {
    equipmentReference?: unknown;
    payload?: { equipmentReference?: unknown };
    metadata?: { equipmentReference?: unknown };
  } | null;
  const c =
    o?.metadata?.equipmentReference ?? o?.payload?.equipmentReference ?? o?.equipmentReference;
  return typeof c === 'string' && c.length <= 11 ? [c] : [];
}

/** What an item of a batch reads as: an event, or a retraction of one; or why neither. */
type ReadItem =
  | {
      kind: 'event';
      event: TrackingEvent;
      refs: string[];
      /** The containers it names: equipmentReference, else references of type EQ. */
      containers: string[];
      document: DcsaDocument;
    }
  | {
      kind: 'retraction';
      event: TrackingEvent;
      retracts: string;
      document: DcsaDocument;
    };

const METADATA_FIELDS = new Set([
  'eventID',
  'eventCreatedDateTime',
  'eventType',
  'publisher',
  'publisherRole',
  'retractedEventID',
]);

function issues(error: { issues: readonly { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || 'event'}: ${i.message}`)
    .join('; ');
}

/**
 * One item of a batch (TNT 2.2 flat, or TNT 3.0 `{ metadata, payload }`) as an event with the
 * booking or shipment ids and containers it names, and its TNT 3.0 document with every field it
 * came with; or a retraction; or why it is neither.
 */
function readEvent(item: unknown, now: Date): ReadItem | string {
  const envelope =
    item !== null &&
    typeof item === 'object' &&
    'metadata' in item &&
    item.metadata !== null &&
    typeof item.metadata === 'object';
  if (envelope && 'retractedEventID' in (item.metadata as object)) {
    if ('payload' in item && item.payload !== undefined && item.payload !== null)
      return 'payload: an event that retracts another (metadata.retractedEventID) has no payload';
    const m = retractionSchema.safeParse(item.metadata);
    if (!m.success) return issues(m.error);
    const at = Date.parse(m.data.eventCreatedDateTime);
    return {
      kind: 'retraction',
      retracts: m.data.retractedEventID,
      document: structuredClone(item) as DcsaDocument,
      event: {
        eventID: m.data.eventID,
        eventType: m.data.eventType,
        eventClassifierCode: 'ACT',
        eventTypeCode: 'RETR',
        eventDateTime: at,
        eventCreatedDateTime: at,
        unLocationCode: null,
        facilityTypeCode: null,
        equipmentReference: null,
        modeOfTransport: null,
      },
    };
  }
  if (envelope && (!('payload' in item) || typeof item.payload !== 'object' || !item.payload))
    return 'payload: required unless metadata.retractedEventID retracts an event';
  let document: DcsaDocument;
  if (envelope) document = structuredClone(item) as DcsaDocument;
  else if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    const metadata: Record<string, unknown> = {};
    const payload: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(structuredClone(item)))
      (METADATA_FIELDS.has(k) ? metadata : payload)[k] = v;
    document = { metadata, payload };
  } else return 'event: not a JSON object';
  const parsed = flatEventSchema.safeParse({ ...document.payload, ...document.metadata });
  if (!parsed.success) return issues(parsed.error);
  const e: FlatEvent = parsed.data;
  if (e.equipmentReference !== undefined) {
    const problem = containerNumberProblem(e.equipmentReference);
    if (problem) return `equipmentReference: ${problem}`;
  }
  const at = Date.parse(e.eventDateTime);
  if (e.eventClassifierCode === 'ACT' && at > now.getTime() + ACT_FUTURE_SLACK_MS)
    return `eventDateTime: an actual (ACT) event cannot be in the future (${e.eventDateTime})`;
  const call = e.transportCall;
  const place = [call?.location, call, e.eventLocation, e.location].find(
    (l) => l?.UNLocationCode !== undefined,
  );
  const facility =
    e.facilityTypeCode ??
    call?.facilityTypeCode ??
    e.eventLocation?.facilityTypeCode ??
    call?.location?.facilityTypeCode ??
    e.location?.facilityTypeCode;
  const named = [
    ...(e.documentReferences ?? []).map((d) => d.documentReferenceValue),
    ...(e.relatedDocumentReferences ?? []).map((d) => d.value),
    ...(e.references ?? []).filter((r) => r.type !== 'EQ').map((r) => r.value),
    ...(e.documentReference !== undefined ? [e.documentReference] : []),
  ];
  return {
    kind: 'event',
    document,
    event: {
      eventID: e.eventID,
      eventType: e.eventType,
      eventClassifierCode: e.eventClassifierCode,
      eventTypeCode: (e.transportEventTypeCode ??
        e.equipmentEventTypeCode ??
        e.shipmentEventTypeCode)!,
      eventDateTime: at,
      eventCreatedDateTime: Date.parse(e.eventCreatedDateTime),
      unLocationCode: place?.UNLocationCode ?? null,
      facilityTypeCode: facility ?? null,
      equipmentReference: e.equipmentReference ?? null,
      modeOfTransport: call?.modeOfTransport ?? null,
    },
    containers:
      e.equipmentReference !== undefined
        ? [e.equipmentReference]
        : [
            ...new Set(
              (e.references ?? [])
                .filter((r) => r.type === 'EQ' && r.value.length <= 11)
                .map((r) => r.value),
            ),
          ],
    refs: [...new Set(named.filter((v) => /^(shp|bkg)_[A-Za-z0-9]{1,40}$/.test(v)))],
  };
}
