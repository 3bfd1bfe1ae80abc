import { MS_PER_HOUR, type EpochMs } from '../shared/units.ts';
import type { RoutingModel } from './model.ts';
import {
  compile,
  nextDeparture,
  type ArrivalSpread,
  type CompiledRide,
  type SimulationStart,
} from './reliability.ts';
import type { Journey } from './search.ts';

/**
 * Arrival spread of a journey computed, not drawn: the distribution of the container's time is
 * carried along the journey on a grid of two hours, through the same steps as a simulated run
 * (reliability.ts) — each dwell added by convolution with its model (the dwells are independent),
 * a train's stand the longer of its scheduled stand and the drawn operations, a container not
 * ready for its planned trip on the next trip of the same service, a ship that sails when full
 * after a ferry wait. P50 and P90 are read from the distribution at the end. No draws: the same
 * journey always gives the same spread, whatever the seed, and the P90 does not jump between a
 * weekly trip caught and missed. Times are rounded to the grid's two hours at each dwell (±1 h
 * each, which averages out over a journey). Pure.
 */
export function convolveArrival(
  model: RoutingModel,
  journey: Journey,
  ready: EpochMs,
  _draws?: number,
  _seed?: number,
  options: SimulationStart = {},
): ArrivalSpread {
  const rides = compile(model, journey, options.transferBeforeFirst ?? false);
  const departed = options.departedFirst ?? false;
  const d = new Distribution(ready);
  for (let i = 0; i < rides.length; i++) {
    const r = rides[i]!;
    d.shift(r.transferFixedMs);
    for (const t of r.transfer) d.add(histogramOf(t));
    if (i === 0 && departed) {
      // Under way: the ride goes on from `ready`.
    } else if (r.sails) {
      if (r.wait) {
        const wait = r.wait;
        d.addByMonth((m) => histogramOf(wait[wait.length === 1 ? 0 : m]!), wait.length > 1);
      }
    } else {
      d.toDepartures(r);
      const ops = r.boardOps;
      if (ops.length > 0)
        d.addByMonth(
          (m) =>
            delayOf(
              ops.map((t) => t[t.length === 1 ? 0 : m]!),
              r.boardStandMs,
            ),
          ops.some((t) => t.length > 1),
        );
    }
    const last = r.runMs.length - 1;
    for (let h = 0; h <= last; h++) {
      d.shift(r.runMs[h]!);
      if (h === last) break;
      const ops = r.ops[h]!;
      const stand = r.standMs[h]!;
      if (ops.length === 0) d.shift(stand);
      else
        d.addByMonth(
          (m) =>
            standOf(
              ops.map((t) => t[t.length === 1 ? 0 : m]!),
              stand,
            ),
          ops.some((t) => t.length > 1),
        );
    }
  }
  return { p50: d.quantile(0.5), p90: d.quantile(0.9) };
}

/** Two hours a bin: within a few hours of 100,000 independent draws, at a fraction of their cost. */
const BIN_MS = 2 * MS_PER_HOUR;
/** Bins the distribution spans at most from its earliest: 120 days; later mass counts as "later". */
const SPAN = Math.round((120 * 24 * MS_PER_HOUR) / BIN_MS);

/** Probabilities by bin from an origin instant, and the mass later than the span. */
class Distribution {
  private p = new Float64Array(SPAN);
  private next = new Float64Array(SPAN);
  private lo = 0;
  private hi = 0;
  private later = 0;

  constructor(private origin: EpochMs) {
    this.p[0] = 1;
  }

  shift(ms: number): void {
    this.origin += ms;
  }

