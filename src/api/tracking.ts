import { z } from 'zod';
import {
  EQUIPMENT_EVENT_CODES,
  EVENT_CLASSIFIERS,
  EVENT_TYPES,
  FACILITY_TYPE_CODES,
  MODES_OF_TRANSPORT,
  SHIPMENT_EVENT_CODES,
  TRANSPORT_EVENT_CODES,
} from '../core/tracking/events.ts';
import { idParam, timestamp } from './common.ts';

/**
 * The tracking contract: shipments, and events in DCSA Track & Trace field names and code lists
 * (TNT 2.2 flat events and the 3.0 metadata + payload envelope).
 */

const unLocode = z.string().regex(/^[A-Z]{2}[A-Z2-9]{3}$/, 'not a UN/LOCODE (e.g. KZAAU)');
const dateTime = z.iso.datetime({ offset: true, message: 'not an ISO 8601 date-time with zone' });

const location = z.looseObject({
  UNLocationCode: unLocode.optional(),
  facilityTypeCode: z.enum(FACILITY_TYPE_CODES).optional(),
});

/**
 * One event, flat (TNT 2.2 field names; the 3.0 payload has the same fields). Fields the
 * platform does not use are accepted and not kept, as carriers send many optional ones.
 */
export const flatEventSchema = z
  .looseObject({
    eventID: z.uuid({ message: 'not a UUID' }),
    eventCreatedDateTime: dateTime,
    eventDateTime: dateTime,
    eventType: z.enum(EVENT_TYPES),
    eventClassifierCode: z.enum(EVENT_CLASSIFIERS),
    transportEventTypeCode: z.enum(TRANSPORT_EVENT_CODES).optional(),
    equipmentEventTypeCode: z.enum(EQUIPMENT_EVENT_CODES).optional(),
    shipmentEventTypeCode: z.enum(SHIPMENT_EVENT_CODES).optional(),
    equipmentReference: z.string().min(1).max(11).optional(),
    eventLocation: location.optional(),
    transportCall: z
      .looseObject({
        UNLocationCode: unLocode.optional(),
        facilityTypeCode: z.enum(FACILITY_TYPE_CODES).optional(),
        modeOfTransport: z.enum(MODES_OF_TRANSPORT).optional(),
        location: location.optional(),
      })
      .optional(),
    documentReferences: z
      .array(
        z.looseObject({
          documentReferenceType: z.string().max(10),
          documentReferenceValue: z.string().max(100),
        }),
      )
      .max(20)
      .optional(),
  })
  .superRefine((e, ctx) => {
    const code = {
      TRANSPORT: 'transportEventTypeCode',
      EQUIPMENT: 'equipmentEventTypeCode',
      SHIPMENT: 'shipmentEventTypeCode',
    }[e.eventType] as 'transportEventTypeCode' | 'equipmentEventTypeCode' | 'shipmentEventTypeCode';
    if (e[code] === undefined)
      ctx.addIssue({ code: 'custom', path: [code], message: `required for ${e.eventType} events` });
  });

export type FlatEvent = z.infer<typeof flatEventSchema>;

/** POST /v1/events: one event, or a batch of up to 1,000, flat or in the 3.0 envelope. */
export const eventsBodySchema = z
  .union([z.array(z.unknown()).min(1).max(1000), z.record(z.string(), z.unknown())])
  .meta({
    description:
      'one DCSA event (TNT 2.2 flat, or 3.0 `{ metadata, payload }`) or an array of up to 1,000',
  });

export const eventResultSchema = z.object({
  index: z.number().int(),
  eventID: z.string().nullable(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  reason: z.string().nullable(),
  shipmentId: z.string().nullable(),
});

export const eventsAnswerSchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    results: z.array(eventResultSchema),
  })
  .meta({ id: 'EventBatchAnswer' });

/** An event as the read API gives it: DCSA TNT 2.2 flat fields. */
export const eventSchema = z
  .object({
    eventID: z.string(),
    eventCreatedDateTime: timestamp,
    eventDateTime: timestamp,
    eventType: z.enum(EVENT_TYPES),
    eventClassifierCode: z.enum(EVENT_CLASSIFIERS),
    transportEventTypeCode: z.string().optional(),
    equipmentEventTypeCode: z.string().optional(),
    shipmentEventTypeCode: z.string().optional(),
    equipmentReference: z.string().nullable(),
    eventLocation: z
      .object({ UNLocationCode: z.string(), facilityTypeCode: z.string().nullable() })
      .nullable(),
    modeOfTransport: z.string().nullable(),
    shipmentID: z.string(),
  })
  .meta({ id: 'TrackingEvent' });

const containerSchema = z.strictObject({
  equipmentReference: z.string().min(1).max(11).meta({ example: 'CSQU3054383' }),
  ISOEquipmentCode: z
    .string()
    .regex(/^[0-9A-Z]{4}$/, 'an ISO 6346 size-type code, e.g. 45G1')
    .optional(),
});

