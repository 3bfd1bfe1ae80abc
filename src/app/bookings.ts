import { DEFAULT_PAGE, pageInMemory, type Page, type PageRequest } from './paging.ts';
import {
  CONTAINER_CODES,
  parseContainers,
  type ContainerCode,
  type ContainerGroup,
} from '../core/shared/cargo.ts';
import type { Network } from '../core/network/network.ts';
import { rideTariff } from '../core/pricing/tariff.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import { refusalMessage, tripLegs } from './capacity.ts';
import { AppError, type FieldError } from './errors.ts';
import type { HoldDecision } from '../core/capacity/capacity.ts';
import type { CapacityLedger, CapacityMoves, LegSpec } from './capacity-ports.ts';
import type { DcsaBookingRequestStore } from './dcsa-booking-ports.ts';
import type { Clock, PlanStore, Secrets } from './ports.ts';
import type { OrganisationStore } from './account-ports.ts';
import { announceBooking, type BookingWebhookDeps } from './booking-webhooks.ts';

/** How long a booking's capacity is held while its carriers decide. */
export const DEFAULT_HOLD_MINUTES = 30;

/** Booking states (DCSA Booking 2.0 names). */
export const BOOKING_STATES = [
  'RECEIVED',
  'PENDING_UPDATE',
  'UPDATE_RECEIVED',
  'CONFIRMED',
  'PENDING_AMENDMENT',
  'DECLINED',
  'REJECTED',
  'CANCELLED',
  'COMPLETED',
] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

/** Before confirmation: the capacity is held and the carriers decide (or the booking party updates). */
export const UNCONFIRMED_STATES: readonly BookingState[] = [
  'RECEIVED',
  'PENDING_UPDATE',
  'UPDATE_RECEIVED',
];
/** Confirmed and in force: the capacity is confirmed (PENDING_AMENDMENT: a carrier asks to amend it). */
export const CONFIRMED_STATES: readonly BookingState[] = ['CONFIRMED', 'PENDING_AMENDMENT'];
/** The bookings still to be carried. */
export const LIVE_STATES: readonly BookingState[] = [...UNCONFIRMED_STATES, ...CONFIRMED_STATES];
/** The states whose carriers decide their rides (RECEIVED, or UPDATE_RECEIVED after an update). */
export const DECIDING_STATES: readonly BookingState[] = ['RECEIVED', 'UPDATE_RECEIVED'];
export type RideState = 'REQUESTED' | 'CONFIRMED' | 'DECLINED' | 'COMPLETED';

export interface BookingRide {
  rideIndex: number;
  tripId: string;
  serviceId: string;
  fromNodeId: string;
  toNodeId: string;
  /** The version of the service the ride was booked on (GET /v1/network/services/{id}/versions/{n}). */
  serviceVersion: number;
  state: RideState;
  decidedBy: string | null;
  decidedAt: Date | null;
  /** When its carrier reported the containers carried to the ride's last stop. */
  completedAt: Date | null;
}

/** What the plan a booking was made from promised (null for bookings by explicit rides). */
export interface BookingPromise {
  planId: string;
  itineraryId: string;
  /** ISO 8601 instants. */
  arrivalP50: string;
  arrivalP90: string;
  costUsd: number;
  co2eKg: number;
}

export interface Booking {
  id: string;
  organisationId: string;
  createdBy: string;
  state: BookingState;
  containers: { type: string; count: number; grossKg: number }[];
  teu: number;
  hazardous: boolean;
  holdId: string;
  holdExpiresAt: Date;
  reason: string | null;
  /** Things the booking party must know, e.g. a departure closed by its carrier. */
  notices: string[];
  /** Why the booking needs its party's attention (e.g. a departure cancelled); empty when nothing. */
  attention: string[];
  promise: BookingPromise | null;
  /** The latest amendment of the confirmed booking, beside it until decided; null when none. */
  amendment: BookingAmendment | null;
  /** The booking party's request to cancel the confirmed booking; null when none. */
  cancellation: CancellationRequest | null;
  createdAt: Date;
  updatedAt: Date;
  rides: BookingRide[];
}

/** Where an amendment of a confirmed booking stands (DCSA Booking 2.0 `amendedBookingStatus`). */
export type AmendmentStatus =
  'AMENDMENT_RECEIVED' | 'AMENDMENT_CONFIRMED' | 'AMENDMENT_DECLINED' | 'AMENDMENT_CANCELLED';

