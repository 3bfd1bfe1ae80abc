import { z } from 'zod';
import {
  dcsaBookingQuerySchema,
  dcsaBookingReferenceParams,
  dcsaBookingRequestSchema,
  dcsaBookingSchema,
  dcsaCancellationSchema,
  dcsaCreateBookingResponseSchema,
} from '../../api/dcsa-bookings.ts';
import { requireActor } from '../../app/actor.ts';
import {
  cancelDcsaBooking,
  createDcsaBooking,
  getDcsaBooking,
  updateDcsaBooking,
  type DcsaBookingDeps,
} from '../../app/dcsa-bookings.ts';
import { AppError } from '../../app/errors.ts';
import { bkgProblems } from '../dcsa.ts';
import type { App, HttpDeps } from '../context.ts';
import { security } from '../route-docs.ts';

/** DCSA Booking 2.0 (`/v2/bookings`) over the platform's bookings. */
export function dcsaBookingRoutes(app: App, deps: HttpDeps): void {
  const writeLimit = { rateLimit: { max: deps.rateLimits.writePerMinute, timeWindow: 60_000 } };
  const bookingDeps = (): DcsaBookingDeps => {
    const { dcsaRequests } = deps.bookings;
    if (!dcsaRequests) throw new AppError('not_found', 'Booking 2.0 is not served here');
    return { ...deps.bookings, dcsaRequests };
  };

  app.post(
    '/v2/bookings',
    {
      config: writeLimit,
      schema: {
        tags: ['bookings'],
        summary: 'DCSA Booking 2.0: book an itinerary of a plan',
        description:
          'contractQuotationReference is the plan id (pln_…), a references entry of type CR the itinerary id (it_…); requestedEquipments the containers (ISO 6346 codes). 202 with the carrierBookingRequestReference; the booking is RECEIVED at once (GET it). Errors are the DCSA error object.',
        security,
        body: dcsaBookingRequestSchema,
        response: { 202: dcsaCreateBookingResponseSchema, ...bkgProblems },
      },
    },
    async (request, reply) => {
      const reference = await createDcsaBooking(
        bookingDeps(),
        requireActor(request.actor),
        request.body,
      );
      return reply.code(202).send({ carrierBookingRequestReference: reference });
    },
  );

  app.get(
    '/v2/bookings/:bookingReference',
    {
      schema: {
        tags: ['bookings'],
        summary: 'DCSA Booking 2.0: a booking, as requested, with its status',
        description:
          'bookingStatus, with amendedBookingStatus while an amendment of the CONFIRMED booking exists (AMENDMENT_RECEIVED while its carriers decide; the booking stays CONFIRMED on its terms) and bookingCancellationStatus once its cancellation was asked (CANCELLATION_RECEIVED while its carriers decide).',
        security,
        params: dcsaBookingReferenceParams,
        querystring: dcsaBookingQuerySchema,
        response: { 200: dcsaBookingSchema, ...bkgProblems },
      },
    },
    async (request) =>
      getDcsaBooking(
        bookingDeps(),
        requireActor(request.actor),
        request.params.bookingReference,
        request.query.amendedContent === 'true',
      ),
  );

  app.put(
    '/v2/bookings/:bookingReference',
    {
      config: writeLimit,
      schema: {
        tags: ['bookings'],
        summary: 'DCSA Booking 2.0: update or amend a booking (its containers); 202, no body',
        security,
        params: dcsaBookingReferenceParams,
        body: dcsaBookingRequestSchema,
        response: { 202: z.null(), ...bkgProblems },
      },
    },
    async (request, reply) => {
      await updateDcsaBooking(
        bookingDeps(),
        requireActor(request.actor),
        request.params.bookingReference,
        request.body,
      );
      return reply.code(202).send(null);
    },
  );

  app.patch(
    '/v2/bookings/:bookingReference',
    {
      config: writeLimit,
      schema: {
        tags: ['bookings'],
        summary: 'DCSA Booking 2.0: cancel a booking request, a confirmed booking or an amendment',
        security,
        params: dcsaBookingReferenceParams,
        body: dcsaCancellationSchema,
        response: { 202: z.null(), ...bkgProblems },
      },
    },
    async (request, reply) => {
      await cancelDcsaBooking(
        bookingDeps(),
        requireActor(request.actor),
        request.params.bookingReference,
        request.body,
      );
      return reply.code(202).send(null);
    },
  );
}
