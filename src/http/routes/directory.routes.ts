import { pageAnswerFields, pageQuerySchema } from '../../api/common.ts';
import { pageRequest } from '../../app/paging.ts';
import { z } from 'zod';
import {
  listingBodySchema,
  listingParams,
  listingSchema,
  matchSchema,
  messageBodySchema,
  notificationParams,
  notificationSchema,
  organisationParams,
  profileBodySchema,
  profileSchema,
  requestActionSchema,
  requestBodySchema,
  requestParams,
  searchAnswerSchema,
  searchQuerySchema,
  serviceRequestSchema,
} from '../../api/directory.ts';
import { requireActor } from '../../app/actor.ts';
import {
  actOnRequest,
  addListing,
  createRequest,
  deleteListing,
  getProfile,
  getRequest,
  listNotifications,
  listRequests,
  matchesFor,
  myListings,
  postMessage,
  putProfile,
  readNotification,
  searchDirectory,
  verifyOrganisation,
  type RequestView,
} from '../../app/directory.ts';
import type { Notification, Profile, ServiceRequest } from '../../app/ports.ts';
import type { App, HttpDeps } from '../context.ts';
import { idempotencyHeader, idempotent } from '../idempotency.ts';
import { problems, security } from '../route-docs.ts';

const iso = (ms: number) => new Date(ms).toISOString();

function profileJson(p: Profile & { contactVisible: boolean }): z.input<typeof profileSchema> {
  return {
    organisationId: p.organisationId,
    name: p.name,
    kind: p.kind,
    country: p.country,
    verified: p.verified,
    services: p.services,
    countries: p.countries,
    nodes: p.nodes,
    languages: p.languages,
    exportsHs: p.exportsHs,
    importsHs: p.importsHs,
    descriptions: p.descriptions,
    contact: p.contactVisible ? p.contact : null,
    updatedAt: p.updatedAt?.toISOString() ?? null,
  };
}

