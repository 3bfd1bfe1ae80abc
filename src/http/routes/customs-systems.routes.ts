import { z } from 'zod';
import { requireActor } from '../../app/actor.ts';
import {
  acknowledgeOutbox,
  deleteRoute,
  listOutbox,
  listRoutes,
  MAX_INBOUND_BYTES,
  receiveMessage,
  saveRoute,
} from '../../app/customs-systems.ts';
import { notifyArrival } from '../../app/customs-arrival.ts';
import { receiveEtirMessage } from '../../app/customs-etir.ts';
import type { OutboxMessage } from '../../app/customs-system-ports.ts';
import type { App, HttpDeps } from '../context.ts';
import { problems, security } from '../route-docs.ts';

const routeSchema = z.strictObject({
  system: z.enum(['desk', 'ncts', 'etir']),
  recipient: z.string().min(1).max(35),
  sender: z.string().min(1).max(35),
  endpointUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .default(null),
});
const scopeParams = z.strictObject({
  scope: z.string().regex(/^([A-Z]{2}|[A-Z]{2}[A-Z0-9]{6}|org_[A-Za-z0-9_-]{1,60})$/, {
    message: 'a country (GE), an office code (GEPTI001) or an organisation id (org_...)',
  }),
});
const outboxQuery = z.strictObject({
  state: z.enum(['pending', 'sending', 'delivered', 'acknowledged', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const messageJson = (m: OutboxMessage) => ({
  id: m.id,
  messageType: m.messageType,
  country: m.country,
  office: m.office,
  declarationId: m.declarationId,
  state: m.state,
  attempts: m.attempts,
  createdAt: m.createdAt.toISOString(),
  deliveredAt: m.deliveredAt?.toISOString() ?? null,
  body: m.body,
});

/** The boundary to the administrations' own customs systems (docs/customs-systems.md). */
export function customsSystemsRoutes(app: App, deps: HttpDeps): void {
  const c = deps.customs;
  const tags = ['customs systems'];
  app.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'string', bodyLimit: MAX_INBOUND_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/v1/customs/systems/ncts/messages',
    {
      schema: {
        tags,
        summary:
          'Post an inbound NCTS message (CC028C, CC029C, CC060C, CC056C, CC025C, CC007C, CC043C, CC044C)',
        description:
          'XML body, as the national transit application sent it, with an API key of the administration. Applied once: the same messageIdentification again answers 200 with the earlier result.',
        security,
        consumes: ['application/xml', 'text/xml'],
        body: z.string(),
        response: { 200: z.unknown(), 201: z.unknown(), ...problems },
      },
    },
    async (request, reply) => {
      const { result, duplicate } = await receiveMessage(
        c,
        requireActor(request.actor),
        request.body,
      );
      return reply.code(duplicate ? 200 : 201).send({ ...result, duplicate });
    },
  );

  app.post(
    '/v1/customs/systems/etir/messages',
    {
      schema: {
        tags,
        summary:
          'Post a message of the eTIR international system (E10, E12, I7, I9, I11, I13, I15)',
        description:
          'XML body, with an API key of the administration whose segment it is about. A request is answered with its response message (`response`: I8, I10, I12, I14, I16); an error names the code of eTIR code list 99 and its pointer. Applied once: the same MessageID again answers 200 with the earlier result.',
        security,
        consumes: ['application/xml', 'text/xml'],
        body: z.string(),
        response: { 200: z.unknown(), 201: z.unknown(), ...problems },
      },
    },
    async (request, reply) => {
      const { result, duplicate } = await receiveEtirMessage(
        c,
        requireActor(request.actor),
        request.body,
      );
      return reply.code(duplicate ? 200 : 201).send({ ...result, duplicate });
    },
  );

  app.post(
    '/v1/customs/declarations/:id/segments/:country/arrival',
    {
      schema: {
        tags,
        summary: 'Notify the arrival of the goods of a segment decided in NCTS (CC007C out)',
        description:
          "The declaration's trader, once the goods are at the office of destination: the arrival notification leaves through the outbox and the segment ends (CROS). Again after that: nothing more is sent (`messageId` null).",
        security,
        params: z.strictObject({
          id: z.string().min(1).max(64),
          country: z.string().regex(/^[A-Z]{2}$/, { message: 'a country code (GE)' }),
        }),
        response: { 200: z.unknown(), ...problems },
      },
    },
    async (request) => {
      const { declaration, messageId } = await notifyArrival(
        c,
        requireActor(request.actor),
        request.params.id,
        request.params.country,
      );
      const segment = declaration.segments.find((s) => s.country === request.params.country)!;
      return { declarationId: declaration.id, state: segment.state, messageId };
    },
  );

  app.get(
    '/v1/customs/systems/outbox',
    {
      schema: {
        tags,
        summary:
          "The administration's outbound messages (CC015C, CC013C, CC007C, E9, E11), newest first",
        security,
        querystring: outboxQuery,
        response: { 200: z.unknown(), ...problems },
      },
    },
    async (request) =>
      (
        await listOutbox(
          c,
          requireActor(request.actor),
          request.query.state ? [request.query.state] : [],
          request.query.limit,
        )
      ).map(messageJson),
  );

  app.post(
    '/v1/customs/systems/outbox/:id/ack',
    {
      schema: {
        tags,
        summary: 'Acknowledge a collected outbound message',
        security,
        params: z.strictObject({ id: z.string().min(1).max(35) }),
        response: { 200: z.unknown(), ...problems },
      },
    },
    async (request) =>
      messageJson(await acknowledgeOutbox(c, requireActor(request.actor), request.params.id)),
  );

  app.get(
    '/v1/customs/systems/routes',
    {
      schema: {
        tags,
        summary: 'Where each administration decides',
        security,
        response: { 200: z.unknown(), ...problems },
      },
    },
    async (request) => listRoutes(c, requireActor(request.actor)),
  );

  app.put(
    '/v1/customs/systems/routes/:scope',
    {
      schema: {
        tags,
        summary: 'Set where a country, administration or office decides (desk, NCTS or eTIR)',
        security,
        params: scopeParams,
        body: routeSchema,
        response: { 200: z.unknown(), ...problems },
      },
    },
    async (request) =>
      saveRoute(c, requireActor(request.actor), { scope: request.params.scope, ...request.body }),
  );

  app.delete(
    '/v1/customs/systems/routes/:scope',
    {
      schema: {
        tags,
        summary: "Remove a scope's route",
        security,
        params: scopeParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await deleteRoute(c, requireActor(request.actor), request.params.scope);
      return reply.code(204).send(null);
    },
  );
}
