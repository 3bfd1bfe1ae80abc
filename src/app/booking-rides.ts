import type { Actor } from './actor.ts';
import { announceBooking } from './booking-webhooks.ts';
import {
  CONFIRMED_STATES,
  DECIDING_STATES,
  getBooking,
  LIVE_STATES,
  servicesOf,
  type Booking,
  type BookingDeps,
} from './bookings.ts';
import { tripLegs } from './capacity.ts';
import { departureLabel } from '../core/network/departure-label.ts';
import { AppError } from './errors.ts';

/**
 * The rides with one ride's decision taken, by whom and when; a conflict (saying `decidedAlready`)
 * when that ride is decided already.
 */
export function withDecision<R extends { rideIndex: number; state: string }>(
  rides: readonly R[],
  rideIndex: number,
  decision: R['state'],
  actor: Actor,
  now: Date,
  decidedAlready: string,
): R[] {
  if (rides.find((r) => r.rideIndex === rideIndex)?.state !== 'REQUESTED')
    throw new AppError('conflict', decidedAlready);
  return rides.map((r) =>
    r.rideIndex === rideIndex ? { ...r, state: decision, decidedBy: actor.id, decidedAt: now } : r,
  );
}

/** A ride of a booking on one of the actor's services, or not found. */
export async function carrierRide(deps: BookingDeps, actor: Actor, id: string, rideIndex: number) {
  const booking = await deps.bookings.find(id);
  const ride = booking?.rides.find((r) => r.rideIndex === rideIndex);
  const own = new Set(await servicesOf(deps, actor));
  if (!booking || !ride || !own.has(ride.serviceId))
    throw new AppError('not_found', `no ride ${rideIndex} of booking ${id} on your services`);
  return { booking, ride };
}

/**
 * What carriers do with the rides booked on their services: confirm or decline them, ask for an
 * update, discontinue a confirmed booking, report a ride completed, and change or close a
 * departure.
 */

/**
 * A carrier confirms or declines its ride of a RECEIVED (or UPDATE_RECEIVED) booking. One decline REJECTS the booking
 * (DCSA: discontinued before confirmation) and frees its capacity; when every ride is confirmed the
 * booking is CONFIRMED and its capacity confirmed, each in one transaction with its state.
 */
export async function decideRide(
  deps: BookingDeps,
  actor: Actor,
  id: string,
  rideIndex: number,
  decision: 'CONFIRMED' | 'DECLINED',
): Promise<Booking> {
  const { ride } = await carrierRide(deps, actor, id, rideIndex);
  const now = deps.clock.now();
  // The ride's decision, the booking's state and its capacity: one transaction.
  const changed = await deps.bookings.change(id, (current) => {
    if (!DECIDING_STATES.includes(current.state))
      throw new AppError(
        'conflict',
        current.state === 'PENDING_UPDATE'
          ? 'the booking is PENDING_UPDATE: its party was asked to update it; its rides are decided once it is updated'
          : `the booking is ${current.state}; its rides can no longer be decided`,
      );
    const rides = withDecision(
      current.rides,
      rideIndex,
      decision,
      actor,
      now,
      `ride ${rideIndex} is already decided`,
    );
    const base = { ...current, rides, updatedAt: now };
    if (decision === 'DECLINED')
      // Stopped before it was confirmed: REJECTED in DCSA Booking 2.0 (DECLINED is after).
      return {
        booking: {
          ...base,
          state: 'REJECTED',
          reason: `${ride.serviceId} declined ride ${rideIndex}`,
        },
        ridesChanged: true,
        capacity: { cancel: [current.holdId] },
      };
    if (rides.every((r) => r.state === 'CONFIRMED'))
      return {
        booking: { ...base, state: 'CONFIRMED', reason: null },
        ridesChanged: true,
        capacity: { confirm: [current.holdId] },
      };
    return { booking: base, ridesChanged: true };
  });
  if (changed?.booking.state === 'REJECTED')
    await announceBooking(deps, changed.booking, 'rejected');
  if (changed?.booking.state === 'CONFIRMED')
    await announceBooking(deps, changed.booking, 'confirmed');
  return getBooking(deps, actor, id);
}

