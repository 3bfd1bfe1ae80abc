import type { EpochMs } from '../shared/units.ts';

/**
 * Dwell models learnt from observed stands: per place × operation × calendar month, the
 * reference model (data/dwell.json) updated by what the platform's entitled publishers
 * reported, on the log scale. See README.md beside this file for the estimator in plain words.
 * Pure.
 */

/** One observed dwell: hours one operation took at a place, and who reported it. */
export interface DwellSample {
  nodeId: string;
  operation: string;
  /** When the stand ended (the departure), epoch ms: decides the month and the recency. */
  at: EpochMs;
  hours: number;
  /** The organisations that posted the events it is measured from (one or two). */
  contributors: readonly string[];
}

/** The reference model of a place and operation: P50/P90 hours of a lognormal. */
export interface DwellReference {
  nodeId: string;
  operation: string;
  p50Hours: number;
  p90Hours: number;
  /**
   * The reference's own months, January first (data/dwell.json `byMonth`): a month's prior is
   * its own month here, else the whole-year model.
   */
  byMonth?: readonly Percentiles[] | undefined;
}

export interface Percentiles {
  p50Hours: number;
  p90Hours: number;
}

/** What one organisation's reports weigh in a model. */
export interface Contribution {
  organisationId: string;
  samples: number;
  /** Its share of the model's observation weight after the cap. */
  share: number;
  /** The most its share may be: its share of the traffic at the place. */
  trafficShare: number;
  /** True when its reports weighed more than its traffic share and were scaled down. */
  capped: boolean;
}

/** A fitted model: one place, one operation, one calendar month (0: the whole year). */
export interface FittedDwell {
  nodeId: string;
  operation: string;
  /**
   * 1–12 for January–December; 0 for the whole year (the prior of the months the reference does
   * not give by month).
   */
  month: number;
  /** The reference's value for this month (its own month where it gives months, else the year). */
  reference: Percentiles;
  /** The observations alone, as a lognormal; null without samples. */
  observed: Percentiles | null;
  /** The model in force: the prior updated by the observations. */
  inForce: Percentiles;
  samples: number;
  /** The samples' weight after recency and the organisation caps. */
  effectiveSamples: number;
  /** Share of the in-force log-mean that comes from the observations (0..1). */
  observationWeight: number;
  /** First and last stand end of the samples (ISO 8601); null without samples. */
  period: { from: string; to: string } | null;
  /**
   * Kolmogorov–Smirnov distance between the samples (as bounded) and the observed lognormal:
   * 0 a perfect fit, near 1 none; null with fewer than 5 samples.
   */
  ks: number | null;
  /** Samples moved in to the outlier bounds. */
  bounded: number;
  /** The outlier bounds in hours: a stand counts as at least `lowHours`, at most `highHours`. */
  bounds: { lowHours: number; highHours: number } | null;
  contributions: Contribution[];
  /** 'slower' or 'faster' when the observed P50 left the reference's range; null otherwise. */
  drift: 'slower' | 'faster' | null;
}

export interface FitOptions {
  /** The instant of the fit: recency is measured back from here. */
  now: EpochMs;
  /** Weight of the prior, in samples: with this many observations they weigh half. */
  priorSamples?: number;
  /** A sample this many days old weighs half a new one. */
  halfLifeDays?: number;
  /**
   * Per place and organisation, its share of the traffic there (0..1); an organisation not
   * named is not capped (the terminal and customs of the place speak for all its traffic).
   */
  trafficShare?: (nodeId: string, organisationId: string) => number | undefined;
  /** Samples needed before drift is said. */
  driftSamples?: number;
}

export const PRIOR_SAMPLES = 20;
export const HALF_LIFE_DAYS = 365;
export const DRIFT_SAMPLES = 30;
/** Outliers are bounded this many robust standard deviations from the median, on the log scale. */
export const BOUND_SIGMAS = 3;
/** Hours below which a dwell counts as this (the log of zero is not a number). */
const MIN_HOURS = 0.05;
const Z90 = 1.2815515655446004;
const DAY = 86_400_000;

interface LogNormal {
  mu: number;
  sigma: number;
}

const toLog = (p: Percentiles): LogNormal => {
  const p50 = Math.max(p.p50Hours, MIN_HOURS);
  const p90 = Math.max(p.p90Hours, p50);
  return { mu: Math.log(p50), sigma: Math.log(p90 / p50) / Z90 };
};
const toPercentiles = (l: LogNormal): Percentiles => ({
  p50Hours: round(Math.exp(l.mu)),
  p90Hours: round(Math.exp(l.mu + Z90 * l.sigma)),
});
const round = (x: number) => Math.round(x * 100) / 100;

/** The month (1–12, UTC) of an instant. */
export function monthOf(at: EpochMs): number {
  return new Date(at).getUTCMonth() + 1;
}

/**
 * Fits every reference model with its samples: for each place and operation a whole-year model
 * (prior: the reference) and one per month that has samples (prior: the reference's own month
 * where it gives months, else the whole-year model). Samples of a place and operation without a
 * reference model are left out.
 */
