import { z } from 'zod';
import {
  apiKeySchema,
  createdApiKeySchema,
  createdUserSchema,
  keyParams,
  loginBodySchema,
  newApiKeySchema,
  newOrganisationSchema,
  newUserSchema,
  organisationChangeSchema,
  orgParams,
  organisationSchema,
  resetPasswordSchema,
  sessionSchema,
  userChangeSchema,
  userParams,
  userSchema,
  userSessionParams,
  userSessionSchema,
} from '../../api/accounts.ts';
import { problems, security } from '../route-docs.ts';
import { requireActor } from '../../app/actor.ts';
import { login, logout, sessionActor } from '../../app/authenticate.ts';
import { AppError } from '../../app/errors.ts';
import {
  createApiKey,
  createOrganisation,
  createUser,
  getOrganisation,
  listApiKeys,
  listOrganisations,
  listUsers,
  listAdminAudit,
  listUserSessions,
  endUserSessions,
  removeUser,
  resetUserPassword,
  revokeApiKey,
  setAutoConfirm,
  setUserDisabled,
} from '../../app/manage-accounts.ts';
import type { ApiKey, Organisation, User } from '../../app/account-ports.ts';
import { HttpProblem } from '../problem.ts';
import { SESSION_COOKIE, type App, type HttpDeps } from '../context.ts';
import { idempotencyHeader, idempotent } from '../idempotency.ts';

