import { z } from 'zod';
import { NEEDED_DOCUMENT_KINDS } from '../core/customs/regimes.ts';

/**
 * The route-planning contract: what `corridor plan --json` prints and the HTTP API returns.
 * Times are ISO 8601 UTC; places are node ids as in `corridor network show`.
 */

export const CONTAINER_CODE_VALUES = ['20GP', '40GP', '40HC', '45HC', '20RF', '40RF'] as const;

export const containerGroupSchema = z.object({
  type: z.enum(CONTAINER_CODE_VALUES),
  count: z.number().int().min(1).max(500),
  /** Gross mass of one container (cargo + tare), kg. */
  grossKg: z.number().min(1000).max(36000),
});

/** Containers as `2x40HC,1x20GP` (`:GROSSKG` per group optional) or a list of groups. */
export const containersSchema = z
  .union([
    z.string().min(1).max(500).meta({ example: '2x40HC,1x20GP' }),
    z
      .array(
        z.strictObject({
          type: z.enum(CONTAINER_CODE_VALUES),
          count: z.number().int().min(1).max(500),
          grossKg: z.number().min(1000).max(36000).optional(),
        }),
      )
      .min(1)
      .max(20),
  ])
  .meta({ description: 'COUNTxTYPE[:GROSSKG],... or a list of { type, count, grossKg }' });

/** POST /v1/plans: the planner's request. */
export const planBodySchema = z
  .strictObject({
    from: z
      .string()
      .min(1)
      .max(200)
      .meta({ description: 'node id, UN/LOCODE or name', example: 'Qingdao' }),
    to: z.string().min(1).max(200).meta({ example: 'Baku' }),
    depart: z.string().max(40).optional().meta({
      description:
        'ready at the origin from this date (YYYY-MM-DD, origin local midnight) or ISO 8601 instant; now when absent (or when arriveBy alone is given, the horizon before it); never before now, and at most twelve months ahead',
    }),
    arriveBy: z.string().max(40).optional(),
    containers: containersSchema,
    hazardous: z.boolean().optional(),
    compare: z.boolean().optional(),
    seed: z.number().int().min(0).max(2147483647).optional(),
    maxResults: z.number().int().min(1).max(50).optional(),
  })
  .meta({
    id: 'PlanRequest',
    example: { from: 'Qingdao', to: 'Baku', containers: '2x40HC' },
  });

export const planRequestSchema = z.object({
  from: z
    .string()
    .min(1)
    .max(200)
    .meta({ description: 'node id, UN/LOCODE or name', example: 'Qingdao' }),
  to: z.string().min(1).max(200).meta({ example: 'Baku' }),
  /** Earliest departure: when the cargo is ready, never before the moment of planning. */
  depart: z.string().meta({ description: 'ISO 8601 UTC' }),
  /** Latest planned arrival (destination local end of day when a date). */
  arriveBy: z.string().nullable(),
  containers: z.array(containerGroupSchema).min(1),
  hazardous: z.boolean(),
  /** Best itinerary of each corridor instead of the Pareto set. */
  compare: z.boolean(),
  seed: z.number().int(),
  /** Most itineraries returned. */
  maxResults: z.number().int().min(1).max(50),
});

export const rideLegSchema = z.object({
  kind: z.literal('ride'),
  serviceId: z.string(),
  tripId: z.string(),
  operator: z.string(),
  mode: z.enum(['rail', 'road', 'ferry', 'sea']),
  from: z.string(),
  to: z.string(),
  departure: z.string(),
  arrival: z.string(),
  distanceKm: z.number(),
  costUsd: z.number(),
  costBreakdown: z.array(
    z.object({
      container: z.string(),
      isoType: z.string(),
      count: z.number(),
      from: z.string().meta({ description: 'first node of the tariff section (or part) priced' }),
      to: z.string().meta({ description: 'last node of the tariff section (or part) priced' }),
      fixedUsd: z
        .number()
        .meta({ description: "the section's fixed charge, on the leg where the ride enters it" }),
      perKmUsd: z.number(),
      distanceKm: z.number(),
      amountUsd: z.number(),
      infrastructureUsd: z.number().nullable().meta({
        description: "the railways' infrastructure charge within amountUsd, where sources give it",
      }),
    }),
  ),
  co2eKg: z.number(),
});

export const dwellLegSchema = z.object({
  kind: z.literal('dwell'),
  node: z.string(),
  operation: z.enum([
    'border_crossing',
    'gauge_change',
    'transshipment',
    'port_handling',
    'ferry_waiting',
  ]),
  p50Hours: z.number(),
  p90Hours: z.number(),
});

export const itinerarySchema = z.object({
  id: z.string(),
  corridor: z.enum(['middle', 'northern', 'southern', 'sea']),
  departure: z.string(),
  /** Planned arrival with every dwell at its P50 (the plan the search optimises). */
  plannedArrival: z.string(),
  arrivalP50: z.string(),
  arrivalP90: z.string(),
  transitDaysP50: z.number(),
  transitDaysP90: z.number(),
  costUsd: z.number(),
  co2eKg: z.number(),
  transfers: z.number().int(),
  legs: z.array(z.discriminatedUnion('kind', [rideLegSchema, dwellLegSchema])),
  borders: z.array(
    z.object({ node: z.string(), from: z.string(), to: z.string(), mode: z.string() }),
  ),
  gaugeChanges: z.array(z.object({ node: z.string(), fromMm: z.number(), toMm: z.number() })),
  regimes: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      countries: z.array(z.string()),
      modes: z.array(z.string()),
      transportDocument: z.string(),
      customsRegime: z.string(),
    }),
  ),
  documents: z.array(z.string()).meta({ description: 'the documents the route needs, in English' }),
  requiredDocuments: z
    .array(z.object({ kind: z.enum(NEEDED_DOCUMENT_KINDS), countries: z.array(z.string()) }))
    .meta({
      description:
        'the same documents by kind, with the countries each is for (none for the whole journey), to name in any language',
    }),
});

export const PLAN_ERROR_CODES = [
  'invalid_request',
  'unknown_place',
  'same_place',
  'invalid_cargo',
  'invalid_date',
  'outside_timetable',
  'no_connection',
  'cargo_not_accepted',
  'hazardous_refused',
  'no_itinerary',
] as const;

/** Error codes that mean the request itself is wrong (the others are answers: no route). */
export const PLAN_INPUT_ERROR_CODES: ReadonlySet<(typeof PLAN_ERROR_CODES)[number]> = new Set([
  'invalid_request',
  'unknown_place',
  'same_place',
  'invalid_cargo',
  'invalid_date',
] as const);

export const planErrorSchema = z.object({
  code: z.enum(PLAN_ERROR_CODES),
  field: z.string().nullable(),
  message: z.string(),
  suggestions: z.array(z.string()),
});

export const planResponseSchema = z
  .object({
    request: planRequestSchema,
    itineraries: z.array(itinerarySchema),
    errors: z.array(planErrorSchema),
    dwellModelVersion: z.number().int().nullable().optional().meta({
      description:
        'The version of the observed dwell models (GET /v1/models/dwell) the P50/P90 were drawn from; null: the reference models of the data files.',
    }),
  })
  .meta({ id: 'Plan' });

export type PlanResponse = z.infer<typeof planResponseSchema>;
export type Itinerary = z.infer<typeof itinerarySchema>;
export type PlanError = z.infer<typeof planErrorSchema>;
export type ItineraryLeg = Itinerary['legs'][number];
