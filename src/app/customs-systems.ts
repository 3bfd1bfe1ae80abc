import type { RiskDecision } from '../core/customs/risk.ts';
import type { SegmentAction } from '../core/customs/lifecycle.ts';
import { readInboundMessage, type InboundMessage } from '../core/customs/ncts/inbound.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import { applyToSegment } from './customs.ts';
import type { CustomsDeps } from './customs-deps.ts';
import { AppError } from './errors.ts';
import type {
  CustomsSystemKind,
  CustomsSystemRoute,
  CustomsSystemStore,
  InboundResult,
  OutboxMessage,
  OutboxState,
  SystemLink,
} from './customs-system-ports.ts';
import { officeIndex } from './customs-itinerary.ts';
import { routeFor } from './customs-outbound.ts';
import type { Organisation } from './account-ports.ts';
import type { Clock } from './ports.ts';
import type { CustomsDeclaration } from './customs-ports.ts';
import { outcomeOf, type CallbackGuard, type Notifier } from './subscriptions.ts';

/**
 * The boundary to the customs administrations' own systems. Each administration decides either on
 * the platform's desk or in its national system; a route (per office, administration or country)
 * says which. Messages to a system leave through the outbox written with the change they report
 * (app/customs-outbound.ts) and are posted with retries or collected by the system's gateway.
 * Messages from a system are checked and applied to the segment as an officer's action would be,
 * each audit record naming the system and the message; a message id seen before is answered with
 * the earlier result and not applied again.
 */

/** The largest inbound message read (an NCTS CC029C of a large declaration is a few 100 kB). */
export const MAX_INBOUND_BYTES = 2 * 1024 * 1024;
/** How long a claimed outbound message is left to one sender before another may take it. */
const CLAIM_MS = 60_000;

export const SYSTEM_NAMES: Record<CustomsSystemKind, string> = {
  desk: 'the customs desk',
  ncts: 'NCTS phase 6',
  etir: 'the eTIR international system',
};

// ---------------------------------------------------------------------------------------------
// Routes: which administration decides where

/** The routes in force, most specific scope first within each country. */
export async function listRoutes(deps: CustomsDeps, actor: Actor): Promise<CustomsSystemRoute[]> {
  const routes = await deps.systems.routes();
  if (isPlatformAdmin(actor)) return routes;
  const org = await administration(deps, actor);
  const offices = new Set(org.customsOffices.map((o) => o.code));
  return routes.filter(
    (r) => r.scope === org.id || r.scope === org.country || offices.has(r.scope),
  );
}

/**
 * Sets the route of a scope: a platform admin for any; a customs administration's admin for its
 * own organisation, country or offices.
 */
export async function saveRoute(
  deps: CustomsDeps,
  actor: Actor,
  route: Omit<CustomsSystemRoute, 'updatedAt' | 'updatedBy'>,
): Promise<CustomsSystemRoute> {
  await mayConfigure(deps, actor, route.scope);
  const saved = {
    ...route,
    updatedAt: deps.clock.now(),
    updatedBy: `${actor.organisationId}/${actor.id}`,
  };
  await deps.systems.saveRoute(saved);
  return saved;
}

/** Removes a scope's route: its segments go to the next wider scope's system, or the desk. */
export async function deleteRoute(deps: CustomsDeps, actor: Actor, scope: string): Promise<void> {
  await mayConfigure(deps, actor, scope);
  if (!(await deps.systems.deleteRoute(scope)))
    throw new AppError('not_found', `no customs system route for ${scope}`);
}

async function mayConfigure(deps: CustomsDeps, actor: Actor, scope: string): Promise<void> {
  if (isPlatformAdmin(actor)) return;
  const org = await administration(deps, actor);
  if (actor.role !== 'admin')
    throw new AppError('forbidden', "an administration's admin sets where it decides");
  if (
    scope !== org.id &&
    scope !== org.country &&
    !org.customsOffices.some((o) => o.code === scope)
  )
    throw new AppError(
      'forbidden',
      `${scope} is not your administration, its country or an office of it`,
      [
        {
          path: 'params.scope',
          message: 'not your administration, its country or one of its offices',
        },
      ],
    );
}