/**
 * An amendment of a CONFIRMED booking. It waits beside the booking, which stays CONFIRMED on its
 * terms with its confirmed capacity; the capacity the amendment needs beyond those terms is held
 * under its own hold. Each ride's carrier confirms or declines its ride of the amendment: all
 * confirmed, the booking takes the amendment's terms; one declined, the booking keeps its own.
 */
export interface BookingAmendment {
  status: AmendmentStatus;
  containers: Booking['containers'];
  teu: number;
  hazardous: boolean;
  /** The rides as amended, each with its carrier's decision on the amendment. */
  rides: BookingRide[];
  /** The hold of the extra capacity (released when the amendment is decided). */
  holdId: string;
  holdExpiresAt: Date;
  promise: BookingPromise | null;
  /** Why it was declined or cancelled; null otherwise. */
  reason: string | null;
  receivedAt: Date;
  decidedAt: Date | null;
}

/** Where a request to cancel a confirmed booking stands (DCSA `bookingCancellationStatus`). */
export type CancellationStatus =
  'CANCELLATION_RECEIVED' | 'CANCELLATION_CONFIRMED' | 'CANCELLATION_DECLINED';

/**
 * The booking party asks to cancel a CONFIRMED booking: it stays CONFIRMED with its capacity until
 * every ride's carrier confirms the cancellation (then CANCELLED, capacity released) or one
 * declines it (the booking stays CONFIRMED).
 */
export interface CancellationRequest {
  status: CancellationStatus;
  reason: string | null;
  /** Each ride's carrier's decision on the cancellation. */
  rides: {
    rideIndex: number;
    serviceId: string;
    state: RideState;
    decidedBy: string | null;
    decidedAt: Date | null;
  }[];
  receivedAt: Date;
  decidedAt: Date | null;
}

/** A booking's next version and the capacity moves written with it, in one transaction. */
export interface BookingUpdate {
  booking: Booking;
  capacity?: CapacityMoves | undefined;
  /** Whether the rides changed (they are written again). */
  ridesChanged?: boolean | undefined;
}

export interface BookingStore {
  /** Holds the booking's capacity and writes the booking in one transaction, or neither. */
  createHeld(booking: Booking, legs: readonly LegSpec[]): Promise<HoldDecision>;
  find(id: string): Promise<Booking | undefined>;
  listByOrganisation(organisationId: string): Promise<Booking[]>;
  /** Bookings with a ride on one of these services, newest first. */
  listByServices(serviceIds: readonly string[]): Promise<Booking[]>;
  /** The bookings of these ids that exist. */
  findMany(ids: readonly string[]): Promise<Booking[]>;
  /**
   * Changes the state only from one of `from` (compare and set), with its capacity moves in the
   * same transaction; false (and nothing changed) when it was not in `from`.
   */
  setState(
    id: string,
    from: readonly BookingState[],
    to: BookingState,
    reason: string | null,
    at: Date,
    capacity?: CapacityMoves,
  ): Promise<boolean>;
  /**
   * Reads the booking locked, lets `decide` work out its next version (or throw an AppError to
   * change nothing), and writes it with its capacity moves in one transaction. A hold that does not
   * fit changes nothing and is returned as the refusal; undefined when there is no such booking.
   */
  change(
    id: string,
    decide: (current: Booking) => BookingUpdate,
  ): Promise<{ booking: Booking; decision: HoldDecision } | undefined>;
  /** CONFIRMED (or PENDING_AMENDMENT) bookings whose amendment, still waiting, has its hold run out at `now`. */
  amendmentsDue(now: Date): Promise<Booking[]>;
  /** Marks a CONFIRMED ride COMPLETED; false when it was not CONFIRMED. */
  completeRide(bookingId: string, rideIndex: number, at: Date): Promise<boolean>;
  /** Adds a notice to the live (LIVE_STATES) bookings with a ride on the trip; returns how many. */
  notify(tripId: string, notice: string, at: Date): Promise<number>;
  /** RECEIVED or UPDATE_RECEIVED bookings whose hold ran out at `now`. */
  dueForExpiry(now: Date): Promise<Booking[]>;
}

export interface BookingDeps extends BookingWebhookDeps {
  network: Network;
  bookings: BookingStore;
  ledger: CapacityLedger;
  plans: PlanStore;
  organisations: OrganisationStore;
  clock: Clock;
  secrets: Secrets;
  holdMinutes: number;
  /** The Booking 2.0 requests kept beside their bookings; absent: /v2/bookings is not served. */
  dcsaRequests?: DcsaBookingRequestStore | undefined;
}

type ContainersInput =
  string | readonly { type: ContainerCode; count: number; grossKg?: number | undefined }[];

