import type { Itinerary } from '../../src/api/plan.ts';
import type { ItineraryRide } from '../../src/core/tracking/progress.ts';

/** A plan's itinerary as a shipment records its rides: consecutive legs of one trip joined. */
export function ridesOf(it: Itinerary): ItineraryRide[] {
  const rides: ItineraryRide[] = [];
  for (const leg of it.legs) {
    if (leg.kind !== 'ride') continue;
    const last = rides.at(-1);
    if (last && last.tripId === leg.tripId && last.stops.at(-1) === leg.from) {
      (last.stops as string[]).push(leg.to);
      (last.plannedDepartures as (number | null)[]).splice(-1, 1, Date.parse(leg.departure), null);
      (last.plannedArrivals as (number | null)[]).push(Date.parse(leg.arrival));
    } else
      rides.push({
        rideIndex: rides.length,
        tripId: leg.tripId,
        serviceId: leg.serviceId,
        stops: [leg.from, leg.to],
        plannedDepartures: [Date.parse(leg.departure), null],
        plannedArrivals: [null, Date.parse(leg.arrival)],
      });
  }
  return rides;
}
