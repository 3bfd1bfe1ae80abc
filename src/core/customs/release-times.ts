import type { EpochMs } from '../shared/units.ts';
import type { Lane } from './risk.ts';

/**
 * Release-time measurement after the WCO Time Release Study (standards.md §1.3, TFA 7.6): per
 * office and lane, the time from the box's arrival to release, from lodgement to the risk
 * decision and from lodgement to release, as P50/P90 hours; the share of each lane; and
 * authorised economic operators against the others. A declaration lodged before arrival has its
 * release measured from arrival: that is the wait the trader sees at the border. Pure.
 */

export interface TimedSegment {
  office: string;
  lane: Lane | null;
  aeo: boolean;
  lodgedAt: EpochMs;
  arrivedAt: EpochMs | null;
  assessedAt: EpochMs | null;
  releasedAt: EpochMs | null;
}

export interface Spread {
  count: number;
  p50Hours: number | null;
  p90Hours: number | null;
}

export interface ReleaseTimeRow {
  office: string;
  lane: Lane | 'all';
  segments: number;
  /** Share of the office's assessed segments in this lane. */
  share: number;
  arrivalToRelease: Spread;
  lodgementToDecision: Spread;
  lodgementToRelease: Spread;
}

export interface ReleaseTimes {
  rows: ReleaseTimeRow[];
  aeo: { arrivalToRelease: Spread; share: number };
  others: { arrivalToRelease: Spread };
}

const HOUR = 3_600_000;

/** P50/P90 of durations in hours, nearest rank. */
export function spread(durationsMs: readonly number[]): Spread {
  if (durationsMs.length === 0) return { count: 0, p50Hours: null, p90Hours: null };
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]! / HOUR;
  return { count: sorted.length, p50Hours: round2(at(0.5)), p90Hours: round2(at(0.9)) };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function durations(
  segments: readonly TimedSegment[],
  from: (s: TimedSegment) => EpochMs | null,
  to: (s: TimedSegment) => EpochMs | null,
): number[] {
  const out: number[] = [];
  for (const s of segments) {
    const a = from(s);
    const b = to(s);
    if (a !== null && b !== null) out.push(Math.max(0, b - a));
  }
  return out;
}

/** The release-time table of these segments, offices in code order, lanes green to red. Pure. */
export function releaseTimes(segments: readonly TimedSegment[]): ReleaseTimes {
  const offices = [...new Set(segments.map((s) => s.office))].sort();
  const rows: ReleaseTimeRow[] = [];
  const row = (office: string, lane: Lane | 'all', of: readonly TimedSegment[], assessed: number) =>
    rows.push({
      office,
      lane,
      segments: of.length,
      share: assessed === 0 ? 0 : round2(of.length / assessed),
      arrivalToRelease: spread(
        durations(
          of,
          (s) => s.arrivedAt,
          (s) => s.releasedAt,
        ),
      ),
      lodgementToDecision: spread(
        durations(
          of,
          (s) => s.lodgedAt,
          (s) => s.assessedAt,
        ),
      ),
      lodgementToRelease: spread(
        durations(
          of,
          (s) => s.lodgedAt,
          (s) => s.releasedAt,
        ),
      ),
    });
  for (const office of offices) {
    const here = segments.filter((s) => s.office === office);
    const assessed = here.filter((s) => s.lane !== null);
    // Every segment of the office, assessed or still waiting: all of them, 100 %.
    row(office, 'all', here, here.length);
    for (const lane of ['green', 'blue', 'yellow', 'red'] as const) {
      const inLane = assessed.filter((s) => s.lane === lane);
      if (inLane.length > 0) row(office, lane, inLane, assessed.length);
    }
  }
  const arrivalToRelease = (of: readonly TimedSegment[]) =>
    spread(
      durations(
        of,
        (s) => s.arrivedAt,
        (s) => s.releasedAt,
      ),
    );
  const aeo = segments.filter((s) => s.aeo);
  return {
    rows,
    aeo: {
      arrivalToRelease: arrivalToRelease(aeo),
      share: segments.length === 0 ? 0 : round2(aeo.length / segments.length),
    },
    others: { arrivalToRelease: arrivalToRelease(segments.filter((s) => !s.aeo)) },
  };
}
