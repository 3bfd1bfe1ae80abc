import type { DeclarationBody } from '../api/customs.ts';
import { canonicalJson } from '../core/customs/audit-chain.ts';
import {
  amendable,
  guaranteeReleased,
  statusOf,
  transition,
  UNDOABLE,
  type CustomsEventCode,
  type LastDecision,
  type SegmentAction,
} from '../core/customs/lifecycle.ts';
import { makeMrn } from '../core/customs/mrn.ts';
import { assessRisk, EMPTY_RULE_SET, NO_COUNTS, type RuleSet } from '../core/customs/risk.ts';
import { seedOf } from '../core/shared/rng.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import { completed, entryEta, officeIndex, segmentsOf } from './customs-itinerary.ts';
import { deliveriesOf, subscriberScopes } from './subscriptions.ts';
import type { CustomsDeps } from './customs-deps.ts';
import { factsOf } from './customs-facts.ts';
import { actorName, ownDeclaration } from './customs-views.ts';
import { AppError } from './errors.ts';
import {
  checkFitsSystems,
  declarationMessages,
  externalSegments,
  transportDocumentsOf,
  type ExternalOf,
} from './customs-outbound.ts';
import type { SystemWrites } from './customs-system-ports.ts';
import type {
  AuditEntry,
  CustomsDeclaration,
  CustomsSegment,
  DeclarationChange,
  OfficeInfo,
  RiskReads,
} from './customs-ports.ts';
import type { Organisation } from './account-ports.ts';
import type { NewDelivery, Shipment, StoredEvent } from './shipments.ts';

/**
 * Customs transit on the corridor (standards.md §1): a trader lodges one declaration before
 * departure; every country on its itinerary receives it at once, assesses its risk before the box
 * arrives (pre-arrival processing, TFA 7.1 and 11.9), and releases or controls it. Each decision
 * and officer action is appended to the hash-chained audit log in the transaction that makes it,
 * with the DCSA equipment events it means for the shipment's containers.
 */

/** Default pre-arrival horizon (issue: 48 h). */
export const PRE_ARRIVAL_HOURS = 48;

const TRADERS = new Set(['shipper', 'forwarder']);
const HOUR = 3_600_000;

// ---------------------------------------------------------------------------------------------
// Lodging, amending, invalidating

/** Lodges a declaration: validated, accepted with an MRN, and shared with every country on it. */
export async function lodgeDeclaration(
  deps: CustomsDeps,
  actor: Actor,
  body: DeclarationBody,
): Promise<{ declaration: CustomsDeclaration; created: boolean }> {
  if (!TRADERS.has(actor.organisationKind) && !isPlatformAdmin(actor))
    throw new AppError('forbidden', 'declarations are lodged by shippers and forwarders');
  const offices = await officeIndex(deps);
  const data = await completed(deps, actor, body, offices);
  const notify = await notifierFor(deps, data.shipmentId ?? null);
  const external = await externalSegments(deps, offices);
  const shipment = data.shipmentId ? await deps.tracking.findShipment(data.shipmentId) : undefined;
  const notes = await transportDocumentsOf(deps, data.shipmentId ?? null);
  const now = deps.clock.now();
  const first = data.itinerary![0]!;
  const unique = deps.secrets
    .token(16)
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase()
    .padEnd(12, '0')
    .slice(0, 12);
  const lodged: CustomsDeclaration = {
    id: deps.secrets.id('dcl'),
    mrn: makeMrn(now.getUTCFullYear(), first.country, unique),
    lrn: data.lrn,
    organisationId: actor.organisationId,
    shipmentId: data.shipmentId ?? null,
    holderId: data.holder.identificationNumber,
    data,
    version: 1,
    state: 'open',
    guaranteeState: 'held',
    segments: segmentsOf(deps, data, shipment, now.getTime()),
    createdAt: now,
    updatedAt: now,
  };
  checkFitsSystems(data, lodged.segments, external);
  const lodge: AuditEntry = {
    at: now,
    actor: actorName(actor),
    declarationId: lodged.id,
    country: null,
    action: 'lodge',
    detail: {
      mrn: lodged.mrn,
      lrn: lodged.lrn,
      version: 1,
      dataSha256: deps.secrets.hash(canonicalJson(data)),
      guarantee: data.guarantee,
      countries: lodged.segments.map((s) => s.country),
    },
  };
  // The segments due are assessed before the declaration is stored: one transaction for both.
  const assessed = await assessInMemory(
    deps,
    deps.customs.reads,
    { offices, notify, external },
    lodged,
    isDue(deps),
    'system',
    null,
  );
  const declaration = assessed.declaration ?? lodged;
  if (
    await deps.customs.create(declaration, {
      audit: [lodge, ...assessed.audit],
      events: assessed.events,
      deliveries: assessed.deliveries ?? [],
      counted: assessed.counted ?? [],
      systems: declarationMessages(deps, declaration, 'CC015C', external, [], notes),
    })
  )
    return { declaration, created: true };
  // The same message twice is one message (eTIR error 299); another one with that LRN is not.
  const known = (await deps.customs.findByLrn(actor.organisationId, body.lrn))!;
  if (canonicalJson(known.data) === canonicalJson(data))
    return { declaration: known, created: false };
  throw new AppError('conflict', `LRN ${body.lrn} is used by declaration ${known.mrn}`, [
    { path: 'body.lrn', message: 'already used for another declaration' },
  ]);
}

