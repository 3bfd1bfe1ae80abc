import type { PlanError } from '../api/plan.ts';
import { addDays, isIsoDate, zonedToUtc } from '../core/shared/time-zone.ts';
import { MS_PER_DAY, type EpochMs, type IsoDate } from '../core/shared/units.ts';

/**
 * The planner's dates: a departure or arrive-by date (the whole local day at the place) or an
 * ISO 8601 instant, checked against now and the period the timetables are planned for; each
 * problem reported as an error value.
 */

/** Instants within a day before now count as now (a client's clock may be behind). */
const PAST_TOLERANCE_MS = MS_PER_DAY;

export function parseWhen(
  value: string,
  zone: string,
  side: 'start' | 'end',
  field: 'depart' | 'arriveBy',
  when: { period: { from: IsoDate; to: IsoDate }; now: EpochMs; lastInstant: EpochMs },
  fail: (code: PlanError['code'], field: string | null, message: string) => void,
): EpochMs | undefined {
  const { period, now } = when;
  let date: string;
  let instant: EpochMs;
  if (isIsoDate(value)) {
    date = value;
    instant =
      zonedToUtc(side === 'start' ? value : addDays(value, 1), 0, zone) - (side === 'end' ? 1 : 0);
  } else if (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  ) {
    instant = Date.parse(value);
    date = new Date(instant).toISOString().slice(0, 10);
  } else {
    fail(
      'invalid_date',
      field,
      `"${value}" is not a date YYYY-MM-DD or an ISO 8601 time with zone`,
    );
    return undefined;
  }
  // A date has passed when its whole local day has; an instant, a day after it.
  const over = isIsoDate(value)
    ? zonedToUtc(addDays(value, 1), 0, zone)
    : instant + PAST_TOLERANCE_MS;
  if (over <= now) {
    fail(
      'invalid_date',
      field,
      `${value} has passed; plan from today (${new Date(now).toISOString().slice(0, 10)}) or later`,
    );
    return undefined;
  }
  // Departures for the next twelve months; arrivals up to the horizon after the last of them.
  if (field === 'depart' ? date > period.to : instant >= when.lastInstant) {
    fail(
      'outside_timetable',
      field,
      `${date} is beyond the timetables, which are planned to ${period.to}, twelve months ahead`,
    );
    return undefined;
  }
  return instant;
}
