import { eq } from 'drizzle-orm';
import type { DcsaBookingRequestStore } from '../app/ports.ts';
import type { Db } from './database.ts';
import { dcsaBookingRequests } from './schema.ts';

export class PgDcsaBookingRequestStore implements DcsaBookingRequestStore {
  constructor(private readonly db: Db) {}

  async save(bookingId: string, request: Record<string, unknown>, at: Date): Promise<void> {
    await this.db
      .insert(dcsaBookingRequests)
      .values({ bookingId, request, updatedAt: at })
      .onConflictDoUpdate({
        target: dcsaBookingRequests.bookingId,
        set: { request, updatedAt: at },
      });
  }

  async find(bookingId: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.db
      .select()
      .from(dcsaBookingRequests)
      .where(eq(dcsaBookingRequests.bookingId, bookingId));
    return row ? (row.request as Record<string, unknown>) : undefined;
  }
}