/**
 * The carrier of a ride discontinues a CONFIRMED (or PENDING_AMENDMENT) booking (DCSA: DECLINED, discontinued by the
 * carrier after confirmation): its capacity, and that held for a waiting amendment, go back in the
 * same transaction; the reason is kept.
 */
export async function discontinueBooking(
  deps: BookingDeps,
  actor: Actor,
  id: string,
  rideIndex: number,
  reason: string,
): Promise<Booking> {
  const { ride } = await carrierRide(deps, actor, id, rideIndex);
  const now = deps.clock.now();
  const changed = await deps.bookings.change(id, (current) => {
    if (!CONFIRMED_STATES.includes(current.state))
      throw new AppError(
        'conflict',
        `the booking is ${current.state}; only a CONFIRMED (or PENDING_AMENDMENT) booking is discontinued (decline the ride of a booking not yet confirmed)`,
      );
    const waiting = current.amendment?.status === 'AMENDMENT_RECEIVED' ? current.amendment : null;
    return {
      booking: {
        ...current,
        state: 'DECLINED',
        reason: `${ride.serviceId}: ${reason}`,
        rides: current.rides.map((r) =>
          r.rideIndex === rideIndex
            ? { ...r, state: 'DECLINED', decidedBy: actor.id, decidedAt: now }
            : r,
        ),
        amendment: waiting
          ? { ...waiting, status: 'AMENDMENT_CANCELLED', decidedAt: now }
          : current.amendment,
        updatedAt: now,
      },
      ridesChanged: true,
      capacity: { cancel: [current.holdId, ...(waiting ? [waiting.holdId] : [])] },
    };
  });
  if (changed) await announceBooking(deps, changed.booking, 'declined');
  return getBooking(deps, actor, id);
}

/**
 * A carrier changes the capacity of a departure of its own service, or closes or reopens it. A
 * closed departure takes no new bookings; the live bookings on it get a notice.
 */
export async function changeDeparture(
  deps: BookingDeps,
  actor: Actor,
  tripId: string,
  change: { capacityTeu?: number | undefined; closed?: boolean | undefined },
): Promise<void> {
  const legs = tripLegs(deps.network, tripId);
  const own = new Set(await servicesOf(deps, actor));
  if (!legs || !own.has(legs[0]!.serviceId))
    throw new AppError('not_found', `no departure ${tripId} of your services`);
  if (change.capacityTeu === undefined && change.closed === undefined)
    throw new AppError('invalid_data', 'give capacityTeu, closed or both', [
      { path: 'body', message: 'nothing to change' },
    ]);
  const decision = await deps.ledger.changeDeparture(legs, change);
  if (!decision.ok)
    throw new AppError(
      'conflict',
      `${decision.requestedTeu} TEU are booked on leg ${decision.fromNodeId}→${decision.toNodeId}: the capacity cannot go below that`,
      [{ path: 'body.capacityTeu', message: `${decision.requestedTeu} TEU are booked` }],
    );
  if (change.closed === true) {
    await deps.bookings.notify(
      tripId,
      `the ${departureLabel(tripId, deps.network)} was closed by its carrier`,
      deps.clock.now(),
    );
    for (const b of await deps.bookings.listByServices([legs[0]!.serviceId]))
      if (LIVE_STATES.includes(b.state) && b.rides.some((r) => r.tripId === tripId))
        await announceBooking(deps, b, 'schedule_changed');
  }
}

/**
 * A carrier asks the booking party to update a booking not yet confirmed (DCSA UseCase 2: other
 * containers, another date), with its reason: RECEIVED or UPDATE_RECEIVED becomes PENDING_UPDATE,
 * keeps its held capacity, and waits for an update (then UPDATE_RECEIVED) or a cancellation.
 */