async function administration(deps: CustomsDeps, actor: Actor): Promise<Organisation> {
  const org = await deps.organisations.find(actor.organisationId);
  if (!org || org.kind !== 'customs')
    throw new AppError('forbidden', 'customs systems are configured by customs administrations');
  return org;
}

// ---------------------------------------------------------------------------------------------
// Outbox: read, acknowledge, deliver

/** The administration's outbound messages, newest first (in these states; all when empty). */
export async function listOutbox(
  deps: CustomsDeps,
  actor: Actor,
  states: readonly OutboxState[],
  limit: number,
): Promise<OutboxMessage[]> {
  const org = await systemCaller(deps, actor);
  return deps.systems.outbox(org.country, { states, limit });
}

/** The system's gateway has the message: it is not offered again. Twice is once. */
export async function acknowledgeOutbox(
  deps: CustomsDeps,
  actor: Actor,
  id: string,
): Promise<OutboxMessage> {
  const org = await systemCaller(deps, actor);
  const m = await deps.systems.acknowledge(org.country, id, deps.clock.now());
  if (!m) throw new AppError('not_found', `no outbound message ${id} for ${org.country}`);
  return m;
}

export interface OutboxDeliveryDeps {
  systems: CustomsSystemStore;
  notifier: Notifier;
  guard: CallbackGuard;
  clock: Clock;
  retryBaseMs?: number | undefined;
}

/**
 * Posts the outbound messages due to systems with an endpoint (XML body, `Message-ID`). A 2xx
 * answer delivers; anything else is retried as a webhook delivery is (outcomeOf: 1, 2, 4 …
 * minutes, at most a day apart, or as a Retry-After asks; given up after 12 attempts). The receiver de-duplicates by the message
 * identification, so a message posted twice after a lost answer is one message. Returns how many
 * were delivered.
 */
export async function deliverOutbox(deps: OutboxDeliveryDeps, limit = 50): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.systems.claimDue(now, new Date(now.getTime() + CLAIM_MS), limit);
  let delivered = 0;
  await Promise.all(
    due.map(async (m) => {
      const url = m.endpointUrl!;
      const blocked = await deps.guard.problem(url);
      const result = blocked
        ? { error: blocked }
        : await deps.notifier.post(url, m.body, {
            'content-type': 'application/xml',
            'message-id': m.id,
            'message-type': m.messageType,
          });
      const outcome = outcomeOf(result, m.attempts + 1, deps.clock.now(), deps.retryBaseMs);
      if (outcome.state === 'delivered') delivered++;
      await deps.systems.settle(m.id, outcome);
    }),
  );
  return delivered;
}

// ---------------------------------------------------------------------------------------------
// Inbound messages

/**
 * Reads, checks and applies one inbound NCTS message sent by (or for) the caller's administration.
 * Malformed or out-of-shape messages are invalid_data with each problem's element path; a message
 * for a movement the platform did not send is not_found; one that does not fit the segment's state
 * is a conflict. The same message id again answers the earlier result (`duplicate: true`).
 */