export interface NewBooking {
  /** The rides of the itinerary: a trip (as the planner names it) from one of its stops to a later one. */
  rides: readonly { tripId: string; from: string; to: string }[];
  containers: ContainersInput;
  hazardous?: boolean | undefined;
}

/**
 * A booking request: explicit rides with containers, or an itinerary of a kept plan (plan id and
 * itinerary id) whose containers and hazardous flag apply unless given.
 */
export interface BookingRequest {
  rides?: NewBooking['rides'] | undefined;
  planId?: string | undefined;
  itineraryId?: string | undefined;
  containers?: ContainersInput | undefined;
  hazardous?: boolean | undefined;
}

/** Organisations that book freight. */
const BOOKERS = new Set(['shipper', 'forwarder', 'service_provider']);

/**
 * Books every ride of an itinerary at once: capacity is held on every leg of every ride, all or
 * none, for the hold time; the booking is RECEIVED until each ride's carrier confirms it. A ride
 * on a service no carrier on the platform operates is refused (conflict, naming the ride).
 */
export async function createBooking(
  deps: BookingDeps,
  actor: Actor,
  request: BookingRequest,
  /**
   * The booking's id when the request carries an Idempotency-Key: derived from the key, so that a
   * request run again after a failure that hid its outcome (the database lost between the commit
   * and the answer) finds the booking it made instead of making a second one.
   */
  id?: string,
): Promise<Booking> {
  if (!BOOKERS.has(actor.organisationKind))
    throw new AppError('forbidden', 'only shippers, forwarders and service providers book');
  if (id !== undefined) {
    const made = await deps.bookings.find(id);
    if (made?.organisationId === actor.organisationId) return made;
  }
  const { input, promise } = await fromPlan(deps, request);
  const { containers, hazardous, legs, rides, teu } = prepare(deps, input);
  await requireOperators(deps, rides);
  const now = deps.clock.now();
  const holdId = deps.secrets.id('hld');
  const holdExpiresAt = new Date(now.getTime() + deps.holdMinutes * 60_000);
  const booking: Booking = {
    id: id ?? deps.secrets.id('bkg'),
    organisationId: actor.organisationId,
    createdBy: actor.id,
    state: 'RECEIVED',
    containers: containers.map((c) => ({ type: c.code, count: c.count, grossKg: c.grossKg })),
    teu,
    hazardous,
    holdId,
    holdExpiresAt,
    reason: null,
    notices: [],
    attention: [],
    promise,
    amendment: null,
    cancellation: null,
    createdAt: now,
    updatedAt: now,
    rides,
  };
  const decision = await deps.bookings.createHeld(booking, legs);
  if (!decision.ok) {
    const message = refusalMessage(deps.network, decision);
    throw new AppError('conflict', message, [{ path: 'body.rides', message }]);
  }
  return autoConfirm(deps, booking);
}

/** The rides, cargo and promise of a booking request made from a kept plan. */
async function fromPlan(
  deps: BookingDeps,
  request: BookingRequest,
): Promise<{ input: NewBooking; promise: BookingPromise | null }> {
  const { rides, planId, itineraryId, containers, hazardous } = request;
  if (planId === undefined && itineraryId === undefined) {
    if (rides === undefined || containers === undefined)
      throw new AppError(
        'invalid_data',
        'give the rides and containers, or the planId and itineraryId of a plan',
        [{ path: rides === undefined ? 'body.rides' : 'body.containers', message: 'missing' }],
      );
    return { input: { rides, containers, hazardous }, promise: null };
  }
  if (planId === undefined || itineraryId === undefined || rides !== undefined)
    throw new AppError(
      'invalid_data',
      'a booking from a plan gives planId and itineraryId, and no rides',
      [
        {
          path:
            rides !== undefined
              ? 'body.rides'
              : planId === undefined
                ? 'body.planId'
                : 'body.itineraryId',
          message: rides !== undefined ? 'not with planId' : 'missing',
        },
      ],
    );
  const plan = await deps.plans.find(planId, deps.clock.now());
  if (!plan)
    throw new AppError(
      'not_found',
      `no plan ${planId}: plans can be booked for a day after they are made; plan again`,
      [{ path: 'body.planId', message: 'no such plan, or it expired' }],
    );
  const itinerary = plan.itineraries.find((i) => i.id === itineraryId);
  if (!itinerary)
    throw new AppError(
      'not_found',
      `plan ${plan.id} has no itinerary ${itineraryId}; it has ${plan.itineraries.map((i) => i.id).join(', ')}`,
      [{ path: 'body.itineraryId', message: 'not an itinerary of this plan' }],
    );
  const { id: _id, rides: planned, ...promised } = itinerary;
  return {
    input: {
      rides: planned,
      containers:
        containers ??
        plan.containers.map((c) => ({
          type: c.type as ContainerCode,
          count: c.count,
          grossKg: c.grossKg,
        })),
      hazardous: hazardous ?? plan.hazardous,
    },
    promise: { planId: plan.id, itineraryId, ...promised },
  };
}

