import { seededRng, type Rng } from '../shared/rng.ts';
import { EventQueue } from './engine.ts';
import { Meter, Samples } from './meter.ts';
import type { Duration, Scenario } from './scenario.ts';

/**
 * The corridor's queues event by event (see corridor.ts for what they model). Containers are
 * numbers, their state columns of typed arrays, reused once a journey ends; the queues are ring
 * buffers of those numbers; events are integer codes. Once the arrays have grown to the busiest
 * moment, an event allocates nothing, so its cost does not grow with the demand.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_OF_DAY: readonly number[] = DAYS_IN_MONTH.flatMap((n, m) => Array<number>(n).fill(m));
const Z90 = 1.2815515655446004;

// Resource kinds.
const TRAIN = 0;
const TERMINAL = 1;
const CUSTOMS = 2;
const VESSEL = 3;

// Events: the kind in the low 4 bits of the code, above it the resource, container or
// origin–destination it concerns; a vessel's voyage as the event's argument.
const KIND_BITS = 4;
const KIND_MASK = 15;
const ARRIVAL = 0;
const DEPART = 1;
const FREE = 2;
const START = 3;
const DEPARTURE = 4;
const SAIL = 5;
const MAX_WAIT = 6;
const RETURN = 7;
const SAMPLE = 8;

// Durations: exponential, fixed or lognormal.
const EXPONENTIAL = 0;
const FIXED = 1;
const LOGNORMAL = 2;

/** Containers waiting, first in first out, as a ring buffer that doubles when full. */
class Ring {
  private items = new Int32Array(64);
  private head = 0;
  size = 0;

  push(x: number): void {
    if (this.size === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      for (let i = 0; i < this.size; i++)
        grown[i] = this.items[(this.head + i) & (this.items.length - 1)]!;
      this.items = grown;
      this.head = 0;
    }
    this.items[(this.head + this.size) & (this.items.length - 1)] = x;
    this.size++;
  }

  peek(): number {
    return this.items[this.head]!;
  }

  shift(): number {
    const x = this.items[this.head]!;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.size--;
    return x;
  }
}

/** The month (0 = January) of a calendar day counted from 1 January (negative: the year before). */
function monthOfCalendarDay(day: number): number {
  return MONTH_OF_DAY[((day % 365) + 365) % 365]!;
}

/**
 * Weather closures of a port: each calendar month is closed on exactly its number of days (a
 * fraction adds one more day with that chance), in spells of 1 to `spellMaxDays` days in a row at
 * random places in the month — storms close a port for days on end ([F66] a week, [F67] five
 * days), and the published figures are counts or shares of a month ([F03], [F65]). Day `d` of
 * `closed` is calendar day `d - warmupDays` (0 = 1 January of the measured period).
 */
function drawWeatherClosures(
  closed: Uint8Array,
  warmupDays: number,
  byMonth: readonly number[],
  spellMaxDays: number,
  rng: Rng,
): void {
  const first = -warmupDays;
  const last = closed.length - warmupDays;
  // The months overlapping the run, each with its first calendar day.
  let start = first - (((first % 365) + 365) % 365);
  for (; start < last; start += 365) {
    let monthStart = start;
    for (let m = 0; m < 12; m++) {
      const length = DAYS_IN_MONTH[m]!;
      const target = byMonth[m]!;
      let count = Math.floor(target) + (rng.next() < target - Math.floor(target) ? 1 : 0);
      count = Math.min(count, length);
      let placed = 0;
      for (let attempt = 0; placed < count && attempt < 200; attempt++) {
        const spell = Math.min(count - placed, 1 + Math.floor(rng.next() * spellMaxDays));
        const at = Math.floor(rng.next() * (length - spell + 1));
        let free = true;
        for (let k = 0; k < spell; k++) if (isClosed(monthStart + at + k)) free = false;
        if (!free) continue;
        for (let k = 0; k < spell; k++) close(monthStart + at + k);
        placed += spell;
      }
      // A month too crowded for spells at random places takes its remaining days in order.
      for (let k = 0; placed < count && k < length; k++)
        if (!isClosed(monthStart + k)) {
          close(monthStart + k);
          placed++;
        }
      monthStart += length;
    }
  }
  function index(day: number): number {
    return day + warmupDays;
  }
  function isClosed(day: number): boolean {
    const i = index(day);
    return i >= 0 && i < closed.length && closed[i] === 1;
  }
  function close(day: number): void {
    const i = index(day);
    if (i >= 0 && i < closed.length) closed[i] = 1;
  }
}

