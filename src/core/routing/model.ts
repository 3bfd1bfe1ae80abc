import { MS_PER_HOUR, type EpochMs } from '../shared/units.ts';
import { dwellKey, type Network, type Operation, type Service } from '../network/network.ts';
import type { Trip } from '../network/timetable.ts';
import { borderCapacityWaits } from './border-capacity.ts';

/**
 * The routing model: the network's services as RAPTOR "routes" over indexed stops, each with its
 * trips sorted by departure and one planned (P50) timetable shared by all its trips. Built once
 * per network and timetable; read-only afterwards.
 */

/** Extra time always allowed to move a container from one trip to another at a node. */
export const MIN_CONNECTION_HOURS = 2;

/** Operations that happen when a container changes from one service to another at a node. */
export const TRANSFER_OPERATIONS: readonly Operation[] = [
  'border_crossing',
  'transshipment',
  'port_handling',
  'gauge_change',
];

/** A dwell model resolved for sampling: P50/P90 hours and the lognormal sigma between them. */
export interface DwellSpec {
  nodeId: string;
  operation: Operation;
  p50Hours: number;
  p90Hours: number;
  /** ln(P90 / P50) / z(0.9); 0 when P90 = P50. */
  sigma: number;
  /**
   * The lognormal's quantiles in hours at (i + 0.5) / QUANTILES, i = 0..QUANTILES-1: a draw is
   * one uniform number and one lookup.
   */
  quantiles: Float64Array;
  /** The model of each calendar month (UTC), January first, where the data gives months. */
  byMonth?: readonly DwellSpec[];
}

/** The dwell model that applies at instant `t`: its month's, or the year's. */
export function dwellAt(d: DwellSpec, t: number): DwellSpec {
  return d.byMonth ? d.byMonth[new Date(t).getUTCMonth()]! : d;
}

/** Resolution of the dwell quantile tables. */
export const QUANTILES = 2048;

export interface RouteStop {
  stop: number;
  /** Scheduled hours from the previous stop's departure (0 at the first stop). */
  runHours: number;
  /** Scheduled stand at this stop (0 at the first and last). */
  scheduledDwellHours: number;
  /** Operations while a trip stands here (not at the first or last stop). */
  operations: readonly DwellSpec[];
  /** Planned ms from the trip's origin departure to arrival here (P50 plan); 0 at the origin. */
  arrivalOffset: number;
  /** Planned ms from the trip's origin departure to departure from here (P50 plan). */
  departureOffset: number;
}

export interface Route {
  index: number;
  service: Service;
  stops: readonly RouteStop[];
  /** Trips sorted by origin departure. */
  trips: readonly Trip[];
  /** tripDepartures[t] = trips[t].departure, for binary search. */
  tripDepartures: Float64Array;
  sailsWhenFull: boolean;
}

export interface RoutingModel {
  network: Network;
  /** Stop index -> node id. */
  stopIds: readonly string[];
  stopIndex: ReadonlyMap<string, number>;
  routes: readonly Route[];
  /** For each stop, the (route, position) pairs that serve it. */
  routesAtStop: readonly (readonly { route: number; position: number }[])[];
  /** For each stop: the dwell models of changing trips there, and their planned total in ms. */
  transfer: readonly { operations: readonly DwellSpec[]; plannedMs: number }[];
  /** For each stop: the ferry-waiting model used before boarding a service that sails when full. */
  ferryWait: readonly (DwellSpec | undefined)[];
  /** First and last instant covered by the trips. */
  firstDeparture: EpochMs;
  lastDeparture: EpochMs;
}

const Z90 = 1.2815515655446004;

export function dwellSpec(
  network: Network,
  nodeId: string,
  operation: Operation,
): DwellSpec | undefined {
  const d = network.dwellModels.get(dwellKey(nodeId, operation));
  if (!d) return undefined;
  const spec = lognormalSpec(nodeId, operation, d.p50Hours, d.p90Hours);
  if (d.byMonth)
    spec.byMonth = d.byMonth.map((m) => lognormalSpec(nodeId, operation, m.p50Hours, m.p90Hours));
  return spec;
}

function lognormalSpec(
  nodeId: string,
  operation: Operation,
  p50Hours: number,
  p90Hours: number,
): DwellSpec {
  const sigma = p50Hours > 0 && p90Hours > p50Hours ? Math.log(p90Hours / p50Hours) / Z90 : 0;
  const quantiles = new Float64Array(QUANTILES);
  for (let i = 0; i < QUANTILES; i++)
    quantiles[i] = p50Hours * Math.exp(sigma * normalQuantile((i + 0.5) / QUANTILES));
  return { nodeId, operation, p50Hours, p90Hours, sigma, quantiles };
}

