import { z } from 'zod';
import { PLAN_INPUT_ERROR_CODES, planBodySchema, planResponseSchema } from '../../api/plan.ts';
import { problemSchema, timestamp } from '../../api/common.ts';
import { keepPlan } from '../../app/plans.ts';
import type { App, HttpDeps } from '../context.ts';
import { idempotencyHeader, idempotent } from '../idempotency.ts';
import { HttpProblem } from '../problem.ts';

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
          'Public. The answer is the planner JSON contract (docs/plan-api.md) with a `planId`: for a day, POST /v1/bookings books one of its itineraries by `planId` and `itineraryId` (null when there is no itinerary). A request the planner cannot read (unknown place, bad cargo or date) is a 422 problem whose `planErrors` carry the codes and suggestions; a readable request without a route is a 200 with `itineraries: []` and the reason in `errors`.',
        headers: idempotencyHeader,
        body: planBodySchema,
        response: {
          200: planResponseSchema.extend({
            planId: z.string().nullable().meta({ example: 'pln_3f9c0a1b2d4e5f60718a' }),
            planExpiresAt: timestamp.nullable(),
          }),
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
    async (request, reply) =>
      idempotent(deps, request, reply, 200, async () => {
        const response = deps.planner.plan(request.body);
        const bad = response.errors.filter((e) => PLAN_INPUT_ERROR_CODES.has(e.code));
        if (bad.length > 0)
          throw new HttpProblem(
            422,
            bad.map((e) => e.message).join('; '),
            bad.map((e) => ({ path: `body.${e.field ?? ''}`, message: e.message })),
            { planErrors: bad },
          );
        const kept = await keepPlan(deps.bookings, response);
        return {
          ...response,
          planId: kept?.planId ?? null,
          planExpiresAt: kept?.expiresAt.toISOString() ?? null,
        };
      }),
  );
}
