import type { Link, Network, Service } from '../network/network.ts';

/**
 * Well-to-wheel CO2e of moving freight: tonne-km × the emission factor of each link ridden
 * (GLEC Framework / ISO 14083 style). A service may name its own factor for links of that mode
 * (a feeder instead of a deep-sea ship); other links use their mode's default. Pure.
 */

/** g CO2e per tonne-km for riding `link` on `service`. */
export function factorFor(network: Network, service: Service, link: Link): number {
  const own = service.emissionFactorId
    ? network.emissionFactors.get(service.emissionFactorId)
    : undefined;
  if (own && own.mode === link.mode) return own.gCo2ePerTonneKm;
  const id = network.defaultEmissionFactorIds[link.mode];
  const factor = id ? network.emissionFactors.get(id) : undefined;
  if (!factor)
    throw new Error(`no emission factor for ${link.mode} (the network loader checks this)`);
  return factor.gCo2ePerTonneKm;
}

/**
 * kg CO2e per tonne of gross mass from a service's first stop to each of its stops, cumulative:
 * riding from stop a to stop b emits (result[b] - result[a]) × tonnes.
 */
export function cumulativeKgCo2ePerTonne(network: Network, service: Service): Float64Array {
  const out = new Float64Array(service.stops.length);
  let sum = 0;
  service.stops.forEach((stop, i) => {
    for (const link of stop.links)
      sum += (link.distanceKm * factorFor(network, service, link)) / 1000;
    out[i] = sum;
  });
  return out;
}