  /** The time plus an independent duration (a histogram in bins). */
  add(h: Histogram): void {
    const { p, next } = this;
    const hiOut = Math.min(SPAN - 1, this.hi + h.hi);
    next.fill(0, this.lo + h.lo, hiOut + 1);
    let later = this.later;
    const { at, weight } = h;
    const n = at.length;
    for (let k = this.lo; k <= this.hi; k++) {
      const pk = p[k]!;
      if (pk === 0) continue;
      const top = SPAN - 1 - k;
      let i = 0;
      for (; i < n; i++) {
        const j = at[i]!;
        if (j > top) break;
        next[k + j]! += pk * weight[i]!;
      }
      if (i < n) later += pk * h.tailFrom(at[i]!);
    }
    this.later = later;
    p.fill(0, this.lo, this.hi + 1);
    this.p = next;
    this.next = p;
    this.lo += h.lo;
    this.hi = hiOut;
    this.trim();
  }

  /** The time plus a duration whose model may depend on the calendar month (UTC) the container is in. */
  addByMonth(histogramIn: (month: number) => Histogram, monthly: boolean): void {
    if (!monthly) {
      this.add(histogramIn(0));
      return;
    }
    const months = new Int8Array(this.hi - this.lo + 1);
    const used = new Set<number>();
    for (let k = this.lo; k <= this.hi; k++) {
      const m = new Date(this.origin + k * BIN_MS).getUTCMonth();
      months[k - this.lo] = m;
      if (this.p[k]! > 0) used.add(m);
    }
    if (used.size === 1) {
      this.add(histogramIn([...used][0]!));
      return;
    }
    // Part by part: the mass in each month gets that month's wait.
    const parts = [...used].map((m) => {
      const part = new Distribution(this.origin);
      part.p[0] = 0;
      part.lo = this.hi;
      part.hi = this.lo;
      for (let k = this.lo; k <= this.hi; k++)
        if (months[k - this.lo] === m && this.p[k]! > 0) {
          part.p[k] = this.p[k]!;
          if (k < part.lo) part.lo = k;
          if (k > part.hi) part.hi = k;
        }
      part.add(histogramIn(m));
      return part;
    });
    this.p.fill(0, this.lo, this.hi + 1);
    let lo = SPAN;
    let hi = 0;
    for (const part of parts) {
      for (let k = part.lo; k <= part.hi; k++) this.p[k]! += part.p[k]!;
      this.later += part.later;
      lo = Math.min(lo, part.lo);
      hi = Math.max(hi, part.hi);
    }
    this.lo = lo;
    this.hi = hi;
    this.trim();
  }

  /** The container boards the first trip of the ride's service it is ready for. */
  toDepartures(r: CompiledRide): void {
    const { p, next } = this;
    const at = (k: number) =>
      nextDeparture(r.departures, r.departureOffset, this.origin + k * BIN_MS, r.plannedDeparture);
    const origin = at(this.lo);
    let lo = SPAN;
    let hi = 0;
    for (let k = this.lo; k <= this.hi; k++) {
      const pk = p[k]!;
      if (pk === 0) continue;
      const b = Math.round((at(k) - origin) / BIN_MS);
      if (b >= SPAN) {
        this.later += pk;
        continue;
      }
      if (b < lo) lo = b;
      if (b > hi) hi = b;
      next[b]! += pk;
    }
    p.fill(0, this.lo, this.hi + 1);
    this.p = next;
    this.next = p;
    this.origin = origin;
    this.lo = lo === SPAN ? 0 : lo;
    this.hi = hi;
  }

  quantile(q: number): EpochMs {
    let cum = 0;
    for (let k = this.lo; k <= this.hi; k++) {
      const pk = this.p[k]!;
      if (pk > 0 && cum + pk >= q) return this.origin + (k - 0.5 + (q - cum) / pk) * BIN_MS;
      cum += pk;
    }
    return this.origin + SPAN * BIN_MS;
  }

  private trim(): void {
    while (this.lo < this.hi && this.p[this.lo] === 0) this.lo++;
    while (this.hi > this.lo && this.p[this.hi] === 0) this.hi--;
  }
}

/** A duration's distribution in whole bins: weights from `lo` to `hi`. */
class Histogram {
  /** Suffix sums: the mass at or beyond each bin. */
  private tail: Float64Array | undefined;
  /** The bins with mass, in order, and their weights. */
  readonly at: Int32Array;
  readonly weight: Float64Array;