export function fitDwellModels(
  references: readonly DwellReference[],
  samples: readonly DwellSample[],
  options: FitOptions,
): FittedDwell[] {
  const byCell = new Map<string, DwellSample[]>();
  for (const s of samples) {
    const key = `${s.nodeId}:${s.operation}`;
    const list = byCell.get(key);
    if (list) list.push(s);
    else byCell.set(key, [s]);
  }
  const out: FittedDwell[] = [];
  for (const ref of references) {
    const cell = byCell.get(`${ref.nodeId}:${ref.operation}`) ?? [];
    const reference = { p50Hours: ref.p50Hours, p90Hours: ref.p90Hours };
    const year = fitOne(ref, 0, reference, toLog(reference), cell, options);
    out.push(year);
    const byMonth = new Map<number, DwellSample[]>();
    for (const s of cell) {
      const m = monthOf(s.at);
      const list = byMonth.get(m);
      if (list) list.push(s);
      else byMonth.set(m, [s]);
    }
    for (const [month, list] of [...byMonth].sort((a, b) => a[0] - b[0])) {
      const own = ref.byMonth?.[month - 1];
      const monthRef = own ? { p50Hours: own.p50Hours, p90Hours: own.p90Hours } : reference;
      out.push(fitOne(ref, month, monthRef, toLog(own ?? year.inForce), list, options));
    }
  }
  return out;
}

/**
 * The model in force for a place and operation in a month: the month's fit, else the
 * whole-year one; undefined when neither was fitted.
 */
export function modelInForce(
  fitted: readonly FittedDwell[],
  nodeId: string,
  operation: string,
  month: number,
): FittedDwell | undefined {
  const cell = fitted.filter((f) => f.nodeId === nodeId && f.operation === operation);
  return cell.find((f) => f.month === month) ?? cell.find((f) => f.month === 0);
}

