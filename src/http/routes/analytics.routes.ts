import { z } from 'zod';
import { releaseTimesSchema } from '../../api/customs.ts';
import { AppError } from '../../app/errors.ts';
import { CORRIDORS } from '../../core/network/schema.ts';
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
        location: z.string().describe('UN/LOCODE of the place'),
        nodeId: z.string(),
        operation: z
          .string()
          .describe(
            'operations done there joined by +, e.g. border_crossing+gauge_change; or origin, destination, transfer, stop',
          ),
        visits: z.number().int(),
        p50Hours: z.number(),
        p90Hours: z.number(),
      }),
    ),
    borders: z
      .array(
        z.object({
          border: z.string().describe('countries in the direction of travel, e.g. CN→KZ'),
          nodeId: z.string(),
          location: z.string(),
          crossings: z.number().int(),
          p50Hours: z.number(),
          p90Hours: z.number(),
        }),
      )
      .describe('CAREC time to cross: arrival to departure at the border place'),
    carecReference: z
      .object({
        year: z.number().int(),
        railTimeToCrossHours: z.number(),
        costToCrossUsd: z.number(),
        source: z.string(),
      })
      .describe('the CAREC region-wide averages the border times compare with'),
    onTime: z.object({
      shipments: z.number().int(),
      onTime: z.number().int(),
      share: z.number().nullable(),
    }),
    emissions: z
      .object({
        shipments: z.number().int(),
        teuKm: z.number(),
        co2eKg: z.number(),
        gCo2ePerTeuKm: z.number().nullable(),
      })
      .describe('well-to-wheel CO2e of the booked shipments departing in the period'),
    customs: releaseTimesSchema
      .nullable()
      .describe(
        'WCO release times and lane shares; null unless the caller is the council or customs',
      ),
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
        querystring: z.strictObject({
          from: date,
          to: date,
          corridor: z.enum(CORRIDORS).optional(),
          node: z.string().min(1).max(64).optional().describe('a node id, e.g. KZ_AKTAU_PORT'),
          operator: z
            .string()
            .min(2)
            .max(100)
            .optional()
            .describe('part of a service operator’s name, any case, e.g. ASCO'),
        }),
        response: { 200: kpisSchema, ...problems },
      },
    },
    async (request) => {
      const { from, to, corridor, node, operator } = request.query;
      if (node && !deps.network.nodes.has(node))
        throw new AppError('invalid_data', `no node ${node} on the corridor`, [
          { path: 'query.node', message: 'not a node of the corridor network' },
        ]);
      const k = await corridorKpis(
        { ...deps.tracking, customs: deps.customs },
        requireActor(request.actor),
        {
          from: new Date(`${from}T00:00:00Z`),
          to: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000),
        },
        { corridor, node, operator },
      );
      return { ...k, from, to };
    },
  );
}
