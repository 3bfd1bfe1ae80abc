import { MS_PER_DAY, type EpochMs, type IsoDate } from './units.ts';

/**
 * Time-zone arithmetic on IANA zone names through the ECMAScript Intl API (pure: no clock,
 * no I/O). Formatters are cached per zone because constructing one costs far more than using it.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA time-zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an instant in a zone. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: EpochMs, zone: string): WallClock {
  const w: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(zone).formatToParts(instant)) {
    if (part.type in w) w[part.type as keyof WallClock] = Number(part.value);
  }
  return w;
}

/** Offsets already computed, per zone and quarter hour (no zone changes offset inside one). */
const offsets = new Map<string, number>();
const QUARTER_HOUR = 900_000;

/** The zone's offset from UTC at `instant`, in milliseconds (positive east of Greenwich). */
export function utcOffsetMs(instant: EpochMs, zone: string): number {
  const key = `${zone}|${Math.floor(instant / QUARTER_HOUR)}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const w = wallClock(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const offset = asUtc - Math.floor(instant / 1000) * 1000;
  if (offsets.size > 100_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/**
 * The instant at which the wall clock in `zone` shows the given local date and minute of day.
 * A wall time skipped by a daylight-saving jump resolves to the instant just after the jump
 * (02:30 on a spring-forward night becomes 03:30); a repeated one resolves to its first occurrence.
 */
export function zonedToUtc(date: IsoDate, minuteOfDay: number, zone: string): EpochMs {
  const wall = dateToUtcMs(date) + minuteOfDay * 60_000;
  // Offsets a day before and after: the two sides of any transition near this wall time.
  const before = wall - utcOffsetMs(wall - MS_PER_DAY, zone);
  const after = wall - utcOffsetMs(wall + MS_PER_DAY, zone);
  const shows = (t: EpochMs) => t + utcOffsetMs(t, zone) === wall;
  const first = Math.min(before, after);
  if (shows(first)) return first;
  const second = Math.max(before, after);
  if (shows(second)) return second;
  // Skipped wall time: read it with the offset in force before the jump.
  return before;
}

/**
 * `instant` as an ISO 8601 local date-time with its UTC offset in `zone`,
 * for example `2026-12-01T09:00+08:00`. Seconds are dropped.
 */
export function formatLocal(instant: EpochMs, zone: string): string {
  const w = wallClock(instant, zone);
  const offsetMin = Math.round(utcOffsetMs(instant, zone) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return (
    `${w.year}-${pad2(w.month)}-${pad2(w.day)}T${pad2(w.hour)}:${pad2(w.minute)}` +
    `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
  );
}

/** `2026-12-19 08:00 (UTC+04:00)`: an instant on a place's own clock, for people to read. */
export function placeTime(instant: EpochMs, zone: string): string {
  const s = formatLocal(instant, zone);
  return `${s.slice(0, 10)} ${s.slice(11, 16)} (UTC${s.slice(16)})`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `s` is a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Midnight UTC of a YYYY-MM-DD date. The caller guarantees the date is valid. */
export function dateToUtcMs(date: IsoDate): EpochMs {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

/** The date `days` after `date` (negative goes back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(dateToUtcMs(date) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day of the week of a date: 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(date: IsoDate): number {
  return new Date(dateToUtcMs(date)).getUTCDay();
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