  constructor(
    readonly w: Float64Array,
    readonly lo: number,
    readonly hi: number,
  ) {
    const at: number[] = [];
    for (let j = lo; j <= hi; j++) if (w[j]! > 0) at.push(j);
    this.at = Int32Array.from(at);
    this.weight = Float64Array.from(at, (j) => w[j]!);
  }

  tailFrom(j: number): number {
    if (!this.tail) {
      this.tail = new Float64Array(this.hi + 2);
      for (let i = this.hi; i >= 0; i--) this.tail[i] = this.tail[i + 1]! + this.w[i]!;
    }
    return j > this.hi ? 0 : this.tail[j]!;
  }
}

const histograms = new WeakMap<Float64Array, Histogram>();

/** A dwell's quantile table (ms, equally likely values) as a histogram on the grid. */
function histogramOf(table: Float64Array): Histogram {
  let h = histograms.get(table);
  if (!h) {
    h = histogramFromValues(table);
    histograms.set(table, h);
  }
  return h;
}

function histogramFromValues(values: Float64Array): Histogram {
  const w = new Float64Array(SPAN + 1);
  let lo = SPAN;
  let hi = 0;
  for (let i = 0; i < values.length; i++) {
    const b = Math.min(SPAN, Math.round(values[i]! / BIN_MS));
    w[b]! += 1 / values.length;
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  }
  return new Histogram(w, lo, hi);
}

const stands = new Map<string, Histogram>();

/** A stop's stand: the longer of the scheduled stand and the sum of its drawn operations. */
function standOf(ops: readonly Float64Array[], standMs: number): Histogram {
  const key = `${standMs}|${ops.map(idOf).join(',')}`;
  let h = stands.get(key);
  if (h) return h;
  // The sum of the operations, by convolution of their histograms.
  let w = Float64Array.from(histogramOf(ops[0]!).w);
  for (let o = 1; o < ops.length; o++) {
    const x = histogramOf(ops[o]!);
    const sum = new Float64Array(SPAN + 1);
    for (let k = 0; k <= SPAN; k++) {
      const wk = w[k]!;
      if (wk === 0) continue;
      for (let j = x.lo; j <= x.hi; j++) sum[Math.min(SPAN, k + j)]! += wk * x.w[j]!;
    }
    w = sum;
  }
  const floor = Math.round(standMs / BIN_MS);
  for (let k = 0; k < floor && k <= SPAN; k++) {
    w[floor]! += w[k]!;
    w[k] = 0;
  }
  let lo = 0;
  while (lo < SPAN && w[lo] === 0) lo++;
  let hi = SPAN;
  while (hi > lo && w[hi] === 0) hi--;
  h = new Histogram(w, lo, hi);
  stands.set(key, h);
  return h;
}

const delays = new Map<string, Histogram>();

/** How late a trip leaves a stop: the stand beyond the scheduled one (0 when within it). */
function delayOf(ops: readonly Float64Array[], standMs: number): Histogram {
  const key = `${standMs}|${ops.map(idOf).join(',')}`;
  let h = delays.get(key);
  if (h) return h;
  const stand = standOf(ops, standMs);
  const floor = Math.round(standMs / BIN_MS);
  const w = new Float64Array(SPAN + 1);
  for (let k = stand.lo; k <= stand.hi; k++) w[k - floor]! += stand.w[k]!;
  let hi = stand.hi - floor;
  while (hi > 0 && w[hi] === 0) hi--;
  h = new Histogram(w, 0, hi);
  delays.set(key, h);
  return h;
}

const ids = new WeakMap<Float64Array, number>();
let lastId = 0;
function idOf(t: Float64Array): number {
  let id = ids.get(t);
  if (id === undefined) {
    id = ++lastId;
    ids.set(t, id);
  }
  return id;
}
