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
import { requireActor, type Actor } from '../../app/actor.ts';
import {
  amendBooking,
  cancelBooking,
  decideAmendmentRide,
  decideCancellationRide,
  withdrawAmendment,
} from '../../app/booking-amendments.ts';
import {
  changeDeparture,
  completeRide,
  decideRide,
  discontinueBooking,
  requestAmendment,
  requestUpdate,
} from '../../app/booking-rides.ts';
import {
  createBooking,
  getBooking,
  listBookings,
  LIVE_STATES,
  type Booking,
} from '../../app/bookings.ts';
import type { App, HttpDeps } from '../context.ts';
import { idFromSeed, idempotencyHeader, idempotent } from '../idempotency.ts';

export function bookingRoutes(app: App, deps: HttpDeps): void {
  const writeLimit = { rateLimit: { max: deps.rateLimits.writePerMinute, timeWindow: 60_000 } };

  /**
   * A change to one booking: a POST under the write limit, done once per Idempotency-Key,
   * answering the booking as it now is.
   */
  const action = <P extends z.ZodType, B extends z.ZodType | undefined = undefined>(
    path: string,
    doc: { summary: string; description?: string; params: P; body?: B },
    act: (
      actor: Actor,
      params: z.infer<P>,
      body: B extends z.ZodType ? z.infer<B> : undefined,
    ) => Promise<Booking>,
  ) =>
    app.post(
      path,
      {
        config: writeLimit,
        schema: {
          tags: ['bookings'],
          summary: doc.summary,
          ...(doc.description === undefined ? {} : { description: doc.description }),
          security,
          headers: idempotencyHeader,
          params: doc.params,
          ...(doc.body === undefined ? {} : { body: doc.body }),
          response: { 200: bookingSchema, ...problems },
        },
      },
      async (request, reply) =>
        idempotent(deps, request, reply, 200, async () =>
          bookingJson(
            await act(
              requireActor(request.actor),
              request.params as z.infer<P>,
              request.body as B extends z.ZodType ? z.infer<B> : undefined,
            ),
          ),
        ),
    );

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

  action(
    '/v1/bookings/:bookingId/cancel',
    {
      summary:
        'Cancel a booking: at once before confirmation; a CONFIRMED booking gets a cancellation request its carriers decide',
      description:
        "A RECEIVED, PENDING_UPDATE or UPDATE_RECEIVED booking is CANCELLED and its held capacity goes back. A CONFIRMED (or PENDING_AMENDMENT) booking stays so, with its capacity, and its `cancellation` is CANCELLATION_RECEIVED until every ride's carrier confirms it (the booking is CANCELLED, capacity released) or one declines it (CANCELLATION_DECLINED, the booking stays CONFIRMED).",
      params: bookingParams,
    },
    (actor, p) => cancelBooking(deps.bookings, actor, p.bookingId),
  );

  action(
    '/v1/bookings/:bookingId/amend',
    {
      summary:
        'Amend a booking: before confirmation at once; a CONFIRMED booking keeps its terms while the amendment waits for its carriers',
      description:
        "RECEIVED, PENDING_UPDATE or UPDATE_RECEIVED (an update): the new capacity is taken and the old given back in one transaction, and the booking is UPDATE_RECEIVED for its carriers to decide again. CONFIRMED or PENDING_AMENDMENT (an amendment, also the answer to a carrier's request for one): the booking stays so on its terms and confirmed capacity; the amendment waits beside it (`amendment.status` AMENDMENT_RECEIVED) with what it needs beyond those terms held additionally (1 → 2 × 40HC holds 2 TEU more), until every ride's carrier confirms it (the booking is CONFIRMED on its terms) or one declines it (CONFIRMED on its own). A later amendment replaces a waiting one. An amendment that does not fit changes nothing (409).",
      params: bookingParams,
      body: bookingAmendmentSchema,
    },
    (actor, p, b) => amendBooking(deps.bookings, actor, p.bookingId, b),
  );

  action(
    '/v1/bookings/:bookingId/rides/:rideIndex/request-update',
    {
      summary:
        'The carrier asks the booking party to update a booking not yet confirmed (PENDING_UPDATE)',
      description:
        "The ride's carrier asks, with its reason, while the booking is RECEIVED or UPDATE_RECEIVED (DCSA Booking 2.0 UseCase 2). The booking keeps its held capacity and is PENDING_UPDATE until its party updates it (/amend or PUT /v2/bookings/{ref}: UPDATE_RECEIVED) or cancels it. A CONFIRMED booking: 409 (ask for an amendment). Not the ride's carrier: 404.",
      params: rideParams,
      body: updateRequestSchema,
    },
    (actor, p, b) => requestUpdate(deps.bookings, actor, p.bookingId, p.rideIndex, b.reason),
  );

  action(
    '/v1/bookings/:bookingId/rides/:rideIndex/request-amendment',
    {
      summary:
        'The carrier asks the booking party to amend a CONFIRMED booking (PENDING_AMENDMENT)',
      description:
        "The ride's carrier asks, with its reason, while the booking is CONFIRMED (DCSA Booking 2.0 UseCase 6). The booking is PENDING_AMENDMENT and keeps its confirmed terms and capacity; an amendment still waiting beside it is declined (its extra capacity goes back). Its party's amendment (/amend or PUT /v2/bookings/{ref}) then waits beside it (AMENDMENT_RECEIVED) for the carriers: confirmed, the booking is CONFIRMED on the new terms; declined, CONFIRMED on its own. It can be cancelled meanwhile as a CONFIRMED booking. Not CONFIRMED, or a cancellation waits: 409. Not the ride's carrier: 404.",
      params: rideParams,
      body: updateRequestSchema,
    },
    (actor, p, b) => requestAmendment(deps.bookings, actor, p.bookingId, p.rideIndex, b.reason),
  );

  action(
    '/v1/bookings/:bookingId/rides/:rideIndex/discontinue',
    {
      summary:
        "The carrier of a ride discontinues a CONFIRMED booking (DECLINED, DCSA's decline after confirmation)",
      description:
        "Its capacity, and what a waiting amendment holds, go back at once; the reason is the booking's. Before confirmation a carrier declines its ride instead (the booking is REJECTED).",
      params: rideParams,
      body: updateRequestSchema,
    },
    (actor, p, b) => discontinueBooking(deps.bookings, actor, p.bookingId, p.rideIndex, b.reason),
  );

  action(
    '/v1/bookings/:bookingId/rides/:rideIndex/complete',
    {
      summary:
        "The carrier reports a ride's containers carried to its last stop; all rides completed: COMPLETED",
      params: rideParams,
    },
    (actor, p) => completeRide(deps.bookings, actor, p.bookingId, p.rideIndex),
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

  action(
    '/v1/bookings/:bookingId/amendment/cancel',
    {
      summary:
        'The booking party withdraws the amendment waiting beside its CONFIRMED booking (AMENDMENT_CANCELLED)',
      description:
        'The extra capacity held for the amendment goes back; the booking stays CONFIRMED as it was. 404 when no amendment waits.',
      params: bookingParams,
    },
    (actor, p) => withdrawAmendment(deps.bookings, actor, p.bookingId),
  );

  for (const [what, decide, explained] of [
    [
      'amendment',
      decideAmendmentRide,
      "its ride of the amendment waiting beside a CONFIRMED booking (the ride index is the amendment's). Every ride confirmed: the booking takes the amendment's terms and its capacity moves to them (AMENDMENT_CONFIRMED); one declined: the booking stays CONFIRMED on its own terms and the extra capacity goes back (AMENDMENT_DECLINED)",
    ],
    [
      'cancellation',
      decideCancellationRide,
      'the cancellation the booking party asked of a CONFIRMED booking, for its ride. Every ride confirmed: CANCELLED, capacity released (CANCELLATION_CONFIRMED); one declined: the booking stays CONFIRMED (CANCELLATION_DECLINED)',
    ],
  ] as const)
    for (const [verb, decision] of [
      ['confirm', 'CONFIRMED'],
      ['decline', 'DECLINED'],
    ] as const)
      action(
        `/v1/bookings/:bookingId/rides/:rideIndex/${what}/${verb}`,
        {
          summary: `The carrier ${verb}s the ${what} of its ride`,
          description: `The carrier ${verb}s ${explained}.`,
          params: rideParams,
        },
        (actor, p) => decide(deps.bookings, actor, p.bookingId, p.rideIndex, decision),
      );

  for (const [verb, decision] of [
    ['confirm', 'CONFIRMED'],
    ['decline', 'DECLINED'],
  ] as const)
    action(
      `/v1/bookings/:bookingId/rides/:rideIndex/${verb}`,
      {
        summary: `The carrier ${verb}s a ride on its service`,
        description:
          verb === 'confirm'
            ? 'Every ride confirmed: the booking is CONFIRMED and its capacity confirmed.'
            : 'One decline REJECTS the RECEIVED booking (DCSA: discontinued before confirmation) and frees its capacity. A CONFIRMED booking is discontinued with /discontinue instead.',
        params: rideParams,
      },
      (actor, p) => decideRide(deps.bookings, actor, p.bookingId, p.rideIndex, decision),
    );
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
    attention: LIVE_STATES.includes(b.state) ? b.attention : [],
    promise: b.promise,
    amendment: b.amendment && {
      status: b.amendment.status,
      containers: b.amendment.containers,
      teu: b.amendment.teu,
      hazardous: b.amendment.hazardous,
      holdExpiresAt: b.amendment.holdExpiresAt.toISOString(),
      reason: b.amendment.reason,
      receivedAt: b.amendment.receivedAt.toISOString(),
      decidedAt: b.amendment.decidedAt?.toISOString() ?? null,
      rides: b.amendment.rides.map(rideJson),
    },
    cancellation: b.cancellation && {
      status: b.cancellation.status,
      reason: b.cancellation.reason,
      receivedAt: b.cancellation.receivedAt.toISOString(),
      decidedAt: b.cancellation.decidedAt?.toISOString() ?? null,
      rides: b.cancellation.rides.map((r) => ({
        rideIndex: r.rideIndex,
        serviceId: r.serviceId,
        state: r.state as 'REQUESTED' | 'CONFIRMED' | 'DECLINED',
        decidedAt: r.decidedAt?.toISOString() ?? null,
      })),
    },
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
    rides: b.rides.map(rideJson),
  };
}

function rideJson(r: Booking['rides'][number]) {
  return {
    rideIndex: r.rideIndex,
    tripId: r.tripId,
    serviceId: r.serviceId,
    fromNodeId: r.fromNodeId,
    toNodeId: r.toNodeId,
    serviceVersion: r.serviceVersion,
    state: r.state,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    completedAt: r.completedAt?.toISOString() ?? null,
  };
}
