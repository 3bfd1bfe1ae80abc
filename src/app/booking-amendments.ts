import type { ContainerCode } from '../core/shared/cargo.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import { carrierRide, withDecision } from './booking-rides.ts';
import { announceBooking } from './booking-webhooks.ts';
import {
  CONFIRMED_STATES,
  prepare,
  requireOperators,
  getBooking,
  servicesOf,
  type Booking,
  type BookingAmendment,
  type BookingUpdate,
  type BookingDeps,
  type BookingRide,
  type CancellationRequest,
  type NewBooking,
  UNCONFIRMED_STATES,
} from './bookings.ts';
import { refusalMessage, tripLegs } from './capacity.ts';
import { departureLabel } from '../core/network/departure-label.ts';
import type { LegSpec } from './capacity-ports.ts';
import { AppError } from './errors.ts';

/**
 * Changes the booking party asks for and their carriers decide: amendments and cancellations.
 * Before confirmation both take effect at once (an updated booking is UPDATE_RECEIVED for its
 * carriers to decide again, a cancelled one CANCELLED). A CONFIRMED (or PENDING_AMENDMENT: a
 * carrier asked for an amendment) booking stays so, with its confirmed capacity, while an
 * amendment or a cancellation request waits beside it for every ride's carrier (DCSA Booking 2.0:
 * `amendedBookingStatus` and `bookingCancellationStatus`). Each decision is written with its
 * capacity change in one transaction.
 */

type AmendmentChange = {
  rides?: NewBooking['rides'] | undefined;
  containers?: NewBooking['containers'] | undefined;
  hazardous?: boolean | undefined;
};

/** The booking if the actor's organisation made it (or a platform admin asks), else not found. */
async function ownBooking(deps: BookingDeps, actor: Actor, id: string): Promise<Booking> {
  const booking = await deps.bookings.find(id);
  if (!booking || (booking.organisationId !== actor.organisationId && !isPlatformAdmin(actor)))
    throw new AppError('not_found', `no booking ${id}`);
  return booking;
}

/**
 * The booking organisation amends a booking (containers and/or rides, e.g. another date).
 *
 * RECEIVED, PENDING_UPDATE or UPDATE_RECEIVED (DCSA UseCase 3, an update): the new capacity is
 * taken and the old given back in one transaction, and the booking is UPDATE_RECEIVED for its
 * carriers to confirm or decline again.
 *
 * CONFIRMED or PENDING_AMENDMENT (UseCase 7, an amendment): the amendment waits beside the booking
 * (AMENDMENT_RECEIVED), which stays as it is on its terms; what the amendment needs beyond them is held additionally on each leg (1 → 2 ×
 * 40HC holds 2 TEU more), for the hold time. A later amendment replaces a waiting one. Rides whose
 * carrier confirms automatically are confirmed at once.
 *
 * Either way, an amendment that does not fit changes nothing (conflict, naming the leg).
 */
export async function amendBooking(
  deps: BookingDeps,
  actor: Actor,
  id: string,
  change: AmendmentChange,
): Promise<Booking> {
  const current = await ownBooking(deps, actor, id);
  if (!UNCONFIRMED_STATES.includes(current.state) && !CONFIRMED_STATES.includes(current.state))
    throw new AppError('conflict', `the booking is ${current.state} and can no longer be amended`);
  const { containers, hazardous, legs, rides, teu } = prepare(deps, {
    rides:
      change.rides ??
      current.rides.map((r) => ({ tripId: r.tripId, from: r.fromNodeId, to: r.toNodeId })),
    containers:
      change.containers ??
      current.containers.map((c) => ({
        type: c.type as ContainerCode,
        count: c.count,
        grossKg: c.grossKg,
      })),
    hazardous: change.hazardous ?? current.hazardous,
  });
  if (change.rides) await requireOperators(deps, rides);
  const now = deps.clock.now();
  const terms = {
    containers: containers.map((c) => ({ type: c.code, count: c.count, grossKg: c.grossKg })),
    teu,
    hazardous,
    holdId: deps.secrets.id('hld'),
    holdExpiresAt: new Date(now.getTime() + deps.holdMinutes * 60_000),
    // Other rides are no longer the itinerary the plan promised.
    promise: change.rides ? null : current.promise,
  };
  if (CONFIRMED_STATES.includes(current.state))
    return amendConfirmed(deps, actor, current.id, { ...terms, rides }, legs);
  const changed = await deps.bookings.change(id, (latest) => {
    if (latest.state !== current.state)
      throw new AppError('conflict', 'the booking changed meanwhile; fetch it and amend again');
    return {
      booking: {
        ...latest,
        ...terms,
        state: 'UPDATE_RECEIVED',
        reason: null,
        notices: [...latest.notices, `amended at ${now.toISOString()}`],
        // The amendment is the booking party's answer to what needed its attention.
        attention: [],
        updatedAt: now,
        rides,
      },
      ridesChanged: true,
      capacity: {
        cancel: [latest.holdId],
        hold: { holdId: terms.holdId, legs, teu, expiresAt: terms.holdExpiresAt },
      },
    };
  });
  if (!changed) throw new AppError('not_found', `no booking ${id}`);
  if (!changed.decision.ok) {
    const message = `${refusalMessage(deps.network, changed.decision)}; the booking is unchanged`;
    throw new AppError('conflict', message, [{ path: 'body', message }]);
  }
  await announceBooking(deps, changed.booking, 'amended');
  return changed.booking;
}

