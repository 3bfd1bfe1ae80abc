import { pageAnswerFields, pageQuerySchema } from '../../api/common.ts';
import { pageRequest } from '../../app/paging.ts';
import { z } from 'zod';
import { simulationBodySchema, simulationParams, simulationSchema } from '../../api/simulations.ts';
import { requireActor } from '../../app/actor.ts';
import type { SimulationRecord } from '../../app/simulations.ts';
import { getSimulation, listSimulations, startSimulation } from '../../app/simulations.ts';
import type { App, HttpDeps } from '../context.ts';
import { idempotencyHeader, idempotent } from '../idempotency.ts';
import { problems, security } from '../route-docs.ts';

const json = (r: SimulationRecord): z.input<typeof simulationSchema> => ({
  id: r.id,
  scenario: r.scenario.name,
  days: r.days,
  seed: r.seed,
  runs: r.runs,
  state: r.state,
  progress: Math.round(r.progress * 1000) / 1000,
  result: r.result ?? null,
  error: r.error,
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

export function simulationRoutes(app: App, deps: HttpDeps): void {
  const tags = ['council'];
  const d = deps.simulations;
  const writeLimit = { rateLimit: { max: 30, timeWindow: 60_000 } };

  app.get(
    '/v1/simulations/scenarios',
    {
      schema: {
        tags,
        summary: 'The scenarios shipped with the platform, to run or to change',
        security,
        response: { 200: z.object({ scenarios: z.array(z.unknown()) }), ...problems },
      },
    },
    async (request) => {
      requireActor(request.actor);
      return {
        scenarios: [...d.bases].map(([file, scenario]) => ({ file, ...scenario })),
      };
    },
  );

  app.post(
    '/v1/simulations',
    {
      config: writeLimit,
      schema: {
        tags,
        summary:
          'Run a scenario in the background (the council and the platform): 202 with where to follow its progress',
        security,
        headers: idempotencyHeader,
        body: simulationBodySchema,
        response: { 202: simulationSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(
        deps,
        request,
        reply,
        202,
        async () => json(await startSimulation(d, requireActor(request.actor), request.body)),
        (res, r) => (void res.header('location', `/v1/simulations/${r.id}`), r),
      ),
  );

  app.get(
    '/v1/simulations',
    {
      schema: {
        tags,
        summary: "Your organisation's simulations, newest first, a page at a time",
        security,
        querystring: pageQuerySchema,
        response: {
          200: z.object({ simulations: z.array(simulationSchema), ...pageAnswerFields }),
          ...problems,
        },
      },
    },
    async (request) => {
      const page = await listSimulations(
        d,
        requireActor(request.actor),
        pageRequest(request.query.limit, request.query.cursor),
      );
      return {
        simulations: page.items.map(json),
        nextCursor: page.nextCursor,
        total: page.total ?? 0,
      };
    },
  );

  app.get(
    '/v1/simulations/:simulationId',
    {
      schema: {
        tags,
        summary: "A simulation's progress, and its summary when done",
        security,
        params: simulationParams,
        response: { 200: simulationSchema, ...problems },
      },
    },
    async (request) =>
      json(await getSimulation(d, requireActor(request.actor), request.params.simulationId)),
  );
}
