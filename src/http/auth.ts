import type { FastifyRequest } from 'fastify';
import { apiKeyActor, sessionActor } from '../app/authenticate.ts';
import type { Actor } from '../app/actor.ts';
import { AppError } from '../app/errors.ts';
import { SESSION_COOKIE, type App, type HttpDeps } from './context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves who is calling before each handler: an API key in `Authorization: Bearer`, or the
 * session cookie. A state-changing request made with the cookie must carry the session's CSRF
 * token in `X-CSRF-Token` (API keys are not sent by browsers on their own, so they need none).
 */
export function registerAuth(app: App, deps: HttpDeps): void {
  app.decorateRequest('actor', undefined);
  app.addHook('preHandler', async (request) => {
    const header = request.headers.authorization;
    if (header === undefined && request.headers.cookie === undefined) return;
    if (header !== undefined) {
      const m = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header);
      const actor = m ? await apiKeyActor(deps.accounts, m[1]!) : undefined;
      if (!actor)
        throw new AppError(
          'unauthorized',
          'the API key is not valid (revoked, mistyped, or not a Bearer token)',
        );
      request.actor = actor;
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token || token.length > 200) return;
    const session = await sessionActor(deps.accounts, token);
    if (!session) return;
    if (
      !SAFE_METHODS.has(request.method) &&
      !isLogin(request) &&
      request.headers['x-csrf-token'] !== session.csrfToken
    )
      throw new AppError(
        'forbidden',
        'missing or wrong X-CSRF-Token header for a request made with the session cookie',
      );
    request.actor = session.actor;
  });
}

function isLogin(request: FastifyRequest): boolean {
  return request.routeOptions.url === '/v1/auth/login';
}

/** Rate-limit key: the API key when there is one, else the client address. */
export function rateLimitKey(request: FastifyRequest): string {
  const m = /^Bearer (.{1,200})$/.exec(request.headers.authorization ?? '');
  return m ? `key:${m[1]!.slice(0, 24)}` : `ip:${request.ip}`;
}