/** An amendment of a CONFIRMED booking, held beside it (see amendBooking). */
async function amendConfirmed(
  deps: BookingDeps,
  actor: Actor,
  id: string,
  terms: Pick<
    BookingAmendment,
    'containers' | 'teu' | 'hazardous' | 'holdId' | 'holdExpiresAt' | 'promise' | 'rides'
  >,
  legs: readonly LegSpec[],
): Promise<Booking> {
  const now = deps.clock.now();
  const auto = await deps.organisations.autoConfirming(terms.rides.map((r) => r.serviceId));
  const changed = await deps.bookings.change(id, (current) => {
    if (!CONFIRMED_STATES.includes(current.state))
      throw new AppError('conflict', `the booking is ${current.state}; amend it again`);
    if (current.cancellation?.status === 'CANCELLATION_RECEIVED')
      throw new AppError(
        'conflict',
        'the booking waits for its carriers to decide its cancellation; it cannot be amended meanwhile',
      );
    const replaced = current.amendment?.status === 'AMENDMENT_RECEIVED' ? current.amendment : null;
    return {
      booking: {
        ...current,
        amendment: {
          ...terms,
          status: 'AMENDMENT_RECEIVED',
          rides: terms.rides.map((r) => {
            const carrier = auto.get(r.serviceId);
            return carrier
              ? { ...r, state: 'CONFIRMED', decidedBy: `${carrier} (automatic)`, decidedAt: now }
              : r;
          }),
          reason: null,
          receivedAt: now,
          decidedAt: null,
        },
        notices: [...current.notices, `amendment received at ${now.toISOString()}`],
        attention: [],
        updatedAt: now,
      },
      capacity: {
        cancel: replaced ? [replaced.holdId] : [],
        holdExtra: {
          holdId: terms.holdId,
          beyondHoldId: current.holdId,
          legs,
          teu: terms.teu,
          expiresAt: terms.holdExpiresAt,
        },
      },
    };
  });
  if (!changed) throw new AppError('not_found', `no booking ${id}`);
  if (!changed.decision.ok) {
    const message = `${refusalMessage(deps.network, changed.decision)}; the booking is unchanged`;
    throw new AppError('conflict', message, [{ path: 'body', message }]);
  }
  await announceBooking(deps, changed.booking, 'amended');
  if (changed.booking.amendment!.rides.every((r) => r.state === 'CONFIRMED'))
    await settleAmendment(deps, id, null);
  return getBooking(deps, actor, id);
}

/** The legs an amendment's rides take, from the timetable; conflict when a departure is gone. */
function amendmentLegs(deps: BookingDeps, rides: readonly BookingRide[]): LegSpec[] {
  return rides.flatMap((r) => {
    const legs = tripLegs(deps.network, r.tripId);
    const board = legs?.findIndex((l) => l.fromNodeId === r.fromNodeId) ?? -1;
    const alight = legs?.findIndex((l) => l.toNodeId === r.toNodeId) ?? -1;
    if (!legs || board < 0 || alight < board)
      throw new AppError(
        'conflict',
        `the ${departureLabel(r.tripId, deps.network)} no longer runs from ${deps.network.nodes.get(r.fromNodeId)?.name ?? r.fromNodeId} to ${deps.network.nodes.get(r.toNodeId)?.name ?? r.toNodeId}; the amendment cannot be confirmed`,
      );
    return legs.slice(board, alight + 1);
  });
}

