import type {
  CORRIDORS,
  DwellModelRecord,
  EmissionFactorRecord,
  LINK_MODES,
  LinkRecord,
  NODE_KINDS,
  OPERATIONS,
  SERVICE_MODES,
  ServiceRecord,
} from './schema.ts';
import type { Hours, Km } from '../shared/units.ts';

/** The typed, cross-checked model of the reference corridor, built by loadNetwork(). */

export type NodeKind = (typeof NODE_KINDS)[number];
export type LinkMode = (typeof LINK_MODES)[number];
export type ServiceMode = (typeof SERVICE_MODES)[number];
export type Operation = (typeof OPERATIONS)[number];
export type Corridor = (typeof CORRIDORS)[number];

/** A place on the corridor: port, terminal, border crossing, free zone or city. */
export interface CorridorNode {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** UN/LOCODE, or null where the place has none of its own. */
  unLocode: string | null;
  altUnLocodes: readonly string[];
  /** Other names in use, in any language or script. */
  aliases: readonly string[];
  kind: NodeKind;
  lat: number;
  lon: number;
  /** IANA zone used to show local times; all stored times are UTC. */
  timeZone: string;
  source: string;
}

/**
 * The UN/LOCODE events at a place are posted with (its own, else its first alternative), or null:
 * a place without one cannot be named in an event, so nothing is ever reported there.
 */
export function reportingCode(
  node: Pick<CorridorNode, 'unLocode' | 'altUnLocodes'>,
): string | null {
  return node.unLocode ?? node.altUnLocodes[0] ?? null;
}

/** A physical connection between two nodes; usable in both directions. */
export type Link = LinkRecord;

/** One stop of a service, with the path and times from the previous stop resolved. */
export interface ServiceStop {
  nodeId: string;
  /** Nodes passed without stopping since the previous stop, in travel order. */
  viaNodeIds: readonly string[];
  /** Links travelled from the previous stop to this one (empty for the first stop). */
  links: readonly Link[];
  /** Distance from the previous stop (0 for the first stop). */
  distanceKm: Km;
  /** Running time from the previous stop's departure to this stop's arrival (0 for the first). */
  runHours: Hours;
  /** Planned time standing at this stop between arrival and departure. */
  dwellHours: Hours;
  /** Operations done here; each has a dwell model giving its P50/P90. */
  operations: readonly Operation[];
  /** Hours from the origin departure to arrival here; null at the origin. */
  arrivalOffsetHours: Hours | null;
  /** Hours from the origin departure to departure from here; null at the last stop. */
  departureOffsetHours: Hours | null;
}

/** A scheduled transport product: a train, a ferry line, a feeder or a liner loop. */
export interface Service extends Omit<ServiceRecord, 'stops'> {
  stops: readonly ServiceStop[];
  /** Sum of the stops' distances. */
  distanceKm: Km;
  /** The published version in force (absent: version 1, the reference data). */
  version?: number;
}

/** P50/P90 hours spent at a node for one operation. */
export type DwellModel = DwellModelRecord;
export type EmissionFactor = EmissionFactorRecord;

export interface Network {
  nodes: ReadonlyMap<string, CorridorNode>;
  links: readonly Link[];
  /** Services in data-file order. */
  services: ReadonlyMap<string, Service>;
  /** Keyed by `${nodeId}:${operation}`. */
  dwellModels: ReadonlyMap<string, DwellModel>;
  emissionFactors: ReadonlyMap<string, EmissionFactor>;
  /** The default emission factor id for each link mode that has one. */
  defaultEmissionFactorIds: Readonly<Partial<Record<LinkMode, string>>>;
  /** Trains a day at borders and gauge changes (data/border-capacity.json); none when absent. */
  borderCapacities: readonly BorderCapacity[];
}

/** A border's or gauge change's trains a day over a period, background traffic among them. */
export interface BorderCapacity {
  id: string;
  nodeId: string;
  operation: 'border_crossing' | 'gauge_change';
  trainsPerDay: number;
  backgroundTrainsPerDay: number;
  /** UTC instants: first held at `from`, no longer at `until`; open-ended when absent. */
  from?: number;
  until?: number;
}

/** Key of a dwell model in Network.dwellModels. */
export function dwellKey(nodeId: string, operation: Operation): string {
  return `${nodeId}:${operation}`;
}

/** Link modes a service of the given mode may travel on. */
export function modesOf(mode: ServiceMode): readonly LinkMode[] {
  return mode === 'multimodal' ? ['rail', 'road', 'ferry', 'sea'] : [mode];
}
