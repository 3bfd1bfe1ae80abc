import { z } from 'zod';
import { DOCUMENT_KINDS } from '../core/documents/route.ts';
import { idParam, timestamp } from './common.ts';
import { country, hsCodeSchema, packagesSchema, text } from './customs.ts';

/**
 * The documents contract: transport and customs documents issued from a shipment's data
 * (CIM/SMGS, SMGS or CIM rail note; CMR; transit accompanying document; booking confirmation),
 * each a signed PDF that anyone can verify.
 */

const party = z.strictObject({
  name: text(200),
  address: text(300).optional(),
  country,
  identificationNumber: text(35).optional(),
});

export const particularsSchema = z
  .strictObject({
    consignor: party.optional(),
    consignee: party.optional(),
    goods: z
      .array(
        z.strictObject({
          hsCode: hsCodeSchema,
          description: text(512),
          packages: packagesSchema,
          grossMassKg: z.number().positive().max(1_000_000),
          marks: text(200).optional(),
        }),
      )
      .min(1)
      .max(99)
      .optional(),
    wagons: z
      .array(
        z.strictObject({
          number: z.string().max(12),
          containers: z.array(z.string().max(11)).max(4),
        }),
      )
      .max(99)
      .optional(),
    seals: z
      .array(
        z.strictObject({
          equipmentReference: z.string().max(11),
          seals: z.array(text(35)).max(20),
        }),
      )
      .max(99)
      .optional(),
    consignorDeclarations: z.array(text(500)).max(20).optional(),
    attachedDocuments: z
      .array(z.strictObject({ type: text(70), reference: text(70) }))
      .max(99)
      .optional(),
    charges: z
      .array(z.strictObject({ payer: text(200), payerCode: text(35).optional() }))
      .max(20)
      .optional(),
    instructions: text(1000).optional(),
    placeOfIssue: text(100).optional(),
  })
  .meta({
    description:
      "What only the consignor can say. Left out: consignor, consignee, goods and seals come from the shipment's customs declaration",
  });

export const issueDocumentSchema = z
  .strictObject({
    kind: z.enum(DOCUMENT_KINDS),
    section: z.number().int().min(0).max(19).optional().meta({
      description:
        "which section of the route, as the shipment's document list numbers them (default: the first of that kind)",
    }),
    particulars: particularsSchema.optional(),
  })
  .meta({ id: 'IssueDocument' });

export type IssueDocumentBody = z.output<typeof issueDocumentSchema>;

export const documentSchema = z
  .object({
    id: z.string(),
    kind: z.enum(DOCUMENT_KINDS),
    section: z.number().int(),
    version: z.number().int(),
    number: z.string(),
    title: z.string(),
    shipmentId: z.string(),
    issuedAt: timestamp,
    contentHash: z.string().meta({ description: 'SHA-256 of the canonical JSON of the content' }),
    fileSha256: z
      .string()
      .meta({ description: 'SHA-256 of the PDF bytes before the seal line (what is signed)' }),
    keyId: z.string(),
    bytes: z.number().int(),
    supersededAt: timestamp.nullable(),
    pdf: z.string().meta({ description: 'where to download it' }),
    verify: z.string().meta({ description: 'the public verification address printed as QR' }),
  })
  .meta({ id: 'Document' });

export const documentListSchema = z
  .object({
    shipmentId: z.string(),
    documents: z.array(
      z.object({
        kind: z.enum(DOCUMENT_KINDS),
        section: z.number().int(),
        title: z.string(),
        variant: z.enum(['SMGS', 'CIM/SMGS', 'CIM']).nullable().meta({
          description: "a rail consignment note's form; null for the other kinds",
        }),
        from: z.string(),
        to: z.string(),
        status: z.enum(['issued', 'missing', 'not_ready']),
        reason: z.string().nullable(),
        document: documentSchema.nullable(),
      }),
    ),
    others: z.array(z.object({ name: z.string(), status: z.enum(['provided', 'missing']) })).meta({
      description:
        'documents the route needs that the platform does not issue: provided when the customs declaration lists or is one',
    }),
    missing: z.array(z.string()).meta({ description: 'titles of what is still missing' }),
  })
  .meta({ id: 'ShipmentDocuments' });

export const verificationSchema = z
  .object({
    documentId: z.string(),
    authentic: z.boolean().meta({
      description: "issued by this platform and its signature checks with the platform's key",
    }),
    unchanged: z.boolean().nullable().meta({
      description: 'for an uploaded file: every byte as issued; null when no file was sent',
    }),
    current: z.boolean().meta({ description: 'false when a newer version replaced it' }),
    problems: z.array(z.string()),
    kind: z.string().nullable(),
    title: z.string().nullable(),
    number: z.string().nullable(),
    issuedAt: timestamp.nullable(),
    contentHash: z.string().nullable(),
    fileSha256: z.string().nullable(),
    keyId: z.string().nullable(),
  })
  .meta({ id: 'DocumentVerification' });

export const signingKeysSchema = z
  .object({
    keys: z.array(
      z.object({
        keyId: z.string(),
        algorithm: z.literal('Ed25519'),
        publicKeyPem: z.string(),
        createdAt: timestamp,
      }),
    ),
  })
  .meta({ id: 'SigningKeys' });

export const documentParams = z.strictObject({
  documentId: z.string().regex(/^doc_[A-Za-z0-9]{1,40}$/, 'not a document id'),
});
export const shipmentDocumentsParams = z.strictObject({ shipmentId: idParam });

/** The largest PKCS #12 file taken, bytes (a key with a chain of a few certificates is ~10 kB). */
export const MAX_PKCS12_BYTES = 64 * 1024;

/** An organisation's own signing certificate, uploaded as PKCS #12 (key and certificate chain). */
export const certificateUploadSchema = z.strictObject({
  pkcs12: z
    .base64({ message: 'the PKCS #12 file (.p12, .pfx) in base64' })
    .min(4)
    .max(Math.ceil(MAX_PKCS12_BYTES / 3) * 4, { message: `at most ${MAX_PKCS12_BYTES} bytes` }),
  password: z.string().max(256),
});

export const certificateSchema = z.object({
  fingerprint: z.string().meta({ description: 'SHA-256 of the certificate (DER), hex' }),
  commonName: z.string(),
  organization: z.string().nullable(),
  issuer: z.string(),
  source: z.enum(['issued', 'uploaded']),
  notBefore: timestamp,
  notAfter: timestamp,
  chainPem: z.string().meta({ description: 'The certificate and its issuers, PEM, signer first' }),
});
