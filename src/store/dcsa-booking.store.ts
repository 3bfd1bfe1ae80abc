import { eq } from 'drizzle-orm';
import type { DcsaBookingRequestStore } from '../app/dcsa-booking-ports.ts';
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

  async saveAmended(
    bookingId: string,
    request: Record<string, unknown> | null,
    at: Date,
  ): Promise<void> {
    await this.db
      .update(dcsaBookingRequests)
      .set({ amendedRequest: request, updatedAt: at })
      .where(eq(dcsaBookingRequests.bookingId, bookingId));
  }

  async findAmended(bookingId: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.db
      .select({ amended: dcsaBookingRequests.amendedRequest })
      .from(dcsaBookingRequests)
      .where(eq(dcsaBookingRequests.bookingId, bookingId));
    return (row?.amended as Record<string, unknown> | null | undefined) ?? undefined;
  }
}
