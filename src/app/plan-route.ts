import type { Itinerary, ItineraryLeg, PlanError, PlanResponse } from '../api/plan.ts';
import {
  CONTAINER_CODES,
  grossKgOf,
  parseContainers,
  type ContainerCode,
  type ContainerGroup,
} from '../core/shared/cargo.ts';
import { addDays } from '../core/shared/time-zone.ts';
import { MS_PER_DAY, type EpochMs, type IsoDate } from '../core/shared/units.ts';
import type { Clock } from './ports.ts';
import { parseWhen } from './plan-dates.ts';
import type { Corridor, Network, Service } from '../core/network/network.ts';
import { placeLabel, resolvePlace } from '../core/network/places.ts';
import { corridorOfPath, pathFacts, type DirectedLink } from '../core/network/path-facts.ts';
import { generateTimetable } from '../core/network/timetable.ts';
import { legCost, rideTariff } from '../core/pricing/tariff.ts';
import { cumulativeKgCo2ePerTonne } from '../core/emissions/emissions.ts';
import { documentName, documentsNeeded, regimesOf } from '../core/customs/regimes.ts';
import { seedOf } from '../core/shared/rng.ts';
import {
  buildRoutingModel,
  journeySteps,
  searchJourneys,
  convolveArrival,
  simulateArrival,
  simulateArrivalMonteCarlo,
  type ArrivalSpread,
  type Journey,
  type RideCriteria,
  type RoutingModel,
} from '../core/routing/api.ts';

/** What a caller asks the planner; strings are validated here and reported as error values. */
export interface PlanInput {
  from: string;
  to: string;
  /**
   * `YYYY-MM-DD` (from local midnight at the origin) or an ISO 8601 instant with zone; now when
   * neither it nor `arriveBy` is given. Never earlier than now: what has left is not offered.
   */
  depart?: string | undefined;
  /** `YYYY-MM-DD` (until local end of day at the destination) or an ISO 8601 instant. */
  arriveBy?: string | undefined;
  /** `2x40HC,1x20GP` (optionally `:GROSSKG` per group) or a list of groups. */
  containers:
    string | readonly { type: ContainerCode; count: number; grossKg?: number | undefined }[];
  hazardous?: boolean | undefined;
  compare?: boolean | undefined;
  seed?: number | undefined;
  maxResults?: number | undefined;
}

export interface PlannerOptions {
  /** The dwell-model version the network's dwell models come from (null: the reference). */
  dwellModelVersion?: number | null;
  /** Monte-Carlo draws per itinerary. */
  draws?: number;
  /** Journeys longer than this many days are not searched. */
  horizonDays?: number;
  /** Most rides in one itinerary. */
  maxRides?: number;
  /**
   * How the itineraries' arrival spreads are estimated: computed on a grid from the dwell models
   * (default, `convolution`: no draws, the same for every seed), or drawn — quasi-random or the
   * earlier independent pseudo-random draws, kept to compare against.
   */
  estimator?: 'convolution' | 'quasi-random' | 'monte-carlo';
}

export const DEFAULT_MAX_RESULTS = 8;
/** Days from today the planner answers for: the next twelve months, whatever today is. */
export const PLANNING_DAYS = 366;
export const DEFAULT_DRAWS = 1000;
export const DEFAULT_SEED = 1;
const DEFAULT_HORIZON_DAYS = 90;
const DEFAULT_MAX_RIDES = 6;

export interface Planner {
  plan(input: PlanInput): PlanResponse;
  readonly model: RoutingModel;
  /**
   * The departure days it plans for: from the UTC day it was built on, for PLANNING_DAYS. The
   * routing model also holds the trips of the horizon before (rides under way) and after.
   */
  readonly period: { from: IsoDate; to: IsoDate };
}

/**
 * Builds a planner for the next twelve months from the clock's today: the timetable and routing
 * model are made once, then each plan() is a search plus simulation. Departures are never
 * earlier than the clock's now. A planner is built again when the day changes (LiveNetwork).
 */
