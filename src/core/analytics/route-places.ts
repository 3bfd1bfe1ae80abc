import { routeSteps } from '../documents/route.ts';
import { cumulativeKgCo2ePerTonne } from '../emissions/emissions.ts';
import { dwellKey, type Network } from '../network/network.ts';
import { corridorOfPath, pathFacts } from '../network/path-facts.ts';
import { TRANSFER_OPERATIONS } from '../routing/model.ts';
import type { ItineraryRide } from '../tracking/progress.ts';
import type { KpiPlace, KpiRide } from './kpis.ts';

/**
 * What the KPIs need to know of a shipment's route from the network: its corridor, the places it
 * stands at with the operations done there (a transfer's modelled operations, a through stop's
 * own) and the border each border place is on, and per ride its operator, distance and CO2e per
 * tonne. Pure.
 */
export function routePlaces(
  network: Network,
  rides: readonly Pick<ItineraryRide, 'serviceId' | 'stops' | 'plannedDepartures'>[],
): { corridor: string; places: KpiPlace[]; rides: KpiRide[] } {
  const steps = routeSteps(network, rides);
  const borders = new Map(
    pathFacts(network, steps).borders.map((b) => [b.nodeId, `${b.fromCountry}→${b.toCountry}`]),
  );
  const places: KpiPlace[] = [];
  const place = (nodeId: string, operations: readonly string[], fallback: string) =>
    places.push({
      nodeId,
      locode: network.nodes.get(nodeId)?.unLocode ?? null,
      operation: operations.length > 0 ? operations.join('+') : fallback,
      border: borders.get(nodeId) ?? null,
    });
  const out: KpiRide[] = [];
  rides.forEach((ride, r) => {
    const service = network.services.get(ride.serviceId);
    const first = service?.stops.findIndex((s) => s.nodeId === ride.stops[0]) ?? -1;
    const last =
      service?.stops.findIndex((s, k) => k > first && s.nodeId === ride.stops.at(-1)) ?? -1;
    if (r === 0) place(ride.stops[0]!, [], 'origin');
    let distanceKm = 0;
    if (service && first >= 0 && last > first) {
      for (let k = first + 1; k <= last; k++) distanceKm += service.stops[k]!.distanceKm;
      for (let k = first + 1; k < last; k++) {
        const stop = service.stops[k]!;
        place(stop.nodeId, stop.operations, 'stop');
      }
    }
    const alight = ride.stops.at(-1)!;
    if (r === rides.length - 1) place(alight, [], 'destination');
    else
      place(
        alight,
        TRANSFER_OPERATIONS.filter((op) => network.dwellModels.has(dwellKey(alight, op))),
        'transfer',
      );
    const perTonne = service && last > first ? cumulativeKgCo2ePerTonne(network, service) : null;
    out.push({
      from: ride.stops[0]!,
      to: alight,
      nodes: [...ride.stops],
      plannedDeparture: ride.plannedDepartures[0] ?? null,
      operator: service?.operator ?? '',
      distanceKm,
      kgCo2ePerTonne: perTonne ? perTonne[last]! - perTonne[first]! : 0,
    });
  });
  return { corridor: corridorOfPath(network, steps), places, rides: out };
}
