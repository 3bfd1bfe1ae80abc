import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { organisations } from './account.schema.ts';

/**
 * The one PostgreSQL schema of the platform (PostgreSQL 15 feature set; PGlite runs the same):
 * the tables here and those each capability keeps in its own `src/store/*.schema.ts`.
 * Migrations in drizzle/ are generated from src/store/*schema.ts with `npx drizzle-kit generate`
 * and committed.
 */

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull();

export * from './account.schema.ts';
export * from './booking.schema.ts';
export * from './dwell-model.schema.ts';

/**
 * POSTs with an Idempotency-Key: claimed before the request runs (status and answer null while it
 * runs), then the answer. The key itself is not stored, only a SHA-256 of caller and key, and the
 * answer is encrypted with a key derived from the Idempotency-Key, so that answers carrying a
 * secret shown once (a password, an API key, a session) are not readable from the database.
 */
export const idempotentRequests = pgTable('idempotent_requests', {
  keyHash: text('key_hash').primaryKey(),
  requestHash: text('request_hash').notNull(),
  statusCode: integer('status_code'),
  /** base64 of IV, AES-256-GCM tag and ciphertext of the answer's JSON. */
  answer: text('answer'),
  createdAt: createdAt(),
});

/**
 * Plans as the planner answered them, so that an itinerary can be booked by plan id and itinerary
 * id: the request and, per itinerary, its rides and what was promised (P50/P90, cost, CO2e).
 */
export const plans = pgTable(
  'plans',
  {
    id: text('id').primaryKey(),
    /** The containers and hazardous flag of the request. */
    request: jsonb('request').notNull(),
    /** [{ id, rides: [{ tripId, from, to }], arrivalP50, arrivalP90, costUsd, co2eKg }] */
    itineraries: jsonb('itineraries').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('plans_expiry_idx').on(t.expiresAt)],
);

/**
 * Shipments: containers moving along an itinerary, from a confirmed booking or registered
 * directly. Where they are and when they arrive are kept up to date from their events.
 */
export const shipments = pgTable(
  'shipments',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    bookingId: text('booking_id'),
    reference: text('reference'),
    /** [{ equipmentReference, isoEquipmentCode }] */
    equipment: jsonb('equipment').notNull(),
    /** ItineraryRide[] with instants as epoch ms. */
    rides: jsonb('rides').notNull(),
    /** Services of the rides and countries crossed: who may post events for it. */
    serviceIds: text('service_ids').array().notNull(),
    countries: text('countries').array().notNull(),
    /** The arrival promised at booking (the plan's P90), if any. */
    promisedArrival: timestamp('promised_arrival', { withTimezone: true, mode: 'date' }),
    status: text('status').notNull(),
    /** Progress (where it is) as folded from its events. */
    progress: jsonb('progress').notNull(),
    etaP50: timestamp('eta_p50', { withTimezone: true, mode: 'date' }),
    etaP90: timestamp('eta_p90', { withTimezone: true, mode: 'date' }),
    /** [{ at, kind, message }] */
    alerts: jsonb('alerts').notNull().default([]),
    /** Set when events arrived that position and ETA do not reflect yet (a refresh job). */
    staleAt: timestamp('stale_at', { withTimezone: true, mode: 'date' }),
    /** A refresh in progress holds the shipment until then. */
    refreshingUntil: timestamp('refreshing_until', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('shipments_org_idx').on(t.organisationId),
    index('shipments_stale_idx').on(t.staleAt),
    index('shipments_booking_idx').on(t.bookingId),
  ],
);

/** The containers of each shipment, to find a shipment from an event's equipmentReference. */
export const shipmentEquipment = pgTable(
  'shipment_equipment',
  {
    equipmentReference: text('equipment_reference').notNull(),
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipments.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.equipmentReference, t.shipmentId] }),
    index('shipment_equipment_shipment_idx').on(t.shipmentId),
  ],
);

