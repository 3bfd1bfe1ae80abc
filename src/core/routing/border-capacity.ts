import type { Network } from '../network/network.ts';
import type { Trip } from '../network/timetable.ts';
import { MS_PER_DAY, type EpochMs } from '../shared/units.ts';

/**
 * Waits at borders and gauge changes for their capacity: each UTC day a border passes its trains
 * a day (data/border-capacity.json) less the background traffic's; the platform's trains scheduled
 * through it take the rest in the order they arrive, and a train beyond the day's share waits for
 * the first next day with room, from its start. Pure.
 *
 * Gives, per trip id, the extra ms at each stop position where the trip waits; trips that never
 * wait are absent.
 */
export function borderCapacityWaits(
  network: Network,
  trips: readonly Trip[],
): Map<string, Map<number, number>> {
  const waits = new Map<string, Map<number, number>>();
  const byNode = new Map<string, Network['borderCapacities'][number][]>();
  for (const c of network.borderCapacities) {
    const list = byNode.get(c.nodeId);
    if (list) list.push(c);
    else byNode.set(c.nodeId, [c]);
  }
  for (const [nodeId, records] of byNode) {
    /** Trains the platform may pass on the day starting at `day`; Infinity when none is known. */
    const share = (day: EpochMs): number => {
      const r = records.find(
        (c) => (c.from === undefined || c.from <= day) && (c.until === undefined || day < c.until),
      );
      return r ? Math.max(0, Math.floor(r.trainsPerDay - r.backgroundTrainsPerDay)) : Infinity;
    };
    const through: { trip: Trip; position: number; arrival: EpochMs }[] = [];
    for (const trip of trips) {
      const service = network.services.get(trip.serviceId)!;
      service.stops.forEach((s, position) => {
        const arrival = trip.stopTimes[position]!.arrival;
        if (
          position > 0 &&
          s.nodeId === nodeId &&
          arrival !== null &&
          records.some((r) => s.operations.includes(r.operation))
        )
          through.push({ trip, position, arrival });
      });
    }
    through.sort((a, b) => a.arrival - b.arrival || (a.trip.id < b.trip.id ? -1 : 1));
    const used = new Map<number, number>();
    for (const t of through) {
      const arrivalDay = Math.floor(t.arrival / MS_PER_DAY) * MS_PER_DAY;
      let day = arrivalDay;
      // A border closed to the platform's trains for a month is as good as closed.
      for (let guard = 0; guard < 31 && (used.get(day) ?? 0) >= share(day); guard++)
        day += MS_PER_DAY;
      used.set(day, (used.get(day) ?? 0) + 1);
      if (day > arrivalDay) {
        const at = waits.get(t.trip.id) ?? new Map<number, number>();
        at.set(t.position, day - t.arrival);
        waits.set(t.trip.id, at);
      }
    }
  }
  return waits;
}
