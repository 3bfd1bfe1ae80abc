import { lt, sql } from 'drizzle-orm';
import type { RateCounter } from '../app/ports.ts';
import type { Db } from './database.ts';
import { rateLimits } from './schema.ts';

/** Fixed-window counters in PostgreSQL: one upsert per counted request, whichever process. */
export class PgRateCounter implements RateCounter {
  constructor(private readonly db: Db) {}

  async hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const result: unknown = await this.db.execute(sql`
      insert into rate_limits as r (key, count, reset_at)
      values (${key}, 1, now() + ${windowMs} * interval '1 millisecond')
      on conflict (key) do update set
        count = case when r.reset_at <= now() then 1 else r.count + 1 end,
        reset_at = case when r.reset_at <= now() then excluded.reset_at else r.reset_at end
      returning count, greatest(0, extract(epoch from (reset_at - now())) * 1000)::float8 as reset_in_ms`);
    const row = (result as { rows: { count: number; reset_in_ms: number }[] }).rows[0]!;
    return { count: Number(row.count), resetInMs: Number(row.reset_in_ms) };
  }

  async purgeExpired(): Promise<void> {
    await this.db.delete(rateLimits).where(lt(rateLimits.resetAt, sql`now()`));
  }
}
