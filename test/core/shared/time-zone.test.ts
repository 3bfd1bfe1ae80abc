import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatLocal,
  isIsoDate,
  isTimeZone,
  placeTime,
  weekdayOf,
  zonedToUtc,
} from '../../../src/core/shared/time-zone.ts';

const utc = (s: string) => Date.parse(s);

describe('zonedToUtc', () => {
  it('turns a local departure in China, Kazakhstan and Azerbaijan into UTC', () => {
    expect(zonedToUtc('2026-12-01', 9 * 60, 'Asia/Shanghai')).toBe(utc('2026-12-01T01:00Z'));
    // Kazakhstan has been on UTC+5 throughout since March 2024.
    expect(zonedToUtc('2026-12-01', 9 * 60, 'Asia/Almaty')).toBe(utc('2026-12-01T04:00Z'));
    expect(zonedToUtc('2026-12-01', 18 * 60, 'Asia/Aqtau')).toBe(utc('2026-12-01T13:00Z'));
    expect(zonedToUtc('2026-12-01', 0, 'Asia/Baku')).toBe(utc('2026-11-30T20:00Z'));
  });

  it('follows daylight saving time in Europe', () => {
    expect(zonedToUtc('2026-07-01', 10 * 60, 'Europe/Berlin')).toBe(utc('2026-07-01T08:00Z'));
    expect(zonedToUtc('2026-12-01', 10 * 60, 'Europe/Berlin')).toBe(utc('2026-12-01T09:00Z'));
  });

  it('moves a wall time skipped by the spring-forward jump to just after it', () => {
    // 2026-03-29 02:30 does not exist in Berlin; 03:30 CEST is 01:30Z.
    expect(zonedToUtc('2026-03-29', 2 * 60 + 30, 'Europe/Berlin')).toBe(utc('2026-03-29T01:30Z'));
  });

  it('takes the first of two repeated wall times in autumn', () => {
    // 2026-10-25 02:30 happens twice in Berlin: first at 00:30Z (CEST).
    expect(zonedToUtc('2026-10-25', 2 * 60 + 30, 'Europe/Berlin')).toBe(utc('2026-10-25T00:30Z'));
  });
});

describe('dates and zones', () => {
  it('formats an instant in local time with its offset', () => {
    expect(formatLocal(utc('2026-12-01T01:00Z'), 'Asia/Shanghai')).toBe('2026-12-01T09:00+08:00');
    expect(formatLocal(utc('2026-12-01T01:00Z'), 'Europe/London')).toBe('2026-12-01T01:00+00:00');
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2026-12-01')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('01.12.2026')).toBe(false);
  });

  it('knows IANA zones and rejects made-up ones', () => {
    expect(isTimeZone('Asia/Tbilisi')).toBe(true);
    expect(isTimeZone('Asia/Atlantis')).toBe(false);
  });

  it('steps across month and year ends and knows the weekday', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(weekdayOf('2026-12-01')).toBe(2); // a Tuesday
  });
});

describe('placeTime', () => {
  it('reads an instant on the place’s own clock, with its offset', () => {
    expect(placeTime(utc('2026-12-19T04:00Z'), 'Asia/Baku')).toBe('2026-12-19 08:00 (UTC+04:00)');
    expect(placeTime(utc('2026-12-31T20:37Z'), 'Asia/Shanghai')).toBe(
      '2027-01-01 04:37 (UTC+08:00)',
    );
    expect(placeTime(utc('2026-12-01T09:00Z'), 'UTC')).toBe('2026-12-01 09:00 (UTC+00:00)');
  });
});
