import { MS_PER_HOUR, type EpochMs } from '../shared/units.ts';
import type { Service } from '../network/network.ts';
import { dwellAt, earliestTrip, type Route, type RoutingModel } from './model.ts';

/** What riding a service costs and emits for the cargo being planned. */
export interface RideCriteria {
  /** Price of a ride from stop position b to a: usdAtAlight[a] − usdAtBoard[b]. */
  usdAtBoard: Float64Array;
  usdAtAlight: Float64Array;
  /** kg CO2e per tonne from the first stop to each stop of the service, cumulative. */
  cumulativeCo2eKgPerTonne: Float64Array;
  /** Gross tonnes carried: multiplies the per-tonne CO2e. */
  tonnes: number;
}

export interface SearchQuery {
  origin: string;
  destination: string;
  /** The cargo is ready at the origin from this instant. */
  departAfter: EpochMs;
  /** Latest planned arrival; when set, a later departure is also better (arrive-by search). */
  arriveBy?: EpochMs;
  /** Journeys longer than this from `departAfter` (or ending later than arriveBy) are not kept. */
  horizonHours: number;
  /** Most rides (trips) in one journey. */
  maxRides: number;
  /** Ride criteria of a service for this cargo; undefined when the service cannot take it. */
  criteria: (service: Service) => RideCriteria | undefined;
}

/** One ride: a trip boarded at one stop and left at a later one. */
export interface Ride {
  route: Route;
  /** Index into route.trips of the trip ridden (for sails-when-full: the nominal sailing used). */
  trip: number;
  boardPosition: number;
  alightPosition: number;
  /** Planned instant the container is ready to board (after any transfer). */
  ready: EpochMs;
  /** Planned departure from the boarding stop. */
  departure: EpochMs;
  /** Planned arrival at the alighting stop. */
  arrival: EpochMs;
}

/** A Pareto-optimal journey with its criteria. */
export interface Journey {
  rides: Ride[];
  departure: EpochMs;
  arrival: EpochMs;
  costUsd: number;
  co2eKg: number;
}

interface Label {
  stop: number;
  arrival: EpochMs;
  /** When the container can board the next trip here. */
  ready: EpochMs;
  cost: number;
  co2: number;
  rides: number;
  /** First boarding instant (the journey's departure); -Infinity before the first ride. */
  departure: EpochMs;
  parent: Label | undefined;
  ride: Ride | undefined;
}

/** A label riding a trip of the route being scanned, keyed so it compares at any later stop. */
interface RouteLabel {
  parent: Label;
  trip: number;
  board: number;
  ready: EpochMs;
  /** Departure from the boarding stop. */
  departure: EpochMs;
  /** departure - planned departure offset at board: orders arrivals at every later stop. */
  arrivalKey: number;
  costKey: number;
  co2Key: number;
  firstDeparture: EpochMs;
}

const EPS = 1e-6;

/**
 * Multi-criteria round-based timetable search (McRAPTOR). Criteria: planned arrival (the P50
 * plan), cost, CO2e and rides, plus a later departure when arriving by a deadline. Round k finds
 * journeys of k rides; a label survives at a stop when no label there is at least as good in every
 * criterion. Returns the Pareto set of journeys reaching the destination, unordered. Pure.
 */
export function searchJourneys(model: RoutingModel, query: SearchQuery): Journey[] {
  const origin = model.stopIndex.get(query.origin);
  const target = model.stopIndex.get(query.destination);
  if (origin === undefined || target === undefined || origin === target) return [];
  const arriveByMode = query.arriveBy !== undefined;
  const horizonEnd = arriveByMode
    ? query.arriveBy!
    : query.departAfter + query.horizonHours * MS_PER_HOUR;
  const start = arriveByMode
    ? Math.max(query.departAfter, horizonEnd - query.horizonHours * MS_PER_HOUR)
    : query.departAfter;

  const criteria = model.routes.map((r) => query.criteria(r.service));

  const dominates = (a: Label, b: Label) =>
    a.arrival <= b.arrival &&
    a.cost <= b.cost + EPS &&
    a.co2 <= b.co2 + EPS &&
    a.rides <= b.rides &&
    (!arriveByMode || a.departure >= b.departure);

  const best: Label[][] = model.stopIds.map(() => []);
  const tryAdd = (label: Label): boolean => {
    if (label.arrival > horizonEnd) return false;
    for (const other of best[target]!) if (dominates(other, label)) return false;
    const bag = best[label.stop]!;
    for (const other of bag) if (dominates(other, label)) return false;
    best[label.stop] = bag.filter((other) => !dominates(label, other));
    best[label.stop]!.push(label);
    return true;
  };

  // Round 0: the origin. When arriving by a deadline, every origin departure in the window is a
  // separate start, so that later departures are found and not only the earliest.
  let marked = new Map<number, Label[]>();
  const readyTimes = arriveByMode ? originDepartures(model, origin, start, horizonEnd) : [start];
  for (const ready of readyTimes) {
    const label: Label = {
      stop: origin,
      arrival: ready,
      ready,
      cost: 0,
      co2: 0,
      rides: 0,
      // Arrive-by: each start is its own departure, so a later one is not dominated by an earlier.
      departure: arriveByMode ? ready : -Infinity,
      parent: undefined,
      ride: undefined,
    };
    if (tryAdd(label)) push(marked, origin, label);
  }

  for (let round = 1; round <= query.maxRides && marked.size > 0; round++) {
    // Each route from the first stop where a label was improved in the previous round.
    const queue = new Map<number, number>();
    for (const stop of marked.keys()) {
      for (const { route, position } of model.routesAtStop[stop]!) {
        if (!criteria[route]) continue;
        const current = queue.get(route);
        if (current === undefined || position < current) queue.set(route, position);
      }
    }
    const next = new Map<number, Label[]>();
    for (const [routeIndex, from] of queue) {
      const route = model.routes[routeIndex]!;
      const crit = criteria[routeIndex]!;
      let bag: RouteLabel[] = [];
      for (let p = from; p < route.stops.length; p++) {
        const rs = route.stops[p]!;
        // Alight: every riding label yields an arrival here.
        for (const rl of bag) {
          const arrival = rl.arrivalKey + rs.arrivalOffset;
          const label: Label = {
            stop: rs.stop,
            arrival,
            ready: arrival + model.transfer[rs.stop]!.plannedMs,
            cost: rl.costKey + crit.usdAtAlight[p]!,
            co2: rl.co2Key + crit.tonnes * crit.cumulativeCo2eKgPerTonne[p]!,
            rides: rl.parent.rides + 1,
            departure: rl.firstDeparture,
            parent: rl.parent,
            ride: {
              route,
              trip: rl.trip,
              boardPosition: rl.board,
              alightPosition: p,
              ready: rl.ready,
              departure: rl.departure,
              arrival,
            },
          };
          if (tryAdd(label)) push(next, rs.stop, label);
        }
        // Board: labels improved here in the previous round catch the first trip they can.
        const waiting = marked.get(rs.stop);
        if (!waiting || p === route.stops.length - 1) continue;
        for (const parent of waiting) {
          const rl = board(model, route, p, parent, crit);
          if (rl) bag = mergeRouteBag(bag, rl, arriveByMode);
        }
      }
    }
    marked = next;
  }

  const found = best[target]!.map(toJourney);
  if (!arriveByMode) return found;
  // Arriving by a deadline, the arrival time itself no longer matters: keep the journeys that
  // leave latest for their cost, CO2e and rides.
  const inTime = found.filter((j) => j.arrival <= query.arriveBy!);
  return inTime.filter(
    (j) =>
      !inTime.some(
        (o) =>
          o !== j &&
          o.departure >= j.departure &&
          o.costUsd <= j.costUsd + EPS &&
          o.co2eKg <= j.co2eKg + EPS &&
          o.rides.length <= j.rides.length &&
          (o.departure > j.departure ||
            o.costUsd < j.costUsd - EPS ||
            o.co2eKg < j.co2eKg - EPS ||
            o.rides.length < j.rides.length),
      ),
  );
}