/** Checks the rides and containers of a booking and works out the legs and TEU it takes. */
export function prepare(deps: BookingDeps, input: NewBooking) {
  const now = deps.clock.now();
  const errors: FieldError[] = [];
  const containers = readContainers(input.containers, errors);
  const hazardous = input.hazardous ?? false;
  const legs: LegSpec[] = [];
  const rides: Booking['rides'] = [];
  input.rides.forEach((r, i) => {
    const tripLegsOf = tripLegs(deps.network, r.tripId);
    if (!tripLegsOf) {
      errors.push({ path: `body.rides[${i}].tripId`, message: `no departure ${r.tripId}` });
      return;
    }
    const stops = [tripLegsOf[0]!.fromNodeId, ...tripLegsOf.map((l) => l.toNodeId)];
    const board = stops.indexOf(r.from);
    const alight = stops.indexOf(r.to, board + 1);
    if (board < 0)
      errors.push({
        path: `body.rides[${i}].from`,
        message: `${r.from} is not a stop of ${r.tripId}`,
      });
    else if (alight < 0)
      errors.push({
        path: `body.rides[${i}].to`,
        message: `${r.to} is not a later stop of ${r.tripId}`,
      });
    if (board < 0 || alight < 0) return;
    if (tripLegsOf[board]!.departsAt <= now)
      errors.push({
        path: `body.rides[${i}].tripId`,
        message: `${r.tripId} left ${r.from} at ${tripLegsOf[board]!.departsAt.toISOString()}; it takes no more bookings`,
      });
    const service = deps.network.services.get(tripLegsOf[0]!.serviceId)!;
    if (hazardous && service.refusesCargo.includes('hazardous'))
      errors.push({ path: `body.rides[${i}]`, message: `${service.name} refuses hazardous cargo` });
    if (containers.length > 0 && !rideTariff(service, containers))
      errors.push({
        path: `body.rides[${i}]`,
        message: `${service.name} does not take these container types`,
      });
    legs.push(...tripLegsOf.slice(board, alight));
    rides.push({
      rideIndex: i,
      tripId: r.tripId,
      serviceId: service.id,
      fromNodeId: r.from,
      toNodeId: r.to,
      serviceVersion: service.version ?? 1,
      state: 'REQUESTED',
      decidedBy: null,
      decidedAt: null,
      completedAt: null,
    });
  });
  if (input.rides.length === 0) errors.push({ path: 'body.rides', message: 'at least one ride' });
  const keys = legs.map((l) => `${l.tripId}#${l.legIndex}`);
  if (new Set(keys).size !== keys.length)
    errors.push({ path: 'body.rides', message: 'two rides use the same leg' });
  if (errors.length > 0) throw new AppError('invalid_data', errors[0]!.message, errors);
  const teu = containers.reduce((s, c) => s + c.count * CONTAINER_CODES[c.code].teu, 0);
  return { containers, hazardous, legs, rides, teu };
}

/**
 * Refuses rides that no carrier on the platform operates: nobody could confirm them, and their
 * hold would only run out. Each such ride is named, with its service.
 */
export async function requireOperators(
  deps: BookingDeps,
  rides: readonly BookingRide[],
): Promise<void> {
  const operated = await deps.organisations.operated(rides.map((r) => r.serviceId));
  const errors: FieldError[] = rides
    .filter((r) => !operated.has(r.serviceId))
    .map((r) => ({
      path: `body.rides[${r.rideIndex}]`,
      message: `no carrier on the platform operates ${deps.network.services.get(r.serviceId)?.name ?? r.serviceId} (${r.serviceId}), so nobody could confirm this ride; choose another itinerary`,
    }));
  if (errors.length > 0) throw new AppError('conflict', errors[0]!.message, errors);
}

function readContainers(spec: ContainersInput, errors: FieldError[]): ContainerGroup[] {
  if (typeof spec === 'string') {
    const parsed = parseContainers(spec);
    if (parsed.ok) return parsed.containers;
    errors.push({ path: 'body.containers', message: parsed.message });
    return [];
  }
  return spec.map((c) => ({
    code: c.type,
    count: c.count,
    grossKg: c.grossKg ?? CONTAINER_CODES[c.type].defaultGrossKg,
  }));
}

