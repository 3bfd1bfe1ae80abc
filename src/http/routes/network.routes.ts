import { z } from 'zod';
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import {
  networkResponseSchema,
  timetableQuerySchema,
  timetableResponseSchema,
} from '../../api/network.ts';
import { problemSchema } from '../../api/common.ts';
import { networkView, timetableView } from '../../app/network-views.ts';
import { AppError } from '../../app/errors.ts';
import { isIsoDate } from '../../core/shared/time-zone.ts';
import type { App, HttpDeps } from '../context.ts';

export function networkRoutes(app: App, deps: HttpDeps): void {
  // The network changes only with a restart: serialise it once, with its ETag.
  const body = Buffer.from(JSON.stringify(networkView(deps.network)));
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  // Compressed once too: about 100 KiB of JSON, a tenth of that compressed.
  const encoded = {
    br: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
    gzip: gzipSync(body, { level: 9 }),
  };

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
}
