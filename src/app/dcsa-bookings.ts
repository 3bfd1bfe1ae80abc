import { CONTAINER_CODES, type ContainerCode } from '../core/shared/cargo.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import { amendBooking, cancelBooking, withdrawAmendment } from './booking-amendments.ts';
import {
  CONFIRMED_STATES,
  createBooking,
  type Booking,
  type BookingDeps,
  type BookingRequest,
} from './bookings.ts';
import { AppError, type FieldError } from './errors.ts';
import type { DcsaBookingRequestStore } from './dcsa-booking-ports.ts';

/**
 * DCSA Booking 2.0 (`/v2/bookings`) over the platform's bookings. A Booking 2.0 request names
 * what to book through fields the spec has: `contractQuotationReference` is the id of a kept plan
 * (`pln_…`, the platform's quotation: its price, arrival and CO2e) and a `references` entry of
 * type `CR` whose value is an itinerary id of that plan (`it_…`); `requestedEquipments` are the
 * containers (ISO 6346 size-type or type-group codes, `units`, gross weight from the commodities'
 * `cargoGrossWeight` shared over the units); a commodity with `dangerousGoods` makes the booking
 * hazardous. The `carrierBookingRequestReference` is the platform's booking id; once confirmed
 * the same id is the `carrierBookingReference`. Every field of the request is kept and read back.
 */

/** The contract version of the Booking API served. */
export const BKG_VERSION = '2.0.0';

export interface DcsaBookingDeps extends BookingDeps {
  dcsaRequests: DcsaBookingRequestStore;
}

/** A Booking 2.0 request as far as the platform reads it; the rest is kept as sent. */
export interface DcsaBookingRequest {
  contractQuotationReference?: string | undefined;
  references?: readonly { type: string; value: string }[] | undefined;
  requestedEquipments: readonly {
    ISOEquipmentCode: string;
    units: number;
    commodities?:
      | readonly {
          cargoGrossWeight?: { value: number; unit: string } | undefined;
          outerPackaging?: { dangerousGoods?: readonly unknown[] | undefined } | undefined;
        }[]
      | undefined;
  }[];
  [key: string]: unknown;
}

/** ISO 6346 size-type codes, and the type groups of DCSA's examples, as the platform's containers. */
const ISO_CODES: Record<string, ContainerCode> = {
  ...Object.fromEntries(
    Object.entries(CONTAINER_CODES).map(([code, c]) => [c.isoType, code as ContainerCode]),
  ),
  '22GP': '20GP',
  '42GP': '40GP',
  '45GP': '40HC',
  L5GP: '45HC',
  '22RT': '20RF',
  '45RT': '40RF',
};

const KG_PER_LB = 0.45359237;

/** The platform's booking request a Booking 2.0 request makes, or the fields it cannot read. */
export function platformRequest(request: DcsaBookingRequest): BookingRequest {
  const errors: FieldError[] = [];
  const planId = request.contractQuotationReference;
  if (planId === undefined || !planId.startsWith('pln_'))
    errors.push({
      path: 'body.contractQuotationReference',
      message: 'the id of a plan from POST /v1/plans (pln_…), the quotation booked',
    });
  const itinerary = (request.references ?? []).findIndex(
    (r) => r.type === 'CR' && r.value.startsWith('it_'),
  );
  if (itinerary < 0)
    errors.push({
      path: 'body.references',
      message: 'a reference of type CR whose value is the itinerary id in the plan (it_…)',
    });
  const containers = request.requestedEquipments.map((e, i) => {
    const type = ISO_CODES[e.ISOEquipmentCode];
    if (!type)
      errors.push({
        path: `body.requestedEquipments[${i}].ISOEquipmentCode`,
        message: `${e.ISOEquipmentCode} is not carried; one of ${Object.keys(ISO_CODES).join(', ')}`,
      });
    const kg = (e.commodities ?? []).reduce((sum, c) => {
      const w = c.cargoGrossWeight;
      if (!w) return sum;
      return sum + (w.unit === 'LBR' ? w.value * KG_PER_LB : w.value);
    }, 0);
    return {
      type: type ?? '20GP',
      count: e.units,
      ...(kg > 0 ? { grossKg: Math.round(kg / e.units) } : {}),
    };
  });
  if (errors.length > 0) throw new AppError('invalid_data', errors[0]!.message, errors);
  const hazardous = request.requestedEquipments.some((e) =>
    (e.commodities ?? []).some((c) => (c.outerPackaging?.dangerousGoods?.length ?? 0) > 0),
  );
  return {
    planId,
    itineraryId: request.references![itinerary]!.value,
    containers,
    hazardous,
  };
}

