import type { DeparturesResponse } from '../api/capacity.ts';
import { availableTeu, type HoldDecision } from '../core/capacity/capacity.ts';
import type { IsoDate } from '../core/shared/units.ts';
import { AppError } from './errors.ts';
import type { Network } from '../core/network/network.ts';
import { placeLabel } from '../core/network/places.ts';
import { findTrip, generateTimetable } from '../core/network/timetable.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import type { LegLedger } from '../core/capacity/capacity.ts';
import type { CapacityLedger, LegSpec } from './capacity-ports.ts';
import type { OrganisationStore } from './account-ports.ts';

/**
 * The legs of a departure, from its trip id (`SERVICE@YYYY-MM-DDTHHMM`, as the timetable and the
 * planner give it), or undefined when the network has no such trip.
 */
export function tripLegs(network: Network, tripId: string): LegSpec[] | undefined {
  const trip = findTrip(network, tripId);
  if (!trip) return undefined;
  return trip.stopTimes.slice(0, -1).map((st, legIndex) => ({
    tripId,
    legIndex,
    serviceId: trip.serviceId,
    fromNodeId: st.nodeId,
    toNodeId: trip.stopTimes[legIndex + 1]!.nodeId,
    departsAt: new Date(st.departure!),
    capacityTeu: trip.capacityTeu,
  }));
}

/**
 * A refusal in terms a user acts on, e.g. `insufficient capacity on leg Aktau→Alat (trip
 * SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800): 4 TEU available, 6 requested`.
 */
export function refusalMessage(network: Network, d: Exclude<HoldDecision, { ok: true }>): string {
  const name = (id: string) => {
    const node = network.nodes.get(id);
    return node ? placeLabel(node) : id;
  };
  const leg = `leg ${name(d.fromNodeId)}→${name(d.toNodeId)} (trip ${d.tripId})`;
  return d.reason === 'departure_closed'
    ? `the departure is closed on ${leg}: it takes no new bookings`
    : `insufficient capacity on ${leg}: ${d.availableTeu} TEU available, ${d.requestedTeu} requested`;
}

/**
 * Capacity, held, confirmed and available TEU per departure and leg of a service on `days` service
 * days from `from`: what the ledger holds, and the timetable's capacity for legs nobody booked yet.
 */
export async function departuresView(
  network: Network,
  ledger: CapacityLedger,
  serviceId: string,
  from: IsoDate,
  days: number,
): Promise<DeparturesResponse> {
  const service = network.services.get(serviceId);
  if (!service)
    throw new AppError('invalid_data', `unknown service "${serviceId}"`, [
      { path: 'query.service', message: `unknown service "${serviceId}"` },
    ]);
  const trips = generateTimetable(network, { from, days, serviceIds: [serviceId] });
  const seen = new Map(
    (await ledger.legsOfTrips(trips.map((t) => t.id))).map((l) => [`${l.tripId}#${l.legIndex}`, l]),
  );
  return {
    serviceId,
    from,
    days,
    departures: trips.map((t) => ({
      tripId: t.id,
      serviceDate: t.serviceDate,
      departure: new Date(t.departure).toISOString(),
      sailsWhenFull: service.sailsWhenFull,
      legs: t.stopTimes.slice(0, -1).map((st, legIndex) => {
        const leg = seen.get(`${t.id}#${legIndex}`) ?? {
          tripId: t.id,
          legIndex,
          fromNodeId: st.nodeId,
          toNodeId: t.stopTimes[legIndex + 1]!.nodeId,
          capacityTeu: t.capacityTeu,
          heldTeu: 0,
          confirmedTeu: 0,
          closed: false,
        };
        return {
          legIndex,
          from: leg.fromNodeId,
          to: leg.toNodeId,
          departure: new Date(st.departure!).toISOString(),
          capacityTeu: leg.capacityTeu,
          heldTeu: leg.heldTeu,
          confirmedTeu: leg.confirmedTeu,
          availableTeu: leg.closed ? 0 : availableTeu(leg),
          closed: leg.closed,
        };
      }),
    })),
  };
}

/** Slot utilisation of one service over a period. */
export interface ServiceUtilisation {
  serviceId: string;
  name: string;
  operator: string;
  mode: string;
  departures: number;
  closedDepartures: number;
  /** Sum over departures of each departure's capacity (its largest leg), TEU. */
  capacityTeu: number;
  /** Sum over departures of the TEU on each departure's busiest leg, held and confirmed. */
  heldTeu: number;
  confirmedTeu: number;
  /** (held + confirmed) / capacity on the busiest legs, 0–1; 0 without capacity. */
  utilisation: number;
}

/**
 * Utilisation per service on `days` service days from `from`, for the coordinating council and
 * platform admins (every service) and carriers (their own services); nobody else. Only totals per
 * service: who booked is never part of it.
 */
export async function utilisationView(
  network: Network,
  ledger: CapacityLedger,
  organisations: OrganisationStore,
  actor: Actor,
  from: IsoDate,
  days: number,
): Promise<ServiceUtilisation[]> {
  let serviceIds: string[];
  if (actor.organisationKind === 'coordinator' || isPlatformAdmin(actor))
    serviceIds = [...network.services.keys()];
  else if (actor.organisationKind === 'carrier')
    serviceIds = (await organisations.find(actor.organisationId))?.services ?? [];
  else
    throw new AppError(
      'forbidden',
      'utilisation per service is for the coordinating council and carriers',
    );
  const trips = generateTimetable(network, { from, days, serviceIds });
  const seen = new Map<string, LegLedger[]>();
  for (const leg of await ledger.legsOfTrips(trips.map((t) => t.id))) {
    const legs = seen.get(leg.tripId) ?? [];
    legs.push(leg);
    seen.set(leg.tripId, legs);
  }
  const totals = new Map<string, ServiceUtilisation>();
  for (const id of serviceIds) {
    const s = network.services.get(id);
    if (!s) continue;
    totals.set(id, {
      serviceId: id,
      name: s.name,
      operator: s.operator,
      mode: s.mode,
      departures: 0,
      closedDepartures: 0,
      capacityTeu: 0,
      heldTeu: 0,
      confirmedTeu: 0,
      utilisation: 0,
    });
  }
  for (const trip of trips) {
    const total = totals.get(trip.serviceId);
    if (!total) continue;
    total.departures++;
    const legs = seen.get(trip.id);
    if (!legs) {
      total.capacityTeu += trip.capacityTeu;
      continue;
    }
    const busiest = legs.reduce((a, b) =>
      b.heldTeu + b.confirmedTeu > a.heldTeu + a.confirmedTeu ? b : a,
    );
    total.capacityTeu += Math.max(...legs.map((l) => l.capacityTeu));
    total.heldTeu += busiest.heldTeu;
    total.confirmedTeu += busiest.confirmedTeu;
    if (legs.some((l) => l.closed)) total.closedDepartures++;
  }
  return [...totals.values()].map((t) => ({
    ...t,
    utilisation:
      t.capacityTeu > 0
        ? Math.round(((t.heldTeu + t.confirmedTeu) / t.capacityTeu) * 1000) / 1000
        : 0,
  }));
}