/** Replaces the declaration's data before any release; every country assesses it again. */
export async function amendDeclaration(
  deps: CustomsDeps,
  actor: Actor,
  id: string,
  body: DeclarationBody,
): Promise<CustomsDeclaration> {
  const current = await ownDeclaration(deps, actor, id);
  if (body.lrn !== current.lrn)
    throw new AppError('invalid_data', 'an amendment keeps the LRN', [
      { path: 'body.lrn', message: `must stay ${current.lrn}` },
    ]);
  const offices = await officeIndex(deps);
  const data = await completed(deps, actor, body, offices);
  const shipment = data.shipmentId ? await deps.tracking.findShipment(data.shipmentId) : undefined;
  const external = await externalSegments(deps, offices);
  const links = await deps.systems.linksOf(id);
  const notes = await transportDocumentsOf(deps, data.shipmentId ?? null);
  await deps.customs.update(id, (d) => {
    if (d.state !== 'open' || !amendable(d.segments.map((s) => s.state)))
      throw new AppError(
        'conflict',
        'the declaration can no longer be amended: a country has released it or it is closed',
      );
    const now = deps.clock.now();
    const version = d.version + 1;
    const amended: CustomsDeclaration = {
      ...d,
      data,
      shipmentId: data.shipmentId ?? null,
      holderId: data.holder.identificationNumber,
      version,
      segments: segmentsOf(deps, data, shipment, now.getTime()),
      updatedAt: now,
    };
    checkFitsSystems(data, amended.segments, external);
    // A movement a system knows is amended (CC013C); a new externally decided segment is lodged.
    const amendments = declarationMessages(deps, amended, 'CC013C', external, links, notes);
    const lodgings = declarationMessages(
      deps,
      {
        ...amended,
        segments: amended.segments.filter((s) => !links.some((l) => l.segmentSeq === s.seq)),
      },
      'CC015C',
      external,
      [],
      notes,
    );
    return Promise.resolve({
      result: undefined,
      declaration: amended,
      systems: {
        outbox: [...(amendments.outbox ?? []), ...(lodgings.outbox ?? [])],
        links: [...(amendments.links ?? []), ...(lodgings.links ?? [])],
      },
      audit: [
        {
          at: now,
          actor: actorName(actor),
          declarationId: id,
          country: null,
          action: 'amend',
          detail: { version, dataSha256: deps.secrets.hash(canonicalJson(data)) },
        },
      ],
      events: [],
    });
  });
  await assessDue(deps, id);
  return (await deps.customs.find(id))!;
}