export function createPlanner(
  network: Network,
  clock: Clock,
  options: PlannerOptions = {},
): Planner {
  const services = [...network.services.values()];
  const settings = {
    draws: options.draws ?? DEFAULT_DRAWS,
    horizonDays: options.horizonDays ?? DEFAULT_HORIZON_DAYS,
    maxRides: options.maxRides ?? DEFAULT_MAX_RIDES,
    estimate:
      options.estimator === 'monte-carlo'
        ? simulateArrivalMonteCarlo
        : options.estimator === 'quasi-random'
          ? simulateArrival
          : convolveArrival,
    // The first estimate of every journey found, to choose the ones to keep: quick draws.
    screen: options.estimator === 'monte-carlo' ? simulateArrivalMonteCarlo : simulateArrival,
  };
  const today = clock.now().toISOString().slice(0, 10);
  const period = { from: today, to: addDays(today, PLANNING_DAYS - 1) };
  // A service day is a local date at the origin: a day either side covers every time zone.
  const first = addDays(today, -settings.horizonDays - 1);
  const days = PLANNING_DAYS + 2 * settings.horizonDays + 2;
  const model = buildRoutingModel(network, generateTimetable(network, { from: first, days }));
  const co2PerTonne = new Map(services.map((s) => [s.id, cumulativeKgCo2ePerTonne(network, s)]));
  return {
    model,
    period,
    plan: (input) => ({
      ...plan(network, model, co2PerTonne, period, settings, input, clock.now().getTime()),
      dwellModelVersion: options.dwellModelVersion ?? null,
    }),
  };
}

interface Settings {
  draws: number;
  horizonDays: number;
  maxRides: number;
  estimate: typeof simulateArrival;
  screen: typeof simulateArrival;
}

interface Cargo {
  containers: ContainerGroup[];
  hazardous: boolean;
  tonnes: number;
}

