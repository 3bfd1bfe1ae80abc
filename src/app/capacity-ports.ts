import type { HoldDecision, LegLedger } from '../core/capacity/capacity.ts';

/** One leg of one departure, as the ledger creates it on first use. */
export interface LegSpec {
  tripId: string;
  legIndex: number;
  serviceId: string;
  fromNodeId: string;
  toNodeId: string;
  departsAt: Date;
  capacityTeu: number;
}

/**
 * Capacity per departure and leg. Every change is one transaction, and held + confirmed never
 * exceeds capacity on any leg, whatever the concurrency (the database enforces it too).
 */
export interface CapacityLedger {
  /** Holds `teu` on every leg, all or none; creates the legs it has not seen from their spec. */
  hold(input: {
    holdId: string;
    legs: readonly LegSpec[];
    teu: number;
    expiresAt: Date;
  }): Promise<HoldDecision>;
  /** Gives the capacity of a live hold back; false when there is no live hold with that id. */
  release(holdId: string): Promise<boolean>;
  /** Turns a live hold into confirmed capacity; false when there is no live hold with that id. */
  confirm(holdId: string): Promise<boolean>;
  /**
   * Sets the capacity of every leg of a departure and/or closes or reopens it. Refused (nothing
   * changed) when a leg has more TEU booked than the new capacity.
   */
  changeDeparture(
    legs: readonly LegSpec[],
    change: { capacityTeu?: number | undefined; closed?: boolean | undefined },
  ): Promise<HoldDecision>;
  /** Gives back the capacity of a hold whether held or confirmed (a cancellation). */
  cancel(holdId: string): Promise<boolean>;
  /** Releases every hold whose time ran out at `now`; returns how many. */
  expire(now: Date): Promise<number>;
  /** The legs of a departure the ledger has seen, in order. */
  legs(tripId: string): Promise<LegLedger[]>;
  /** The legs the ledger has seen of any of these departures. */
  legsOfTrips(tripIds: readonly string[]): Promise<LegLedger[]>;
}

/**
 * What a booking's change does to capacity, written in the same transaction as the change. Every
 * leg involved is locked first, in (trip, leg) order; then holds are cancelled, confirmed, taken
 * confirmed, held and held extra, in that order. A hold that does not fit refuses the whole
 * change.
 */
export interface CapacityMoves {
  /** Holds given back, whether held or confirmed. */
  cancel?: readonly string[] | undefined;
  /** Holds turned from held into confirmed. */
  confirm?: readonly string[] | undefined;
  /**
   * `teu` taken as confirmed on every leg under a new hold (an amendment's terms confirmed, after
   * the old terms and the amendment's extra were given back in the same change).
   */
  takeConfirmed?: { holdId: string; legs: readonly LegSpec[]; teu: number } | undefined;
  /** Holds `teu` on every leg (a booking's terms replaced before confirmation). */
  hold?: { holdId: string; legs: readonly LegSpec[]; teu: number; expiresAt: Date } | undefined;
  /**
   * Holds on each leg what `teu` needs beyond what hold `beyondHoldId` takes there (an
   * amendment's extra capacity: 1 → 2 × 40HC holds 2 TEU more on the same legs, the whole of
   * `teu` on other legs, nothing where it needs less).
   */
  holdExtra?:
    | {
        holdId: string;
        beyondHoldId: string;
        legs: readonly LegSpec[];
        teu: number;
        expiresAt: Date;
      }
    | undefined;
}