export function accountRoutes(app: App, deps: HttpDeps): void {
  const writeLimit = { rateLimit: { max: deps.rateLimits.writePerMinute, timeWindow: 60_000 } };

  app.post(
    '/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in: sets the httpOnly session cookie and returns the CSRF token',
        description:
          'An e-mail address is unique within an organisation only: when the address and password are those of users of several organisations, the answer is 400 naming `body.organisation`, with the organisations in `organisations` (`id`, `name`), and the sign-in is sent again with `organisation`. Only failed sign-ins are counted: too many from one client address, or more than a few for one e-mail address (then each doubles the wait), and sign-ins wait: 429 with Retry-After, the password not tried.',
        headers: idempotencyHeader,
        body: loginBodySchema,
        response: { 200: sessionSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(
        deps,
        request,
        reply,
        200,
        async () => {
          const result = await login(deps.accounts, deps.signIn, {
            email: request.body.email,
            password: request.body.password,
            organisation: request.body.organisation,
            source: request.ip,
          });
          if (!('token' in result)) throw organisationNeeded(result.organisations);
          return {
            token: result.token,
            session: {
              user: userJson(result.user),
              organisation: orgJson(result.organisation),
              csrfToken: result.csrfToken,
              expiresAt: result.expiresAt.toISOString(),
            },
          };
        },
        (r, { token, session }) => {
          r.setCookie(SESSION_COOKIE, token, {
            httpOnly: true,
            sameSite: 'strict',
            secure: deps.secureCookies,
            path: '/',
            // A lifetime, not an instant: a browser whose clock differs from the server's keeps
            // the session for as long as the server does.
            maxAge: Math.max(
              0,
              Math.floor(
                (Date.parse(session.expiresAt) - deps.accounts.clock.now().getTime()) / 1000,
              ),
            ),
          });
          return session;
        },
      ),
  );

  app.post(
    '/v1/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out: ends the session',
        security,
        headers: idempotencyHeader,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) =>
      idempotent(
        deps,
        request,
        reply,
        204,
        async () => {
          const token = request.cookies[SESSION_COOKIE];
          if (token && request.actor?.via === 'session') await logout(deps.accounts, token);
          return null;
        },
        (r) => {
          r.clearCookie(SESSION_COOKIE, { path: '/' });
          return null;
        },
      ),
  );

  app.get(
    '/v1/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, organisation and CSRF token',
        security,
        response: { 200: sessionSchema, ...problems },
      },
    },
    async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      const session =
        token && request.actor?.via === 'session'
          ? await sessionActor(deps.accounts, token)
          : undefined;
      if (!session) throw new AppError('unauthorized', 'not signed in');
      return {
        user: userJson(session.user),
        organisation: orgJson(session.organisation),
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt.toISOString(),
      };
    },
  );

  app.get(
    '/v1/organisations',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Organisations the caller may see: its own, or all for platform admins',
        security,
        response: { 200: z.object({ organisations: z.array(organisationSchema) }), ...problems },
      },
    },
    async (request) => ({
      organisations: (await listOrganisations(deps.accounts, requireActor(request.actor))).map(
        orgJson,
      ),
    }),
  );

  app.post(
    '/v1/organisations',
    {
      config: writeLimit,
      schema: {
        tags: ['organisations'],
        summary: 'Register an organisation (platform admins)',
        security,
        headers: idempotencyHeader,
        body: newOrganisationSchema,
        response: { 201: organisationSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 201, async () =>
        orgJson(await createOrganisation(deps.accounts, requireActor(request.actor), request.body)),
      ),
  );

  app.get(
    '/v1/organisations/:orgId',
    {
      schema: {
        tags: ['organisations'],
        summary: 'One organisation',
        security,
        params: orgParams,
        response: { 200: organisationSchema, ...problems },
      },
    },
    async (request) =>
      orgJson(
        await getOrganisation(deps.accounts, requireActor(request.actor), request.params.orgId),
      ),
  );

  app.patch(
    '/v1/organisations/:orgId',
    {
      config: writeLimit,
      schema: {
        tags: ['organisations'],
        summary: "A carrier's admin sets whether rides on its services are confirmed at once",
        security,
        params: orgParams,
        body: organisationChangeSchema,
        response: { 200: organisationSchema, ...problems },
      },
    },
    async (request) =>
      orgJson(
        await setAutoConfirm(
          deps.accounts,
          requireActor(request.actor),
          request.params.orgId,
          request.body.autoConfirm,
        ),
      ),
  );

  app.get(
    '/v1/organisations/:orgId/users',
    {
      schema: {
        tags: ['organisations'],
        summary: "An organisation's users",
        security,
        params: orgParams,
        response: { 200: z.object({ users: z.array(userSchema) }), ...problems },
      },
    },
    async (request) => ({
      users: (
        await listUsers(deps.accounts, requireActor(request.actor), request.params.orgId)
      ).map(userJson),
    }),
  );

  app.post(
    '/v1/organisations/:orgId/users',
    {
      config: writeLimit,
      schema: {
        tags: ['organisations'],
        summary: 'Add a user (organisation admins); a generated password is returned once',
        security,
        headers: idempotencyHeader,
        params: orgParams,
        body: newUserSchema,
        response: { 201: createdUserSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 201, async () => {
        const { user, password } = await createUser(
          deps.accounts,
          requireActor(request.actor),
          request.params.orgId,
          request.body,
        );
        return { user: userJson(user), password: password ?? null };
      }),
  );

  app.patch(
    '/v1/organisations/:orgId/users/:userId',
    {
      config: writeLimit,
      schema: {
        tags: ['organisations'],
        summary:
          'Disable or enable a user (organisation admins): disabling ends its sessions and stops the API keys it created',
        description:
          'Refused (409) for the caller itself and for the last active admin of the organisation.',
        security,
        params: userParams,
        body: userChangeSchema,
        response: { 200: userSchema, ...problems },
      },
    },
    async (request) =>
      userJson(
        await setUserDisabled(
          deps.accounts,
          requireActor(request.actor),
          request.params.orgId,
          request.params.userId,
          request.body.disabled,
        ),
      ),
  );

  app.delete(
    '/v1/organisations/:orgId/users/:userId',
    {
      config: writeLimit,
      schema: {
        tags: ['organisations'],
        summary:
          'Remove a user (organisation admins): its sessions end and the API keys it created are revoked',
        description:
          'Refused (409) for the caller itself and for the last active admin of the organisation.',
        security,
        params: userParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await removeUser(
        deps.accounts,
        requireActor(request.actor),
        request.params.orgId,
        request.params.userId,
      );
      return reply.code(204).send(undefined as never);
    },
  );

  app.post(
    '/v1/organisations/:orgId/users/:userId/password',
    {
      config: writeLimit,
      schema: {
        tags: ['organisations'],
        summary:
          "Reset a user's password (organisation admins): a generated one is returned once and its sessions end",
        security,
        headers: idempotencyHeader,
        params: userParams,
        response: { 200: resetPasswordSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 200, async () => {
        const { user, password } = await resetUserPassword(
          deps.accounts,
          requireActor(request.actor),
          request.params.orgId,
          request.params.userId,
        );
        return { user: userJson(user), password };
      }),
  );

  app.get(
    '/v1/organisations/:orgId/users/:userId/sessions',
    {
      schema: {
        tags: ['organisations'],
        summary: "A user's live sessions (organisation admins)",
        security,
        params: userParams,
        response: { 200: z.object({ sessions: z.array(userSessionSchema) }), ...problems },
      },
    },
    async (request) => ({
      sessions: (
        await listUserSessions(
          deps.accounts,
          requireActor(request.actor),
          request.params.orgId,
          request.params.userId,
        )
      ).map((s) => ({
        id: s.id,
        createdAt: s.createdAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
      })),
    }),
  );

  app.delete(
    '/v1/organisations/:orgId/users/:userId/sessions',
    {
      config: writeLimit,
      schema: {
        tags: ['organisations'],
        summary: "End all of a user's sessions (organisation admins)",
        security,
        params: userParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await endUserSessions(
        deps.accounts,
        requireActor(request.actor),
        request.params.orgId,
        request.params.userId,
      );
      return reply.code(204).send(undefined as never);
    },
  );

  app.delete(
    '/v1/organisations/:orgId/users/:userId/sessions/:sessionId',
    {
      config: writeLimit,
      schema: {
        tags: ['organisations'],
        summary: "End one of a user's sessions (organisation admins)",
        security,
        params: userSessionParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await endUserSessions(
        deps.accounts,
        requireActor(request.actor),
        request.params.orgId,
        request.params.userId,
        request.params.sessionId,
      );
      return reply.code(204).send(undefined as never);
    },
  );

  app.get(
    '/v1/organisations/:orgId/api-keys',
    {
      schema: {
        tags: ['organisations'],
        summary: "An organisation's API keys, without the keys themselves (organisation admins)",
        security,
        params: orgParams,
        response: { 200: z.object({ apiKeys: z.array(apiKeySchema) }), ...problems },
      },
    },
    async (request) => ({
      apiKeys: (
        await listApiKeys(deps.accounts, requireActor(request.actor), request.params.orgId)
      ).map(keyJson),
    }),
  );

  app.post(
    '/v1/organisations/:orgId/api-keys',
    {
      config: writeLimit,
      schema: {
        tags: ['organisations'],
        summary: 'Issue an API key (organisation admins); the key is shown once',
        security,
        headers: idempotencyHeader,
        params: orgParams,
        body: newApiKeySchema,
        response: { 201: createdApiKeySchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 201, async () => {
        const { apiKey, key } = await createApiKey(
          deps.accounts,
          requireActor(request.actor),
          request.params.orgId,
          request.body,
        );
        return { apiKey: keyJson(apiKey), key };
      }),
  );

  app.delete(
    '/v1/organisations/:orgId/api-keys/:keyId',
    {
      config: writeLimit,
      schema: {
        tags: ['organisations'],
        summary: 'Revoke an API key (organisation admins)',
        security,
        params: keyParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await revokeApiKey(
        deps.accounts,
        requireActor(request.actor),
        request.params.orgId,
        request.params.keyId,
      );
      return reply.code(204).send(undefined as never);
    },
  );

  app.get(
    '/v1/audit',
    {
      schema: {
        tags: ['organisations'],
        summary:
          'Administrative changes, newest first: organisations, users, API keys, policies (an organisation’s admins: their own; platform admins: all)',
        security,
        querystring: z.strictObject({
          organisationId: z.string().min(1).max(64).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: {
          200: z.object({
            entries: z.array(
              z.object({
                id: z.string(),
                at: z.string(),
                actorId: z.string().nullable().describe('null: the operator’s tools'),
                actorOrganisationId: z.string().nullable(),
                action: z.string(),
                organisationId: z.string(),
                target: z.string(),
                detail: z.record(z.string(), z.unknown()),
              }),
            ),
          }),
          ...problems,
        },
      },
    },
    async (request) => ({
      entries: (
        await listAdminAudit(
          deps.accounts,
          requireActor(request.actor),
          request.query.organisationId,
          request.query.limit,
        )
      ).map((e) => ({ ...e, at: e.at.toISOString() })),
    }),
  );
}

function orgJson(o: Organisation) {
  return { ...o, createdAt: o.createdAt.toISOString() };
}

function userJson(u: User) {
  return { ...u, createdAt: u.createdAt.toISOString() };
}

function keyJson(k: ApiKey) {
  return {
    ...k,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/** The password is right for users of several organisations: the sign-in must name one. */
function organisationNeeded(organisations: readonly Organisation[]): HttpProblem {
  const names = organisations.map((o) => `"${o.name}"`).join(', ');
  return new HttpProblem(
    400,
    `this e-mail address and password are those of users of several organisations (${names}); name one in organisation`,
    [{ path: 'body.organisation', message: `required here: one of ${names}` }],
    { organisations: organisations.map((o) => ({ id: o.id, name: o.name })) },
  );
}
