import { z } from 'zod';
import type { Registry } from 'prom-client';
import { problemSchema } from '../../api/common.ts';
import type { App, HttpDeps } from '../context.ts';
import { sendProblem } from '../problem.ts';

export function systemRoutes(app: App, deps: HttpDeps, metrics: Registry): void {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness: the process answers',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['system'],
        summary: 'Readiness: the database answers and every migration is applied',
        response: { 200: z.object({ status: z.literal('ready') }), 503: problemSchema },
      },
    },
    async (request, reply) => {
      if (await deps.database.ready()) return { status: 'ready' as const };
      return sendProblem(
        reply,
        request,
        503,
        'the database is not reachable or its migrations are not applied',
      );
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['system'],
        summary: 'Prometheus metrics: requests and latency per route, database pool, process',
        produces: ['text/plain'],
        response: { 200: z.string() },
      },
    },
    async (_request, reply) => {
      reply.type(metrics.contentType);
      return metrics.metrics();
    },
  );
}
