import type { EpochMs } from '../shared/units.ts';
import type { Link, Operation } from '../network/network.ts';
import type { Trip } from '../network/timetable.ts';
import { dwellAt, type Route, type RoutingModel } from './model.ts';
import type { Journey } from './search.ts';

/**
 * The surface of the routing module: build a model once (buildRoutingModel), search it
 * (searchJourneys), draw arrival spreads (simulateArrival), and lay a journey out as a timeline
 * (journeySteps). See README.md in this folder for the algorithm.
 */
export { buildRoutingModel, MIN_CONNECTION_HOURS, type RoutingModel } from './model.ts';
export { searchJourneys, type Journey, type Ride, type RideCriteria } from './search.ts';
export { simulateArrival, simulateArrivalMonteCarlo, type ArrivalSpread } from './reliability.ts';
export { convolveArrival } from './convolution.ts';

/** A link travelled in a direction. */
export interface Move {
  from: string;
  to: string;
  link: Link;
}

/** A piece of a ride between two stops where the trip stands for operations (or the ends). */
export interface RideStep {
  kind: 'ride';
  route: Route;
  trip: Trip;
  /** Which ride of the journey (0-based): steps of one ride share it. */
  rideIndex: number;
  /** True for the first piece of a ride: a ride's fixed charge falls on it. */
  boards: boolean;
  from: string;
  to: string;
  /** Planned (P50) instants. */
  departure: EpochMs;
  arrival: EpochMs;
  moves: readonly Move[];
  distanceKm: number;
  /** Stop positions on the route, for cumulative criteria. */
  fromPosition: number;
  toPosition: number;
}

/** Time spent at a node for one operation, with its P50/P90. */
export interface DwellStep {
  kind: 'dwell';
  nodeId: string;
  operation: Operation;
  p50Hours: number;
  p90Hours: number;
}

export type Step = RideStep | DwellStep;

/**
 * A journey as a timeline: ferry waits and transfer operations before each ride, each ride cut at
 * the stops where its trip stands for operations, and those operations between the pieces.
 * Times are the P50 plan. Pure.
 */
export function journeySteps(model: RoutingModel, journey: Journey): Step[] {
  const steps: Step[] = [];
  const dwell = (d: { nodeId: string; operation: Operation; p50Hours: number; p90Hours: number }) =>
    steps.push({
      kind: 'dwell',
      nodeId: d.nodeId,
      operation: d.operation,
      p50Hours: d.p50Hours,
      p90Hours: d.p90Hours,
    });
  journey.rides.forEach((ride, rideIndex) => {
    const route = ride.route;
    const boardStop = route.stops[ride.boardPosition]!;
    if (rideIndex > 0) model.transfer[boardStop.stop]!.operations.forEach(dwell);
    if (route.sailsWhenFull) {
      const wait = model.ferryWait[boardStop.stop];
      // The wait of the month the container reaches the ship in.
      if (wait) dwell(dwellAt(wait, ride.ready));
    }
    const trip = route.trips[ride.trip]!;
    let from = ride.boardPosition;
    let departure = ride.departure;
    const tripStart = ride.departure - boardStop.departureOffset;
    for (let p = ride.boardPosition + 1; p <= ride.alightPosition; p++) {
      const rs = route.stops[p]!;
      if (p < ride.alightPosition && rs.operations.length === 0) continue;
      steps.push(
        rideStep(
          model,
          route,
          trip,
          rideIndex,
          from === ride.boardPosition,
          from,
          p,
          departure,
          tripStart + rs.arrivalOffset,
        ),
      );
      if (p < ride.alightPosition)
        rs.operations.forEach((d) => dwell(dwellAt(d, tripStart + rs.arrivalOffset)));
      from = p;
      departure = tripStart + rs.departureOffset;
    }
  });
  return steps;
}

function rideStep(
  model: RoutingModel,
  route: Route,
  trip: Trip,
  rideIndex: number,
  boards: boolean,
  from: number,
  to: number,
  departure: EpochMs,
  arrival: EpochMs,
): RideStep {
  const moves: Move[] = [];
  let distanceKm = 0;
  for (let p = from + 1; p <= to; p++) {
    const stop = route.service.stops[p]!;
    const nodes = [route.service.stops[p - 1]!.nodeId, ...stop.viaNodeIds, stop.nodeId];
    stop.links.forEach((link, k) => moves.push({ from: nodes[k]!, to: nodes[k + 1]!, link }));
    distanceKm += stop.distanceKm;
  }
  return {
    kind: 'ride',
    route,
    trip,
    rideIndex,
    boards,
    from: model.stopIds[route.stops[from]!.stop]!,
    to: model.stopIds[route.stops[to]!.stop]!,
    departure,
    arrival,
    moves,
    distanceKm,
    fromPosition: from,
    toPosition: to,
  };
}