/** Inverse of the standard normal distribution (Acklam's approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** Builds the routing model from a network and trips generated from it (any period). Pure. */
export function buildRoutingModel(network: Network, trips: readonly Trip[]): RoutingModel {
  const stopIds = [...network.nodes.keys()];
  const stopIndex = new Map(stopIds.map((id, i) => [id, i]));
  const tripsByService = new Map<string, Trip[]>();
  for (const t of trips) {
    const list = tripsByService.get(t.serviceId);
    if (list) list.push(t);
    else tripsByService.set(t.serviceId, [t]);
  }
  const waits = borderCapacityWaits(network, trips);
  const routes: Route[] = [];
  for (const service of network.services.values()) {
    const serviceTrips = (tripsByService.get(service.id) ?? []).sort(
      (a, b) => a.departure - b.departure,
    );
    if (serviceTrips.length === 0) continue;
    // Trips that wait at a border for its capacity stand longer there: a route of their own.
    const patterns = new Map<string, Trip[]>();
    for (const t of serviceTrips) {
      const w = waits.get(t.id);
      const key = w ? [...w].map(([p, ms]) => `${p}:${ms}`).join(',') : '';
      const list = patterns.get(key);
      if (list) list.push(t);
      else patterns.set(key, [t]);
    }
    for (const group of patterns.values())
      routes.push({
        index: routes.length,
        service,
        stops: plannedStops(network, service, stopIndex, waits.get(group[0]!.id)),
        trips: group,
        tripDepartures: Float64Array.from(group, (t) => t.departure),
        sailsWhenFull: service.sailsWhenFull,
      });
  }
  const routesAtStop = stopIds.map(() => [] as { route: number; position: number }[]);
  for (const r of routes)
    r.stops.forEach((s, position) => routesAtStop[s.stop]!.push({ route: r.index, position }));
  const transfer = stopIds.map((id) => {
    const operations = TRANSFER_OPERATIONS.map((op) => dwellSpec(network, id, op)).filter(
      (d) => d !== undefined,
    );
    const plannedHours = MIN_CONNECTION_HOURS + operations.reduce((s, d) => s + d.p50Hours, 0);
    return { operations, plannedMs: plannedHours * MS_PER_HOUR };
  });
  const ferryWait = stopIds.map((id) => dwellSpec(network, id, 'ferry_waiting'));
  const departures = trips.map((t) => t.departure);
  return {
    network,
    stopIds,
    stopIndex,
    routes,
    routesAtStop,
    transfer,
    ferryWait,
    firstDeparture: departures.length ? Math.min(...departures) : 0,
    lastDeparture: departures.length ? Math.max(...departures) : 0,
  };
}

/**
 * The P50 plan of a service: running times as scheduled; at each intermediate stop the trip
 * stands for its scheduled dwell or for the P50 sum of the operations done there, whichever is
 * longer.
 */
function plannedStops(
  network: Network,
  service: Service,
  stopIndex: ReadonlyMap<string, number>,
  capacityWaits?: ReadonlyMap<number, number>,
): RouteStop[] {
  let clock = 0;
  return service.stops.map((s, i) => {
    const last = i === service.stops.length - 1;
    const inner = i > 0 && !last;
    const operations = inner
      ? s.operations.map((op) => dwellSpec(network, s.nodeId, op)).filter((d) => d !== undefined)
      : [];
    const arrivalOffset = clock + s.runHours * MS_PER_HOUR;
    const opsHours = operations.reduce((sum, d) => sum + d.p50Hours, 0);
    // A wait for the border's capacity comes before its operations.
    const capacityHours = (capacityWaits?.get(i) ?? 0) / MS_PER_HOUR;
    const scheduledDwellHours = last
      ? 0
      : capacityHours > 0
        ? Math.max(s.dwellHours, opsHours) + capacityHours
        : s.dwellHours;
    const standHours = Math.max(scheduledDwellHours, opsHours);
    const departureOffset = arrivalOffset + (last ? 0 : standHours * MS_PER_HOUR);
    clock = departureOffset;
    return {
      stop: stopIndex.get(s.nodeId)!,
      runHours: s.runHours,
      scheduledDwellHours,
      operations,
      arrivalOffset,
      departureOffset,
    };
  });
}

/** The first index of an ascending array whose value is at least `x` (its length if none). */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first trip of `route` leaving `position` at or after `time`, or -1. */
export function earliestTrip(route: Route, position: number, time: EpochMs): number {
  const deps = route.tripDepartures;
  const i = lowerBound(deps, time - route.stops[position]!.departureOffset);
  return i < deps.length ? i : -1;
}
