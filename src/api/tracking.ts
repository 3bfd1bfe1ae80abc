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

const docRefs = z
  .array(z.looseObject({ type: z.string().max(10), value: z.string().max(100) }))
  .max(100);

/**
 * One event, flat (TNT 2.2 field names, or a 3.0 payload merged with its metadata). Only the
 * fields the platform reads are checked; every field is kept as received.
 */
export const flatEventSchema = z
  .looseObject({
    eventID: z.string().min(1).max(100),
    eventCreatedDateTime: dateTime,
    eventDateTime: dateTime,
    eventType: z.enum(EVENT_TYPES),
    eventClassifierCode: z.enum(EVENT_CLASSIFIERS),
    transportEventTypeCode: z.enum(TRANSPORT_EVENT_CODES).optional(),
    equipmentEventTypeCode: z.enum(EQUIPMENT_EVENT_CODES).optional(),
    shipmentEventTypeCode: z.enum(SHIPMENT_EVENT_CODES).optional(),
    equipmentReference: z.string().min(1).max(11).optional(),
    emptyIndicatorCode: z.enum(['EMPTY', 'LADEN']).optional(),
    facilityTypeCode: z.enum(FACILITY_TYPE_CODES).optional(),
    eventLocation: location.optional(),
    location: location.optional(),
    transportCall: z
      .looseObject({
        transportCallReference: z.string().min(1).max(100).optional(),
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
    documentReference: z.string().min(1).max(100).optional(),
    relatedDocumentReferences: docRefs.optional(),
    references: docRefs.optional(),
  })
  .superRefine((e, ctx) => {
    const code = {
      TRANSPORT: 'transportEventTypeCode',
      EQUIPMENT: 'equipmentEventTypeCode',
      SHIPMENT: 'shipmentEventTypeCode',
    }[e.eventType] as 'transportEventTypeCode' | 'equipmentEventTypeCode' | 'shipmentEventTypeCode';
    if (e[code] === undefined)
      ctx.addIssue({ code: 'custom', path: [code], message: `required for ${e.eventType} events` });
    if (e.eventType === 'SHIPMENT' && e.eventClassifierCode !== 'ACT')
      ctx.addIssue({
        code: 'custom',
        path: ['eventClassifierCode'],
        message: 'shipment events are ACT (TNT 3.0)',
      });
  });

/** The metadata of a TNT 3.0 retraction: the event it retracts, and no payload. */
export const retractionSchema = z.looseObject({
  eventID: z.string().min(1).max(100),
  eventCreatedDateTime: dateTime,
  eventType: z.enum(EVENT_TYPES),
  retractedEventID: z.string().min(1).max(100),
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

const queryText = (description: string) => z.string().max(1000).optional().meta({ description });

/**
 * GET /v3/events: every query parameter of TNT 3.0 (and the TNT 2.2 names as aliases), values
 * checked by the use case; parameters the API does not know are ignored, as TNT allows.
 */
export const eventsQuerySchema = z.looseObject({
  eventTypes: queryText('SHIPMENT, TRANSPORT, EQUIPMENT, comma-separated (OR); 2.2: eventType'),
  shipmentEventTypeCodes: queryText('comma-separated (OR); 2.2: shipmentEventTypeCode'),
  documentTypeCodes: queryText('comma-separated (OR); 2.2: documentTypeCode'),
  documentReference: queryText(
    'a document the event names (documentReference or relatedDocumentReferences); 2.2: carrierBookingReference, transportDocumentReference',
  ),
  transportEventTypeCodes: queryText('comma-separated (OR); 2.2: transportEventTypeCode'),
  equipmentEventTypeCodes: queryText('comma-separated (OR); 2.2: equipmentEventTypeCode'),
  equipmentReference: queryText('a container (equipmentReference or a reference of type EQ)'),
  transportCallReference: queryText('2.2: transportCallID'),
  vesselIMONumber: queryText('the vessel (or barge) of the transport call'),
  carrierImportVoyageNumber: queryText('of the transport call'),
  universalImportVoyageReference: queryText('of the transport call'),
  carrierExportVoyageNumber: queryText('of the transport call; 2.2: exportVoyageNumber'),
  universalExportVoyageReference: queryText('of the transport call'),
  carrierServiceCode: queryText('of the transport call'),
  universalServiceReference: queryText('of the transport call'),
  UNLocationCode: queryText('where the event happens'),
  eventCreatedDateTime: queryText(
    'ISO 8601; also as eventCreatedDateTime:gte, :gt, :lte, :lt, :eq (AND)',
  ),
  eventDateTime: queryText('ISO 8601; also as eventDateTime:gte, :gt, :lte, :lt, :eq (AND)'),
  shipmentID: queryText('a shipment of the platform (an extension of the platform)'),
  limit: queryText('page size, 1-1000 (default 100)'),
  sort: queryText('eventCreatedDateTime:ASC (default) or eventCreatedDateTime:DESC'),
  cursor: queryText('from a Next-Page or Prev-Page header; it carries the filters'),
});

/**
 * An event as TNT 3.0 gives it (event domain 3.1.0 `event`): `metadata` and, unless it retracts
 * another event, `payload`, with every field it was received with.
 */
export const dcsaEventSchema = z
  .object({
    metadata: z.record(z.string(), z.unknown()).meta({
      description:
        'eventID, eventCreatedDateTime, eventType, publisher { partyName, carrierCode, carrierCodeListProvider }, publisherRole, retractedEventID',
    }),
    payload: z.record(z.string(), z.unknown()).optional().meta({
      description: 'the shipment, transport or equipment payload of event domain 3.1.0',
    }),
  })
  .meta({ id: 'DcsaEvent' });

export const eventIdParams = z.strictObject({ eventID: z.string().min(1).max(100) });

const codes = <T extends readonly [string, ...string[]]>(values: T) =>
  z.array(z.enum(values)).min(1).max(values.length).optional();

/** The filters of a subscription, in TNT 3.0 names; all must match (AND), lists any item (OR). */
const subscriptionFilters = {
  eventTypes: z
    .array(z.enum([...EVENT_TYPES, 'SERVICE_REQUEST', 'BOOKING']))
    .min(1)
    .max(5)
    .optional()
    .meta({
      description:
        'DCSA event types; platform extensions: SERVICE_REQUEST for changes of your service requests, BOOKING for changes of your bookings',
    }),
  shipmentEventTypeCodes: codes(SHIPMENT_EVENT_CODES),
  documentTypeCodes: z
    .array(z.string().regex(/^[A-Z]{3}$/, 'a DCSA documentTypeCode, e.g. BKG'))
    .min(1)
    .max(30)
    .optional(),
  documentReference: z.string().min(1).max(100).optional(),
  equipmentReference: z.string().min(1).max(11).optional(),
  equipmentEventTypeCodes: codes(EQUIPMENT_EVENT_CODES),
  transportEventTypeCodes: codes(TRANSPORT_EVENT_CODES),
  transportCallReference: z.string().min(1).max(100).optional(),
  vesselIMONumber: z
    .string()
    .regex(/^\d{7}$/, 'seven digits')
    .optional(),
  carrierExportVoyageNumber: z.string().min(1).max(50).optional(),
  universalExportVoyageReference: z.string().min(1).max(5).optional(),
  carrierServiceCode: z.string().min(1).max(11).optional(),
  universalServiceReference: z.string().min(1).max(8).optional(),
  UNLocationCode: unLocode.optional(),
  shipmentID: idParam.optional().meta({ description: 'a shipment (a platform extension)' }),
};

/**
 * POST /v3/event-subscriptions (TNT 3.0 `subscriptionBodyWithSecret`): a callback, its secret,
 * and filters. Members the API does not know are ignored.
 */
export const newSubscriptionSchema = z
  .looseObject({
    callbackUrl: z
      .string()
      .min(1)
      .max(2000)
      .meta({ example: 'https://erp.example.com/dcsa/events' }),
    secret: z.string().min(1).max(200).meta({
      description: 'Base64 HMAC-SHA256 key of 32-64 bytes',
      example: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
    }),
    ...subscriptionFilters,
  })
  .meta({ id: 'NewEventSubscription' });

/** A subscription as TNT 3.0 gives it: the filters set, never the secret. */
export const subscriptionSchema = z
  .object({
    subscriptionID: z.string(),
    callbackUrl: z.string(),
    ...subscriptionFilters,
    subscriptionCreatedDateTime: timestamp,
    subscriptionUpdatedDateTime: timestamp,
  })
  .meta({ id: 'EventSubscription' });

/** Subscriptions are UUIDs (TNT 3.0); those made before are platform ids (`sub_...`). */
export const subscriptionParams = z.strictObject({
  subscriptionId: z
    .string()
    .regex(
      /^(?:[a-z]{3}_[A-Za-z0-9]{1,40}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i,
      'not a subscription id',
    ),
});
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
