import { z } from 'zod';
import { timestamp } from './common.ts';

/** The simulation contract: a scenario (whole, or a base and changes), days, seed and runs. */
export const simulationBodySchema = z
  .strictObject({
    scenario: z.unknown().meta({
      description:
        'a whole scenario, or { name, base: "base.json", changes: [...] } on a scenario shipped with the platform (GET /v1/simulations/scenarios)',
    }),
    days: z.number().int().min(1).max(3650).default(365),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
    runs: z.number().int().min(1).max(50).default(10),
  })
  .meta({ id: 'SimulationRequest' });

export const simulationSchema = z
  .object({
    id: z.string(),
    scenario: z.string(),
    days: z.number().int(),
    seed: z.number().int(),
    runs: z.number().int(),
    state: z.enum(['running', 'done', 'failed']),
    progress: z.number(),
    result: z.unknown().nullable().meta({
      description:
        'summary: per figure { mean, ci95 } over the runs; series: containers at each resource at each day of the first run; dwellModelVersion: the version of the dwell models learnt on the platform that the terminals naming their places ran at (null: the scenario\'s own process times, nothing learnt or `dwell: "reference"`), dwellModels: those terminals and the P50/P90 hours they ran at',
    }),
    error: z.string().nullable(),
    createdAt: timestamp,
    finishedAt: timestamp.nullable(),
  })
  .meta({ id: 'Simulation' });

export const simulationParams = z.strictObject({
  simulationId: z.string().regex(/^sim_[A-Za-z0-9]{1,40}$/, 'not a simulation id'),
});
