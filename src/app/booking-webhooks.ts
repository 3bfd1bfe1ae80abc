import type { Clock, Secrets, SubscriptionStore } from './ports.ts';

/**
 * Booking changes as signed webhooks: the booking organisation's subscriptions that ask for
 * `BOOKING` (an event type of the platform, beside DCSA's) get a notification of each change,
 * delivered like tracking events (signed, retried from the queue in the database).
 */

/** The event type a subscription names to get booking changes. */
export const BOOKING_EVENT = 'BOOKING';

/**
 * What changed: a carrier confirmed, rejected (before confirmation) or declined (after) the booking;
 * a carrier asked its party to update it (PENDING_UPDATE) or to amend it (PENDING_AMENDMENT); it
 * was amended (UPDATE_RECEIVED before confirmation, AMENDMENT_RECEIVED after), its amendment
 * confirmed, declined or withdrawn; its cancellation asked, declined or done; or its schedule
 * changed.
 */
export type BookingChange =
  | 'confirmed'
  | 'rejected'
  | 'declined'
  | 'cancelled'
  | 'update_requested'
  | 'amendment_requested'
  | 'amended'
  | 'amendment_confirmed'
  | 'amendment_declined'
  | 'amendment_cancelled'
  | 'cancellation_received'
  | 'cancellation_declined'
  | 'schedule_changed';

/** What a notification tells of a booking. */
interface BookingNow {
  id: string;
  organisationId: string;
  state: string;
  reason: string | null;
  notices: readonly string[];
  amendment?: { status: string } | null | undefined;
  cancellation?: { status: string } | null | undefined;
}

export interface BookingWebhookDeps {
  /** Absent: booking changes are not sent as webhooks (only kept on the booking). */
  subscriptions?: SubscriptionStore | undefined;
  clock: Clock;
  secrets: Secrets;
}

/**
 * Queues a notification of the change for each subscription of the booking organisation that
 * asks for BOOKING; the body is a JSON array of one change: `{ eventType: BOOKING, eventID,
 * eventCreatedDateTime, bookingID, change, bookingStatus, amendedBookingStatus,
 * bookingCancellationStatus, reason, notices }`. Queued after the
 * change itself is committed. Returns how many were queued.
 */
export async function announceBooking(
  deps: BookingWebhookDeps,
  booking: BookingNow,
  change: BookingChange,
): Promise<number> {
  if (!deps.subscriptions) return 0;
  const subs = (await deps.subscriptions.listByOrganisation(booking.organisationId)).filter((s) =>
    s.filters.eventTypes?.includes(BOOKING_EVENT),
  );
  if (subs.length === 0) return 0;
  const now = deps.clock.now();
  const platformBody = JSON.stringify([
    {
      eventType: BOOKING_EVENT,
      eventID: deps.secrets.uuid(),
      eventCreatedDateTime: now.toISOString(),
      bookingID: booking.id,
      change,
      bookingStatus: booking.state,
      amendedBookingStatus: booking.amendment?.status ?? null,
      bookingCancellationStatus: booking.cancellation?.status ?? null,
      reason: booking.reason,
      notices: booking.notices,
    },
  ]);
  await deps.subscriptions.enqueue(
    subs.map((s) => ({
      id: deps.secrets.id('dlv'),
      subscriptionId: s.id,
      body: isBookingNotificationEndpoint(s.callbackUrl)
        ? JSON.stringify(bookingNotification(deps, booking, s.id, now))
        : platformBody,
      eventCount: 1,
      at: now,
    })),
  );
  return subs.length;
}

/** A callback that is a DCSA Booking 2.0 consumer's endpoint: its path ends in /v2/booking-notifications. */
function isBookingNotificationEndpoint(url: string): boolean {
  try {
    return new URL(url).pathname.replace(/\/+$/, '').endsWith('/v2/booking-notifications');
  } catch {
    return false;
  }
}

/**
 * The DCSA Booking 2.0 notification (a CloudEvent of type org.dcsa.booking.v2) of a booking's
 * change: its status and references, the reason and notices as feedbacks.
 */
function bookingNotification(
  deps: BookingWebhookDeps,
  booking: BookingNow,
  subscriptionId: string,
  now: Date,
) {
  const confirmed = ['CONFIRMED', 'PENDING_AMENDMENT', 'COMPLETED', 'DECLINED'].includes(
    booking.state,
  );
  const feedbacks = [...(booking.reason ? [booking.reason] : []), ...booking.notices].map(
    (message) => ({ severity: 'INFO', code: 'INFORMATIONAL_MESSAGE', message }),
  );
  return {
    specversion: '1.0',
    id: deps.secrets.uuid(),
    source: 'urn:corridor:bookings',
    type: 'org.dcsa.booking.v2',
    time: now.toISOString(),
    datacontenttype: 'application/json',
    subscriptionReference: subscriptionId,
    data: {
      bookingStatus: booking.state,
      ...(booking.amendment ? { amendedBookingStatus: booking.amendment.status } : {}),
      ...(booking.cancellation ? { bookingCancellationStatus: booking.cancellation.status } : {}),
      carrierBookingRequestReference: booking.id,
      ...(confirmed ? { carrierBookingReference: booking.id } : {}),
      ...(feedbacks.length > 0 ? { feedbacks } : {}),
    },
  };
}
