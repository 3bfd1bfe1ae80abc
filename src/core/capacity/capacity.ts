import type { Teu } from '../shared/units.ts';

/**
 * Capacity per departure and leg. A leg is the stretch of one trip between two consecutive stops;
 * a container riding from stop a to stop b of a trip occupies legs a .. b-1. Pure.
 */

/** What the ledger knows of one leg of one departure. */
export interface LegLedger {
  tripId: string;
  /** 0-based: the leg from stop legIndex to stop legIndex + 1. */
  legIndex: number;
  fromNodeId: string;
  toNodeId: string;
  capacityTeu: Teu;
  heldTeu: Teu;
  confirmedTeu: Teu;
  /** A closed departure takes no new holds. */
  closed: boolean;
}

/** TEU still free on a leg (never negative). */
export function availableTeu(leg: LegLedger): Teu {
  return Math.max(0, leg.capacityTeu - leg.heldTeu - leg.confirmedTeu);
}

export type HoldDecision =
  | { ok: true }
  | {
      ok: false;
      reason: 'insufficient_capacity' | 'departure_closed';
      tripId: string;
      legIndex: number;
      fromNodeId: string;
      toNodeId: string;
      availableTeu: Teu;
      requestedTeu: Teu;
    };

/**
 * Whether `teu` more fit on every leg: all or none. The first leg that refuses is named, with
 * what it has left.
 */
export function decideHold(legs: readonly LegLedger[], teu: Teu): HoldDecision {
  for (const leg of legs) {
    const free = availableTeu(leg);
    if (leg.closed || free < teu)
      return {
        ok: false,
        reason: leg.closed ? 'departure_closed' : 'insufficient_capacity',
        tripId: leg.tripId,
        legIndex: leg.legIndex,
        fromNodeId: leg.fromNodeId,
        toNodeId: leg.toNodeId,
        availableTeu: leg.closed ? 0 : free,
        requestedTeu: teu,
      };
  }
  return { ok: true };
}
