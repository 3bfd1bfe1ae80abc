import { z } from 'zod';
import { requireActor } from '../../app/actor.ts';
import { corridorKpis } from '../../app/analytics.ts';
import type { App, HttpDeps } from '../context.ts';
import { problems, security } from '../route-docs.ts';

const date = z.iso.date({ message: 'a date YYYY-MM-DD' });

const kpisSchema = z
  .object({
    scope: z.enum(['corridor', 'organisation']),
    from: z.string(),
    to: z.string(),
    shipmentsRead: z.number().int(),
    volumes: z.array(z.object({ week: z.string(), segment: z.string(), teu: z.number() })),
    transit: z.array(
      z.object({
        from: z.string(),
        to: z.string(),
        shipments: z.number().int(),
        p50Days: z.number(),
        p90Days: z.number(),
      }),
    ),
    dwell: z.array(
      z.object({
        location: z.string(),
        visits: z.number().int(),
        p50Hours: z.number(),
        p90Hours: z.number(),
      }),
    ),
    onTime: z.object({
      shipments: z.number().int(),
      onTime: z.number().int(),
      share: z.number().nullable(),
    }),
  })
  .meta({ id: 'CorridorKpis' });

export function analyticsRoutes(app: App, deps: HttpDeps): void {
  app.get(
    '/v1/analytics/kpis',
    {
      schema: {
        tags: ['council'],
        summary:
          'Corridor KPIs from the platform’s own events: TEU per week and segment, door-to-door transit P50/P90, dwell per place (time to cross at borders), on-time share',
        description:
          'The council and platform admins see the whole corridor as aggregates; any other organisation the same figures over its own shipments. Customs release times: GET /v1/customs/release-times.',
        security,
        querystring: z.strictObject({ from: date, to: date }),
        response: { 200: kpisSchema, ...problems },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const k = await corridorKpis(deps.tracking, requireActor(request.actor), {
        from: new Date(`${from}T00:00:00Z`),
        to: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000),
      });
      return { ...k, from, to };
    },
  );
}
