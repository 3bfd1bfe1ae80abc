import { z } from 'zod';
import { serviceSchema } from '../core/network/schema.ts';

/** The reference network as served by GET /v1/network and `corridor network show --json`. */
export const networkResponseSchema = z
  .object({
    nodes: z.array(
      z.looseObject({
        id: z.string(),
        name: z.string(),
        country: z.string(),
        kind: z.string(),
        timeZone: z.string(),
      }),
    ),
    links: z.array(
      z.looseObject({
        id: z.string(),
        from: z.string(),
        to: z.string(),
        mode: z.string(),
        distanceKm: z.number(),
      }),
    ),
    services: z.array(
      z.looseObject({ id: z.string(), name: z.string(), operator: z.string(), mode: z.string() }),
    ),
    dwellModels: z.array(
      z.looseObject({
        node: z.string(),
        operation: z.string(),
        p50Hours: z.number(),
        p90Hours: z.number(),
        byMonth: z
          .array(z.object({ p50Hours: z.number(), p90Hours: z.number() }))
          .optional()
          .meta({
            description:
              'ferry waits by calendar month (UTC), January first, where the data gives months',
          }),
      }),
    ),
    emissionFactors: z.array(
      z.looseObject({ id: z.string(), mode: z.string(), gCo2ePerTonneKm: z.number() }),
    ),
  })
  .meta({ id: 'Network' });

export const timetableQuerySchema = z.strictObject({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
    .optional()
    .meta({ description: 'first service day YYYY-MM-DD (default today, UTC)' }),
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(92)
    .default(7)
    .meta({ description: 'service days, 1-92' }),
  service: z
    .union([z.string().max(100), z.array(z.string().max(100)).max(100)])
    .optional()
    .meta({ description: 'only these service ids (repeat the parameter or separate by commas)' }),
});

const stopTimeSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  timeZone: z.string(),
  arrival: z.string().nullable(),
  departure: z.string().nullable(),
});

export const timetableResponseSchema = z
  .object({
    from: z.string(),
    days: z.number(),
    count: z.number(),
    trips: z.array(
      z.object({
        id: z.string(),
        serviceId: z.string(),
        serviceName: z.string(),
        operator: z.string(),
        mode: z.string(),
        serviceDate: z.string(),
        departure: z.string(),
        arrival: z.string(),
        capacityTeu: z.number(),
        sailsWhenFull: z.boolean(),
        stopTimes: z.array(stopTimeSchema),
      }),
    ),
  })
  .meta({ id: 'Timetable' });

export type TimetableResponse = z.infer<typeof timetableResponseSchema>;

const effectiveFrom = z
  .string()
  .meta({ description: 'the day (UTC, YYYY-MM-DD) the version takes effect: today or later' });

export const publicationSchema = z
  .strictObject({
    effectiveFrom,
    services: z
      .array(serviceSchema)
      .max(200)
      .meta({ description: 'new versions of your services, or new services (at most 200)' }),
    dryRun: z.boolean().optional().meta({ description: 'check everything and publish nothing' }),
  })
  .meta({ id: 'ServicePublication' });

export const csvPublicationQuerySchema = z.strictObject({
  effectiveFrom,
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'check everything and publish nothing' }),
});

export const publicationResultSchema = z
  .object({
    effectiveFrom: z.string(),
    dryRun: z.boolean(),
    services: z.array(
      z.object({
        serviceId: z.string(),
        version: z.number().int().nullable().meta({ description: 'null on a dry run' }),
        isNew: z.boolean(),
      }),
    ),
    flaggedBookings: z
      .array(z.object({ bookingId: z.string(), notices: z.array(z.string()) }))
      .meta({
        description:
          "live bookings the change breaks (a departure gone, a stop no longer served, an arrival moved, cargo refused, capacity cut); each then needs its party's attention and its owner is notified. On a dry run: those publishing would flag, nothing changed",
      }),
    affectedDepartures: z
      .array(
        z.object({
          tripId: z.string(),
          serviceId: z.string(),
          change: z.string().meta({ description: 'what changes for the departure, in words' }),
          bookingIds: z.array(z.string()),
        }),
      )
      .meta({ description: 'departures with live bookings that the change affects' }),
    rescheduledShipments: z.array(z.string()).meta({
      description:
        'shipments of the flagged bookings put on the new schedule, their arrival estimated again with an alert (empty on a dry run)',
    }),
  })
  .meta({ id: 'ServicePublicationResult' });

export const serviceIdParams = z.strictObject({
  serviceId: z.string().regex(/^[A-Z0-9_]{1,80}$/, 'a service id: upper-case letters, digits, _'),
});
export const serviceVersionParams = serviceIdParams.extend({
  version: z.coerce.number().int().min(1).max(1_000_000),
});

export const serviceVersionSchema = z
  .object({
    serviceId: z.string(),
    version: z.number().int(),
    effectiveFrom: z
      .string()
      .nullable()
      .meta({ description: 'when it took or takes effect; version 1 is the reference data' }),
    publishedAt: z.string().nullable(),
    organisationId: z.string().nullable(),
    inForce: z.boolean(),
    record: serviceSchema,
  })
  .meta({ id: 'ServiceVersion' });

export const serviceVersionsSchema = z.object({
  serviceId: z.string(),
  versions: z.array(serviceVersionSchema),
});
