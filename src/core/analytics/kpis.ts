import type { EpochMs } from '../shared/units.ts';

/**
 * Corridor KPIs from the platform's own shipments and their actual (ACT) transport events:
 * volumes in TEU per ISO week and segment (by planned departure), door-to-door transit P50/P90
 * per origin–destination (actual departure from the origin to actual arrival at the
 * destination), dwell P50/P90 per place and operation (actual arrival to actual departure
 * there), the CAREC time to cross per border (the dwell at the border place), the share
 * arriving by the date promised at booking, and CO2e per TEU-km. Filters by corridor, node and
 * operator. Pure.
 */

export interface KpiEvent {
  code: string;
  at: EpochMs;
  location: string | null;
}

/** A place the route stands at, in order. */
export interface KpiPlace {
  nodeId: string;
  locode: string | null;
  /** The operations done there joined by `+`, or origin, destination, transfer, stop. */
  operation: string;
  /** `CN→KZ` at a place where the route crosses a border. */
  border: string | null;
}

export interface KpiRide {
  from: string;
  to: string;
  /** Stops from boarding to alighting. */
  nodes: readonly string[];
  plannedDeparture: EpochMs | null;
  operator: string;
  distanceKm: number;
  /** Well-to-wheel kg CO2e per tonne of cargo for the ride. */
  kgCo2ePerTonne: number;
}

export interface KpiShipment {
  id: string;
  teu: number;
  origin: { nodeId: string; locode: string | null };
  destination: { nodeId: string; locode: string | null };
  corridor: string;
  rides: KpiRide[];
  places: KpiPlace[];
  promisedArrival: EpochMs | null;
  /** Gross tonnes of the cargo, when known (from its booking). */
  tonnes: number | null;
  /** Actual transport events (ARRI, DEPA), any order. */
  events: KpiEvent[];
}

export interface KpiFilter {
  corridor?: string | undefined;
  node?: string | undefined;
  /** Part of a service operator's name, any case. */
  operator?: string | undefined;
}

interface Percentiles {
  p50Hours: number;
  p90Hours: number;
}

export interface Kpis {
  volumes: { week: string; segment: string; teu: number }[];
  transit: { from: string; to: string; shipments: number; p50Days: number; p90Days: number }[];
  dwell: ({ location: string; nodeId: string; operation: string; visits: number } & Percentiles)[];
  borders: ({
    border: string;
    nodeId: string;
    location: string;
    crossings: number;
  } & Percentiles)[];
  onTime: { shipments: number; onTime: number; share: number | null };
  emissions: {
    shipments: number;
    teuKm: number;
    co2eKg: number;
    gCo2ePerTeuKm: number | null;
  };
}

/**
 * The CAREC Corridor Performance Measurement and Monitoring figures the border times compare
 * with: the region-wide average rail border-crossing time and cost per crossing in 2022
 * (ADB/CAREC CPMM Annual Report 2022 [S58], reference.md §4.6).
 */
