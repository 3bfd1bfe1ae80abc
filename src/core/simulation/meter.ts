/**
 * What the simulation measures of each resource: arrivals, waits, time at the resource and what
 * is there day by day, over the measured window (after the warm-up). Nothing is allocated per
 * container: waits go into a typed array sized for the expected arrivals.
 */

/** A growing list of numbers in a typed array, sized up front for the expected count. */
export class Samples {
  private values: Float64Array;
  length = 0;

  constructor(expected: number) {
    this.values = new Float64Array(Math.max(16, Math.ceil(expected)));
  }

  push(x: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = x;
  }

  /** The value pushed `i`-th (before any sorting). */
  at(i: number): number {
    return this.values[i]!;
  }

  /** The values in ascending order (sorted in place), and their sum taken in that order. */
  sorted(): { values: Float64Array; sum: number } {
    const values = sortAscending(this.values.subarray(0, this.length));
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i]!;
    return { values, sum };
  }
}

/**
 * Sorts in place, ascending, in time linear in the count: a radix sort on the bits of the
 * numbers, which for numbers of one sign (waits and transit times are never negative) are in
 * the same order as the numbers. Others (and short lists) go to the built-in sort.
 */
function sortAscending(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < 256) return values.sort();
  const bytes = new Uint8Array(values.buffer, values.byteOffset, 8 * n);
  // One histogram per byte (the lowest first), all counted in one pass.
  const counts = new Int32Array(8 * 256);
  for (let i = 0; i < 8 * n; i += 8) {
    if (bytes[i + 7]! >= 128) return values.sort();
    for (let k = 0; k < 8; k++) counts[256 * k + bytes[i + k]!]!++;
  }
  let from: Float64Array = values;
  let fromBytes: Uint8Array = bytes;
  let to: Float64Array = new Float64Array(n);
  let toBytes: Uint8Array = new Uint8Array(to.buffer);
  for (let k = 0; k < 8; k++) {
    const base = 256 * k;
    // A pass where every number has the same byte changes nothing.
    let single = false;
    let offset = 0;
    for (let d = 0; d < 256; d++) {
      const c = counts[base + d]!;
      if (c === n) single = true;
      counts[base + d] = offset;
      offset += c;
    }
    if (single) continue;
    for (let i = 0; i < n; i++) to[counts[base + fromBytes[8 * i + k]!]!++] = from[i]!;
    const f = from;
    from = to;
    to = f;
    const fb = fromBytes;
    fromBytes = toBytes;
    toBytes = fb;
  }
  if (from !== values) values.set(from);
  return values;
}

export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const MONTH_OF_YEAR_DAY: readonly number[] = [
  31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
].flatMap((n, m) => Array<number>(n).fill(m));

/** Statistics of one resource over the measured window [from, to]. */
export class Meter {
  arrivals = 0;
  private inside = 0;
  private lastChange = 0;
  private area = 0;
  max = 0;
  readonly waits: Samples;
  stays = 0;
  left = 0;
  readonly byDay: number[] = [];
  busy = 0;
  offered = 0;
  /** Waits ended in each calendar month (January first): their sum of hours and count. */
  readonly waitHoursByMonth = new Float64Array(12);
  readonly waitsByMonth = new Float64Array(12);
  /** The waits ended in each calendar month. */
  readonly waitsInMonth: Samples[];

  constructor(
    private readonly from: number,
    expectedArrivals: number,
    /** Days from the start of the run to 1 January of the measured period. */
    private readonly warmupDays = 0,
  ) {
    this.waits = new Samples(expectedArrivals);
    this.waitsInMonth = Array.from({ length: 12 }, () => new Samples(expectedArrivals / 10));
  }

  private integrate(now: number): void {
    const start = Math.max(this.lastChange, this.from);
    if (now > start) this.area += this.inside * (now - start);
    this.lastChange = now;
  }

  enter(now: number): void {
    this.integrate(now);
    this.inside++;
    if (now >= this.from) {
      this.arrivals++;
      this.max = Math.max(this.max, this.inside);
    }
  }

  /** A container that came at `enteredAt` leaves. */
  leave(now: number, enteredAt: number): void {
    this.integrate(now);
    this.inside--;
    if (enteredAt >= this.from) {
      this.stays += now - enteredAt;
      this.left++;
    }
  }

  /** A container that came at `enteredAt` starts its service (or leaves the queue). */
  waited(now: number, enteredAt: number): void {
    if (enteredAt < this.from) return;
    this.waits.push(now - enteredAt);
    const day = Math.floor(now / 24) - this.warmupDays;
    const m = MONTH_OF_YEAR_DAY[((day % 365) + 365) % 365]!;
    this.waitHoursByMonth[m] = this.waitHoursByMonth[m]! + (now - enteredAt);
    this.waitsByMonth[m] = this.waitsByMonth[m]! + 1;
    this.waitsInMonth[m]!.push(now - enteredAt);
  }

  sample(now: number): void {
    if (now >= this.from) this.byDay.push(this.inside);
  }

  /** Time-average containers at the resource over [from, to], closing the window at `to`. */
  meanInside(to: number): number {
    this.integrate(to);
    const span = to - this.from;
    return span > 0 ? this.area / span : 0;
  }
}
