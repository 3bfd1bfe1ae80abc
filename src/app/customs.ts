import type { DeclarationBody } from '../api/customs.ts';
import { canonicalJson } from '../core/customs/audit-chain.ts';
import {
  amendable,
  guaranteeReleased,
  lodgedSegment,
  statusOf,
  transition,
  UNDOABLE,
  type CustomsEventCode,
  type LastDecision,
  type SegmentAction,
} from '../core/customs/lifecycle.ts';
import { makeMrn } from '../core/customs/mrn.ts';
import { regimesOf } from '../core/customs/regimes.ts';
import { routeSteps, type RouteStep } from '../core/documents/route.ts';
import { releaseTimes, type ReleaseTimes } from '../core/customs/release-times.ts';
import {
  assessRisk,
  backtest,
  EMPTY_RULE_SET,
  NO_COUNTS,
  type BacktestResult,
  type RiskDecision,
  type RiskFacts,
  type RuleHit,
  type RuleSet,
} from '../core/customs/risk.ts';
import type { Network } from '../core/network/network.ts';
import type { DirectedLink } from '../core/network/path-facts.ts';
import { seedOf } from '../core/shared/rng.ts';
import type { EpochMs } from '../core/shared/units.ts';
import { containerNumberProblem } from '../core/tracking/iso6346.ts';
import type { ItineraryRide } from '../core/tracking/progress.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import { deliveriesOf, subscriberScopes } from './subscriptions.ts';
import { AppError, type FieldError } from './errors.ts';
import type {
  AuditEntry,
  Clock,
  CustomsDeclaration,
  CustomsSegment,
  CustomsStore,
  DeclarationChange,
  OfficeInfo,
  PlanStore,
  RiskReads,
  Secrets,
  SubscriptionStore,
  StoredRuleSet,
} from './ports.ts';
import type { Organisation, OrganisationStore } from './account-ports.ts';
import type { NewDelivery, Shipment, StoredEvent, TrackingStore } from './shipments.ts';
import type { BookingStore } from './bookings.ts';

/**
 * Customs transit on the corridor (standards.md §1): a trader lodges one declaration before
 * departure; every country on its itinerary receives it at once, assesses its risk before the box
 * arrives (pre-arrival processing, TFA 7.1 and 11.9), and releases or controls it. Each decision
 * and officer action is appended to the hash-chained audit log in the transaction that makes it,
 * with the DCSA equipment events it means for the shipment's containers.
 */

