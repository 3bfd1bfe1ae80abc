import { DEFAULT_PAGE, keysetPage, type Page, type PageRequest } from './paging.ts';
import type {
  ListingBody,
  ProfileBody,
  RequestActionBody,
  RequestBody,
  SearchQuery,
} from '../api/directory.ts';
import { SERVICE_NAMES } from '../core/directory/catalogue.ts';
import { matchListings, type Listing, type Match } from '../core/directory/matching.ts';
import { transition, type RequestAction } from '../core/directory/service-request.ts';
import type { Network } from '../core/network/network.ts';
import { resolvePlace } from '../core/network/places.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import { AppError } from './errors.ts';
import type { Planner } from './plan-route.ts';
import type {
  Clock,
  DirectoryStore,
  NewNotification,
  Notification,
  Profile,
  RequestChange,
  RequestMessage,
  Secrets,
  ServiceRequest,
  SubscriptionStore,
} from './ports.ts';
import type { OrganisationStore } from './account-ports.ts';
import type { NewDelivery } from './shipments.ts';

/**
 * The one-stop service desk: organisations describe what they do and where; anyone signed in
 * finds them; exporters and importers are matched on their goods with the planner's route
 * between them; a service request runs from request to offer to acceptance between exactly two
 * organisations, with messages, in-app notifications and webhooks.
 */

export interface DirectoryDeps {
  network: Network;
  directory: DirectoryStore;
  organisations: OrganisationStore;
  subscriptions: SubscriptionStore;
  planner: Planner;
  clock: Clock;
  secrets: Secrets;
}

/** The event type subscriptions opt into for service-request notifications. */
export const SERVICE_REQUEST_EVENT = 'SERVICE_REQUEST';

function requireProfileAdmin(actor: Actor, organisationId: string): void {
  if (actor.organisationId !== organisationId && !isPlatformAdmin(actor))
    throw new AppError('not_found', `no organisation ${organisationId}`);
  if (actor.role !== 'admin' && !isPlatformAdmin(actor))
    throw new AppError('forbidden', 'only an admin of the organisation may edit its profile');
}

/** A profile as the actor sees it: contact details only for itself and accepted partners. */
function visible(
  p: Profile,
  actor: Actor,
  partners: ReadonlySet<string>,
): Profile & { contactVisible: boolean } {
  const contactVisible =
    p.organisationId === actor.organisationId ||
    isPlatformAdmin(actor) ||
    partners.has(p.organisationId);
  return { ...p, contactVisible };
}

export async function getProfile(deps: DirectoryDeps, actor: Actor, id: string) {
  const p = await deps.directory.profile(id);
  if (!p) throw new AppError('not_found', `no organisation ${id}`);
  return visible(p, actor, await deps.directory.partnersOf(actor.organisationId));
}

export async function putProfile(deps: DirectoryDeps, actor: Actor, id: string, body: ProfileBody) {
  requireProfileAdmin(actor, id);
  const unknown = body.nodes.findIndex((n) => !deps.network.nodes.has(n));
  if (unknown >= 0)
    throw new AppError('invalid_data', `body.nodes.${unknown}: no node ${body.nodes[unknown]}`, [
      { path: `body.nodes.${unknown}`, message: `no node ${body.nodes[unknown]}` },
    ]);
  await deps.directory.upsertProfile({
    organisationId: id,
    ...body,
    descriptions: body.descriptions,
    contact: body.contact as Record<string, string>,
    updatedAt: deps.clock.now(),
  });
  return getProfile(deps, actor, id);
}

export async function verifyOrganisation(
  deps: DirectoryDeps,
  actor: Actor,
  id: string,
  verified: boolean,
) {
  if (!isPlatformAdmin(actor))
    throw new AppError('forbidden', 'only a platform admin sets the verified status');
  if (!(await deps.directory.setVerified(id, verified)))
    throw new AppError('not_found', `no profile of ${id}`);
  return getProfile(deps, actor, id);
}