export const CAREC_2022 = {
  year: 2022,
  railTimeToCrossHours: 40.6,
  costToCrossUsd: 215,
  source: 'ADB/CAREC CPMM Annual Report 2022, https://cpmm.carecprogram.org/?p=130',
} as const;

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** `2026-W49` for an instant (ISO 8601 week, UTC). */
export function isoWeek(ms: EpochMs): string {
  const d = new Date(ms);
  const dayNum = d.getUTCDay() || 7;
  // The Thursday of the week decides its year.
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 4 - dayNum);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.ceil(((thursday - Date.UTC(year, 0, 1)) / DAY + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The nearest-rank quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

const round = (x: number) => Math.round(x * 100) / 100;

const SEP = '\u0000';

export function kpis(
  shipments: readonly KpiShipment[],
  period: { from: EpochMs; to: EpochMs },
  filter: KpiFilter = {},
): Kpis {
  const inPeriod = (t: EpochMs) => t >= period.from && t < period.to;
  const operator = filter.operator?.toLowerCase();
  const byOperator = (r: KpiRide) => !operator || r.operator.toLowerCase().includes(operator);
  const byNode = (r: KpiRide) => !filter.node || r.nodes.includes(filter.node);
  const kept = shipments.filter(
    (s) =>
      (!filter.corridor || s.corridor === filter.corridor) &&
      (!filter.node || s.places.some((p) => p.nodeId === filter.node)) &&
      s.rides.some(byOperator),
  );

  const volumes = new Map<string, number>();
  const transit = new Map<string, number[]>();
  const dwell = new Map<string, number[]>();
  const borders = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, x: number) => {
    const xs = map.get(key);
    if (xs) xs.push(x);
    else map.set(key, [x]);
  };
  let arrived = 0;
  let onTime = 0;
  const emissions = { shipments: 0, teuKm: 0, co2eKg: 0 };

  for (const s of kept) {
    for (const r of s.rides)
      if (
        r.plannedDeparture !== null &&
        inPeriod(r.plannedDeparture) &&
        byOperator(r) &&
        byNode(r)
      ) {
        const key = `${isoWeek(r.plannedDeparture)}${SEP}${r.from} → ${r.to}`;
        volumes.set(key, (volumes.get(key) ?? 0) + s.teu);
      }
    const start = s.rides[0]?.plannedDeparture ?? null;
    if (s.tonnes !== null && start !== null && inPeriod(start)) {
      emissions.shipments++;
      emissions.teuKm += s.teu * s.rides.reduce((sum, r) => sum + r.distanceKm, 0);
      emissions.co2eKg += s.tonnes * s.rides.reduce((sum, r) => sum + r.kgCo2ePerTonne, 0);
    }
    const events = [...s.events].sort((a, b) => a.at - b.at);
    const departed = events.find((e) => e.code === 'DEPA' && e.location === s.origin.locode);
    const arrival = events.findLast(
      (e) => e.code === 'ARRI' && e.location === s.destination.locode,
    );
    if (departed && arrival && arrival.at > departed.at && inPeriod(arrival.at)) {
      add(
        transit,
        `${s.origin.nodeId}${SEP}${s.destination.nodeId}`,
        (arrival.at - departed.at) / DAY,
      );
      if (s.promisedArrival !== null) {
        arrived++;
        if (arrival.at <= s.promisedArrival) onTime++;
      }
    }
    // Visits in route order: an arrival and the next departure at the same place.
    let next = 0;
    events.forEach((e, i) => {
      if (e.code !== 'ARRI' || e.location === null) return;
      const at = s.places.findIndex((p, k) => k >= next && p.locode === e.location);
      if (at < 0) return;
      next = at + 1;
      const place = s.places[at]!;
      const dep = events.slice(i + 1).find((x) => x.code === 'DEPA');
      if (!dep || dep.location !== e.location || !inPeriod(dep.at)) return;
      if (filter.node && place.nodeId !== filter.node) return;
      const hours = (dep.at - e.at) / HOUR;
      add(dwell, [e.location, place.nodeId, place.operation].join(SEP), hours);
      if (place.border) add(borders, [place.border, place.nodeId, e.location].join(SEP), hours);
    });
  }

  const stats = (xs: number[]) => {
    const sorted = xs.sort((a, b) => a - b);
    return { p50Hours: round(quantile(sorted, 0.5)), p90Hours: round(quantile(sorted, 0.9)) };
  };
  const split = (k: string) => k.split(SEP) as [string, string, string];
  return {
    volumes: [...volumes]
      .map(([k, teu]) => {
        const [week, segment] = split(k);
        return { week, segment, teu };
      })
      .sort((a, b) => a.week.localeCompare(b.week) || a.segment.localeCompare(b.segment)),
    transit: [...transit]
      .map(([k, xs]) => {
        const [from, to] = split(k);
        const s = stats(xs);
        return { from, to, shipments: xs.length, p50Days: s.p50Hours, p90Days: s.p90Hours };
      })
      .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
    dwell: [...dwell]
      .map(([k, xs]) => {
        const [location, nodeId, operation] = split(k);
        return { location, nodeId, operation, visits: xs.length, ...stats(xs) };
      })
      .sort((a, b) => a.location.localeCompare(b.location) || a.nodeId.localeCompare(b.nodeId)),
    borders: [...borders]
      .map(([k, xs]) => {
        const [border, nodeId, location] = split(k);
        return { border, nodeId, location, crossings: xs.length, ...stats(xs) };
      })
      .sort((a, b) => a.border.localeCompare(b.border) || a.nodeId.localeCompare(b.nodeId)),
    onTime: { shipments: arrived, onTime, share: arrived > 0 ? round(onTime / arrived) : null },
    emissions: {
      shipments: emissions.shipments,
      teuKm: Math.round(emissions.teuKm),
      co2eKg: Math.round(emissions.co2eKg),
      gCo2ePerTeuKm:
        emissions.teuKm > 0 ? round((emissions.co2eKg * 1000) / emissions.teuKm) : null,
    },
  };
}
