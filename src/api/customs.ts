import { z } from 'zod';
import { SEGMENT_STATES } from '../core/customs/lifecycle.ts';
import { LANES, ruleSetSchema } from '../core/customs/risk.ts';
import { isIsoCountry } from '../core/shared/countries.ts';
import { idParam, pageQueryFields } from './common.ts';

/**
 * The customs contract: one transit declaration per movement, shared along its itinerary, in the
 * words of eTIR and NCTS (standards.md §1): LRN, MRN, holder, guarantee, consignments, goods
 * items, containers and seals, the itinerary of offices with a regime per country segment.
 */

export const country = z
  .string()
  .refine((c) => isIsoCountry(c), { message: 'not an ISO 3166-1 alpha-2 country code' });
export const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: 'an ISO 4217 currency code, e.g. USD' });
const officeCode = z.string().regex(/^[A-Z]{2}[A-Z2-9]{3}\d{3}$/, {
  message: 'an office code: UN/LOCODE and 3 digits, e.g. AZBAK001',
});
export const text = (max: number) => z.string().trim().min(1).max(max);

export const hsCodeSchema = z
  .string()
  .regex(/^\d{6}(\d{2}){0,2}$/, { message: 'an HS code of 6, 8 or 10 digits' });

export const packagesSchema = z.strictObject({
  count: z.number().int().min(1).max(1_000_000),
  /** UN/ECE Recommendation 21 package code, e.g. CT carton, PK package. */
  kind: z
    .string()
    .regex(/^[A-Z0-9]{2}$/, { message: 'a 2-character UN/ECE Rec. 21 code, e.g. CT' }),
});

const party = z.strictObject({
  name: text(200),
  country,
  identificationNumber: text(35).optional(),
});

export const goodsItemSchema = z
  .strictObject({
    hsCode: hsCodeSchema,
    description: text(512),
    packages: packagesSchema,
    grossMassKg: z.number().positive().max(100_000),
    netMassKg: z.number().positive().max(100_000),
    value: z.number().nonnegative().max(1e11),
    currency,
    countryOfOrigin: country,
  })
  .refine((g) => g.netMassKg <= g.grossMassKg, {
    path: ['netMassKg'],
    message: 'net mass above gross mass',
  });

const regime = z.enum([
  'export',
  'eaeu_transit',
  'ncts_transit',
  'tir_etir',
  'national_transit',
  'import',
  'free_zone_entry',
]);

export const itinerarySegmentSchema = z.strictObject({
  country,
  regime,
  /** Departure office for the first segment, entry office for the others. */
  office: officeCode,
  exitOffice: officeCode.optional(),
  meansOfTransport: z
    .strictObject({
      mode: z.enum(['rail', 'road', 'sea', 'ferry']),
      identification: text(35),
    })
    .optional(),
});

export const declarationBodySchema = z
  .strictObject({
    lrn: z.string().regex(/^[A-Za-z0-9-]{1,22}$/, {
      message: 'a local reference number: up to 22 letters, digits or -',
    }),
    /** A shipment of the trader: the itinerary and containers are filled from it when not given. */
    shipmentId: idParam.optional(),
    /** Or a booking of the trader, or a plan's itinerary: the itinerary is filled from its rides. */
    bookingId: idParam.optional(),
    planId: z
      .string()
      .regex(/^pln_[A-Za-z0-9]{1,40}$/, { message: 'a plan id (pln_...)' })
      .optional(),
    itineraryId: z
      .string()
      .regex(/^it_[a-z0-9]{1,20}$/, { message: 'an itinerary id (it_...)' })
      .optional(),
    holder: z.strictObject({
      name: text(200),
      /** EORI, TIN or TIR holder id: starts with the country code. */
      identificationNumber: z.string().regex(/^[A-Z]{2}[A-Za-z0-9/-]{1,33}$/, {
        message: 'country code then up to 33 letters or digits',
      }),
      country,
    }),
    guarantee: z.strictObject({
      reference: z
        .string()
        .regex(/^[A-Z0-9]{1,24}$/, { message: 'up to 24 capital letters or digits' }),
      amount: z.number().positive().max(1e11),
      currency,
    }),
    consignments: z
      .array(
        z.strictObject({
          consignor: party,
          consignee: party,
          goodsItems: z.array(goodsItemSchema).min(1).max(999),
        }),
      )
      .min(1)
      .max(99),
    containers: z
      .array(
        z.strictObject({
          equipmentReference: z.string().max(11),
          seals: z.array(text(35)).max(20).default([]),
        }),
      )
      .max(99)
      .optional(),
    itinerary: z.array(itinerarySegmentSchema).min(1).max(20).optional(),
    documents: z
      .array(z.strictObject({ type: text(35), reference: text(70) }))
      .max(99)
      .default([]),
  })
  .refine((d) => (d.planId === undefined) === (d.itineraryId === undefined), {
    path: ['itineraryId'],
    message: 'planId and itineraryId go together',
  })
  .meta({ description: 'A transit declaration as the trader lodges or amends it' });

export type DeclarationBody = z.output<typeof declarationBodySchema>;

const segmentStatusSchema = z.strictObject({
  seq: z.number().int(),
  country: z.string(),
  regime: z.string(),
  office: z.string(),
  exitOffice: z.string().nullable(),
  state: z.enum(SEGMENT_STATES),
  lane: z.enum(LANES).nullable(),
  etaAt: z.string().nullable(),
  arrivedAt: z.string().nullable(),
  assessedAt: z.string().nullable(),
  releasedAt: z.string().nullable(),
  exitedAt: z.string().nullable(),
  dischargedAt: z.string().nullable(),
  documentsCheckedAt: z.string().nullable().optional(),
  /** The officer's last decision while it can be undone (officers only). */
  lastDecision: z
    .strictObject({ action: z.string(), at: z.string(), undoUntil: z.string() })
    .nullable()
    .optional(),
  /**
   * The means of transport crossing into the segment's country, as declared (officers and the
   * trader).
   */
  meansOfTransport: z
    .strictObject({ mode: z.string(), identification: z.string() })
    .nullable()
    .optional(),
  note: z.string().nullable().optional(),
  decision: z.unknown().optional(),
  inspections: z.array(z.unknown()).optional(),
  sharedFindings: z.array(z.unknown()).optional(),
});

