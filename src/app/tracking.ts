import { setImmediate } from 'node:timers/promises';
import { flatEventSchema, type FlatEvent } from '../api/tracking.ts';
import { estimateArrival } from '../core/eta/eta.ts';
import type { Network } from '../core/network/network.ts';
import type { RoutingModel } from '../core/routing/api.ts';
import type { TrackingEvent } from '../core/tracking/events.ts';
import { containerNumberProblem } from '../core/tracking/iso6346.ts';
import { foldProgress, type ItineraryRide, type Progress } from '../core/tracking/progress.ts';
import { seedOf } from '../core/shared/rng.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import { findTrip } from '../core/network/timetable.ts';
import { AppError, type FieldError } from './errors.ts';
import type { Clock, Secrets, SubscriptionStore } from './ports.ts';
import type { OrganisationStore } from './account-ports.ts';
import type {
  EventFilter,
  Shipment,
  ShipmentAlert,
  ShipmentRef,
  ShipmentAccess,
  StoredEvent,
  TrackingStore,
} from './shipments.ts';
import type { BookingStore } from './bookings.ts';
import { deliveriesOf, subscriberScopes } from './subscriptions.ts';
import { accessOf, mayRead, serves } from './shipment-access.ts';

/** Monte-Carlo draws of each re-estimated arrival. */
export const ETA_DRAWS = 1000;
/** An actual event may be stamped this far ahead of the platform's clock (clock skew). */
const ACT_FUTURE_SLACK_MS = 15 * 60_000;

export interface TrackingDeps {
  network: Network;
  model: RoutingModel;
  tracking: TrackingStore;
  bookings: BookingStore;
  organisations: OrganisationStore;
  clock: Clock;
  secrets: Secrets;
  /** Event subscriptions: their notifications are queued with the events, in one transaction. */
  subscriptions: SubscriptionStore;
}

export interface NewShipment {
  bookingId?: string | undefined;
  rides?: readonly { tripId: string; from: string; to: string }[] | undefined;
  containers: readonly { equipmentReference: string; ISOEquipmentCode?: string | undefined }[];
  reference?: string | undefined;
}

/** Organisations that own shipments. */
const OWNERS = new Set(['shipper', 'forwarder', 'service_provider']);

/**
 * Registers a shipment: from a CONFIRMED booking of the caller's organisation (its rides and the
 * arrival its plan promised), or directly with an itinerary of rides. Containers are ISO 6346
 * numbers, checked with their check digit. Its ETA is estimated at once.
 */
