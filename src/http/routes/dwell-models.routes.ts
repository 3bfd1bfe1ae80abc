import { z } from 'zod';
import {
  dwellModelsSchema,
  freezeBodySchema,
  frozenDwellModelSchema,
} from '../../api/dwell-models.ts';
import { requireActor } from '../../app/actor.ts';
import {
  freezeDwellModel,
  mayGovern,
  readDwellModels,
  refitDwellModels,
  unfreezeDwellModel,
} from '../../app/dwell-models.ts';
import { AppError } from '../../app/errors.ts';
import { OPERATIONS } from '../../core/network/schema.ts';
import type { App, HttpDeps } from '../context.ts';
import { problems, security } from '../route-docs.ts';

const params = z.strictObject({
  nodeId: z.string().min(1).max(64).describe('a node id, e.g. KZ_AKTAU_PORT'),
  operation: z.enum(OPERATIONS),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const isoPeriod = (p: { from: Date; to: Date } | null) =>
  p ? { from: p.from.toISOString(), to: p.to.toISOString() } : null;

export function dwellModelRoutes(app: App, deps: HttpDeps): void {
  app.get(
    '/v1/models/dwell',
    {
      schema: {
        tags: ['council'],
        summary:
          'The dwell models in force: the reference updated by the stands entitled publishers reported, per place, operation and month',
        description:
          'Each model with its reference, what was observed, the blend the planner, the ETA and the simulation use, the sample size, period, goodness of fit and drift; beside them, the running times learnt per link between consecutive stops (`links`: the timetable times the factor the planner and the ETA use). The council and platform admins also see who contributed what. The estimator: src/core/learning/README.md.',
        security,
        querystring: z.strictObject({
          node: z.string().min(1).max(64).optional(),
          operation: z.enum(OPERATIONS).optional(),
          month: z.coerce.number().int().min(0).max(12).optional(),
        }),
        response: { 200: dwellModelsSchema, ...problems },
      },
    },
    async (request) => {
      if (request.query.node && !deps.network.nodes.has(request.query.node))
        throw new AppError('invalid_data', `no node ${request.query.node} on the corridor`, [
          { path: 'query.node', message: 'not a node of the corridor network' },
        ]);
      const v = await readDwellModels(deps.dwellModels, requireActor(request.actor), request.query);
      return {
        ...v,
        fittedAt: iso(v.fittedAt),
        period: isoPeriod(v.period),
        models: v.models.map((m) => ({
          ...m,
          frozen: m.frozen ? { ...m.frozen, frozenAt: m.frozen.frozenAt.toISOString() } : null,
        })),
      };
    },
  );

  app.post(
    '/v1/models/dwell/refit',
    {
      schema: {
        tags: ['council'],
        summary: 'Fit the dwell models again from the actual events now (the job does it hourly)',
        security,
        response: {
          200: z.object({ version: z.number().int().nullable(), refitted: z.boolean() }),
          ...problems,
        },
      },
    },
    async (request) => {
      if (!mayGovern(requireActor(request.actor)))
        throw new AppError(
          'forbidden',
          'only the coordinating council and platform admins refit the dwell models',
        );
      const saved = await refitDwellModels(deps.dwellModels);
      const latest = saved ?? (await deps.dwellModels.models.latest());
      await deps.schedules.live.refresh();
      return { version: latest?.version ?? null, refitted: saved !== undefined };
    },
  );

  app.put(
    '/v1/models/dwell/:nodeId/:operation/freeze',
    {
      schema: {
        tags: ['council'],
        summary:
          'Freeze a place’s dwell model at the values in force (or those given): refits no longer change it',
        security,
        params,
        body: freezeBodySchema.nullish(),
        response: { 200: frozenDwellModelSchema, ...problems },
      },
    },
    async (request) => {
      const { nodeId, operation } = request.params;
      const body = request.body;
      const f = await freezeDwellModel(
        deps.dwellModels,
        requireActor(request.actor),
        nodeId,
        operation,
        body?.p50Hours !== undefined && body.p90Hours !== undefined
          ? { p50Hours: body.p50Hours, p90Hours: body.p90Hours }
          : undefined,
      );
      await deps.schedules.live.refresh();
      return { ...f, frozenAt: f.frozenAt.toISOString() };
    },
  );

  app.delete(
    '/v1/models/dwell/:nodeId/:operation/freeze',
    {
      schema: {
        tags: ['council'],
        summary: 'Unfreeze a place’s dwell model: the next fit decides it again',
        security,
        params,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      const { nodeId, operation } = request.params;
      await unfreezeDwellModel(deps.dwellModels, requireActor(request.actor), nodeId, operation);
      await deps.schedules.live.refresh();
      return reply.code(204).send(null);
    },
  );
}
