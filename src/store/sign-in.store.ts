import { and, eq, lt, or, isNull, sql } from 'drizzle-orm';
import type { SignInFailures } from '../app/authenticate.ts';
import type { Db } from './database.ts';
import { signInFailures } from './account.schema.ts';

/** Failed sign-ins in PostgreSQL: every server process counts in the same rows. */
export class PgSignInFailures implements SignInFailures {
  constructor(private readonly db: Db) {}

  async retryAt(key: string, now: Date): Promise<Date | null> {
    const [row] = await this.db
      .select({ retryAt: signInFailures.retryAt })
      .from(signInFailures)
      .where(eq(signInFailures.key, key));
    return row?.retryAt && row.retryAt > now ? row.retryAt : null;
  }

  async record(
    key: string,
    now: Date,
    windowMs: number,
    delayMs: (failures: number) => number,
  ): Promise<void> {
    const windowStart = new Date(now.getTime() - windowMs).toISOString();
    const stale = sql`${signInFailures.firstAt} < ${windowStart}::timestamptz`;
    // The count in one statement, so that failures on several servers at once all count; the
    // wait follows from it (a concurrent failure may set the shorter of two waits, never none).
    const [row] = await this.db
      .insert(signInFailures)
      .values({ key, failures: 1, firstAt: now, retryAt: null })
      .onConflictDoUpdate({
        target: signInFailures.key,
        set: {
          failures: sql`case when ${stale} then 1 else ${signInFailures.failures} + 1 end`,
          firstAt: sql`case when ${stale} then ${now.toISOString()}::timestamptz else ${signInFailures.firstAt} end`,
        },
      })
      .returning({ failures: signInFailures.failures });
    const delay = delayMs(row!.failures);
    if (delay > 0)
      await this.db
        .update(signInFailures)
        .set({ retryAt: new Date(now.getTime() + delay) })
        .where(eq(signInFailures.key, key));
  }

  async clear(key: string): Promise<void> {
    await this.db.delete(signInFailures).where(eq(signInFailures.key, key));
  }

  async purge(now: Date, windowMs: number): Promise<void> {
    await this.db
      .delete(signInFailures)
      .where(
        and(
          lt(signInFailures.firstAt, new Date(now.getTime() - windowMs)),
          or(isNull(signInFailures.retryAt), lt(signInFailures.retryAt, now)),
        ),
      );
  }
}
