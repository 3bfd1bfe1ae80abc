import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { organisations } from './account.schema.ts';

/** Capacity per departure leg, its holds, and the bookings that take it. */

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull();

/**
 * Capacity of each leg of each departure, created from the timetable on first use. The check
 * constraint is the last line of defence: held + confirmed can never exceed capacity.
 */
export const departureLegs = pgTable(
  'departure_legs',
  {
    tripId: text('trip_id').notNull(),
    legIndex: integer('leg_index').notNull(),
    serviceId: text('service_id').notNull(),
    fromNodeId: text('from_node_id').notNull(),
    toNodeId: text('to_node_id').notNull(),
    departsAt: timestamp('departs_at', { withTimezone: true, mode: 'date' }).notNull(),
    capacityTeu: numeric('capacity_teu', { mode: 'number' }).notNull(),
    heldTeu: numeric('held_teu', { mode: 'number' }).notNull().default(0),
    confirmedTeu: numeric('confirmed_teu', { mode: 'number' }).notNull().default(0),
    closed: boolean('closed').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tripId, t.legIndex] }),
    index('departure_legs_service_idx').on(t.serviceId, t.departsAt),
    check(
      'departure_legs_within_capacity',
      sql`${t.heldTeu} >= 0 and ${t.confirmedTeu} >= 0 and ${t.heldTeu} + ${t.confirmedTeu} <= ${t.capacityTeu}`,
    ),
  ],
);

/** What one hold takes from one leg; a hold spans every leg of a ride. */
export const legHolds = pgTable(
  'leg_holds',
  {
    holdId: text('hold_id').notNull(),
    tripId: text('trip_id').notNull(),
    legIndex: integer('leg_index').notNull(),
    teu: numeric('teu', { mode: 'number' }).notNull(),
    /** held, confirmed or released. */
    state: text('state').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.holdId, t.tripId, t.legIndex] }),
    index('leg_holds_expiry_idx').on(t.state, t.expiresAt),
  ],
);

/** Bookings: every ride of an itinerary held together; states follow DCSA Booking 2.0. */
export const bookings = pgTable(
  'bookings',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    createdBy: text('created_by').notNull(),
    state: text('state').notNull(),
    /** [{ type, count, grossKg }] */
    containers: jsonb('containers').notNull(),
    teu: numeric('teu', { mode: 'number' }).notNull(),
    hazardous: boolean('hazardous').notNull(),
    holdId: text('hold_id').notNull(),
    holdExpiresAt: timestamp('hold_expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    reason: text('reason'),
    /** Things the booking party must know, e.g. a departure closed by its carrier. */
    notices: jsonb('notices').notNull().default([]),
    /**
     * Why the booking needs its party's attention (a departure its carrier cancelled or moved):
     * empty when nothing is asked; cleared when the booking is amended.
     */
    attention: jsonb('attention').notNull().default([]),
    /**
     * The plan it was booked from and what that plan promised: { planId, itineraryId,
     * arrivalP50, arrivalP90, costUsd, co2eKg }; null when booked by explicit rides.
     */
    promise: jsonb('promise'),
    /**
     * The latest amendment of a confirmed booking, beside it until its carriers decide: { status
     * (AMENDMENT_RECEIVED, _CONFIRMED, _DECLINED or _CANCELLED), containers, teu, hazardous,
     * rides with their decisions, holdId of the extra capacity held, holdExpiresAt, promise,
     * reason, receivedAt, decidedAt }; null when none was asked.
     */
    amendment: jsonb('amendment'),
    /**
     * The booking party's request to cancel a confirmed booking: { status
     * (CANCELLATION_RECEIVED, _CONFIRMED or _DECLINED), reason, rides with their carriers'
     * decisions, receivedAt, decidedAt }; null when none was asked.
     */
    cancellation: jsonb('cancellation'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('bookings_org_idx').on(t.organisationId),
    index('bookings_expiry_idx').on(t.state, t.holdExpiresAt),
  ],
);

/**
 * A booking made through DCSA Booking 2.0 (`/v2/bookings`): the request as the shipper sent it
 * (every field kept, to be read back), beside the platform's booking it was made into.
 */
export const dcsaBookingRequests = pgTable('dcsa_booking_requests', {
  bookingId: text('booking_id')
    .primaryKey()
    .references(() => bookings.id, { onDelete: 'cascade' }),
  /** The CreateBooking / UpdateBooking body last accepted. */
  request: jsonb('request').notNull(),
  /**
   * The latest amendment (UpdateBooking body) sent for the confirmed booking, beside the request
   * it amends until its carriers decide; null when none.
   */
  amendedRequest: jsonb('amended_request'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** One ride of a booking: a trip from one stop to a later one; its carrier confirms or declines it. */
export const bookingRides = pgTable(
  'booking_rides',
  {
    bookingId: text('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    rideIndex: integer('ride_index').notNull(),
    tripId: text('trip_id').notNull(),
    serviceId: text('service_id').notNull(),
    fromNodeId: text('from_node_id').notNull(),
    toNodeId: text('to_node_id').notNull(),
    /** The version of the service's timetable the ride was booked on (1: the reference data). */
    serviceVersion: integer('service_version').notNull().default(1),
    /** REQUESTED, CONFIRMED, DECLINED or COMPLETED (carried to its last stop). */
    state: text('state').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    primaryKey({ columns: [t.bookingId, t.rideIndex] }),
    index('booking_rides_service_idx').on(t.serviceId, t.state),
  ],
);
