import type { Link, Network } from './network.ts';

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