/**
 * Decides a waiting amendment once its rides are decided (the booking is CONFIRMED after, also
 * when a carrier had asked for the amendment): every ride confirmed, the booking takes
 * the amendment's terms and its capacity is moved to them (the old terms and the extra hold given
 * back, the new terms taken confirmed, in one transaction); `declinedBy` set, the amendment is
 * declined and its extra capacity given back, the booking unchanged. Undefined when no amendment
 * was waiting (or the new terms no longer fit).
 */
async function settleAmendment(
  deps: BookingDeps,
  id: string,
  declinedBy: string | null,
  reason?: string,
): Promise<Booking | undefined> {
  const now = deps.clock.now();
  const newHold = deps.secrets.id('hld');
  let settled = false;
  const changed = await deps.bookings.change(id, (current): BookingUpdate => {
    const a = current.amendment;
    if (!CONFIRMED_STATES.includes(current.state) || a?.status !== 'AMENDMENT_RECEIVED')
      return { booking: current };
    settled = true;
    // The carrier's request for an amendment is answered either way.
    const answered =
      current.state === 'PENDING_AMENDMENT'
        ? { state: 'CONFIRMED' as const, reason: null }
        : { state: current.state };
    if (declinedBy !== null)
      return {
        booking: {
          ...current,
          ...answered,
          amendment: {
            ...a,
            status: 'AMENDMENT_DECLINED',
            reason: reason ?? `${declinedBy} declined the amendment`,
            decidedAt: now,
          },
          updatedAt: now,
        },
        capacity: { cancel: [a.holdId] },
      };
    return {
      booking: {
        ...current,
        ...answered,
        containers: a.containers,
        teu: a.teu,
        hazardous: a.hazardous,
        promise: a.promise,
        holdId: newHold,
        rides: a.rides,
        amendment: { ...a, status: 'AMENDMENT_CONFIRMED', decidedAt: now },
        notices: [...current.notices, `amendment confirmed at ${now.toISOString()}`],
        updatedAt: now,
      },
      ridesChanged: true,
      capacity: {
        cancel: [current.holdId, a.holdId],
        takeConfirmed: { holdId: newHold, legs: amendmentLegs(deps, a.rides), teu: a.teu },
      },
    };
  });
  if (!changed?.decision.ok || !settled) return undefined;
  await announceBooking(
    deps,
    changed.booking,
    declinedBy === null ? 'amendment_confirmed' : 'amendment_declined',
  );
  return changed.booking;
}

/**
 * A carrier confirms or declines its ride of an amendment waiting beside a CONFIRMED booking. One
 * decline declines the amendment (the booking stays CONFIRMED on its terms, the extra capacity goes
 * back); every ride confirmed, the booking takes the amendment's terms.
 */
export async function decideAmendmentRide(
  deps: BookingDeps,
  actor: Actor,
  id: string,
  rideIndex: number,
  decision: 'CONFIRMED' | 'DECLINED',
): Promise<Booking> {
  const booking = await deps.bookings.find(id);
  const ride = booking?.amendment?.rides.find((r) => r.rideIndex === rideIndex);
  const own = new Set(await servicesOf(deps, actor));
  if (!booking || !ride || !own.has(ride.serviceId))
    throw new AppError(
      'not_found',
      `no ride ${rideIndex} of an amendment of booking ${id} on your services`,
    );
  const now = deps.clock.now();
  const changed = await deps.bookings.change(id, (current) => {
    const a = current.amendment;
    if (!CONFIRMED_STATES.includes(current.state) || a?.status !== 'AMENDMENT_RECEIVED')
      throw new AppError(
        'conflict',
        `the booking has no amendment waiting (${a?.status ?? 'none asked'}); nothing to decide`,
      );
    return {
      booking: {
        ...current,
        amendment: {
          ...a,
          rides: withDecision(
            a.rides,
            rideIndex,
            decision,
            actor,
            now,
            `ride ${rideIndex} of the amendment is already decided`,
          ),
        },
        updatedAt: now,
      },
    };
  });
  const a = changed?.booking.amendment;
  if (decision === 'DECLINED')
    await settleAmendment(
      deps,
      id,
      ride.serviceId,
      `${ride.serviceId} declined ride ${rideIndex} of the amendment`,
    );
  else if (a?.rides.every((r) => r.state === 'CONFIRMED')) await settleAmendment(deps, id, null);
  return getBooking(deps, actor, id);
}

