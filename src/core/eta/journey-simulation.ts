import { dwellAt, QUANTILES, type DwellSpec, type RoutingModel } from '../routing/model.ts';
import { MIN_CONNECTION_HOURS } from '../routing/api.ts';
import type { Rng } from '../shared/rng.ts';
import { MS_PER_HOUR, type EpochMs } from '../shared/units.ts';
import type { ItineraryRide } from '../tracking/progress.ts';

/** One thing that happened to a container on a simulated journey. */
export interface SimulatedStep {
  eventType: 'TRANSPORT' | 'EQUIPMENT';
  code: 'GTIN' | 'LOAD' | 'DEPA' | 'ARRI' | 'CROS' | 'DISC' | 'GTOT';
  nodeId: string;
  at: EpochMs;
}

/**
 * One journey of a container along an itinerary as it could really go, drawn from the planner's
 * reliability model: dwells at borders, gauge changes, ports and ferry queues drawn from their
 * P50/P90 distributions, a missed trip replaced by the next one of the same service, a ship that
 * sails when full leaving after a drawn wait. The container is at the origin at `ready`. Gives
 * the events a carrier, terminal and border would report, in time order, ending with the
 * discharge and gate-out at the destination. Deterministic for the same random source. Pure.
 */
export function simulateJourney(
  model: RoutingModel,
  rides: readonly ItineraryRide[],
  ready: EpochMs,
  rng: Rng,
): SimulatedStep[] | undefined {
  const draw = (d: DwellSpec) =>
    (d.sigma === 0 ? d.p50Hours : d.quantiles[(rng.next() * QUANTILES) | 0]!) * MS_PER_HOUR;
  const steps: SimulatedStep[] = [];
  const origin = rides[0]?.stops[0];
  if (!origin) return undefined;
  steps.push({ eventType: 'EQUIPMENT', code: 'GTIN', nodeId: origin, at: ready });
  let t = ready;
  for (let i = 0; i < rides.length; i++) {
    const ride = rides[i]!;
    const route = model.routes.find((r) => r.service.id === ride.serviceId);
    const boardStop = model.stopIndex.get(ride.stops[0]!);
    if (!route || boardStop === undefined) return undefined;
    const board = route.stops.findIndex((s) => s.stop === boardStop);
    if (board < 0) return undefined;
    if (i > 0) {
      t += MIN_CONNECTION_HOURS * MS_PER_HOUR;
      for (const op of model.transfer[boardStop]!.operations) t += draw(op);
    }
    let clock: EpochMs;
    if (route.sailsWhenFull) {
      const wait = model.ferryWait[boardStop];
      clock = t + (wait ? draw(dwellAt(wait, t)) : 0);
    } else {
      const planned = ride.plannedDepartures[0]!;
      clock =
        t <= planned
          ? planned
          : nextDeparture(route.tripDepartures, route.stops[board]!.departureOffset, t);
      // The trip stood at the boarding stop for its operations: late when they took longer.
      const bs = route.stops[board]!;
      if (bs.operations.length > 0) {
        let stand = 0;
        for (const op of bs.operations) stand += draw(dwellAt(op, clock));
        clock += Math.max(0, stand - bs.scheduledDwellHours * MS_PER_HOUR);
      }
    }
    steps.push({
      eventType: 'EQUIPMENT',
      code: 'LOAD',
      nodeId: ride.stops[0]!,
      at: Math.max(t, clock - MS_PER_HOUR),
    });
    steps.push({ eventType: 'TRANSPORT', code: 'DEPA', nodeId: ride.stops[0]!, at: clock });
    for (let p = board + 1, k = 1; k < ride.stops.length; p++) {
      const rs = route.stops[p];
      if (!rs) return undefined;
      clock += rs.runHours * MS_PER_HOUR;
      const nodeId = model.stopIds[rs.stop]!;
      if (nodeId !== ride.stops[k]) continue;
      if (k === ride.stops.length - 1) {
        steps.push({ eventType: 'TRANSPORT', code: 'ARRI', nodeId, at: clock });
        steps.push({ eventType: 'EQUIPMENT', code: 'DISC', nodeId, at: clock + MS_PER_HOUR });
        t = clock + MS_PER_HOUR;
        break;
      }
      if (rs.operations.length > 0) {
        steps.push({ eventType: 'TRANSPORT', code: 'ARRI', nodeId, at: clock });
        let stand = 0;
        for (const op of rs.operations) stand += draw(dwellAt(op, clock));
        const leave = clock + Math.max(stand, rs.scheduledDwellHours * MS_PER_HOUR);
        if (rs.operations.some((o) => o.operation === 'border_crossing'))
          steps.push({ eventType: 'EQUIPMENT', code: 'CROS', nodeId, at: leave - 1000 });
        steps.push({ eventType: 'TRANSPORT', code: 'DEPA', nodeId, at: leave });
        clock = leave;
      } else clock += rs.scheduledDwellHours * MS_PER_HOUR;
      k++;
    }
  }
  const destination = rides.at(-1)!.stops.at(-1)!;
  steps.push({
    eventType: 'EQUIPMENT',
    code: 'GTOT',
    nodeId: destination,
    at: t + 2 * MS_PER_HOUR,
  });
  return steps;
}

/** The first trip leaving at or after `t` (past the timetable: `t`). */
function nextDeparture(deps: Float64Array, offset: number, t: EpochMs): EpochMs {
  let lo = 0;
  let hi = deps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (deps[mid]! + offset < t) lo = mid + 1;
    else hi = mid;
  }
  return lo < deps.length ? deps[lo]! + offset : t;
}
