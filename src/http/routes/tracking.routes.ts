import { pageAnswerFields, pageQuerySchema } from '../../api/common.ts';
import { pageRequest } from '../../app/paging.ts';
import { z } from 'zod';
import {
  dcsaEventSchema,
  eventIdParams,
  eventsAnswerSchema,
  eventsBodySchema,
  eventsQuerySchema,
  eventResultSchema,
  newShipmentSchema,
  shipmentParams,
  shipmentSchema,
} from '../../api/tracking.ts';
import { requireActor } from '../../app/actor.ts';
import { AppError } from '../../app/errors.ts';
import type { Shipment, StoredEvent } from '../../app/shipments.ts';
import { createShipment, getShipment, listShipments } from '../../app/tracking.ts';
import { recordEvents } from '../../app/record-events.ts';
import { getEvent, listEvents } from '../../app/event-query.ts';
import { inEventTime } from '../../core/tracking/events.ts';
import { dcsaEvent } from '../../app/dcsa-event.ts';
import { dcsaProblems, pageLink } from '../dcsa.ts';
import type { Network } from '../../core/network/network.ts';
import type { App, HttpDeps } from '../context.ts';
import { idempotencyHeader, idempotent } from '../idempotency.ts';
import { problems, security } from '../route-docs.ts';

/** Largest body of POST /v1/events: 1,000 events of about 2 KiB. */
const EVENTS_BODY_LIMIT = 4 * 1024 * 1024;

