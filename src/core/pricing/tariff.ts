import { CONTAINER_CODES, type ContainerGroup } from '../shared/cargo.ts';
import type { Km } from '../shared/units.ts';
import type { Service } from '../network/network.ts';
import type { TariffLineRecord } from '../network/schema.ts';

/**
 * A service's tariff is a chain of sections along its stops, each with a line per container
 * type: a ride pays, for every section it travels over, that section's fixed charge once and its
 * rate per km for the kilometres ridden in it. Sections the data does not name are priced by the
 * service's own `byContainerType`, each stretch between named sections as one section. So a
 * container boarding a China–Baku train at Alat pays the Azerbaijani section, not the Chinese
 * terminal charge, and an ERAI-indexed transit rate falls only on the transit section.
 */

/** One line of a leg's price: one container type over one tariff section (or part of it). */
export interface CostLine {
  /** Shipper's container code, e.g. 40HC. */
  container: string;
  /** ISO 6346 size-type the tariff is given for. */
  isoType: string;
  count: number;
  /** First and last node of the part of the leg this line prices (one tariff section). */
  from: string;
  to: string;
  /** The section's fixed charge when the ride enters the section on this leg, else 0. */
  fixedUsd: number;
  perKmUsd: number;
  distanceKm: Km;
  /** count × (fixedUsd + perKmUsd × distanceKm), rounded to cents. */
  amountUsd: number;
  /** The railways' infrastructure charge within amountUsd, where the sources give it apart. */
  infrastructureUsd: number | null;
}

/** A stretch of a service between two stop positions priced by one set of lines. */
export interface TariffSegment {
  fromPosition: number;
  toPosition: number;
  byContainerType: Readonly<Partial<Record<string, TariffLineRecord>>>;
}

/**
 * What riding a service costs the containers, in two arrays over its stop positions: a ride
 * boarded at b and left at a costs usdAtAlight[a] − usdAtBoard[b].
 */
export interface RideTariff {
  usdAtBoard: Float64Array;
  usdAtAlight: Float64Array;
}

const segmentCache = new WeakMap<Service, TariffSegment[]>();

/**
 * The tariff sections of a service covering it from first to last stop, in route order. A named
 * section runs from the first stop at its `from` (after the previous section) to the next stop at
 * its `to`; one that does not fit is left out (loadNetwork reports it). Pure.
 */
export function tariffSegments(service: Service): TariffSegment[] {
  let cached = segmentCache.get(service);
  if (cached) return cached;
  const nodes = service.stops.map((s) => s.nodeId);
  const last = nodes.length - 1;
  const named: TariffSegment[] = [];
  let cursor = 0;
  for (const section of service.tariff.sections ?? []) {
    const from = nodes.indexOf(section.from, cursor);
    const to = from < 0 ? -1 : nodes.indexOf(section.to, from + 1);
    if (from < 0 || to < 0) continue;
    named.push({ fromPosition: from, toPosition: to, byContainerType: section.byContainerType });
    cursor = to;
  }
  cached = [];
  let position = 0;
  for (const seg of named) {
    if (seg.fromPosition > position)
      cached.push({
        fromPosition: position,
        toPosition: seg.fromPosition,
        byContainerType: service.tariff.byContainerType,
      });
    cached.push(seg);
    position = seg.toPosition;
  }
  if (position < last)
    cached.push({
      fromPosition: position,
      toPosition: last,
      byContainerType: service.tariff.byContainerType,
    });
  segmentCache.set(service, cached);
  return cached;
}

/**
 * What a service charges the containers per ride, or undefined when a section of its tariff has
 * no line for one of their types (the service does not take that type). Pure.
 */
export function rideTariff(
  service: Service,
  containers: readonly ContainerGroup[],
): RideTariff | undefined {
  const segments = tariffSegments(service);
  const n = service.stops.length;
  // Per hop h (position h-1 -> h): the segment it lies in, its rate and fixed charge.
  const hopRate = new Float64Array(n);
  const hopFixed = new Float64Array(n);
  const hopSegment = new Int32Array(n);
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s]!;
    let fixed = 0;
    let rate = 0;
    for (const c of containers) {
      const line = seg.byContainerType[CONTAINER_CODES[c.code].isoType];
      if (!line) return undefined;
      fixed += c.count * line.fixedUsd;
      rate += c.count * line.perKmUsd;
    }
    for (let h = seg.fromPosition + 1; h <= seg.toPosition; h++) {
      hopRate[h] = rate;
      hopFixed[h] = fixed;
      hopSegment[h] = s;
    }
  }
  // Cost of riding b -> a = variable(b..a) + fixed charges of the segments of hops b+1 .. a.
  const variable = new Float64Array(n);
  const fixedThrough = new Float64Array(n);
  for (let p = 1; p < n; p++) {
    variable[p] = variable[p - 1]! + hopRate[p]! * service.stops[p]!.distanceKm;
    const entersSegment = p === 1 || hopSegment[p] !== hopSegment[p - 1];
    fixedThrough[p] = fixedThrough[p - 1]! + (entersSegment ? hopFixed[p]! : 0);
  }
  const usdAtBoard = new Float64Array(n);
  const usdAtAlight = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    usdAtAlight[p] = variable[p]! + fixedThrough[p]!;
    // Boarding at p, the segment of hop p+1 is the first paid: everything before it is not.
    const next = Math.min(p + 1, n - 1);
    usdAtBoard[p] = variable[p]! + fixedThrough[next]! - hopFixed[next]!;
  }
  return { usdAtBoard, usdAtAlight };
}

/**
 * The price of the part of a ride from stop position `fromPosition` to `toPosition` of `service`,
 * the ride having boarded at `boardPosition`: one line per container type and tariff section,
 * each section's fixed charge on the part where the ride enters it. Containers whose type a
 * section lacks are left out (rideTariff tells whether the service takes them at all). Pure.
 */
export function legCost(
  service: Service,
  containers: readonly ContainerGroup[],
  boardPosition: number,
  fromPosition: number,
  toPosition: number,
): { totalUsd: number; lines: CostLine[] } {
  const lines: CostLine[] = [];
  for (const seg of tariffSegments(service)) {
    const start = Math.max(seg.fromPosition, fromPosition);
    const end = Math.min(seg.toPosition, toPosition);
    if (end <= start) continue;
    let distanceKm = 0;
    for (let p = start + 1; p <= end; p++) distanceKm += service.stops[p]!.distanceKm;
    const entersHere = Math.max(seg.fromPosition, boardPosition) === start;
    for (const c of containers) {
      const isoType = CONTAINER_CODES[c.code].isoType;
      const line = seg.byContainerType[isoType];
      if (!line) continue;
      const fixedUsd = entersHere ? line.fixedUsd : 0;
      lines.push({
        container: c.code,
        isoType,
        count: c.count,
        from: service.stops[start]!.nodeId,
        to: service.stops[end]!.nodeId,
        fixedUsd,
        perKmUsd: line.perKmUsd,
        distanceKm,
        amountUsd: cents(c.count * (fixedUsd + line.perKmUsd * distanceKm)),
        infrastructureUsd:
          line.infrastructurePerKmUsd === undefined
            ? null
            : cents(c.count * line.infrastructurePerKmUsd * distanceKm),
      });
    }
  }
  return { totalUsd: cents(lines.reduce((s, l) => s + l.amountUsd, 0)), lines };
}

function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}
