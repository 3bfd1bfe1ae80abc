import type { Network } from './network.ts';
import { placeLabel } from './places.ts';

/**
 * A departure as people name it, from its trip id (`SERVICE@YYYY-MM-DDTHHMM`): its service's name
 * and the local date and time at its origin, e.g. `Aktau - Alat feeder departure of 2026-12-01
 * 18:00 from Aktau`. The first network that knows the service names it (a departure a new
 * version dropped is named from the one before); a service none knows keeps its id. Pure.
 */
export function departureLabel(tripId: string, ...networks: readonly Network[]): string {
  const m = /^(.+)@(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})$/.exec(tripId);
  if (!m) return `departure ${tripId}`;
  const [, serviceId, day, hh, mm] = m as unknown as [string, string, string, string, string];
  for (const network of networks) {
    const service = network.services.get(serviceId);
    if (!service) continue;
    const origin = network.nodes.get(service.stops[0]?.nodeId ?? '');
    const from = origin ? ` from ${placeLabel(origin)}` : '';
    return `${service.name} departure of ${day} ${hh}:${mm}${from}`;
  }
  return `${serviceId} departure of ${day} ${hh}:${mm}`;
}