export const newShipmentSchema = z
  .strictObject({
    bookingId: idParam.optional().meta({ description: 'a CONFIRMED booking of yours' }),
    rides: z
      .array(
        z.strictObject({
          tripId: z.string().min(1).max(100),
          from: z.string().min(1).max(100),
          to: z.string().min(1).max(100),
        }),
      )
      .min(1)
      .max(20)
      .optional()
      .meta({ description: 'the itinerary, when not from a booking' }),
    containers: z.array(containerSchema).min(1).max(500),
    reference: z.string().trim().min(1).max(100).optional(),
  })
  .meta({ id: 'NewShipment' });

const progressSchema = z.object({
  status: z.enum(['PLANNED', 'AT_NODE', 'ON_RIDE', 'ARRIVED']),
  rideIndex: z.number().int(),
  nodeId: z.string(),
  nextNodeId: z.string().nullable(),
  departed: z.boolean(),
  since: timestamp.nullable(),
  customs: z.string().nullable(),
});

export const shipmentSchema = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    bookingId: z.string().nullable(),
    reference: z.string().nullable(),
    containers: z.array(
      z.object({ equipmentReference: z.string(), ISOEquipmentCode: z.string().nullable() }),
    ),
    itinerary: z.array(
      z.object({
        rideIndex: z.number().int(),
        tripId: z.string(),
        serviceId: z.string(),
        stops: z.array(
          z.object({
            nodeId: z.string(),
            UNLocationCode: z.string().nullable(),
            plannedArrival: timestamp.nullable(),
            plannedDeparture: timestamp.nullable(),
          }),
        ),
      }),
    ),
    status: progressSchema.shape.status,
    position: progressSchema,
    eta: z.object({ p50: timestamp, p90: timestamp }).nullable(),
    promisedArrival: timestamp.nullable(),
    alerts: z.array(z.object({ at: timestamp, kind: z.string(), message: z.string() })),
    events: z.array(eventSchema),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Shipment' });

export const shipmentParams = z.strictObject({ shipmentId: idParam });

/** GET /v3/events: DCSA filters, ascending eventCreatedDateTime, cursor pagination. */
export const eventsQuerySchema = z.strictObject({
  equipmentReference: z.string().min(1).max(11).optional(),
  eventType: z
    .string()
    .regex(
      /^(TRANSPORT|EQUIPMENT|SHIPMENT)(,(TRANSPORT|EQUIPMENT|SHIPMENT))*$/,
      'comma-separated TRANSPORT, EQUIPMENT, SHIPMENT',
    )
    .optional(),
  shipmentID: idParam.optional(),
  UNLocationCode: unLocode.optional(),
  'eventCreatedDateTime:gte': dateTime.optional(),
  'eventCreatedDateTime:gt': dateTime.optional(),
  'eventCreatedDateTime:lte': dateTime.optional(),
  'eventCreatedDateTime:lt': dateTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'a cursor from a previous page')
    .optional(),
});

export const eventsPageSchema = z
  .object({ events: z.array(eventSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'EventPage' });

/** POST /v3/event-subscriptions: a callback, its secret, and filters (AND). */
export const newSubscriptionSchema = z
  .strictObject({
    callbackUrl: z
      .string()
      .min(1)
      .max(2000)
      .meta({ example: 'https://erp.example.com/dcsa/events' }),
    secret: z.string().min(1).max(200).meta({
      description: 'Base64 HMAC-SHA256 key of 32-64 bytes',
      example: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
    }),
    equipmentReference: z.string().min(1).max(11).optional(),
    eventTypes: z
      .array(z.enum([...EVENT_TYPES, 'SERVICE_REQUEST']))
      .min(1)
      .max(4)
      .optional()
      .meta({
        description:
          'DCSA event types; SERVICE_REQUEST (a platform extension) for changes of your service requests',
      }),
    shipmentID: idParam.optional(),
    UNLocationCode: unLocode.optional(),
  })
  .meta({ id: 'NewEventSubscription' });

export const subscriptionSchema = z
  .object({
    subscriptionID: z.string(),
    callbackUrl: z.string(),
    equipmentReference: z.string().nullable(),
    eventTypes: z.array(z.string()).nullable(),
    shipmentID: z.string().nullable(),
    UNLocationCode: z.string().nullable(),
    createdDateTime: timestamp,
    updatedDateTime: timestamp,
  })
  .meta({ id: 'EventSubscription' });

export const subscriptionParams = z.strictObject({ subscriptionId: idParam });
export const secretBodySchema = z.strictObject({ secret: z.string().min(1).max(200) });

export const deliverySchema = z
  .object({
    id: z.string(),
    state: z.enum(['pending', 'sending', 'delivered', 'failed']),
    eventCount: z.number().int(),
    attempts: z.number().int(),
    nextAttemptAt: timestamp,
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: timestamp,
    deliveredAt: timestamp.nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
