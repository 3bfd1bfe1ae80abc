import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { customsDeclarations } from './schema.ts';

/**
 * The tables of the customs-system boundary (app/customs-systems.ts): which system each scope
 * decides in, the outbox of messages to the systems, the inbound messages applied (one row per
 * message id: a duplicate is answered from it) and each segment's movement in its system.
 */

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Which system decides on a scope's segments (organisation id, office code or country). */
export const customsSystemRoutes = pgTable('customs_system_routes', {
  scope: text('scope').primaryKey(),
  /** desk or ncts. */
  system: text('system').notNull(),
  recipient: text('recipient').notNull(),
  sender: text('sender').notNull(),
  /** Null: the system's gateway collects the messages. */
  endpointUrl: text('endpoint_url'),
  updatedAt: at('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});

/** Messages to customs systems, written with the change they report; sent and retried from here. */
export const customsOutbox = pgTable(
  'customs_outbox',
  {
    /** The header's messageIdentification. */
    id: text('id').primaryKey(),
    system: text('system').notNull(),
    country: text('country').notNull(),
    office: text('office').notNull(),
    declarationId: text('declaration_id')
      .notNull()
      .references(() => customsDeclarations.id, { onDelete: 'cascade' }),
    segmentSeq: integer('segment_seq').notNull(),
    messageType: text('message_type').notNull(),
    body: text('body').notNull(),
    endpointUrl: text('endpoint_url'),
    /** pending, sending, delivered, acknowledged or failed. */
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull(),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: at('created_at').notNull(),
    deliveredAt: at('delivered_at'),
  },
  (t) => [
    index('customs_outbox_due_idx').on(t.state, t.nextAttemptAt),
    index('customs_outbox_country_idx').on(t.country, t.createdAt),
  ],
);

/** Inbound messages applied, keyed by the sending system's message id. */
export const customsInboundMessages = pgTable(
  'customs_inbound_messages',
  {
    system: text('system').notNull(),
    country: text('country').notNull(),
    messageId: text('message_id').notNull(),
    messageType: text('message_type').notNull(),
    declarationId: text('declaration_id'),
    receivedAt: at('received_at').notNull(),
    bodySha256: text('body_sha256').notNull(),
    result: jsonb('result').notNull(),
  },
  (t) => [primaryKey({ columns: [t.system, t.country, t.messageId] })],
);

/** A segment's movement in a national system: the LRN and office sent, the MRN allocated. */
export const customsSystemLinks = pgTable(
  'customs_system_links',
  {
    declarationId: text('declaration_id')
      .notNull()
      .references(() => customsDeclarations.id, { onDelete: 'cascade' }),
    segmentSeq: integer('segment_seq').notNull(),
    system: text('system').notNull(),
    country: text('country').notNull(),
    lrn: text('lrn').notNull(),
    office: text('office').notNull(),
    mrn: text('mrn'),
  },
  (t) => [
    primaryKey({ columns: [t.declarationId, t.segmentSeq] }),
    uniqueIndex('customs_system_links_mrn_idx').on(t.system, t.mrn),
    index('customs_system_links_lrn_idx').on(t.system, t.lrn, t.office),
  ],
);