function board(
  model: RoutingModel,
  route: Route,
  position: number,
  parent: Label,
  crit: RideCriteria,
): RouteLabel | undefined {
  const rs = route.stops[position]!;
  let departure: EpochMs;
  let trip: number;
  if (route.sailsWhenFull) {
    // No fixed timetable: the ship leaves after the P50 ferry wait. The slot taken is the first
    // nominal sailing at or after the container is ready (the last one if none is left).
    const wait = model.ferryWait[rs.stop];
    departure = parent.ready + (wait ? dwellAt(wait, parent.ready).p50Hours * MS_PER_HOUR : 0);
    trip = earliestTrip(route, position, parent.ready);
    if (trip < 0) return undefined;
  } else {
    trip = earliestTrip(route, position, parent.ready);
    if (trip < 0) return undefined;
    departure = route.tripDepartures[trip]! + rs.departureOffset;
  }
  return {
    parent,
    trip,
    board: position,
    ready: parent.ready,
    departure,
    arrivalKey: departure - rs.departureOffset,
    costKey: parent.cost - crit.usdAtBoard[position]!,
    co2Key: parent.co2 - crit.tonnes * crit.cumulativeCo2eKgPerTonne[position]!,
    firstDeparture: parent.rides === 0 ? departure : parent.departure,
  };
}

function mergeRouteBag(bag: RouteLabel[], rl: RouteLabel, arriveByMode: boolean): RouteLabel[] {
  for (let i = 0; i < bag.length; i++) if (routeDominates(bag[i]!, rl, arriveByMode)) return bag;
  const kept: RouteLabel[] = [];
  for (let i = 0; i < bag.length; i++)
    if (!routeDominates(rl, bag[i]!, arriveByMode)) kept.push(bag[i]!);
  kept.push(rl);
  return kept;
}

function routeDominates(a: RouteLabel, b: RouteLabel, arriveByMode: boolean): boolean {
  return (
    a.arrivalKey <= b.arrivalKey &&
    a.costKey <= b.costKey + EPS &&
    a.co2Key <= b.co2Key + EPS &&
    a.parent.rides <= b.parent.rides &&
    (!arriveByMode || a.firstDeparture >= b.firstDeparture)
  );
}

function toJourney(label: Label): Journey {
  const rides: Ride[] = [];
  for (let l: Label | undefined = label; l?.ride; l = l.parent) rides.push(l.ride);
  rides.reverse();
  return {
    rides,
    departure: rides[0]!.departure,
    arrival: label.arrival,
    costUsd: label.cost,
    co2eKg: label.co2,
  };
}

function originDepartures(
  model: RoutingModel,
  origin: number,
  from: EpochMs,
  to: EpochMs,
): EpochMs[] {
  const times = new Set<EpochMs>();
  for (const { route, position } of model.routesAtStop[origin]!) {
    const r = model.routes[route]!;
    const offset = r.stops[position]!.departureOffset;
    for (let t = Math.max(0, earliestTrip(r, position, from)); t < r.trips.length; t++) {
      const dep = r.tripDepartures[t]! + offset;
      if (dep > to) break;
      times.add(dep);
    }
  }
  return times.size > 0 ? [...times].sort((a, b) => a - b) : [from];
}

function push(map: Map<number, Label[]>, stop: number, label: Label): void {
  const list = map.get(stop);
  if (list) list.push(label);
  else map.set(stop, [label]);
}
