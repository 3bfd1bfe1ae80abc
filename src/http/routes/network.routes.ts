import { z } from 'zod';
import { errorCodes } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import {
  csvPublicationQuerySchema,
  networkResponseSchema,
  publicationResultSchema,
  publicationSchema,
  serviceIdParams,
  serviceVersionParams,
  serviceVersionSchema,
  serviceVersionsSchema,
  timetableQuerySchema,
  timetableResponseSchema,
} from '../../api/network.ts';
import { problemSchema } from '../../api/common.ts';
import { networkView, timetableView } from '../../app/network-views.ts';
import { AppError } from '../../app/errors.ts';
import { isIsoDate } from '../../core/shared/time-zone.ts';
import type { App, HttpDeps } from '../context.ts';
import type { Network } from '../../core/network/network.ts';
import { publishServices, serviceVersions } from '../../app/schedules.ts';
import { requireActor } from '../../app/actor.ts';
import { parseServicesCsv, SERVICE_CSV_COLUMNS } from '../../app/service-csv.ts';
import { problems, security } from '../route-docs.ts';

/** The network serialised once per version in force, with its ETag, and compressed. */
function serialised(network: Network) {
  const body = Buffer.from(JSON.stringify(networkView(network)));
  return {
    network,
    body,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    // About 100 KiB of JSON, a tenth of that compressed.
    encoded: {
      br: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
      gzip: gzipSync(body, { level: 9 }),
    },
  };
}

export function networkRoutes(app: App, deps: HttpDeps): void {
  let cached = serialised(deps.network);
  const current = () =>
    cached.network === deps.network ? cached : (cached = serialised(deps.network));

  app.get(
    '/v1/network',
    {
      schema: {
        tags: ['network'],
        summary: 'The reference corridor: nodes, links, services, dwell models, emission factors',
        description:
          'Public. Answers 304 to a request whose If-None-Match carries the current ETag.',
        response: {
          200: networkResponseSchema,
          304: z.null().meta({ description: 'not modified' }),
        },
      },
    },
    async (request, reply) => {
      const { body, etag, encoded } = current();
      reply
        .header('etag', etag)
        .header('cache-control', 'public, max-age=60')
        .header('vary', 'accept-encoding');
      if (request.headers['if-none-match'] === etag)
        return reply.code(304).send(undefined as never);
      const accept = request.headers['accept-encoding'] ?? '';
      const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : undefined;
      reply.type('application/json; charset=utf-8');
      if (encoding) reply.header('content-encoding', encoding);
      return reply.send((encoding ? encoded[encoding] : body) as never);
    },
  );

  app.get(
    '/v1/timetable',
    {
      schema: {
        tags: ['network'],
        summary: 'Departures with stop times (UTC) and capacity',
        querystring: timetableQuerySchema,
        response: { 200: timetableResponseSchema, 400: problemSchema },
      },
    },
    async (request) => {
      const { from, days, service } = request.query;
      if (from !== undefined && !isIsoDate(from))
        throw new AppError('invalid_data', `${from} is not a real date`, [
          { path: 'query.from', message: 'not a real date' },
        ]);
      const ids =
        service === undefined
          ? undefined
          : (Array.isArray(service) ? service : [service])
              .flatMap((s) => s.split(','))
              .filter(Boolean);
      return timetableView(deps.network, from ?? deps.today(), days, ids);
    },
  );

  app.get(
    '/v1/network/services/:serviceId/versions',
    {
      schema: {
        tags: ['network'],
        summary: "Every version of a service's timetable, oldest first, and which is in force",
        description: 'Public. Version 1 of a reference service is the bundled data.',
        params: serviceIdParams,
        response: { 200: serviceVersionsSchema, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => ({
      serviceId: request.params.serviceId,
      versions: await serviceVersions(deps.schedules, request.params.serviceId),
    }),
  );

  app.get(
    '/v1/network/services/:serviceId/versions/:version',
    {
      schema: {
        tags: ['network'],
        summary: 'One version of a service: what a booking made on it was booked on',
        description: 'Public. A booking ride gives its serviceVersion.',
        params: serviceVersionParams,
        response: { 200: serviceVersionSchema, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const { serviceId, version } = request.params;
      const found = (await serviceVersions(deps.schedules, serviceId)).find(
        (v) => v.version === version,
      );
      if (!found) throw new AppError('not_found', `${serviceId} has no version ${version}`);
      return found;
    },
  );
}

/** Carriers publishing their services: behind sign-in, with the accounts routes. */
export function servicePublishingRoutes(app: App, deps: HttpDeps): void {
  const writeLimit = { rateLimit: { max: deps.rateLimits.writePerMinute, timeWindow: 60_000 } };
  const published = (dryRun: boolean) => (dryRun ? 200 : 201);

  app.post(
    '/v1/network/services',
    {
      config: writeLimit,
      schema: {
        tags: ['network'],
        summary: 'Publish new versions of your services, or new services, effective from a day',
        description:
          "Carriers' admins and members, for the services their organisation operates and for new ones. Every record is checked against the network (stops, links, dwell models, factors) with each problem named; the planner and bookings of every server use the versions once their day has come, within seconds. Live bookings the change breaks get a notice and their owners a notification. 201, or 200 on a dry run.",
        security,
        body: publicationSchema,
        response: { 200: publicationResultSchema, 201: publicationResultSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { effectiveFrom, services, dryRun = false } = request.body;
      const result = await publishServices(
        deps.schedules,
        requireActor(request.actor),
        { effectiveFrom, services, dryRun },
        {
          effectiveFrom: 'body.effectiveFrom',
          service: (i, path) =>
            `body.services[${i}]${path ? (path.startsWith('[') ? path : `.${path}`) : ''}`,
        },
      );
      return reply.code(published(dryRun)).send(result);
    },
  );

  app.register(async (scope) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string' }, (_r, body, done) => {
      done(null, body);
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/v1/network/services/csv',
      {
        config: writeLimit,
        schema: {
          tags: ['network'],
          summary: 'Publish services as CSV (Content-Type: text/csv), one row per stop',
          description: `As POST /v1/network/services, from a CSV with the columns ${SERVICE_CSV_COLUMNS.join(', ')} (docs/api.md, "Publishing services"). Problems name their row and column.`,
          security,
          querystring: csvPublicationQuerySchema,
          response: { 200: publicationResultSchema, 201: publicationResultSchema, ...problems },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request.actor);
        if (typeof request.body !== 'string')
          throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(
            String(request.headers['content-type'] ?? ''),
          );
        const parsed = parseServicesCsv(request.body, 'body');
        if (!parsed.ok)
          throw new AppError('invalid_data', parsed.errors[0]!.message, parsed.errors);
        const dryRun = request.query.dryRun === 'true';
        const result = await publishServices(
          deps.schedules,
          actor,
          { effectiveFrom: request.query.effectiveFrom, services: parsed.csv.services, dryRun },
          {
            effectiveFrom: 'query.effectiveFrom',
            service: (i, path) => parsed.csv.locate(i, path),
          },
        );
        return reply.code(published(dryRun)).send(result);
      },
    );
  });
}
