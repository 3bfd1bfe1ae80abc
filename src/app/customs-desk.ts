import { DEFAULT_PAGE, offsetPage, type Page, type PageRequest } from './paging.ts';
import type { SegmentActionBody } from '../api/customs.ts';
import { undoDecision, type SegmentAction } from '../core/customs/lifecycle.ts';
import { zonedToUtc, utcOffsetMs } from '../core/shared/time-zone.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import { actorName, viewOf, type DeclarationView } from './customs-views.ts';
import { applyToSegment, assessSegments, customsOrganisation } from './customs.ts';
import type { CustomsDeps } from './customs-deps.ts';
import { AppError } from './errors.ts';
import { externalSegments } from './customs-outbound.ts';
import { officeIndex } from './customs-itinerary.ts';
import type { CustomsDeclaration, OfficeDecision } from './customs-ports.ts';

/**
 * The customs desk: an officer's work at their administration's offices. Each office's queue of
 * open segments, the office with the most work first; each decision on a segment (arrival,
 * documents checked, inspection, release, hold, refusal) in the audit log, undone by the officer
 * who made it within a minute (UNDO_WINDOW_MS, core/customs/lifecycle.ts); the decisions of the
 * office's day, from the audit log.
 */

/** An officer's action on their country's segment. */
export async function actOnSegment(
  deps: CustomsDeps,
  actor: Actor,
  id: string,
  country: string,
  body: SegmentActionBody,
): Promise<DeclarationView> {
  const org = await customsOrganisation(deps, actor, country);
  const declaration = await deps.customs.find(id);
  if (!declaration || !declaration.segments.some((s) => s.country === country))
    throw new AppError('not_found', `no declaration ${id} with a ${country} segment`);
  const external = await externalSegments(deps, await officeIndex(deps));
  const segment = declaration.segments.find((s) => s.country === country)!;
  if (external(segment))
    throw new AppError(
      'conflict',
      `the ${country} segment is decided in ${country}'s customs system (NCTS), not on the desk`,
    );
  if (body.type === 'assess') {
    await assessSegments(deps, id, (s) => s.country === country, actorName(actor), org.id);
    return (await viewOf(deps, actor, (await deps.customs.find(id))!, org))!;
  }
  if (body.type === 'undo') {
    await undoLastDecision(deps, actor, id, country);
    return (await viewOf(deps, actor, (await deps.customs.find(id))!, org))!;
  }
  const action: SegmentAction =
    body.type === 'record_inspection'
      ? {
          type: 'record_inspection',
          inspection: {
            kind: body.kind,
            sealsIntact: body.sealsIntact,
            discrepancies: body.discrepancies,
          },
        }
      : body;
  const after = await applyToSegment(deps, id, country, actorName(actor), org.id, () => ({
    action,
    detail: body,
  }));
  // The officer's own view of it (the acting organisation is known: no second read).
  return (await viewOf(deps, actor, after, org))!;
}

/**
 * Takes back the officer's last decision on the segment: the segment is as it was before it, and
 * the audit log records the undo (the DCSA events the decision emitted stay in the shipment's
 * log, as sent). Refused (409) after a minute, for another officer's decision, or when nothing
 * is to undo.
 */
async function undoLastDecision(
  deps: CustomsDeps,
  actor: Actor,
  id: string,
  country: string,
): Promise<void> {
  const by = actorName(actor);
  await deps.customs.update(id, (d) => {
    const now = deps.clock.now();
    const index = d.segments.findIndex((s) => s.country === country);
    const s = d.segments[index]!;
    const undone = undoDecision(s, s.lastDecision, by, now.getTime());
    if (!undone.ok)
      throw new AppError('conflict', undone.reason, [
        { path: 'body.type', message: undone.reason },
      ]);
    const segments = d.segments.map((x, k) =>
      k === index ? { ...x, ...undone.status, lastDecision: null } : x,
    );
    return Promise.resolve({
      result: undefined,
      declaration: { ...d, segments, updatedAt: now },
      audit: [
        {
          at: now,
          actor: by,
          declarationId: id,
          country,
          action: 'undo',
          detail: {
            undid: undone.undone.action,
            decidedAt: new Date(undone.undone.at).toISOString(),
            state: undone.status.state,
          },
        },
      ],
      events: [],
    });
  });
}

/** One of the administration's offices with how many open segments wait there. */
export interface DeskOffice {
  code: string;
  name: string;
  /** IANA time zone of the office's place (UTC when it has none). */
  timeZone: string;
  open: number;
}

/** The administration's offices, the one with the most open segments first (then by code). */
export async function deskOffices(deps: CustomsDeps, actor: Actor): Promise<DeskOffice[]> {
  const org = await deps.organisations.find(actor.organisationId);
  if (!org || org.kind !== 'customs')
    throw new AppError('forbidden', 'the customs desk is for customs administrations');
  await customsOrganisation(deps, actor, org.country);
  const counts = await deps.customs.openSegmentsByOffice(org.country);
  return org.customsOffices
    .map((o) => ({
      code: o.code,
      name: o.name,
      timeZone: zoneOf(deps, o.nodeId),
      open: counts.get(o.code) ?? 0,
    }))
    .sort((a, b) => b.open - a.open || a.code.localeCompare(b.code));
}

/** The open segments at an office, by when the box is expected there, a page at a time. */
export async function officeQueue(
  deps: CustomsDeps,
  actor: Actor,
  office: string,
  page: PageRequest = { limit: DEFAULT_PAGE },
): Promise<Page<CustomsDeclaration>> {
  await officeOf(deps, actor, office);
  if (page.after)
    throw new AppError('invalid_data', 'query.cursor is not a cursor of an office queue', [
      { path: 'query.cursor', message: 'send the nextCursor of the queue page before' },
    ]);
  const [read, total] = await Promise.all([
    deps.customs.queue(office, page.limit + 1, page.offset ?? 0),
    deps.customs.queueSize(office),
  ]);
  return offsetPage(read, page, total);
}

/**
 * The decisions recorded at the office since the start of the office's day (its local midnight,
 * inclusive), newest first, at most 200.
 */
export async function decidedToday(
  deps: CustomsDeps,
  actor: Actor,
  office: string,
): Promise<OfficeDecision[]> {
  const zone = await officeOf(deps, actor, office);
  const now = deps.clock.now().getTime();
  const day = new Date(now + utcOffsetMs(now, zone)).toISOString().slice(0, 10);
  return deps.customs.decisionsAt(office, new Date(zonedToUtc(day, 0, zone)), 200);
}

/** The office's time zone, once the caller is known to work for its administration. */
async function officeOf(deps: CustomsDeps, actor: Actor, office: string): Promise<string> {
  const org = await customsOrganisation(deps, actor, office.slice(0, 2));
  const known = org.customsOffices.find((o) => o.code === office);
  if (!known && !isPlatformAdmin(actor))
    throw new AppError('not_found', `no office ${office} in your administration`);
  return zoneOf(deps, known?.nodeId ?? null);
}

function zoneOf(deps: CustomsDeps, nodeId: string | null): string {
  return (nodeId ? deps.network.nodes.get(nodeId)?.timeZone : undefined) ?? 'UTC';
}
