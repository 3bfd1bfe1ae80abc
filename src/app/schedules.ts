import type { Actor } from './actor.ts';
import { requireActor } from './actor.ts';
import { AppError, type FieldError } from './errors.ts';
import type { LiveNetwork } from './live-network.ts';
import type {
  Clock,
  NewNotification,
  OverbookedLeg,
  Secrets,
  ServiceVersionStore,
  StoredServiceVersion,
} from './ports.ts';
import type { BookingStore } from './bookings.ts';
import type { ServiceRecord } from '../core/network/schema.ts';
import { isIsoDate } from '../core/shared/time-zone.ts';
import { checkUpload, rideChange, tripServiceDate } from '../core/network/service-versions.ts';

export interface ScheduleDeps {
  live: LiveNetwork;
  versions: ServiceVersionStore;
  bookings: BookingStore;
  clock: Clock;
  secrets: Secrets;
}

/** The most services one publication may carry. */
export const MAX_SERVICES_PER_UPLOAD = 200;

/** Booking states whose rides are still to run. */
const LIVE_STATES = new Set(['RECEIVED', 'PENDING_UPDATE', 'CONFIRMED']);

export interface Publication {
  effectiveFrom: string;
  services: readonly unknown[];
  /** Check only; nothing is published. */
  dryRun: boolean;
}

export interface PublicationResult {
  effectiveFrom: string;
  dryRun: boolean;
  services: { serviceId: string; version: number | null; isNew: boolean }[];
  /** Bookings the new versions change, with what changes for each (empty on a dry run). */
  flaggedBookings: { bookingId: string; notices: string[] }[];
}

/**
 * A carrier publishes new versions of its services (or new services), effective from a day:
 * each record checked against the network with every problem named (`where(index, path)` says
 * where in the upload), ownership checked, the versions stored, capacity adjusted, and bookings
 * the change breaks flagged to their owners. This process's network follows at once, the others
 * within their next refresh.
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
    if (op !== undefined && op !== actor.organisationId)
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

  if (input.dryRun)
    return {
      effectiveFrom: input.effectiveFrom,
      dryRun: true,
      services: records.map((r) => ({ serviceId: r.id, version: null, isNew: !known.has(r.id) })),
      flaggedBookings: [],
    };

  const now = deps.clock.now();
  const before = await deps.versions.all();
  const { versions, overbooked } = await deps.versions.publish({
    organisationId: actor.organisationId,
    publishedBy: actor.id,
    effectiveFrom: input.effectiveFrom,
    records,
    referenceIds: deps.live.referenceIds(),
    at: now,
  });
  const flagged = await flagBookings(deps, before, versions, overbooked, input.effectiveFrom, now);
  // This process plans on the new network at once; a failure here leaves it to the next refresh.
  await deps.live.refresh().catch(() => false);
  return {
    effectiveFrom: input.effectiveFrom,
    dryRun: false,
    services: versions.map((v) => ({
      serviceId: v.serviceId,
      version: v.version,
      isNew: !known.has(v.serviceId),
    })),
    flaggedBookings: flagged,
  };
}

/** Notices on the live bookings the new versions change, and a notification to each owner. */
async function flagBookings(
  deps: ScheduleDeps,
  before: readonly StoredServiceVersion[],
  published: readonly StoredServiceVersion[],
  overbooked: readonly OverbookedLeg[],
  effectiveFrom: string,
  now: Date,
): Promise<{ bookingId: string; notices: string[] }[]> {
  const changed = new Set(published.map((v) => v.serviceId));
  const bookings = (await deps.bookings.listByServices([...changed])).filter((b) =>
    LIVE_STATES.has(b.state),
  );
  if (bookings.length === 0) return [];
  const oldNet = deps.live.networkOn(effectiveFrom, before);
  const newNet = deps.live.networkOn(effectiveFrom, [...before, ...published]);
  if (!oldNet || !newNet) return [];
  const cut = new Map<string, string>();
  for (const o of overbooked)
    cut.set(
      o.tripId,
      `capacity of departure ${o.tripId} cut to ${o.capacityTeu} TEU from ${effectiveFrom}: ${o.bookedTeu} TEU are booked on leg ${o.legIndex}`,
    );
  const out: { bookingId: string; notices: string[] }[] = [];
  const notifications: NewNotification[] = [];
  for (const b of bookings) {
    const notices: string[] = [];
    for (const r of b.rides) {
      if (!changed.has(r.serviceId) || r.state === 'COMPLETED' || r.state === 'DECLINED') continue;
      const day = tripServiceDate(r.tripId);
      if (!day || day < effectiveFrom) continue;
      const change = rideChange(oldNet, newNet, r, b.hazardous) ?? cut.get(r.tripId);
      if (change) notices.push(`schedule change from ${effectiveFrom}: ${change}`);
    }
    if (notices.length === 0) continue;
    out.push({ bookingId: b.id, notices });
    notifications.push({
      id: deps.secrets.id('ntf'),
      organisationId: b.organisationId,
      kind: 'SCHEDULE_CHANGE',
      requestId: null,
      text: `Booking ${b.id}: ${notices.join('; ')}`,
      createdAt: now,
    });
  }
  await deps.versions.flag(
    out.flatMap((f) => f.notices.map((notice) => ({ bookingId: f.bookingId, notice }))),
    notifications,
    now,
  );
  return out;
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
