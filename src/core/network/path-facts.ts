import type { Corridor, Link, Network } from './network.ts';

/** A link travelled in a direction. */
export interface DirectedLink {
  from: string;
  to: string;
  link: Link;
}

/** A change of country along a path. */
export interface BorderCrossing {
  /** The border-crossing node when there is one on the link, else the node entered. */
  nodeId: string;
  fromCountry: string;
  toCountry: string;
  /** `sea` or `ferry` for a crossing by water, else the link's mode. */
  mode: Link['mode'];
}

/** A break of gauge passed, in the direction of travel. */
export interface GaugeChange {
  nodeId: string;
  fromMm: number;
  toMm: number;
}

/** Borders crossed and gauge changes passed along a path of links, in travel order. Pure. */
export function pathFacts(
  network: Network,
  path: readonly DirectedLink[],
): { borders: BorderCrossing[]; gaugeChanges: GaugeChange[] } {
  const borders: BorderCrossing[] = [];
  const gaugeChanges: GaugeChange[] = [];
  for (const { from, to, link } of path) {
    const a = network.nodes.get(from)!;
    const b = network.nodes.get(to)!;
    if (a.country !== b.country) {
      const nodeId = a.kind === 'border_crossing' ? a.id : b.id;
      borders.push({ nodeId, fromCountry: a.country, toCountry: b.country, mode: link.mode });
    }
    if (link.gaugeBreak) {
      const forward = link.from === from;
      gaugeChanges.push({
        nodeId: link.gaugeBreak.at,
        fromMm: forward ? link.gaugeBreak.fromMm : link.gaugeBreak.toMm,
        toMm: forward ? link.gaugeBreak.toMm : link.gaugeBreak.fromMm,
      });
    }
  }
  return { borders, gaugeChanges };
}

/**
 * The corridor of a path, from where it goes: across the Caspian is the Middle Corridor (the
 * World Bank's definition, reference.md §1.1 [S1]); through Belarus or Russia the Northern route;
 * by land through Turkmenistan or Iran the Southern route; a deep-sea leg of more than 5,000 km
 * the sea route. Anything else stays "middle" (the corridor's own feeders). Pure.
 */
export function corridorOfPath(network: Network, path: readonly DirectedLink[]): Corridor {
  const country = (id: string) => network.nodes.get(id)!.country;
  let northern = false;
  let southern = false;
  let sea = false;
  for (const { from, to, link } of path) {
    const [a, b] = [country(from), country(to)];
    const water = link.mode === 'sea' || link.mode === 'ferry';
    if (water && CASPIAN.has(a) && CASPIAN.has(b) && a !== b) return 'middle';
    if (!water && (NORTHERN.has(a) || NORTHERN.has(b))) northern = true;
    if (!water && (SOUTHERN.has(a) || SOUTHERN.has(b))) southern = true;
    if (link.mode === 'sea' && link.distanceKm > 5000) sea = true;
  }
  return northern ? 'northern' : southern ? 'southern' : sea ? 'sea' : 'middle';
}

const CASPIAN = new Set(['KZ', 'AZ', 'TM', 'RU', 'IR']);
const NORTHERN = new Set(['BY', 'RU']);
const SOUTHERN = new Set(['TM', 'IR']);