export class CorridorModel {
  readonly queue = new EventQueue();
  readonly meters: Meter[];
  /**
   * Per origin–destination, in the measured period: TEU created; TEU delivered (whenever they
   * were created); TEU both created and delivered in it; transit days of the containers delivered.
   */
  readonly createdTeu: Float64Array;
  readonly deliveredTeu: Float64Array;
  readonly createdAndDeliveredTeu: Float64Array;
  readonly transits: Samples[];
  /** Per origin–destination, in delivery order: the hour each delivered container set out, and its transit days. */
  readonly setOutHours: Samples[];
  readonly setOutTransits: Samples[];
  /** Per resource: calendar days closed in the measured period, by month (January first). */
  readonly closedDaysByMonth: Float64Array[];
  co2eGrams = 0;
  journeys = 0;
  /** Runs one event; for EventQueue.run. */
  readonly handler = (code: number, arg: number): void => this.handle(code, arg);

  private readonly rng: Rng;
  /** The measured window, hours: after the warm-up to the end. */
  readonly from: number;
  readonly end: number;
  /** Days of warm-up: the measured period starts on 1 January, so the run starts that many days before. */
  private readonly warmupDays: number;

  // Resources, by index in the scenario's order.
  private readonly kind: Uint8Array;
  private readonly closedDays: Uint8Array[];
  /** Two durations a resource (service, run or crossing; customs' green lane), compiled. */
  private readonly durKind: Uint8Array;
  private readonly durA: Float64Array;
  private readonly durB: Float64Array;
  private readonly servers: Int32Array;
  private readonly busy: Int32Array;
  private readonly greenShare: Float64Array;
  private readonly capacityTeu: Float64Array;
  private readonly headwayHours: Float64Array;
  private readonly distanceKm: Float64Array;
  private readonly co2eGramsPerTeuKm: Float64Array;
  private readonly maxWaitHours: Float64Array;
  private readonly returnHours: Float64Array;
  private readonly waiting: Ring[];
  private readonly idle: Int32Array;
  private readonly voyage: Int32Array;
  private readonly loading: Uint8Array;
  private readonly load: Float64Array;
  private readonly cargo: Int32Array[];
  private readonly cargoCount: Int32Array;

  // Origin–destinations: containers an hour before seasonality, TEU a container, route.
  private readonly perHour: Float64Array;
  private readonly seasonality: Float64Array;
  private readonly odTeu: Int32Array;
  private readonly routeStart: Int32Array;
  private readonly routeLength: Int32Array;
  private readonly route: Int32Array;

  // Containers, as columns; free numbers on a stack.
  private boxOd = new Int32Array(1024);
  private boxStep = new Int32Array(1024);
  private boxCreated = new Float64Array(1024);
  private boxEntered = new Float64Array(1024);
  private freeBoxes = new Int32Array(1024);
  private freeCount = 0;
  private boxes = 0;