/** DCSA Track & Trace events, idempotent on eventID; committed before they are acknowledged. */
export const trackingEvents = pgTable(
  'tracking_events',
  {
    eventId: text('event_id').primaryKey(),
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipments.id, { onDelete: 'cascade' }),
    eventType: text('event_type').notNull(),
    eventClassifierCode: text('event_classifier_code').notNull(),
    eventTypeCode: text('event_type_code').notNull(),
    eventDateTime: timestamp('event_date_time', { withTimezone: true, mode: 'date' }).notNull(),
    eventCreatedDateTime: timestamp('event_created_date_time', {
      withTimezone: true,
      mode: 'date',
    }).notNull(),
    unLocationCode: text('un_location_code'),
    facilityTypeCode: text('facility_type_code'),
    equipmentReference: text('equipment_reference'),
    modeOfTransport: text('mode_of_transport'),
    /** The organisation that posted it; null for the platform's own (EST) events. */
    postedBy: text('posted_by'),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    /**
     * The event in DCSA TNT 3.0 form (`{ metadata, payload }`) with every field it was received
     * with; null for events stored before the platform kept them whole.
     */
    document: jsonb('document'),
    /** For a retraction (TNT 3.0 `metadata.retractedEventID`): the event it retracts. */
    retractedEventId: text('retracted_event_id'),
  },
  (t) => [
    index('tracking_events_shipment_idx').on(t.shipmentId, t.eventDateTime),
    index('tracking_events_created_idx').on(t.eventCreatedDateTime, t.eventId),
    index('tracking_events_equipment_idx').on(t.equipmentReference),
    index('tracking_events_retracted_idx').on(t.retractedEventId),
  ],
);

/** DCSA event subscriptions: a callback URL, its shared secret and filters (AND). */
export const eventSubscriptions = pgTable(
  'event_subscriptions',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    callbackUrl: text('callback_url').notNull(),
    /** Base64 HMAC-SHA256 key (32-64 bytes); needed in the clear to sign each delivery. */
    secret: text('secret').notNull(),
    /** { equipmentReference?, eventTypes?, shipmentID?, UNLocationCode? } */
    filters: jsonb('filters').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('event_subscriptions_org_idx').on(t.organisationId)],
);

/**
 * The delivery queue and log: one row per notification to a subscription, written in the
 * transaction that stores its events; retried with exponential back-off until delivered or given
 * up.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => eventSubscriptions.id, { onDelete: 'cascade' }),
    /** The JSON array of events, exactly the bytes sent and signed. */
    body: text('body').notNull(),
    eventCount: integer('event_count').notNull(),
    /** pending, sending, delivered or failed (given up). */
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.state, t.nextAttemptAt),
    index('webhook_deliveries_subscription_idx').on(t.subscriptionId, t.createdAt),
  ],
);

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Customs transit declarations: one per movement, shared by every country on its itinerary. The
 * declaration as lodged (and amended) is kept whole in `data`; its segments are rows of
 * customs_segments.
 */
