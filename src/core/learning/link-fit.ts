import type { Network, Service } from '../network/network.ts';
import type { EpochMs } from '../shared/units.ts';
import { fitDwellModels, type Contribution, type FitOptions } from './dwell-fit.ts';
import { ServiceCounts, type ObservedShipment, type Publisher } from './samples.ts';

/**
 * Running times learnt from observed rides: per link between two consecutive stops of a ride,
 * how much longer or shorter than its timetable the ride ran, from the departure (DEPA) at one
 * stop to the arrival (ARRI) at the next, both posted by the carrier operating the ride's
 * service. Fitted as the dwells are (src/core/learning/dwell-fit.ts): recency, the carrier's
 * traffic share as its cap, bounded outliers, the timetable as the prior. Pure.
 */

/** One observed run: the ratio of the running time to the timetable's, and who reported it. */
export interface LinkSample {
  from: string;
  to: string;
  /** When the run ended (the arrival), epoch ms. */
  at: EpochMs;
  /** Observed running time ÷ the timetable's running time for that service. */
  factor: number;
  /** The timetable's running time of that service between the two stops, hours. */
  timetableHours: number;
  contributors: readonly string[];
}

/** A fitted link: its running time in force as the timetable's times a factor. */
export interface FittedLink {
  from: string;
  to: string;
  /** The timetable's running time between the two stops (the median over its services), hours. */
  timetableHours: number;
  /** The observations alone, as hours on that timetable; null without samples. */
  observed: { p50Hours: number; p90Hours: number } | null;
  /** In force: the timetable updated by the observations, hours. */
  inForce: { p50Hours: number; p90Hours: number };
  /** What every service's timetabled running time on the link is multiplied by (P50). */
  factor: number;
  samples: number;
  effectiveSamples: number;
  observationWeight: number;
  period: { from: string; to: string } | null;
  bounded: number;
  /** The outlier bounds, hours on the timetable: a run counts as at least `lowHours`, at most `highHours`. */
  bounds: { lowHours: number; highHours: number } | null;
  contributions: Contribution[];
  /** 'slower' or 'faster' when the observed P50 is more than a quarter off the timetable. */
  drift: 'slower' | 'faster' | null;
}

/**
 * The prior's spread around the timetable: its P90 this many times the timetable's running time
 * (estimate: a timetable is a plan that includes its margins; a run a fifth slower than planned
 * one time in ten).
 */
export const TIMETABLE_P90_FACTOR = 1.2;
const HOUR = 3_600_000;

const linkId = (from: string, to: string) => `${from}>${to}`;

/** The stops of a ride's service from boarding, matched to the ride's stops in order. */
function rideLegs(network: Network, ride: ObservedShipment['rides'][number]) {
  const service = network.services.get(ride.serviceId);
  if (!service) return [];
  const legs: { from: string; to: string; timetableHours: number }[] = [];
  let at = service.stops.findIndex((s) => s.nodeId === ride.stops[0]);
  if (at < 0) return [];
  for (let k = 1; k < ride.stops.length; k++) {
    const next = service.stops.findIndex((s, i) => i > at && s.nodeId === ride.stops[k]);
    if (next < 0) break;
    // Consecutive stops of the service only: a ride passing a stop is not its running time.
    if (next === at + 1)
      legs.push({
        from: ride.stops[k - 1]!,
        to: ride.stops[k]!,
        timetableHours: service.stops[next]!.runHours,
      });
    at = next;
  }
  return legs;
}

const carries = (p: Publisher | undefined, serviceId: string) =>
  p?.kind === 'carrier' && p.services.includes(serviceId);

/**
 * The running-time samples of shipments: for each ride between two consecutive stops of its
 * service, the departure at the first and the arrival at the next, both posted by the carrier
 * operating the ride's service (nobody else may speak for a train's running time).
 */
export function linkSamples(
  network: Network,
  shipments: readonly ObservedShipment[],
  publishers: ReadonlyMap<string, Publisher>,
): LinkSample[] {
  const codesOf = new Map(
    [...network.nodes.values()].map((n) => [
      n.id,
      [n.unLocode, ...(n.altUnLocodes ?? [])].filter((c) => c !== null),
    ]),
  );
  const at = (e: { location: string | null }, nodeId: string) =>
    e.location !== null && (codesOf.get(nodeId)?.includes(e.location) ?? false);
  const out: LinkSample[] = [];
  for (const s of shipments) {
    const events = s.events
      .filter((e) => e.eventType === 'TRANSPORT' && (e.code === 'ARRI' || e.code === 'DEPA'))
      .sort((a, b) => a.at - b.at);
    let cursor = -Infinity;
    for (const ride of s.rides) {
      const ok = (e: { postedBy: string | null }) =>
        e.postedBy !== null && carries(publishers.get(e.postedBy), ride.serviceId);
      for (const leg of rideLegs(network, ride)) {
        const dep = events.find(
          (e) => e.code === 'DEPA' && e.at > cursor && at(e, leg.from) && ok(e),
        );
        if (!dep) continue;
        const arr = events.find(
          (e) => e.code === 'ARRI' && e.at > dep.at && at(e, leg.to) && ok(e),
        );
        if (!arr) continue;
        cursor = arr.at;
        if (!(leg.timetableHours > 0)) continue;
        out.push({
          from: leg.from,
          to: leg.to,
          at: arr.at,
          factor: (arr.at - dep.at) / HOUR / leg.timetableHours,
          timetableHours: leg.timetableHours,
          contributors: [...new Set([dep.postedBy!, arr.postedBy!])],
        });
      }
    }
  }
  return out;
}