function plan(
  network: Network,
  model: RoutingModel,
  co2PerTonne: ReadonlyMap<string, Float64Array>,
  period: { from: string; to: string },
  settings: Settings,
  input: PlanInput,
  now: EpochMs,
): PlanResponse {
  const errors: PlanError[] = [];
  const fail = (
    code: PlanError['code'],
    field: string | null,
    message: string,
    suggestions: string[] = [],
  ) => errors.push({ code, field, message, suggestions });

  const places = (['from', 'to'] as const).map((field) => {
    const r = resolvePlace(network, input[field]);
    if (r.ok) return r.node;
    const labels = r.suggestions.map((s) => `${s.label} (${s.unLocode ?? s.nodeId})`);
    fail(
      'unknown_place',
      field,
      `no place called "${input[field]}"` +
        (labels.length ? `; did you mean ${labels.join(', or ')}?` : ''),
      labels,
    );
    return undefined;
  });
  const [origin, destination] = places;
  if (origin && destination && origin.id === destination.id)
    fail('same_place', 'to', `from and to are both ${placeLabel(origin)}`);

  let containers: ContainerGroup[] = [];
  if (typeof input.containers === 'string') {
    const parsed = parseContainers(input.containers);
    if (parsed.ok) containers = parsed.containers;
    else fail('invalid_cargo', 'containers', parsed.message);
  } else {
    containers = input.containers.map((c) => ({
      code: c.type,
      count: c.count,
      grossKg: c.grossKg ?? CONTAINER_CODES[c.type].defaultGrossKg,
    }));
    if (containers.length === 0)
      fail('invalid_cargo', 'containers', 'at least one container is needed');
  }
  const cargo: Cargo = {
    containers,
    hazardous: input.hazardous ?? false,
    tonnes: grossKgOf(containers) / 1000,
  };

  const maxResults = input.maxResults ?? DEFAULT_MAX_RESULTS;
  const seed = input.seed ?? DEFAULT_SEED;
  let departAfter: EpochMs | undefined;
  let arriveBy: EpochMs | undefined;
  if (origin && destination) {
    const lastInstant = Date.parse(`${addDays(period.to, settings.horizonDays)}T00:00Z`);
    const when = { period, now, lastInstant };
    if (input.depart !== undefined)
      departAfter = parseWhen(input.depart, origin.timeZone, 'start', 'depart', when, fail);
    if (input.arriveBy !== undefined)
      arriveBy = parseWhen(input.arriveBy, destination.timeZone, 'end', 'arriveBy', when, fail);
    // Without a departure: from now, or from the horizon before the arrive-by time.
    if (input.depart === undefined && (input.arriveBy === undefined || arriveBy !== undefined))
      departAfter =
        arriveBy === undefined ? now : Math.max(now, arriveBy - settings.horizonDays * MS_PER_DAY);
    // What has already left is not offered.
    if (departAfter !== undefined && departAfter < now) departAfter = now;
    if (departAfter !== undefined && arriveBy !== undefined && arriveBy <= departAfter)
      fail('invalid_date', 'arriveBy', 'the arrive-by time is not after the departure');
  }

  const request = {
    from: origin?.id ?? input.from,
    to: destination?.id ?? input.to,
    depart: departAfter !== undefined ? new Date(departAfter).toISOString() : (input.depart ?? ''),
    arriveBy: arriveBy !== undefined ? new Date(arriveBy).toISOString() : null,
    containers: containers.map((c) => ({ type: c.code, count: c.count, grossKg: c.grossKg })),
    hazardous: cargo.hazardous,
    compare: input.compare ?? false,
    seed,
    maxResults,
  };
  if (errors.length > 0 || !origin || !destination || departAfter === undefined)
    return { request, itineraries: [], errors };

  // What each service charges and emits for this cargo, worked out once per request.
  const criteria = new Map<string, RideCriteria | undefined>();
  for (const s of network.services.values()) criteria.set(s.id, criteriaFor(s, cargo, co2PerTonne));
  const search = (only?: Corridor) =>
    searchJourneys(model, {
      origin: origin.id,
      destination: destination.id,
      departAfter: departAfter,
      ...(arriveBy !== undefined ? { arriveBy } : {}),
      horizonHours: settings.horizonDays * 24,
      maxRides: settings.maxRides,
      criteria: (s) => (only && s.corridor && s.corridor !== only ? undefined : criteria.get(s.id)),
    });

  // Each journey found is scored by what the shipper will see: P50 and P90 arrival from a quick
  // estimate, then the ones kept are estimated again with the full number of draws.
  const screen = (j: Journey): Scored => {
    const spread = settings.screen(model, j, readyOf(j, departAfter), SCREENING_DRAWS, seed);
    return { journey: j, p50: spread.p50, p90: spread.p90 };
  };
  let picked: Journey[];
  if (request.compare) {
    picked = [];
    for (const corridor of ['middle', 'northern', 'southern', 'sea'] as const) {
      const found = search(corridor).filter((j) => corridorOf(network, j) === corridor);
      const bestOne = found.map(screen).sort(byP50)[0];
      if (bestOne) picked.push(bestOne.journey);
    }
  } else {
    picked = capped(paretoFront(search().map(screen)), maxResults).map((s) => s.journey);
  }
  if (picked.length === 0) {
    diagnose(
      network,
      model,
      origin.id,
      destination.id,
      cargo,
      co2PerTonne,
      fail,
      arriveBy !== undefined,
    );
    return { request, itineraries: [], errors };
  }
  let itineraries = picked.map((j) =>
    toItinerary(
      network,
      model,
      co2PerTonne,
      j,
      cargo,
      settings.estimate(model, j, readyOf(j, departAfter), settings.draws, seed),
    ),
  );
  // With the full estimate, what another itinerary beats on every count is not offered.
  if (!request.compare)
    itineraries = itineraries.filter((it) => !itineraries.some((o) => dominatesItinerary(o, it)));
  itineraries.sort(
    (a, b) =>
      Date.parse(a.arrivalP50) - Date.parse(b.arrivalP50) ||
      Date.parse(a.arrivalP90) - Date.parse(b.arrivalP90) ||
      a.costUsd - b.costUsd,
  );
  return { request, itineraries, errors };
}

/** Draws of the first estimate that every journey found gets. */
const SCREENING_DRAWS = 128;

interface Scored {
  journey: Journey;
  p50: EpochMs;
  p90: EpochMs;
}

function byP50(a: Scored, b: Scored): number {
  return a.p50 - b.p50 || a.p90 - b.p90 || a.journey.costUsd - b.journey.costUsd;
}

/** The criteria an itinerary is chosen by, smaller better. */
function scoresOf(s: Scored): number[] {
  return [s.p50, s.p90, s.journey.costUsd, s.journey.co2eKg, s.journey.rides.length];
}

/** a is at least as good as b on every count and better on one. */
function dominatesScores(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]! + 1e-6) return false;
    if (a[i]! < b[i]! - 1e-6) better = true;
  }
  return better;
}

function dominatesItinerary(a: Itinerary, b: Itinerary): boolean {
  const scores = (i: Itinerary) => [
    Date.parse(i.arrivalP50),
    Date.parse(i.arrivalP90),
    i.costUsd,
    i.co2eKg,
    i.transfers,
  ];
  return dominatesScores(scores(a), scores(b));
}

