import { isPlatformAdmin, type Actor } from './actor.ts';
import { AppError, type FieldError } from './errors.ts';
import type {
  Clock,
  EventSubscription,
  Secrets,
  SubscriptionFilters,
  SubscriptionStore,
  WebhookDelivery,
} from './ports.ts';
import type { OrganisationStore } from './account-ports.ts';
import type { NewDelivery, Shipment, ShipmentAccess, StoredEvent } from './shipments.ts';
import { dcsaEvent, TNT_VERSION } from './dcsa-event.ts';
import { accessOf, mayRead } from './shipment-access.ts';

/** First retry after a failed delivery; each next one waits twice as long, up to a day. */
export const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 24 * 3_600_000;
/** Attempts before a delivery is given up. */
export const MAX_ATTEMPTS = 12;
/** How long a claimed delivery is someone's before another process may take it over. */
const CLAIM_MS = 60_000;

/** Checks a callback URL before it is stored and before each delivery (SSRF). */
export interface CallbackGuard {
  /** Why the URL may not be called, or undefined when it may. */
  problem(url: string): Promise<string | undefined>;
}

/** Sends one signed notification; never throws. */
/** What an attempt to post came to: delivered, to be retried at `retryAt`, or given up. */
export type DeliveryOutcome =
  | { state: 'delivered'; status: number; at: Date }
  | { state: 'pending' | 'failed'; status: number | null; error: string; retryAt: Date };

/**
 * The outcome of attempt number `attempts` (from 1) of a post that answered `result` at `at`:
 * a 2xx delivers; otherwise the next try waits what the receiver asked (Retry-After, with a 429
 * or 503) or `retryBaseMs` doubled per attempt, at most a day, and MAX_ATTEMPTS give up.
 */
export function outcomeOf(
  result: Awaited<ReturnType<Notifier['post']>>,
  attempts: number,
  at: Date,
  retryBaseMs: number = RETRY_BASE_MS,
): DeliveryOutcome {
  if ('status' in result && result.status >= 200 && result.status < 300)
    return { state: 'delivered', status: result.status, at };
  const asked =
    'status' in result && result.retryAfterSeconds !== undefined
      ? result.retryAfterSeconds * 1000
      : undefined;
  const wait = Math.min(asked ?? retryBaseMs * 2 ** (attempts - 1), RETRY_MAX_MS);
  return {
    state: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
    status: 'status' in result ? result.status : null,
    error: 'status' in result ? `HTTP ${result.status}` : result.error,
    retryAt: new Date(at.getTime() + wait),
  };
}

export interface Notifier {
  post(
    url: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; retryAfterSeconds?: number | undefined } | { error: string }>;
  /** HMAC-SHA256 of the body with the Base64 secret, hex. */
  sign(secretBase64: string, body: string): string;
}

export interface SubscriptionDeps {
  subscriptions: SubscriptionStore;
  organisations: OrganisationStore;
  guard: CallbackGuard;
  notifier: Notifier;
  clock: Clock;
  secrets: Secrets;
  /** First retry after a failed delivery (default RETRY_BASE_MS); each next waits twice as long. */
  retryBaseMs?: number | undefined;
}

export type NewSubscription = SubscriptionFilters & { callbackUrl: string; secret: string };

/** A Base64 secret of 32-64 bytes (DCSA), or why not. */
function secretProblem(secret: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret) || secret.length % 4 !== 0) return 'not Base64';
  const bytes =
    (secret.length / 4) * 3 - (secret.endsWith('==') ? 2 : secret.endsWith('=') ? 1 : 0);
  if (bytes < 32 || bytes > 64) return `${bytes} bytes; a secret has 32-64 bytes`;
  return undefined;
}

/**
 * Subscribes the caller's organisation to events (DCSA `POST /event-subscriptions`): a callback
 * URL (http or https, not a private, loopback or link-local address unless the operator allows
 * it), a Base64 secret of 32-64 bytes, and filters that must all match.
 */
