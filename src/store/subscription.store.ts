import { and, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type {
  DeliveryState,
  EventSubscription,
  SubscriptionFilters,
  SubscriptionStore,
  WebhookDelivery,
} from '../app/ports.ts';
import type { NewDelivery } from '../app/shipments.ts';
import type { Db } from './database.ts';
import { deliveryRows } from './tracking.store.ts';
import { eventSubscriptions, webhookDeliveries } from './schema.ts';

type SubscriptionRow = typeof eventSubscriptions.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export class PgSubscriptionStore implements SubscriptionStore {
  constructor(private readonly db: Db) {}

  async create(s: EventSubscription): Promise<void> {
    await this.db.insert(eventSubscriptions).values(s);
  }

  async find(id: string): Promise<EventSubscription | undefined> {
    const [row] = await this.db
      .select()
      .from(eventSubscriptions)
      .where(eq(eventSubscriptions.id, id));
    return row ? toSubscription(row) : undefined;
  }

  async listByOrganisation(organisationId: string): Promise<EventSubscription[]> {
    return (
      await this.db
        .select()
        .from(eventSubscriptions)
        .where(eq(eventSubscriptions.organisationId, organisationId))
        .orderBy(desc(eventSubscriptions.createdAt))
    ).map(toSubscription);
  }

  async enqueue(deliveries: readonly NewDelivery[]): Promise<void> {
    if (deliveries.length > 0)
      await this.db.insert(webhookDeliveries).values(deliveryRows(deliveries));
  }

  async listAll(): Promise<EventSubscription[]> {
    return (await this.db.select().from(eventSubscriptions)).map(toSubscription);
  }

  async setSecret(id: string, secret: string, at: Date): Promise<void> {
    await this.db
      .update(eventSubscriptions)
      .set({ secret, updatedAt: at })
      .where(eq(eventSubscriptions.id, id));
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(eventSubscriptions).where(eq(eventSubscriptions.id, id));
  }

  async deliveries(subscriptionId: string, limit: number): Promise<WebhookDelivery[]> {
    return (
      await this.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.subscriptionId, subscriptionId))
        .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
        .limit(limit)
    ).map(toDelivery);
  }

  async claimDue(now: Date, lockUntil: Date, limit: number) {
    // FOR UPDATE SKIP LOCKED: processes claiming at once each take other rows.
    const claimed = await this.db
      .update(webhookDeliveries)
      .set({ state: 'sending', nextAttemptAt: lockUntil })
      .where(
        inArray(
          webhookDeliveries.id,
          sql`(select ${webhookDeliveries.id} from ${webhookDeliveries} where ${or(
            eq(webhookDeliveries.state, 'pending'),
            eq(webhookDeliveries.state, 'sending'),
          )} and ${lte(webhookDeliveries.nextAttemptAt, now)} order by ${webhookDeliveries.nextAttemptAt} limit ${limit} for update skip locked)`,
        ),
      )
      .returning();
    if (claimed.length === 0) return [];
    const subs = new Map(
      (
        await this.db
          .select()
          .from(eventSubscriptions)
          .where(inArray(eventSubscriptions.id, [...new Set(claimed.map((d) => d.subscriptionId))]))
      ).map((s) => [s.id, toSubscription(s)]),
    );
    return claimed.flatMap((d) => {
      const subscription = subs.get(d.subscriptionId);
      return subscription ? [{ delivery: toDelivery(d), subscription }] : [];
    });
  }

  async settle(
    id: string,
    outcome:
      | { state: 'delivered'; status: number; at: Date }
      | { state: 'pending' | 'failed'; status: number | null; error: string; retryAt: Date },
  ): Promise<void> {
    await this.db
      .update(webhookDeliveries)
      .set(
        outcome.state === 'delivered'
          ? {
              state: 'delivered',
              attempts: sql`${webhookDeliveries.attempts} + 1`,
              lastStatus: outcome.status,
              lastError: null,
              deliveredAt: outcome.at,
            }
          : {
              state: outcome.state,
              attempts: sql`${webhookDeliveries.attempts} + 1`,
              lastStatus: outcome.status,
              lastError: outcome.error.slice(0, 500),
              nextAttemptAt: outcome.retryAt,
            },
      )
      .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.state, 'sending')));
  }
}

function toSubscription(r: SubscriptionRow): EventSubscription {
  return { ...r, filters: r.filters as SubscriptionFilters };
}

function toDelivery(r: DeliveryRow): WebhookDelivery {
  return { ...r, state: r.state as DeliveryState };
}
