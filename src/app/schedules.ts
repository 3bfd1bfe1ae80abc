import type { Actor } from './actor.ts';
import { requireActor } from './actor.ts';
import { AppError, type FieldError } from './errors.ts';
import type { LiveNetwork } from './live-network.ts';
import type { Clock, Secrets } from './ports.ts';
import type { OverbookedLeg, ServiceVersionStore, StoredServiceVersion } from './schedule-ports.ts';
import { LIVE_STATES, type BookingStore } from './bookings.ts';
import type { TrackingStore } from './shipments.ts';
import { rescheduleShipments } from './reschedule-shipments.ts';
import type { ServiceRecord } from '../core/network/schema.ts';
import { isIsoDate } from '../core/shared/time-zone.ts';
import { checkUpload, rideChange, tripServiceDate } from '../core/network/service-versions.ts';
import { departureLabel } from '../core/network/departure-label.ts';
import { placeLabel } from '../core/network/places.ts';
import { tripLegs } from './capacity.ts';

export interface ScheduleDeps {
  live: LiveNetwork;
  versions: ServiceVersionStore;
  bookings: BookingStore;
  /** The shipments of flagged bookings are put on the new schedule. */
  tracking: TrackingStore;
  clock: Clock;
  secrets: Secrets;
}

/** The most services one publication may carry. */
export const MAX_SERVICES_PER_UPLOAD = 200;

/** Booking states whose rides are still to run. */
const LIVE = new Set<string>(LIVE_STATES);

export interface Publication {
  effectiveFrom: string;
  services: readonly unknown[];
  /** Check only; nothing is published. */
  dryRun: boolean;
}

/** A departure the change affects, with the live bookings on it. */
export interface AffectedDeparture {
  tripId: string;
  serviceId: string;
  /** What changes for it, in words. */
  change: string;
  bookingIds: string[];
}

export interface PublicationResult {
  effectiveFrom: string;
  dryRun: boolean;
  services: { serviceId: string; version: number | null; isNew: boolean }[];
  /**
   * Live bookings the new versions change, with what changes for each: on a dry run what
   * publishing would flag, computed as publishing computes it; else what was flagged.
   */
  flaggedBookings: { bookingId: string; notices: string[] }[];
  /** The departures with live bookings that the change affects (the same on a dry run). */
  affectedDepartures: AffectedDeparture[];
  /** Shipments of the flagged bookings put on the new schedule (empty on a dry run). */
  rescheduledShipments: string[];
}

/**
 * A carrier publishes new versions of its services (or new services), effective from a day:
 * each record checked against the network with every problem named (`where(index, path)` says
 * where in the upload), ownership checked, the versions stored, capacity adjusted, and bookings
 * the change breaks flagged to their owners: each needs its party's attention, with the reason;
 * its owner is notified; the shipments of those bookings are put on the new schedule with their
 * arrival estimated again and an alert. A dry run checks the same and says which bookings and
 * departures publishing would affect, changing nothing. This process's network follows at
 * once, the others within their next refresh.
 */