/** Directory search: filters, free text ranked by full-text match, paginated. */
export async function searchDirectory(deps: DirectoryDeps, actor: Actor, q: SearchQuery) {
  const text = q.q && q.q !== '' ? q.q : null;
  const words = text ? (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) : null;
  const { total, results } = await deps.directory.search({
    words,
    text,
    services: q.service ?? null,
    countries: q.country ?? null,
    nodes: q.node ?? null,
    hs: q.hs ?? null,
    languages: q.language ?? null,
    verified: q.verified === undefined ? null : q.verified === 'true',
    limit: q.limit,
    offset: q.offset,
  });
  const partners = await deps.directory.partnersOf(actor.organisationId);
  return {
    total,
    offset: q.offset,
    next: q.offset + results.length < total ? q.offset + results.length : null,
    results: results.map((r) => ({ ...visible(r, actor, partners), rank: r.rank })),
  };
}

// ---------------------------------------------------------------------------------------------
// Trade listings and matchmaking

export async function addListing(deps: DirectoryDeps, actor: Actor, body: ListingBody) {
  const place = resolvePlace(deps.network, body.place);
  if (!place.ok)
    throw new AppError(
      'invalid_data',
      `body.place: no place "${body.place}"${place.suggestions.length > 0 ? `; did you mean ${place.suggestions.map((s) => s.nodeId).join(', ')}?` : ''}`,
      [{ path: 'body.place', message: `no place "${body.place}"` }],
    );
  const listing = {
    id: deps.secrets.id('lst'),
    organisationId: actor.organisationId,
    kind: body.kind,
    hsCode: body.hsCode,
    description: body.description,
    country: place.node.country,
    nodeId: place.node.id,
    tonnesPerMonth: body.tonnesPerMonth,
    partnerCountries: body.partnerCountries,
    createdAt: deps.clock.now(),
  };
  await deps.directory.addListing(listing);
  return listing;
}

export async function myListings(deps: DirectoryDeps, actor: Actor) {
  return deps.directory.listings({ organisationId: actor.organisationId });
}

export async function deleteListing(deps: DirectoryDeps, actor: Actor, id: string) {
  if (!(await deps.directory.deleteListing(actor.organisationId, id)))
    throw new AppError('not_found', `no listing ${id}`);
}

export interface RouteHint {
  corridor: string;
  transitDaysP50: number;
  transitDaysP90: number;
  costUsdPer40ft: number;
  co2eKgPer40ft: number;
  legs: string[];
}

/**
 * Matches for the actor's listings: the other side's listings of the same HS heading with
 * compatible countries, for which the planner finds a route next week from the exporter's place
 * to the importer's; with the fastest itinerary for one 40' container as a hint.
 */