export async function receiveMessage(
  deps: CustomsDeps,
  actor: Actor,
  xml: string,
): Promise<{ result: InboundResult; duplicate: boolean }> {
  const org = await systemCaller(deps, actor);
  const read = readInboundMessage(xml, MAX_INBOUND_BYTES);
  if (!read.ok)
    throw new AppError(
      'invalid_data',
      `the message is not a valid NCTS message: ${read.problems[0]!.path}: ${read.problems[0]!.message}`,
      read.problems,
    );
  const m = read.message;
  const sha = deps.secrets.hash(xml);
  const earlier = async () => {
    const seen = await deps.systems.findInbound(
      'ncts',
      org.country,
      m.header.messageIdentification,
    );
    if (!seen) return undefined;
    if (seen.bodySha256 !== sha)
      throw new AppError(
        'conflict',
        `message ${m.header.messageIdentification} was received before with other content`,
        [{ path: 'messageIdentification', message: 'already used for another message' }],
      );
    return { result: seen.result, duplicate: true };
  };
  const before = await earlier();
  if (before) return before;
  const link = await linkOf(deps.systems, m, org.country);
  const route = routeFor(
    await deps.systems.routes(),
    link.office,
    await officeIndex(deps),
    org.country,
  );
  if (route?.system !== 'ncts')
    throw new AppError('conflict', `${org.country} customs decide on the desk, not in NCTS`);
  const applied: string[] = [];
  let after: CustomsDeclaration;
  try {
    after = await applyToSegment(
      deps,
      link.declarationId,
      link.country,
      `${org.id}/ncts`,
      org.id,
      (d) => {
        const s = d.segments.find((x) => x.seq === link.segmentSeq)!;
        const plan = planOf(m, s, link);
        applied.push(...(plan.record ? [plan.record] : []), ...plan.actions.map((a) => a.type));
        const result: InboundResult = {
          messageType: m.type,
          messageId: m.header.messageIdentification,
          declarationId: d.id,
          country: link.country,
          state: s.state,
          applied,
        };
        return {
          action: plan.actions,
          record: plan.record,
          detail: {
            system: SYSTEM_NAMES.ncts,
            messageType: m.type,
            messageId: m.header.messageIdentification,
            sender: m.header.messageSender,
            preparedAt: m.header.preparationDateAndTime,
            ...plan.detail,
          },
          systems: {
            links: plan.mrn ? [{ ...link, mrn: plan.mrn }] : [],
            inbound: {
              system: 'ncts',
              country: org.country,
              messageId: m.header.messageIdentification,
              messageType: m.type,
              declarationId: d.id,
              receivedAt: deps.clock.now(),
              bodySha256: sha,
              result,
            },
          },
        };
      },
    );
  } catch (e) {
    // The same message delivered twice at once: the second finds the first's record.
    const raced = await earlier();
    if (raced) return raced;
    throw e;
  }
  const state = after.segments.find((x) => x.seq === link.segmentSeq)!.state;
  const stored = await deps.systems.findInbound(
    'ncts',
    org.country,
    m.header.messageIdentification,
  );
  return {
    result: { ...(stored?.result ?? { applied }), state } as InboundResult,
    duplicate: false,
  };
}

/** The caller speaks for a customs administration's system: an officer or admin of it. */
export async function systemCaller(deps: CustomsDeps, actor: Actor): Promise<Organisation> {
  const org = await administration(deps, actor);
  if (actor.role !== 'officer' && actor.role !== 'admin')
    throw new AppError('forbidden', "a customs system acts with an officer's or admin's key");
  return org;
}

async function linkOf(
  systems: CustomsSystemStore,
  m: InboundMessage,
  country: string,
): Promise<SystemLink> {
  const mrn = 'mrn' in m ? m.mrn : null;
  const lrn = 'lrn' in m ? m.lrn : null;
  const link =
    (mrn ? await systems.findLink('ncts', { mrn }) : undefined) ??
    (lrn &&
    (m.type === 'CC028C' || m.type === 'CC056C' || m.type === 'CC060C' || m.type === 'CC029C')
      ? await systems.findLink('ncts', { lrn, office: m.office })
      : undefined);
  if (!link || link.country !== country)
    throw new AppError(
      'not_found',
      `no movement ${mrn ? `with MRN ${mrn}` : `with LRN ${lrn ?? '?'} at ${m.office}`} was sent to ${country} from this platform`,
      [
        {
          path: mrn ? 'TransitOperation/MRN' : 'TransitOperation/LRN',
          message: 'unknown movement',
        },
      ],
    );
  if (m.type === 'CC028C' && link.mrn && link.mrn !== m.mrn)
    throw new AppError('conflict', `the movement has MRN ${link.mrn} already, not ${m.mrn}`, [
      { path: 'TransitOperation/MRN', message: `already ${link.mrn}` },
    ]);
  return link;
}

/** Control result codes that found nothing wrong (code list CL047: A1, A2, A3). */
const SATISFACTORY = new Set(['A1', 'A2', 'A3']);

