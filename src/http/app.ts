import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { RateCounter } from '../app/ports.ts';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { rateLimitKey, registerAuth } from './auth.ts';
import type { App, HttpDeps } from './context.ts';
import { guardInput } from './input-guard.ts';
import { registerMetrics } from './metrics.ts';
import { dcsaVersionOf } from './dcsa.ts';
import { handleError, sendProblem } from './problem.ts';
import { accountRoutes } from './routes/accounts.routes.ts';
import { dwellModelRoutes } from './routes/dwell-models.routes.ts';
import { bookingRoutes } from './routes/bookings.routes.ts';
import { dcsaBookingRoutes } from './routes/dcsa-bookings.routes.ts';
import { networkRoutes, servicePublishingRoutes } from './routes/network.routes.ts';
import { planRoutes } from './routes/plans.routes.ts';
import { capacityRoutes } from './routes/capacity.routes.ts';
import { systemRoutes } from './routes/system.routes.ts';
import { customsRoutes } from './routes/customs.routes.ts';
import { customsSystemsRoutes } from './routes/customs-systems.routes.ts';
import { trackingRoutes } from './routes/tracking.routes.ts';
import { subscriptionRoutes } from './routes/subscriptions.routes.ts';
import { certificateRoutes } from './routes/certificates.routes.ts';
import { documentPublicRoutes, documentRoutes } from './routes/documents.routes.ts';
import { directoryRoutes } from './routes/directory.routes.ts';
import { simulationRoutes } from './routes/simulations.routes.ts';
import { analyticsRoutes } from './routes/analytics.routes.ts';

/**
 * The HTTP API: one Fastify app whose routes take their contract from the zod schemas in src/api
 * (validation, OpenAPI 3.1 at /openapi.json, Swagger UI at /docs). Responses are written with
 * JSON.stringify; their shape is held by the types and checked against the schemas in tests.
 */
/**
 * Headers of the web app's files: a content security policy that allows only the platform's own
 * scripts, styles, images and API (inline style attributes for drawn sizes), no framing.
 */
const WEB_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

const API_PREFIXES = ['/v1/', '/v3/', '/docs', '/openapi.json', '/metrics', '/healthz', '/readyz'];

function isWebPage(url: string, accept: string | undefined): boolean {
  const path = url.split('?')[0]!;
  return (
    !API_PREFIXES.some((p) => path.startsWith(p)) &&
    !path.startsWith('/assets/') &&
    (accept ?? '').includes('text/html')
  );
}

export async function buildApp(deps: HttpDeps): Promise<App> {
  const app = Fastify({
    logger: { level: deps.logLevel },
    genReqId: () => randomUUID(),
    bodyLimit: deps.bodyLimitBytes,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    ...(deps.trustProxy ? { trustProxy: deps.trustProxy } : {}),
    // Errors the router raises before a route is found (bad URL encoding, over-long ids).
    frameworkErrors: (error, request, reply) => {
      void handleError(error, request, reply);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(handleError);
  const web = deps.webRoot && existsSync(join(deps.webRoot, 'index.html')) ? deps.webRoot : null;
  app.setNotFoundHandler((request, reply) => {
    // The web app's own pages (/planner, /bookings/…) are index.html; the API stays 404.
    if (web && request.method === 'GET' && isWebPage(request.url, request.headers.accept))
      return reply
        .headers(WEB_HEADERS)
        .header('cache-control', 'no-cache')
        .sendFile('index.html', web);
    return sendProblem(
      reply,
      request,
      404,
      `no route ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}`,
    );
  });
  // JSON bodies only: anything else is a 415. Every string of a request is checked once, for
  // every route, before its schema (guardInput).
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
  app.addHook('preValidation', guardInput);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // The DCSA APIs say which version of their contract every answer is.
    const dcsa = dcsaVersionOf(request.url);
    if (dcsa) reply.header('api-version', dcsa);
    // Every answer: not sniffed, not framed, no referrer to other sites; behind TLS, HSTS.
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    if (deps.secureCookies)
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    done();
  });

  await app.register(rateLimit, {
    global: false,
    keyGenerator: rateLimitKey,
    // Counted in the database, so that every server process shares the limits; while the
    // database is away the request goes on (and meets the database's 503 itself).
    ...(deps.rateCounter ? { store: sharedStore(deps.rateCounter), skipOnError: true } : {}),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Corridor API',
        version: '0.1.0',
        description:
          'Freight on the Trans-Caspian International Transport Route: network, timetable, planning, organisations.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'corridor_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Its own scripts and styles only (hashes of the inline ones), over HTTP too: the page is
    // served by deployments without TLS, where upgrading its requests would break it.
    staticCSP: true,
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
  });
  if (web)
    await app.register(fastifyStatic, {
      root: web,
      prefix: '/',
      index: 'index.html',
      // setHeaders says how long each file keeps (the plugin would send max-age=0 over it).
      cacheControl: false,
      setHeaders: (res, path) => {
        for (const [k, v] of Object.entries(WEB_HEADERS)) res.setHeader(k, v);
        res.setHeader(
          'cache-control',
          path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });

  const metrics = registerMetrics(app, deps.database, deps.jobs, deps.metricsRegistry);
  // Public routes need no cookies and no caller: they skip that work entirely.
  systemRoutes(app, deps, metrics);
  networkRoutes(app, deps);
  planRoutes(app, deps);
  capacityRoutes(app, deps);
  documentPublicRoutes(app, deps);
  await app.register(async (scope) => {
    const accounts = scope.withTypeProvider<ZodTypeProvider>();
    // An organisation's answers are kept by no cache, shared or the browser's (a route may say
    // more, e.g. a document's `private, no-store`).
    accounts.addHook('onSend', (_request, reply, payload, done) => {
      if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
      done(null, payload);
    });
    await accounts.register(cookie);
    registerAuth(accounts, deps);
    accountRoutes(accounts, deps);
    bookingRoutes(accounts, deps);
    dcsaBookingRoutes(accounts, deps);
    trackingRoutes(accounts, deps);
    subscriptionRoutes(accounts, deps);
    customsRoutes(accounts, deps);
    customsSystemsRoutes(accounts, deps);
    documentRoutes(accounts, deps);
    certificateRoutes(accounts, deps);
    directoryRoutes(accounts, deps);
    simulationRoutes(accounts, deps);
    analyticsRoutes(accounts, deps);
    dwellModelRoutes(accounts, deps);
    servicePublishingRoutes(accounts, deps);
  });
  app.get(
    '/openapi.json',
    { schema: { tags: ['system'], summary: 'This OpenAPI 3.1 document' } },
    async () => app.swagger(),
  );
  await app.ready();
  return app;
}

/** A @fastify/rate-limit store over a RateCounter, one key space per route. */
function sharedStore(counter: RateCounter) {
  return class SharedRateStore {
    readonly prefix: string;
    /** Built by the plugin with its options (unused), or by child() with a route's prefix. */
    constructor(options?: unknown) {
      this.prefix = typeof options === 'string' ? options : '';
    }
    incr(
      key: string,
      cb: (err: Error | null, res?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      counter.hit(`${this.prefix}${key}`, timeWindow).then(
        (r) => cb(null, { current: r.count, ttl: r.resetInMs }),
        (e: unknown) => cb(e instanceof Error ? e : new Error(String(e))),
      );
    }
    child(route: {
      routeInfo?: { method?: unknown; url?: unknown };
      method?: unknown;
      url?: unknown;
    }) {
      const info = route.routeInfo ?? route;
      return new SharedRateStore(`${String(info.method)} ${String(info.url)} `);
    }
  };
}