  constructor(scenario: Scenario, seed: number, days: number) {
    this.rng = seededRng(seed);
    const from = scenario.warmupDays * 24;
    const end = from + days * 24;
    this.from = from;
    this.end = end;
    this.warmupDays = scenario.warmupDays;
    const ids = Object.keys(scenario.resources);
    const specs = ids.map((id) => scenario.resources[id]!);
    const index = new Map(ids.map((id, i) => [id, i]));
    const n = ids.length;

    // Containers expected through each resource in the measured window, to size the arrays.
    const expected = new Float64Array(n);
    const odExpected = scenario.demand.map((d) => {
      const peak = Math.max(...d.seasonality);
      const count = (d.teuPerWeek / d.teuPerContainer / 168) * peak * (end - from) * 1.05 + 64;
      for (const r of d.route) expected[index.get(r)!]! += count;
      return count;
    });
    this.meters = ids.map((_, i) => new Meter(from, expected[i]!, scenario.warmupDays));
    this.createdTeu = new Float64Array(scenario.demand.length);
    this.deliveredTeu = new Float64Array(scenario.demand.length);
    this.createdAndDeliveredTeu = new Float64Array(scenario.demand.length);
    this.transits = odExpected.map((c) => new Samples(c));
    this.setOutHours = odExpected.map((c) => new Samples(c));
    this.setOutTransits = odExpected.map((c) => new Samples(c));

    // Closed days per resource: weather (vessels: a fixed count each calendar month, in spells)
    // and explicit closures (calendar days from 1 January of the measured period).
    const totalDays = Math.ceil(end / 24) + 1;
    this.closedDays = specs.map((spec, i) => {
      const closed = new Uint8Array(totalDays);
      if (spec.type === 'vessel')
        drawWeatherClosures(
          closed,
          scenario.warmupDays,
          spec.closureDaysByMonth,
          spec.closureSpellMaxDays,
          this.rng,
        );
      for (const c of scenario.closures)
        if (c.resource === ids[i])
          for (
            let d = c.fromDay + scenario.warmupDays;
            d < Math.min(totalDays, c.fromDay + scenario.warmupDays + c.days);
            d++
          )
            closed[d] = 1;
      return closed;
    });
    this.closedDaysByMonth = this.closedDays.map((closed) => {
      const byMonth = new Float64Array(12);
      for (let d = scenario.warmupDays; d < scenario.warmupDays + days; d++)
        if (closed[d] === 1) byMonth[monthOfCalendarDay(d - scenario.warmupDays)]!++;
      // A month's days a year: over a run of several years, the mean of its years.
      for (let m = 0; m < 12; m++) byMonth[m] = byMonth[m]! / Math.max(1, days / 365);
      return byMonth;
    });

    this.kind = new Uint8Array(n);
    this.durKind = new Uint8Array(2 * n);
    this.durA = new Float64Array(2 * n);
    this.durB = new Float64Array(2 * n);
    const compile = (i: number, d: Duration) => {
      if ('exponentialMeanHours' in d) {
        this.durKind[i] = EXPONENTIAL;
        this.durA[i] = d.exponentialMeanHours;
      } else if (d.p90Hours === d.p50Hours) {
        this.durKind[i] = FIXED;
        this.durA[i] = d.p50Hours;
      } else {
        this.durKind[i] = LOGNORMAL;
        this.durA[i] = d.p50Hours;
        this.durB[i] = Math.log(d.p90Hours / d.p50Hours) / Z90;
      }
    };
    this.servers = new Int32Array(n);
    this.busy = new Int32Array(n);
    this.greenShare = new Float64Array(n);
    this.capacityTeu = new Float64Array(n);
    this.headwayHours = new Float64Array(n);
    this.distanceKm = new Float64Array(n);
    this.co2eGramsPerTeuKm = new Float64Array(n);
    this.maxWaitHours = new Float64Array(n);
    this.returnHours = new Float64Array(n);
    this.waiting = specs.map(() => new Ring());
    this.idle = new Int32Array(n);
    this.voyage = new Int32Array(n);
    this.loading = new Uint8Array(n);
    this.load = new Float64Array(n);
    this.cargo = specs.map((s) => new Int32Array(s.type === 'vessel' ? s.capacityTeu : 0));
    this.cargoCount = new Int32Array(n);
    specs.forEach((spec, i) => {
      switch (spec.type) {
        case 'train':
          this.kind[i] = TRAIN;
          compile(2 * i, spec.run);
          this.capacityTeu[i] = spec.capacityTeu;
          this.headwayHours[i] = spec.headwayHours;
          this.distanceKm[i] = spec.distanceKm;
          this.co2eGramsPerTeuKm[i] = spec.co2eGramsPerTeuKm;
          break;
        case 'terminal':
          this.kind[i] = TERMINAL;
          compile(2 * i, spec.process);
          // Background traffic takes its share of the servers; the corridor has the rest.
          this.servers[i] = Math.max(
            1,
            spec.servers -
              Math.round(
                (spec.servers * spec.backgroundTrainsPerDay) / (spec.trainsPerDay ?? Infinity),
              ),
          );
          break;
        case 'customs':
          this.kind[i] = CUSTOMS;
          compile(2 * i, spec.inspection);
          compile(2 * i + 1, spec.green);
          this.servers[i] = spec.inspectors;
          this.greenShare[i] = spec.greenShare;
          break;
        case 'vessel':
          this.kind[i] = VESSEL;
          compile(2 * i, spec.crossing);
          this.capacityTeu[i] = spec.capacityTeu;
          this.idle[i] = spec.vessels;
          this.maxWaitHours[i] = spec.maxWaitHours;
          this.returnHours[i] = spec.returnHours;
          this.distanceKm[i] = spec.distanceKm;
          this.co2eGramsPerTeuKm[i] = spec.co2eGramsPerTeuKm;
          break;
      }
      // Capacity offered in the measured window, for utilisation.
      if (spec.type === 'terminal' || spec.type === 'customs')
        this.meters[i]!.offered = this.servers[i]! * (end - from);
    });

    const demand = scenario.demand;
    this.perHour = new Float64Array(demand.map((d) => d.teuPerWeek / d.teuPerContainer / 168));
    this.seasonality = new Float64Array(demand.flatMap((d) => d.seasonality));
    this.odTeu = new Int32Array(demand.map((d) => d.teuPerContainer));
    this.routeLength = new Int32Array(demand.map((d) => d.route.length));
    this.routeStart = new Int32Array(demand.length);
    for (let od = 1; od < demand.length; od++)
      this.routeStart[od] = this.routeStart[od - 1]! + this.routeLength[od - 1]!;
    this.route = new Int32Array(demand.flatMap((d) => d.route.map((id) => index.get(id)!)));

    // The first events: trains' first departures, each demand's first arrival, the first sample.
    specs.forEach((spec, i) => {
      if (spec.type === 'train')
        this.queue.at(spec.firstDepartureHour, (i << KIND_BITS) | DEPARTURE, 0);
    });
    for (let od = 0; od < demand.length; od++) this.scheduleArrival(od);
    this.queue.at(from + 24, SAMPLE, 0);
  }