export const declarationSchema = z
  .object({
    id: z.string(),
    mrn: z.string(),
    lrn: z.string().optional(),
    shipmentId: z.string().nullable(),
    state: z.enum(['open', 'invalidated', 'discharged']),
    guaranteeState: z.enum(['held', 'released']).optional(),
    version: z.number().int().optional(),
    declaration: z.unknown().optional(),
    segments: z.array(segmentStatusSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    description:
      'A declaration as the caller may see it: the trader sees it whole; customs officers the common data, their own segments and the findings shared with them; carriers the release status only',
  });

export const segmentActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('assess') }),
  z.strictObject({ type: z.literal('arrive') }),
  z.strictObject({ type: z.literal('request_documents'), note: text(500) }),
  z.strictObject({
    type: z.literal('record_inspection'),
    kind: z.enum(['scan', 'physical']),
    sealsIntact: z.boolean(),
    discrepancies: z.array(text(500)).max(50).default([]),
  }),
  z
    .strictObject({ type: z.literal('check_documents') })
    .meta({ description: 'The documentary check (yellow lane) done: the box may be released' }),
  z.strictObject({ type: z.literal('release') }),
  z.strictObject({ type: z.literal('hold'), note: text(500) }),
  z.strictObject({ type: z.literal('refuse'), note: text(500) }),
  z.strictObject({ type: z.literal('exit') }),
  z.strictObject({ type: z.literal('discharge') }),
  z.strictObject({ type: z.literal('undo') }).meta({
    description: "Takes back the officer's own last decision on the segment, within a minute of it",
  }),
]);
export type SegmentActionBody = z.output<typeof segmentActionSchema>;

export const declarationParams = z.strictObject({ id: idParam });

export const segmentParams = z.strictObject({
  id: idParam,
  country: z.string().regex(/^[A-Z]{2}$/, { message: 'a 2-letter country code' }),
});

export const documentsAnswerSchema = z.strictObject({
  documents: z
    .array(z.strictObject({ type: text(35), reference: text(70) }))
    .min(1)
    .max(99),
});

export const ruleSetBodySchema = ruleSetSchema;

export const ruleSetAnswerSchema = z.object({
  scope: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  rules: z.unknown(),
});

export const scopeParams = z.strictObject({
  scope: z.string().regex(/^[A-Z]{2}([A-Z2-9]{3}\d{3})?$/, {
    message: 'a country code (AZ) or an office code (AZBAK001)',
  }),
});

export const queueQuerySchema = z.strictObject({ office: officeCode, ...pageQueryFields });

/** The offices of the caller's administration, the one with the most work first. */
export const deskOfficesSchema = z
  .object({
    offices: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        timeZone: z.string().meta({ description: "IANA time zone of the office's place" }),
        open: z.number().int().meta({ description: 'open segments waiting at the office' }),
      }),
    ),
  })
  .meta({ id: 'CustomsDeskOffices' });

/** The decisions recorded at an office since its local midnight, newest first. */
export const decisionsSchema = z
  .object({
    decisions: z.array(
      z.object({
        seq: z.number().int().meta({ description: 'the audit record' }),
        at: z.string(),
        actor: z.string(),
        action: z.string(),
        declarationId: z.string(),
        mrn: z.string(),
        note: z.string().nullable(),
        /** For an undo: the decision it took back. */
        undid: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'CustomsDecisions' });

export const metricsQuerySchema = z.strictObject({
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

const spreadSchema = z.object({
  count: z.number().int(),
  p50Hours: z.number().nullable(),
  p90Hours: z.number().nullable(),
});

/** WCO Time Release Study figures per office and lane. */
export const releaseTimesSchema = z
  .object({
    rows: z.array(
      z.object({
        office: z.string(),
        lane: z.enum([...LANES, 'all']),
        segments: z.number().int(),
        share: z.number().describe("share of the office's assessed segments in this lane"),
        arrivalToRelease: spreadSchema,
        lodgementToDecision: spreadSchema,
        lodgementToRelease: spreadSchema,
      }),
    ),
    aeo: z.object({ arrivalToRelease: spreadSchema, share: z.number() }),
    others: z.object({ arrivalToRelease: spreadSchema }),
  })
  .meta({ id: 'ReleaseTimes' });

/**
 * The customs audit log's head signed with the platform's document key (Ed25519, the keys at
 * GET /v1/documents/keys): keep it, and `corridor audit verify --anchor FILE` later proves that
 * the log still holds record `seq` with this hash.
 */
export const auditHeadSchema = z
  .strictObject({
    day: z
      .string()
      .meta({ description: 'The day (UTC) this is the anchor of', example: '2026-12-04' }),
    seq: z.number().int().meta({ description: 'The last record of the log when signed' }),
    hash: z.string().meta({ description: "That record's hash (SHA-256, hex)" }),
    signedAt: z.iso.datetime(),
    keyId: z.string(),
    signature: z.string().meta({ description: 'Ed25519 over `signedText`, base64url' }),
    signedText: z.string().meta({
      description:
        'The exact text signed: canonical JSON (keys sorted, no spaces) of kind, day, seq, hash and signedAt',
    }),
  })
  .meta({ id: 'AuditHead' });