/** Withdraws a declaration before any release; the guarantee is released. */
export async function invalidateDeclaration(
  deps: CustomsDeps,
  actor: Actor,
  id: string,
): Promise<CustomsDeclaration> {
  await ownDeclaration(deps, actor, id);
  await deps.customs.update(id, (d) => {
    if (d.state === 'invalidated')
      return Promise.resolve({ result: undefined, audit: [], events: [] });
    if (d.state !== 'open' || !amendable(d.segments.map((s) => s.state)))
      throw new AppError(
        'conflict',
        'the declaration can no longer be invalidated: a country has released it',
      );
    const now = deps.clock.now();
    return Promise.resolve({
      result: undefined,
      declaration: {
        ...d,
        state: 'invalidated',
        guaranteeState: 'released',
        segments: d.segments.map((s) => ({ ...s, state: 'invalidated' })),
        updatedAt: now,
      },
      audit: [
        {
          at: now,
          actor: actorName(actor),
          declarationId: id,
          country: null,
          action: 'invalidate',
          detail: {},
        },
        {
          at: now,
          actor: 'system',
          declarationId: id,
          country: null,
          action: 'guarantee_released',
          detail: { reference: d.data.guarantee.reference },
        },
      ],
      events: [],
    });
  });
  return (await deps.customs.find(id))!;
}

/** The trader answers a request for documents; the segment goes back to its office. */
export async function provideDocuments(
  deps: CustomsDeps,
  actor: Actor,
  id: string,
  country: string,
  documents: DeclarationBody['documents'],
): Promise<CustomsDeclaration> {
  await ownDeclaration(deps, actor, id);
  return applyToSegment(deps, id, country, actorName(actor), actor.organisationId, (d) => ({
    action: { type: 'provide_documents' },
    detail: { documents },
    data: { ...d.data, documents: [...d.data.documents, ...documents] },
  }));
}

// ---------------------------------------------------------------------------------------------
// Officers

/** The caller's customs administration, when it is that country's and the caller an officer. */
export async function customsOrganisation(
  deps: CustomsDeps,
  actor: Actor,
  country: string,
): Promise<Organisation> {
  const org = await deps.organisations.find(actor.organisationId);
  const admin = isPlatformAdmin(actor);
  if (!org || (!admin && (org.kind !== 'customs' || org.country !== country)))
    throw new AppError('forbidden', `only the customs of ${country} act on its segments`);
  if (!admin && actor.role !== 'officer' && actor.role !== 'admin')
    throw new AppError('forbidden', 'customs decisions are made by officers');
  return org;
}

// ---------------------------------------------------------------------------------------------
// Risk assessment, pre-arrival

/** Assesses the declaration's segments that are due: no ETA known, or expected within the horizon. */
export async function assessDue(deps: CustomsDeps, id: string): Promise<void> {
  await assessSegments(deps, id, isDue(deps), 'system', null);
}

/**
 * The pre-arrival job: segments still to assess get their ETA from the shipment's latest
 * estimate; those expected within the horizon are assessed now. Returns how many declarations
 * it assessed.
 */
export async function assessBeforeArrival(deps: CustomsDeps, limit = 200): Promise<number> {
  for (const d of await deps.customs.awaitingAssessment(limit)) {
    const shipment = await deps.tracking.findShipment(d.shipmentId!);
    if (shipment) await updateEtas(deps, d, shipment);
  }
  const now = deps.clock.now();
  const ids = await deps.customs.dueForAssessment(
    new Date(now.getTime() + deps.preArrivalHours * HOUR),
    limit,
  );
  for (const id of ids) await assessDue(deps, id);
  return ids.length;
}

/** The ETAs of a declaration's segments from its shipment's latest estimate. */
async function updateEtas(
  deps: CustomsDeps,
  d: CustomsDeclaration,
  shipment: Shipment,
): Promise<void> {
  {
    const now = deps.clock.now().getTime();
    const etas = d.segments.map((s) => entryEta(shipment, s.entryNodeId, now));
    if (etas.every((e, i) => e === d.segments[i]!.etaAt)) return;
    await deps.customs.update(d.id, (current) =>
      Promise.resolve({
        result: undefined,
        declaration: {
          ...current,
          segments: current.segments.map((s, i) =>
            s.state === 'accepted' ? { ...s, etaAt: etas[i] ?? null } : s,
          ),
        },
        audit: [],
        events: [],
      }),
    );
  }
}

/** Assesses the declaration's chosen segments that are still to assess, in one transaction. */
export async function assessSegments(
  deps: CustomsDeps,
  id: string,
  which: (s: CustomsSegment, index: number) => boolean,
  actor: string,
  postedBy: string | null,
): Promise<void> {
  const prepared = await prepare(deps, id);
  await deps.customs.update(id, (d, reads) =>
    assessInMemory(deps, reads, prepared, d, which, actor, postedBy),
  );
}