  private handle(code: number, arg: number): void {
    const x = code >> KIND_BITS;
    switch (code & KIND_MASK) {
      case DEPART:
        this.depart(x);
        return;
      case FREE:
        this.busy[x] = this.busy[x]! - 1;
        this.start(x);
        return;
      case ARRIVAL:
        this.arrival(x);
        return;
      case START:
        this.start(x);
        return;
      case DEPARTURE:
        this.departure(x);
        return;
      case SAIL:
        if (arg === this.voyage[x]) this.sail(x);
        return;
      case MAX_WAIT:
        if (arg === this.voyage[x] && this.loading[x] === 1) this.sail(x);
        return;
      case RETURN:
        this.idle[x] = this.idle[x]! + 1;
        this.loadNext(x);
        return;
      default:
        this.sample();
    }
  }

  /** A draw of resource duration `i` (2 × resource, + 1 for customs' green lane), hours. */
  private draw(i: number): number {
    const kind = this.durKind[i];
    if (kind === EXPONENTIAL) return -this.durA[i]! * Math.log(1 - this.rng.next());
    if (kind === FIXED) return this.durA[i]!;
    return this.durA[i]! * Math.exp(this.durB[i]! * this.rng.normal());
  }

  /** The first open instant of resource `r` at or after `t`. */
  private openAt(r: number, t: number): number {
    const days = this.closedDays[r]!;
    let d = Math.floor(t / 24);
    if (d >= days.length || days[d] === 0) return t;
    while (d < days.length && days[d] === 1) d++;
    return d * 24;
  }

