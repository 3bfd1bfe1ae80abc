import type { EpochMs } from '../shared/units.ts';
import { inEventTime, type TrackingEvent } from './events.ts';

/**
 * Where a shipment is along its itinerary, from its actual (ACT) events.
 *
 * The itinerary is laid out as points: every stop of every ride in order. An event at a place
 * moves the shipment to the first point at that place not behind where it already is; departure
 * events (DEPA, GTOT) leave the point. Events are read in event time, and a late event about a
 * place already passed does not move the shipment back: the fold gives the same answer whatever
 * order the events arrived in.
 */

/** One ride of a shipment's itinerary with its stops in order (board first, alight last). */
export interface ItineraryRide {
  rideIndex: number;
  tripId: string;
  serviceId: string;
  /** Node ids from boarding to alighting. */
  stops: readonly string[];
  /** Planned departure from each stop (null at the alighting stop), epoch ms. */
  plannedDepartures: readonly (EpochMs | null)[];
  /** Planned arrival at each stop (null at the boarding stop), epoch ms. */
  plannedArrivals: readonly (EpochMs | null)[];
}

export type ShipmentStatus = 'PLANNED' | 'AT_NODE' | 'ON_RIDE' | 'ARRIVED';

export interface Progress {
  status: ShipmentStatus;
  /** The ride the shipment is on or waits for (the last ride once arrived). */
  rideIndex: number;
  /** Index of the stop in that ride: where it is, or the last one it left. */
  stopIndex: number;
  nodeId: string;
  /** True when it has left `nodeId` on the ride (it is between that stop and the next). */
  departed: boolean;
  /** Event time of the event that put it there; null while PLANNED. */
  since: EpochMs | null;
  /** The customs state last reported: CUSS, CUSI or CUSR; null when none. */
  customs: string | null;
}

/** Codes after which the container has left the place of the event (CROS: crossed the border there). */
const LEAVING = new Set(['DEPA', 'GTOT', 'CROS']);
/** Codes that say where the container is without leaving. */
const AT = new Set([
  'ARRI',
  'DISC',
  'GTIN',
  'LOAD',
  'CUSS',
  'CUSI',
  'CUSR',
  'INSP',
  'STUF',
  'STRP',
  'PICK',
  'DROP',
  'AVPU',
  'AVDO',
  'RSEA',
  'RMVD',
]);

interface Point {
  rideIndex: number;
  stopIndex: number;
  nodeId: string;
}

/**
 * Folds the actual events of a shipment into its progress. `nodesAt` gives the node ids of a
 * UN/LOCODE (several nodes can share one). Events without a place, planned or estimated events,
 * and events at places off the itinerary are ignored. Pure.
 */
export function foldProgress(
  rides: readonly ItineraryRide[],
  events: readonly TrackingEvent[],
  nodesAt: (unLocationCode: string) => readonly string[],
): Progress {
  const points: Point[] = rides.flatMap((r) =>
    r.stops.map((nodeId, stopIndex) => ({ rideIndex: r.rideIndex, stopIndex, nodeId })),
  );
  let at = -1;
  let departed = false;
  let since: EpochMs | null = null;
  let customs: string | null = null;
  for (const e of inEventTime(events)) {
    if (e.eventClassifierCode !== 'ACT' || !e.unLocationCode) continue;
    const leaving = LEAVING.has(e.eventTypeCode);
    if (!leaving && !AT.has(e.eventTypeCode)) continue;
    const nodes = new Set(nodesAt(e.unLocationCode));
    const from = Math.max(at, 0);
    let p = -1;
    for (let i = from; i < points.length; i++)
      if (nodes.has(points[i]!.nodeId)) {
        p = i;
        break;
      }
    if (p < 0) continue;
    // The same place as now: it may leave it, but not arrive again once left.
    if (p === at && departed && !leaving) continue;
    // A ride's last stop is also the next ride's first: leaving it means the next ride.
    if (leaving && p + 1 < points.length && isLastStop(rides, points[p]!)) {
      const next = points[p + 1]!;
      if (nodes.has(next.nodeId)) p++;
    }
    if (p < at) continue;
    at = p;
    departed = leaving;
    since = e.eventDateTime;
    if (e.eventTypeCode === 'CUSS' || e.eventTypeCode === 'CUSI' || e.eventTypeCode === 'CUSR')
      customs = e.eventTypeCode;
  }
  if (at < 0) {
    const first = points[0]!;
    return { status: 'PLANNED', ...first, departed: false, since: null, customs };
  }
  const point = points[at]!;
  const last = at === points.length - 1;
  const status: ShipmentStatus = last ? 'ARRIVED' : departed ? 'ON_RIDE' : 'AT_NODE';
  return { status, ...point, departed: departed && !last, since, customs };
}

function isLastStop(rides: readonly ItineraryRide[], p: Point): boolean {
  const ride = rides.find((r) => r.rideIndex === p.rideIndex)!;
  return p.stopIndex === ride.stops.length - 1;
}
