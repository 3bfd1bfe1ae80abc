import { simulateJourney } from '../../../src/core/eta/journey-simulation.ts';
import type { ObservedShipment, Publisher } from '../../../src/core/learning/samples.ts';
import { dwellKey, type Network } from '../../../src/core/network/network.ts';
import { generateTimetable, type Trip } from '../../../src/core/network/timetable.ts';
import { buildRoutingModel, type RoutingModel } from '../../../src/core/routing/model.ts';
import type { Rng } from '../../../src/core/shared/rng.ts';
import type { ItineraryRide } from '../../../src/core/tracking/progress.ts';

/**
 * A "true corridor" for the learning tests: the reference network, except that the Aktau ferry
 * waits are slower in winter (December to February) and the Khorgos border is faster all year.
 * Journeys are drawn from it with the journey simulation and reported by the carriers of their
 * rides.
 */

export const TRUTH = {
  aktauFerryWinter: { p50Hours: 60, p90Hours: 300 },
  khorgosBorder: { p50Hours: 5, p90Hours: 10 },
} as const;

export const WINTER = [12, 1, 2];

/** The network as the corridor really is in a month. */
export function trueNetwork(reference: Network, month: number): Network {
  const dwellModels = new Map(reference.dwellModels);
  const set = (
    nodeId: string,
    op: 'ferry_waiting' | 'border_crossing',
    p: { p50Hours: number; p90Hours: number },
  ) => {
    const key = dwellKey(nodeId, op);
    // The truth holds whatever month the reference gives its own model.
    const { byMonth: _months, ...model } = dwellModels.get(key)!;
    dwellModels.set(key, { ...model, ...p });
  };
  set('CN_KHORGOS', 'border_crossing', TRUTH.khorgosBorder);
  if (WINTER.includes(month)) set('KZ_AKTAU_PORT', 'ferry_waiting', TRUTH.aktauFerryWinter);
  return { ...reference, dwellModels };
}

/** Carriers as the platform knows them: each operates the services named. */
export const CARRIERS: Publisher[] = [
  { id: 'org_ktz', kind: 'carrier', services: ['SVC_XIAN_BAKU_BLOCK'], country: 'KZ' },
  { id: 'org_asco', kind: 'carrier', services: ['SVC_ASCO_RAIL_FERRY_AKTAU_ALAT'], country: 'AZ' },
  { id: 'org_silk', kind: 'carrier', services: ['SVC_CHINA_GEORGIA_PORTS_BLOCK'], country: 'CN' },
];

export function ride(trip: Trip, index: number, from: string, to: string): ItineraryRide {
  const nodes = trip.stopTimes.map((s) => s.nodeId);
  const stops = trip.stopTimes.slice(nodes.indexOf(from), nodes.indexOf(to) + 1);
  return {
    rideIndex: index,
    tripId: trip.id,
    serviceId: trip.serviceId,
    stops: stops.map((s) => s.nodeId),
    plannedDepartures: stops.map((s, i) => (i === stops.length - 1 ? null : s.departure)),
    plannedArrivals: stops.map((s, i) => (i === 0 ? null : s.arrival)),
  };
}

export interface Corridor {
  trips: Trip[];
  /** The two itineraries of a block-train departure: through, and changing to the rail ferry. */
  itineraries(trip: Trip): ItineraryRide[][];
  blockTrains: Trip[];
  /** The routing model of the true corridor in a month. */
  truth(month: number): RoutingModel;
}

export function corridor(reference: Network, from: string, days: number): Corridor {
  const trips = generateTimetable(reference, { from, days });
  const ferries = trips
    .filter((t) => t.serviceId === 'SVC_ASCO_RAIL_FERRY_AKTAU_ALAT')
    .sort((a, b) => a.departure - b.departure);
  const models = new Map<number, RoutingModel>();
  return {
    trips,
    blockTrains: trips.filter((t) => t.serviceId === 'SVC_XIAN_BAKU_BLOCK'),
    itineraries(trip) {
      const atAktau = trip.stopTimes.find((s) => s.nodeId === 'KZ_AKTAU_PORT')!.arrival;
      const ferry = ferries.find((f) => f.departure > (atAktau ?? Infinity));
      const through = [ride(trip, 0, 'CN_XIAN_ITL', 'AZ_BAKU')];
      if (!ferry) return [through];
      return [
        through,
        [
          ride(trip, 0, 'CN_XIAN_ITL', 'KZ_AKTAU_PORT'),
          ride(ferry, 1, 'KZ_AKTAU_PORT', 'AZ_BAKU_PORT_ALAT'),
        ],
      ];
    },
    truth(month) {
      let m = models.get(month);
      if (!m) models.set(month, (m = buildRoutingModel(trueNetwork(reference, month), trips)));
      return m;
    },
  };
}

/** The month (1–12, UTC) of an instant. */
const monthAt = (ms: number) => new Date(ms).getUTCMonth() + 1;

/**
 * Draws a journey of the itinerary in the true corridor of its departure month, as the events
 * its carriers report (each ride's carrier posts its ARRI, DEPA and DISC).
 */
export function observedJourney(
  reference: Network,
  c: Corridor,
  rides: ItineraryRide[],
  rng: Rng,
): (ObservedShipment & { arrival: number }) | undefined {
  const start = rides[0]!.plannedDepartures[0]! - 6 * 3_600_000;
  const steps = simulateJourney(c.truth(monthAt(start)), rides, start, rng);
  if (!steps) return undefined;
  const carrierOf = (serviceId: string) => CARRIERS.find((p) => p.services.includes(serviceId))!.id;
  // Each ride's steps run from its LOAD to its DISC.
  let r = -1;
  const events = steps.flatMap((s) => {
    if (s.code === 'LOAD') r++;
    const node = reference.nodes.get(s.nodeId)!;
    const location = node.unLocode ?? node.altUnLocodes?.[0] ?? null;
    if (!location || r < 0 || s.code === 'LOAD') return [];
    return [
      {
        eventType: s.eventType,
        code: s.code,
        at: s.at,
        location,
        postedBy: carrierOf(rides[Math.min(r, rides.length - 1)]!.serviceId),
      },
    ];
  });
  const arrival = steps.find(
    (s) => s.code === 'ARRI' && s.nodeId === rides.at(-1)!.stops.at(-1),
  )!.at;
  return { rides, events, arrival };
}
