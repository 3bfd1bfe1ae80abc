import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type {
  IdempotencyStore,
  IdempotentRequest,
  PlanStore,
  StoredItinerary,
  StoredPlan,
} from '../app/ports.ts';
import type {
  Booking,
  BookingAmendment,
  BookingUpdate,
  BookingRide,
  BookingState,
  BookingStore,
  BookingPromise,
  CancellationRequest,
  RideState,
} from '../app/bookings.ts';
import { CONFIRMED_STATES, DECIDING_STATES, LIVE_STATES } from '../app/bookings.ts';
import type { HoldDecision } from '../core/capacity/capacity.ts';
import type { CapacityMoves, LegSpec } from '../app/capacity-ports.ts';
import { PgCapacityLedger, Refused, moveIn, type Tx } from './capacity.store.ts';
import type { Db } from './database.ts';
import { bookingRides, bookings, idempotentRequests, plans } from './schema.ts';

export class PgBookingStore implements BookingStore {
  constructor(private readonly db: Db) {}

  async createHeld(b: Booking, legs: readonly LegSpec[]): Promise<HoldDecision> {
    return new PgCapacityLedger(this.db).holdThen(
      { holdId: b.holdId, legs, teu: b.teu, expiresAt: b.holdExpiresAt },
      async (tx) => {
        const { rides, ...row } = b;
        await tx.insert(bookings).values(row);
        await tx.insert(bookingRides).values(rides.map((r) => ({ ...r, bookingId: b.id })));
      },
    );
  }

  async find(id: string): Promise<Booking | undefined> {
    const [row] = await this.db.select().from(bookings).where(eq(bookings.id, id));
    return row ? (await this.withRides([row]))[0] : undefined;
  }

  async findMany(ids: readonly string[]): Promise<Booking[]> {
    const out: Booking[] = [];
    for (let i = 0; i < ids.length; i += 5000)
      out.push(
        ...(await this.withRides(
          await this.db
            .select()
            .from(bookings)
            .where(inArray(bookings.id, ids.slice(i, i + 5000))),
        )),
      );
    return out;
  }

  async listByOrganisation(organisationId: string): Promise<Booking[]> {
    return this.withRides(
      await this.db
        .select()
        .from(bookings)
        .where(eq(bookings.organisationId, organisationId))
        .orderBy(desc(bookings.createdAt)),
    );
  }

  async listByServices(serviceIds: readonly string[]): Promise<Booking[]> {
    if (serviceIds.length === 0) return [];
    const ids = [
      ...(await this.db
        .selectDistinct({ id: bookingRides.bookingId })
        .from(bookingRides)
        .where(inArray(bookingRides.serviceId, [...serviceIds]))),
      // An amendment onto another service's ride is that carrier's to decide too.
      ...(await this.db
        .select({ id: bookings.id })
        .from(bookings)
        .where(
          and(
            sql`${bookings.amendment} is not null`,
            sql`exists (select 1 from jsonb_array_elements(${bookings.amendment}->'rides') r where r->>'serviceId' in (${sql.join(
              serviceIds.map((x) => sql`${x}`),
              sql`, `,
            )}))`,
          ),
        )),
    ];
    if (ids.length === 0) return [];
    return this.withRides(
      await this.db
        .select()
        .from(bookings)
        .where(
          inArray(
            bookings.id,
            ids.map((i) => i.id),
          ),
        )
        .orderBy(desc(bookings.createdAt)),
    );
  }

