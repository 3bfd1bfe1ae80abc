import { useEffect, useState } from 'react';
import { api } from '../../lib/api.ts';

/** The reference network as the map and the place pickers need it; loaded once per page. */

export interface MapNode {
  id: string;
  name: string;
  country: string;
  kind: string;
  unLocode: string | null;
  aliases: string[];
  lat: number;
  lon: number;
  timeZone: string;
}

export interface MapNetwork {
  nodes: MapNode[];
  byId: Map<string, MapNode>;
  links: { id: string; from: string; to: string; mode: string; distanceKm: number }[];
  /** Service names stopping at each node. */
  servicesAt: Map<string, string[]>;
  services: Map<string, { id: string; name: string; operator: string; mode: string }>;
}

let cached: Promise<MapNetwork> | undefined;

export function loadNetwork(): Promise<MapNetwork> {
  cached ??= api<{
    nodes: MapNode[];
    links: MapNetwork['links'];
    services: {
      id: string;
      name: string;
      operator: string;
      mode: string;
      stops?: { nodeId: string }[];
    }[];
  }>('GET', '/v1/network').then((n) => {
    const servicesAt = new Map<string, string[]>();
    for (const s of n.services)
      for (const stop of s.stops ?? [])
        servicesAt.set(stop.nodeId, [...(servicesAt.get(stop.nodeId) ?? []), s.name]);
    return {
      nodes: n.nodes,
      byId: new Map(n.nodes.map((x) => [x.id, x])),
      links: n.links,
      servicesAt,
      services: new Map(n.services.map((s) => [s.id, s])),
    };
  });
  return cached;
}

/** The network for a page: null until it has loaded. */
export function useNetwork(): MapNetwork | null {
  const [network, setNetwork] = useState<MapNetwork | null>(null);
  useEffect(() => void loadNetwork().then(setNetwork), []);
  return network;
}
