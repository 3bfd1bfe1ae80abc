import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { decideHold, type HoldDecision, type LegLedger } from '../core/capacity/capacity.ts';
import type { CapacityLedger, CapacityMoves, LegSpec } from '../app/capacity-ports.ts';
import type { Db } from './database.ts';
import { departureLegs, legHolds } from './schema.ts';

/** Thrown inside a transaction to roll it back with the refusal. */
export class Refused extends Error {
  constructor(readonly decision: HoldDecision) {
    super('refused');
  }
}

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * The capacity ledger on PostgreSQL / PGlite. A hold raises `held_teu` of each leg with one
 * conditional UPDATE per leg (`... where held + confirmed + teu <= capacity`), in a fixed order
 * (trip, leg) so that two holds never wait on each other in a cycle; a leg that refuses rolls the
 * whole hold back.
 */
export class PgCapacityLedger implements CapacityLedger {
  constructor(private readonly db: Db) {}

  hold(input: {
    holdId: string;
    legs: readonly LegSpec[];
    teu: number;
    expiresAt: Date;
  }): Promise<HoldDecision> {
    return this.holdThen(input);
  }

  /**
   * A hold, and `then` in the same transaction when the hold succeeds (a booking is written with
   * its capacity: one commit for both).
   */
  async holdThen(
    input: { holdId: string; legs: readonly LegSpec[]; teu: number; expiresAt: Date },
    then?: (tx: Tx) => Promise<void>,
  ): Promise<HoldDecision> {
    return refusalOf(() =>
      this.db.transaction(async (tx) => {
        await holdIn(tx, input);
        if (then) await then(tx);
      }),
    );
  }

  async changeDeparture(
    legs: readonly LegSpec[],
    change: { capacityTeu?: number | undefined; closed?: boolean | undefined },
  ): Promise<HoldDecision> {
    try {
      await this.db.transaction(async (tx) => {
        await tx
          .insert(departureLegs)
          .values(legs.map((l) => ({ ...l })))
          .onConflictDoNothing();
        for (const leg of legs) {
          const where = and(
            eq(departureLegs.tripId, leg.tripId),
            eq(departureLegs.legIndex, leg.legIndex),
          );
          const capacity = change.capacityTeu;
          const updated = await tx
            .update(departureLegs)
            .set({
              ...(capacity !== undefined ? { capacityTeu: capacity } : {}),
              ...(change.closed !== undefined ? { closed: change.closed } : {}),
            })
            .where(
              capacity === undefined
                ? where
                : and(
                    where,
                    sql`${departureLegs.heldTeu} + ${departureLegs.confirmedTeu} <= ${capacity}`,
                  ),
            )
            .returning({ tripId: departureLegs.tripId });
          if (updated.length === 0) {
            const [row] = await tx.select().from(departureLegs).where(where);
            const booked = Number(row!.heldTeu) + Number(row!.confirmedTeu);
            throw new Refused({
              ok: false,
              reason: 'insufficient_capacity',
              tripId: leg.tripId,
              legIndex: leg.legIndex,
              fromNodeId: leg.fromNodeId,
              toNodeId: leg.toNodeId,
              availableTeu: capacity ?? 0,
              requestedTeu: booked,
            });
          }
        }
      });
      return { ok: true };
    } catch (e) {
      if (e instanceof Refused) return e.decision;
      throw e;
    }
  }

  release(holdId: string): Promise<boolean> {
    return this.settle(holdId, 'released');
  }

  confirm(holdId: string): Promise<boolean> {
    return this.settle(holdId, 'confirmed');
  }

  async expire(now: Date): Promise<number> {
    const due = await this.db
      .selectDistinct({ holdId: legHolds.holdId })
      .from(legHolds)
      .where(and(eq(legHolds.state, 'held'), lte(legHolds.expiresAt, now)));
    let released = 0;
    for (const { holdId } of due) if (await this.release(holdId)) released++;
    return released;
  }

  async legs(tripId: string): Promise<LegLedger[]> {
    const rows = await this.db
      .select()
      .from(departureLegs)
      .where(eq(departureLegs.tripId, tripId))
      .orderBy(asc(departureLegs.legIndex));
    return rows.map(toLedger);
  }

  async legsOfTrips(tripIds: readonly string[]): Promise<LegLedger[]> {
    if (tripIds.length === 0) return [];
    const rows = await this.db
      .select()
      .from(departureLegs)
      .where(inArray(departureLegs.tripId, [...tripIds]));
    return rows.map(toLedger);
  }

  cancel(holdId: string): Promise<boolean> {
    return this.db.transaction((tx: Tx) => cancelIn(tx, holdId));
  }

  /** Moves a live hold to `state`, giving its TEU back (released) or making them confirmed. */
  private async settle(holdId: string, state: 'released' | 'confirmed'): Promise<boolean> {
    return this.db.transaction((tx: Tx) => settleIn(tx, holdId, state));
  }
}