/** Segments due: the first (the box is at departure), those without an ETA or expected soon. */
function isDue(deps: CustomsDeps): (s: CustomsSegment, index: number) => boolean {
  const horizon = deps.clock.now().getTime() + deps.preArrivalHours * HOUR;
  return (s, i) => i === 0 || s.etaAt === null || s.etaAt <= horizon;
}

/** The declaration with the chosen segments assessed, and what that writes. */
async function assessInMemory(
  deps: CustomsDeps,
  reads: RiskReads,
  { offices, notify, external }: Prepared,
  d: CustomsDeclaration,
  which: (s: CustomsSegment, index: number) => boolean,
  actor: string,
  postedBy: string | null,
): Promise<DeclarationChange<undefined>> {
  const now = deps.clock.now();
  const audit: AuditEntry[] = [];
  const events: StoredEvent[] = [];
  const counted: NonNullable<DeclarationChange<void>['counted']> = [];
  const segments = [...d.segments];
  if (d.state !== 'open') return { result: undefined, audit, events };
  let findings: number | undefined;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    // A segment decided in a customs system is not assessed by the platform.
    if (s.state !== 'accepted' || !which(s, i) || external(s)) continue;
    const stored = await reads.ruleSet([s.office, s.country]);
    const rules: RuleSet = stored?.rules ?? EMPTY_RULE_SET;
    const counts = stored?.counts ?? NO_COUNTS;
    findings ??= await reads.pastFindings(d.holderId);
    const facts = factsOf(d, s, segments, findings);
    const seed = seedOf(`${d.mrn}/${s.country}/${d.version}`);
    const decision = assessRisk(rules, facts, counts, seed);
    const moved = transition(s, { type: 'assess', decision }, now.getTime());
    if (!moved.ok || !moved.changed) continue;
    const shared = decision.hits
      .filter((h) => h.selected && h.share)
      .map((h) => ({ country: s.country, ruleId: h.ruleId, lane: h.lane, at: now.getTime() }));
    segments[i] = { ...s, ...moved.status, aeo: decision.aeo, shared, lastDecision: null };
    if (stored) counted.push({ scope: stored.scope, version: stored.version, lane: decision.lane });
    audit.push({
      at: now,
      actor,
      declarationId: d.id,
      country: s.country,
      action: 'assess',
      detail: {
        lane: decision.lane,
        by: decision.by,
        ruleSet: stored ? { scope: stored.scope, version: stored.version } : null,
        facts,
        counts,
        seed,
        decision,
      },
    });
    events.push(...eventsFor(deps, offices, d, segments[i]!, moved.events, now, postedBy));
  }
  return {
    result: undefined,
    declaration: audit.length > 0 ? { ...d, segments, updatedAt: now } : undefined,
    audit,
    events,
    deliveries: notify(events),
    counted,
  };
}

// ---------------------------------------------------------------------------------------------
// Applying a lifecycle action

/**
 * Applies lifecycle actions to the country's segment in one transaction: an audit record for each
 * action that changes it (and `record`, when given, for what changes no state), the DCSA events
 * and, for an officer's decision, the segment before it (to undo it within a minute); with what
 * the change writes for the customs systems.
 */