export async function matchesFor(deps: DirectoryDeps, actor: Actor) {
  const mine = await deps.directory.listings({ organisationId: actor.organisationId });
  const headings = [...new Set(mine.map((l) => l.hsCode.slice(0, 4)))];
  const others = (await deps.directory.listings({ headings })).filter(
    (l) => l.organisationId !== actor.organisationId,
  );
  type Dated = Listing & { createdAt: Date };
  const all: Dated[] = [...mine, ...others];
  const exports = all.filter((l) => l.kind === 'export');
  const imports = all.filter((l) => l.kind === 'import');
  const matches = matchListings<Dated>(exports, imports).filter(
    (m) =>
      m.exporter.organisationId === actor.organisationId ||
      m.importer.organisationId === actor.organisationId,
  );
  const depart = new Date(deps.clock.now().getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
  const routes = new Map<string, RouteHint | null>();
  const routeOf = (m: Match<Dated>): RouteHint | null => {
    const key = `${m.exporter.nodeId}>${m.importer.nodeId}`;
    if (!routes.has(key)) routes.set(key, plannedRoute(deps, m.exporter, m.importer, depart));
    return routes.get(key)!;
  };
  const names = new Map<string, string>();
  const nameOf = async (id: string) => {
    if (!names.has(id)) names.set(id, (await deps.organisations.find(id))?.name ?? id);
    return names.get(id)!;
  };
  const out = [];
  for (const m of matches) {
    const route = routeOf(m);
    if (!route) continue;
    out.push({
      exporter: { ...m.exporter, organisationName: await nameOf(m.exporter.organisationId) },
      importer: { ...m.importer, organisationName: await nameOf(m.importer.organisationId) },
      hsDigits: m.hsDigits,
      volumeFit: Math.round(m.volumeFit * 1000) / 1000,
      score: m.score,
      route,
    });
    if (out.length >= 50) break;
  }
  return out;
}

function plannedRoute(
  deps: DirectoryDeps,
  from: Listing,
  to: Listing,
  depart: string,
): RouteHint | null {
  if (from.nodeId === to.nodeId) return null;
  const plan = deps.planner.plan({
    from: from.nodeId,
    to: to.nodeId,
    depart,
    containers: '1x40HC',
    maxResults: 4,
  });
  const fastest = [...plan.itineraries].sort((a, b) => a.transitDaysP50 - b.transitDaysP50)[0];
  if (!fastest) return null;
  return {
    corridor: fastest.corridor,
    transitDaysP50: fastest.transitDaysP50,
    transitDaysP90: fastest.transitDaysP90,
    costUsdPer40ft: fastest.costUsd,
    co2eKgPer40ft: fastest.co2eKg,
    legs: fastest.legs.flatMap((l) =>
      l.kind === 'ride' ? [`${l.from} → ${l.to} (${l.operator})`] : [],
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Service requests

export interface RequestView extends ServiceRequest {
  requesterName: string;
  providerName: string;
  messages: (RequestMessage & { fromName: string })[];
}

async function view(deps: DirectoryDeps, r: ServiceRequest): Promise<RequestView> {
  const [requester, provider, messages] = await Promise.all([
    deps.organisations.find(r.requesterId),
    deps.organisations.find(r.providerId),
    deps.directory.messagesOf(r.id),
  ]);
  const name = (id: string) => (id === r.requesterId ? requester?.name : provider?.name) ?? id;
  return {
    ...r,
    requesterName: name(r.requesterId),
    providerName: name(r.providerId),
    messages: messages.map((m) => ({ ...m, fromName: name(m.organisationId) })),
  };
}

/** The request, for its two parties only: anyone else gets not_found. */
async function partyRequest(
  deps: DirectoryDeps,
  actor: Actor,
  id: string,
): Promise<ServiceRequest> {
  const r = await deps.directory.findRequest(id);
  if (!r || (r.requesterId !== actor.organisationId && r.providerId !== actor.organisationId))
    throw new AppError('not_found', `no service request ${id}`);
  return r;
}

/** The subscriptions of either party that asked for service-request changes. */
async function subscribersOf(deps: DirectoryDeps, r: ServiceRequest): Promise<string[]> {
  return (await deps.subscriptions.listAll())
    .filter(
      (s) =>
        (s.organisationId === r.requesterId || s.organisationId === r.providerId) &&
        s.filters.eventTypes?.includes(SERVICE_REQUEST_EVENT),
    )
    .map((s) => s.id);
}

/** Notifications of a change for the other party (in-app) and the parties' subscriptions. */
function notify(
  deps: DirectoryDeps,
  subs: readonly string[],
  r: ServiceRequest,
  to: string,
  kind: string,
  text: string,
  now: Date,
): { notifications: NewNotification[]; deliveries: NewDelivery[] } {
  const event = {
    eventType: SERVICE_REQUEST_EVENT,
    eventID: deps.secrets.uuid(),
    eventCreatedDateTime: now.toISOString(),
    serviceRequestID: r.id,
    change: kind,
    state: r.state,
    requesterID: r.requesterId,
    providerID: r.providerId,
    text,
  };
  return {
    notifications: [
      {
        id: deps.secrets.id('ntf'),
        organisationId: to,
        kind,
        requestId: r.id,
        text,
        createdAt: now,
      },
    ],
    deliveries: subs.map((subscriptionId) => ({
      id: deps.secrets.id('dlv'),
      subscriptionId,
      body: JSON.stringify([event]),
      eventCount: 1,
      at: now,
    })),
  };
}

export async function createRequest(
  deps: DirectoryDeps,
  actor: Actor,
  body: RequestBody,
): Promise<RequestView> {
  if (body.providerId === actor.organisationId)
    throw new AppError('invalid_data', 'body.providerId: not your own organisation', [
      { path: 'body.providerId', message: 'not your own organisation' },
    ]);
  const provider = await deps.directory.profile(body.providerId);
  if (!provider || provider.updatedAt === null)
    throw new AppError(
      'invalid_data',
      `body.providerId: ${body.providerId} has no profile in the directory`,
      [{ path: 'body.providerId', message: 'no profile in the directory' }],
    );
  if (!provider.services.includes(body.service))
    throw new AppError(
      'invalid_data',
      `body.service: ${provider.name} does not offer ${SERVICE_NAMES[body.service]}`,
      [{ path: 'body.service', message: `not offered by ${provider.name}` }],
    );
  if (body.nodeId !== undefined && !deps.network.nodes.has(body.nodeId))
    throw new AppError('invalid_data', `body.nodeId: no node ${body.nodeId}`, [
      { path: 'body.nodeId', message: `no node ${body.nodeId}` },
    ]);
  const now = deps.clock.now();
  const r: ServiceRequest = {
    id: deps.secrets.id('srq'),
    requesterId: actor.organisationId,
    providerId: body.providerId,
    service: body.service,
    nodeId: body.nodeId ?? null,
    description: body.description,
    wantedFrom: body.wantedFrom ?? null,
    state: 'requested',
    offer: null,
    history: [{ state: 'requested', at: now.getTime(), by: actor.organisationId, note: null }],
    createdAt: now,
    updatedAt: now,
  };
  const n = notify(
    deps,
    await subscribersOf(deps, r),
    r,
    r.providerId,
    'requested',
    `New request for ${SERVICE_NAMES[body.service]}: ${body.description}`,
    now,
  );
  await deps.directory.createRequest({ request: r, messages: [], ...n });
  return view(deps, r);
}

/** The organisation's requests, each with its two parties' names (their messages are per request). */
export async function listRequests(
  deps: DirectoryDeps,
  actor: Actor,
  page: PageRequest = { limit: DEFAULT_PAGE },
): Promise<Page<ServiceRequest & Pick<RequestView, 'requesterName' | 'providerName'>>> {
  const [read, total] = await Promise.all([
    deps.directory.requestsOf(actor.organisationId, page.limit + 1, page.after),
    deps.directory.countRequests(actor.organisationId),
  ]);
  const paged = keysetPage(read, page, (r) => ({ at: r.updatedAt, id: r.id }), total);
  const requests = paged.items;
  const ids = [...new Set(requests.flatMap((r) => [r.requesterId, r.providerId]))];
  const found = await Promise.all(ids.map((id) => deps.organisations.find(id)));
  const names = new Map(ids.map((id, i) => [id, found[i]?.name ?? id]));
  return {
    ...paged,
    items: requests.map((r) => ({
      ...r,
      requesterName: names.get(r.requesterId)!,
      providerName: names.get(r.providerId)!,
    })),
  };
}

export async function getRequest(
  deps: DirectoryDeps,
  actor: Actor,
  id: string,
): Promise<RequestView> {
  return view(deps, await partyRequest(deps, actor, id));
}

const CHANGE_TEXT: Record<RequestAction['type'], string> = {
  offer: 'made an offer',
  refuse: 'refused the request',
  accept: 'accepted the offer',
  decline: 'declined the offer',
  withdraw: 'withdrew the request',
};

/** An action of one party: offer or refuse (provider), accept, decline or withdraw (requester). */
export async function actOnRequest(
  deps: DirectoryDeps,
  actor: Actor,
  id: string,
  body: RequestActionBody,
): Promise<RequestView> {
  const before = await partyRequest(deps, actor, id);
  const by = before.requesterId === actor.organisationId ? 'requester' : 'provider';
  const action: RequestAction =
    body.type === 'offer'
      ? {
          type: 'offer',
          offer: {
            price: body.price,
            currency: body.currency,
            validUntil: Date.parse(body.validUntil),
            terms: body.terms,
          },
        }
      : body;
  const other = by === 'requester' ? before.providerId : before.requesterId;
  const now = deps.clock.now();
  const actorName =
    (await deps.organisations.find(actor.organisationId))?.name ?? actor.organisationId;
  // Subscriptions are read before the transaction that locks the request.
  const subs = await subscribersOf(deps, before);
  const updated = await deps.directory.updateRequest(id, (r): RequestChange => {
    const t = transition(r.state, r.offer, action, by, now.getTime());
    if (!t.ok)
      throw new AppError(
        t.status === 'forbidden'
          ? 'forbidden'
          : t.status === 'conflict'
            ? 'conflict'
            : 'invalid_data',
        t.message,
        t.status === 'invalid'
          ? [{ path: `body.${t.message.split(':')[0]}`, message: t.message }]
          : [],
      );
    const note = 'reason' in action ? (action.reason ?? null) : null;
    const request: ServiceRequest = {
      ...r,
      state: t.state,
      offer: t.offer ?? r.offer,
      history: [
        ...r.history,
        { state: t.state, at: now.getTime(), by: actor.organisationId, note },
      ],
      updatedAt: now,
    };
    const text = `${actorName} ${CHANGE_TEXT[body.type]}`;
    return { request, messages: [], ...notify(deps, subs, request, other, body.type, text, now) };
  });
  return view(deps, updated);
}

export async function postMessage(
  deps: DirectoryDeps,
  actor: Actor,
  id: string,
  text: string,
): Promise<RequestView> {
  const r = await partyRequest(deps, actor, id);
  const now = deps.clock.now();
  const other = r.requesterId === actor.organisationId ? r.providerId : r.requesterId;
  const n = notify(
    deps,
    await subscribersOf(deps, r),
    r,
    other,
    'message',
    text.slice(0, 200),
    now,
  );
  const message: RequestMessage = {
    id: deps.secrets.id('msg'),
    requestId: r.id,
    organisationId: actor.organisationId,
    authorId: actor.id,
    text,
    createdAt: now,
  };
  await deps.directory.addMessage({ request: { ...r, updatedAt: now }, messages: [message], ...n });
  return view(deps, { ...r, updatedAt: now });
}

/** The organisation's notifications, newest first, a page at a time. */
export async function listNotifications(
  deps: DirectoryDeps,
  actor: Actor,
  page: PageRequest = { limit: DEFAULT_PAGE },
): Promise<Page<Notification>> {
  const [read, total] = await Promise.all([
    deps.directory.notificationsOf(actor.organisationId, page.limit + 1, page.after),
    deps.directory.countNotifications(actor.organisationId),
  ]);
  return keysetPage(read, page, (n) => ({ at: n.createdAt, id: n.id }), total);
}

export async function readNotification(
  deps: DirectoryDeps,
  actor: Actor,
  id: string,
): Promise<void> {
  if (!(await deps.directory.markRead(actor.organisationId, id, deps.clock.now())))
    throw new AppError('not_found', `no notification ${id}`);
}