/** The lifecycle actions a message means for the segment, and what the audit records of it. */
function planOf(
  m: InboundMessage,
  s: CustomsDeclaration['segments'][number],
  link: SystemLink,
): { actions: SegmentAction[]; record?: string; detail: object; mrn?: string } {
  const decided = (lane: RiskDecision['lane']): SegmentAction[] =>
    s.state === 'accepted' ? [{ type: 'assess', decision: systemDecision(lane) }] : [];
  switch (m.type) {
    case 'CC028C':
      return { actions: [], record: 'mrn_allocated', detail: { mrn: m.mrn }, mrn: m.mrn };
    case 'CC060C':
      // Documents asked for: a documentary check (yellow); any other control: an inspection (red).
      return {
        actions: decided(m.notificationType === '1' ? 'yellow' : 'red'),
        record: 'control_decision',
        detail: {
          notificationType: m.notificationType,
          controls: m.controls,
          requestedDocuments: m.requestedDocuments,
        },
      };
    case 'CC029C': {
      const lane = s.lane ?? 'green';
      const actions: SegmentAction[] = [
        ...decided(m.controlResult ? 'red' : 'green'),
        { type: 'arrive' },
      ];
      const controlled = s.lane === 'red' || (s.state === 'accepted' && m.controlResult);
      if (controlled && !s.inspections.some((i) => i.kind === 'physical')) {
        if (!m.controlResult)
          throw new AppError(
            'conflict',
            'a release after a control decision carries the control result (ControlResult)',
            [{ path: 'CC029C/ControlResult', message: 'required after a control decision' }],
          );
        const ok = SATISFACTORY.has(m.controlResult.code);
        actions.push({
          type: 'record_inspection',
          inspection: {
            kind: 'physical',
            sealsIntact: ok,
            discrepancies: ok
              ? []
              : [m.controlResult.text ?? `control result ${m.controlResult.code}`],
          },
        });
      }
      if (lane === 'yellow') actions.push({ type: 'check_documents' });
      actions.push({ type: 'release' });
      return {
        actions,
        detail: { mrn: m.mrn, releaseDate: m.releaseDate, controlResult: m.controlResult },
        mrn: link.mrn ? undefined : m.mrn,
      } as { actions: SegmentAction[]; detail: object; mrn?: string };
    }
    case 'CC056C': {
      const reason = [
        `rejected in NCTS (code ${m.rejectionCode})`,
        m.rejectionReason,
        ...m.errors.map((e) => `${e.pointer}: error ${e.code} ${e.reason}`),
      ]
        .filter(Boolean)
        .join('; ');
      // An amendment or another request rejected leaves the movement as it was.
      return m.businessRejectionType === '015'
        ? {
            actions: [{ type: 'refuse', note: reason.slice(0, 500) }],
            detail: { ...m, header: undefined },
          }
        : { actions: [], record: 'rejection', detail: { ...m, header: undefined } };
    }
    case 'CC007C':
      return {
        actions: [{ type: 'exit' }],
        detail: { office: m.office, arrivedAt: m.arrivalDateAndTime },
      };
    case 'CC043C':
      return { actions: [], record: 'unloading_permission', detail: { office: m.office } };
    case 'CC044C':
      return {
        actions: [],
        record: 'unloading_remarks',
        detail: {
          conform: m.conform,
          sealsIntact: m.sealsIntact,
          remark: m.remark,
          unloadingDate: m.unloadingDate,
        },
      };
    case 'CC025C':
      return {
        actions: [{ type: 'discharge' }],
        detail: {
          office: m.office,
          releaseDate: m.releaseDate,
          releaseIndicator: m.releaseIndicator,
        },
      };
  }
}

/** The lane a system decided, as the lifecycle records a decision (no platform rule involved). */
export function systemDecision(lane: RiskDecision['lane']): RiskDecision {
  return {
    lane,
    // No platform rule or draw decided it: the audit record names the system that did.
    by: 'none',
    aeo: false,
    hits: [],
    random: { rate: 0, draw: 0, selected: false },
    topUp: { lane: null, counts: { green: 0, yellow: 0, blue: 0, red: 0 } },
    seed: 0,
  };
}