function requestJson(r: ServiceRequest | RequestView): z.input<typeof serviceRequestSchema> {
  const v = r as Partial<RequestView>;
  return {
    id: r.id,
    requesterId: r.requesterId,
    requesterName: v.requesterName ?? r.requesterId,
    providerId: r.providerId,
    providerName: v.providerName ?? r.providerId,
    service: r.service,
    nodeId: r.nodeId,
    description: r.description,
    wantedFrom: r.wantedFrom,
    state: r.state,
    offer: r.offer && { ...r.offer, validUntil: iso(r.offer.validUntil), at: iso(r.offer.at) },
    history: r.history.map((h) => ({ ...h, at: iso(h.at) })),
    messages: (v.messages ?? []).map((m) => ({
      id: m.id,
      from: m.organisationId,
      fromName: m.fromName,
      text: m.text,
      at: m.createdAt.toISOString(),
    })),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const notificationJson = (n: Notification): z.input<typeof notificationSchema> => ({
  id: n.id,
  kind: n.kind,
  requestId: n.requestId,
  text: n.text,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});

function listingJson<T extends { createdAt: Date }>(
  l: T,
): Omit<T, 'createdAt'> & { createdAt: string } {
  const { createdAt, ...rest } = l;
  return { ...rest, createdAt: createdAt.toISOString() };
}

export function directoryRoutes(app: App, deps: HttpDeps): void {
  const writeLimit = { rateLimit: { max: deps.rateLimits.writePerMinute, timeWindow: 60_000 } };
  const tags = ['service desk'];
  const d = deps.directory;

  app.get(
    '/v1/directory',
    {
      schema: {
        tags,
        summary:
          'Search the directory: by service, country, node, HS code prefix, language and free text over names and descriptions, ranked, paginated',
        description:
          'Comma-separated lists match any of their values; filters combine with AND. Free text: every word as a prefix (full-text, any language), or the whole text as a substring (scripts without spaces).',
        security,
        querystring: searchQuerySchema,
        response: { 200: searchAnswerSchema, ...problems },
      },
    },
    async (request) => {
      const page = await searchDirectory(d, requireActor(request.actor), request.query);
      return { ...page, results: page.results.map((r) => ({ ...profileJson(r), rank: r.rank })) };
    },
  );

  app.get(
    '/v1/organisations/:organisationId/profile',
    {
      schema: {
        tags,
        summary:
          "An organisation's profile: contact details only after a request between you was accepted",
        security,
        params: organisationParams,
        response: { 200: profileSchema, ...problems },
      },
    },
    async (request) =>
      profileJson(await getProfile(d, requireActor(request.actor), request.params.organisationId)),
  );

  app.put(
    '/v1/organisations/:organisationId/profile',
    {
      config: writeLimit,
      schema: {
        tags,
        summary: "Publish or replace your organisation's profile (its admins)",
        security,
        params: organisationParams,
        body: profileBodySchema,
        response: { 200: profileSchema, ...problems },
      },
    },
    async (request) =>
      profileJson(
        await putProfile(
          d,
          requireActor(request.actor),
          request.params.organisationId,
          request.body,
        ),
      ),
  );

  app.put(
    '/v1/organisations/:organisationId/verified',
    {
      config: writeLimit,
      schema: {
        tags,
        summary: 'Set the verified status of a profile (platform admins)',
        security,
        params: organisationParams,
        body: z.strictObject({ verified: z.boolean() }),
        response: { 200: profileSchema, ...problems },
      },
    },
    async (request) =>
      profileJson(
        await verifyOrganisation(
          d,
          requireActor(request.actor),
          request.params.organisationId,
          request.body.verified,
        ),
      ),
  );

  app.post(
    '/v1/trade-listings',
    {
      config: writeLimit,
      schema: {
        tags,
        summary: 'List a product you export or a need you import (HS code, place, tonnes a month)',
        security,
        body: listingBodySchema,
        response: { 201: listingSchema, ...problems },
      },
    },
    async (request, reply) => {
      const l = await addListing(d, requireActor(request.actor), request.body);
      void reply.code(201);
      return listingJson(l);
    },
  );

  app.get(
    '/v1/trade-listings',
    {
      schema: {
        tags,
        summary: "Your organisation's listings",
        security,
        response: { 200: z.object({ listings: z.array(listingSchema) }), ...problems },
      },
    },
    async (request) => ({
      listings: (await myListings(d, requireActor(request.actor))).map(listingJson),
    }),
  );

  app.delete(
    '/v1/trade-listings/:listingId',
    {
      config: writeLimit,
      schema: { tags, summary: 'Remove a listing of yours', security, params: listingParams },
    },
    async (request, reply) => {
      await deleteListing(d, requireActor(request.actor), request.params.listingId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/trade-matches',
    {
      schema: {
        tags,
        summary:
          'Exporters and importers for your listings: same HS heading, compatible countries, a route the planner finds, with its fastest itinerary and price as a hint',
        security,
        response: { 200: z.object({ matches: z.array(matchSchema) }), ...problems },
      },
    },
    async (request) => ({
      matches: (await matchesFor(d, requireActor(request.actor))).map((m) => ({
        ...m,
        exporter: listingJson(m.exporter),
        importer: listingJson(m.importer),
      })),
    }),
  );

  app.post(
    '/v1/service-requests',
    {
      config: writeLimit,
      schema: {
        tags,
        summary: 'Ask a provider in the directory for a service it offers',
        security,
        headers: idempotencyHeader,
        body: requestBodySchema,
        response: { 201: serviceRequestSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 201, async () =>
        requestJson(await createRequest(d, requireActor(request.actor), request.body)),
      ),
  );

  app.get(
    '/v1/service-requests',
    {
      schema: {
        tags,
        summary: 'Requests you made or received, latest change first, a page at a time',
        security,
        querystring: pageQuerySchema,
        response: {
          200: z.object({ requests: z.array(serviceRequestSchema), ...pageAnswerFields }),
          ...problems,
        },
      },
    },
    async (request) => {
      const page = await listRequests(
        d,
        requireActor(request.actor),
        pageRequest(request.query.limit, request.query.cursor),
      );
      return {
        requests: page.items.map(requestJson),
        nextCursor: page.nextCursor,
        total: page.total ?? 0,
      };
    },
  );

  app.get(
    '/v1/service-requests/:requestId',
    {
      schema: {
        tags,
        summary: 'A request with its offer, history and messages (its two parties only)',
        security,
        params: requestParams,
        response: { 200: serviceRequestSchema, ...problems },
      },
    },
    async (request) =>
      requestJson(await getRequest(d, requireActor(request.actor), request.params.requestId)),
  );

  app.post(
    '/v1/service-requests/:requestId/actions',
    {
      config: writeLimit,
      schema: {
        tags,
        summary:
          'offer or refuse (the provider); accept, decline or withdraw (the requester). No accept after the offer expired; nothing on a closed request (409)',
        security,
        headers: idempotencyHeader,
        params: requestParams,
        body: requestActionSchema,
        response: { 200: serviceRequestSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 200, async () =>
        requestJson(
          await actOnRequest(
            d,
            requireActor(request.actor),
            request.params.requestId,
            request.body,
          ),
        ),
      ),
  );

  app.post(
    '/v1/service-requests/:requestId/messages',
    {
      config: writeLimit,
      schema: {
        tags,
        summary: "A message in the request's thread",
        security,
        params: requestParams,
        body: messageBodySchema,
        response: { 200: serviceRequestSchema, ...problems },
      },
    },
    async (request) =>
      requestJson(
        await postMessage(
          d,
          requireActor(request.actor),
          request.params.requestId,
          request.body.text,
        ),
      ),
  );

  app.get(
    '/v1/notifications',
    {
      schema: {
        tags,
        summary: "Your organisation's notifications, newest first, a page at a time",
        security,
        querystring: pageQuerySchema,
        response: {
          200: z.object({ notifications: z.array(notificationSchema), ...pageAnswerFields }),
          ...problems,
        },
      },
    },
    async (request) => {
      const page = await listNotifications(
        d,
        requireActor(request.actor),
        pageRequest(request.query.limit, request.query.cursor),
      );
      return {
        notifications: page.items.map(notificationJson),
        nextCursor: page.nextCursor,
        total: page.total ?? 0,
      };
    },
  );

  app.post(
    '/v1/notifications/:notificationId/read',
    {
      schema: { tags, summary: 'Mark a notification read', security, params: notificationParams },
    },
    async (request, reply) => {
      await readNotification(d, requireActor(request.actor), request.params.notificationId);
      return reply.code(204).send();
    },
  );
}
