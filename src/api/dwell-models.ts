import { z } from 'zod';

/** The observed dwell models over HTTP (GET /v1/models/dwell and the freezes). */

const percentiles = z.object({ p50Hours: z.number(), p90Hours: z.number() });

export const frozenDwellModelSchema = z
  .object({
    nodeId: z.string(),
    operation: z.string(),
    p50Hours: z.number(),
    p90Hours: z.number(),
    version: z.number().int().nullable().describe('the version in force when it was frozen'),
    frozenBy: z.string().describe('the user (or API key) who froze it'),
    frozenAt: z.string(),
  })
  .meta({ id: 'FrozenDwellModel' });

export const dwellModelSchema = z
  .object({
    nodeId: z.string(),
    operation: z.string(),
    month: z.number().int().min(0).max(12).describe('1–12 for January–December; 0 the whole year'),
    reference: percentiles.describe('the model of data/dwell.json: the prior'),
    observed: percentiles.nullable().describe('the observations alone, as a lognormal'),
    inForce: percentiles.describe('the prior updated by the observations: what the planner uses'),
    samples: z.number().int(),
    effectiveSamples: z.number().describe('after recency weights and the organisation caps'),
    observationWeight: z.number().describe('share of the in-force log-mean from the observations'),
    period: z.object({ from: z.string(), to: z.string() }).nullable(),
    ks: z
      .number()
      .nullable()
      .describe('Kolmogorov–Smirnov distance of the samples to the observed lognormal'),
    bounded: z.number().int().describe('samples moved in to the outlier bounds'),
    bounds: z.object({ lowHours: z.number(), highHours: z.number() }).nullable(),
    drift: z
      .enum(['slower', 'faster'])
      .nullable()
      .describe('the observed P50 left the reference range (P50 ÷ (P90/P50) to P90)'),
    contributions: z
      .array(
        z.object({
          organisationId: z.string(),
          organisationName: z.string().describe('the organisation’s name, as in the directory'),
          samples: z.number().int(),
          share: z.number(),
          trafficShare: z.number(),
          capped: z.boolean(),
        }),
      )
      .optional()
      .describe('who contributed what share: for the council and platform admins only'),
    frozen: frozenDwellModelSchema.nullable(),
  })
  .meta({ id: 'DwellModel' });

export const linkModelSchema = z
  .object({
    from: z.string().describe('the stop the run starts from (a node id)'),
    to: z.string().describe('the next stop of the service'),
    timetableHours: z.number().describe('the timetable running time (median of its services)'),
    observed: percentiles
      .nullable()
      .describe('the observed runs alone, as hours on that timetable'),
    inForce: percentiles.describe('the timetable updated by the observed runs'),
    factor: z
      .number()
      .describe("what the planner multiplies every service's timetabled running time by here"),
    samples: z.number().int(),
    effectiveSamples: z.number(),
    observationWeight: z.number(),
    period: z.object({ from: z.string(), to: z.string() }).nullable(),
    bounded: z.number().int(),
    bounds: z.object({ lowHours: z.number(), highHours: z.number() }).nullable(),
    drift: z
      .enum(['slower', 'faster'])
      .nullable()
      .describe('the observed P50 is more than a quarter off the timetable'),
    contributions: z
      .array(
        z.object({
          organisationId: z.string(),
          samples: z.number().int(),
          share: z.number(),
          trafficShare: z.number(),
          capped: z.boolean(),
        }),
      )
      .optional()
      .describe('who contributed what share: for the council and platform admins only'),
  })
  .meta({ id: 'LinkModel' });

export const dwellModelsSchema = z
  .object({
    version: z.number().int().nullable().describe('null: nothing observed yet, the reference'),
    fittedAt: z.string().nullable(),
    samples: z.number().int(),
    shipments: z.number().int(),
    period: z.object({ from: z.string(), to: z.string() }).nullable(),
    monthInForce: z.number().int().describe('the month whose models the planner uses now'),
    models: z.array(dwellModelSchema),
    linkSamples: z.number().int().describe('running-time samples of the version'),
    links: z
      .array(linkModelSchema)
      .describe(
        'running times learnt per link between consecutive stops, from the rides of their carrier',
      ),
  })
  .meta({ id: 'DwellModels' });

export const freezeBodySchema = z
  .strictObject({
    p50Hours: z.number().nonnegative().optional(),
    p90Hours: z.number().nonnegative().optional(),
  })
  .refine((b) => (b.p50Hours === undefined) === (b.p90Hours === undefined), {
    message: 'give both p50Hours and p90Hours, or neither (freeze at the values in force)',
    path: ['p90Hours'],
  });
