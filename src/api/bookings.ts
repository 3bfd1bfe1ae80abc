import { z } from 'zod';
import { idParam, timestamp } from './common.ts';
import { containersSchema } from './plan.ts';

const rideSchema = z.strictObject({
  tripId: z.string().min(1).max(100).meta({ example: 'SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800' }),
  from: z.string().min(1).max(100).meta({ example: 'KZ_AKTAU_PORT' }),
  to: z.string().min(1).max(100).meta({ example: 'AZ_BAKU_PORT_ALAT' }),
});

const ridesSchema = z.array(rideSchema).min(1).max(20).meta({
  description: "the itinerary's rides, as the planner's ride legs give them (tripId, from, to)",
});

export const newBookingSchema = z
  .strictObject({
    rides: ridesSchema.optional(),
    planId: z
      .string()
      .regex(/^pln_[A-Za-z0-9]{1,40}$/, 'a plan id from POST /v1/plans')
      .optional()
      .meta({ description: 'book an itinerary of a plan (valid for a day) instead of rides' }),
    itineraryId: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: "the itinerary's id in that plan", example: 'it_1x2y3z' }),
    containers: containersSchema.optional().meta({
      description:
        "COUNTxTYPE[:GROSSKG],... or a list of { type, count, grossKg }; required with rides, the plan's by default",
    }),
    hazardous: z.boolean().optional(),
  })
  .meta({
    id: 'NewBooking',
    description: 'rides and containers, or planId and itineraryId (containers optional)',
  });

const rideViewSchema = z.object({
  rideIndex: z.number().int(),
  tripId: z.string(),
  serviceId: z.string(),
  fromNodeId: z.string(),
  toNodeId: z.string(),
  serviceVersion: z.number().int().meta({
    description:
      'the version of the service the ride was booked on: GET /v1/network/services/{serviceId}/versions/{serviceVersion}',
  }),
  state: z.enum(['REQUESTED', 'CONFIRMED', 'DECLINED', 'COMPLETED']),
  decidedAt: timestamp.nullable(),
  completedAt: timestamp.nullable(),
});

export const bookingSchema = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    state: z
      .enum([
        'RECEIVED',
        'PENDING_UPDATE',
        'UPDATE_RECEIVED',
        'CONFIRMED',
        'PENDING_AMENDMENT',
        'DECLINED',
        'REJECTED',
        'CANCELLED',
        'COMPLETED',
      ])
      .meta({
        description:
          "DCSA Booking 2.0 bookingStatus. RECEIVED: held, its carriers decide. PENDING_UPDATE: a ride's carrier asks the booking party to update it (reason). UPDATE_RECEIVED: updated by its party, held again, its carriers decide. CONFIRMED. PENDING_AMENDMENT: confirmed, a ride's carrier asks the booking party to amend it (reason); it keeps its confirmed capacity. REJECTED (before confirmation), DECLINED (after), CANCELLED, COMPLETED",
      }),
    containers: z.array(z.object({ type: z.string(), count: z.number(), grossKg: z.number() })),
    teu: z.number(),
    hazardous: z.boolean(),
    holdExpiresAt: timestamp,
    reason: z.string().nullable(),
    notices: z.array(z.string()),
    attention: z.array(z.string()).meta({
      description:
        "why the live booking needs its party's attention (a departure cancelled or moved by a schedule change), in words; empty when nothing is asked. An amendment clears it",
    }),
    promise: z
      .object({
        planId: z.string(),
        itineraryId: z.string(),
        arrivalP50: timestamp,
        arrivalP90: timestamp,
        costUsd: z.number(),
        co2eKg: z.number(),
      })
      .nullable()
      .meta({
        description:
          'what the plan it was booked from promised, for the whole itinerary; null for explicit rides, and for carriers (they see their own rides only)',
      }),
    amendment: z
      .object({
        status: z.enum([
          'AMENDMENT_RECEIVED',
          'AMENDMENT_CONFIRMED',
          'AMENDMENT_DECLINED',
          'AMENDMENT_CANCELLED',
        ]),
        containers: z.array(z.object({ type: z.string(), count: z.number(), grossKg: z.number() })),
        teu: z.number(),
        hazardous: z.boolean(),
        holdExpiresAt: timestamp,
        reason: z.string().nullable(),
        receivedAt: timestamp,
        decidedAt: timestamp.nullable(),
        rides: z.array(rideViewSchema).meta({
          description:
            "the rides as amended, each with its carrier's decision on the amendment (REQUESTED until decided)",
        }),
      })
      .nullable()
      .meta({
        description:
          "the latest amendment of the CONFIRMED booking (DCSA amendedBookingStatus). While AMENDMENT_RECEIVED the booking stays CONFIRMED on its own terms and capacity, and what the amendment needs beyond them is held until holdExpiresAt; confirmed by every ride's carrier, the booking takes its terms; declined, the booking keeps its own. null when none was asked",
      }),
    cancellation: z
      .object({
        status: z.enum([
          'CANCELLATION_RECEIVED',
          'CANCELLATION_CONFIRMED',
          'CANCELLATION_DECLINED',
        ]),
        reason: z.string().nullable(),
        receivedAt: timestamp,
        decidedAt: timestamp.nullable(),
        rides: z.array(
          z.object({
            rideIndex: z.number().int(),
            serviceId: z.string(),
            state: z.enum(['REQUESTED', 'CONFIRMED', 'DECLINED']),
            decidedAt: timestamp.nullable(),
          }),
        ),
      })
      .nullable()
      .meta({
        description:
          "the booking party's request to cancel the CONFIRMED booking (DCSA bookingCancellationStatus): the booking stays CONFIRMED with its capacity until every ride's carrier confirms (CANCELLED) or one declines (stays CONFIRMED). null when none was asked",
      }),
    createdAt: timestamp,
    updatedAt: timestamp,
    rides: z.array(rideViewSchema),
  })
  .meta({ id: 'Booking' });

export const bookingParams = z.strictObject({ bookingId: idParam });
export const rideParams = z.strictObject({
  bookingId: idParam,
  rideIndex: z.coerce.number().int().min(0).max(19),
});

export const departureParams = z.strictObject({
  tripId: z
    .string()
    .regex(
      /^[A-Z0-9_]+@\d{4}-\d{2}-\d{2}T\d{4}$/,
      'a trip id, e.g. SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800',
    ),
});

export const departureChangeSchema = z.strictObject({
  capacityTeu: z
    .number()
    .min(0)
    .max(100_000)
    .optional()
    .meta({ description: 'new capacity of every leg, TEU' }),
  closed: z.boolean().optional().meta({ description: 'a closed departure takes no new bookings' }),
});

/** POST /v1/bookings/{id}/amend: what changes (the rest stays). */
export const bookingAmendmentSchema = z
  .strictObject({
    rides: ridesSchema.optional(),
    containers: containersSchema.optional(),
    hazardous: z.boolean().optional(),
  })
  .refine((x) => x.rides !== undefined || x.containers !== undefined || x.hazardous !== undefined, {
    message: 'give rides, containers or hazardous',
  });

export const updateRequestSchema = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .meta({ example: 'reefer plugs are taken on this sailing; please move to the next one' }),
});