export const customsDeclarations = pgTable(
  'customs_declarations',
  {
    id: text('id').primaryKey(),
    /** Movement reference number, assigned on acceptance. */
    mrn: text('mrn').notNull().unique(),
    /** The trader's local reference number, unique per organisation. */
    lrn: text('lrn').notNull(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    shipmentId: text('shipment_id').references(() => shipments.id, { onDelete: 'set null' }),
    /** The holder's identification number (EORI, TIN). */
    holderId: text('holder_id').notNull(),
    data: jsonb('data').notNull(),
    /** 1 as lodged, one more per amendment. */
    version: integer('version').notNull().default(1),
    /** open, invalidated or discharged. */
    state: text('state').notNull(),
    /** held or released. */
    guaranteeState: text('guarantee_state').notNull(),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('customs_declarations_lrn_idx').on(t.organisationId, t.lrn),
    index('customs_declarations_shipment_idx').on(t.shipmentId),
    index('customs_declarations_holder_idx').on(t.holderId),
  ],
);

/** One country's part of a declaration: its office, state, lane and the times of each step. */
export const customsSegments = pgTable(
  'customs_segments',
  {
    declarationId: text('declaration_id')
      .notNull()
      .references(() => customsDeclarations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    country: text('country').notNull(),
    regime: text('regime').notNull(),
    /** The office that handles the segment: departure for the first, entry for the others. */
    office: text('office').notNull(),
    exitOffice: text('exit_office'),
    /** Where the box enters the segment (for its ETA there). */
    entryNodeId: text('entry_node_id'),
    state: text('state').notNull(),
    lane: text('lane'),
    aeo: boolean('aeo').notNull().default(false),
    decision: jsonb('decision'),
    inspections: jsonb('inspections').notNull().default([]),
    note: text('note'),
    /** Rule ids whose hits this country shares with the countries further along. */
    shared: jsonb('shared').notNull().default([]),
    etaAt: at('eta_at'),
    lodgedAt: at('lodged_at').notNull(),
    arrivedAt: at('arrived_at'),
    assessedAt: at('assessed_at'),
    releasedAt: at('released_at'),
    exitedAt: at('exited_at'),
    dischargedAt: at('discharged_at'),
    /** The documentary check (yellow lane) recorded as done. */
    documentsCheckedAt: at('documents_checked_at'),
    /** The officer's last decision and the segment before it, to undo it within a minute. */
    lastDecision: jsonb('last_decision'),
  },
  (t) => [
    primaryKey({ columns: [t.declarationId, t.seq] }),
    index('customs_segments_office_idx').on(t.office, t.state),
    index('customs_segments_country_idx').on(t.country, t.state),
  ],
);

/** Versioned selectivity rule sets, per country (scope `AZ`) or office (scope `AZBAK001`). */
export const customsRuleSets = pgTable(
  'customs_rule_sets',
  {
    scope: text('scope').notNull(),
    version: integer('version').notNull(),
    rules: jsonb('rules').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    /** Decisions made under this version per lane, for the top-up. */
    green: integer('green').notNull().default(0),
    yellow: integer('yellow').notNull().default(0),
    blue: integer('blue').notNull().default(0),
    red: integer('red').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.scope, t.version] })],
);

/** The customs audit log, a hash chain (core/customs/audit-chain.ts). */
export const customsAudit = pgTable(
  'customs_audit',
  {
    seq: integer('seq').primaryKey(),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    declarationId: text('declaration_id').notNull(),
    country: text('country'),
    action: text('action').notNull(),
    detail: jsonb('detail').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('customs_audit_declaration_idx').on(t.declarationId, t.seq),
    /** An administration's decisions of a day, for its desk. */
    index('customs_audit_country_at_idx').on(t.country, t.at),
  ],
);

