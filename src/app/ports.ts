import type { EpochMs } from '../core/shared/units.ts';
import type { PageKey } from './paging.ts';
import type { OrganisationKind } from './account-ports.ts';
import type { Listing } from '../core/directory/matching.ts';
import type { Offer, RequestState } from '../core/directory/service-request.ts';
import type { NewDelivery } from './shipments.ts';

/**
 * What the use cases need from the outside world. The store folder implements them on
 * PostgreSQL/PGlite; main.ts files wire real ones, tests may pass fakes.
 */

export interface Clock {
  now(): Date;
}

/** Randomness and hashing for tokens and ids. */
export interface Secrets {
  /** A new random token, URL-safe, with `bytes` bytes of entropy. */
  token(bytes: number): string;
  /** SHA-256 of a token, hex: what is stored instead of the token. */
  hash(token: string): string;
  /** A new unique id with a readable prefix, e.g. `org_...`. */
  id(prefix: string): string;
  /** A new random UUID (v4), lower case. */
  uuid(): string;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** What an Idempotency-Key holds: the request it was used for and, once answered, the answer. */
export interface IdempotentRequest {
  requestHash: string;
  /** Null while the first request is still running. */
  statusCode: number | null;
  /** The answer, sealed by the HTTP layer; null while the first request is still running. */
  answer: string | null;
  createdAt: Date;
}

/** POST requests with an Idempotency-Key: claimed before they run, answered after. */
export interface IdempotencyStore {
  /**
   * Claims a key for a request. Returns undefined when this call claimed it (the request runs),
   * or what the key already holds. A claim left unanswered since before `staleBefore` (its
   * process died) is taken over.
   */
  claim(
    keyHash: string,
    requestHash: string,
    at: Date,
    staleBefore: Date,
  ): Promise<IdempotentRequest | undefined>;
  /** Stores the answer of a claimed key. */
  answer(keyHash: string, statusCode: number, answer: string): Promise<void>;
  /** Gives a claim up (the request failed unexpectedly): a retry runs it again. */
  release(keyHash: string): Promise<void>;
}

/** What a plan promised for one itinerary, and the rides to book it. */
export interface StoredItinerary {
  id: string;
  rides: { tripId: string; from: string; to: string }[];
  /** ISO 8601 instants. */
  arrivalP50: string;
  arrivalP90: string;
  costUsd: number;
  co2eKg: number;
}

/** A plan kept for booking: the cargo asked about and its itineraries. */
export interface StoredPlan {
  id: string;
  containers: { type: string; count: number; grossKg: number }[];
  hazardous: boolean;
  itineraries: StoredItinerary[];
  createdAt: Date;
  /** After this instant the plan can no longer be booked by its id. */
  expiresAt: Date;
}

export interface PlanStore {
  save(plan: StoredPlan): Promise<void>;
  /** The plan, or undefined when there is none or it expired at `now`. */
  find(id: string, now: Date): Promise<StoredPlan | undefined>;
  /** Deletes plans that expired before `now`; returns how many. */
  purge(now: Date): Promise<number>;
}

/** What a subscription wants; every filter given must match (AND). */
/** The filters of a subscription in TNT 3.0 names (all must match; a list matches any item). */
export interface SubscriptionFilters {
  eventTypes?: string[] | undefined;
  shipmentEventTypeCodes?: string[] | undefined;
  documentTypeCodes?: string[] | undefined;
  documentReference?: string | undefined;
  equipmentReference?: string | undefined;
  equipmentEventTypeCodes?: string[] | undefined;
  transportEventTypeCodes?: string[] | undefined;
  transportCallReference?: string | undefined;
  vesselIMONumber?: string | undefined;
  carrierExportVoyageNumber?: string | undefined;
  universalExportVoyageReference?: string | undefined;
  carrierServiceCode?: string | undefined;
  universalServiceReference?: string | undefined;
  UNLocationCode?: string | undefined;
  /** A shipment of the platform (an extension of the platform). */
  shipmentID?: string | undefined;
}

export interface EventSubscription {
  id: string;
  organisationId: string;
  callbackUrl: string;
  /** Base64 HMAC-SHA256 key. */
  secret: string;
  filters: SubscriptionFilters;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryState = 'pending' | 'sending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  /** The JSON array of events: the bytes sent and signed. */
  body: string;
  eventCount: number;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface SubscriptionStore {
  create(s: EventSubscription): Promise<void>;
  find(id: string): Promise<EventSubscription | undefined>;
  listByOrganisation(organisationId: string): Promise<EventSubscription[]>;
  listAll(): Promise<EventSubscription[]>;
  setSecret(id: string, secret: string, at: Date): Promise<void>;
  delete(id: string): Promise<void>;
  /** A subscription's deliveries, newest first. */
  deliveries(subscriptionId: string, limit: number): Promise<WebhookDelivery[]>;
  /** Queues new deliveries, due at once. */
  enqueue(deliveries: readonly NewDelivery[]): Promise<void>;
  /**
   * Takes up to `limit` deliveries due at `now` (pending, or sending but abandoned before
   * `now`), marks them sending until `lockUntil`, and returns them with their subscription.
   * Several processes may call it at once: each delivery goes to one.
   */
  claimDue(
    now: Date,
    lockUntil: Date,
    limit: number,
  ): Promise<{ delivery: WebhookDelivery; subscription: EventSubscription }[]>;
  /** Records an attempt: delivered, retried at `retryAt`, or given up (failed). */
  settle(
    id: string,
    outcome:
      | { state: 'delivered'; status: number; at: Date }
      | { state: 'pending' | 'failed'; status: number | null; error: string; retryAt: Date },
  ): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Service desk

export interface Profile {
  organisationId: string;
  name: string;
  kind: OrganisationKind;
  country: string;
  verified: boolean;
  services: string[];
  countries: string[];
  nodes: string[];
  languages: string[];
  exportsHs: string[];
  importsHs: string[];
  descriptions: Record<string, string>;
  contact: Record<string, string>;
  updatedAt: Date | null;
}

export interface DirectoryFilter {
  /** Lower-case word prefixes, all of which must match (full-text), or null. */
  words: string[] | null;
  /** The query as typed, matched as a substring too (scripts without spaces, e.g. Chinese). */
  text: string | null;
  services: string[] | null;
  countries: string[] | null;
  nodes: string[] | null;
  hs: string | null;
  languages: string[] | null;
  verified: boolean | null;
  limit: number;
  offset: number;
}

export interface ServiceRequest {
  id: string;
  requesterId: string;
  providerId: string;
  service: string;
  nodeId: string | null;
  description: string;
  wantedFrom: string | null;
  state: RequestState;
  offer: Offer | null;
  history: { state: string; at: EpochMs; by: string; note: string | null }[];
  createdAt: Date;
  updatedAt: Date;
}

export interface RequestMessage {
  id: string;
  requestId: string;
  organisationId: string;
  authorId: string;
  text: string;
  createdAt: Date;
}

export interface NewNotification {
  id: string;
  organisationId: string;
  kind: string;
  requestId: string | null;
  text: string;
  createdAt: Date;
}

export interface Notification extends NewNotification {
  readAt: Date | null;
}

/** What one change of a request writes besides the request: messages, notifications, webhooks. */
export interface RequestChange {
  request: ServiceRequest;
  messages: RequestMessage[];
  notifications: NewNotification[];
  deliveries: NewDelivery[];
}

export interface DirectoryStore {
  upsertProfile(p: Omit<Profile, 'name' | 'kind' | 'country' | 'verified'>): Promise<void>;
  setVerified(organisationId: string, verified: boolean): Promise<boolean>;
  profile(organisationId: string): Promise<Profile | undefined>;
  search(
    filter: DirectoryFilter,
  ): Promise<{ total: number; results: (Profile & { rank: number })[] }>;
  /** Organisations with an accepted request with `organisationId`, either way. */
  partnersOf(organisationId: string): Promise<Set<string>>;
  addListing(l: Listing & { createdAt: Date }): Promise<void>;
  deleteListing(organisationId: string, id: string): Promise<boolean>;
  listings(filter: {
    organisationId?: string;
    kind?: 'export' | 'import';
    headings?: string[];
  }): Promise<(Listing & { createdAt: Date })[]>;
  createRequest(change: RequestChange): Promise<void>;
  findRequest(id: string): Promise<ServiceRequest | undefined>;
  /** Reads the request locked; `change` returns what to write, or throws. */
  updateRequest(id: string, change: (r: ServiceRequest) => RequestChange): Promise<ServiceRequest>;
  addMessage(change: RequestChange): Promise<void>;
  messagesOf(requestId: string): Promise<RequestMessage[]>;
  /** Requests made or received, latest change first (then id descending), after `after`. */
  requestsOf(organisationId: string, limit: number, after?: PageKey): Promise<ServiceRequest[]>;
  countRequests(organisationId: string): Promise<number>;
  /** Newest first (then id descending), after `after`. */
  notificationsOf(organisationId: string, limit: number, after?: PageKey): Promise<Notification[]>;
  countNotifications(organisationId: string): Promise<number>;
  markRead(organisationId: string, id: string, at: Date): Promise<boolean>;
}

/** What the background jobs have in hand, for /metrics. */
export interface JobFigures {
  /** Webhook deliveries by state: pending, sending, delivered, failed. */
  webhookDeliveries: Record<string, number>;
  /** Age in seconds of the oldest delivery already due (0 when none). */
  oldestPendingDeliverySeconds: number;
  /** Shipments whose position and ETA await the refresh job. */
  shipmentsAwaitingRefresh: number;
  /** Simulations running in some server. */
  simulationsRunning: number;
}

/** Counts requests per key in fixed windows, shared by every server process. */
export interface RateCounter {
  /** Counts one request; the count in the current window and the time until it ends. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /** Forgets windows that have ended. */
  purgeExpired(): Promise<void>;
}