export async function publishServices(
  deps: ScheduleDeps,
  actorOrNone: Actor | undefined,
  input: Publication,
  where: { effectiveFrom: string; service(index: number, path: string): string },
): Promise<PublicationResult> {
  const actor = requireActor(actorOrNone);
  if (actor.organisationKind !== 'carrier' || actor.role === 'officer')
    throw new AppError('forbidden', "only a carrier's admins and members publish services");
  const today = deps.clock.now().toISOString().slice(0, 10);
  const errors: FieldError[] = [];
  if (!isIsoDate(input.effectiveFrom))
    errors.push({ path: where.effectiveFrom, message: 'a date YYYY-MM-DD' });
  else if (input.effectiveFrom < today)
    errors.push({
      path: where.effectiveFrom,
      message: `${input.effectiveFrom} has passed: a version takes effect today (${today}) or later`,
    });
  if (input.services.length === 0)
    errors.push({ path: where.service(0, ''), message: 'at least one service' });
  if (input.services.length > MAX_SERVICES_PER_UPLOAD)
    errors.push({
      path: where.service(0, ''),
      message: `at most ${MAX_SERVICES_PER_UPLOAD} services at once`,
    });
  for (const p of checkUpload(deps.live.dataFiles(), deps.live.services(), input.services))
    errors.push({ path: where.service(p.index, p.path), message: p.message });
  if (errors.length > 0) throw new AppError('invalid_data', errors[0]!.message, errors);
  const records = input.services as ServiceRecord[];

  const ids = records.map((r) => r.id);
  const operators = await deps.versions.operators(ids);
  const known = new Set(deps.live.services().map((s) => s.id));
  records.forEach((r, k) => {
    const op = operators.get(r.id);
    if (op !== undefined && !op.includes(actor.organisationId))
      errors.push({
        path: where.service(k, 'id'),
        message: `${r.id} is operated by another organisation`,
      });
    else if (op === undefined && known.has(r.id))
      errors.push({
        path: where.service(k, 'id'),
        message: `${r.id} is not operated by an organisation on the platform; a platform admin assigns it first`,
      });
  });
  if (errors.length > 0) throw new AppError('forbidden', errors[0]!.message, errors);

  const now = deps.clock.now();
  const before = await deps.versions.all();
  if (input.dryRun) {
    // The versions as publishing would number them, and the legs it would leave overbooked.
    const top = new Map<string, number>();
    for (const v of before) top.set(v.serviceId, Math.max(top.get(v.serviceId) ?? 0, v.version));
    const referenceIds = deps.live.referenceIds();
    const versions: StoredServiceVersion[] = records.map((record, k) => ({
      serviceId: record.id,
      version: (top.get(record.id) ?? (referenceIds.has(record.id) ? 1 : 0)) + 1,
      effectiveFrom: input.effectiveFrom,
      record,
      organisationId: actor.organisationId,
      publishedBy: actor.id,
      publishedAt: now,
      seq: Number.MAX_SAFE_INTEGER - records.length + k,
    }));
    const overbooked = await deps.versions.overbooked({
      effectiveFrom: input.effectiveFrom,
      records,
    });
    const effects = await effectsOf(deps, before, versions, overbooked, input.effectiveFrom);
    return {
      effectiveFrom: input.effectiveFrom,
      dryRun: true,
      services: records.map((r) => ({ serviceId: r.id, version: null, isNew: !known.has(r.id) })),
      flaggedBookings: effects.bookings.map(({ bookingId, notices }) => ({ bookingId, notices })),
      affectedDepartures: effects.departures,
      rescheduledShipments: [],
    };
  }

  const { versions, overbooked } = await deps.versions.publish({
    organisationId: actor.organisationId,
    publishedBy: actor.id,
    effectiveFrom: input.effectiveFrom,
    records,
    referenceIds: deps.live.referenceIds(),
    at: now,
  });
  const effects = await effectsOf(deps, before, versions, overbooked, input.effectiveFrom);
  await deps.versions.flag(
    effects.bookings.flatMap((f) =>
      f.notices.map((notice) => ({ bookingId: f.bookingId, notice })),
    ),
    effects.bookings.map((b) => ({
      id: deps.secrets.id('ntf'),
      organisationId: b.organisationId,
      kind: 'SCHEDULE_CHANGE',
      requestId: null,
      text: `Booking ${b.bookingId}: ${b.notices.join('; ')}`,
      createdAt: now,
    })),
    now,
  );
  const modelBefore = deps.live.planner.model;
  // This process plans on the new network at once; a failure here leaves it to the next refresh.
  await deps.live.refresh().catch(() => false);
  // In force today, the planner's model is the new network's and estimates afresh.
  const inForce = input.effectiveFrom <= today;
  const network = inForce
    ? deps.live.network
    : deps.live.networkOn(input.effectiveFrom, [...before, ...versions]);
  const rescheduled = network
    ? await rescheduleShipments(
        deps,
        effects.bookings,
        network,
        {
          before: modelBefore,
          after:
            inForce && deps.live.planner.model !== modelBefore
              ? deps.live.planner.model
              : undefined,
        },
        now,
      )
    : [];
  return {
    effectiveFrom: input.effectiveFrom,
    dryRun: false,
    services: versions.map((v) => ({
      serviceId: v.serviceId,
      version: v.version,
      isNew: !known.has(v.serviceId),
    })),
    flaggedBookings: effects.bookings.map(({ bookingId, notices }) => ({ bookingId, notices })),
    affectedDepartures: effects.departures,
    rescheduledShipments: rescheduled,
  };
}

