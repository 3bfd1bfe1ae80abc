import type { Clock } from '../../src/app/ports.ts';

/**
 * The instant the in-process tests run at: a Monday before the December departures they plan
 * and book. Everything they ask of the platform (plans, holds, sessions, arrivals) is judged by
 * this clock, never by the machine's, so they give the same answers on any day they run.
 */
export const TEST_NOW = '2026-11-30T08:00:00Z';

/** A clock the test moves by hand. */
export function manualClock(start = new Date(TEST_NOW)): Clock & { advance(ms: number): void } {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

/** A clock standing at one instant. */
export function fixedClock(at: string | Date = TEST_NOW): Clock {
  const t = new Date(at).getTime();
  return { now: () => new Date(t) };
}
