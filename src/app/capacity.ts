import type { HoldDecision } from '../core/capacity/capacity.ts';
import type { Network } from '../core/network/network.ts';
import { placeLabel } from '../core/network/places.ts';
import { generateTimetable } from '../core/network/timetable.ts';
import type { LegSpec } from './ports.ts';

/**
 * The legs of a departure, from its trip id (`SERVICE@YYYY-MM-DDTHHMM`, as the timetable and the
 * planner give it), or undefined when the network has no such trip.
 */
export function tripLegs(network: Network, tripId: string): LegSpec[] | undefined {
  const m = /^([A-Z0-9_]+)@(\d{4}-\d{2}-\d{2})T\d{4}$/.exec(tripId);
  if (!m || !network.services.has(m[1]!)) return undefined;
  const trip = generateTimetable(network, { from: m[2]!, days: 1, serviceIds: [m[1]!] }).find(
    (t) => t.id === tripId,
  );
  if (!trip) return undefined;
  return trip.stopTimes.slice(0, -1).map((st, legIndex) => ({
    tripId,
    legIndex,
    serviceId: trip.serviceId,
    fromNodeId: st.nodeId,
    toNodeId: trip.stopTimes[legIndex + 1]!.nodeId,
    departsAt: new Date(st.departure!),
    capacityTeu: trip.capacityTeu,
  }));
}

/**
 * A refusal in terms a user acts on, e.g. `insufficient capacity on leg Aktau→Alat (trip
 * SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800): 4 TEU available, 6 requested`.
 */
export function refusalMessage(network: Network, d: Exclude<HoldDecision, { ok: true }>): string {
  const name = (id: string) => {
    const node = network.nodes.get(id);
    return node ? placeLabel(node) : id;
  };
  const leg = `leg ${name(d.fromNodeId)}→${name(d.toNodeId)} (trip ${d.tripId})`;
  return d.reason === 'departure_closed'
    ? `the departure is closed on ${leg}: it takes no new bookings`
    : `insufficient capacity on ${leg}: ${d.availableTeu} TEU available, ${d.requestedTeu} requested`;
}