/** The journeys no other beats on P50 arrival, P90 arrival, cost, CO2e and transfers alike. */
function paretoFront(scored: readonly Scored[]): Scored[] {
  const scores = scored.map(scoresOf);
  return scored.filter((_, i) => !scores.some((o, k) => k !== i && dominatesScores(o, scores[i]!)));
}

/** Planned instant the container is ready for the journey's first ride (never before departAfter). */
function readyOf(journey: Journey, departAfter: EpochMs): EpochMs {
  return journey.rides.length > 0 && journey.rides[0]!.ready > departAfter
    ? journey.rides[0]!.ready
    : departAfter;
}

function criteriaFor(
  service: Service,
  cargo: Cargo,
  co2PerTonne: ReadonlyMap<string, Float64Array>,
  ignoreHazardous = false,
): RideCriteria | undefined {
  if (cargo.hazardous && !ignoreHazardous && service.refusesCargo.includes('hazardous'))
    return undefined;
  if (
    cargo.containers.some((c) => CONTAINER_CODES[c.code].reefer) &&
    service.refusesCargo.includes('reefer')
  )
    return undefined;
  const tariff = rideTariff(service, cargo.containers);
  if (!tariff) return undefined;
  const perTonne = co2PerTonne.get(service.id)!;
  return { ...tariff, cumulativeCo2eKgPerTonne: perTonne, tonnes: cargo.tonnes };
}

/** The corridor of a journey: that of the links its rides travel. */
function corridorOf(network: Network, j: Journey): Corridor {
  const path: DirectedLink[] = [];
  for (const ride of j.rides)
    for (let p = ride.boardPosition + 1; p <= ride.alightPosition; p++) {
      const stop = ride.route.service.stops[p]!;
      const nodes = [ride.route.service.stops[p - 1]!.nodeId, ...stop.viaNodeIds, stop.nodeId];
      stop.links.forEach((link, k) => path.push({ from: nodes[k]!, to: nodes[k + 1]!, link }));
    }
  return corridorOfPath(network, path);
}

/**
 * At most `max` journeys: the earliest at P50, the earliest at P90, the cheapest, the lowest-CO2e
 * and the one with fewest transfers first, then the others in order of P50 arrival.
 */
function capped(scored: Scored[], max: number): Scored[] {
  if (scored.length <= max) return scored;
  const picks = new Set<Scored>();
  for (let k = 0; k < 5; k++) {
    const best = scored.reduce((a, b) => (scoresOf(b)[k]! < scoresOf(a)[k]! ? b : a));
    if (picks.size < max) picks.add(best);
  }
  for (const s of [...scored].sort(byP50)) {
    if (picks.size >= max) break;
    picks.add(s);
  }
  return [...picks];
}

