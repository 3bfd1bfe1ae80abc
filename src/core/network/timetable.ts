import { MS_PER_DAY, MS_PER_HOUR, type EpochMs, type IsoDate, type Teu } from '../shared/units.ts';
import { addDays, dateToUtcMs, utcOffsetMs, weekdayOf, zonedToUtc } from '../shared/time-zone.ts';
import { WEEKDAYS } from './schema.ts';
import type { Network, Service } from './network.ts';

/** A stop of one concrete trip. Times are UTC instants; null where the trip starts or ends. */
export interface StopTime {
  nodeId: string;
  arrival: EpochMs | null;
  departure: EpochMs | null;
}

/** One concrete departure of a service (GTFS "trip"), with its capacity. */
export interface Trip {
  /** `${serviceId}@${origin local date}T${HHMM}`: stable for the same network and departure. */
  id: string;
  serviceId: string;
  /** The origin's local calendar date of departure (the service day). */
  serviceDate: IsoDate;
  departure: EpochMs;
  arrival: EpochMs;
  capacityTeu: Teu;
  stopTimes: readonly StopTime[];
}

export interface TimetableQuery {
  /** First service day, a local date at each service's origin. */
  from: IsoDate;
  /** Number of service days; the window is [from, from + days). */
  days: number;
  /** Restrict to these services; all services when absent. */
  serviceIds?: readonly string[];
}

/**
 * The concrete trips of the network's services whose origin departure falls on a local date in
 * [from, from + days) at the origin node and within the service's validity. Deterministic and pure: the same network and query
 * give the same trips, sorted by departure instant, then service id. An unknown service id in
 * the query contributes no trips (the caller validates ids).
 */
export function generateTimetable(network: Network, query: TimetableQuery): Trip[] {
  const trips: Trip[] = [];
  const wanted = query.serviceIds ? new Set(query.serviceIds) : undefined;
  for (const service of network.services.values()) {
    if (wanted && !wanted.has(service.id)) continue;
    const zone = network.nodes.get(service.stops[0]!.nodeId)!.timeZone;
    // Clip the window to the service's validity.
    const from = query.from > service.validFrom ? query.from : service.validFrom;
    const end = addDays(query.from, query.days);
    const last =
      service.validTo === undefined || end <= service.validTo ? end : addDays(service.validTo, 1);
    if (last <= from) continue;
    const days = Math.round((dateToUtcMs(last) - dateToUtcMs(from)) / MS_PER_DAY);
    for (const departure of departuresOf(service, zone, from, days)) {
      trips.push(tripAt(service, departure));
    }
  }
  return trips.sort((a, b) => a.departure - b.departure || cmp(a.serviceId, b.serviceId));
}

/**
 * A departure of the timetable from its trip id (`SERVICE@YYYY-MM-DDTHHMM`, as the timetable and
 * the planner give it), or undefined when the network has no such trip.
 */
export function findTrip(network: Network, tripId: string): Trip | undefined {
  const m = /^([A-Z0-9_]+)@(\d{4}-\d{2}-\d{2})T\d{4}$/.exec(tripId);
  if (!m || !network.services.has(m[1]!)) return undefined;
  return generateTimetable(network, { from: m[2]!, days: 1, serviceIds: [m[1]!] }).find(
    (t) => t.id === tripId,
  );
}

/** An origin departure: the instant and its local date-time at the origin, `YYYY-MM-DDTHHMM`. */
interface Departure {
  at: EpochMs;
  local: string;
}

/** Origin departures of a service whose local date is in [from, from + days). */
function departuresOf(service: Service, zone: string, from: IsoDate, days: number): Departure[] {
  const out: Departure[] = [];
  const pattern = service.pattern;
  if ('weekly' in pattern) {
    const byWeekday = WEEKDAYS.map((_, wd) =>
      pattern.weekly
        .filter((d) => WEEKDAYS.indexOf(d.weekday) === wd)
        .map((d) => minuteOfDay(d.time))
        .sort((a, b) => a - b),
    );
    let wd = weekdayOf(from);
    for (let i = 0; i < days; i++, wd = (wd + 1) % 7) {
      const minutes = byWeekday[wd]!;
      if (minutes.length === 0) continue;
      const date = addDays(from, i);
      for (const m of minutes)
        out.push({ at: zonedToUtc(date, m, zone), local: `${date}T${hhmm(m)}` });
    }
    return out;
  }
  const step = pattern.everyHours * MS_PER_HOUR;
  const anchor = zonedToUtc(
    pattern.anchor.slice(0, 10),
    minuteOfDay(pattern.anchor.slice(11)),
    zone,
  );
  const end = addDays(from, days);
  // Start a day early and end a day late in UTC, then keep the departures whose local date is
  // inside the window: zones are at most 14 h away from UTC.
  const lo = dateToUtcMs(from) - 86_400_000;
  const hi = dateToUtcMs(end) + 86_400_000;
  for (let t = anchor + Math.ceil((lo - anchor) / step) * step; t < hi; t += step) {
    const local = new Date(t + utcOffsetMs(t, zone)).toISOString();
    const d = local.slice(0, 10);
    if (d >= from && d < end)
      out.push({ at: t, local: `${d}T${local.slice(11, 13)}${local.slice(14, 16)}` });
  }
  return out;
}

function tripAt(service: Service, { at: departure, local }: Departure): Trip {
  const stopTimes: StopTime[] = service.stops.map((s) => ({
    nodeId: s.nodeId,
    arrival: s.arrivalOffsetHours === null ? null : departure + s.arrivalOffsetHours * MS_PER_HOUR,
    departure:
      s.departureOffsetHours === null ? null : departure + s.departureOffsetHours * MS_PER_HOUR,
  }));
  return {
    id: `${service.id}@${local}`,
    serviceId: service.id,
    serviceDate: local.slice(0, 10),
    departure,
    arrival: stopTimes.at(-1)!.arrival!,
    capacityTeu: service.capacityTeu,
    stopTimes,
  };
}

function hhmm(minuteOfDay: number): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  return `${h < 10 ? '0' : ''}${h}${m < 10 ? '0' : ''}${m}`;
}

function minuteOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
