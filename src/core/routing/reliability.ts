import { seededRng } from '../shared/rng.ts';
import { MS_PER_HOUR, type EpochMs } from '../shared/units.ts';
import {
  lowerBound,
  MIN_CONNECTION_HOURS,
  QUANTILES,
  type DwellSpec,
  type RoutingModel,
} from './model.ts';
import type { Journey } from './search.ts';

/**
 * Dwell draws are lognormal with the model's median (P50) and 90th percentile (P90), read from
 * the model's quantile table: one uniform number and one lookup per draw.
 */

export interface ArrivalSpread {
  /** Median simulated arrival. */
  p50: EpochMs;
  /** 90th percentile of simulated arrival. */
  p90: EpochMs;
}

/**
 * Arrival spread of a journey: `draws` runs in which every dwell (border crossing, gauge change,
 * port handling, transshipment, ferry waiting) is drawn from its model. Trains keep their running
 * times but stand at a stop for the longer of the scheduled stand and the drawn operations; a
 * container that is not ready for its planned trip takes the next trip of the same service; a ship
 * that sails when full leaves after a drawn ferry wait. The journey starts with the container
 * ready at `ready`.
 *
 * The draws are randomised quasi-Monte Carlo: run i takes, for its d-th dwell, the point
 * frac(shift_d + i·α_d) of a Kronecker sequence (α_d the fractional part of √p_d, p_d the d-th
 * prime) with the shifts drawn from the seed. The runs cover every dwell's distribution evenly,
 * so the P90 moves far less between seeds than with independent draws, for the same work; the
 * seed still gives an unbiased estimate and the same seed the same spread. Pure.
 */
export function simulateArrival(
  model: RoutingModel,
  journey: Journey,
  ready: EpochMs,
  draws: number,
  seed: number,
  options: SimulationStart = {},
): ArrivalSpread {
  const rides = compile(model, journey, options.transferBeforeFirst ?? false);
  const points = new KroneckerPoints(
    drawnSpreads(rides, options.departedFirst ?? false),
    draws,
    seed,
  );
  const arrivals = new Float64Array(draws);
  for (let d = 0; d < draws; d++) {
    points.start(d);
    arrivals[d] = simulateOnce(rides, ready, points, options);
  }
  arrivals.sort();
  return { p50: smoothQuantile(arrivals, 0.5), p90: smoothQuantile(arrivals, 0.9) };
}

/**
 * The previous estimator, kept to compare against: the same runs with independent pseudo-random
 * draws. Pure.
 */
export function simulateArrivalMonteCarlo(
  model: RoutingModel,
  journey: Journey,
  ready: EpochMs,
  draws: number,
  seed: number,
  options: SimulationStart = {},
): ArrivalSpread {
  const rng = seededRng(seed);
  const rides = compile(model, journey, options.transferBeforeFirst ?? false);
  const arrivals = new Float64Array(draws);
  for (let d = 0; d < draws; d++) arrivals[d] = simulateOnce(rides, ready, rng, options);
  arrivals.sort();
  return { p50: quantile(arrivals, 0.5), p90: quantile(arrivals, 0.9) };
}

/**
 * The spread (P90 − P50, ms) of each dwell drawn in one run of simulateOnce, in the order the run
 * draws them.
 */
function drawnSpreads(rides: readonly CompiledRide[], departedFirst: boolean): number[] {
  const spread = (t: Float64Array) => t[Math.floor(t.length * 0.9)]! - t[t.length >> 1]!;
  const out: number[] = [];
  rides.forEach((r, i) => {
    for (const t of r.transfer) out.push(spread(t));
    if (!(i === 0 && departedFirst) && r.sails && r.wait) out.push(Math.max(...r.wait.map(spread)));
    if (!(i === 0 && departedFirst) && !r.sails)
      for (const t of r.boardOps) out.push(Math.max(...t.map(spread)));
    for (const ops of r.ops) for (const t of ops) out.push(Math.max(...t.map(spread)));
  });
  return out;
}

/**
 * A randomly shifted rank-1 lattice rule extended as a Kronecker (Weyl) sequence, read one dwell
 * at a time. The widest dwell gets the lattice's first coordinate i/N, which stratifies it
 * exactly; the others get frac(i·√p) for successive primes p, widest first.
 */
class KroneckerPoints implements Uniforms {
  private readonly alpha: Float64Array;
  private readonly shift: Float64Array;
  private index = 0;
  private dimension = 0;

  constructor(spreads: readonly number[], draws: number, seed: number) {
    const rng = seededRng(seed);
    const n = Math.max(1, spreads.length);
    const rank = new Int32Array(n);
    [...spreads.keys()]
      .sort((a, b) => spreads[b]! - spreads[a]! || a - b)
      .forEach((dim, r) => (rank[dim] = r));
    const primes = firstPrimes(n);
    const byRank = Float64Array.from(primes, (p, r) =>
      r === 0 ? 1 / draws : r === 1 ? GOLDEN : Math.sqrt(p) % 1,
    );
    this.alpha = Float64Array.from(rank, (r) => byRank[r]!);
    this.shift = Float64Array.from(primes, () => rng.next());
  }