  async setState(
    id: string,
    from: readonly BookingState[],
    to: BookingState,
    reason: string | null,
    at: Date,
    capacity?: CapacityMoves,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(bookings)
        .set({ state: to, reason, updatedAt: at })
        .where(and(eq(bookings.id, id), inArray(bookings.state, [...from])))
        .returning({ id: bookings.id });
      if (rows.length > 0 && capacity) await moveIn(tx, capacity);
      return rows.length > 0;
    });
  }

  async change(
    id: string,
    decide: (current: Booking) => BookingUpdate,
  ): Promise<{ booking: Booking; decision: HoldDecision } | undefined> {
    let current: Booking | undefined;
    try {
      return await this.db.transaction(async (tx) => {
        // The booking row first, then its legs (moveIn): every change locks in that order.
        const [row] = await tx.select().from(bookings).where(eq(bookings.id, id)).for('update');
        if (!row) return undefined;
        current = (await withRides(tx, [row]))[0]!;
        const next = decide(current);
        if (next.capacity) await moveIn(tx, next.capacity);
        const {
          rides,
          id: _id,
          organisationId: _o,
          createdBy: _c,
          createdAt: _t,
          ...fields
        } = next.booking;
        await tx.update(bookings).set(fields).where(eq(bookings.id, id));
        if (next.ridesChanged) {
          await tx.delete(bookingRides).where(eq(bookingRides.bookingId, id));
          await tx.insert(bookingRides).values(rides.map((r) => ({ ...r, bookingId: id })));
        }
        return { booking: next.booking, decision: { ok: true } as HoldDecision };
      });
    } catch (e) {
      if (e instanceof Refused && current) return { booking: current, decision: e.decision };
      throw e;
    }
  }

  async amendmentsDue(now: Date): Promise<Booking[]> {
    return this.withRides(
      await this.db
        .select()
        .from(bookings)
        .where(
          and(
            inArray(bookings.state, [...CONFIRMED_STATES]),
            sql`${bookings.amendment}->>'status' = 'AMENDMENT_RECEIVED'`,
            sql`(${bookings.amendment}->>'holdExpiresAt')::timestamptz <= ${now.toISOString()}::timestamptz`,
          ),
        ),
    );
  }

  async completeRide(bookingId: string, rideIndex: number, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(bookingRides)
      .set({ state: 'COMPLETED', completedAt: at })
      .where(
        and(
          eq(bookingRides.bookingId, bookingId),
          eq(bookingRides.rideIndex, rideIndex),
          eq(bookingRides.state, 'CONFIRMED'),
        ),
      )
      .returning({ id: bookingRides.bookingId });
    return rows.length > 0;
  }

  async notify(tripId: string, notice: string, at: Date): Promise<number> {
    const ids = await this.db
      .selectDistinct({ id: bookingRides.bookingId })
      .from(bookingRides)
      .where(eq(bookingRides.tripId, tripId));
    if (ids.length === 0) return 0;
    const rows = await this.db
      .update(bookings)
      .set({
        notices: sql`${bookings.notices} || ${JSON.stringify([notice])}::jsonb`,
        updatedAt: at,
      })
      .where(
        and(
          inArray(
            bookings.id,
            ids.map((i) => i.id),
          ),
          inArray(bookings.state, [...LIVE_STATES]),
        ),
      )
      .returning({ id: bookings.id });
    return rows.length;
  }

  async dueForExpiry(now: Date): Promise<Booking[]> {
    return this.withRides(
      await this.db
        .select()
        .from(bookings)
        .where(
          and(inArray(bookings.state, [...DECIDING_STATES]), lte(bookings.holdExpiresAt, now)),
        ),
    );
  }

  private withRides(rows: (typeof bookings.$inferSelect)[]): Promise<Booking[]> {
    return withRides(this.db, rows);
  }
}