/** The chain's head: one row, locked by each append so that the chain never forks. */
export const customsAuditHead = pgTable('customs_audit_head', {
  id: integer('id').primaryKey(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
});

/**
 * The chain's head as signed with the platform's document key, one row a day (UTC): the latest
 * signing of that day (app/customs-audit.ts).
 */
export const customsAuditAnchors = pgTable('customs_audit_anchors', {
  day: text('day').primaryKey(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
  signedAt: timestamp('signed_at', { withTimezone: true, mode: 'date' }).notNull(),
  keyId: text('key_id').notNull(),
  signature: text('signature').notNull(),
});

/** A full-text search vector (PostgreSQL tsvector). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * What an organisation tells the directory about itself. `search` holds its name (weight A),
 * descriptions (B) and services (C) for full-text search with the 'simple' configuration, so
 * that every language is matched word for word.
 */
export const organisationProfiles = pgTable(
  'organisation_profiles',
  {
    organisationId: text('organisation_id')
      .primaryKey()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    services: text('services').array().notNull(),
    countries: text('countries').array().notNull(),
    nodes: text('nodes').array().notNull(),
    languages: text('languages').array().notNull(),
    exportsHs: text('exports_hs').array().notNull(),
    importsHs: text('imports_hs').array().notNull(),
    descriptions: jsonb('descriptions').notNull(),
    contact: jsonb('contact').notNull(),
    /** Set by a platform admin. */
    verified: boolean('verified').notNull().default(false),
    search: tsvector('search').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [index('organisation_profiles_search_idx').using('gin', t.search)],
);

/** Exporters' products and importers' needs, for matchmaking. */
export const tradeListings = pgTable(
  'trade_listings',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** export or import. */
    kind: text('kind').notNull(),
    hsCode: text('hs_code').notNull(),
    description: text('description').notNull(),
    country: text('country').notNull(),
    nodeId: text('node_id').notNull(),
    tonnesPerMonth: doublePrecision('tonnes_per_month').notNull(),
    partnerCountries: text('partner_countries').array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('trade_listings_heading_idx').on(t.kind, sql`left(${t.hsCode}, 4)`),
    index('trade_listings_org_idx').on(t.organisationId),
  ],
);

/** Service requests between two organisations, with the current offer and the state history. */
export const serviceRequests = pgTable(
  'service_requests',
  {
    id: text('id').primaryKey(),
    requesterId: text('requester_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    providerId: text('provider_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    service: text('service').notNull(),
    nodeId: text('node_id'),
    description: text('description').notNull(),
    wantedFrom: text('wanted_from'),
    state: text('state').notNull(),
    offer: jsonb('offer'),
    history: jsonb('history').notNull(),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    index('service_requests_requester_idx').on(t.requesterId, t.updatedAt),
    index('service_requests_provider_idx').on(t.providerId, t.updatedAt),
  ],
);

export const serviceRequestMessages = pgTable(
  'service_request_messages',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => serviceRequests.id, { onDelete: 'cascade' }),
    organisationId: text('organisation_id').notNull(),
    authorId: text('author_id').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('service_request_messages_request_idx').on(t.requestId, t.createdAt)],
);

/** In-app notifications of an organisation. */
export const notifications = pgTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    requestId: text('request_id'),
    text: text('text').notNull(),
    createdAt: createdAt(),
    readAt: at('read_at'),
  },
  (t) => [index('notifications_org_idx').on(t.organisationId, t.createdAt)],
);

/** Simulations run for the council: the scenario, progress and the summary of the runs. */
export const simulations = pgTable(
  'simulations',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    scenario: jsonb('scenario').notNull(),
    days: integer('days').notNull(),
    seed: integer('seed').notNull(),
    runs: integer('runs').notNull(),
    /** running, done or failed. */
    state: text('state').notNull(),
    progress: doublePrecision('progress').notNull(),
    result: jsonb('result'),
    error: text('error'),
    createdAt: createdAt(),
    finishedAt: at('finished_at'),
    /** Last sign of life of the server running it (each progress step). */
    heartbeatAt: at('heartbeat_at'),
  },
  (t) => [index('simulations_org_idx').on(t.organisationId, t.createdAt)],
);

/**
 * Services published by their carriers: each version of a service's timetable, stops, capacity
 * and tariff with the date it takes effect. Version 1 of a reference service is the data file;
 * the version in force on a day is the highest one whose effective date has come. `seq` orders
 * publications across services, so every server sees a new one by its number.
 */
export const serviceVersions = pgTable(
  'service_versions',
  {
    serviceId: text('service_id').notNull(),
    version: integer('version').notNull(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    publishedBy: text('published_by').notNull(),
    /** YYYY-MM-DD (UTC). */
    effectiveFrom: text('effective_from').notNull(),
    /** The service record, as in services.json. */
    record: jsonb('record').notNull(),
    publishedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.serviceId, t.version] }),
    uniqueIndex('service_versions_seq_idx').on(t.seq),
  ],
);

/**
 * Rate limit counters shared by every server process: requests of one caller to one route in
 * the current window. Rows whose window has passed are reused, and purged now and then.
 */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  resetAt: timestamp('reset_at', { withTimezone: true, mode: 'date' }).notNull(),
});