export async function createShipment(
  deps: TrackingDeps,
  actor: Actor,
  input: NewShipment,
): Promise<Shipment> {
  if (!OWNERS.has(actor.organisationKind) && !isPlatformAdmin(actor))
    throw new AppError('forbidden', 'only shippers, forwarders and service providers ship');
  const errors: FieldError[] = [];
  input.containers.forEach((c, i) => {
    const problem = containerNumberProblem(c.equipmentReference);
    if (problem)
      errors.push({ path: `body.containers[${i}].equipmentReference`, message: problem });
  });
  const refs = input.containers.map((c) => c.equipmentReference);
  if (new Set(refs).size !== refs.length)
    errors.push({ path: 'body.containers', message: 'a container is listed twice' });
  if ((input.bookingId === undefined) === (input.rides === undefined))
    errors.push({ path: 'body', message: 'give a bookingId or the rides, one of them' });
  if (errors.length > 0) throw new AppError('invalid_data', errors[0]!.message, errors);

  let rideSpecs: readonly { tripId: string; from: string; to: string }[];
  let promisedArrival: Date | null = null;
  let promise: { arrivalP50: string; arrivalP90: string } | null = null;
  if (input.bookingId !== undefined) {
    const booking = await deps.bookings.find(input.bookingId);
    if (!booking || booking.organisationId !== actor.organisationId)
      throw new AppError('not_found', `no booking ${input.bookingId}`, [
        { path: 'body.bookingId', message: 'no such booking of yours' },
      ]);
    if (booking.state !== 'CONFIRMED')
      throw new AppError(
        'conflict',
        `booking ${booking.id} is ${booking.state}; a shipment starts from a CONFIRMED booking`,
        [{ path: 'body.bookingId', message: `booking is ${booking.state}` }],
      );
    rideSpecs = booking.rides.map((r) => ({
      tripId: r.tripId,
      from: r.fromNodeId,
      to: r.toNodeId,
    }));
    promise = booking.promise;
    promisedArrival = promise ? new Date(promise.arrivalP90) : null;
  } else rideSpecs = input.rides!;

  const rides: ItineraryRide[] = [];
  rideSpecs.forEach((r, i) => {
    const ride = itineraryRide(deps.network, i, r);
    if (typeof ride === 'string') errors.push({ path: `body.rides[${i}]`, message: ride });
    else rides.push(ride);
  });
  if (errors.length > 0) throw new AppError('invalid_data', errors[0]!.message, errors);

  const now = deps.clock.now();
  const countries = new Set<string>();
  for (const r of rides) for (const n of r.stops) countries.add(deps.network.nodes.get(n)!.country);
  const progress = foldProgress(rides, [], nodesAtOf(deps.network));
  // From a booking, the arrival its plan promised stands until the first event says otherwise.
  const eta = promise
    ? { p50: Date.parse(promise.arrivalP50), p90: Date.parse(promise.arrivalP90) }
    : estimate(deps, seedOf(''), rides, progress, now);
  const shipment: Shipment = {
    id: deps.secrets.id('shp'),
    organisationId: actor.organisationId,
    bookingId: input.bookingId ?? null,
    reference: input.reference ?? null,
    equipment: input.containers.map((c) => ({
      equipmentReference: c.equipmentReference,
      isoEquipmentCode: c.ISOEquipmentCode ?? null,
    })),
    rides,
    serviceIds: [...new Set(rides.map((r) => r.serviceId))],
    countries: [...countries],
    promisedArrival,
    progress,
    etaP50: eta ? new Date(eta.p50) : null,
    etaP90: eta ? new Date(eta.p90) : null,
    alerts: [],
    createdAt: now,
    updatedAt: now,
  };
  shipment.alerts = delayAlerts(shipment, now);
  const { taken } = await deps.tracking.createShipment(shipment);
  // Whose shipment holds it is not said: that would tell one organisation about another's freight.
  if (taken.length > 0)
    throw new AppError(
      'conflict',
      `container ${taken[0]} is in a shipment under way; a container travels in one shipment at a time`,
      input.containers.flatMap((c, i) =>
        taken.includes(c.equipmentReference)
          ? [
              {
                path: `body.containers[${i}].equipmentReference`,
                message: 'the container is in a shipment under way',
              },
            ]
          : [],
      ),
    );
  return shipment;
}

/** A ride of the timetable as the itinerary keeps it, or why it is not one. */
export function itineraryRide(
  network: Network,
  rideIndex: number,
  r: { tripId: string; from: string; to: string },
): ItineraryRide | string {
  const trip = findTrip(network, r.tripId);
  if (!trip) return `no departure ${r.tripId}`;
  const nodes = trip.stopTimes.map((s) => s.nodeId);
  const board = nodes.indexOf(r.from);
  const alight = nodes.indexOf(r.to, board + 1);
  if (board < 0) return `${r.from} is not a stop of ${r.tripId}`;
  if (alight < 0) return `${r.to} is not a later stop of ${r.tripId}`;
  const stops = trip.stopTimes.slice(board, alight + 1);
  return {
    rideIndex,
    tripId: trip.id,
    serviceId: trip.serviceId,
    stops: stops.map((s) => s.nodeId),
    plannedDepartures: stops.map((s, i) => (i === stops.length - 1 ? null : s.departure)),
    plannedArrivals: stops.map((s, i) => (i === 0 ? null : s.arrival)),
  };
}

/** Node ids of a UN/LOCODE (main or alternative code). */
export function nodesAt(network: Network): (code: string) => readonly string[] {
  const index = new Map<string, string[]>();
  for (const n of network.nodes.values())
    for (const code of [n.unLocode, ...(n.altUnLocodes ?? [])])
      if (code) index.set(code, [...(index.get(code) ?? []), n.id]);
  return (code) => index.get(code) ?? [];
}

const nodesAtCache = new WeakMap<Network, (code: string) => readonly string[]>();
function nodesAtOf(network: Network) {
  let f = nodesAtCache.get(network);
  if (!f) nodesAtCache.set(network, (f = nodesAt(network)));
  return f;
}

function estimate(
  deps: TrackingDeps,
  seed: number,
  rides: readonly ItineraryRide[],
  progress: Progress,
  now: Date,
) {
  return estimateArrival(deps.model, rides, progress, now.getTime(), ETA_DRAWS, seed);
}