export function trackingRoutes(app: App, deps: HttpDeps): void {
  const writeLimit = { rateLimit: { max: deps.rateLimits.writePerMinute, timeWindow: 60_000 } };

  app.post(
    '/v1/shipments',
    {
      config: writeLimit,
      schema: {
        tags: ['tracking'],
        summary: 'Register a shipment: from a CONFIRMED booking, or with containers and rides',
        security,
        headers: idempotencyHeader,
        body: newShipmentSchema,
        response: { 201: shipmentSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 201, async () =>
        shipmentJson(
          deps.network,
          await createShipment(deps.tracking, requireActor(request.actor), request.body),
          [],
        ),
      ),
  );

  app.get(
    '/v1/shipments',
    {
      schema: {
        tags: ['tracking'],
        summary:
          'The shipments the caller may see: its own; for carriers, terminals and customs those they serve; newest first, a page at a time',
        security,
        querystring: pageQuerySchema,
        response: {
          200: z.object({
            shipments: z.array(shipmentSchema.omit({ events: true })),
            ...pageAnswerFields,
          }),
          ...problems,
        },
      },
    },
    async (request) => {
      const page = await listShipments(
        deps.tracking,
        requireActor(request.actor),
        pageRequest(request.query.limit, request.query.cursor),
      );
      return {
        shipments: page.items.map((s) => {
          const { events: _e, ...rest } = shipmentJson(deps.network, s, []);
          return rest;
        }),
        nextCursor: page.nextCursor,
        total: page.total ?? 0,
      };
    },
  );

  app.get(
    '/v1/shipments/:shipmentId',
    {
      schema: {
        tags: ['tracking'],
        summary:
          'A shipment: itinerary, events in event time, where it is, status, P50/P90 arrival, alerts',
        security,
        params: shipmentParams,
        response: { 200: shipmentSchema, ...problems },
      },
    },
    async (request) => {
      const { shipment, events } = await getShipment(
        deps.tracking,
        requireActor(request.actor),
        request.params.shipmentId,
      );
      return shipmentJson(deps.network, shipment, events);
    },
  );

  app.post(
    '/v1/events',
    {
      bodyLimit: EVENTS_BODY_LIMIT,
      config: writeLimit,
      schema: {
        tags: ['tracking'],
        summary: 'Post DCSA Track & Trace events: one, or a batch of up to 1,000',
        description:
          "Flat TNT 2.2 events or the 3.0 `{ metadata, payload }` envelope; idempotent on eventID. A batch (an array) is answered 200 per item: accepted, duplicate or rejected with the reason. One event (an object) is answered 201 when accepted, 200 when a duplicate, 400 with the reason when rejected. Accepted events are committed before the answer. Only carriers of the shipment's rides and terminals and customs of the countries it crosses may post for it.",
        security,
        headers: idempotencyHeader,
        body: eventsBodySchema,
        response: {
          200: z.union([eventsAnswerSchema, eventResultSchema]),
          201: eventResultSchema,
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const batch = Array.isArray(request.body);
      const items = batch ? (request.body as unknown[]) : [request.body];
      // A batch is answered 200; one event 201 when accepted, 200 when it was known.
      const status = (r: object) =>
        batch || ('status' in r && r.status === 'duplicate') ? 200 : 201;
      return idempotent(deps, request, reply, status, async () => {
        const results = await recordEvents(deps.tracking, requireActor(request.actor), items);
        for (const result of ['accepted', 'duplicate', 'rejected'])
          app.countEvents(result, results.filter((r) => r.status === result).length);
        if (batch)
          return {
            accepted: results.filter((r) => r.status === 'accepted').length,
            duplicates: results.filter((r) => r.status === 'duplicate').length,
            rejected: results.filter((r) => r.status === 'rejected').length,
            results,
          };
        const one = results[0]!;
        if (one.status === 'rejected')
          throw new AppError('invalid_data', one.reason!, [{ path: 'body', message: one.reason! }]);
        return one;
      });
    },
  );

  app.get(
    '/v3/events',
    {
      schema: {
        tags: ['tracking'],
        summary:
          'DCSA Track & Trace 3.0 events of the shipments the caller may see, ascending eventCreatedDateTime',
        description:
          'Every query parameter of TNT 3.0 (and the TNT 2.2 names as aliases); filters combine with AND, comma-separated values with OR; unknown parameters are ignored. Pages of `limit` (default 100): the `Next-Page` and `Prev-Page` headers link to the pages after and before (their cursor carries the query). Answers carry `API-Version`; errors are the DCSA error object.',
        security,
        querystring: eventsQuerySchema,
        response: { 200: z.array(dcsaEventSchema), ...dcsaProblems },
      },
    },
    async (request, reply) => {
      const page = await listEvents(deps.tracking, requireActor(request.actor), request.query);
      if (page.next) void reply.header('next-page', pageLink(request, page.next));
      if (page.prev) void reply.header('prev-page', pageLink(request, page.prev));
      return page.events.map(dcsaEvent);
    },
  );

  app.get(
    '/v3/events/:eventID',
    {
      schema: {
        tags: ['tracking'],
        summary: 'One DCSA Track & Trace 3.0 event, by its eventID exactly as it was sent',
        security,
        params: eventIdParams,
        response: { 200: dcsaEventSchema, ...dcsaProblems },
      },
    },
    async (request) =>
      dcsaEvent(await getEvent(deps.tracking, requireActor(request.actor), request.params.eventID)),
  );
}

/** An event as the platform's own shipment API gives it: TNT 2.2 flat fields. */
function flatEvent(e: StoredEvent) {
  const codeField = {
    TRANSPORT: 'transportEventTypeCode',
    EQUIPMENT: 'equipmentEventTypeCode',
    SHIPMENT: 'shipmentEventTypeCode',
  }[e.eventType];
  return {
    eventID: e.eventID,
    eventCreatedDateTime: new Date(e.eventCreatedDateTime).toISOString(),
    eventDateTime: new Date(e.eventDateTime).toISOString(),
    eventType: e.eventType,
    eventClassifierCode: e.eventClassifierCode,
    [codeField]: e.eventTypeCode,
    equipmentReference: e.equipmentReference,
    eventLocation: e.unLocationCode
      ? { UNLocationCode: e.unLocationCode, facilityTypeCode: e.facilityTypeCode }
      : null,
    modeOfTransport: e.modeOfTransport,
    shipmentID: e.shipmentId,
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function shipmentJson(network: Network, s: Shipment, events: readonly StoredEvent[]) {
  const ride = s.rides.find((r) => r.rideIndex === s.progress.rideIndex)!;
  return {
    id: s.id,
    organisationId: s.organisationId,
    bookingId: s.bookingId,
    reference: s.reference,
    containers: s.equipment.map((e) => ({
      equipmentReference: e.equipmentReference,
      ISOEquipmentCode: e.isoEquipmentCode,
    })),
    itinerary: s.rides.map((r) => ({
      rideIndex: r.rideIndex,
      tripId: r.tripId,
      serviceId: r.serviceId,
      stops: r.stops.map((nodeId, i) => ({
        nodeId,
        UNLocationCode: network.nodes.get(nodeId)?.unLocode ?? null,
        plannedArrival: iso(r.plannedArrivals[i] ?? null),
        plannedDeparture: iso(r.plannedDepartures[i] ?? null),
      })),
    })),
    status: s.progress.status,
    position: {
      status: s.progress.status,
      rideIndex: s.progress.rideIndex,
      nodeId: s.progress.nodeId,
      nextNodeId: s.progress.departed ? (ride.stops[s.progress.stopIndex + 1] ?? null) : null,
      departed: s.progress.departed,
      since: iso(s.progress.since),
      customs: s.progress.customs,
    },
    eta: s.etaP50 && s.etaP90 ? { p50: s.etaP50.toISOString(), p90: s.etaP90.toISOString() } : null,
    promisedArrival: s.promisedArrival?.toISOString() ?? null,
    alerts: s.alerts,
    events: inEventTime(events).map(flatEvent),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
