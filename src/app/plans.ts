import type { PlanResponse } from '../api/plan.ts';
import type { Clock, PlanStore, Secrets, StoredItinerary } from './ports.ts';

/** How long a plan can be booked by its id. */
export const PLAN_VALID_HOURS = 24;

export interface PlanKeepingDeps {
  plans: PlanStore;
  clock: Clock;
  secrets: Secrets;
}

/**
 * Keeps a plan that has itineraries so that one of them can be booked by plan id and itinerary
 * id for PLAN_VALID_HOURS: its cargo and, per itinerary, the rides (consecutive pieces of one trip
 * joined into one ride) and what it promised. Returns the id and expiry, or null for a plan
 * without itineraries (nothing to book).
 */
export async function keepPlan(
  deps: PlanKeepingDeps,
  response: PlanResponse,
): Promise<{ planId: string; expiresAt: Date } | null> {
  if (response.itineraries.length === 0) return null;
  const now = deps.clock.now();
  const plan = {
    id: deps.secrets.id('pln'),
    containers: response.request.containers,
    hazardous: response.request.hazardous,
    itineraries: response.itineraries.map((it): StoredItinerary => ({
      id: it.id,
      rides: ridesOf(it.legs),
      arrivalP50: it.arrivalP50,
      arrivalP90: it.arrivalP90,
      costUsd: it.costUsd,
      co2eKg: it.co2eKg,
    })),
    createdAt: now,
    expiresAt: new Date(now.getTime() + PLAN_VALID_HOURS * 3_600_000),
  };
  await deps.plans.save(plan);
  return { planId: plan.id, expiresAt: plan.expiresAt };
}

/** The rides of an itinerary: its ride legs, pieces of the same trip joined. */
export function ridesOf(
  legs: PlanResponse['itineraries'][number]['legs'],
): StoredItinerary['rides'] {
  const rides: StoredItinerary['rides'] = [];
  for (const leg of legs) {
    if (leg.kind !== 'ride') continue;
    const last = rides.at(-1);
    if (last?.tripId === leg.tripId && last.to === leg.from) last.to = leg.to;
    else rides.push({ tripId: leg.tripId, from: leg.from, to: leg.to });
  }
  return rides;
}

/** Deletes the plans that can no longer be booked; returns how many. */
export async function purgePlans(deps: PlanKeepingDeps): Promise<number> {
  return deps.plans.purge(deps.clock.now());
}