/** The alerts after a re-estimate: a delay alert when P90 passes the promise, once per crossing. */
export function delayAlerts(s: Shipment, now: Date): ShipmentAlert[] {
  if (!s.promisedArrival || !s.etaP90) return s.alerts;
  const last = [...s.alerts]
    .reverse()
    .find((a) => a.kind === 'delay' || a.kind === 'on_time_again');
  const late = s.etaP90 > s.promisedArrival;
  if (late && last?.kind !== 'delay')
    return [
      ...s.alerts,
      {
        at: now.toISOString(),
        kind: 'delay',
        message: `P90 arrival ${s.etaP90.toISOString()} is after the arrival promised at booking, ${s.promisedArrival.toISOString()}`,
      },
    ];
  if (!late && last?.kind === 'delay')
    return [
      ...s.alerts,
      {
        at: now.toISOString(),
        kind: 'on_time_again',
        message: `P90 arrival ${s.etaP90.toISOString()} is within the promise again`,
      },
    ];
  return s.alerts;
}

/** The caller's access to shipments; only carriers, terminals and customs need their organisation. */
/** What the actor's organisation may do with shipments. */
export async function accessOfActor(
  deps: Pick<TrackingDeps, 'organisations'>,
  actor: Actor,
): Promise<ShipmentAccess> {
  const admin = isPlatformAdmin(actor);
  const kind = actor.organisationKind;
  const org =
    kind === 'carrier' || kind === 'terminal' || kind === 'customs'
      ? await deps.organisations.find(actor.organisationId)
      : undefined;
  return org
    ? accessOf(org, admin)
    : { organisationId: actor.organisationId, admin, serviceIds: [], countries: [] };
}

/** A shipment with its events in event time, as the caller may see it. */
export async function getShipment(
  deps: TrackingDeps,
  actor: Actor,
  id: string,
): Promise<{ shipment: Shipment; events: StoredEvent[] }> {
  const shipment = await deps.tracking.findShipment(id);
  if (!shipment || !mayRead(await accessOfActor(deps, actor), shipment))
    throw new AppError('not_found', `no shipment ${id}`);
  return { shipment, events: await deps.tracking.eventsOf([id]) };
}

