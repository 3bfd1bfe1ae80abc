import { dwellKey, type Network, type Operation } from '../network/network.ts';
import { MIN_CONNECTION_HOURS, TRANSFER_OPERATIONS } from '../routing/model.ts';
import type { EpochMs } from '../shared/units.ts';
import type { ItineraryRide } from '../tracking/progress.ts';
import type { DwellSample } from './dwell-fit.ts';

/**
 * The dwell samples that shipments' actual events give: how long each operation took where a
 * container stood, counted only from events their publisher is entitled to post there, and each
 * organisation's share of the traffic at each place. Pure.
 */

/** An actual event of a shipment as the learning reads it. */
export interface ObservedEvent {
  eventType: string;
  /** ARRI, DEPA (transport) or DISC (equipment); others are ignored. */
  code: string;
  at: EpochMs;
  /** UN/LOCODE of the place. */
  location: string | null;
  /** The posting organisation; null for the platform itself. */
  postedBy: string | null;
}

export interface ObservedShipment {
  rides: readonly ItineraryRide[];
  events: readonly ObservedEvent[];
}

/** What decides whether an organisation may speak for a place or a ride. */
export interface Publisher {
  id: string;
  kind: string;
  /** For carriers: the services they operate. */
  services: readonly string[];
  country: string;
}

const HOUR = 3_600_000;
/** A stand this close to the scheduled one says only that the operations took no longer. */
const CENSORED_MS = 60_000;

/**
 * Whether the organisation is the publisher entitled to report on this ride at this place: the
 * carrier operating the ride's service, or a terminal or customs administration of the place's
 * country.
 */
export function entitled(
  network: Network,
  publisher: Publisher | undefined,
  serviceId: string,
  nodeId: string,
): boolean {
  if (!publisher) return false;
  if (publisher.kind === 'carrier') return publisher.services.includes(serviceId);
  if (publisher.kind === 'terminal' || publisher.kind === 'customs')
    return network.nodes.get(nodeId)?.country === publisher.country;
  return false;
}

/** A place where a dwell can be observed on an itinerary: a stand on a ride or a ferry boarding. */
interface Visit {
  nodeId: string;
  serviceId: string;
  kind: 'stand' | 'ferry';
  /** For a ferry boarding: the service of the ride before (whose carrier reports the arrival). */
  previousServiceId?: string;
  operations: readonly Operation[];
  scheduledDwellHours: number;
}

/** The places of an itinerary where a dwell model applies, in order. */
export function visitsOf(network: Network, rides: readonly ItineraryRide[]): Visit[] {
  const visits: Visit[] = [];
  rides.forEach((ride, r) => {
    const service = network.services.get(ride.serviceId);
    if (!service) return;
    if (r > 0 && service.sailsWhenFull) {
      const nodeId = ride.stops[0]!;
      if (network.dwellModels.has(dwellKey(nodeId, 'ferry_waiting')))
        visits.push({
          nodeId,
          serviceId: ride.serviceId,
          kind: 'ferry',
          previousServiceId: rides[r - 1]!.serviceId,
          operations: ['ferry_waiting'],
          scheduledDwellHours: 0,
        });
    }
    const board = service.stops.findIndex((s) => s.nodeId === ride.stops[0]);
    for (let k = 1; k < ride.stops.length - 1; k++) {
      const stop = service.stops.slice(board + 1).find((s) => s.nodeId === ride.stops[k]);
      if (!stop) continue;
      const operations = stop.operations.filter((op) =>
        network.dwellModels.has(dwellKey(stop.nodeId, op)),
      );
      if (operations.length > 0)
        visits.push({
          nodeId: stop.nodeId,
          serviceId: ride.serviceId,
          kind: 'stand',
          operations,
          scheduledDwellHours: stop.dwellHours,
        });
    }
  });
  return visits;
}

/**
 * The dwell samples of shipments. A stand on a ride is its arrival (ARRI) to its departure
 * (DEPA) there; a ferry wait is the container's discharge from the ride before (DISC, else that
 * ride's ARRI) to the ship's departure, less the minimum connection and the P50 of the place's
 * transfer operations in force. Where a stand does several operations, the time goes to the one
 * whose reference varies most (largest P90), less the P50 of the others in force. Both events
 * must come from a publisher entitled to post them; a stand that lasts its scheduled dwell to
 * the minute is left out (the operations took no longer, not how long).
 */
