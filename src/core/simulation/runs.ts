import type { SimulationResult } from './corridor.ts';

/**
 * Several runs of a scenario (seeds seed, seed+1, ...) summed up as means with 95 % confidence
 * intervals (Student's t over the runs), and the differences between two scenarios run with the
 * same seeds (paired, common random numbers). Pure.
 */

export interface Estimate {
  mean: number;
  /** Half-width of the 95 % confidence interval; 0 with one run. */
  ci95: number;
}

/** Student's t 0.975 quantiles for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
];

export function estimate(xs: readonly number[]): Estimate {
  const n = xs.length;
  if (n === 0) return { mean: 0, ci95: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, ci95: 0 };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const t = n - 1 <= 30 ? T975[n - 2]! : 1.96;
  return { mean, ci95: (t * sd) / Math.sqrt(n) };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The figures compared between runs, by name. */
export function figures(r: SimulationResult): Map<string, number> {
  const m = new Map<string, number>();
  // TEU delivered in the period, whenever they set out ("throughput").
  m.set('throughput TEU', r.deliveredTeu);
  m.set('created and delivered TEU', r.createdAndDeliveredTeu);
  m.set('CO2e t', r.co2eTonnes);
  for (const od of r.ods) {
    m.set(`${od.from} → ${od.to}: delivered TEU`, od.deliveredTeu);
    m.set(`${od.from} → ${od.to}: transit P50 days`, od.transitDaysP50);
    m.set(`${od.from} → ${od.to}: transit P90 days`, od.transitDaysP90);
  }
  for (const x of r.resources) {
    m.set(`${x.id}: utilisation`, x.utilisation);
    m.set(`${x.id}: mean wait h`, x.meanWaitHours);
    m.set(`${x.id}: P90 wait h`, x.p90WaitHours);
    m.set(`${x.id}: mean at resource`, x.meanInResource);
    if (x.type === 'vessel')
      x.closedDaysByMonth.forEach((d, month) => m.set(`${x.id}: closed days ${MONTHS[month]!}`, d));
  }
  return m;
}

export function summarise(runs: readonly SimulationResult[]): Map<string, Estimate> {
  const all = runs.map(figures);
  const out = new Map<string, Estimate>();
  for (const key of all[0]?.keys() ?? []) out.set(key, estimate(all.map((f) => f.get(key) ?? 0)));
  return out;
}

/** B − A per figure over paired runs (the same seeds); figures of one side only are left out. */
export function compare(
  a: readonly SimulationResult[],
  b: readonly SimulationResult[],
): { figure: string; a: Estimate; b: Estimate; difference: Estimate }[] {
  const fa = a.map(figures);
  const fb = b.map(figures);
  const keys = [...(fa[0]?.keys() ?? [])].filter((k) => fb[0]?.has(k));
  return keys.map((k) => {
    const xa = fa.map((f) => f.get(k)!);
    const xb = fb.map((f) => f.get(k)!);
    return {
      figure: k,
      a: estimate(xa),
      b: estimate(xb),
      difference: estimate(xb.map((x, i) => x - xa[i]!)),
    };
  });
}
