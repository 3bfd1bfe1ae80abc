import { estimateArrival } from '../core/eta/eta.ts';
import type { Network } from '../core/network/network.ts';
import type { RoutingModel } from '../core/routing/api.ts';
import { seedOf } from '../core/shared/rng.ts';
import { placeTime } from '../core/shared/time-zone.ts';
import { foldProgress, type ItineraryRide } from '../core/tracking/progress.ts';
import type { Shipment, TrackingStore } from './shipments.ts';
import { delayAlerts, destinationZone, ETA_DRAWS, itineraryRide, nodesAt } from './tracking.ts';

/** What a schedule change did to one booking: the booking and its notices, in words. */
export interface BookingChange {
  bookingId: string;
  notices: readonly string[];
}

/** The reliability models the arrival is estimated on before and after the change. */
export interface Models {
  before: RoutingModel;
  /** Undefined while the change is not in force yet (its day's model is not built). */
  after: RoutingModel | undefined;
}

/**
 * The shipments of bookings a schedule change affects, put on the new schedule: each ride taken
 * again from `network` (the network as it is from the change's effective day), the arrival
 * moved by what the change does to it, and a `schedule_change` alert saying what changed and
 * the new estimate.
 *
 * - The change in force now: the arrival moves by the difference between the estimates on the
 *   models before and after the change, from where the shipment is (a missed connection
 *   included); its estimate keeps its basis (the arrival promised at booking, or its events).
 * - The change in force from a later day: by as much as the planned arrival at the destination
 *   moved.
 * - A ride whose departure no longer runs: no estimate (null) until the booking is amended.
 *
 * Arrived shipments stay as they are. Returns the ids of the shipments changed.
 */
export async function rescheduleShipments(
  deps: { tracking: TrackingStore },
  changes: readonly BookingChange[],
  network: Network,
  models: Models,
  now: Date,
): Promise<string[]> {
  if (changes.length === 0) return [];
  const byBooking = new Map(changes.map((c) => [c.bookingId, c]));
  const refs = await deps.tracking.shipmentsByBooking([...byBooking.keys()]);
  const out: string[] = [];
  for (const ref of refs) {
    if (ref.arrived || ref.bookingId === null) continue;
    const shipment = await deps.tracking.findShipment(ref.id);
    const change = byBooking.get(ref.bookingId);
    if (!shipment || !change) continue;
    const next = await rescheduled(deps, shipment, change, network, models, now);
    await deps.tracking.reschedule(shipment.id, next, now);
    out.push(shipment.id);
  }
  return out;
}

async function rescheduled(
  deps: { tracking: TrackingStore },
  s: Shipment,
  change: BookingChange,
  network: Network,
  models: Models,
  now: Date,
): Promise<Pick<Shipment, 'rides' | 'etaP50' | 'etaP90' | 'alerts'>> {
  const rides: ItineraryRide[] = [];
  let gone: string | undefined;
  for (const r of s.rides) {
    const ride = itineraryRide(network, r.rideIndex, {
      tripId: r.tripId,
      from: r.stops[0]!,
      to: r.stops.at(-1)!,
    });
    if (typeof ride === 'string') {
      gone ??= ride;
      rides.push(r);
    } else rides.push(ride);
  }
  const said = change.notices.join('; ');
  if (gone !== undefined)
    return {
      rides,
      etaP50: null,
      etaP90: null,
      alerts: [
        ...s.alerts,
        {
          at: now.toISOString(),
          kind: 'schedule_change',
          message: `${said}. No arrival estimate until booking ${change.bookingId} is amended onto other departures.`,
        },
      ],
    };
  let eta: { p50: number; p90: number } | undefined;
  if (s.etaP50 && s.etaP90) {
    let moved: { p50: number; p90: number } | undefined;
    if (models.after) {
      const events = await deps.tracking.eventsOf([s.id], true);
      const at = nodesAt(network);
      const estimate = (model: RoutingModel, on: readonly ItineraryRide[]) =>
        estimateArrival(
          model,
          on,
          foldProgress(on, events, at),
          now.getTime(),
          ETA_DRAWS,
          seedOf(s.id),
        );
      const was = estimate(models.before, s.rides);
      const is = estimate(models.after, rides);
      if (was && is) moved = { p50: is.p50 - was.p50, p90: is.p90 - was.p90 };
    }
    if (!moved) {
      const by =
        (rides.at(-1)!.plannedArrivals.at(-1) ?? 0) - (s.rides.at(-1)!.plannedArrivals.at(-1) ?? 0);
      moved = { p50: by, p90: by };
    }
    eta = { p50: s.etaP50.getTime() + moved.p50, p90: s.etaP90.getTime() + moved.p90 };
  }
  const etaP50 = eta ? new Date(eta.p50) : null;
  const etaP90 = eta ? new Date(eta.p90) : null;
  const zone = destinationZone(network, { rides });
  const was = s.etaP50 ? ` (was ${placeTime(s.etaP50.getTime(), zone)})` : '';
  const next: Shipment = {
    ...s,
    rides,
    etaP50,
    etaP90,
    alerts: [
      ...s.alerts,
      {
        at: now.toISOString(),
        kind: 'schedule_change',
        message: etaP50
          ? `${said}. Arrival now estimated ${placeTime(etaP50.getTime(), zone)}${was}.`
          : `${said}. No arrival estimate on the new schedule.`,
      },
    ],
  };
  return { rides, etaP50, etaP90, alerts: delayAlerts(next, now, zone) };
}
