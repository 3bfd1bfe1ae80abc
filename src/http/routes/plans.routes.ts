import { z } from 'zod';
import { PLAN_INPUT_ERROR_CODES, planBodySchema, planResponseSchema } from '../../api/plan.ts';
import { problemSchema } from '../../api/common.ts';
import type { App, HttpDeps } from '../context.ts';
import { sendProblem } from '../problem.ts';

export function planRoutes(app: App, deps: HttpDeps): void {
  app.post(
    '/v1/plans',
    {
      config: { rateLimit: { max: deps.rateLimits.writePerMinute * 5, timeWindow: 60_000 } },
      schema: {
        tags: ['planning'],
        summary:
          'Plan door-to-door itineraries: P50/P90 arrival, cost, CO2e, borders, regimes, documents',
        description:
          'Public. The answer is the planner JSON contract (docs/plan-api.md). A request the planner cannot read (unknown place, bad cargo or date) is a 422 problem whose `planErrors` carry the codes and suggestions; a readable request without a route is a 200 with `itineraries: []` and the reason in `errors`.',
        body: planBodySchema,
        response: {
          200: planResponseSchema,
          400: problemSchema,
          422: problemSchema.extend({
            planErrors: z.array(
              z.object({
                code: z.string(),
                field: z.string().nullable(),
                message: z.string(),
                suggestions: z.array(z.string()),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const response = deps.planner.plan(request.body);
      const bad = response.errors.filter((e) => PLAN_INPUT_ERROR_CODES.has(e.code));
      if (bad.length > 0)
        return sendProblem(
          reply,
          request,
          422,
          bad.map((e) => e.message).join('; '),
          bad.map((e) => ({ path: `body.${e.field ?? ''}`, message: e.message })),
          { planErrors: bad },
        );
      return response;
    },
  );
}