/**
 * What the versions `published` (after `before`) do to the live bookings on their services, per
 * booking and per departure. Pure apart from reading the bookings.
 */
async function effectsOf(
  deps: ScheduleDeps,
  before: readonly StoredServiceVersion[],
  published: readonly StoredServiceVersion[],
  overbooked: readonly OverbookedLeg[],
  effectiveFrom: string,
): Promise<{
  bookings: { bookingId: string; organisationId: string; notices: string[] }[];
  departures: AffectedDeparture[];
}> {
  const changed = new Set(published.map((v) => v.serviceId));
  const bookings = (await deps.bookings.listByServices([...changed])).filter((b) =>
    LIVE.has(b.state),
  );
  if (bookings.length === 0) return { bookings: [], departures: [] };
  const oldNet = deps.live.networkOn(effectiveFrom, before);
  const newNet = deps.live.networkOn(effectiveFrom, [...before, ...published]);
  if (!oldNet || !newNet) return { bookings: [], departures: [] };
  const cut = new Map<string, string>();
  for (const o of overbooked) {
    const leg = tripLegs(newNet, o.tripId)?.[o.legIndex];
    const place = (id: string) => {
      const node = newNet.nodes.get(id);
      return node ? placeLabel(node) : id;
    };
    const on = leg ? `${place(leg.fromNodeId)}→${place(leg.toNodeId)}` : `leg ${o.legIndex + 1}`;
    cut.set(
      o.tripId,
      `capacity of the ${departureLabel(o.tripId, newNet, oldNet)} cut to ${o.capacityTeu} TEU from ${effectiveFrom}: ${o.bookedTeu} TEU are booked on ${on}`,
    );
  }
  const out: { bookingId: string; organisationId: string; notices: string[] }[] = [];
  const departures = new Map<string, AffectedDeparture>();
  for (const b of bookings) {
    const notices: string[] = [];
    for (const r of b.rides) {
      if (!changed.has(r.serviceId) || r.state === 'COMPLETED' || r.state === 'DECLINED') continue;
      const day = tripServiceDate(r.tripId);
      if (!day || day < effectiveFrom) continue;
      const change = rideChange(oldNet, newNet, r, b.hazardous) ?? cut.get(r.tripId);
      if (!change) continue;
      notices.push(`schedule change from ${effectiveFrom}: ${change}`);
      const d = departures.get(r.tripId);
      if (d) {
        if (!d.bookingIds.includes(b.id)) d.bookingIds.push(b.id);
      } else
        departures.set(r.tripId, {
          tripId: r.tripId,
          serviceId: r.serviceId,
          change,
          bookingIds: [b.id],
        });
    }
    if (notices.length > 0)
      out.push({ bookingId: b.id, organisationId: b.organisationId, notices });
  }
  return { bookings: out, departures: [...departures.values()] };
}

/** One version of a service for reading: version 1 of a reference service is the data file. */
export interface ServiceVersionView {
  serviceId: string;
  version: number;
  effectiveFrom: string | null;
  publishedAt: string | null;
  organisationId: string | null;
  inForce: boolean;
  record: ServiceRecord;
}

/** Every version of a service, oldest first; not_found for a service nobody published. */
export async function serviceVersions(
  deps: Pick<ScheduleDeps, 'live' | 'versions'>,
  serviceId: string,
): Promise<ServiceVersionView[]> {
  const published = await deps.versions.versionsOf(serviceId);
  const reference = deps.live.referenceRecord(serviceId);
  const inForce = deps.live.network.services.get(serviceId)?.version ?? 1;
  const out: ServiceVersionView[] = [];
  if (reference)
    out.push({
      serviceId,
      version: 1,
      effectiveFrom: reference.validFrom,
      publishedAt: null,
      organisationId: null,
      inForce: inForce === 1,
      record: reference,
    });
  for (const v of published)
    out.push({
      serviceId,
      version: v.version,
      effectiveFrom: v.effectiveFrom,
      publishedAt: v.publishedAt.toISOString(),
      organisationId: v.organisationId,
      inForce: deps.live.network.services.has(serviceId) && inForce === v.version,
      record: v.record,
    });
  if (out.length === 0) throw new AppError('not_found', `no service ${serviceId}`);
  return out;
}
