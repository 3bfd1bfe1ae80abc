import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateTimetable, type Trip } from '../../../src/core/network/timetable.ts';
import { WEEKDAYS } from '../../../src/core/network/schema.ts';
import type { Service } from '../../../src/core/network/network.ts';
import { referenceNetwork } from '../../support/network-files.ts';

const network = referenceNetwork();
const YEAR = { from: '2026-12-01', days: 365 };

/** Local wall clock of an instant, `YYYY-MM-DD HH:MM`, computed independently of the code under test. */
function wall(instant: number, zone: string): string {
  return new Date(instant).toLocaleString('sv-SE', { timeZone: zone }).slice(0, 16);
}

function datesOf(from: string, days: number): string[] {
  const start = Date.parse(`${from}T00:00Z`);
  return Array.from({ length: days }, (_, i) =>
    new Date(start + i * 86_400_000).toISOString().slice(0, 10),
  );
}

/** Departures the pattern promises in the window, counted straight from the data. */
function expectedCount(service: Service, from: string, days: number): number {
  const zone = network.nodes.get(service.stops[0]!.nodeId)!.timeZone;
  const dates = new Set(
    datesOf(from, days).filter(
      (d) => d >= service.validFrom && (service.validTo === undefined || d <= service.validTo),
    ),
  );
  const p = service.pattern;
  if ('weekly' in p) {
    return [...dates].reduce((n, d) => {
      const wd = WEEKDAYS[new Date(`${d}T12:00Z`).getUTCDay()];
      return n + p.weekly.filter((x) => x.weekday === wd).length;
    }, 0);
  }
  // Walk the frequency from its anchor (local wall time at the origin) across the window.
  const [date, time] = p.anchor.split('T') as [string, string];
  const offsetGuess = Date.parse(`${date}T${time}Z`);
  let anchor = offsetGuess;
  for (let i = 0; i < 2; i++)
    anchor = offsetGuess - (Date.parse(`${wall(anchor, zone).replace(' ', 'T')}Z`) - anchor);
  const step = p.everyHours * 3_600_000;
  let n = 0;
  const lo = Date.parse(`${from}T00:00Z`) - 2 * 86_400_000;
  const hi = lo + (days + 4) * 86_400_000;
  for (let t = anchor + Math.ceil((lo - anchor) / step) * step; t < hi; t += step) {
    if (dates.has(wall(t, zone).slice(0, 10))) n++;
  }
  return n;
}

describe('generateTimetable over a full year', () => {
  const trips = generateTimetable(network, YEAR);
  const byService = new Map<string, Trip[]>();
  for (const t of trips) byService.set(t.serviceId, [...(byService.get(t.serviceId) ?? []), t]);

  it('gives every service exactly the departures its weekly pattern or frequency promises', () => {
    for (const service of network.services.values()) {
      expect(byService.get(service.id)?.length ?? 0, service.id).toBe(
        expectedCount(service, YEAR.from, YEAR.days),
      );
    }
    // Checks a reader can do by hand: 365 days from Tuesday 2026-12-01 are 52 weeks and one
    // extra Tuesday, so weekday feeders sail 52 x 5 + 1 times and the Tuesday train runs 53 times.
    expect(byService.get('SVC_FEEDER_AKTAU_ALAT')).toHaveLength(261);
    expect(byService.get('SVC_ADY_EXPRESS_ALAT_POTI')).toHaveLength(53);
  });

  it('departs at the pattern time in the origin time zone', () => {
    for (const t of byService.get('SVC_FEEDER_AKTAU_ALAT')!) {
      expect(wall(t.departure, 'Asia/Aqtau').slice(11)).toBe('18:00');
      const wd = new Date(`${t.serviceDate}T12:00Z`).getUTCDay();
      expect(wd >= 1 && wd <= 5, t.id).toBe(true);
    }
    const first = byService.get('SVC_QILU_SCODA_CENTRAL_ASIA')![0]!;
    expect(first.id).toBe('SVC_QILU_SCODA_CENTRAL_ASIA@2026-12-01T0900');
    expect(new Date(first.departure).toISOString()).toBe('2026-12-01T01:00:00.000Z');
  });

  it('keeps each trip in time order, with the stops, running times and capacity of its service', () => {
    for (const t of trips) {
      const service = network.services.get(t.serviceId)!;
      expect(t.stopTimes.map((s) => s.nodeId)).toEqual(service.stops.map((s) => s.nodeId));
      expect(t.capacityTeu).toBe(service.capacityTeu);
      const times = t.stopTimes.flatMap((s) => [s.arrival, s.departure]).filter((x) => x !== null);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(t.stopTimes[0]!.arrival).toBeNull();
      expect(t.stopTimes.at(-1)!.departure).toBeNull();
      expect(t.arrival - t.departure).toBe(service.stops.at(-1)!.arrivalOffsetHours! * 3_600_000);
    }
  });

  it('is sorted by departure and has unique trip ids', () => {
    expect(trips.map((t) => t.departure)).toEqual(
      [...trips].map((t) => t.departure).sort((a, b) => a - b),
    );
    expect(new Set(trips.map((t) => t.id)).size).toBe(trips.length);
  });

  it('gives the same trips for the same query', () => {
    expect(generateTimetable(network, YEAR)).toEqual(trips);
  });

  it('restricts to the services asked for', () => {
    const only = generateTimetable(network, { ...YEAR, serviceIds: ['SVC_TURKMENBASHI_ALAT'] });
    expect(new Set(only.map((t) => t.serviceId))).toEqual(new Set(['SVC_TURKMENBASHI_ALAT']));
    expect(only).toHaveLength(365);
  });
});

describe('generateTimetable validity', () => {
  it('runs a service only between its first and last service day', () => {
    // ADY Express weekly trains started at the end of January 2026 (reference.md §3.2 [S46]).
    const january = generateTimetable(network, {
      from: '2026-01-01',
      days: 60,
      serviceIds: ['SVC_ADY_EXPRESS_ALAT_POTI'],
    });
    expect(january.map((t) => t.serviceDate)[0]).toBe('2026-02-03');
    // The reference services have no last day: they run on, years ahead.
    const later = generateTimetable(network, { from: '2031-12-25', days: 14 });
    expect(new Set(later.map((t) => t.serviceId)).size).toBe(network.services.size);
    // A service published with a last day stops after it.
    const service = network.services.get('SVC_ADY_EXPRESS_ALAT_POTI')!;
    const ending = {
      ...network,
      services: new Map([[service.id, { ...service, validTo: '2027-12-31' }]]),
    };
    const after = generateTimetable(ending, { from: '2027-12-18', days: 30 });
    expect(after.map((t) => t.serviceDate)).toEqual(['2027-12-21', '2027-12-28']);
  });
});

describe('generateTimetable windows', () => {
  const ids = (ts: Trip[]) => ts.map((t) => t.id);

  it('splits: the trips of [a, c) are those of [a, b) followed by those of [b, c)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        (offset, d1, d2) => {
          const a = new Date(Date.UTC(2026, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
          const b = new Date(Date.parse(`${a}T00:00Z`) + d1 * 86_400_000)
            .toISOString()
            .slice(0, 10);
          const whole = generateTimetable(network, { from: a, days: d1 + d2 });
          const parts = [
            ...generateTimetable(network, { from: a, days: d1 }),
            ...generateTimetable(network, { from: b, days: d2 }),
          ];
          expect(new Set(ids(whole))).toEqual(new Set(ids(parts)));
          expect(whole).toHaveLength(parts.length);
        },
      ),
      { numRuns: 25 },
    );
  });
});