/** Bookings with their rides, read on the database or inside a transaction. */
async function withRides(db: Db | Tx, rows: (typeof bookings.$inferSelect)[]): Promise<Booking[]> {
  if (rows.length === 0) return [];
  const rides = await db
    .select()
    .from(bookingRides)
    .where(
      inArray(
        bookingRides.bookingId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(bookingRides.bookingId), asc(bookingRides.rideIndex));
  return rows.map((r) => ({
    ...r,
    state: r.state as BookingState,
    containers: r.containers as Booking['containers'],
    notices: r.notices as string[],
    attention: r.attention as string[],
    promise: r.promise as BookingPromise | null,
    amendment: amendmentOf(r.amendment),
    cancellation: cancellationOf(r.cancellation),
    teu: Number(r.teu),
    rides: rides
      .filter((x) => x.bookingId === r.id)
      .map(({ bookingId: _b, ...x }): BookingRide => ({ ...x, state: x.state as RideState })),
  }));
}

const dateOf = (v: unknown): Date | null => (typeof v === 'string' ? new Date(v) : null);

/** An amendment as kept in jsonb (instants as ISO strings) back as the app's. */
function amendmentOf(v: unknown): BookingAmendment | null {
  if (v === null || v === undefined) return null;
  const a = v as BookingAmendment;
  return {
    ...a,
    holdExpiresAt: dateOf(a.holdExpiresAt)!,
    receivedAt: dateOf(a.receivedAt)!,
    decidedAt: dateOf(a.decidedAt),
    rides: a.rides.map((r) => ({
      ...r,
      decidedAt: dateOf(r.decidedAt),
      completedAt: dateOf(r.completedAt),
    })),
  };
}

function cancellationOf(v: unknown): CancellationRequest | null {
  if (v === null || v === undefined) return null;
  const c = v as CancellationRequest;
  return {
    ...c,
    receivedAt: dateOf(c.receivedAt)!,
    decidedAt: dateOf(c.decidedAt),
    rides: c.rides.map((r) => ({ ...r, decidedAt: dateOf(r.decidedAt) })),
  };
}

export class PgIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: Db) {}

  async claim(
    keyHash: string,
    requestHash: string,
    at: Date,
    staleBefore: Date,
  ): Promise<IdempotentRequest | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const claimed = await this.db
        .insert(idempotentRequests)
        .values({ keyHash, requestHash, createdAt: at })
        .onConflictDoNothing()
        .returning({ keyHash: idempotentRequests.keyHash });
      if (claimed.length > 0) return undefined;
      const [row] = await this.db
        .select()
        .from(idempotentRequests)
        .where(eq(idempotentRequests.keyHash, keyHash));
      if (!row) continue;
      if (row.statusCode === null && row.createdAt < staleBefore) {
        // Its process died before answering: take the claim over.
        await this.db
          .delete(idempotentRequests)
          .where(
            and(
              eq(idempotentRequests.keyHash, keyHash),
              isNull(idempotentRequests.statusCode),
              lt(idempotentRequests.createdAt, staleBefore),
            ),
          );
        continue;
      }
      return {
        requestHash: row.requestHash,
        statusCode: row.statusCode,
        answer: row.answer,
        createdAt: row.createdAt,
      };
    }
    throw new Error(`idempotency key ${keyHash} could not be claimed`);
  }

  async answer(keyHash: string, statusCode: number, answer: string): Promise<void> {
    await this.db
      .update(idempotentRequests)
      .set({ statusCode, answer })
      .where(eq(idempotentRequests.keyHash, keyHash));
  }

  async release(keyHash: string): Promise<void> {
    await this.db
      .delete(idempotentRequests)
      .where(and(eq(idempotentRequests.keyHash, keyHash), isNull(idempotentRequests.statusCode)));
  }
}

/** Most plans written by one INSERT. */
const PLAN_BATCH = 200;

/**
 * Plans on PostgreSQL. Saving is a group commit: plans that arrive in the same turn of the event
 * loop, or while an INSERT runs, are written together by one INSERT, so that a busy planner pays for one statement per batch, not
 * per plan; each save still resolves only once its plan is committed.
 */
export class PgPlanStore implements PlanStore {
  private readonly queue: {
    row: typeof plans.$inferInsert;
    done: (error?: Error) => void;
  }[] = [];
  private writing = false;

  constructor(private readonly db: Db) {}

  save(plan: StoredPlan): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        row: {
          id: plan.id,
          request: { containers: plan.containers, hazardous: plan.hazardous },
          itineraries: plan.itineraries,
          createdAt: plan.createdAt,
          expiresAt: plan.expiresAt,
        },
        done: (error) => (error ? reject(error) : resolve()),
      });
      if (!this.writing) {
        this.writing = true;
        // After the I/O of this turn of the event loop: the requests read in it join the batch
        // (PGlite runs a statement without yielding, so nothing would queue behind it).
        setImmediate(() => void this.write());
      }
    });
  }

  private async write(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, PLAN_BATCH);
      try {
        await this.db.insert(plans).values(batch.map((b) => b.row));
        for (const b of batch) b.done();
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        for (const b of batch) b.done(error);
      }
    }
    this.writing = false;
  }

  async find(id: string, now: Date): Promise<StoredPlan | undefined> {
    const [row] = await this.db
      .select()
      .from(plans)
      .where(and(eq(plans.id, id), gt(plans.expiresAt, now)));
    if (!row) return undefined;
    const request = row.request as Pick<StoredPlan, 'containers' | 'hazardous'>;
    return {
      id: row.id,
      containers: request.containers,
      hazardous: request.hazardous,
      itineraries: row.itineraries as StoredItinerary[],
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
    };
  }

  async purge(now: Date): Promise<number> {
    return (
      await this.db.delete(plans).where(lte(plans.expiresAt, now)).returning({ id: plans.id })
    ).length;
  }
}