/** Moves a live (held) hold to `state`, giving its TEU back or making them confirmed. */
async function settleIn(tx: Tx, holdId: string, state: 'released' | 'confirmed'): Promise<boolean> {
  const taken = await tx
    .update(legHolds)
    .set({ state })
    .where(and(eq(legHolds.holdId, holdId), eq(legHolds.state, 'held')))
    .returning({ tripId: legHolds.tripId, legIndex: legHolds.legIndex, teu: legHolds.teu });
  taken.sort(byLeg);
  for (const t of taken) {
    await tx
      .update(departureLegs)
      .set(
        state === 'released'
          ? { heldTeu: sql`${departureLegs.heldTeu} - ${t.teu}` }
          : {
              heldTeu: sql`${departureLegs.heldTeu} - ${t.teu}`,
              confirmedTeu: sql`${departureLegs.confirmedTeu} + ${t.teu}`,
            },
      )
      .where(and(eq(departureLegs.tripId, t.tripId), eq(departureLegs.legIndex, t.legIndex)));
  }
  return taken.length > 0;
}

/** The one order legs are locked in, (trip, leg), so that transactions never wait in a cycle. */
function byLeg(
  a: { tripId: string; legIndex: number },
  b: { tripId: string; legIndex: number },
): number {
  return a.tripId < b.tripId ? -1 : a.tripId > b.tripId ? 1 : a.legIndex - b.legIndex;
}

/** Runs a transaction that may refuse; a refusal rolls it back and is returned as a value. */
async function refusalOf(run: () => Promise<void>): Promise<HoldDecision> {
  try {
    await run();
    return { ok: true };
  } catch (e) {
    if (e instanceof Refused) return e.decision;
    throw e;
  }
}

/** Raises held TEU on every leg, in (trip, leg) order; throws Refused on the first leg that cannot. */
async function holdIn(
  tx: Tx,
  input: { holdId: string; legs: readonly LegSpec[]; teu: number; expiresAt: Date },
): Promise<void> {
  const legs = [...input.legs].sort(byLeg);
  await tx
    .insert(departureLegs)
    .values(legs.map((l) => ({ ...l })))
    .onConflictDoNothing();
  for (const leg of legs) {
    const updated = await tx
      .update(departureLegs)
      .set({ heldTeu: sql`${departureLegs.heldTeu} + ${input.teu}` })
      .where(
        and(
          eq(departureLegs.tripId, leg.tripId),
          eq(departureLegs.legIndex, leg.legIndex),
          eq(departureLegs.closed, false),
          sql`${departureLegs.heldTeu} + ${departureLegs.confirmedTeu} + ${input.teu} <= ${departureLegs.capacityTeu}`,
        ),
      )
      .returning({ tripId: departureLegs.tripId });
    if (updated.length === 0) {
      const [row] = await tx
        .select()
        .from(departureLegs)
        .where(and(eq(departureLegs.tripId, leg.tripId), eq(departureLegs.legIndex, leg.legIndex)));
      throw new Refused(decideHold([toLedger(row!)], input.teu));
    }
  }
  await tx.insert(legHolds).values(
    legs.map((l) => ({
      holdId: input.holdId,
      tripId: l.tripId,
      legIndex: l.legIndex,
      teu: input.teu,
      state: 'held',
      expiresAt: input.expiresAt,
    })),
  );
}

/** Gives back what a hold takes, held or confirmed; false when it takes nothing. */
async function cancelIn(tx: Tx, holdId: string): Promise<boolean> {
  const live = and(eq(legHolds.holdId, holdId), inArray(legHolds.state, ['held', 'confirmed']));
  const rows = await tx.select().from(legHolds).where(live).for('update');
  if (rows.length === 0) return false;
  await tx.update(legHolds).set({ state: 'released' }).where(live);
  rows.sort(byLeg);
  for (const r of rows) {
    await tx
      .update(departureLegs)
      .set(
        r.state === 'held'
          ? { heldTeu: sql`${departureLegs.heldTeu} - ${r.teu}` }
          : { confirmedTeu: sql`${departureLegs.confirmedTeu} - ${r.teu}` },
      )
      .where(and(eq(departureLegs.tripId, r.tripId), eq(departureLegs.legIndex, r.legIndex)));
  }
  return true;
}

function toLedger(r: typeof departureLegs.$inferSelect): LegLedger {
  return {
    tripId: r.tripId,
    legIndex: r.legIndex,
    fromNodeId: r.fromNodeId,
    toNodeId: r.toNodeId,
    capacityTeu: Number(r.capacityTeu),
    heldTeu: Number(r.heldTeu),
    confirmedTeu: Number(r.confirmedTeu),
    closed: r.closed,
  };
}

/**
 * Writes a booking change's capacity moves inside its transaction (see CapacityMoves): every leg
 * involved locked in (trip, leg) order, then cancel, confirm, take confirmed, hold, hold extra. Throws
 * Refused when a hold does not fit, rolling the change back.
 */