function toItinerary(
  network: Network,
  model: RoutingModel,
  co2PerTonne: ReadonlyMap<string, Float64Array>,
  journey: Journey,
  cargo: Cargo,
  spread: ArrivalSpread,
): Itinerary {
  const steps = journeySteps(model, journey);
  const legs: ItineraryLeg[] = [];
  const path: DirectedLink[] = [];
  for (const step of steps) {
    if (step.kind === 'dwell') {
      legs.push({
        kind: 'dwell',
        node: step.nodeId,
        operation: step.operation,
        p50Hours: step.p50Hours,
        p90Hours: step.p90Hours,
      });
      continue;
    }
    const service = step.route.service;
    // Each tariff section's fixed charge falls on the piece where the ride enters it.
    const lines = legCost(
      service,
      cargo.containers,
      journey.rides[step.rideIndex]!.boardPosition,
      step.fromPosition,
      step.toPosition,
    ).lines;
    const perTonne = co2PerTonne.get(service.id)!;
    path.push(...step.moves);
    legs.push({
      kind: 'ride',
      serviceId: service.id,
      tripId: step.trip.id,
      operator: service.operator,
      mode: step.moves[0]!.link.mode,
      from: step.from,
      to: step.to,
      departure: iso(step.departure),
      arrival: iso(step.arrival),
      distanceKm: step.distanceKm,
      costUsd: round2(lines.reduce((s, l) => s + l.amountUsd, 0)),
      costBreakdown: lines,
      co2eKg: round1(cargo.tonnes * (perTonne[step.toPosition]! - perTonne[step.fromPosition]!)),
    });
  }
  const id = `it_${seedOf(journey.rides.map((r) => `${r.route.trips[r.trip]!.id}/${r.boardPosition}-${r.alightPosition}`).join('|')).toString(36)}`;
  const { borders, gaugeChanges } = pathFacts(network, path);
  const regimes = regimesOf(network, path);
  const needed = documentsNeeded(regimes, { hazardous: cargo.hazardous });
  const rides = legs.filter((l) => l.kind === 'ride');
  return {
    id,
    corridor: corridorOf(network, journey),
    departure: iso(journey.departure),
    plannedArrival: iso(journey.arrival),
    arrivalP50: iso(spread.p50),
    arrivalP90: iso(spread.p90),
    transitDaysP50: round1((spread.p50 - journey.departure) / MS_PER_DAY),
    transitDaysP90: round1((spread.p90 - journey.departure) / MS_PER_DAY),
    costUsd: round2(rides.reduce((s, l) => s + l.costUsd, 0)),
    co2eKg: round1(rides.reduce((s, l) => s + l.co2eKg, 0)),
    transfers: journey.rides.length - 1,
    legs,
    borders: borders.map((b) => ({
      node: b.nodeId,
      from: b.fromCountry,
      to: b.toCountry,
      mode: b.mode,
    })),
    gaugeChanges: gaugeChanges.map((g) => ({ node: g.nodeId, fromMm: g.fromMm, toMm: g.toMm })),
    regimes,
    documents: needed.map(documentName),
    requiredDocuments: needed,
  };
}

/** Why nothing was found: no connection at all, the cargo, hazardous cargo, or time. */
function diagnose(
  network: Network,
  model: RoutingModel,
  from: string,
  to: string,
  cargo: Cargo,
  co2PerTonne: ReadonlyMap<string, Float64Array>,
  fail: (
    code: PlanError['code'],
    field: string | null,
    message: string,
    suggestions?: string[],
  ) => void,
  arriveByMode: boolean,
): void {
  const name = (id: string) => placeLabel(network.nodes.get(id)!);
  const connected = (usable: (s: Service) => boolean) => reachable(model, from, to, usable);
  if (!connected(() => true)) {
    fail(
      'no_connection',
      'to',
      `no service connects ${name(from)} with ${name(to)}, even with changes`,
    );
    return;
  }
  if (!connected((s) => criteriaFor(s, cargo, co2PerTonne, true) !== undefined)) {
    const refused = cargo.containers
      .filter(
        (c) =>
          !connected(
            (s) => criteriaFor(s, { ...cargo, containers: [c] }, co2PerTonne, true) !== undefined,
          ),
      )
      .map((c) => c.code);
    fail(
      'cargo_not_accepted',
      'containers',
      `no route from ${name(from)} to ${name(to)} takes ${refused.length ? refused.join(' and ') : 'this mix of'} containers`,
    );
    return;
  }
  if (cargo.hazardous && !connected((s) => criteriaFor(s, cargo, co2PerTonne) !== undefined)) {
    fail(
      'hazardous_refused',
      'hazardous',
      `every route from ${name(from)} to ${name(to)} has a service that refuses hazardous cargo`,
    );
    return;
  }
  fail(
    'no_itinerary',
    arriveByMode ? 'arriveBy' : 'depart',
    arriveByMode
      ? `no itinerary from ${name(from)} arrives at ${name(to)} by then; try a later arrive-by date`
      : `no itinerary from ${name(from)} to ${name(to)} within the planning horizon from that date`,
  );
}

/** Whether `to` can be reached from `from` on the usable services, ignoring time. */
function reachable(
  model: RoutingModel,
  from: string,
  to: string,
  usable: (s: Service) => boolean,
): boolean {
  const start = model.stopIndex.get(from)!;
  const goal = model.stopIndex.get(to)!;
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    const stop = queue.shift()!;
    if (stop === goal) return true;
    for (const { route, position } of model.routesAtStop[stop]!) {
      const r = model.routes[route]!;
      if (!usable(r.service)) continue;
      for (let p = position + 1; p < r.stops.length; p++) {
        const next = r.stops[p]!.stop;
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
  }
  return false;
}

function iso(t: EpochMs): string {
  return new Date(t).toISOString();
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