export interface CustomsDeps {
  network: Network;
  customs: CustomsStore;
  tracking: TrackingStore;
  organisations: OrganisationStore;
  clock: Clock;
  secrets: Secrets;
  /** Bookings and plans, to fill a declaration's itinerary from. */
  bookings: BookingStore;
  plans: PlanStore;
  /** Subscribers get the customs events of the shipments they may see, as any other events. */
  subscriptions: SubscriptionStore;
  /** Segments are assessed when the box is expected at their office within this many hours. */
  preArrivalHours: number;
}

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
  const shipment = data.shipmentId ? await deps.tracking.findShipment(data.shipmentId) : undefined;
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
    { offices, notify },
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
  const data = await completed(deps, actor, body, await officeIndex(deps));
  const shipment = data.shipmentId ? await deps.tracking.findShipment(data.shipmentId) : undefined;
  await deps.customs.update(id, (d) => {
    if (d.state !== 'open' || !amendable(d.segments.map((s) => s.state)))
      throw new AppError(
        'conflict',
        'the declaration can no longer be amended: a country has released it or it is closed',
      );
    const now = deps.clock.now();
    const version = d.version + 1;
    return Promise.resolve({
      result: undefined,
      declaration: {
        ...d,
        data,
        shipmentId: data.shipmentId ?? null,
        holderId: data.holder.identificationNumber,
        version,
        segments: segmentsOf(deps, data, shipment, now.getTime()),
        updatedAt: now,
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
    const etas = d.segments.map((s) => entryEta(shipment, s.entryNodeId));
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
  { offices, notify }: Prepared,
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
    if (s.state !== 'accepted' || !which(s, i)) continue;
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

/** What the risk engine sees of a segment: the declaration, the route, what came before. */
function factsOf(
  d: CustomsDeclaration,
  s: CustomsSegment,
  segments: readonly CustomsSegment[],
  pastFindings: number,
): RiskFacts {
  const containers = d.data.containers ?? [];
  return {
    holderId: d.holderId,
    consignors: d.data.consignments.map((c) => c.consignor.name),
    items: d.data.consignments.flatMap((c) =>
      c.goodsItems.map((g) => ({
        hsCode: g.hsCode,
        origin: g.countryOfOrigin,
        netMassKg: g.netMassKg,
        value: g.value,
        currency: g.currency,
      })),
    ),
    routeCountries: segments.map((x) => x.country),
    offices: segments.flatMap((x) => (x.exitOffice ? [x.office, x.exitOffice] : [x.office])),
    sealsMissing: containers.some((c) => c.seals.length === 0),
    pastFindings,
    sharedFindings: segments.filter((x) => x.seq < s.seq).reduce((n, x) => n + x.shared.length, 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Applying a lifecycle action

/**
 * Applies a lifecycle action to the country's segment in one transaction: the audit record, the
 * DCSA events and, for an officer's decision, the segment before it (to undo it within a minute).
 */
export async function applyToSegment(
  deps: CustomsDeps,
  id: string,
  country: string,
  actor: string,
  postedBy: string,
  decide: (d: CustomsDeclaration) => {
    action: SegmentAction;
    detail: unknown;
    data?: DeclarationBody;
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
    const { action, detail, data } = decide(d);
    const moved = transition(s, action, now.getTime());
    if (!moved.ok)
      throw new AppError('conflict', moved.reason, [{ path: 'body.type', message: moved.reason }]);
    if (!moved.changed) return { result: undefined, audit: [], events: [] };
    const lastDecision: LastDecision | null = UNDOABLE.has(action.type)
      ? { action: action.type, at: now.getTime(), by: actor, before: statusOf(s) }
      : null;
    const segments = d.segments.map((x, k) =>
      k === index ? { ...x, ...moved.status, lastDecision } : x,
    );
    const audit: AuditEntry[] = [
      { at: now, actor, declarationId: d.id, country, action: action.type, detail },
    ];
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
    const events = eventsFor(deps, offices, d, segments[index]!, moved.events, now, postedBy);
    return { result: undefined, declaration: next, audit, events, deliveries: notify(events) };
  });
  return (await deps.customs.find(id))!;
}

/** What a change needs read before its transaction (inside it, only its own queries run). */
interface Prepared {
  offices: ReadonlyMap<string, OfficeInfo>;
  /** The webhook deliveries of the events, for the subscribers who may see them. */
  notify: (events: readonly StoredEvent[]) => NewDelivery[];
}

async function prepare(deps: CustomsDeps, id: string): Promise<Prepared> {
  const [offices, shipmentId] = await Promise.all([officeIndex(deps), deps.customs.shipmentOf(id)]);
  return { offices, notify: await notifierFor(deps, shipmentId) };
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

// ---------------------------------------------------------------------------------------------
// Reading

export type DeclarationView =
  | { kind: 'trader'; declaration: CustomsDeclaration }
  | { kind: 'customs'; declaration: CustomsDeclaration; country: string }
  | { kind: 'carrier'; declaration: CustomsDeclaration };

/** A declaration as the caller may see it, or not_found. */
export async function getDeclaration(
  deps: CustomsDeps,
  actor: Actor,
  id: string,
): Promise<DeclarationView> {
  const d = await deps.customs.find(id);
  const view = d ? await viewOf(deps, actor, d) : undefined;
  if (!view) throw new AppError('not_found', `no declaration ${id}`);
  return view;
}

/** The declarations the caller may see, newest first. */
export async function listDeclarations(
  deps: CustomsDeps,
  actor: Actor,
): Promise<DeclarationView[]> {
  if (isPlatformAdmin(actor))
    return (await deps.customs.list({ limit: 500 })).map((declaration) => ({
      kind: 'trader',
      declaration,
    }));
  const org = await deps.organisations.find(actor.organisationId);
  if (!org) return [];
  let found: CustomsDeclaration[];
  if (org.kind === 'customs')
    found = await deps.customs.list({ countries: [org.country], limit: 500 });
  else if (org.kind === 'carrier') {
    const shipments = (
      await deps.tracking.listShipments({
        organisationId: org.id,
        admin: false,
        serviceIds: org.services,
        countries: [],
      })
    )
      .filter((s) => s.serviceIds.some((x) => org.services.includes(x)))
      .map((s) => s.id);
    found =
      shipments.length > 0 ? await deps.customs.list({ shipmentIds: shipments, limit: 500 }) : [];
  } else found = await deps.customs.list({ organisationId: org.id, limit: 500 });
  const views = await Promise.all(found.map((d) => viewOf(deps, actor, d, org)));
  return views.filter((v): v is DeclarationView => v !== undefined);
}

/** The declaration as this caller may see it, or undefined when it may not. */
export async function viewOf(
  deps: CustomsDeps,
  actor: Actor,
  d: CustomsDeclaration,
  known?: Organisation,
): Promise<DeclarationView | undefined> {
  if (isPlatformAdmin(actor) || d.organisationId === actor.organisationId)
    return { kind: 'trader', declaration: d };
  const org = known ?? (await deps.organisations.find(actor.organisationId));
  if (!org) return undefined;
  if (org.kind === 'customs' && d.segments.some((s) => s.country === org.country))
    return { kind: 'customs', declaration: d, country: org.country };
  if (org.kind === 'carrier' && d.shipmentId) {
    const shipment = await deps.tracking.findShipment(d.shipmentId);
    if (shipment && shipment.serviceIds.some((x) => org.services.includes(x)))
      return { kind: 'carrier', declaration: d };
  }
  return undefined;
}

async function ownDeclaration(
  deps: CustomsDeps,
  actor: Actor,
  id: string,
): Promise<CustomsDeclaration> {
  const d = await deps.customs.find(id);
  if (!d) throw new AppError('not_found', `no declaration ${id}`);
  if (d.organisationId !== actor.organisationId && !isPlatformAdmin(actor)) {
    if (await viewOf(deps, actor, d))
      throw new AppError('forbidden', 'only the trader who lodged it may do this');
    throw new AppError('not_found', `no declaration ${id}`);
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// Rule sets, back-tests, replay, metrics, audit

/** Publishes a new version of a country's or office's rule set (its customs administrators). */
export async function publishRuleSet(
  deps: CustomsDeps,
  actor: Actor,
  scope: string,
  rules: RuleSet,
): Promise<StoredRuleSet> {
  await requireRuleAdmin(deps, actor, scope);
  return deps.customs.publishRuleSet(scope, rules, actorName(actor), deps.clock.now());
}

/**
 * The rule set in force for a country or office: the office's own, else its country's, else
 * (none published) the empty rule set as version 0.
 */
export async function currentRuleSet(
  deps: CustomsDeps,
  actor: Actor,
  scope: string,
): Promise<StoredRuleSet> {
  await customsOrganisation(deps, actor, scope.slice(0, 2));
  const scopes = scope.length > 2 ? [scope, scope.slice(0, 2)] : [scope];
  const found = await deps.customs.reads.ruleSet(scopes);
  // None published: every segment goes green, which is the rule set in force.
  return (
    found ?? {
      scope: scope.slice(0, 2),
      version: 0,
      rules: EMPTY_RULE_SET,
      counts: NO_COUNTS,
      createdBy: 'platform',
      createdAt: new Date(0),
    }
  );
}

/** Runs a rule set over the scope's past declarations (at most `limit`, oldest first). */
export async function backtestRuleSet(
  deps: CustomsDeps,
  actor: Actor,
  scope: string,
  rules: RuleSet,
  limit = 10_000,
): Promise<BacktestResult> {
  await customsOrganisation(deps, actor, scope.slice(0, 2));
  const country = scope.slice(0, 2);
  const past = (await deps.customs.list({ countries: [country], limit })).reverse();
  return backtest(
    rules,
    past.flatMap((d) =>
      d.segments
        .filter((s) => s.country === country && (scope.length === 2 || s.office === scope))
        .map((s) => ({
          facts: factsOf(d, s, d.segments, 0),
          seed: seedOf(`${d.mrn}/${s.country}/${d.version}`),
        })),
    ),
  );
}

/** The last risk decision of a segment, recomputed from its audit record: the same or not. */
export async function replayDecision(
  deps: CustomsDeps,
  actor: Actor,
  id: string,
  country: string,
): Promise<{ recorded: RiskDecision; replayed: RiskDecision; identical: boolean }> {
  await customsOrganisation(deps, actor, country);
  const records = (await deps.customs.auditRecordsOf(id)).filter(
    (r) => r.country === country && r.action === 'assess',
  );
  const last = records.at(-1);
  if (!last) throw new AppError('not_found', `no risk decision on the ${country} segment of ${id}`);
  const detail = last.detail as {
    ruleSet: { scope: string; version: number } | null;
    facts: RiskFacts;
    counts: typeof NO_COUNTS;
    seed: number;
    decision: RiskDecision;
  };
  const set = detail.ruleSet
    ? (await deps.customs.ruleSetVersion(detail.ruleSet.scope, detail.ruleSet.version))?.rules
    : EMPTY_RULE_SET;
  if (!set) throw new AppError('not_found', 'the rule set version of that decision is gone');
  let replayed = assessRisk(set, detail.facts, detail.counts, detail.seed);
  // Decisions recorded before hits carried their rule's description compare without it.
  if (detail.decision.hits.some((h) => h.description === undefined))
    replayed = { ...replayed, hits: replayed.hits.map(({ description: _, ...h }) => h as RuleHit) };
  return {
    recorded: detail.decision,
    replayed,
    identical: canonicalJson(replayed) === canonicalJson(detail.decision),
  };
}

/** Release times per office and lane (WCO TRS): customs see their country, the council all. */
export async function customsMetrics(
  deps: CustomsDeps,
  actor: Actor,
  filter: { country?: string | undefined; from?: Date | undefined; to?: Date | undefined },
): Promise<ReleaseTimes> {
  const org = await deps.organisations.find(actor.organisationId);
  let countries: string[] | undefined = filter.country ? [filter.country] : undefined;
  if (!isPlatformAdmin(actor) && org?.kind !== 'coordinator') {
    if (org?.kind !== 'customs')
      throw new AppError('forbidden', 'release times are for customs and the council');
    if (filter.country && filter.country !== org.country)
      throw new AppError('forbidden', `your administration sees ${org.country} only`);
    countries = [org.country];
  }
  return releaseTimes(
    await deps.customs.timedSegments({ countries, from: filter.from, to: filter.to }),
  );
}

async function requireRuleAdmin(deps: CustomsDeps, actor: Actor, scope: string): Promise<void> {
  if (isPlatformAdmin(actor)) return;
  const org = await deps.organisations.find(actor.organisationId);
  if (!org || org.kind !== 'customs' || org.country !== scope.slice(0, 2))
    throw new AppError(
      'forbidden',
      `only the customs administration of ${scope.slice(0, 2)} edits its rules`,
    );
  if (actor.role !== 'admin')
    throw new AppError('forbidden', 'rule sets are edited by customs administrators');
  if (scope.length > 2 && !org.customsOffices.some((o) => o.code === scope))
    throw new AppError('invalid_data', `no office ${scope} in your administration`, [
      { path: 'params.scope', message: 'not one of your offices' },
    ]);
}

// ---------------------------------------------------------------------------------------------
// Completing and checking a declaration

/** The declaration with its itinerary and containers filled from the shipment, checked whole. */
async function completed(
  deps: CustomsDeps,
  actor: Actor,
  body: DeclarationBody,
  offices: ReadonlyMap<string, OfficeInfo>,
): Promise<DeclarationBody> {
  const errors: FieldError[] = [];
  let shipment: Shipment | undefined;
  if (body.shipmentId !== undefined) {
    shipment = await deps.tracking.findShipment(body.shipmentId);
    if (!shipment || (shipment.organisationId !== actor.organisationId && !isPlatformAdmin(actor)))
      errors.push({ path: 'body.shipmentId', message: 'not a shipment of your organisation' });
  }
  const containers =
    body.containers ??
    shipment?.equipment.map((e) => ({ equipmentReference: e.equipmentReference, seals: [] })) ??
    [];
  containers.forEach((c, i) => {
    const problem = containerNumberProblem(c.equipmentReference);
    if (problem)
      errors.push({ path: `body.containers[${i}].equipmentReference`, message: problem });
  });
  let itinerary = body.itinerary;
  if (!itinerary) {
    const rides = shipment?.rides ?? (await ridesNamed(deps, actor, body, errors));
    if (rides) itinerary = itineraryOf(deps.network, rides, offices, errors);
    else if (errors.length === 0)
      errors.push({
        path: 'body.itinerary',
        message:
          'give the itinerary, or a shipmentId, bookingId or planId and itineraryId to fill it from',
      });
  }
  itinerary?.forEach((s, i) => {
    for (const key of ['office', 'exitOffice'] as const) {
      const code = s[key];
      if (code === undefined) continue;
      const office = offices.get(code);
      if (!office)
        errors.push({
          path: `body.itinerary[${i}].${key}`,
          message: `no customs office ${code} is registered`,
        });
      else if (office.country !== s.country)
        errors.push({
          path: `body.itinerary[${i}].${key}`,
          message: `${code} is an office of ${office.country}, not ${s.country}`,
        });
    }
    if (i > 0 && itinerary[i - 1]!.country === s.country)
      errors.push({
        path: `body.itinerary[${i}].country`,
        message: 'the same country as the segment before',
      });
  });
  if (errors.length > 0) throw new AppError('invalid_data', errors[0]!.message, errors);
  return { ...body, containers, itinerary };
}

async function officeIndex(deps: CustomsDeps): Promise<Map<string, OfficeInfo>> {
  return new Map((await deps.customs.offices()).map((o) => [o.code, o]));
}

/**
 * The customs itinerary of a shipment: its path split by country with the regime of each
 * (core/customs/regimes.ts), and for each country the office at the first node of its stretch that
 * has one (departure or entry), the last such as the exit office; without one on the stretch, the
 * administration's first office. Sea crossings have no segment of their own.
 */
function itineraryOf(
  network: Network,
  rides: readonly RideStops[],
  offices: ReadonlyMap<string, OfficeInfo>,
  errors: FieldError[],
): NonNullable<DeclarationBody['itinerary']> {
  const path = routeSteps(network, rides);
  const byNode = new Map<string, OfficeInfo[]>();
  for (const o of offices.values())
    if (o.nodeId) byNode.set(o.nodeId, [...(byNode.get(o.nodeId) ?? []), o]);
  const country = (id: string) => network.nodes.get(id)!.country;
  const out: NonNullable<DeclarationBody['itinerary']> = [];
  const segments = regimesOf(network, path);
  segments.forEach((seg, k) => {
    // A crossing by sea has no segment of its own; where it lands without land legs after it,
    // the port is the segment of the country it lands in.
    if (seg.customsRegime === 'sea_crossing') {
      const landed = seg.countries[1]!;
      const next = segments[k + 1];
      if (next && next.customsRegime !== 'sea_crossing' && next.countries[0] === landed) return;
      const destination = path.at(-1)!.to;
      seg = {
        ...seg,
        from: seg.to,
        countries: [landed],
        customsRegime: next
          ? 'national_transit'
          : network.nodes.get(destination)!.kind === 'free_economic_zone'
            ? 'free_zone_entry'
            : 'import',
      };
    }
    const c = seg.countries[0]!;
    const nodes = nodesBetween(path, seg.from, seg.to).filter((n) => country(n) === c);
    const here = nodes.flatMap((n) => (byNode.get(n) ?? []).filter((o) => o.country === c));
    const fallback = [...offices.values()]
      .filter((o) => o.country === c)
      .sort((a, b) => a.code.localeCompare(b.code))[0];
    const office = here[0] ?? fallback;
    if (!office) {
      errors.push({
        path: 'body.itinerary',
        message: `no customs office of ${c} is registered; give the itinerary with an office for ${c}`,
      });
      return;
    }
    const exit = here.at(-1);
    const last = out.at(-1);
    if (last && last.country === c) {
      if (exit && exit.code !== last.office) last.exitOffice = exit.code;
      return;
    }
    out.push({
      country: c,
      regime: seg.customsRegime as Exclude<typeof seg.customsRegime, 'sea_crossing'>,
      office: office.code,
      ...(exit && exit.code !== office.code ? { exitOffice: exit.code } : {}),
      meansOfTransport: meansEntering(network, path, rides, c, out.length === 0),
    });
  });
  return out;
}

/**
 * The means of transport that crosses into country `c` (for the first country, the one leaving
 * its departure office): the ride of the first step entering it, named by its service — the
 * train or vessel — and its departure day, at most 35 characters (the eTIR/NCTS field); the
 * mode of that step's link.
 */
function meansEntering(
  network: Network,
  path: readonly RouteStep[],
  rides: readonly RideStops[],
  c: string,
  first: boolean,
): { mode: 'rail' | 'road' | 'sea' | 'ferry'; identification: string } {
  const country = (id: string) => network.nodes.get(id)?.country;
  const step =
    (first ? path[0] : path.find((x) => country(x.to) === c && country(x.from) !== c)) ??
    path.find((x) => country(x.to) === c) ??
    path[0]!;
  const ride = rides[step.rideIndex] ?? rides[0]!;
  const mode = step.link.mode;
  return {
    mode: mode === 'road' || mode === 'sea' || mode === 'ferry' ? mode : 'rail',
    identification: transportName(network.services.get(ride.serviceId)?.name, ride.tripId),
  };
}

/** "Qilu trans-Caspian train 2026-12-04": the service's name (before any comma) and its day. */
function transportName(service: string | undefined, tripId: string): string {
  const day = /@(\d{4}-\d{2}-\d{2})/.exec(tripId)?.[1];
  const name = (service ?? tripId.split('@')[0]!).split(',')[0]!.trim();
  const room = day ? 35 - day.length - 1 : 35;
  const cut = name.length <= room ? name : name.slice(0, room).replace(/\s+\S*$/, '');
  return day ? `${cut || name.slice(0, room)} ${day}` : cut || name.slice(0, 35);
}

/** A ride as the itinerary needs it: its trip and service, where it boards and alights. */
type RideStops = Pick<ItineraryRide, 'tripId' | 'serviceId' | 'stops'>;

/** The rides of the booking or plan itinerary the declaration names, or undefined. */
async function ridesNamed(
  deps: CustomsDeps,
  actor: Actor,
  body: DeclarationBody,
  errors: FieldError[],
): Promise<RideStops[] | undefined> {
  const ride = (tripId: string, from: string, to: string): RideStops => ({
    tripId,
    serviceId: tripId.split('@')[0]!,
    stops: [from, to],
  });
  if (body.bookingId !== undefined) {
    const booking = await deps.bookings.find(body.bookingId);
    if (!booking || (booking.organisationId !== actor.organisationId && !isPlatformAdmin(actor))) {
      errors.push({ path: 'body.bookingId', message: 'not a booking of your organisation' });
      return undefined;
    }
    return booking.rides.map((r) => ride(r.tripId, r.fromNodeId, r.toNodeId));
  }
  if (body.planId !== undefined) {
    const plan = await deps.plans.find(body.planId, deps.clock.now());
    const it = plan?.itineraries.find((x) => x.id === body.itineraryId);
    if (!it) {
      errors.push({
        path: plan ? 'body.itineraryId' : 'body.planId',
        message: plan ? 'no such itinerary in the plan' : 'no such plan (plans are kept 24 hours)',
      });
      return undefined;
    }
    return it.rides.map((r) => ride(r.tripId, r.from, r.to));
  }
  return undefined;
}

function nodesBetween(path: readonly DirectedLink[], from: string, to: string): string[] {
  const nodes = [path[0]!.from, ...path.map((l) => l.to)];
  const a = nodes.indexOf(from);
  const b = nodes.indexOf(to, a);
  return nodes.slice(a, b + 1);
}

function segmentsOf(
  deps: CustomsDeps,
  data: DeclarationBody,
  shipment: Shipment | undefined,
  now: EpochMs,
): CustomsSegment[] {
  const offices = data.itinerary!;
  return offices.map((s, seq) => {
    const entryNodeId = entryNode(deps, shipment, s.country, s.office);
    return {
      ...lodgedSegment(now),
      seq,
      country: s.country,
      regime: s.regime,
      office: s.office,
      exitOffice: s.exitOffice ?? null,
      entryNodeId,
      aeo: false,
      shared: [],
      etaAt: shipment ? entryEta(shipment, entryNodeId) : null,
      lastDecision: null,
    };
  });
}

/** Where the box enters a country's segment: the first stop of the shipment in that country. */
function entryNode(
  deps: CustomsDeps,
  shipment: Shipment | undefined,
  country: string,
  _office: string,
): string | null {
  if (!shipment) return null;
  for (const r of shipment.rides)
    for (const n of r.stops) if (deps.network.nodes.get(n)?.country === country) return n;
  return null;
}

/**
 * When the box is expected at a node: its planned arrival there (departure at the origin),
 * moved by the shipment's current delay (its P50 arrival against the planned one).
 */
function entryEta(shipment: Shipment, nodeId: string | null): EpochMs | null {
  if (!nodeId) return null;
  const lastRide = shipment.rides.at(-1)!;
  const plannedEnd = lastRide.plannedArrivals.at(-1) ?? null;
  const delay =
    shipment.etaP50 && plannedEnd !== null
      ? Math.max(0, shipment.etaP50.getTime() - plannedEnd)
      : 0;
  for (const r of shipment.rides) {
    const k = r.stops.indexOf(nodeId);
    if (k < 0) continue;
    const planned = r.plannedArrivals[k] ?? r.plannedDepartures[k] ?? null;
    return planned === null ? null : planned + delay;
  }
  return null;
}

/** Who acted, as the audit log names them: organisation/user. */
export function actorName(actor: Actor): string {
  return `${actor.organisationId}/${actor.id}`;
}
