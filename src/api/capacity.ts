import { z } from 'zod';

/** GET /v1/departures: capacity per departure and leg of one service. */
export const departuresQuerySchema = z.strictObject({
  service: z
    .string()
    .min(1)
    .max(100)
    .meta({ description: 'service id', example: 'SVC_FEEDER_AKTAU_ALAT' }),
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
    .optional()
    .meta({ description: 'first service day YYYY-MM-DD (default today, UTC)' }),
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(31)
    .default(7)
    .meta({ description: 'service days, 1-31' }),
});

const legSchema = z.object({
  legIndex: z.number().int(),
  from: z.string(),
  to: z.string(),
  departure: z.string(),
  capacityTeu: z.number(),
  heldTeu: z.number(),
  confirmedTeu: z.number(),
  availableTeu: z.number(),
  closed: z.boolean(),
});

export const departuresResponseSchema = z
  .object({
    serviceId: z.string(),
    from: z.string(),
    days: z.number(),
    departures: z.array(
      z.object({
        tripId: z.string(),
        serviceDate: z.string(),
        departure: z.string(),
        sailsWhenFull: z.boolean(),
        legs: z.array(legSchema),
      }),
    ),
  })
  .meta({ id: 'Departures' });

export type DeparturesResponse = z.infer<typeof departuresResponseSchema>;

/** GET /v1/utilisation: slot utilisation per service over a period. */
export const utilisationQuerySchema = departuresQuerySchema.omit({ service: true });

export const utilisationResponseSchema = z
  .object({
    from: z.string(),
    days: z.number(),
    services: z.array(
      z.object({
        serviceId: z.string(),
        name: z.string(),
        operator: z.string(),
        mode: z.string(),
        departures: z.number().int(),
        closedDepartures: z.number().int(),
        capacityTeu: z.number().meta({ description: "sum of the departures' capacity, TEU" }),
        heldTeu: z.number().meta({ description: "on each departure's busiest leg, summed" }),
        confirmedTeu: z.number(),
        utilisation: z.number().meta({ description: '(held + confirmed) / capacity, 0-1' }),
      }),
    ),
  })
  .meta({ id: 'Utilisation' });
