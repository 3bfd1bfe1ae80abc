import { seededRng, type Rng } from '../shared/rng.ts';
import { MS_PER_HOUR, type EpochMs } from '../shared/units.ts';
import { MIN_CONNECTION_HOURS, QUANTILES, type DwellSpec, type RoutingModel } from './model.ts';
import type { Journey } from './search.ts';

/**
 * Dwell draws are lognormal with the model's median (P50) and 90th percentile (P90), read from
 * the model's quantile table: one uniform number and one lookup per draw.
 */

export interface ArrivalSpread {
  /** Median simulated arrival. */
  p50: EpochMs;
  /** 90th percentile of simulated arrival. */
  p90: EpochMs;
}

/**
 * Monte-Carlo arrival of a journey: `draws` runs in which every dwell (border crossing, gauge
 * change, port handling, transshipment, ferry waiting) is drawn from its model. Trains keep their
 * running times but stand at a stop for the longer of the scheduled stand and the drawn
 * operations; a container that is not ready for its planned trip takes the next trip of the same
 * service; a ship that sails when full leaves after a drawn ferry wait. The journey starts with
 * the container ready at `ready`. Deterministic: the same seed gives the same spread. Pure.
 */
export function simulateArrival(
  model: RoutingModel,
  journey: Journey,
  ready: EpochMs,
  draws: number,
  seed: number,
  options: SimulationStart = {},
): ArrivalSpread {
  const rng = seededRng(seed);
  const rides = compile(model, journey, options.transferBeforeFirst ?? false);
  const arrivals = new Float64Array(draws);
  const departed = options.departedFirst ?? false;
  for (let d = 0; d < draws; d++) arrivals[d] = simulateOnce(rides, ready, rng, departed);
  arrivals.sort();
  return { p50: quantile(arrivals, 0.5), p90: quantile(arrivals, 0.9) };
}

/** How a journey already under way starts (for re-estimating arrival mid-journey). */
export interface SimulationStart {
  /** The container has just arrived at the first ride's boarding node from another ride: draw the transfer operations there first. */
  transferBeforeFirst?: boolean;
  /** The first ride has already left its boarding stop at `ready`: no waiting, no missed trip. */
  departedFirst?: boolean;
}

/** A ride laid out in flat arrays, in milliseconds, so that a draw touches little memory. */
interface CompiledRide {
  /** Dwell tables drawn when changing onto this ride (empty for the first). */
  transfer: Float64Array[];
  transferFixedMs: number;
  /** Ferry-wait table for a ship that sails when full; null for a scheduled service. */
  wait: Float64Array | null;
  sails: boolean;
  departures: Float64Array;
  departureOffset: number;
  plannedDeparture: EpochMs;
  /** Per hop after boarding: running time, then (except the last) the stop's stand. */
  runMs: Float64Array;
  standMs: Float64Array;
  ops: Float64Array[][];
}

function compile(
  model: RoutingModel,
  journey: Journey,
  transferBeforeFirst: boolean,
): CompiledRide[] {
  return journey.rides.map((ride, i) => {
    const route = ride.route;
    const board = route.stops[ride.boardPosition]!;
    const hops = ride.alightPosition - ride.boardPosition;
    const runMs = new Float64Array(hops);
    const standMs = new Float64Array(hops);
    const ops: Float64Array[][] = [];
    for (let h = 0; h < hops; h++) {
      const rs = route.stops[ride.boardPosition + 1 + h]!;
      runMs[h] = rs.runHours * MS_PER_HOUR;
      standMs[h] = rs.scheduledDwellHours * MS_PER_HOUR;
      ops.push(h < hops - 1 ? rs.operations.map(tableMs) : []);
    }
    const wait = route.sailsWhenFull ? model.ferryWait[board.stop] : undefined;
    const transfers = i > 0 || transferBeforeFirst;
    return {
      transfer: transfers ? model.transfer[board.stop]!.operations.map(tableMs) : [],
      transferFixedMs: transfers ? MIN_CONNECTION_HOURS * MS_PER_HOUR : 0,
      wait: wait ? tableMs(wait) : null,
      sails: route.sailsWhenFull,
      departures: route.tripDepartures,
      departureOffset: board.departureOffset,
      plannedDeparture: ride.departure,
      runMs,
      standMs,
      ops,
    };
  });
}

const msTables = new WeakMap<DwellSpec, Float64Array>();

/** The dwell's quantile table in milliseconds (a constant table when P90 = P50). */
function tableMs(d: DwellSpec): Float64Array {
  let t = msTables.get(d);
  if (!t) {
    t = d.quantiles.map((h) => (d.sigma === 0 ? d.p50Hours : h) * MS_PER_HOUR);
    msTables.set(d, t);
  }
  return t;
}

function simulateOnce(
  rides: readonly CompiledRide[],
  start: EpochMs,
  rng: Rng,
  departedFirst: boolean,
): EpochMs {
  let t = start;
  for (let i = 0; i < rides.length; i++) {
    const r = rides[i]!;
    t += r.transferFixedMs;
    for (let k = 0; k < r.transfer.length; k++) t += r.transfer[k]![(rng.next() * QUANTILES) | 0]!;
    let clock: EpochMs;
    if (i === 0 && departedFirst) clock = t;
    else if (r.sails) clock = r.wait ? t + r.wait[(rng.next() * QUANTILES) | 0]! : t;
    // Missed the planned trip: the next one of the same service.
    else clock = nextDeparture(r.departures, r.departureOffset, t, r.plannedDeparture);
    const last = r.runMs.length - 1;
    for (let h = 0; h <= last; h++) {
      clock += r.runMs[h]!;
      if (h === last) break;
      const ops = r.ops[h]!;
      let stand = 0;
      for (let k = 0; k < ops.length; k++) stand += ops[k]![(rng.next() * QUANTILES) | 0]!;
      clock += stand > r.standMs[h]! ? stand : r.standMs[h]!;
    }
    t = clock;
  }
  return t;
}

/** Planned departure of the first trip leaving at or after `t`; past the last trip, the planned
 * departure shifted by the delay (the service keeps running beyond the generated timetable). */
function nextDeparture(deps: Float64Array, offset: number, t: EpochMs, planned: EpochMs): EpochMs {
  if (t <= planned) return planned;
  let lo = 0;
  let hi = deps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (deps[mid]! + offset < t) lo = mid + 1;
    else hi = mid;
  }
  return lo < deps.length ? deps[lo]! + offset : t;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