export function dwellSamples(
  network: Network,
  shipments: readonly ObservedShipment[],
  publishers: ReadonlyMap<string, Publisher>,
): DwellSample[] {
  const p50 = (nodeId: string, op: Operation) =>
    network.dwellModels.get(dwellKey(nodeId, op))?.p50Hours ?? 0;
  const p90 = (nodeId: string, op: Operation) =>
    network.dwellModels.get(dwellKey(nodeId, op))?.p90Hours ?? 0;
  // A place's UN/LOCODEs (two nodes may share one: Baku port at Alat and Baku).
  const codesOf = new Map(
    [...network.nodes.values()].map((n) => [
      n.id,
      [n.unLocode, ...(n.altUnLocodes ?? [])].filter((c) => c !== null),
    ]),
  );
  const at = (e: { location: string | null }, nodeId: string) =>
    e.location !== null && (codesOf.get(nodeId)?.includes(e.location) ?? false);
  const out: DwellSample[] = [];
  for (const s of shipments) {
    const events = s.events
      .filter((e) => e.code === 'ARRI' || e.code === 'DEPA' || e.code === 'DISC')
      .sort((a, b) => a.at - b.at);
    const ok = (e: { postedBy: string | null }, serviceId: string, nodeId: string) =>
      e.postedBy !== null && entitled(network, publishers.get(e.postedBy), serviceId, nodeId);
    let cursor = -Infinity;
    for (const v of visitsOf(network, s.rides)) {
      const arrivalCodes = v.kind === 'ferry' ? ['DISC', 'ARRI'] : ['ARRI'];
      const arrivalService = v.previousServiceId ?? v.serviceId;
      // The latest entitled arrival (or discharge) at the place before an entitled departure.
      const dep = events.find(
        (e) =>
          e.code === 'DEPA' && at(e, v.nodeId) && e.at > cursor && ok(e, v.serviceId, v.nodeId),
      );
      if (!dep) continue;
      const arr = events.findLast(
        (e) =>
          arrivalCodes.includes(e.code) &&
          at(e, v.nodeId) &&
          e.at > cursor &&
          e.at <= dep.at &&
          (e.code === 'DISC' || e.eventType === 'TRANSPORT') &&
          ok(e, arrivalService, v.nodeId),
      );
      cursor = dep.at;
      if (!arr) continue;
      const ms = dep.at - arr.at;
      let hours: number;
      let operation: Operation;
      if (v.kind === 'ferry') {
        const transfer = TRANSFER_OPERATIONS.reduce((t, op) => t + p50(v.nodeId, op), 0);
        hours = ms / HOUR - MIN_CONNECTION_HOURS - transfer;
        operation = 'ferry_waiting';
      } else {
        if (v.scheduledDwellHours > 0 && Math.abs(ms - v.scheduledDwellHours * HOUR) <= CENSORED_MS)
          continue;
        operation = v.operations.reduce((a, b) => (p90(v.nodeId, b) > p90(v.nodeId, a) ? b : a));
        const others = v.operations
          .filter((op) => op !== operation)
          .reduce((t, op) => t + p50(v.nodeId, op), 0);
        hours = ms / HOUR - others;
      }
      const contributors = [...new Set([arr.postedBy!, dep.postedBy!])];
      out.push({
        nodeId: v.nodeId,
        operation,
        at: dep.at,
        hours: Math.max(hours, 0.05 * (ms / HOUR)),
        contributors,
      });
    }
  }
  return out;
}

/**
 * Each carrier's share of the traffic at each place (its rides among the visits there), for
 * the caps: `share(nodeId, organisationId)`. Terminals and customs of the place's country are not
 * capped (undefined: they speak for all its traffic); anyone else has no share.
 */
export function trafficShares(
  network: Network,
  shipments: readonly Pick<ObservedShipment, 'rides'>[],
  publishers: ReadonlyMap<string, Publisher>,
): (nodeId: string, organisationId: string) => number | undefined {
  const visits = new ServiceCounts();
  for (const s of shipments)
    for (const v of visitsOf(network, s.rides)) visits.add(v.nodeId, v.serviceId);
  return (nodeId, organisationId) => {
    const p = publishers.get(organisationId);
    if (!p) return 0;
    if (p.kind !== 'carrier') return entitled(network, p, '', nodeId) ? undefined : 0;
    return visits.share(nodeId, p.services);
  };
}

/** Rides counted per place (or link) and service, for a carrier's share of them. */
export class ServiceCounts {
  private readonly counts = new Map<string, Map<string, number>>();

  add(key: string, serviceId: string): void {
    const m = this.counts.get(key) ?? new Map<string, number>();
    m.set(serviceId, (m.get(serviceId) ?? 0) + 1);
    this.counts.set(key, m);
  }

  /** The share of the rides at `key` that run on these services; 0 where none were counted. */
  share(key: string, services: readonly string[]): number {
    let total = 0;
    let own = 0;
    for (const [service, n] of this.counts.get(key) ?? []) {
      total += n;
      if (services.includes(service)) own += n;
    }
    return total > 0 ? own / total : 0;
  }
}