  private scheduleArrival(od: number): void {
    let t = this.queue.now;
    for (let guard = 0; guard < 24; guard++) {
      const month = monthOfCalendarDay(Math.floor(t / 24) - this.warmupDays);
      const rate = this.perHour[od]! * this.seasonality[12 * od + month]!;
      if (rate > 0) {
        this.queue.at(t - Math.log(1 - this.rng.next()) / rate, (od << KIND_BITS) | ARRIVAL, 0);
        return;
      }
      t = (Math.floor(t / 24) + 1) * 24;
    }
  }

  /** Demand: a container appears at its origin, and the next is scheduled. */
  private arrival(od: number): void {
    const t = this.queue.now;
    if (t >= this.from) this.createdTeu[od] = this.createdTeu[od]! + this.odTeu[od]!;
    let box: number;
    if (this.freeCount > 0) box = this.freeBoxes[--this.freeCount]!;
    else {
      box = this.boxes++;
      if (box === this.boxOd.length) this.growBoxes();
    }
    this.boxOd[box] = od;
    this.boxStep[box] = 0;
    this.boxCreated[box] = t;
    this.boxEntered[box] = t;
    this.next(box);
    this.scheduleArrival(od);
  }

  /** The container goes to the next resource of its route, or ends its journey. */
  private next(box: number): void {
    const now = this.queue.now;
    const od = this.boxOd[box]!;
    const step = this.boxStep[box]!;
    if (step >= this.routeLength[od]!) {
      const created = this.boxCreated[box]!;
      if (now >= this.from) {
        this.deliveredTeu[od] = this.deliveredTeu[od]! + this.odTeu[od]!;
        if (created >= this.from)
          this.createdAndDeliveredTeu[od] = this.createdAndDeliveredTeu[od]! + this.odTeu[od]!;
        this.transits[od]!.push((now - created) / 24);
        if (created >= this.from) {
          this.setOutHours[od]!.push(created - this.from);
          this.setOutTransits[od]!.push((now - created) / 24);
        }
        this.journeys++;
      }
      this.freeBoxes[this.freeCount++] = box;
      return;
    }
    this.boxEntered[box] = now;
    const r = this.route[this.routeStart[od]! + step]!;
    this.meters[r]!.enter(now);
    const kind = this.kind[r];
    if (kind === CUSTOMS && this.rng.next() < this.greenShare[r]!) {
      // The green lane: released without queueing for an inspector.
      this.meters[r]!.waited(now, now);
      this.queue.at(now + this.draw(2 * r + 1), (box << KIND_BITS) | DEPART, 0);
      return;
    }
    this.waiting[r]!.push(box);
    if (kind === TERMINAL || kind === CUSTOMS) this.start(r);
    else if (kind === VESSEL) this.loadNext(r);
  }

  /** The container leaves the resource it is at. */
  private depart(box: number): void {
    const od = this.boxOd[box]!;
    const step = this.boxStep[box]!;
    const r = this.route[this.routeStart[od]! + step]!;
    this.meters[r]!.leave(this.queue.now, this.boxEntered[box]!);
    this.boxStep[box] = step + 1;
    this.next(box);
  }

  /** A terminal or customs office serves whom it can, unless it is closed. */
  private start(r: number): void {
    const q = this.queue;
    const waiting = this.waiting[r]!;
    const meter = this.meters[r]!;
    const servers = this.servers[r]!;
    while (this.busy[r]! < servers && waiting.size > 0) {
      const now = q.now;
      const t = this.openAt(r, now);
      if (t > now) {
        q.at(t, (r << KIND_BITS) | START, 0);
        return;
      }
      const box = waiting.shift();
      this.busy[r] = this.busy[r]! + 1;
      meter.waited(now, this.boxEntered[box]!);
      const h = this.draw(2 * r);
      if (now >= this.from) meter.busy += h;
      q.at(now + h, (box << KIND_BITS) | DEPART, 0);
      q.at(now + h, (r << KIND_BITS) | FREE, 0);
    }
  }

