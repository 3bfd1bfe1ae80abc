import {
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { organisations, shipments } from './schema.ts';

/**
 * The documents' tables: issued documents with their files, the platform's seal keys, and the
 * parties' signing certificates. Migrations are generated from this file and schema.ts.
 */

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => at('created_at').notNull();

/** Binary data (PDF files). PGlite answers a Uint8Array, node-postgres a Buffer (one too). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/**
 * Issued documents: each version of a shipment's document of a kind and section, its content,
 * seal particulars and sealed file. The current one of each has no superseded_at.
 */
export const documents = pgTable(
  'documents',
  {
    id: text('id').primaryKey(),
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipments.id, { onDelete: 'cascade' }),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    section: integer('section').notNull(),
    version: integer('version').notNull(),
    number: text('number').notNull(),
    title: text('title').notNull(),
    content: jsonb('content').notNull(),
    contentHash: text('content_hash').notNull(),
    fileSha256: text('file_sha256').notNull(),
    keyId: text('key_id').notNull(),
    signature: text('signature').notNull(),
    bytes: integer('bytes').notNull(),
    file: bytea('file').notNull(),
    issuedAt: at('issued_at').notNull(),
    issuedBy: text('issued_by').notNull(),
    supersededAt: at('superseded_at'),
    /** The party that signed the file in PAdES: party, name, role, certificate fingerprint. */
    signer: jsonb('signer'),
  },
  (t) => [
    uniqueIndex('documents_version_idx').on(t.shipmentId, t.kind, t.section, t.version),
    index('documents_shipment_idx').on(t.shipmentId),
  ],
);

/**
 * The platform's Ed25519 document signing keys. The private key is kept here unless the
 * operator gives one in a file (CORRIDOR_SIGNING_KEY_FILE); public keys stay for verification
 * after a key is retired.
 */
export const signingKeys = pgTable('signing_keys', {
  keyId: text('key_id').primaryKey(),
  publicKeyPem: text('public_key_pem').notNull(),
  privateKeyPem: text('private_key_pem'),
  createdAt: createdAt(),
  retiredAt: at('retired_at'),
});

/**
 * The parties' document-signing certificates: the platform authority's (party `ca`), the
 * platform's own (`platform`) and each organisation's (its id), issued by the authority or
 * uploaded (PKCS #12). The private key is PKCS #8, encrypted (AES-256-GCM) when the operator
 * gives a key secret; retired certificates stay for verification.
 */
export const partyCertificates = pgTable(
  'party_certificates',
  {
    /** SHA-256 of the certificate (DER), hex. */
    fingerprint: text('fingerprint').primaryKey(),
    party: text('party').notNull(),
    commonName: text('common_name').notNull(),
    organization: text('organization'),
    issuer: text('issuer').notNull(),
    /** issued or uploaded. */
    source: text('source').notNull(),
    notBefore: at('not_before').notNull(),
    notAfter: at('not_after').notNull(),
    /** The certificate and its issuers, PEM, signer first. */
    chainPem: text('chain_pem').notNull(),
    privateKey: text('private_key'),
    /** SHA-256 of the public key (SubjectPublicKeyInfo, DER): one key, one party. */
    publicKeySha256: text('public_key_sha256').notNull(),
    createdAt: createdAt(),
    retiredAt: at('retired_at'),
  },
  (t) => [
    index('party_certificates_party_idx').on(t.party, t.createdAt),
    index('party_certificates_key_idx').on(t.publicKeySha256),
  ],
);
