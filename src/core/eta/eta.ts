import {
  simulateArrival,
  type ArrivalSpread,
  type Ride,
  type RoutingModel,
} from '../routing/api.ts';
import { reportingCode } from '../network/network.ts';
import type { EpochMs } from '../shared/units.ts';
import type { ItineraryRide, Progress } from '../tracking/progress.ts';

/**
 * A shipment's arrival as P50/P90, re-estimated from where it is: the rest of its itinerary is
 * simulated with the planner's reliability model (dwell draws at borders, gauge changes, ports
 * and ferry queues; a missed trip means the next one of the same service), starting from the
 * position its events give. Without news, the plan: the shipment waits for its first trip.
 *
 * - PLANNED: the whole itinerary, the container ready at `now`.
 * - At the last stop of a ride: the next rides, with the transfer there, from the event time.
 * - Standing at a stop of a ride: the ride continues from there after the stand and the
 *   operations at the stop, drawn whole from the time it arrived.
 * - Left a stop on a ride: from that stop, leaving at the event time.
 * - ARRIVED: the event time itself.
 *
 * Returns undefined when a ride's service or trip is not in the model (the network changed).
 * Deterministic for a seed. Pure.
 */
export function estimateArrival(
  model: RoutingModel,
  rides: readonly ItineraryRide[],
  progress: Progress,
  now: EpochMs,
  draws: number,
  seed: number,
): ArrivalSpread | undefined {
  if (progress.status === 'ARRIVED' && progress.since !== null)
    return { p50: progress.since, p90: progress.since };
  const k = rides.findIndex((r) => r.rideIndex === progress.rideIndex);
  const ride = rides[k]!;
  const since = progress.since ?? now;
  let first = k;
  let board = 0;
  let departure: EpochMs;
  let ready: EpochMs;
  let transferBeforeFirst = false;
  let departedFirst = false;
  let standingFirst = false;
  let seenAfterHops = 0;
  if (progress.status === 'PLANNED') {
    ready = now;
    departure = ride.plannedDepartures[0]!;
  } else if (!progress.departed && progress.stopIndex === ride.stops.length - 1) {
    // Arrived where the next ride boards.
    first = k + 1;
    const next = rides[first]!;
    ready = since;
    departure = next.plannedDepartures[0]!;
    transferBeforeFirst = true;
  } else if (!progress.departed && progress.stopIndex === 0) {
    // At the origin (gated in, loaded): the planned trip, or the next one if it is late.
    ready = since;
    departure = ride.plannedDepartures[0]!;
  } else if (!progress.departed) {
    // Standing at a stop on the ride: as if it had just run the hop there, so that the stand
    // and the operations at the stop (a border, a gauge change) are drawn whole.
    board = progress.stopIndex - 1;
    const route = model.routes.find((x) => x.service.id === ride.serviceId);
    const boardStop = model.stopIndex.get(ride.stops[0]!);
    const position = route ? route.stops.findIndex((s) => s.stop === boardStop) : -1;
    if (!route || position < 0) return undefined;
    const runMs = route.stops[position + progress.stopIndex]!.runHours * 3_600_000;
    departure = since - runMs;
    ready = departure;
    departedFirst = true;
    standingFirst = true;
  } else {
    board = progress.stopIndex;
    departure = since;
    ready = since;
    departedFirst = true;
    // Where it would next be reported: the first stop ahead where events can be posted.
    const ahead = ride.stops.slice(progress.stopIndex + 1).findIndex((n) => {
      const node = model.network.nodes.get(n);
      return node !== undefined && reportingCode(node) !== null;
    });
    // None on this ride (it ends at a yard too): it may be on its next ride unseen; only its
    // arrival is held to now (below).
    seenAfterHops = ahead < 0 ? Infinity : ahead;
  }
  const journeyRides: Ride[] = [];
  for (let i = first; i < rides.length; i++) {
    const r = rides[i]!;
    const route = model.routes.find((x) => x.service.id === r.serviceId);
    if (!route) return undefined;
    const trip = route.trips.findIndex((t) => t.id === r.tripId);
    const boardStop = model.stopIndex.get(r.stops[0]!);
    const alightStop = model.stopIndex.get(r.stops.at(-1)!);
    const boardPosition = route.stops.findIndex((s) => s.stop === boardStop);
    const alightPosition = route.stops.findIndex(
      (s, p) => p > boardPosition && s.stop === alightStop,
    );
    if (trip < 0 || boardPosition < 0 || alightPosition < 0) return undefined;
    const offset = i === first ? board : 0;
    journeyRides.push({
      route,
      trip,
      boardPosition: boardPosition + offset,
      alightPosition,
      ready: i === first ? ready : r.plannedDepartures[0]!,
      departure: i === first ? departure : r.plannedDepartures[0]!,
      arrival: r.plannedArrivals.at(-1)!,
    });
  }
  if (journeyRides.length === 0) return { p50: since, p90: since };
  const spread = simulateArrival(
    model,
    {
      rides: journeyRides,
      departure: journeyRides[0]!.departure,
      arrival: journeyRides.at(-1)!.arrival,
      costUsd: 0,
      co2eKg: 0,
    },
    ready,
    draws,
    seed,
    { transferBeforeFirst, departedFirst, standingFirst, seenAfterHops, stillThereAt: now },
  );
  // Not yet arrived: not in the past.
  const p50 = Math.max(spread.p50, now);
  return { ...spread, p50, p90: Math.max(spread.p90, p50) };
}