/** Books a Booking 2.0 request; its carrierBookingRequestReference. */
export async function createDcsaBooking(
  deps: DcsaBookingDeps,
  actor: Actor,
  request: DcsaBookingRequest,
  id?: string,
): Promise<string> {
  const booking = await createBooking(deps, actor, platformRequest(request), id).catch(
    (e: unknown) => {
      throw asRequestFields(e);
    },
  );
  await deps.dcsaRequests.save(booking.id, request, deps.clock.now());
  return booking.id;
}

/** A refusal of the platform's booking named by the Booking 2.0 fields that gave its input. */
function asRequestFields(e: unknown): unknown {
  if (!(e instanceof AppError)) return e;
  const field = (path: string) =>
    path.startsWith('body.rides') || path === 'body.itineraryId'
      ? 'body.references'
      : path === 'body.planId'
        ? 'body.contractQuotationReference'
        : path === 'body.containers'
          ? 'body.requestedEquipments'
          : path;
  return new AppError(
    e.type,
    e.message,
    e.errors.map((x) => ({ ...x, path: field(x.path) })),
    e.retryAfterSeconds,
  );
}

/**
 * A booking made through Booking 2.0, with its request, for its booking organisation only. Once an
 * amendment is confirmed, the amendment is the booking's request.
 */
async function ownDcsaBooking(deps: DcsaBookingDeps, actor: Actor, reference: string) {
  const booking = await deps.bookings.find(reference);
  const request = booking && (await deps.dcsaRequests.find(booking.id));
  if (
    !booking ||
    !request ||
    (booking.organisationId !== actor.organisationId && !isPlatformAdmin(actor))
  )
    throw new AppError('not_found', `no booking ${reference}`, [
      { path: 'path.bookingReference', message: 'no such booking of yours' },
    ]);
  const amended = booking.amendment ? await deps.dcsaRequests.findAmended(booking.id) : undefined;
  return {
    booking,
    request: booking.amendment?.status === 'AMENDMENT_CONFIRMED' && amended ? amended : request,
    amended,
  };
}

/** Whether the booking was confirmed at some point (then it has a carrierBookingReference). */
function wasConfirmed(booking: Booking): boolean {
  return (
    booking.state === 'CONFIRMED' ||
    booking.state === 'PENDING_AMENDMENT' ||
    booking.state === 'COMPLETED' ||
    booking.state === 'DECLINED' ||
    booking.cancellation !== null ||
    booking.amendment !== null ||
    (booking.rides.length > 0 && booking.rides.every((r) => r.state !== 'REQUESTED'))
  );
}

/** A booking as Booking 2.0 gives it. */
export interface DcsaBookingView {
  carrierBookingRequestReference: string;
  carrierBookingReference?: string;
  bookingStatus: string;
  [field: string]: unknown;
}

/** The Booking 2.0 view of a booking: the request as sent, its references and status. */
export function dcsaBookingView(
  booking: Booking,
  request: Record<string, unknown>,
): DcsaBookingView {
  return {
    ...request,
    carrierBookingRequestReference: booking.id,
    ...(wasConfirmed(booking) && booking.state !== 'REJECTED'
      ? { carrierBookingReference: booking.id }
      : {}),
    bookingStatus: booking.state,
    ...(booking.amendment ? { amendedBookingStatus: booking.amendment.status } : {}),
    ...(booking.cancellation ? { bookingCancellationStatus: booking.cancellation.status } : {}),
    ...(booking.reason || booking.amendment?.reason || booking.notices.length > 0
      ? {
          feedbacks: [
            ...[booking.reason, booking.amendment?.reason]
              .filter((m): m is string => !!m)
              .map((message) => ({ severity: 'INFO', code: 'INFORMATIONAL_MESSAGE', message })),
            ...booking.notices.map((n) => ({
              severity: 'INFO',
              code: 'INFORMATIONAL_MESSAGE',
              message: n,
            })),
          ],
        }
      : {}),
  };
}

/**
 * GET /v2/bookings/{reference}: the booking as confirmed (or requested); with `amendedContent`,
 * the latest amendment sent for it (not found when none was, or while PENDING_AMENDMENT until the
 * amendment its carrier asked for is sent).
 */