/**
 * Each carrier's share of the rides over each link (its services' rides among all), for the
 * caps: `share(linkId, organisationId)`, 0 for anyone else.
 */
export function linkTrafficShares(
  network: Network,
  shipments: readonly Pick<ObservedShipment, 'rides'>[],
  publishers: ReadonlyMap<string, Publisher>,
): (link: string, organisationId: string) => number {
  const rides = new ServiceCounts();
  for (const s of shipments)
    for (const ride of s.rides)
      for (const leg of rideLegs(network, ride))
        rides.add(linkId(leg.from, leg.to), ride.serviceId);
  return (link, organisationId) => {
    const p = publishers.get(organisationId);
    return p?.kind === 'carrier' ? rides.share(link, p.services) : 0;
  };
}

/** The links between consecutive stops of the network's services, with their timetable hours. */
export function timetableLinks(network: Network): Map<string, number[]> {
  const links = new Map<string, number[]>();
  for (const service of network.services.values())
    service.stops.forEach((s, i) => {
      if (i === 0) return;
      const key = linkId(service.stops[i - 1]!.nodeId, s.nodeId);
      links.set(key, [...(links.get(key) ?? []), s.runHours]);
    });
  return links;
}

/**
 * Fits the running time of every link that has samples: on the log scale, the factor of the
 * timetable (prior: 1, its P90 TIMETABLE_P90_FACTOR) updated by the observed factors, each
 * carrier capped at its share of the rides over the link. Whole-year models only.
 */
export function fitLinkModels(
  network: Network,
  samples: readonly LinkSample[],
  options: Omit<FitOptions, 'trafficShare'> & {
    trafficShare?: (link: string, organisationId: string) => number | undefined;
  },
): FittedLink[] {
  const timetable = timetableLinks(network);
  const keys = [...new Set(samples.map((s) => linkId(s.from, s.to)))].filter((k) =>
    timetable.has(k),
  );
  const fitted = fitDwellModels(
    keys.map((k) => ({
      nodeId: k,
      operation: 'running',
      p50Hours: 1,
      p90Hours: TIMETABLE_P90_FACTOR,
    })),
    samples.map((s) => ({
      nodeId: linkId(s.from, s.to),
      operation: 'running',
      at: s.at,
      hours: s.factor,
      contributors: s.contributors,
    })),
    { ...options, driftSamples: options.driftSamples ?? 30 },
  ).filter((f) => f.month === 0);
  return fitted.map((f) => {
    const [from, to] = f.nodeId.split('>') as [string, string];
    const hours = median(timetable.get(f.nodeId)!);
    const inHours = (p: { p50Hours: number; p90Hours: number }) => ({
      p50Hours: round(p.p50Hours * hours),
      p90Hours: round(p.p90Hours * hours),
    });
    return {
      from,
      to,
      timetableHours: hours,
      observed: f.observed ? inHours(f.observed) : null,
      inForce: inHours(f.inForce),
      factor: f.inForce.p50Hours,
      samples: f.samples,
      effectiveSamples: f.effectiveSamples,
      observationWeight: f.observationWeight,
      period: f.period,
      bounded: f.bounded,
      bounds: f.bounds
        ? {
            lowHours: round(f.bounds.lowHours * hours),
            highHours: round(f.bounds.highHours * hours),
          }
        : null,
      contributions: f.contributions,
      drift: f.drift,
    };
  });
}

/**
 * The network with the running times in force: every service's timetabled running time on a
 * fitted link times the link's factor, its stops' offsets following. The same network when no
 * link has samples.
 */
export function networkWithLinkModels(network: Network, links: readonly FittedLink[]): Network {
  const factors = new Map(
    links.filter((l) => l.samples > 0).map((l) => [linkId(l.from, l.to), l.factor]),
  );
  if (factors.size === 0) return network;
  const services = new Map<string, Service>();
  for (const [id, service] of network.services) {
    let changed = false;
    let clock = 0;
    const stops = service.stops.map((s, i) => {
      const factor =
        i > 0 ? factors.get(linkId(service.stops[i - 1]!.nodeId, s.nodeId)) : undefined;
      const runHours = factor === undefined ? s.runHours : round(s.runHours * factor);
      if (runHours !== s.runHours) changed = true;
      const arrival = i === 0 ? null : clock + runHours;
      const departure = s.departureOffsetHours === null ? null : (arrival ?? 0) + s.dwellHours;
      if (departure !== null) clock = departure;
      return { ...s, runHours, arrivalOffsetHours: arrival, departureOffsetHours: departure };
    });
    services.set(id, changed ? { ...service, stops } : service);
  }
  return { ...network, services };
}

const round = (x: number) => Math.round(x * 100) / 100;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