/**
 * The booking organisation withdraws the amendment waiting beside its CONFIRMED booking
 * (AMENDMENT_CANCELLED): the extra capacity goes back, the booking stays as confirmed. Not found
 * when no amendment waits.
 */
export async function withdrawAmendment(
  deps: BookingDeps,
  actor: Actor,
  id: string,
): Promise<Booking> {
  await ownBooking(deps, actor, id);
  const now = deps.clock.now();
  const changed = await deps.bookings.change(id, (current) => {
    const a = current.amendment;
    if (!CONFIRMED_STATES.includes(current.state) || a?.status !== 'AMENDMENT_RECEIVED')
      throw new AppError('not_found', 'the booking has no amendment waiting for its carriers', [
        { path: 'body.amendedBookingStatus', message: 'no amendment received' },
      ]);
    return {
      booking: {
        ...current,
        amendment: {
          ...a,
          status: 'AMENDMENT_CANCELLED',
          reason: 'withdrawn by the booking party',
          decidedAt: now,
        },
        updatedAt: now,
      },
      capacity: { cancel: [a.holdId] },
    };
  });
  await announceBooking(deps, changed!.booking, 'amendment_cancelled');
  return changed!.booking;
}

/**
 * The booking organisation cancels. Before confirmation (RECEIVED, PENDING_UPDATE, UPDATE_RECEIVED)
 * it is at once: CANCELLED, the held capacity given back. A CONFIRMED or PENDING_AMENDMENT booking
 * gets a cancellation request
 * (CANCELLATION_RECEIVED): it stays CONFIRMED with its capacity until every ride's carrier confirms
 * the cancellation (CANCELLED, capacity released) or one declines it. Rides whose carrier confirms
 * automatically confirm the cancellation at once.
 */
export async function cancelBooking(
  deps: BookingDeps,
  actor: Actor,
  id: string,
  reason: string | null = null,
): Promise<Booking> {
  const booking = await ownBooking(deps, actor, id);
  const now = deps.clock.now();
  if (CONFIRMED_STATES.includes(booking.state)) {
    const auto = await deps.organisations.autoConfirming(booking.rides.map((r) => r.serviceId));
    const changed = await deps.bookings.change(id, (current) => {
      if (!CONFIRMED_STATES.includes(current.state))
        throw new AppError('conflict', `the booking is ${current.state}; cancel it again`);
      if (current.cancellation?.status === 'CANCELLATION_RECEIVED')
        throw new AppError(
          'conflict',
          'its cancellation was asked already and waits for its carriers',
        );
      const request: CancellationRequest = {
        status: 'CANCELLATION_RECEIVED',
        reason,
        rides: current.rides.map((r) => {
          const carrier = auto.get(r.serviceId);
          return {
            rideIndex: r.rideIndex,
            serviceId: r.serviceId,
            state: carrier ? 'CONFIRMED' : 'REQUESTED',
            decidedBy: carrier ? `${carrier} (automatic)` : null,
            decidedAt: carrier ? now : null,
          };
        }),
        receivedAt: now,
        decidedAt: null,
      };
      return { booking: { ...current, cancellation: request, updatedAt: now } };
    });
    await announceBooking(deps, changed!.booking, 'cancellation_received');
    if (changed!.booking.cancellation!.rides.every((r) => r.state === 'CONFIRMED'))
      return (await settleCancellation(deps, id, null)) ?? changed!.booking;
    return changed!.booking;
  }
  if (
    !(await deps.bookings.setState(
      id,
      UNCONFIRMED_STATES,
      'CANCELLED',
      reason ?? 'cancelled by the booking party',
      now,
      { cancel: [booking.holdId] },
    ))
  )
    throw new AppError(
      'conflict',
      `the booking is ${booking.state} and can no longer be cancelled`,
    );
  const cancelled = (await deps.bookings.find(id))!;
  await announceBooking(deps, cancelled, 'cancelled');
  return cancelled;
}