export async function createSubscription(
  deps: SubscriptionDeps,
  actor: Actor,
  input: NewSubscription,
): Promise<EventSubscription> {
  const errors: FieldError[] = [];
  const secret = secretProblem(input.secret);
  if (secret) errors.push({ path: 'body.secret', message: secret });
  const url = await deps.guard.problem(input.callbackUrl);
  if (url) errors.push({ path: 'body.callbackUrl', message: url });
  if (errors.length > 0)
    throw new AppError(
      'invalid_data',
      errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      errors,
    );
  const now = deps.clock.now();
  const s: EventSubscription = {
    id: deps.secrets.uuid(),
    organisationId: actor.organisationId,
    callbackUrl: input.callbackUrl,
    secret: input.secret,
    filters: Object.fromEntries(
      Object.entries(input).filter(
        ([k, v]) => k !== 'callbackUrl' && k !== 'secret' && v !== undefined,
      ),
    ),
    createdAt: now,
    updatedAt: now,
  };
  await deps.subscriptions.create(s);
  return s;
}

/** A subscription of the caller's organisation (platform admins: any), or not found. */
export async function getSubscription(
  deps: SubscriptionDeps,
  actor: Actor,
  id: string,
): Promise<EventSubscription> {
  const s = await deps.subscriptions.find(id);
  if (!s || (s.organisationId !== actor.organisationId && !isPlatformAdmin(actor)))
    throw new AppError('not_found', `no subscription ${id}`);
  return s;
}

export async function listSubscriptions(
  deps: SubscriptionDeps,
  actor: Actor,
): Promise<EventSubscription[]> {
  return deps.subscriptions.listByOrganisation(actor.organisationId);
}

export async function deleteSubscription(
  deps: SubscriptionDeps,
  actor: Actor,
  id: string,
): Promise<void> {
  await getSubscription(deps, actor, id);
  await deps.subscriptions.delete(id);
}

/** Replaces the secret: deliveries from now on are signed with the new one. */
export async function rotateSecret(
  deps: SubscriptionDeps,
  actor: Actor,
  id: string,
  secret: string,
): Promise<EventSubscription> {
  await getSubscription(deps, actor, id);
  const problem = secretProblem(secret);
  if (problem)
    throw new AppError('invalid_data', `body.secret: ${problem}`, [
      { path: 'body.secret', message: problem },
    ]);
  await deps.subscriptions.setSecret(id, secret, deps.clock.now());
  return (await deps.subscriptions.find(id))!;
}

/** The delivery log of a subscription, newest first. */
export async function listDeliveries(
  deps: SubscriptionDeps,
  actor: Actor,
  id: string,
  limit: number,
): Promise<WebhookDelivery[]> {
  await getSubscription(deps, actor, id);
  return deps.subscriptions.deliveries(id, limit);
}

/** A subscription with what its organisation may read. */
export interface SubscriberScope {
  subscription: EventSubscription;
  access: ShipmentAccess;
}

/** The subscriptions with their organisations' access (read once per batch of events). */
export async function subscriberScopes(deps: {
  subscriptions: SubscriptionStore;
  organisations: OrganisationStore;
}): Promise<SubscriberScope[]> {
  const subs = await deps.subscriptions.listAll();
  const orgs = new Map(
    await Promise.all(
      [...new Set(subs.map((s) => s.organisationId))].map(
        async (id) => [id, await deps.organisations.find(id)] as const,
      ),
    ),
  );
  return subs.flatMap((subscription) => {
    const org = orgs.get(subscription.organisationId);
    return org ? [{ subscription, access: accessOf(org, org.kind === 'platform') }] : [];
  });
}

const CODE_FILTERS = [
  ['shipmentEventTypeCodes', 'SHIPMENT'],
  ['equipmentEventTypeCodes', 'EQUIPMENT'],
  ['transportEventTypeCodes', 'TRANSPORT'],
] as const;

const CALL_FILTERS = [
  'transportCallReference',
  'carrierExportVoyageNumber',
  'universalExportVoyageReference',
  'carrierServiceCode',
  'universalServiceReference',
] as const;

type Refs = { type?: unknown; value?: unknown }[];

