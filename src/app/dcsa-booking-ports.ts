/** The DCSA Booking 2.0 requests kept beside the bookings they were made into. */
export interface DcsaBookingRequestStore {
  /** Keeps the request accepted for a booking (replacing an earlier one). */
  save(bookingId: string, request: Record<string, unknown>, at: Date): Promise<void>;
  find(bookingId: string): Promise<Record<string, unknown> | undefined>;
  /**
   * Keeps the latest amendment sent for a confirmed booking beside its request (null: none any
   * more, e.g. once it became the request).
   */
  saveAmended(bookingId: string, request: Record<string, unknown> | null, at: Date): Promise<void>;
  findAmended(bookingId: string): Promise<Record<string, unknown> | undefined>;
}
