import { quantile, type Samples } from './meter.ts';
import { CorridorModel } from './model.ts';
import type { ResourceSpec, Scenario } from './scenario.ts';

/**
 * The corridor as queues: containers arrive per origin–destination (Poisson, monthly seasonality)
 * and pass the resources of their route in order — trains that leave on their timetable with the
 * containers that fit, terminals with so many servers (border crossings, gauge changes, ports),
 * Caspian vessels that sail when full or after a maximum wait and not while the port is closed,
 * customs offices that release the green lane and inspect the rest with so many inspectors.
 * Seeded: the same scenario and seed give the same result. Pure.
 */

export interface ResourceResult {
  id: string;
  name: string;
  type: ResourceSpec['type'];
  /** Containers that arrived in the measured period. */
  arrivals: number;
  /** Busy share of servers (terminals, customs) or loaded share of capacity (trains, vessels). */
  utilisation: number;
  /** Waits until service starts (terminals, customs) or until departure (trains, vessels). */
  meanWaitHours: number;
  p90WaitHours: number;
  /** Mean, P50 and P90 of the waits that ended in each calendar month, January first. */
  meanWaitHoursByMonth: number[];
  p50WaitHoursByMonth: number[];
  p90WaitHoursByMonth: number[];
  /** Time-average containers at the resource (waiting or in service), and the most at once. */
  meanInResource: number;
  maxInResource: number;
  /** Little's law: arrivals per hour × mean hours at the resource (should equal meanInResource). */
  lambdaW: number;
  /** Containers at the resource at each day's end of the measured period (day 0: 1 January). */
  byDay: number[];
  /** Calendar days closed in the measured period by month, January first (weather and closures). */
  closedDaysByMonth: number[];
}

export interface OdResult {
  from: string;
  to: string;
  /** TEU that set out in the measured period. */
  createdTeu: number;
  /** TEU delivered in the measured period, whenever they set out. */
  deliveredTeu: number;
  /** TEU that both set out and were delivered in the measured period. */
  createdAndDeliveredTeu: number;
  /** Transit times of the containers delivered in the measured period. */
  transitDaysP50: number;
  transitDaysP90: number;
  transitDaysMean: number;
  /**
   * Transit P50 of the containers that set out on each day of the measured period (day 0:
   * 1 January) and were delivered by its end; 0 for a day with none.
   */
  transitDaysP50BySetOutDay: number[];
}

export interface SimulationResult {
  scenario: string;
  seed: number;
  days: number;
  events: number;
  /** Containers that completed their journey in the measured period. */
  journeys: number;
  /** TEU delivered in the measured period (all origin–destinations), whenever they set out. */
  deliveredTeu: number;
  /** TEU that both set out and were delivered in the measured period. */
  createdAndDeliveredTeu: number;
  co2eTonnes: number;
  ods: OdResult[];
  resources: ResourceResult[];
}

export interface SimulationOptions {
  days: number;
  seed: number;
  /** Called every simulated 30 days with the share done, 0..1. */
  progress?: (done: number) => void;
}

function monthlyQuantiles(months: readonly Samples[]): {
  p50WaitHoursByMonth: number[];
  p90WaitHoursByMonth: number[];
} {
  const sorted = months.map((m) => m.sorted().values);
  return {
    p50WaitHoursByMonth: sorted.map((v) => quantile(v, 0.5)),
    p90WaitHoursByMonth: sorted.map((v) => quantile(v, 0.9)),
  };
}

/** The P50 of the transits of the containers that set out on each day. */
function bySetOutDay(hours: Samples, transits: Samples, days: number): number[] {
  const byDay: number[][] = Array.from({ length: days }, () => []);
  for (let i = 0; i < hours.length; i++) {
    const day = Math.floor(hours.at(i) / 24);
    if (day < days) byDay[day]!.push(transits.at(i));
  }
  return byDay.map((xs) => quantile(Float64Array.from(xs).sort(), 0.5));
}

/** Runs the scenario for `days` after its warm-up. Pure: everything comes from the seed. */
export function simulate(scenario: Scenario, options: SimulationOptions): SimulationResult {
  const steps = simulation(scenario, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same run in steps of 30 simulated days: each step yields the share done, so that a caller
 * can give way to other work between steps; the last returns the result.
 */
export function* simulation(
  scenario: Scenario,
  options: SimulationOptions,
): Generator<number, SimulationResult, void> {
  const model = new CorridorModel(scenario, options.seed, options.days);
  const queue = model.queue;
  const end = model.end;
  for (let t = 0; t < end; t += 30 * 24) {
    queue.run(Math.min(end, t + 30 * 24), model.handler);
    const done = Math.min(1, (t + 30 * 24) / end);
    options.progress?.(done);
    yield done;
  }

  return {
    scenario: scenario.name,
    seed: options.seed,
    days: options.days,
    events: queue.processed,
    journeys: model.journeys,
    deliveredTeu: model.deliveredTeu.reduce((n, teu) => n + teu, 0),
    createdAndDeliveredTeu: model.createdAndDeliveredTeu.reduce((n, teu) => n + teu, 0),
    co2eTonnes: Math.round(model.co2eGrams / 1e4) / 100,
    ods: scenario.demand.map((d, i) => {
      const { values: sorted, sum } = model.transits[i]!.sorted();
      return {
        from: d.from,
        to: d.to,
        createdTeu: model.createdTeu[i]!,
        deliveredTeu: model.deliveredTeu[i]!,
        createdAndDeliveredTeu: model.createdAndDeliveredTeu[i]!,
        transitDaysP50: quantile(sorted, 0.5),
        transitDaysP90: quantile(sorted, 0.9),
        transitDaysMean: sorted.length > 0 ? sum / sorted.length : 0,
        transitDaysP50BySetOutDay: bySetOutDay(
          model.setOutHours[i]!,
          model.setOutTransits[i]!,
          options.days,
        ),
      };
    }),
    resources: Object.entries(scenario.resources).map(([id, spec], i) => {
      const meter = model.meters[i]!;
      const span = end - model.from;
      const meanInResource = meter.meanInside(end);
      const { values: waits, sum } = meter.waits.sorted();
      const meanStay = meter.left > 0 ? meter.stays / meter.left : 0;
      return {
        id,
        name: spec.name,
        type: spec.type,
        arrivals: meter.arrivals,
        utilisation: meter.offered > 0 ? Math.min(1, meter.busy / meter.offered) : 0,
        meanWaitHours: waits.length > 0 ? sum / waits.length : 0,
        p90WaitHours: quantile(waits, 0.9),
        meanWaitHoursByMonth: [...meter.waitHoursByMonth].map((h, m) =>
          meter.waitsByMonth[m]! > 0 ? h / meter.waitsByMonth[m]! : 0,
        ),
        ...monthlyQuantiles(meter.waitsInMonth),
        meanInResource,
        maxInResource: meter.max,
        lambdaW: span > 0 ? (meter.arrivals / span) * meanStay : 0,
        byDay: meter.byDay,
        closedDaysByMonth: [...model.closedDaysByMonth[i]!],
      };
    }),
  };
}