export async function moveIn(tx: Tx, moves: CapacityMoves): Promise<void> {
  const ids = [
    ...(moves.cancel ?? []),
    ...(moves.confirm ?? []),
    ...(moves.holdExtra ? [moves.holdExtra.beyondHoldId] : []),
  ];
  const fresh = [
    ...(moves.takeConfirmed?.legs ?? []),
    ...(moves.hold?.legs ?? []),
    ...(moves.holdExtra?.legs ?? []),
  ];
  if (fresh.length > 0)
    await tx
      .insert(departureLegs)
      .values(fresh.map((l) => ({ ...l })))
      .onConflictDoNothing();
  const held =
    ids.length === 0
      ? []
      : await tx
          .select({ tripId: legHolds.tripId, legIndex: legHolds.legIndex })
          .from(legHolds)
          .where(
            and(inArray(legHolds.holdId, ids), inArray(legHolds.state, ['held', 'confirmed'])),
          );
  const keys = [...held, ...fresh];
  if (keys.length > 0)
    await tx
      .select({ tripId: departureLegs.tripId })
      .from(departureLegs)
      .where(
        or(
          ...keys.map((k) =>
            and(eq(departureLegs.tripId, k.tripId), eq(departureLegs.legIndex, k.legIndex)),
          ),
        ),
      )
      .orderBy(asc(departureLegs.tripId), asc(departureLegs.legIndex))
      .for('update');
  for (const id of moves.cancel ?? []) await cancelIn(tx, id);
  for (const id of moves.confirm ?? []) await settleIn(tx, id, 'confirmed');
  if (moves.takeConfirmed) {
    const { holdId, legs, teu } = moves.takeConfirmed;
    await takeIn(
      tx,
      holdId,
      legs.map((leg) => ({ leg, teu })),
      'confirmed',
      new Date(0),
    );
  }
  if (moves.hold) {
    const { holdId, legs, teu, expiresAt } = moves.hold;
    await takeIn(
      tx,
      holdId,
      legs.map((leg) => ({ leg, teu })),
      'held',
      expiresAt,
    );
  }
  if (moves.holdExtra) {
    const { holdId, beyondHoldId, legs, teu, expiresAt } = moves.holdExtra;
    const taken = await tx
      .select({ tripId: legHolds.tripId, legIndex: legHolds.legIndex, teu: legHolds.teu })
      .from(legHolds)
      .where(
        and(eq(legHolds.holdId, beyondHoldId), inArray(legHolds.state, ['held', 'confirmed'])),
      );
    const already = new Map(taken.map((t) => [`${t.tripId}#${t.legIndex}`, Number(t.teu)]));
    const extra = legs
      .map((leg) => ({ leg, teu: teu - (already.get(`${leg.tripId}#${leg.legIndex}`) ?? 0) }))
      .filter((x) => x.teu > 0);
    await takeIn(tx, holdId, extra, 'held', expiresAt);
  }
}

/**
 * Takes TEU on legs under one hold, held or confirmed at once, in (trip, leg) order; throws Refused
 * on the first leg without room. A new hold (held) needs the departure open; confirmed terms
 * replacing what the booking already took do not.
 */
async function takeIn(
  tx: Tx,
  holdId: string,
  perLeg: readonly { leg: LegSpec; teu: number }[],
  state: 'held' | 'confirmed',
  expiresAt: Date,
): Promise<void> {
  const sorted = [...perLeg].sort((a, b) => byLeg(a.leg, b.leg));
  for (const { leg, teu } of sorted) {
    const where = and(
      eq(departureLegs.tripId, leg.tripId),
      eq(departureLegs.legIndex, leg.legIndex),
    );
    const updated = await tx
      .update(departureLegs)
      .set(
        state === 'held'
          ? { heldTeu: sql`${departureLegs.heldTeu} + ${teu}` }
          : { confirmedTeu: sql`${departureLegs.confirmedTeu} + ${teu}` },
      )
      .where(
        and(
          where,
          ...(state === 'held' ? [eq(departureLegs.closed, false)] : []),
          sql`${departureLegs.heldTeu} + ${departureLegs.confirmedTeu} + ${teu} <= ${departureLegs.capacityTeu}`,
        ),
      )
      .returning({ tripId: departureLegs.tripId });
    if (updated.length === 0) {
      const [row] = await tx.select().from(departureLegs).where(where);
      throw new Refused(
        decideHold([{ ...toLedger(row!), closed: state === 'held' && row!.closed }], teu),
      );
    }
  }
  if (sorted.length > 0)
    await tx.insert(legHolds).values(
      sorted.map(({ leg, teu }) => ({
        holdId,
        tripId: leg.tripId,
        legIndex: leg.legIndex,
        teu,
        state,
        expiresAt,
      })),
    );
}