export async function applyToSegment(
  deps: CustomsDeps,
  id: string,
  country: string,
  actor: string,
  postedBy: string,
  decide: (d: CustomsDeclaration) => {
    action: SegmentAction | readonly SegmentAction[];
    detail: unknown;
    data?: DeclarationBody;
    record?: string | undefined;
    systems?: SystemWrites;
  },
): Promise<CustomsDeclaration> {
  const { offices, notify } = await prepare(deps, id);
  await deps.customs.update(id, (d) => {
    const now = deps.clock.now();
    const i = d.segments.findIndex(
      (s) => s.country === country && !['discharged', 'invalidated'].includes(s.state),
    );
    const index = i >= 0 ? i : d.segments.findIndex((s) => s.country === country);
    const s = d.segments[index]!;
    const { action, detail, data, record, systems } = decide(d);
    const actions: readonly SegmentAction[] = Array.isArray(action) ? action : [action];
    const audit: AuditEntry[] = record
      ? [{ at: now, actor, declarationId: d.id, country, action: record, detail }]
      : [];
    let status = statusOf(s);
    let lastDecision: LastDecision | null = s.lastDecision;
    const codes: CustomsEventCode[] = [];
    for (const a of actions) {
      const moved = transition(status, a, now.getTime());
      if (!moved.ok)
        throw new AppError('conflict', moved.reason, [
          { path: 'body.type', message: moved.reason },
        ]);
      if (!moved.changed) continue;
      lastDecision = UNDOABLE.has(a.type)
        ? { action: a.type, at: now.getTime(), by: actor, before: status }
        : null;
      status = moved.status;
      codes.push(...moved.events);
      audit.push({ at: now, actor, declarationId: d.id, country, action: a.type, detail });
    }
    if (audit.length === 0) return { result: undefined, audit: [], events: [], systems };
    const segments = d.segments.map((x, k) =>
      k === index ? { ...x, ...status, lastDecision } : x,
    );
    let next: CustomsDeclaration = { ...d, segments, data: data ?? d.data, updatedAt: now };
    if (d.guaranteeState === 'held' && guaranteeReleased(segments.map((x) => x.state))) {
      next = { ...next, state: 'discharged', guaranteeState: 'released' };
      audit.push({
        at: now,
        actor: 'system',
        declarationId: d.id,
        country: null,
        action: 'guarantee_released',
        detail: {
          reference: d.data.guarantee.reference,
          amount: d.data.guarantee.amount,
          currency: d.data.guarantee.currency,
        },
      });
    }
    const events = eventsFor(deps, offices, d, segments[index]!, codes, now, postedBy);
    return {
      result: undefined,
      declaration: next,
      audit,
      events,
      deliveries: notify(events),
      systems,
    };
  });
  return (await deps.customs.find(id))!;
}

/** What a change needs read before its transaction (inside it, only its own queries run). */
interface Prepared {
  offices: ReadonlyMap<string, OfficeInfo>;
  /** The webhook deliveries of the events, for the subscribers who may see them. */
  notify: (events: readonly StoredEvent[]) => NewDelivery[];
  /** The system deciding on a segment, when not the desk. */
  external: ExternalOf;
}

async function prepare(deps: CustomsDeps, id: string): Promise<Prepared> {
  const [offices, shipmentId] = await Promise.all([officeIndex(deps), deps.customs.shipmentOf(id)]);
  return {
    offices,
    notify: await notifierFor(deps, shipmentId),
    external: await externalSegments(deps, offices),
  };
}

async function notifierFor(
  deps: CustomsDeps,
  shipmentId: string | null,
): Promise<Prepared['notify']> {
  if (!shipmentId) return () => [];
  const [shipment, scopes] = await Promise.all([
    deps.tracking.findShipment(shipmentId),
    subscriberScopes(deps),
  ]);
  if (!shipment || scopes.length === 0) return () => [];
  const shipments = new Map([[shipment.id, shipment]]);
  return (events) =>
    events.length === 0
      ? []
      : deliveriesOf(scopes, shipments, events, deps.clock.now(), () => deps.secrets.id('dlv'));
}

/** The DCSA equipment events of a customs step, one per container, at the office's place. */
function eventsFor(
  deps: CustomsDeps,
  offices: ReadonlyMap<string, OfficeInfo>,
  d: CustomsDeclaration,
  s: CustomsSegment,
  codes: readonly CustomsEventCode[],
  now: Date,
  postedBy: string | null,
): StoredEvent[] {
  if (codes.length === 0 || !d.shipmentId) return [];
  const office = offices.get(s.exitOffice && codes.includes('CROS') ? s.exitOffice : s.office);
  const node = office?.nodeId ? deps.network.nodes.get(office.nodeId) : undefined;
  const containers = d.data.containers ?? [];
  return codes.flatMap((code) =>
    containers.map((c) => ({
      eventID: deps.secrets.uuid(),
      shipmentId: d.shipmentId!,
      postedBy: postedBy ?? office?.organisationId ?? null,
      eventType: 'EQUIPMENT' as const,
      eventClassifierCode: 'ACT' as const,
      eventTypeCode: code,
      eventDateTime: now.getTime(),
      eventCreatedDateTime: now.getTime(),
      unLocationCode: node?.unLocode ?? null,
      facilityTypeCode: null,
      equipmentReference: c.equipmentReference,
      modeOfTransport: null,
    })),
  );
}