/** Whether an event passes every filter of a subscription (TNT 3.0 meanings, as GET /v3/events). */
function matches(f: SubscriptionFilters, e: StoredEvent): boolean {
  const payload = dcsaEvent(e).payload ?? {};
  const call = (payload.transportCall ?? {}) as Record<string, unknown>;
  const related = (
    Array.isArray(payload.relatedDocumentReferences) ? payload.relatedDocumentReferences : []
  ) as Refs;
  const references = (Array.isArray(payload.references) ? payload.references : []) as Refs;
  const types = f.documentTypeCodes;
  const docOk =
    (types === undefined && f.documentReference === undefined) ||
    ((types === undefined || types.includes(payload.documentTypeCode as string)) &&
      (f.documentReference === undefined || payload.documentReference === f.documentReference)) ||
    related.some(
      (r) =>
        (types === undefined || types.includes(r.type as string)) &&
        (f.documentReference === undefined || r.value === f.documentReference),
    ) ||
    (f.documentReference !== undefined && f.documentReference === e.shipmentId);
  const vessel = (call.vessel ?? call.barge) as { vesselIMONumber?: unknown } | undefined;
  return (
    (f.eventTypes === undefined || f.eventTypes.includes(e.eventType)) &&
    CODE_FILTERS.every(
      ([key, type]) =>
        f[key] === undefined || (e.eventType === type && f[key].includes(e.eventTypeCode)),
    ) &&
    docOk &&
    (f.equipmentReference === undefined ||
      f.equipmentReference === e.equipmentReference ||
      references.some((r) => r.type === 'EQ' && r.value === f.equipmentReference)) &&
    CALL_FILTERS.every((key) => f[key] === undefined || call[key] === f[key]) &&
    (f.vesselIMONumber === undefined || vessel?.vesselIMONumber === f.vesselIMONumber) &&
    (f.shipmentID === undefined || f.shipmentID === e.shipmentId) &&
    (f.UNLocationCode === undefined || f.UNLocationCode === e.unLocationCode)
  );
}

/**
 * The notifications of newly stored events: per subscription, the events of shipments its
 * organisation may read (owner, carriers of the rides, terminals and customs of the countries
 * crossed) that pass its filters, as one JSON array of DCSA events. Pure.
 */
export function deliveriesOf(
  scopes: readonly SubscriberScope[],
  shipments: ReadonlyMap<string, Pick<Shipment, 'organisationId' | 'serviceIds' | 'countries'>>,
  events: readonly StoredEvent[],
  now: Date,
  newId: () => string,
): NewDelivery[] {
  const out: NewDelivery[] = [];
  for (const scope of scopes) {
    const mine = events.filter((e) => {
      const s = shipments.get(e.shipmentId);
      return s !== undefined && mayRead(scope.access, s) && matches(scope.subscription.filters, e);
    });
    if (mine.length > 0)
      out.push({
        id: newId(),
        subscriptionId: scope.subscription.id,
        body: JSON.stringify(mine.map(dcsaEvent)),
        eventCount: mine.length,
        at: now,
      });
  }
  return out;
}

/**
 * Sends the deliveries that are due, signed (`Notification-Signature: sha256=<hex>` over the raw
 * body, with `Subscription-ID`). A 2xx answer delivers; anything else is retried after 1, 2, 4 …
 * minutes (at most a day apart) and given up after MAX_ATTEMPTS. The queue is in the database:
 * what is due after a restart is sent then. Returns how many were delivered.
 */
export async function deliverDue(deps: SubscriptionDeps, limit = 50): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.subscriptions.claimDue(now, new Date(now.getTime() + CLAIM_MS), limit);
  let delivered = 0;
  await Promise.all(
    due.map(async ({ delivery, subscription }) => {
      const blocked = await deps.guard.problem(subscription.callbackUrl);
      const result = blocked
        ? { error: blocked }
        : await deps.notifier.post(subscription.callbackUrl, delivery.body, {
            'content-type': 'application/json',
            'notification-signature': `sha256=${deps.notifier.sign(subscription.secret, delivery.body)}`,
            'subscription-id': subscription.id,
            'api-version': TNT_VERSION,
          });
      const outcome = outcomeOf(result, delivery.attempts + 1, deps.clock.now(), deps.retryBaseMs);
      if (outcome.state === 'delivered') delivered++;
      await deps.subscriptions.settle(delivery.id, outcome);
    }),
  );
  return delivered;
}
