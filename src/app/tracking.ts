import { DEFAULT_PAGE, keysetPage, type Page, type PageRequest } from './paging.ts';
import { setImmediate } from 'node:timers/promises';
import { completeDocument, dcsaMode, PLATFORM_PUBLISHER } from './dcsa-event.ts';
import { estimateArrival } from '../core/eta/eta.ts';
import type { Network } from '../core/network/network.ts';
import type { RoutingModel } from '../core/routing/api.ts';
import { containerNumberProblem } from '../core/tracking/iso6346.ts';
import { foldProgress, type ItineraryRide, type Progress } from '../core/tracking/progress.ts';
import { seedOf } from '../core/shared/rng.ts';
import { placeTime } from '../core/shared/time-zone.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import { findTrip } from '../core/network/timetable.ts';
import { AppError, type FieldError } from './errors.ts';
import type { Clock, Secrets, SubscriptionStore } from './ports.ts';
import type { OrganisationStore } from './account-ports.ts';
import type {
  Shipment,
  ShipmentAlert,
  ShipmentAccess,
  StoredEvent,
  TrackingStore,
} from './shipments.ts';
import type { BookingStore } from './bookings.ts';
import { deliveriesOf, subscriberScopes } from './subscriptions.ts';
import { accessOf, mayRead } from './shipment-access.ts';

/** Monte-Carlo draws of each re-estimated arrival. */
export const ETA_DRAWS = 1000;

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
  shipment.alerts = delayAlerts(shipment, now, destinationZone(deps.network, shipment));
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
/** nodesAt of a network, built once per network. */
export function nodesAtOf(network: Network) {
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

/** The time zone of where the shipment ends. */
export function destinationZone(network: Network, s: Pick<Shipment, 'rides'>): string {
  return network.nodes.get(s.rides.at(-1)?.stops.at(-1) ?? '')?.timeZone ?? 'UTC';
}

/**
 * The alerts after a re-estimate: a delay alert when P90 passes the promise, once per crossing,
 * its times on the clock of the destination (`zone`).
 */
export function delayAlerts(s: Shipment, now: Date, zone: string): ShipmentAlert[] {
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
        message: `P90 arrival ${placeTime(s.etaP90.getTime(), zone)} is after the arrival promised at booking, ${placeTime(s.promisedArrival.getTime(), zone)}`,
      },
    ];
  if (!late && last?.kind === 'delay')
    return [
      ...s.alerts,
      {
        at: now.toISOString(),
        kind: 'on_time_again',
        message: `P90 arrival ${placeTime(s.etaP90.getTime(), zone)} is within the promise again`,
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

/** The shipments the caller may see, newest first, a page at a time, with their total. */
export async function listShipments(
  deps: TrackingDeps,
  actor: Actor,
  page: PageRequest = { limit: DEFAULT_PAGE },
): Promise<Page<Shipment>> {
  const access = await accessOfActor(deps, actor);
  const [read, total] = await Promise.all([
    deps.tracking.listShipments(access, page.limit + 1, page.after),
    deps.tracking.countShipments(access),
  ]);
  return keysetPage(read, page, (s) => ({ at: s.createdAt, id: s.id }), total);
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
    next.alerts = delayAlerts(next, now, destinationZone(network, next));
    refreshes.push({ id: s.id, change: next, staleAt });
    const destination = network.nodes.get(s.rides.at(-1)!.stops.at(-1)!)!;
    if (eta && destination.unLocode && progress.status !== 'ARRIVED') {
      const eventID = deps.secrets.uuid();
      const mode = dcsaMode(network.services.get(s.rides.at(-1)!.serviceId)?.mode);
      estimates.push({
        eventID,
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
        modeOfTransport: mode,
        document: completeDocument(
          {
            metadata: {
              eventID,
              eventCreatedDateTime: now.toISOString(),
              eventType: 'TRANSPORT',
            },
            payload: {
              eventClassifierCode: 'EST',
              eventDateTime: new Date(eta.p50).toISOString(),
              transportEventTypeCode: 'ARRI',
              relatedDocumentReferences: s.bookingId ? [{ type: 'BKG', value: s.bookingId }] : [],
              references: s.equipment.map((e) => ({ type: 'EQ', value: e.equipmentReference })),
            },
          },
          {
            eventID,
            eventType: 'TRANSPORT',
            shipmentId: s.id,
            bookingId: s.bookingId,
            unLocationCode: destination.unLocode,
            facilityTypeCode: null,
            modeOfTransport: mode,
          },
          { publisher: PLATFORM_PUBLISHER, publisherRole: 'SVP' },
        ),
      });
    }
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
