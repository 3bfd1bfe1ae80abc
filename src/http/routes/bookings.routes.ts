import { pageAnswerFields, pageQuerySchema } from '../../api/common.ts';
import { pageRequest } from '../../app/paging.ts';
import { z } from 'zod';
import {
  bookingAmendmentSchema,
  bookingParams,
  bookingSchema,
  departureChangeSchema,
  departureParams,
  newBookingSchema,
  updateRequestSchema,
  rideParams,
} from '../../api/bookings.ts';
import { utilisationQuerySchema, utilisationResponseSchema } from '../../api/capacity.ts';
import { utilisationView } from '../../app/capacity.ts';
import { AppError } from '../../app/errors.ts';
import { isIsoDate } from '../../core/shared/time-zone.ts';
import { problems, security } from '../route-docs.ts';
import { requireActor } from '../../app/actor.ts';
import {
  cancelBooking,
  createBooking,
  amendBooking,
  changeDeparture,
  completeRide,
  decideRide,
  getBooking,
  listBookings,
  requestUpdate,
  type Booking,
} from '../../app/bookings.ts';
import type { App, HttpDeps } from '../context.ts';
import { idFromSeed, idempotencyHeader, idempotent } from '../idempotency.ts';

export function bookingRoutes(app: App, deps: HttpDeps): void {
  const writeLimit = { rateLimit: { max: deps.rateLimits.writePerMinute, timeWindow: 60_000 } };

  app.post(
    '/v1/bookings',
    {
      config: writeLimit,
      schema: {
        tags: ['bookings'],
        summary: 'Book every ride of an itinerary: capacity held on all legs or none',
        description:
          'Give the rides and containers, or the planId and itineraryId of a plan from POST /v1/plans (its containers unless given; its promised P50/P90, cost and CO2e are kept with the booking). A ride on a service that no carrier on the platform operates is refused (409, naming body.rides[i]): nobody could confirm it.',
        security,
        headers: idempotencyHeader,
        body: newBookingSchema,
        response: { 201: bookingSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 201, async (seed) =>
        bookingJson(
          await createBooking(
            deps.bookings,
            requireActor(request.actor),
            request.body,
            seed === undefined ? undefined : idFromSeed('bkg', seed),
          ),
        ),
      ),
  );

  app.get(
    '/v1/bookings',
    {
      schema: {
        tags: ['bookings'],
        summary:
          "The organisation's bookings; for carriers, those on their services; newest first, a page at a time",
        security,
        querystring: pageQuerySchema,
        response: {
          200: z.object({ bookings: z.array(bookingSchema), ...pageAnswerFields }),
          ...problems,
        },
      },
    },
    async (request) => {
      const page = await listBookings(
        deps.bookings,
        requireActor(request.actor),
        pageRequest(request.query.limit, request.query.cursor),
      );
      return {
        bookings: page.items.map(bookingJson),
        nextCursor: page.nextCursor,
        total: page.total ?? 0,
      };
    },
  );

  app.get(
    '/v1/bookings/:bookingId',
    {
      schema: {
        tags: ['bookings'],
        summary: 'One booking',
        security,
        params: bookingParams,
        response: { 200: bookingSchema, ...problems },
      },
    },
    async (request) =>
      bookingJson(
        await getBooking(deps.bookings, requireActor(request.actor), request.params.bookingId),
      ),
  );

  app.post(
    '/v1/bookings/:bookingId/cancel',
    {
      config: writeLimit,
      schema: {
        tags: ['bookings'],
        summary: 'Cancel a booking; its capacity goes back',
        security,
        headers: idempotencyHeader,
        params: bookingParams,
        response: { 200: bookingSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 200, async () =>
        bookingJson(
          await cancelBooking(deps.bookings, requireActor(request.actor), request.params.bookingId),
        ),
      ),
  );

  app.post(
    '/v1/bookings/:bookingId/amend',
    {
      config: writeLimit,
      schema: {
        tags: ['bookings'],
        summary:
          'Amend a booking: new capacity taken and old given back at once, or nothing changes',
        security,
        headers: idempotencyHeader,
        params: bookingParams,
        body: bookingAmendmentSchema,
        response: { 200: bookingSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 200, async () =>
        bookingJson(
          await amendBooking(
            deps.bookings,
            requireActor(request.actor),
            request.params.bookingId,
            request.body,
          ),
        ),
      ),
  );

  app.post(
    '/v1/bookings/:bookingId/rides/:rideIndex/request-update',
    {
      config: writeLimit,
      schema: {
        tags: ['bookings'],
        summary: 'The carrier asks the booking party to change the booking (PENDING_UPDATE)',
        security,
        headers: idempotencyHeader,
        params: rideParams,
        body: updateRequestSchema,
        response: { 200: bookingSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 200, async () =>
        bookingJson(
          await requestUpdate(
            deps.bookings,
            requireActor(request.actor),
            request.params.bookingId,
            request.params.rideIndex,
            request.body.reason,
          ),
        ),
      ),
  );

  app.post(
    '/v1/bookings/:bookingId/rides/:rideIndex/complete',
    {
      config: writeLimit,
      schema: {
        tags: ['bookings'],
        summary:
          "The carrier reports a ride's containers carried to its last stop; all rides completed: COMPLETED",
        security,
        headers: idempotencyHeader,
        params: rideParams,
        response: { 200: bookingSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 200, async () =>
        bookingJson(
          await completeRide(
            deps.bookings,
            requireActor(request.actor),
            request.params.bookingId,
            request.params.rideIndex,
          ),
        ),
      ),
  );

  app.get(
    '/v1/utilisation',
    {
      schema: {
        tags: ['capacity'],
        summary:
          'Slot utilisation per service (the coordinating council: every service; carriers: their own)',
        description: 'Totals per service over the service days; who booked is never shown.',
        security,
        querystring: utilisationQuerySchema,
        response: { 200: utilisationResponseSchema, ...problems },
      },
    },
    async (request) => {
      const { from, days } = request.query;
      if (from !== undefined && !isIsoDate(from))
        throw new AppError('invalid_data', `${from} is not a real date`, [
          { path: 'query.from', message: 'not a real date' },
        ]);
      const start = from ?? deps.today();
      return {
        from: start,
        days,
        services: await utilisationView(
          deps.network,
          deps.capacity,
          deps.bookings.organisations,
          requireActor(request.actor),
          start,
          days,
        ),
      };
    },
  );

  app.patch(
    '/v1/departures/:tripId',
    {
      config: writeLimit,
      schema: {
        tags: ['capacity'],
        summary: "The carrier changes a departure's capacity or closes it (its own services only)",
        description: 'A closed departure takes no new bookings; live bookings on it get a notice.',
        security,
        params: departureParams,
        body: departureChangeSchema,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await changeDeparture(
        deps.bookings,
        requireActor(request.actor),
        request.params.tripId,
        request.body,
      );
      return reply.code(204).send(undefined as never);
    },
  );

  for (const [verb, decision] of [
    ['confirm', 'CONFIRMED'],
    ['decline', 'DECLINED'],
  ] as const) {
    app.post(
      `/v1/bookings/:bookingId/rides/:rideIndex/${verb}`,
      {
        config: writeLimit,
        schema: {
          tags: ['bookings'],
          summary: `The carrier ${verb}s a ride on its service`,
          security,
          headers: idempotencyHeader,
          params: rideParams,
          response: { 200: bookingSchema, ...problems },
        },
      },
      async (request, reply) =>
        idempotent(deps, request, reply, 200, async () =>
          bookingJson(
            await decideRide(
              deps.bookings,
              requireActor(request.actor),
              request.params.bookingId,
              request.params.rideIndex,
              decision,
            ),
          ),
        ),
    );
  }
}

function bookingJson(b: Booking) {
  return {
    id: b.id,
    organisationId: b.organisationId,
    state: b.state,
    containers: b.containers,
    teu: b.teu,
    hazardous: b.hazardous,
    holdExpiresAt: b.holdExpiresAt.toISOString(),
    reason: b.reason,
    notices: b.notices,
    // What needs attention matters while the booking is live.
    attention: ['RECEIVED', 'PENDING_UPDATE', 'CONFIRMED'].includes(b.state) ? b.attention : [],
    promise: b.promise,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
    rides: b.rides.map((r) => ({
      rideIndex: r.rideIndex,
      tripId: r.tripId,
      serviceId: r.serviceId,
      fromNodeId: r.fromNodeId,
      toNodeId: r.toNodeId,
      serviceVersion: r.serviceVersion,
      state: r.state,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      completedAt: r.completedAt?.toISOString() ?? null,
    })),
  };
}
