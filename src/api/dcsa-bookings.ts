import { z } from 'zod';

/**
 * DCSA Booking 2.0 bodies as far as the platform reads them (BKG_v2.0.0); every other field of
 * the spec is accepted and kept as sent.
 */

const reference = z.string().regex(/^\S(?:.*\S)?$/, 'no leading or trailing spaces');

const requestedEquipment = z.looseObject({
  ISOEquipmentCode: reference.max(4).meta({ example: '42G1' }),
  units: z.number().int().min(1).max(1000),
  commodities: z
    .array(
      z.looseObject({
        cargoGrossWeight: z
          .looseObject({ value: z.number().positive(), unit: z.enum(['KGM', 'LBR']) })
          .optional(),
        outerPackaging: z
          .looseObject({ dangerousGoods: z.array(z.unknown()).optional() })
          .optional(),
      }),
    )
    .optional(),
});

const serviceType = z.enum(['CY', 'SD', 'CFS']);
const movementType = z.enum(['FCL', 'LCL']);

export const dcsaBookingRequestSchema = z
  .looseObject({
    receiptTypeAtOrigin: serviceType,
    deliveryTypeAtDestination: serviceType,
    cargoMovementTypeAtOrigin: movementType,
    cargoMovementTypeAtDestination: movementType,
    isEquipmentSubstitutionAllowed: z.boolean(),
    contractQuotationReference: reference.max(35).optional().meta({
      description: 'the id of a plan from POST /v1/plans (pln_…): the quotation booked',
    }),
    references: z
      .array(z.looseObject({ type: z.string().max(3), value: reference.max(35) }))
      .optional()
      .meta({ description: 'one of type CR names the itinerary of the plan (it_…)' }),
    shipmentLocations: z.array(z.looseObject({ locationTypeCode: z.string().max(3) })).min(1),
    requestedEquipments: z.array(requestedEquipment).min(1).max(20),
    documentParties: z.looseObject({}),
  })
  .meta({ id: 'DcsaCreateBooking', description: 'DCSA Booking 2.0 CreateBooking / UpdateBooking' });

export const dcsaBookingReferenceParams = z.strictObject({
  bookingReference: reference.max(100),
});

/** GET /v2/bookings/{ref}: `amendedContent=true` gives the latest amendment sent. */
export const dcsaBookingQuerySchema = z.object({
  amendedContent: z.enum(['true', 'false']).optional().meta({
    description:
      'true: the latest amendment sent for the confirmed booking (404 when none); false (default): the booking as confirmed',
  }),
});

export const dcsaCreateBookingResponseSchema = z
  .object({ carrierBookingRequestReference: z.string() })
  .meta({ id: 'DcsaCreateBookingResponse' });

export const dcsaBookingSchema = z
  .looseObject({
    carrierBookingRequestReference: z.string(),
    carrierBookingReference: z.string().optional(),
    bookingStatus: z.string(),
  })
  .meta({
    id: 'DcsaBooking',
    description: 'DCSA Booking 2.0 Booking: the request as sent, and its status',
  });

export const dcsaCancellationSchema = z
  .strictObject({
    bookingStatus: z.literal('CANCELLED').optional(),
    amendedBookingStatus: z.literal('AMENDMENT_CANCELLED').optional(),
    bookingCancellationStatus: z.literal('CANCELLATION_RECEIVED').optional(),
    reason: z.string().max(5000).optional(),
  })
  .refine(
    (x) =>
      [x.bookingStatus, x.amendedBookingStatus, x.bookingCancellationStatus].filter(
        (v) => v !== undefined,
      ).length === 1,
    { message: 'give one of bookingStatus, amendedBookingStatus, bookingCancellationStatus' },
  )
  .meta({ id: 'DcsaCancelBooking' });
