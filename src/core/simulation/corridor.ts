import { seededRng, type Rng } from '../shared/rng.ts';
import { Scheduler } from './engine.ts';
import type { Duration, ResourceSpec, Scenario } from './scenario.ts';

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
  meanWaitHours: number;
  p90WaitHours: number;
  /** Time-average containers at the resource (waiting or in service), and the most at once. */
  meanInResource: number;
  maxInResource: number;
  /** Little's law: arrivals per hour × mean hours at the resource (should equal meanInResource). */
  lambdaW: number;
  /** Containers at the resource at each day's end of the measured period. */
  byDay: number[];
}

export interface OdResult {
  from: string;
  to: string;
  createdTeu: number;
  deliveredTeu: number;
  transitDaysP50: number;
  transitDaysP90: number;
  transitDaysMean: number;
}

export interface SimulationResult {
  scenario: string;
  seed: number;
  days: number;
  events: number;
  /** Containers that completed their journey in the measured period. */
  journeys: number;
  throughputTeu: number;
  co2eTonnes: number;
  ods: OdResult[];
  resources: ResourceResult[];
}

interface Box {
  od: number;
  teu: number;
  created: number;
  step: number;
  enteredAt: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_OF_DAY: number[] = DAYS_IN_MONTH.flatMap((n, m) => Array<number>(n).fill(m));
const monthOf = (hour: number) => MONTH_OF_DAY[Math.floor(hour / 24) % 365]!;
const Z90 = 1.2815515655446004;

function drawer(rng: Rng): (d: Duration) => number {
  return (d) => {
    if ('exponentialMeanHours' in d) return -d.exponentialMeanHours * Math.log(1 - rng.next());
    if (d.p90Hours === d.p50Hours) return d.p50Hours;
    const sigma = Math.log(d.p90Hours / d.p50Hours) / Z90;
    return d.p50Hours * Math.exp(sigma * rng.normal());
  };
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Statistics of one resource over the measured window [from, to]. */
class Meter {
  arrivals = 0;
  private inside = 0;
  private lastChange = 0;
  private area = 0;
  max = 0;
  waits: number[] = [];
  stays = 0;
  left = 0;
  byDay: number[] = [];
  busy = 0;
  offered = 0;

  constructor(private readonly from: number) {}

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

  leave(now: number, box: Box): void {
    this.integrate(now);
    this.inside--;
    if (box.enteredAt >= this.from) {
      this.stays += now - box.enteredAt;
      this.left++;
    }
  }

  waited(now: number, box: Box): void {
    if (box.enteredAt >= this.from) this.waits.push(now - box.enteredAt);
  }

  sample(now: number): void {
    if (now >= this.from) this.byDay.push(this.inside);
  }

  result(id: string, spec: ResourceSpec, to: number): ResourceResult {
    this.integrate(to);
    const span = to - this.from;
    const waits = this.waits.sort((a, b) => a - b);
    const meanStay = this.left > 0 ? this.stays / this.left : 0;
    return {
      id,
      name: spec.name,
      type: spec.type,
      arrivals: this.arrivals,
      utilisation: this.offered > 0 ? Math.min(1, this.busy / this.offered) : 0,
      meanWaitHours: waits.length > 0 ? waits.reduce((a, b) => a + b, 0) / waits.length : 0,
      p90WaitHours: quantile(waits, 0.9),
      meanInResource: span > 0 ? this.area / span : 0,
      maxInResource: this.max,
      lambdaW: span > 0 ? (this.arrivals / span) * meanStay : 0,
      byDay: this.byDay,
    };
  }
}

export interface SimulationOptions {
  days: number;
  seed: number;
  /** Called every simulated 30 days with the share done, 0..1. */
  progress?: (done: number) => void;
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
  const rng = seededRng(options.seed);
  const draw = drawer(rng);
  const sim = new Scheduler();
  const from = scenario.warmupDays * 24;
  const end = from + options.days * 24;
  const ids = Object.keys(scenario.resources);
  const meters = new Map(ids.map((id) => [id, new Meter(from)]));

  // Closed hours per resource: weather (vessels, by month) and explicit closures.
  const totalDays = Math.ceil(end / 24) + 1;
  const closed = new Map<string, Uint8Array>();
  for (const id of ids) {
    const spec = scenario.resources[id]!;
    const days = new Uint8Array(totalDays);
    if (spec.type === 'vessel')
      for (let d = 0; d < totalDays; d++) {
        const m = MONTH_OF_DAY[d % 365]!;
        if (rng.next() < spec.closureDaysByMonth[m]! / DAYS_IN_MONTH[m]!) days[d] = 1;
      }
    for (const c of scenario.closures)
      if (c.resource === id)
        for (
          let d = c.fromDay + scenario.warmupDays;
          d < Math.min(totalDays, c.fromDay + scenario.warmupDays + c.days);
          d++
        )
          days[d] = 1;
    closed.set(id, days);
  }
  /** The first open instant at or after `t`. */
  const openAt = (id: string, t: number): number => {
    const days = closed.get(id)!;
    let d = Math.floor(t / 24);
    if (d >= days.length || days[d] === 0) return t;
    while (d < days.length && days[d] === 1) d++;
    return d * 24;
  };

  const odStats = scenario.demand.map(() => ({
    created: 0,
    delivered: 0,
    transits: [] as number[],
  }));
  let co2eGrams = 0;
  let journeys = 0;
  const arrive = new Map<string, (box: Box) => void>();
  // Each route's meters and arrivals by step, looked up by index rather than by id per event.
  const routeMeters = scenario.demand.map((d) => d.route.map((id) => meters.get(id)!));
  let routeArrive: ((box: Box) => void)[][] = [];

  const next = (box: Box) => {
    const d = scenario.demand[box.od]!;
    if (box.step >= d.route.length) {
      if (box.created >= from) {
        const s = odStats[box.od]!;
        s.delivered += box.teu;
        s.transits.push((sim.now - box.created) / 24);
        journeys++;
      }
      return;
    }
    box.enteredAt = sim.now;
    routeMeters[box.od]![box.step]!.enter(sim.now);
    routeArrive[box.od]![box.step]!(box);
  };
  const depart = (meter: Meter, box: Box, at: number) => {
    sim.at(at, () => {
      meter.leave(sim.now, box);
      box.step++;
      next(box);
    });
  };

  for (const id of ids) {
    const spec = scenario.resources[id]!;
    const meter = meters.get(id)!;
    if (spec.type === 'terminal' || spec.type === 'customs') {
      const servers = spec.type === 'terminal' ? spec.servers : spec.inspectors;
      const service = spec.type === 'terminal' ? spec.process : spec.inspection;
      const queue: Box[] = [];
      let head = 0;
      let busy = 0;
      const start = () => {
        while (busy < servers && head < queue.length) {
          const t = openAt(id, sim.now);
          if (t > sim.now) {
            sim.at(t, start);
            return;
          }
          const box = queue[head++]!;
          if (head > 1024 && head * 2 > queue.length) {
            queue.splice(0, head);
            head = 0;
          }
          busy++;
          meter.waited(sim.now, box);
          const h = draw(service);
          if (sim.now >= from) meter.busy += h;
          depart(meter, box, sim.now + h);
          sim.at(sim.now + h, () => {
            busy--;
            start();
          });
        }
      };
      arrive.set(id, (box) => {
        if (spec.type === 'customs' && rng.next() < spec.greenShare) {
          meter.waited(sim.now, box);
          depart(meter, box, sim.now + draw(spec.green));
          return;
        }
        queue.push(box);
        start();
      });
      // Capacity offered in the measured window, for utilisation.
      meter.offered = servers * (end - from);
    } else if (spec.type === 'train') {
      const waiting: Box[] = [];
      let head = 0;
      arrive.set(id, (box) => waiting.push(box));
      const departure = () => {
        const t = sim.now;
        if (openAt(id, t) === t) {
          let load = 0;
          const run = draw(spec.run);
          while (head < waiting.length && load + waiting[head]!.teu <= spec.capacityTeu) {
            const box = waiting[head++]!;
            load += box.teu;
            meter.waited(t, box);
            if (t >= from) co2eGrams += box.teu * spec.distanceKm * spec.co2eGramsPerTeuKm;
            depart(meter, box, t + run);
          }
          if (head > 1024 && head * 2 > waiting.length) {
            waiting.splice(0, head);
            head = 0;
          }
          if (t >= from) {
            meter.busy += load;
            meter.offered += spec.capacityTeu;
          }
        }
        sim.at(t + spec.headwayHours, departure);
      };
      sim.at(spec.firstDepartureHour, departure);
    } else {
      const waiting: Box[] = [];
      let head = 0;
      let idle = spec.vessels;
      let cargo: Box[] | null = null;
      let load = 0;
      let voyage = 0;
      const sail = () => {
        const t = openAt(id, sim.now);
        if (t > sim.now) {
          const v = voyage;
          sim.at(t, () => {
            if (v === voyage) sail();
          });
          return;
        }
        const crossing = draw(spec.crossing);
        for (const box of cargo!) {
          if (sim.now >= from) co2eGrams += box.teu * spec.distanceKm * spec.co2eGramsPerTeuKm;
          depart(meter, box, sim.now + crossing);
        }
        if (sim.now >= from) {
          meter.busy += load;
          meter.offered += spec.capacityTeu;
        }
        cargo = null;
        load = 0;
        voyage++;
        sim.at(sim.now + crossing + spec.returnHours, () => {
          idle++;
          loadNext();
        });
        loadNext();
      };
      const loadNext = () => {
        if (cargo === null) {
          if (idle === 0 || head >= waiting.length) return;
          idle--;
          cargo = [];
          const v = voyage;
          sim.at(sim.now + spec.maxWaitHours, () => {
            if (v === voyage && cargo !== null) sail();
          });
        }
        while (head < waiting.length && load + waiting[head]!.teu <= spec.capacityTeu) {
          const box = waiting[head++]!;
          load += box.teu;
          meter.waited(sim.now, box);
          cargo.push(box);
        }
        if (head > 1024 && head * 2 > waiting.length) {
          waiting.splice(0, head);
          head = 0;
        }
        if (
          load + 1 > spec.capacityTeu ||
          (head < waiting.length && load + waiting[head]!.teu > spec.capacityTeu)
        )
          sail();
      };
      arrive.set(id, (box) => {
        waiting.push(box);
        loadNext();
      });
    }
  }

  routeArrive = scenario.demand.map((d) => d.route.map((id) => arrive.get(id)!));

  // Demand: Poisson arrivals with the month's rate.
  scenario.demand.forEach((d, od) => {
    const perHour = (t: number) =>
      (d.teuPerWeek / d.teuPerContainer / 168) * d.seasonality[monthOf(t)]!;
    const arrival = () => {
      const t = sim.now;
      if (t >= from) odStats[od]!.created += d.teuPerContainer;
      next({ od, teu: d.teuPerContainer, created: t, step: 0, enteredAt: t });
      schedule();
    };
    const schedule = () => {
      let t = sim.now;
      for (let guard = 0; guard < 24; guard++) {
        const rate = perHour(t);
        if (rate > 0) {
          sim.at(t - Math.log(1 - rng.next()) / rate, arrival);
          return;
        }
        t = (Math.floor(t / 24) + 1) * 24;
      }
    };
    schedule();
  });

  // Daily samples of what is at each resource.
  const sampleAt = (t: number) =>
    sim.at(t, () => {
      for (const m of meters.values()) m.sample(sim.now);
      if (t + 24 <= end) sampleAt(t + 24);
    });
  sampleAt(from + 24);

  for (let t = 0; t < end; t += 30 * 24) {
    sim.run(Math.min(end, t + 30 * 24));
    const done = Math.min(1, (t + 30 * 24) / end);
    options.progress?.(done);
    yield done;
  }

  return {
    scenario: scenario.name,
    seed: options.seed,
    days: options.days,
    events: sim.processed,
    journeys,
    throughputTeu: odStats.reduce((n, s) => n + s.delivered, 0),
    co2eTonnes: Math.round(co2eGrams / 1e4) / 100,
    ods: scenario.demand.map((d, i) => {
      const s = odStats[i]!;
      const sorted = s.transits.sort((a, b) => a - b);
      return {
        from: d.from,
        to: d.to,
        createdTeu: s.created,
        deliveredTeu: s.delivered,
        transitDaysP50: quantile(sorted, 0.5),
        transitDaysP90: quantile(sorted, 0.9),
        transitDaysMean: sorted.length > 0 ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0,
      };
    }),
    resources: ids.map((id) => meters.get(id)!.result(id, scenario.resources[id]!, end)),
  };
}
