import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.ts';
import type { JobFigures } from '../app/ports.ts';

/** The background jobs' figures, read from the database every process shares. */
export async function readJobFigures(db: Db, now: Date): Promise<JobFigures> {
  const states = await rows<{ state: string; n: number }>(
    db,
    sql`select state, count(*)::int as n from webhook_deliveries group by state`,
  );
  const oldest = await rows<{ s: number }>(
    db,
    sql`select coalesce(extract(epoch from (${now.toISOString()}::timestamptz - min(next_attempt_at))), 0)::float8 as s
        from webhook_deliveries where state in ('pending', 'sending') and next_attempt_at <= ${now.toISOString()}::timestamptz`,
  );
  const stale = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from shipments where stale_at is not null`,
  );
  const running = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from simulations where state = 'running'`,
  );
  const webhookDeliveries: Record<string, number> = {
    pending: 0,
    sending: 0,
    delivered: 0,
    failed: 0,
  };
  for (const r of states) webhookDeliveries[r.state] = Number(r.n);
  return {
    webhookDeliveries,
    oldestPendingDeliverySeconds: Math.max(0, Number(oldest[0]?.s ?? 0)),
    shipmentsAwaitingRefresh: Number(stale[0]?.n ?? 0),
    simulationsRunning: Number(running[0]?.n ?? 0),
  };
}

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}
