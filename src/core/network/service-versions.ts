import type { Network } from './network.ts';
import type { ServiceRecord } from './schema.ts';
import type { LoadNetworkResult, NetworkError } from './load-network.ts';
import { loadNetwork } from './load-network.ts';
import { findTrip } from './timetable.ts';
import { departureLabel } from './departure-label.ts';
import { placeTime } from '../shared/time-zone.ts';
import type { IsoDate } from '../shared/units.ts';

/** One published version of a service: its record and the day it takes effect (UTC date). */
export interface PublishedVersion {
  serviceId: string;
  version: number;
  effectiveFrom: IsoDate;
  record: ServiceRecord;
}

/** The reference services of the data files, in file order, or [] when they do not parse. */
export function referenceServices(files: Readonly<Record<string, string | undefined>>) {
  try {
    const json = JSON.parse(files['services.json'] ?? '{}') as { services?: ServiceRecord[] };
    return Array.isArray(json.services) ? json.services : [];
  } catch {
    return [];
  }
}

/**
 * The services in force on `day`: each reference service replaced by its highest published
 * version whose effective date has come, and new services after them in the order they were
 * first published; with the version of each (1 where the reference data is in force).
 */
export function servicesInForce(
  reference: readonly ServiceRecord[],
  versions: readonly PublishedVersion[],
  day: IsoDate,
): { records: ServiceRecord[]; versions: Map<string, number> } {
  const inForce = new Map<string, PublishedVersion>();
  /** Every published service id, in the order of its first publication. */
  const firstSeen = new Set<string>();
  for (const v of versions) {
    firstSeen.add(v.serviceId);
    if (v.effectiveFrom > day) continue;
    const current = inForce.get(v.serviceId);
    if (!current || v.version > current.version) inForce.set(v.serviceId, v);
  }
  const records: ServiceRecord[] = [];
  const out = new Map<string, number>();
  const known = new Set<string>();
  for (const r of reference) {
    known.add(r.id);
    const v = inForce.get(r.id);
    records.push(v ? v.record : r);
    out.set(r.id, v ? v.version : 1);
  }
  for (const id of firstSeen) {
    const v = inForce.get(id);
    if (known.has(id) || !v) continue;
    records.push(v.record);
    out.set(id, v.version);
  }
  return { records, versions: out };
}

/** The network of the data files with these services in place of theirs, each with its version. */
export function networkWithServices(
  files: Readonly<Record<string, string | undefined>>,
  records: readonly ServiceRecord[],
  versions?: ReadonlyMap<string, number>,
): LoadNetworkResult {
  const loaded = loadNetwork({ ...files, 'services.json': JSON.stringify({ services: records }) });
  if (loaded.ok && versions)
    for (const [id, s] of loaded.network.services) {
      const v = versions.get(id);
      if (v !== undefined && v !== 1) s.version = v;
    }
  return loaded;
}

/** A problem with one service of an upload: its index in the upload, where in it, and what. */
export interface UploadProblem {
  index: number;
  /** Path inside the service record, e.g. `stops[2].node`; '' for the record as a whole. */
  path: string;
  message: string;
}

/**
 * Checks uploaded services against the rest of the network as it is: the shape of each record,
 * references to nodes, links between stops, dwell models, emission factors; and ids that occur
 * twice in the upload. Every problem is returned.
 */
export function checkUpload(
  files: Readonly<Record<string, string | undefined>>,
  current: readonly ServiceRecord[],
  upload: readonly unknown[],
): UploadProblem[] {
  const problems: UploadProblem[] = [];
  const seen = new Map<string, number>();
  const uploadedAt = new Map<number, number>();
  const records: unknown[] = [...current];
  upload.forEach((u, k) => {
    const id = (u as { id?: unknown } | null)?.id;
    if (typeof id === 'string') {
      const first = seen.get(id);
      if (first !== undefined) {
        problems.push({
          index: k,
          path: 'id',
          message: `service ${id} is in the upload twice (first at ${first})`,
        });
        return;
      }
      seen.set(id, k);
      const at = current.findIndex((r) => r.id === id);
      if (at >= 0) {
        records[at] = u;
        uploadedAt.set(at, k);
        return;
      }
    }
    uploadedAt.set(records.length, k);
    records.push(u);
  });
  const loaded = loadNetwork({ ...files, 'services.json': JSON.stringify({ services: records }) });
  if (loaded.ok) return problems;
  for (const e of loaded.errors) problems.push(uploadProblem(e, uploadedAt));
  return problems;
}

function uploadProblem(e: NetworkError, uploadedAt: ReadonlyMap<number, number>): UploadProblem {
  const m = /^services\[(\d+)\]\.?(.*)$/.exec(e.path);
  const k = m ? uploadedAt.get(Number(m[1])) : undefined;
  if (e.file === 'services.json' && m && k !== undefined)
    return { index: k, path: m[2] ?? '', message: e.message };
  // A problem outside the uploaded records: the rest of the network no longer fits with them.
  return { index: 0, path: '', message: `${e.file}: ${e.path}: ${e.message}` };
}

/** A booked ride: the trip, where the containers board and where they leave it. */
export interface BookedRide {
  tripId: string;
  serviceId: string;
  fromNodeId: string;
  toNodeId: string;
}

/** The service day of a trip id (`SERVICE@YYYY-MM-DDTHHMM`). */
export function tripServiceDate(tripId: string): IsoDate | undefined {
  return /@(\d{4}-\d{2}-\d{2})T\d{4}$/.exec(tripId)?.[1];
}

/** Arrival at `to` that moves by more than this is a change the booking party must know. */
const MOVED_MS = 60 * 60 * 1000;

/**
 * What a new version of a service does to a ride booked on the old one, in words for its owner,
 * or undefined when the ride runs as booked: the departure gone, a stop no longer served, the
 * arrival moved by more than an hour, or cargo the service now refuses.
 */
export function rideChange(
  before: Network,
  after: Network,
  ride: BookedRide,
  hazardous: boolean,
): string | undefined {
  const next = after.services.get(ride.serviceId);
  const departure = departureLabel(ride.tripId, after, before);
  const trip = findTrip(after, ride.tripId);
  if (!next || !trip) return `the ${departure} no longer runs`;
  const from = trip.stopTimes.findIndex((s) => s.nodeId === ride.fromNodeId);
  const to = trip.stopTimes.findIndex((s, i) => i > from && s.nodeId === ride.toNodeId);
  if (from < 0 || to < 0) {
    const missing = from < 0 ? ride.fromNodeId : ride.toNodeId;
    return `the ${departure} no longer stops at ${after.nodes.get(missing)?.name ?? missing}`;
  }
  if (hazardous && next.refusesCargo.includes('hazardous'))
    return `${next.name} no longer takes hazardous cargo (the ${departure})`;
  const old = findTrip(before, ride.tripId);
  const oldArrival = old?.stopTimes.find((s) => s.nodeId === ride.toNodeId)?.arrival;
  const newArrival = trip.stopTimes[to]!.arrival;
  if (oldArrival && newArrival && Math.abs(newArrival - oldArrival) > MOVED_MS) {
    const node = after.nodes.get(ride.toNodeId);
    const hours = Math.round((newArrival - oldArrival) / 3_600_000);
    const by = hours > 0 ? `${hours} h later` : `${-hours} h earlier`;
    return `the ${departure} now arrives at ${node?.name ?? ride.toNodeId} ${placeTime(newArrival, node?.timeZone ?? 'UTC')} instead of ${placeTime(oldArrival, node?.timeZone ?? 'UTC')}, ${by}`;
  }
  return undefined;
}