/** Services the actor's organisation operates (empty unless a carrier). */
export async function servicesOf(deps: BookingDeps, actor: Actor): Promise<string[]> {
  if (actor.organisationKind !== 'carrier') return [];
  return (await deps.organisations.find(actor.organisationId))?.services ?? [];
}

/**
 * What a carrier sees of a booking on its services: its own rides only, and no promise — the
 * plan's arrival, cost and CO2e are the whole itinerary's, other carriers' legs included.
 */
function carrierView(booking: Booking, own: ReadonlySet<string>): Booking {
  return {
    ...booking,
    promise: null,
    rides: booking.rides.filter((r) => own.has(r.serviceId)),
    amendment: booking.amendment && {
      ...booking.amendment,
      promise: null,
      rides: booking.amendment.rides.filter((r) => own.has(r.serviceId)),
    },
    cancellation: booking.cancellation && {
      ...booking.cancellation,
      rides: booking.cancellation.rides.filter((r) => own.has(r.serviceId)),
    },
  };
}

/**
 * A booking as the actor may see it: the booking organisation and platform admins see all of it;
 * a carrier sees the booking with only the rides on its own services and without the plan's
 * promise (carrierView); anyone else: not found.
 */
export async function getBooking(deps: BookingDeps, actor: Actor, id: string): Promise<Booking> {
  const booking = await deps.bookings.find(id);
  if (booking && (booking.organisationId === actor.organisationId || isPlatformAdmin(actor)))
    return booking;
  const own = new Set(await servicesOf(deps, actor));
  if (
    booking &&
    [...booking.rides, ...(booking.amendment?.rides ?? [])].some((r) => own.has(r.serviceId))
  )
    return carrierView(booking, own);
  throw new AppError('not_found', `no booking ${id}`);
}

/**
 * The organisation's own bookings; for a carrier, the bookings on its services as carrierView;
 * newest first, a page at a time.
 */
export async function listBookings(
  deps: BookingDeps,
  actor: Actor,
  page: PageRequest = { limit: DEFAULT_PAGE },
): Promise<Page<Booking>> {
  const services = await servicesOf(deps, actor);
  const all =
    services.length > 0
      ? (await deps.bookings.listByServices(services)).map((b) => carrierView(b, new Set(services)))
      : await deps.bookings.listByOrganisation(actor.organisationId);
  return pageInMemory(all, page, (b) => ({ at: b.createdAt, id: b.id }));
}

/** Rejects the RECEIVED (or UPDATE_RECEIVED) bookings whose hold ran out and gives their capacity back. Returns how many. */
export async function expireBookings(deps: BookingDeps): Promise<number> {
  const now = deps.clock.now();
  let expired = 0;
  for (const b of await deps.bookings.dueForExpiry(now)) {
    if (
      await deps.bookings.setState(
        b.id,
        DECIDING_STATES,
        'REJECTED',
        'the hold expired before every carrier confirmed',
        now,
        { cancel: [b.holdId] },
      )
    ) {
      expired++;
      await announceBooking(deps, (await deps.bookings.find(b.id))!, 'rejected');
    }
  }
  return expired;
}

/**
 * Confirms at once the rides whose carrier confirms automatically; when that is every ride, the
 * booking is CONFIRMED and its capacity confirmed.
 */
async function autoConfirm(deps: BookingDeps, booking: Booking): Promise<Booking> {
  const carriers = await deps.organisations.autoConfirming(booking.rides.map((r) => r.serviceId));
  if (carriers.size === 0) return booking;
  const now = deps.clock.now();
  // The rides' decisions, the state and the confirmed capacity: one transaction.
  const changed = await deps.bookings.change(booking.id, (current) => {
    const rides = current.rides.map((r) => {
      const carrier = carriers.get(r.serviceId);
      return carrier && r.state === 'REQUESTED'
        ? {
            ...r,
            state: 'CONFIRMED' as const,
            decidedBy: `${carrier} (automatic)`,
            decidedAt: now,
          }
        : r;
    });
    const all = current.state === 'RECEIVED' && rides.every((r) => r.state === 'CONFIRMED');
    return {
      booking: {
        ...current,
        rides,
        ...(all ? { state: 'CONFIRMED' as const, updatedAt: now } : {}),
      },
      ridesChanged: true,
      capacity: all ? { confirm: [current.holdId] } : undefined,
    };
  });
  if (!changed) return booking;
  if (changed.booking.state === 'CONFIRMED')
    await announceBooking(deps, changed.booking, 'confirmed');
  return changed.booking;
}