function fitOne(
  ref: DwellReference,
  month: number,
  reference: Percentiles,
  prior: LogNormal,
  samples: readonly DwellSample[],
  options: FitOptions,
): FittedDwell {
  const n0 = options.priorSamples ?? PRIOR_SAMPLES;
  const halfLife = (options.halfLifeDays ?? HALF_LIFE_DAYS) * DAY;
  const base = {
    nodeId: ref.nodeId,
    operation: ref.operation,
    month,
    reference,
    samples: samples.length,
  };
  if (samples.length === 0)
    return {
      ...base,
      observed: null,
      inForce: toPercentiles(prior),
      effectiveSamples: 0,
      observationWeight: 0,
      period: null,
      ks: null,
      bounded: 0,
      bounds: null,
      contributions: [],
      drift: null,
    };

  const logs = samples.map((s) => Math.log(Math.max(s.hours, MIN_HOURS)));
  // Weights: recency (half-life), split between the sample's contributors.
  const orgWeight = new Map<string, number>();
  const orgSamples = new Map<string, number>();
  const parts = samples.map((s, i) => {
    const w = Math.pow(0.5, Math.max(0, options.now - s.at) / halfLife);
    const each = w / s.contributors.length;
    return s.contributors.map((org) => {
      orgWeight.set(org, (orgWeight.get(org) ?? 0) + each);
      orgSamples.set(org, (orgSamples.get(org) ?? 0) + 1);
      return { i, org, w: each };
    });
  });
  // The caps: no organisation weighs more than its share of the traffic at the place.
  const scale = capScales(orgWeight, (org) => options.trafficShare?.(ref.nodeId, org));
  const weights = new Float64Array(samples.length);
  for (const list of parts) for (const p of list) weights[p.i]! += p.w * scale.get(p.org)!;
  const total = weights.reduce((a, b) => a + b, 0);
  // Only organisations without a share of the traffic here reported: nothing observed.
  if (!(total > 0)) return fitOne(ref, month, reference, prior, [], options);

  // Outliers: bounded to the weighted median ± BOUND_SIGMAS robust sd (MAD) on the log scale,
  // so that no organisation beyond its cap sets the bounds; with few samples the prior's
  // spread around its median sets them.
  const median = weightedQuantile(logs, weights, 0.5);
  const mad = weightedQuantile(
    logs.map((x) => Math.abs(x - median)),
    weights,
    0.5,
  );
  const few = samples.length < 10;
  const spread = few ? Math.max(prior.sigma, 0.25) : Math.max(1.4826 * mad, 0.05);
  const centre = few ? prior.mu : median;
  const lo = centre - BOUND_SIGMAS * spread;
  const hi = centre + BOUND_SIGMAS * spread;
  let bounded = 0;
  const xs = logs.map((x) => {
    if (x < lo || x > hi) bounded++;
    return Math.min(hi, Math.max(lo, x));
  });

  let mean = 0;
  for (let i = 0; i < xs.length; i++) mean += weights[i]! * xs[i]!;
  mean /= total;
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += weights[i]! * (xs[i]! - mean) ** 2;
  // Effective sample size of the weights (Kish), so that a few heavy samples count as few.
  const sumSq = weights.reduce((a, w) => a + w * w, 0);
  const n = (total * total) / sumSq;
  const variance = samples.length > 1 ? (ss / total) * (n / Math.max(n - 1, 1)) : 0;
  // The observed lognormal, and the prior updated by it (normal–inverse-gamma on the log scale,
  // the prior counting as n0 samples).
  const observed: LogNormal = { mu: mean, sigma: Math.sqrt(variance) };
  const muPost = (n0 * prior.mu + n * mean) / (n0 + n);
  const varPost =
    (n0 * prior.sigma ** 2 +
      (n - 1 > 0 ? (n - 1) * variance : 0) +
      ((n0 * n) / (n0 + n)) * (mean - prior.mu) ** 2) /
    (n0 + n);
  const inForce: LogNormal = { mu: muPost, sigma: Math.sqrt(varPost) };

  const refLog = toLog(reference);
  const width = Math.max(Z90 * refLog.sigma, Math.log(1.25));
  const driftN = options.driftSamples ?? DRIFT_SAMPLES;
  const drift =
    samples.length < driftN
      ? null
      : observed.mu > refLog.mu + width
        ? 'slower'
        : observed.mu < refLog.mu - width
          ? 'faster'
          : null;

  const times = samples.map((s) => s.at);
  const contributions = [...orgWeight.keys()]
    .map((org) => {
      const share = options.trafficShare?.(ref.nodeId, org);
      return {
        organisationId: org,
        samples: orgSamples.get(org)!,
        share: round3((orgWeight.get(org)! * scale.get(org)!) / total),
        trafficShare: round3(share ?? 1),
        capped: scale.get(org)! < 1 - 1e-9,
      };
    })
    .sort((a, b) => b.share - a.share || a.organisationId.localeCompare(b.organisationId));
  return {
    ...base,
    observed: toPercentiles(observed),
    inForce: toPercentiles(inForce),
    effectiveSamples: round(n),
    observationWeight: round3(n / (n0 + n)),
    period: {
      from: new Date(Math.min(...times)).toISOString(),
      to: new Date(Math.max(...times)).toISOString(),
    },
    ks: samples.length >= 5 ? round3(ksDistance(xs, observed)) : null,
    bounded,
    bounds: { lowHours: round(Math.exp(lo)), highHours: round(Math.exp(hi)) },
    contributions,
    drift,
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Per organisation, the factor its weights are multiplied by so that its share of the total is
 * at most its cap (organisations without a cap keep theirs). Water-filling: capped ones are fixed
 * at their cap of the final total, the others keep their weight.
 */
function capScales(
  weight: ReadonlyMap<string, number>,
  capOf: (org: string) => number | undefined,
): Map<string, number> {
  const scale = new Map([...weight.keys()].map((o) => [o, 1]));
  const fixed = new Set<string>();
  for (let round = 0; round < weight.size; round++) {
    const free = [...weight].filter(([o]) => !fixed.has(o)).reduce((s, [, w]) => s + w, 0);
    const capShare = [...fixed].reduce((s, o) => s + capOf(o)!, 0);
    if (capShare >= 1 || free === 0) break;
    const total = free / (1 - capShare);
    let changed = false;
    for (const [o, w] of weight) {
      const cap = capOf(o);
      if (fixed.has(o) || cap === undefined) continue;
      if (w > cap * total + 1e-12) {
        fixed.add(o);
        changed = true;
      }
    }
    if (!changed) {
      for (const o of fixed) scale.set(o, (capOf(o)! * total) / weight.get(o)!);
      return scale;
    }
  }
  // Every organisation capped (caps summing to less than one): each at its cap, proportionally.
  const caps = [...weight.keys()].map((o) => capOf(o) ?? 1);
  const sum = caps.reduce((a, b) => a + b, 0);
  [...weight].forEach(([o, w], i) => scale.set(o, sum > 0 ? caps[i]! / sum / w : 0));
  return scale;
}

/** The q-quantile of xs under the weights (the first value whose cumulative weight reaches q). */
function weightedQuantile(xs: readonly number[], weights: Float64Array, q: number): number {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  for (const i of order) {
    sum += weights[i]!;
    if (sum >= q * total) return xs[i]!;
  }
  return xs[order.at(-1)!]!;
}

/** Largest distance between the empirical distribution of xs and a normal (mu, sigma). */
function ksDistance(xs: readonly number[], l: LogNormal): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, i) => {
    const f = l.sigma > 0 ? normalCdf((x - l.mu) / l.sigma) : x < l.mu ? 0 : 1;
    d = Math.max(d, Math.abs((i + 1) / n - f), Math.abs(f - i / n));
  });
  return d;
}

/** Standard normal distribution function (Zelen & Severo 26.2.17, |error| < 7.5e-8). */
function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const poly =
    t *
    (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const p = 1 - Math.exp((-z * z) / 2) * 0.3989422804014327 * poly;
  return z >= 0 ? p : 1 - p;
}
