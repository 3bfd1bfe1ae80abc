import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * The tables of accounts: organisations, their users, sessions, API keys, sign-in failures and
 * the administrative audit. Part of the platform's one schema (schema.ts re-exports them).
 */

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull();

export const organisations = pgTable('organisations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  /** ISO 3166-1 alpha-2. */
  country: text('country').notNull(),
  /** A carrier's policy: rides booked on its services are confirmed at once. */
  autoConfirm: boolean('auto_confirm').notNull().default(false),
  createdAt: createdAt(),
});

/** The services a carrier organisation operates (ids from the network data). */
export const organisationServices = pgTable(
  'organisation_services',
  {
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    serviceId: text('service_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.serviceId] })],
);

/** Customs offices of a customs administration; codes are UN/LOCODE-based (country + 6). */
export const customsOffices = pgTable(
  'customs_offices',
  {
    code: text('code').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    nodeId: text('node_id'),
  },
  (t) => [index('customs_offices_org_idx').on(t.organisationId)],
);

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    // Unique within an organisation only: an address held in another organisation is no one's
    // business here, and adding it must not tell an organisation's admin that it exists.
    uniqueIndex('users_org_email_idx').on(t.organisationId, sql`lower(${t.email})`),
    index('users_org_idx').on(t.organisationId),
  ],
);

/** Browser sessions: the cookie carries a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Administrative changes: organisations, users, API keys, policies. */
export const adminAudit = pgTable(
  'admin_audit',
  {
    id: text('id').primaryKey(),
    /** Order of recording, across processes. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    actorId: text('actor_id'),
    actorOrganisationId: text('actor_organisation_id'),
    action: text('action').notNull(),
    organisationId: text('organisation_id').notNull(),
    target: text('target').notNull(),
    detail: jsonb('detail').notNull(),
  },
  (t) => [index('admin_audit_org_at_idx').on(t.organisationId, t.at)],
);

/**
 * Failed sign-ins per key: `account:` and an e-mail address (lower case), or `source:` and a
 * client address; the wait they impose (app/authenticate.ts).
 */
export const signInFailures = pgTable('sign_in_failures', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  firstAt: timestamp('first_at', { withTimezone: true, mode: 'date' }).notNull(),
  retryAt: timestamp('retry_at', { withTimezone: true, mode: 'date' }),
});

/** API keys for machine clients: shown once, stored as SHA-256, scoped to one organisation. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the key, to recognise it in lists. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    role: text('role').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('api_keys_hash_idx').on(t.keyHash),
    index('api_keys_org_idx').on(t.organisationId),
  ],
);
