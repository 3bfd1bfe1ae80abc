import type { EpochMs } from '../shared/units.ts';

/**
 * Corridor KPIs from the platform's own shipments and their actual (ACT) transport events:
 * volumes in TEU per ISO week and segment (by planned departure), door-to-door transit P50/P90
 * per origin–destination (actual departure from the origin to actual arrival at the
 * destination), dwell P50/P90 per place (actual arrival to actual departure there; at border
 * crossings the CAREC "time to cross"), and the share arriving by the date promised at booking.
 * Pure.
 */

export interface KpiEvent {
  code: string;
  at: EpochMs;
  location: string | null;
}

export interface KpiShipment {
  id: string;
  teu: number;
  origin: { nodeId: string; locode: string | null };
  destination: { nodeId: string; locode: string | null };
  rides: { from: string; to: string; plannedDeparture: EpochMs | null }[];
  promisedArrival: EpochMs | null;
  /** Actual transport events (ARRI, DEPA), any order. */
  events: KpiEvent[];
}

export interface Kpis {
  volumes: { week: string; segment: string; teu: number }[];
  transit: { from: string; to: string; shipments: number; p50Days: number; p90Days: number }[];
  dwell: { location: string; visits: number; p50Hours: number; p90Hours: number }[];
  onTime: { shipments: number; onTime: number; share: number | null };
}

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

export function kpis(
  shipments: readonly KpiShipment[],
  period: { from: EpochMs; to: EpochMs },
): Kpis {
  const inPeriod = (t: EpochMs) => t >= period.from && t < period.to;

  const volumes = new Map<string, number>();
  const transit = new Map<string, number[]>();
  const dwell = new Map<string, number[]>();
  let arrived = 0;
  let onTime = 0;

  for (const s of shipments) {
    for (const r of s.rides)
      if (r.plannedDeparture !== null && inPeriod(r.plannedDeparture)) {
        const key = `${isoWeek(r.plannedDeparture)}\u0000${r.from} → ${r.to}`;
        volumes.set(key, (volumes.get(key) ?? 0) + s.teu);
      }
    const events = [...s.events].sort((a, b) => a.at - b.at);
    const departed = events.find((e) => e.code === 'DEPA' && e.location === s.origin.locode);
    const arrival = events.findLast(
      (e) => e.code === 'ARRI' && e.location === s.destination.locode,
    );
    if (departed && arrival && arrival.at > departed.at && inPeriod(arrival.at)) {
      const key = `${s.origin.nodeId}\u0000${s.destination.nodeId}`;
      transit.set(key, [...(transit.get(key) ?? []), (arrival.at - departed.at) / DAY]);
      if (s.promisedArrival !== null) {
        arrived++;
        if (arrival.at <= s.promisedArrival) onTime++;
      }
    }
    events.forEach((e, i) => {
      if (e.code !== 'ARRI' || e.location === null) return;
      const dep = events.slice(i + 1).find((x) => x.code === 'DEPA');
      if (dep && dep.location === e.location && inPeriod(dep.at))
        dwell.set(e.location, [...(dwell.get(e.location) ?? []), (dep.at - e.at) / HOUR]);
    });
  }

  const stats = (xs: number[]) => {
    const sorted = xs.sort((a, b) => a - b);
    return {
      n: sorted.length,
      p50: round(quantile(sorted, 0.5)),
      p90: round(quantile(sorted, 0.9)),
    };
  };
  return {
    volumes: [...volumes]
      .map(([k, teu]) => {
        const [week, segment] = k.split('\u0000') as [string, string];
        return { week, segment, teu };
      })
      .sort((a, b) => a.week.localeCompare(b.week) || a.segment.localeCompare(b.segment)),
    transit: [...transit]
      .map(([k, xs]) => {
        const [from, to] = k.split('\u0000') as [string, string];
        const s = stats(xs);
        return { from, to, shipments: s.n, p50Days: s.p50, p90Days: s.p90 };
      })
      .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
    dwell: [...dwell]
      .map(([location, xs]) => {
        const s = stats(xs);
        return { location, visits: s.n, p50Hours: s.p50, p90Hours: s.p90 };
      })
      .sort((a, b) => a.location.localeCompare(b.location)),
    onTime: { shipments: arrived, onTime, share: arrived > 0 ? round(onTime / arrived) : null },
  };
}