  /** A train's departure time: it leaves with the containers that fit, unless the line is closed. */
  private departure(r: number): void {
    const q = this.queue;
    const t = q.now;
    if (this.openAt(r, t) === t) {
      const waiting = this.waiting[r]!;
      const meter = this.meters[r]!;
      const capacity = this.capacityTeu[r]!;
      let load = 0;
      const run = this.draw(2 * r);
      while (waiting.size > 0) {
        const box = waiting.peek();
        const teu = this.odTeu[this.boxOd[box]!]!;
        if (load + teu > capacity) break;
        waiting.shift();
        load += teu;
        meter.waited(t, this.boxEntered[box]!);
        if (t >= this.from)
          this.co2eGrams += teu * this.distanceKm[r]! * this.co2eGramsPerTeuKm[r]!;
        q.at(t + run, (box << KIND_BITS) | DEPART, 0);
      }
      if (t >= this.from) {
        meter.busy += load;
        meter.offered += capacity;
      }
    }
    q.at(t + this.headwayHours[r]!, (r << KIND_BITS) | DEPARTURE, 0);
  }

  /** The loading vessel sails with its cargo, unless the port is closed. */
  private sail(r: number): void {
    const q = this.queue;
    const now = q.now;
    const t = this.openAt(r, now);
    if (t > now) {
      q.at(t, (r << KIND_BITS) | SAIL, this.voyage[r]!);
      return;
    }
    const crossing = this.draw(2 * r);
    const cargo = this.cargo[r]!;
    const count = this.cargoCount[r]!;
    const meter = this.meters[r]!;
    for (let i = 0; i < count; i++) {
      const box = cargo[i]!;
      // A container's wait at the port ends when its vessel sails, not when it is loaded.
      meter.waited(now, this.boxEntered[box]!);
      if (now >= this.from)
        this.co2eGrams +=
          this.odTeu[this.boxOd[box]!]! * this.distanceKm[r]! * this.co2eGramsPerTeuKm[r]!;
      q.at(now + crossing, (box << KIND_BITS) | DEPART, 0);
    }
    if (now >= this.from) {
      meter.busy += this.load[r]!;
      meter.offered += this.capacityTeu[r]!;
    }
    this.loading[r] = 0;
    this.cargoCount[r] = 0;
    this.load[r] = 0;
    this.voyage[r] = this.voyage[r]! + 1;
    q.at(now + crossing + this.returnHours[r]!, (r << KIND_BITS) | RETURN, 0);
    this.loadNext(r);
  }

  /** An idle vessel starts loading; the loading vessel takes what fits and sails when full. */
  private loadNext(r: number): void {
    const q = this.queue;
    const waiting = this.waiting[r]!;
    if (this.loading[r] === 0) {
      if (this.idle[r] === 0 || waiting.size === 0) return;
      this.idle[r] = this.idle[r]! - 1;
      this.loading[r] = 1;
      q.at(q.now + this.maxWaitHours[r]!, (r << KIND_BITS) | MAX_WAIT, this.voyage[r]!);
    }
    const capacity = this.capacityTeu[r]!;
    const cargo = this.cargo[r]!;
    let load = this.load[r]!;
    while (waiting.size > 0) {
      const box = waiting.peek();
      const teu = this.odTeu[this.boxOd[box]!]!;
      if (load + teu > capacity) break;
      waiting.shift();
      load += teu;
      cargo[this.cargoCount[r]!] = box;
      this.cargoCount[r] = this.cargoCount[r]! + 1;
    }
    this.load[r] = load;
    if (
      load + 1 > capacity ||
      (waiting.size > 0 && load + this.odTeu[this.boxOd[waiting.peek()]!]! > capacity)
    )
      this.sail(r);
  }

  /** Each day's end: what is at each resource; then the next day's. */
  private sample(): void {
    const now = this.queue.now;
    for (const m of this.meters) m.sample(now);
    if (now + 24 <= this.end) this.queue.at(now + 24, SAMPLE, 0);
  }

  private growBoxes(): void {
    const n = this.boxOd.length * 2;
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.boxOd = i32(this.boxOd);
    this.boxStep = i32(this.boxStep);
    this.boxCreated = f64(this.boxCreated);
    this.boxEntered = f64(this.boxEntered);
    this.freeBoxes = i32(this.freeBoxes);
  }
}
