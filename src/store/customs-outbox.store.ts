import { and, desc, eq, inArray, isNotNull, lte, or, sql } from 'drizzle-orm';
import type {
  CustomsSystemKind,
  CustomsSystemRoute,
  CustomsSystemStore,
  InboundRecord,
  InboundResult,
  OutboxMessage,
  OutboxState,
  SystemLink,
  SystemWrites,
} from '../app/customs-system-ports.ts';
import type { Tx } from './capacity.store.ts';
import type { Db } from './database.ts';
import {
  customsInboundMessages,
  customsOutbox,
  customsSystemLinks,
  customsSystemRoutes,
} from './customs-outbox.schema.ts';

/** The customs-system boundary's tables on PostgreSQL / PGlite. */
export class PgCustomsSystemStore implements CustomsSystemStore {
  constructor(private readonly db: Db) {}

  async routes(): Promise<CustomsSystemRoute[]> {
    const rows = await this.db
      .select()
      .from(customsSystemRoutes)
      .orderBy(customsSystemRoutes.scope);
    return rows.map((r) => ({ ...r, system: r.system as CustomsSystemKind }));
  }

  async saveRoute(route: CustomsSystemRoute): Promise<void> {
    await this.db
      .insert(customsSystemRoutes)
      .values(route)
      .onConflictDoUpdate({ target: customsSystemRoutes.scope, set: { ...route } });
  }

  async deleteRoute(scope: string): Promise<boolean> {
    const gone = await this.db
      .delete(customsSystemRoutes)
      .where(eq(customsSystemRoutes.scope, scope))
      .returning({ scope: customsSystemRoutes.scope });
    return gone.length > 0;
  }

  async outbox(
    country: string,
    filter: { states: readonly OutboxState[]; limit: number },
  ): Promise<OutboxMessage[]> {
    const rows = await this.db
      .select()
      .from(customsOutbox)
      .where(
        and(
          eq(customsOutbox.country, country),
          filter.states.length > 0 ? inArray(customsOutbox.state, [...filter.states]) : undefined,
        ),
      )
      .orderBy(desc(customsOutbox.createdAt), desc(customsOutbox.id))
      .limit(filter.limit);
    return rows.map(toMessage);
  }

  async acknowledge(country: string, id: string, at: Date): Promise<OutboxMessage | undefined> {
    const [row] = await this.db
      .update(customsOutbox)
      .set({
        state: 'acknowledged',
        deliveredAt: sql`coalesce(${customsOutbox.deliveredAt}, ${at.toISOString()}::timestamptz)`,
      })
      .where(and(eq(customsOutbox.id, id), eq(customsOutbox.country, country)))
      .returning();
    return row ? toMessage(row) : undefined;
  }

  async findOutbound(country: string, id: string): Promise<OutboxMessage | undefined> {
    const [row] = await this.db
      .select()
      .from(customsOutbox)
      .where(and(eq(customsOutbox.id, id), eq(customsOutbox.country, country)));
    return row ? toMessage(row) : undefined;
  }

  async claimDue(now: Date, lockUntil: Date, limit: number): Promise<OutboxMessage[]> {
    // FOR UPDATE SKIP LOCKED: processes claiming at once each take other rows.
    const claimed = await this.db
      .update(customsOutbox)
      .set({ state: 'sending', nextAttemptAt: lockUntil })
      .where(
        inArray(
          customsOutbox.id,
          sql`(select ${customsOutbox.id} from ${customsOutbox} where ${and(
            or(eq(customsOutbox.state, 'pending'), eq(customsOutbox.state, 'sending')),
            isNotNull(customsOutbox.endpointUrl),
            lte(customsOutbox.nextAttemptAt, now),
          )} order by ${customsOutbox.nextAttemptAt} limit ${limit} for update skip locked)`,
        ),
      )
      .returning();
    return claimed.map(toMessage);
  }

  async settle(
    id: string,
    outcome:
      | { state: 'delivered'; status: number; at: Date }
      | { state: 'pending' | 'failed'; status: number | null; error: string; retryAt: Date },
  ): Promise<void> {
    await this.db
      .update(customsOutbox)
      .set(
        outcome.state === 'delivered'
          ? {
              state: 'delivered',
              attempts: sql`${customsOutbox.attempts} + 1`,
              lastStatus: outcome.status,
              lastError: null,
              deliveredAt: outcome.at,
            }
          : {
              state: outcome.state,
              attempts: sql`${customsOutbox.attempts} + 1`,
              lastStatus: outcome.status,
              lastError: outcome.error,
              nextAttemptAt: outcome.retryAt,
            },
      )
      .where(eq(customsOutbox.id, id));
  }

  async findInbound(
    system: CustomsSystemKind,
    country: string,
    messageId: string,
  ): Promise<InboundRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(customsInboundMessages)
      .where(
        and(
          eq(customsInboundMessages.system, system),
          eq(customsInboundMessages.country, country),
          eq(customsInboundMessages.messageId, messageId),
        ),
      );
    return row
      ? { ...row, system: row.system as CustomsSystemKind, result: row.result as InboundResult }
      : undefined;
  }

  async linksOf(declarationId: string): Promise<SystemLink[]> {
    const rows = await this.db
      .select()
      .from(customsSystemLinks)
      .where(eq(customsSystemLinks.declarationId, declarationId))
      .orderBy(customsSystemLinks.segmentSeq);
    return rows.map(toLink);
  }

  async findLink(
    system: CustomsSystemKind,
    by: { mrn: string } | { lrn: string; office: string } | { lrn: string; country: string },
  ): Promise<SystemLink | undefined> {
    const [row] = await this.db
      .select()
      .from(customsSystemLinks)
      .where(
        and(
          eq(customsSystemLinks.system, system),
          'mrn' in by
            ? eq(customsSystemLinks.mrn, by.mrn)
            : 'office' in by
              ? and(eq(customsSystemLinks.lrn, by.lrn), eq(customsSystemLinks.office, by.office))
              : and(eq(customsSystemLinks.lrn, by.lrn), eq(customsSystemLinks.country, by.country)),
        ),
      )
      .limit(1);
    return row ? toLink(row) : undefined;
  }
}

/**
 * Writes what a declaration change means for the customs systems, in its transaction: outbox
 * messages, links, and the inbound message (its primary key refuses the same message twice).
 */
export async function writeSystemChange(tx: Tx, w: SystemWrites): Promise<void> {
  if (w.outbox && w.outbox.length > 0)
    await tx
      .insert(customsOutbox)
      .values(
        w.outbox.map((m) => ({ ...m, state: 'pending', attempts: 0, nextAttemptAt: m.createdAt })),
      );
  for (const link of w.links ?? [])
    await tx
      .insert(customsSystemLinks)
      .values(link)
      .onConflictDoUpdate({
        target: [customsSystemLinks.declarationId, customsSystemLinks.segmentSeq],
        set: { lrn: link.lrn, office: link.office, mrn: link.mrn, system: link.system },
      });
  if (w.inbound) await tx.insert(customsInboundMessages).values(w.inbound);
}

function toMessage(r: typeof customsOutbox.$inferSelect): OutboxMessage {
  return { ...r, system: r.system as CustomsSystemKind, state: r.state as OutboxState };
}

function toLink(r: typeof customsSystemLinks.$inferSelect): SystemLink {
  return { ...r, system: r.system as CustomsSystemKind };
}