/** The shipments the caller may see, newest first (at most 500). */
export async function listShipments(deps: TrackingDeps, actor: Actor): Promise<Shipment[]> {
  return deps.tracking.listShipments(await accessOfActor(deps, actor));
}

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
  ]);
  first.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  await setImmediate();

  const results: EventResult[] = [];
  const parsed: { index: number; event: TrackingEvent; refs: string[] }[] = [];
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
    else parsed.push({ index, ...read });
  });

  // The shipments the events name, by container and by booking or shipment reference.
  const looked = new Set(early);
  const equipment = [...new Set(parsed.flatMap((p) => p.event.equipmentReference ?? []))];
  const docRefs = [...new Set(parsed.flatMap((p) => p.refs))];
  const [[byEarly, access, scopes], byLater, byId, byBooking] = await Promise.all([
    first,
    deps.tracking.shipmentsByEquipment(equipment.filter((c) => !looked.has(c))),
    deps.tracking.findShipments(docRefs.filter((r) => r.startsWith('shp_'))),
    deps.tracking.shipmentsByBooking(docRefs.filter((r) => r.startsWith('bkg_'))),
  ]);
  // A shipment found by containers of both lookups holds the containers of both.
  const byEquipment = new Map(byEarly.map((r) => [r.id, r]));
  for (const r of byLater) {
    const known = byEquipment.get(r.id);
    byEquipment.set(
      r.id,
      known ? { ...known, equipment: [...known.equipment, ...r.equipment] } : r,
    );
  }
  const candidates = new Map<string, ShipmentRef>();
  for (const s of [...byEquipment.values(), ...byId, ...byBooking]) candidates.set(s.id, s);
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
  for (const { index, event, refs } of parsed) {
    const named = event.equipmentReference !== null || refs.length > 0;
    const pool = !named
      ? []
      : event.equipmentReference !== null
        ? (byContainer.get(event.equipmentReference) ?? [])
        : ranked;
    const matches =
      refs.length > 0
        ? pool.filter(
            (s) => refs.includes(s.id) || (s.bookingId !== null && refs.includes(s.bookingId)),
          )
        : pool;
    const live = matches.filter((s) => !s.arrived);
    if (event.equipmentReference !== null && live.length > 1) {
      // Only shipments registered before one container was held to one shipment can be here.
      results[index] = {
        index,
        eventID: event.eventID,
        status: 'rejected',
        reason: `container ${event.equipmentReference} is in more than one shipment under way; name the shipment in documentReferences`,
        shipmentId: null,
      };
      continue;
    }
    const shipment = matches[0];
    if (!shipment) {
      results[index] = {
        index,
        eventID: event.eventID,
        status: 'rejected',
        reason: !named
          ? 'the event names no container (equipmentReference) and no booking or shipment (documentReferences)'
          : `no shipment ${event.equipmentReference ? `with container ${event.equipmentReference}` : `${refs.join(', ')}`} that your organisation may post events for (carriers of its rides, terminals and customs of the countries it crosses)`,
        shipmentId: null,
      };
      continue;
    }
    if (seen.has(event.eventID)) {
      results[index] = {
        index,
        eventID: event.eventID,
        status: 'duplicate',
        reason: `the same eventID as item ${seen.get(event.eventID)}`,
        shipmentId: shipment.id,
      };
      continue;
    }
    seen.set(event.eventID, index);
    toStore.push({ ...event, shipmentId: shipment.id, postedBy: actor.organisationId });
    results[index] = {
      index,
      eventID: event.eventID,
      status: 'accepted',
      reason: null,
      shipmentId: shipment.id,
    };
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

/** Posts of at most this many events refresh their shipments before answering. */
export const INLINE_REFRESH = 20;
/** How much of the refresh's CPU work runs before requests waiting for the process go first. */
const YIELD_EVERY_MS = 4;
/** How long a refresh holds its shipments before another process may take them over. */
const REFRESH_LEASE_MS = 60_000;

/**
 * The refresh job: folds the events of shipments marked by new events again — where they are,
 * their P50/P90 arrival (stored, and published as an EST event: TRANSPORT ARRI at the
 * destination, notified to subscribers), delay alerts. Takes the given shipments, or up to
 * `limit` of any marked; several processes may run it at once, each shipment goes to one.
 * Returns how many were refreshed.
 */
export async function refreshShipments(
  deps: TrackingDeps,
  ids?: readonly string[],
  limit = 200,
): Promise<number> {
  const now = deps.clock.now();
  const claimed = await deps.tracking.claimStale(
    now,
    new Date(now.getTime() + REFRESH_LEASE_MS),
    ids ? ids.length : limit,
    ids,
  );
  if (claimed.length === 0) return 0;
  const events = await deps.tracking.eventsOf(
    claimed.map((c) => c.shipment.id),
    true,
  );
  const network = deps.network;
  const estimates: StoredEvent[] = [];
  const refreshes: { id: string; change: Shipment; staleAt: Date }[] = [];
  const eventsOfShipment = new Map<string, StoredEvent[]>();
  for (const e of events) {
    const list = eventsOfShipment.get(e.shipmentId);
    if (list) list.push(e);
    else eventsOfShipment.set(e.shipmentId, [e]);
  }
  let slice = performance.now();
  for (const { shipment: s, staleAt } of claimed) {
    // Requests come first: the estimates are CPU work, given up every few milliseconds.
    if (performance.now() - slice > YIELD_EVERY_MS) {
      await setImmediate();
      slice = performance.now();
    }
    const own = eventsOfShipment.get(s.id) ?? [];
    const progress = foldProgress(s.rides, own, nodesAtOf(network));
    const eta = estimate(deps, seedOf(s.id) ^ own.length, s.rides, progress, now);
    const next: Shipment = {
      ...s,
      progress,
      etaP50: eta ? new Date(eta.p50) : null,
      etaP90: eta ? new Date(eta.p90) : null,
    };
    next.alerts = delayAlerts(next, now);
    refreshes.push({ id: s.id, change: next, staleAt });
    const destination = network.nodes.get(s.rides.at(-1)!.stops.at(-1)!)!;
    if (eta && destination.unLocode && progress.status !== 'ARRIVED')
      estimates.push({
        eventID: deps.secrets.uuid(),
        shipmentId: s.id,
        postedBy: null,
        eventType: 'TRANSPORT',
        eventClassifierCode: 'EST',
        eventTypeCode: 'ARRI',
        eventDateTime: eta.p50,
        eventCreatedDateTime: now.getTime(),
        unLocationCode: destination.unLocode,
        facilityTypeCode: null,
        equipmentReference: null,
        modeOfTransport: null,
      });
  }
  await deps.tracking.finishRefresh(refreshes, now);
  if (estimates.length > 0) {
    const scopes = await subscriberScopes(deps);
    const shipments = new Map(claimed.map((c) => [c.shipment.id, c.shipment]));
    await deps.tracking.insertEvents(estimates, now, {
      deliveriesFor: (events) =>
        deliveriesOf(scopes, shipments, events, now, () => deps.secrets.id('dlv')),
    });
  }
  return claimed.length;
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

/** One item of a batch as an event and the booking or shipment ids it names, or why not. */
function readEvent(item: unknown, now: Date): { event: TrackingEvent; refs: string[] } | string {
  let flat: unknown = item;
  if (
    item !== null &&
    typeof item === 'object' &&
    'metadata' in item &&
    'payload' in item &&
    typeof item.metadata === 'object' &&
    typeof item.payload === 'object'
  )
    flat = { ...(item.payload as object), ...(item.metadata as object) };
  const parsed = flatEventSchema.safeParse(flat);
  if (!parsed.success)
    return parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || 'event'}: ${i.message}`)
      .join('; ');
  const e: FlatEvent = parsed.data;
  if (e.equipmentReference !== undefined) {
    const problem = containerNumberProblem(e.equipmentReference);
    if (problem) return `equipmentReference: ${problem}`;
  }
  const at = Date.parse(e.eventDateTime);
  if (e.eventClassifierCode === 'ACT' && at > now.getTime() + ACT_FUTURE_SLACK_MS)
    return `eventDateTime: an actual (ACT) event cannot be in the future (${e.eventDateTime})`;
  const place = e.eventLocation ?? e.transportCall?.location ?? e.transportCall;
  return {
    event: {
      eventID: e.eventID.toLowerCase(),
      eventType: e.eventType,
      eventClassifierCode: e.eventClassifierCode,
      eventTypeCode: (e.transportEventTypeCode ??
        e.equipmentEventTypeCode ??
        e.shipmentEventTypeCode)!,
      eventDateTime: at,
      eventCreatedDateTime: Date.parse(e.eventCreatedDateTime),
      unLocationCode: place?.UNLocationCode ?? e.transportCall?.UNLocationCode ?? null,
      facilityTypeCode: place?.facilityTypeCode ?? e.transportCall?.facilityTypeCode ?? null,
      equipmentReference: e.equipmentReference ?? null,
      modeOfTransport: e.transportCall?.modeOfTransport ?? null,
    },
    refs: (e.documentReferences ?? [])
      .map((d) => d.documentReferenceValue)
      .filter((v) => /^(shp|bkg)_[A-Za-z0-9]{1,40}$/.test(v)),
  };
}

/** The DCSA read API: events of the shipments the caller may see, by filters, with a cursor. */
export async function listEvents(
  deps: TrackingDeps,
  actor: Actor,
  query: Omit<EventFilter, 'shipments' | 'after'> & {
    shipmentId?: string | undefined;
    cursor?: string | undefined;
  },
): Promise<{ events: StoredEvent[]; nextCursor: string | null }> {
  let shipments: EventFilter['shipments'];
  if (query.shipmentId !== undefined) {
    const s = await deps.tracking.findShipment(query.shipmentId);
    if (!s || !mayRead(await accessOfActor(deps, actor), s))
      return { events: [], nextCursor: null };
    shipments = { shipmentId: s.id };
  } else shipments = await accessOfActor(deps, actor);
  let after: EventFilter['after'];
  if (query.cursor !== undefined) {
    const m = /^(\d{1,15})_([0-9a-f-]{36})$/.exec(query.cursor);
    if (!m)
      throw new AppError('invalid_data', 'not a cursor of this API', [
        { path: 'query.cursor', message: 'not a cursor from a previous page' },
      ]);
    after = { at: Number(m[1]), eventId: m[2]! };
  }
  const events = await deps.tracking.listEvents({
    ...query,
    shipments,
    after,
    limit: query.limit + 1,
  });
  const page = events.slice(0, query.limit);
  const last = page.at(-1);
  return {
    events: page,
    nextCursor:
      events.length > query.limit && last ? `${last.eventCreatedDateTime}_${last.eventID}` : null,
  };
}
