import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { NewNotification } from '../app/ports.ts';
import type {
  OverbookedLeg,
  ServiceVersionStore,
  StoredServiceVersion,
} from '../app/schedule-ports.ts';
import type { ServiceRecord } from '../core/network/schema.ts';
import type { Tx } from './capacity.store.ts';
import type { Db } from './database.ts';
import { WAKE_CHANNELS, wakeOnCommit } from './wake-ups.ts';
import {
  bookings,
  departureLegs,
  notifications,
  organisationServices,
  serviceVersions,
} from './schema.ts';

/** Publications wait on each other under this advisory lock, so that their seqs commit in order. */
const PUBLISH_LOCK = 0x5e7c1ce5;

export class PgServiceVersionStore implements ServiceVersionStore {
  constructor(private readonly db: Db) {}

  async stamp(): Promise<string> {
    const [row] = await this.db
      .select({
        n: sql<number>`count(*)::int`,
        seq: sql<number>`coalesce(max(${serviceVersions.seq}), 0)::bigint`,
      })
      .from(serviceVersions);
    return `${row?.n ?? 0}:${row?.seq ?? 0}`;
  }

  async all(): Promise<StoredServiceVersion[]> {
    const rows = await this.db.select().from(serviceVersions).orderBy(asc(serviceVersions.seq));
    return rows.map(toVersion);
  }

  async versionsOf(serviceId: string): Promise<StoredServiceVersion[]> {
    const rows = await this.db
      .select()
      .from(serviceVersions)
      .where(eq(serviceVersions.serviceId, serviceId))
      .orderBy(asc(serviceVersions.version));
    return rows.map(toVersion);
  }

  async operators(serviceIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (serviceIds.length === 0) return out;
    const rows = await this.db
      .select()
      .from(organisationServices)
      .where(inArray(organisationServices.serviceId, [...serviceIds]));
    for (const r of rows) out.set(r.serviceId, [...(out.get(r.serviceId) ?? []), r.organisationId]);
    return out;
  }

  async overbooked(input: {
    effectiveFrom: string;
    records: readonly ServiceRecord[];
  }): Promise<OverbookedLeg[]> {
    const out: OverbookedLeg[] = [];
    for (const record of input.records) {
      const rows = await this.db
        .select({
          tripId: departureLegs.tripId,
          legIndex: departureLegs.legIndex,
          booked: sql<number>`${departureLegs.heldTeu} + ${departureLegs.confirmedTeu}`,
        })
        .from(departureLegs)
        .where(
          and(
            eq(departureLegs.serviceId, record.id),
            gte(departureLegs.departsAt, new Date(`${input.effectiveFrom}T00:00:00Z`)),
            sql`${departureLegs.heldTeu} + ${departureLegs.confirmedTeu} > ${record.capacityTeu}`,
          ),
        );
      for (const r of rows)
        out.push({
          tripId: r.tripId,
          legIndex: r.legIndex,
          capacityTeu: record.capacityTeu,
          bookedTeu: Number(r.booked),
        });
    }
    return out;
  }

  publish(input: {
    organisationId: string;
    publishedBy: string;
    effectiveFrom: string;
    records: readonly ServiceRecord[];
    referenceIds: ReadonlySet<string>;
    at: Date;
  }): Promise<{ versions: StoredServiceVersion[]; overbooked: OverbookedLeg[] }> {
    return this.db.transaction(async (tx: Tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${PUBLISH_LOCK})`);
      const ids = input.records.map((r) => r.id);
      const highest = await tx
        .select({ id: serviceVersions.serviceId, v: sql<number>`max(${serviceVersions.version})` })
        .from(serviceVersions)
        .where(inArray(serviceVersions.serviceId, ids))
        .groupBy(serviceVersions.serviceId);
      const top = new Map(highest.map((h) => [h.id, Number(h.v)]));
      const rows = await tx
        .insert(serviceVersions)
        .values(
          input.records.map((record) => ({
            serviceId: record.id,
            version: (top.get(record.id) ?? (input.referenceIds.has(record.id) ? 1 : 0)) + 1,
            organisationId: input.organisationId,
            publishedBy: input.publishedBy,
            effectiveFrom: input.effectiveFrom,
            record,
            publishedAt: input.at,
          })),
        )
        .returning();
      await tx
        .insert(organisationServices)
        .values(ids.map((serviceId) => ({ organisationId: input.organisationId, serviceId })))
        .onConflictDoNothing();
      const overbooked: OverbookedLeg[] = [];
      for (const record of input.records) {
        const cap = record.capacityTeu;
        const changed = await tx
          .update(departureLegs)
          .set({
            capacityTeu: sql`greatest(${cap}, ${departureLegs.heldTeu} + ${departureLegs.confirmedTeu})`,
          })
          .where(
            and(
              eq(departureLegs.serviceId, record.id),
              gte(departureLegs.departsAt, new Date(`${input.effectiveFrom}T00:00:00Z`)),
            ),
          )
          .returning({
            tripId: departureLegs.tripId,
            legIndex: departureLegs.legIndex,
            held: departureLegs.heldTeu,
            confirmed: departureLegs.confirmedTeu,
          });
        for (const c of changed) {
          const booked = Number(c.held) + Number(c.confirmed);
          if (booked > cap)
            overbooked.push({
              tripId: c.tripId,
              legIndex: c.legIndex,
              capacityTeu: cap,
              bookedTeu: booked,
            });
        }
      }
      // Every process builds its network again when this commits.
      await wakeOnCommit(tx, WAKE_CHANNELS.network);
      return { versions: rows.map(toVersion), overbooked };
    });
  }

  async flag(
    notices: readonly { bookingId: string; notice: string }[],
    notes: readonly NewNotification[],
    at: Date,
  ): Promise<void> {
    if (notices.length === 0 && notes.length === 0) return;
    await this.db.transaction(async (tx: Tx) => {
      for (const n of notices)
        await tx
          .update(bookings)
          .set({
            notices: sql`${bookings.notices} || ${JSON.stringify([n.notice])}::jsonb`,
            attention: sql`${bookings.attention} || ${JSON.stringify([n.notice])}::jsonb`,
            updatedAt: at,
          })
          .where(eq(bookings.id, n.bookingId));
      if (notes.length > 0) await tx.insert(notifications).values([...notes]);
    });
  }
}

function toVersion(r: typeof serviceVersions.$inferSelect): StoredServiceVersion {
  return {
    serviceId: r.serviceId,
    version: r.version,
    seq: r.seq,
    organisationId: r.organisationId,
    publishedBy: r.publishedBy,
    effectiveFrom: r.effectiveFrom,
    record: r.record as ServiceRecord,
    publishedAt: r.publishedAt,
  };
}