export async function requestUpdate(
  deps: BookingDeps,
  actor: Actor,
  id: string,
  rideIndex: number,
  reason: string,
): Promise<Booking> {
  const { ride } = await carrierRide(deps, actor, id, rideIndex);
  const now = deps.clock.now();
  const changed = await deps.bookings.change(id, (current) => {
    if (!DECIDING_STATES.includes(current.state))
      throw new AppError(
        'conflict',
        CONFIRMED_STATES.includes(current.state)
          ? `the booking is ${current.state}; ask for an amendment of a confirmed booking with /request-amendment`
          : `the booking is ${current.state}; an update can only be asked while it is RECEIVED or UPDATE_RECEIVED`,
      );
    return {
      booking: {
        ...current,
        state: 'PENDING_UPDATE',
        reason: `${ride.serviceId}: ${reason}`,
        updatedAt: now,
      },
    };
  });
  if (changed) await announceBooking(deps, changed.booking, 'update_requested');
  return getBooking(deps, actor, id);
}

/**
 * A carrier asks the booking party to amend a CONFIRMED booking (DCSA UseCase 6), with its reason:
 * the booking is PENDING_AMENDMENT and keeps its confirmed terms and capacity. An amendment still
 * waiting beside it is declined (its extra capacity goes back): the party sends a new one, which
 * waits beside the booking (AMENDMENT_RECEIVED) for the carriers; confirmed, the booking is
 * CONFIRMED on its terms; declined, CONFIRMED on its own. None while a cancellation waits.
 */
export async function requestAmendment(
  deps: BookingDeps,
  actor: Actor,
  id: string,
  rideIndex: number,
  reason: string,
): Promise<Booking> {
  const { ride } = await carrierRide(deps, actor, id, rideIndex);
  const now = deps.clock.now();
  const changed = await deps.bookings.change(id, (current) => {
    if (current.state !== 'CONFIRMED')
      throw new AppError(
        'conflict',
        DECIDING_STATES.includes(current.state)
          ? `the booking is ${current.state}; ask for an update of a booking not yet confirmed with /request-update`
          : `the booking is ${current.state}; an amendment can only be asked while it is CONFIRMED`,
      );
    if (current.cancellation?.status === 'CANCELLATION_RECEIVED')
      throw new AppError(
        'conflict',
        'the booking waits for its carriers to decide its cancellation; decide it first',
      );
    const waiting = current.amendment?.status === 'AMENDMENT_RECEIVED' ? current.amendment : null;
    return {
      booking: {
        ...current,
        state: 'PENDING_AMENDMENT',
        reason: `${ride.serviceId}: ${reason}`,
        amendment: waiting
          ? {
              ...waiting,
              status: 'AMENDMENT_DECLINED',
              reason: `${ride.serviceId} asked for another amendment`,
              decidedAt: now,
            }
          : current.amendment,
        updatedAt: now,
      },
      capacity: waiting ? { cancel: [waiting.holdId] } : undefined,
    };
  });
  if (changed) await announceBooking(deps, changed.booking, 'amendment_requested');
  return getBooking(deps, actor, id);
}

/**
 * The carrier of a ride reports the containers carried to the ride's last stop. When every ride
 * of a CONFIRMED booking is completed, the booking is COMPLETED. A ride cannot be completed
 * before its departure.
 */
export async function completeRide(
  deps: BookingDeps,
  actor: Actor,
  id: string,
  rideIndex: number,
): Promise<Booking> {
  const { booking, ride } = await carrierRide(deps, actor, id, rideIndex);
  if (booking.state !== 'CONFIRMED')
    throw new AppError(
      'conflict',
      `the booking is ${booking.state}; only the rides of a CONFIRMED booking are completed`,
    );
  const now = deps.clock.now();
  const board = tripLegs(deps.network, ride.tripId)?.find((l) => l.fromNodeId === ride.fromNodeId);
  if (board && board.departsAt > now)
    throw new AppError(
      'conflict',
      `ride ${rideIndex} departs at ${board.departsAt.toISOString()}; it cannot be completed before it leaves`,
    );
  if (!(await deps.bookings.completeRide(id, rideIndex, now)))
    throw new AppError('conflict', `ride ${rideIndex} is ${ride.state}, not CONFIRMED`);
  const after = (await deps.bookings.find(id))!;
  if (after.rides.every((r) => r.state === 'COMPLETED'))
    await deps.bookings.setState(id, ['CONFIRMED'], 'COMPLETED', null, now);
  return getBooking(deps, actor, id);
}
