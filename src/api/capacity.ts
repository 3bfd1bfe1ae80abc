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
    .meta({ description: 'first service day (default today, UTC)', example: '2026-12-01' }),
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
