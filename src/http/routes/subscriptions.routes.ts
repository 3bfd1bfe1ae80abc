import { z } from 'zod';
import {
  deliverySchema,
  newSubscriptionSchema,
  secretBodySchema,
  subscriptionParams,
  subscriptionSchema,
} from '../../api/tracking.ts';
import { requireActor } from '../../app/actor.ts';
import type { EventSubscription } from '../../app/ports.ts';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listDeliveries,
  listSubscriptions,
  rotateSecret,
} from '../../app/subscriptions.ts';
import type { App, HttpDeps } from '../context.ts';
import { idempotencyHeader, idempotent } from '../idempotency.ts';
import { security } from '../route-docs.ts';
import { dcsaProblems as problems } from '../dcsa.ts';
import { HttpProblem } from '../problem.ts';

export function subscriptionRoutes(app: App, deps: HttpDeps): void {
  const writeLimit = { rateLimit: { max: deps.rateLimits.writePerMinute, timeWindow: 60_000 } };
  const params = subscriptionParams;

  app.post(
    '/v3/event-subscriptions',
    {
      config: writeLimit,
      schema: {
        tags: ['tracking'],
        summary: 'Subscribe to events: signed POSTs of new events to a callback URL',
        description:
          'Each notification is a JSON array of events, signed with HMAC-SHA256 over the raw body in `Notification-Signature: sha256=<hex>`, with `Subscription-ID`. Failed deliveries are retried with exponential back-off from a queue in the database. Callback URLs must be http(s) and not resolve to private, loopback or link-local addresses.',
        security,
        headers: idempotencyHeader,
        body: newSubscriptionSchema,
        response: { 201: subscriptionSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 201, async () =>
        subscriptionJson(
          await createSubscription(deps.subscriptions, requireActor(request.actor), request.body),
        ),
      ),
  );

  app.get(
    '/v3/event-subscriptions',
    {
      schema: {
        tags: ['tracking'],
        summary: "The organisation's event subscriptions",
        security,
        response: { 200: z.array(subscriptionSchema), ...problems },
      },
    },
    async (request) =>
      (await listSubscriptions(deps.subscriptions, requireActor(request.actor))).map(
        subscriptionJson,
      ),
  );

  app.get(
    '/v3/event-subscriptions/:subscriptionId',
    {
      schema: {
        tags: ['tracking'],
        summary: 'One subscription',
        security,
        params,
        response: { 200: subscriptionSchema, ...problems },
      },
    },
    async (request) =>
      subscriptionJson(
        await getSubscription(
          deps.subscriptions,
          requireActor(request.actor),
          request.params.subscriptionId,
        ),
      ),
  );

  app.delete(
    '/v3/event-subscriptions/:subscriptionId',
    {
      config: writeLimit,
      schema: {
        tags: ['tracking'],
        summary: 'Unsubscribe',
        security,
        params,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await deleteSubscription(
        deps.subscriptions,
        requireActor(request.actor),
        request.params.subscriptionId,
      );
      return reply.code(204).send(undefined as never);
    },
  );

  app.put(
    '/v3/event-subscriptions/:subscriptionId',
    {
      config: writeLimit,
      schema: {
        tags: ['tracking'],
        summary: 'Alter a subscription: not implemented (501); delete it and subscribe again',
        security,
        params,
        response: { 501: problems[400], ...problems },
      },
    },
    async (request) => {
      requireActor(request.actor);
      throw new HttpProblem(
        501,
        'altering a subscription is not implemented; delete it and subscribe again',
        [{ path: 'subscriptionID', message: 'This endPoint has not been implemented' }],
      );
    },
  );

  app.put(
    '/v3/event-subscriptions/:subscriptionId/secret',
    {
      config: writeLimit,
      schema: {
        tags: ['tracking'],
        summary: 'Rotate the secret: deliveries from now on are signed with the new one',
        security,
        params,
        body: secretBodySchema,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await rotateSecret(
        deps.subscriptions,
        requireActor(request.actor),
        request.params.subscriptionId,
        request.body.secret,
      );
      return reply.code(204).send(undefined as never);
    },
  );

  app.get(
    '/v3/event-subscriptions/:subscriptionId/deliveries',
    {
      schema: {
        tags: ['tracking'],
        summary: 'The delivery log of a subscription, newest first (at most 200)',
        security,
        params,
        response: { 200: z.object({ deliveries: z.array(deliverySchema) }), ...problems },
      },
    },
    async (request) => ({
      deliveries: (
        await listDeliveries(
          deps.subscriptions,
          requireActor(request.actor),
          request.params.subscriptionId,
          200,
        )
      ).map((d) => ({
        id: d.id,
        state: d.state,
        eventCount: d.eventCount,
        attempts: d.attempts,
        nextAttemptAt: d.nextAttemptAt.toISOString(),
        lastStatus: d.lastStatus,
        lastError: d.lastError,
        createdAt: d.createdAt.toISOString(),
        deliveredAt: d.deliveredAt?.toISOString() ?? null,
      })),
    }),
  );
}

function subscriptionJson(s: EventSubscription) {
  const filters = Object.fromEntries(
    Object.entries(s.filters).filter(([, v]) => v !== undefined && v !== null),
  ) as z.infer<typeof subscriptionSchema>;
  return {
    ...filters,
    subscriptionID: s.id,
    callbackUrl: s.callbackUrl,
    subscriptionCreatedDateTime: s.createdAt.toISOString(),
    subscriptionUpdatedDateTime: s.updatedAt.toISOString(),
  };
}