  start(index: number): void {
    this.index = index;
    this.dimension = 0;
  }

  next(): number {
    const d = this.dimension++ % this.alpha.length;
    const u = this.shift[d]! + this.index * this.alpha[d]!;
    return u - Math.floor(u);
  }
}

function firstPrimes(n: number): number[] {
  const primes: number[] = [];
  for (let k = 2; primes.length < n; k++) if (primes.every((p) => k % p !== 0)) primes.push(k);
  return primes;
}

/** How a journey already under way starts (for re-estimating arrival mid-journey). */
export interface SimulationStart {
  /** The container has just arrived at the first ride's boarding node from another ride: draw the transfer operations there first. */
  transferBeforeFirst?: boolean;
  /** The first ride has already left its boarding stop at `ready`: no waiting, no missed trip. */
  departedFirst?: boolean;
  /**
   * The container was still where it was last reported at this instant: a run that would have
   * moved it on earlier moves it on then instead, so that an overdue box is not given an
   * arrival in the past.
   */
  stillThereAt?: EpochMs;
  /**
   * With departedFirst: the box stands at the stop the first hop reaches (it got there at
   * `ready` plus that hop), so what it has not done by stillThereAt is leave it; without, it is
   * on the hop and has not yet reached the next stop.
   */
  standingFirst?: boolean;
  /**
   * With departedFirst and not standingFirst: the hops after which the box would next be seen
   * (0: at the stop the first hop reaches; Infinity: not on this ride). A stop where no event
   * can be posted (no UN/LOCODE) says nothing by its silence, so the box is held back only where
   * it would have been reported.
   */
  seenAfterHops?: number;
}

/** A ride laid out in flat arrays, in milliseconds, so that a draw touches little memory. */
export interface CompiledRide {
  /** Dwell tables drawn when changing onto this ride (empty for the first). */
  transfer: Float64Array[];
  transferFixedMs: number;
  /**
   * Ferry-wait tables for a ship that sails when full (one, or twelve by calendar month); null for
   * a scheduled service.
   */
  wait: Float64Array[] | null;
  sails: boolean;
  departures: Float64Array;
  departureOffset: number;
  plannedDeparture: EpochMs;
  /** Per hop after boarding: running time, then (except the last) the stop's stand. */
  runMs: Float64Array;
  standMs: Float64Array;
  /** Per hop: the stop's operations, each as its tables (one, or twelve by calendar month). */
  ops: Float64Array[][][];
  /**
   * The operations the trip stands for at the boarding stop (boarding mid-route) and its scheduled
   * stand there: a trip held there longer than scheduled leaves late for those who board too.
   */
  boardOps: Float64Array[][];
  boardStandMs: number;
}

export function compile(
  model: RoutingModel,
  journey: Journey,
  transferBeforeFirst: boolean,
): CompiledRide[] {
  return journey.rides.map((ride, i) => {
    const route = ride.route;
    const board = route.stops[ride.boardPosition]!;
    const hops = ride.alightPosition - ride.boardPosition;
    const runMs = new Float64Array(hops);
    const standMs = new Float64Array(hops);
    const ops: Float64Array[][][] = [];
    for (let h = 0; h < hops; h++) {
      const rs = route.stops[ride.boardPosition + 1 + h]!;
      runMs[h] = rs.runHours * MS_PER_HOUR;
      standMs[h] = rs.scheduledDwellHours * MS_PER_HOUR;
      ops.push(h < hops - 1 ? rs.operations.map((d) => (d.byMonth ?? [d]).map(tableMs)) : []);
    }
    const wait = route.sailsWhenFull ? model.ferryWait[board.stop] : undefined;
    const transfers = i > 0 || transferBeforeFirst;
    return {
      transfer: transfers ? model.transfer[board.stop]!.operations.map(tableMs) : [],
      transferFixedMs: transfers ? MIN_CONNECTION_HOURS * MS_PER_HOUR : 0,
      wait: wait ? (wait.byMonth ?? [wait]).map(tableMs) : null,
      sails: route.sailsWhenFull,
      departures: route.tripDepartures,
      departureOffset: board.departureOffset,
      plannedDeparture: ride.departure,
      runMs,
      standMs,
      ops,
      boardOps: route.sailsWhenFull
        ? []
        : board.operations.map((d) => (d.byMonth ?? [d]).map(tableMs)),
      boardStandMs: board.scheduledDwellHours * MS_PER_HOUR,
    };
  });
}

const msTables = new WeakMap<DwellSpec, Float64Array>();

/** The dwell's quantile table in milliseconds (a constant table when P90 = P50). */
function tableMs(d: DwellSpec): Float64Array {
  let t = msTables.get(d);
  if (!t) {
    t = d.quantiles.map((h) => (d.sigma === 0 ? d.p50Hours : h) * MS_PER_HOUR);
    msTables.set(d, t);
  }
  return t;
}

