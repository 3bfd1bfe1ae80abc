import type { TimetableResponse } from '../api/network.ts';
import type { Network } from '../core/network/network.ts';
import { generateTimetable } from '../core/network/timetable.ts';
import type { IsoDate } from '../core/shared/units.ts';
import { AppError } from './errors.ts';

/** The network as JSON: records as in the data files, each service stop naming its links. */
export function networkView(n: Network) {
  return {
    nodes: [...n.nodes.values()],
    links: n.links,
    services: [...n.services.values()].map((s) => ({
      ...s,
      stops: s.stops.map((st) => ({ ...st, links: st.links.map((l) => l.id) })),
    })),
    dwellModels: [...n.dwellModels.values()],
    emissionFactors: [...n.emissionFactors.values()],
  };
}

/**
 * Departures of the services (all, or those named) on `days` service days from `from`, as JSON
 * with UTC times and each stop's time zone. Unknown service ids are invalid data.
 */
export function timetableView(
  n: Network,
  from: IsoDate,
  days: number,
  serviceIds?: readonly string[],
): TimetableResponse {
  const unknown = (serviceIds ?? []).filter((id) => !n.services.has(id));
  if (unknown.length > 0)
    throw new AppError(
      'invalid_data',
      `unknown service "${unknown[0]}"`,
      unknown.map((id) => ({ path: 'query.service', message: `unknown service "${id}"` })),
    );
  const trips = generateTimetable(n, { from, days, ...(serviceIds ? { serviceIds } : {}) });
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    from,
    days,
    count: trips.length,
    trips: trips.map((t) => {
      const s = n.services.get(t.serviceId)!;
      return {
        id: t.id,
        serviceId: t.serviceId,
        serviceName: s.name,
        operator: s.operator,
        mode: s.mode,
        serviceDate: t.serviceDate,
        departure: iso(t.departure)!,
        arrival: iso(t.arrival)!,
        capacityTeu: t.capacityTeu,
        sailsWhenFull: s.sailsWhenFull,
        stopTimes: t.stopTimes.map((st) => {
          const node = n.nodes.get(st.nodeId)!;
          return {
            nodeId: st.nodeId,
            name: node.name,
            timeZone: node.timeZone,
            arrival: iso(st.arrival),
            departure: iso(st.departure),
          };
        }),
      };
    }),
  };
}