export async function getDcsaBooking(
  deps: DcsaBookingDeps,
  actor: Actor,
  reference: string,
  amendedContent = false,
): Promise<DcsaBookingView> {
  const { booking, request, amended } = await ownDcsaBooking(deps, actor, reference);
  if (!amendedContent) return dcsaBookingView(booking, request);
  if (!amended)
    throw new AppError('not_found', `booking ${reference} has no amendment`, [
      { path: 'query.amendedContent', message: 'no amendment was sent for this booking' },
    ]);
  if (booking.state === 'PENDING_AMENDMENT' && booking.amendment?.status !== 'AMENDMENT_RECEIVED')
    throw new AppError(
      'not_found',
      `booking ${reference} is PENDING_AMENDMENT: its carrier asked for an amendment, none was sent yet`,
      [
        {
          path: 'query.amendedContent',
          message: 'no amendment sent since the carrier asked for one',
        },
      ],
    );
  return dcsaBookingView(booking, amended);
}

/**
 * PUT /v2/bookings/{reference}: the booking's containers (and hazardous cargo) as the request now
 * gives them; the itinerary stays (another plan or itinerary: 409, book it and cancel this one).
 * Before confirmation the booking is updated at once and is UPDATE_RECEIVED for its carriers. A
 * CONFIRMED (or PENDING_AMENDMENT) booking stays so on its request while the amendment (amendedBookingStatus AMENDMENT_RECEIVED, read with
 * `amendedContent=true`) waits for its carriers.
 */
export async function updateDcsaBooking(
  deps: DcsaBookingDeps,
  actor: Actor,
  reference: string,
  request: DcsaBookingRequest,
): Promise<void> {
  const { booking, request: current } = await ownDcsaBooking(deps, actor, reference);
  const wanted = platformRequest(request);
  if (
    booking.promise &&
    (wanted.planId !== booking.promise.planId || wanted.itineraryId !== booking.promise.itineraryId)
  )
    throw new AppError(
      'conflict',
      `the booking is of itinerary ${booking.promise.itineraryId} of plan ${booking.promise.planId}; book another itinerary and cancel this booking`,
      [{ path: 'body.contractQuotationReference', message: 'not the plan booked' }],
    );
  const now = deps.clock.now();
  const after = await amendBooking(deps, actor, booking.id, {
    containers: wanted.containers,
    hazardous: wanted.hazardous,
  });
  if (!CONFIRMED_STATES.includes(booking.state)) {
    await deps.dcsaRequests.save(booking.id, request, now);
    return;
  }
  // A confirmed earlier amendment became the request; this one waits beside it.
  if (booking.amendment?.status === 'AMENDMENT_CONFIRMED' && current !== undefined)
    await deps.dcsaRequests.save(booking.id, current, now);
  await deps.dcsaRequests.saveAmended(booking.id, request, now);
  // Carriers that confirm automatically may have confirmed it at once.
  if (after.amendment?.status === 'AMENDMENT_CONFIRMED') {
    await deps.dcsaRequests.save(booking.id, request, now);
  }
}

/** The PATCH body of Booking 2.0: one of the three cancellations. */
export interface DcsaCancellation {
  bookingStatus?: string | undefined;
  amendedBookingStatus?: string | undefined;
  bookingCancellationStatus?: string | undefined;
  reason?: string | undefined;
}

/**
 * PATCH /v2/bookings/{reference}: `bookingStatus: CANCELLED` cancels a booking not yet
 * confirmed; `bookingCancellationStatus: CANCELLATION_RECEIVED` asks to cancel a confirmed one
 * (it stays CONFIRMED until its carriers decide); `amendedBookingStatus: AMENDMENT_CANCELLED`
 * withdraws an amendment waiting for its carriers (404 when none waits).
 */
export async function cancelDcsaBooking(
  deps: DcsaBookingDeps,
  actor: Actor,
  reference: string,
  cancellation: DcsaCancellation,
): Promise<void> {
  const { booking } = await ownDcsaBooking(deps, actor, reference);
  if (cancellation.bookingStatus !== undefined) {
    if (CONFIRMED_STATES.includes(booking.state))
      throw new AppError(
        'conflict',
        `the booking is ${booking.state}: ask for its cancellation with bookingCancellationStatus CANCELLATION_RECEIVED`,
        [{ path: 'body.bookingStatus', message: `not while ${booking.state}` }],
      );
    await cancelBooking(deps, actor, booking.id, cancellation.reason ?? null);
    return;
  }
  if (cancellation.bookingCancellationStatus !== undefined) {
    if (!CONFIRMED_STATES.includes(booking.state))
      throw new AppError(
        'conflict',
        `the booking is ${booking.state}: only a CONFIRMED (or PENDING_AMENDMENT) booking's cancellation is asked; cancel a booking request with bookingStatus CANCELLED`,
        [{ path: 'body.bookingCancellationStatus', message: `not while ${booking.state}` }],
      );
    await cancelBooking(deps, actor, booking.id, cancellation.reason ?? null);
    return;
  }
  await withdrawAmendment(deps, actor, booking.id);
}