/** A source of uniform numbers in [0, 1). */
interface Uniforms {
  next(): number;
}

function simulateOnce(
  rides: readonly CompiledRide[],
  start: EpochMs,
  rng: Uniforms,
  options: SimulationStart,
): EpochMs {
  const departedFirst = options.departedFirst ?? false;
  const still = options.stillThereAt ?? -Infinity;
  const standing = options.standingFirst ?? false;
  const seenHop = options.seenAfterHops ?? 0;
  let t = start;
  for (let i = 0; i < rides.length; i++) {
    const r = rides[i]!;
    t += r.transferFixedMs;
    for (let k = 0; k < r.transfer.length; k++) t += r.transfer[k]![(rng.next() * QUANTILES) | 0]!;
    let clock: EpochMs;
    if (i === 0 && departedFirst) clock = t;
    else if (r.sails) {
      const table = r.wait ? waitTable(r.wait, t) : null;
      // Still waiting when last seen: the wait is drawn among those that last at least that
      // long (its distribution beyond the time already waited), not cut short to "now".
      const from = table && i === 0 && t < still ? lowerBound(table, still - t) : 0;
      clock = !table
        ? t
        : from < QUANTILES
          ? t + table[from + ((rng.next() * (QUANTILES - from)) | 0)]!
          : t + table[QUANTILES - 1]!;
    }
    // Missed the planned trip: the next one of the same service.
    else {
      clock = nextDeparture(r.departures, r.departureOffset, t, r.plannedDeparture);
      // The trip stood at the boarding stop for its operations: late when they took longer.
      if (r.boardOps.length > 0) {
        let stand = 0;
        for (let k = 0; k < r.boardOps.length; k++)
          stand += waitTable(r.boardOps[k]!, clock)[(rng.next() * QUANTILES) | 0]!;
        if (stand > r.boardStandMs) clock += stand - r.boardStandMs;
      }
    }
    // Still at the boarding node when last seen: it has not left before then.
    if (i === 0 && !departedFirst && clock < still) clock = still;
    const last = r.runMs.length - 1;
    for (let h = 0; h <= last; h++) {
      clock += r.runMs[h]!;
      if (i === 0 && h === seenHop && departedFirst && !standing && clock < still) clock = still;
      if (h === last) break;
      const ops = r.ops[h]!;
      let stand = 0;
      for (let k = 0; k < ops.length; k++)
        stand += waitTable(ops[k]!, clock)[(rng.next() * QUANTILES) | 0]!;
      clock += stand > r.standMs[h]! ? stand : r.standMs[h]!;
      if (i === 0 && h === 0 && departedFirst && standing && clock < still) clock = still;
    }
    t = clock;
  }
  return t;
}

/** The table of the month of `t` (UTC), or the only one. */
function waitTable(tables: readonly Float64Array[], t: EpochMs): Float64Array {
  return tables.length === 1 ? tables[0]! : tables[new Date(t).getUTCMonth()]!;
}

/** Planned departure of the first trip leaving at or after `t`; past the last trip, the planned
 * departure shifted by the delay (the service keeps running beyond the generated timetable). */
export function nextDeparture(
  deps: Float64Array,
  offset: number,
  t: EpochMs,
  planned: EpochMs,
): EpochMs {
  if (t <= planned) return planned;
  const i = lowerBound(deps, t - offset);
  return i < deps.length ? deps[i]! + offset : t;
}

const kernels = new Map<string, Float64Array>();

/**
 * Kernel quantile estimate (Sheather and Marron's, with the beta kernel of Harrell and Davis
 * approximated by a normal one): a weighted mean of the order statistics around rank q·n, the
 * weights those of the q-quantile's own sampling spread, √(q(1 − q)/n). Where the arrivals fall
 * in two groups (a weekly trip caught or missed) it does not jump from one group to the other
 * with a handful of draws, as the single order statistic does.
 */
function smoothQuantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n < 20) return quantile(sorted, q);
  const key = `${n}:${q}`;
  let w = kernels.get(key);
  if (!w) {
    const sd = KERNEL_WIDTH * Math.sqrt((q * (1 - q)) / (n + 2));
    w = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const z = ((i + 0.5) / n - q) / sd;
      w[i] = z * z < 50 ? Math.exp(-0.5 * z * z) : 0;
      sum += w[i]!;
    }
    for (let i = 0; i < n; i++) w[i]! /= sum;
    kernels.set(key, w);
  }
  let out = 0;
  for (let i = 0; i < n; i++) if (w[i]! > 0) out += w[i]! * sorted[i]!;
  return out;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** (√5 − 1) / 2: with i/N, the Fibonacci lattice, the most even in two dimensions. */
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Kernel width in units of the quantile's sampling spread. */
const KERNEL_WIDTH = 1;