/**
 * Decides a cancellation request: `declinedBy` null, the booking is CANCELLED and its capacity
 * (and a waiting amendment's) given back in one transaction; else the request is declined and
 * the booking stays CONFIRMED.
 */
async function settleCancellation(
  deps: BookingDeps,
  id: string,
  declinedBy: string | null,
  reason?: string,
): Promise<Booking | undefined> {
  const now = deps.clock.now();
  let settled = false;
  const changed = await deps.bookings.change(id, (current): BookingUpdate => {
    const c = current.cancellation;
    if (!CONFIRMED_STATES.includes(current.state) || c?.status !== 'CANCELLATION_RECEIVED')
      return { booking: current };
    settled = true;
    if (declinedBy !== null)
      return {
        booking: {
          ...current,
          cancellation: {
            ...c,
            status: 'CANCELLATION_DECLINED',
            reason: reason ?? `${declinedBy} declined the cancellation`,
            decidedAt: now,
          },
          updatedAt: now,
        },
      };
    const waiting = current.amendment?.status === 'AMENDMENT_RECEIVED' ? current.amendment : null;
    return {
      booking: {
        ...current,
        state: 'CANCELLED',
        reason: c.reason ?? 'cancelled by the booking party',
        cancellation: { ...c, status: 'CANCELLATION_CONFIRMED', decidedAt: now },
        amendment: waiting
          ? { ...waiting, status: 'AMENDMENT_CANCELLED', decidedAt: now }
          : current.amendment,
        updatedAt: now,
      },
      capacity: { cancel: [current.holdId, ...(waiting ? [waiting.holdId] : [])] },
    };
  });
  if (!changed || !settled) return undefined;
  await announceBooking(
    deps,
    changed.booking,
    declinedBy === null ? 'cancelled' : 'cancellation_declined',
  );
  return changed.booking;
}

/**
 * A carrier confirms or declines the cancellation of its ride of a CONFIRMED booking whose
 * cancellation was asked. Every ride confirmed: CANCELLED, capacity released; one declined: the
 * booking stays CONFIRMED (CANCELLATION_DECLINED).
 */
export async function decideCancellationRide(
  deps: BookingDeps,
  actor: Actor,
  id: string,
  rideIndex: number,
  decision: 'CONFIRMED' | 'DECLINED',
): Promise<Booking> {
  const { ride } = await carrierRide(deps, actor, id, rideIndex);
  const now = deps.clock.now();
  const changed = await deps.bookings.change(id, (current) => {
    const c = current.cancellation;
    if (!CONFIRMED_STATES.includes(current.state) || c?.status !== 'CANCELLATION_RECEIVED')
      throw new AppError(
        'conflict',
        `the booking's cancellation is not waiting (${c?.status ?? 'none asked'}); nothing to decide`,
      );
    return {
      booking: {
        ...current,
        cancellation: {
          ...c,
          rides: withDecision(
            c.rides,
            rideIndex,
            decision,
            actor,
            now,
            `the cancellation of ride ${rideIndex} is already decided`,
          ),
        },
        updatedAt: now,
      },
    };
  });
  if (decision === 'DECLINED')
    await settleCancellation(
      deps,
      id,
      ride.serviceId,
      `${ride.serviceId} declined the cancellation of ride ${rideIndex}`,
    );
  else if (changed?.booking.cancellation?.rides.every((r) => r.state === 'CONFIRMED'))
    await settleCancellation(deps, id, null);
  return getBooking(deps, actor, id);
}

/**
 * Declines the amendments whose hold ran out before every carrier confirmed them: the booking
 * stays CONFIRMED on its terms, the extra capacity goes back. Returns how many.
 */
export async function expireAmendments(deps: BookingDeps): Promise<number> {
  let expired = 0;
  for (const b of await deps.bookings.amendmentsDue(deps.clock.now()))
    if (
      await settleAmendment(
        deps,
        b.id,
        'the platform',
        'the hold expired before every carrier confirmed the amendment',
      )
    )
      expired++;
  return expired;
}
