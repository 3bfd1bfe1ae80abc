import { seededRng, type Rng } from '../shared/rng.ts';
import { MS_PER_HOUR, type EpochMs } from '../shared/units.ts';
import { MIN_CONNECTION_HOURS, type DwellSpec, type RoutingModel } from './model.ts';
import type { Journey } from './search.ts';

/** Draws a dwell in hours: lognormal with the model's median (P50) and 90th percentile (P90). */
export function sampleDwell(d: DwellSpec, rng: Rng): number {
  if (d.sigma === 0) return d.p50Hours;
  return d.p50Hours * Math.exp(d.sigma * rng.normal());
}

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
): ArrivalSpread {
  const rng = seededRng(seed);
  const arrivals = new Float64Array(draws);
  for (let d = 0; d < draws; d++) arrivals[d] = simulateOnce(model, journey, ready, rng);
  arrivals.sort();
  return { p50: quantile(arrivals, 0.5), p90: quantile(arrivals, 0.9) };
}

function simulateOnce(model: RoutingModel, journey: Journey, start: EpochMs, rng: Rng): EpochMs {
  let t = start;
  journey.rides.forEach((ride, i) => {
    const route = ride.route;
    const boardStop = route.stops[ride.boardPosition]!;
    if (i > 0) {
      let hours = MIN_CONNECTION_HOURS;
      for (const op of model.transfer[boardStop.stop]!.operations) hours += sampleDwell(op, rng);
      t += hours * MS_PER_HOUR;
    }
    let departure: EpochMs;
    if (route.sailsWhenFull) {
      const wait = model.ferryWait[boardStop.stop];
      departure = t + (wait ? sampleDwell(wait, rng) : 0) * MS_PER_HOUR;
    } else {
      // Missed the planned trip: the next one of the same service.
      departure = nextDeparture(route.tripDepartures, boardStop.departureOffset, t, ride.departure);
    }
    let clock = departure;
    for (let p = ride.boardPosition + 1; p <= ride.alightPosition; p++) {
      const rs = route.stops[p]!;
      clock += rs.runHours * MS_PER_HOUR;
      if (p === ride.alightPosition) break;
      let stand = 0;
      for (const op of rs.operations) stand += sampleDwell(op, rng);
      clock += Math.max(rs.scheduledDwellHours, stand) * MS_PER_HOUR;
    }
    t = clock;
  });
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
