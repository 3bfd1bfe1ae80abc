import { z } from 'zod';
import { LANGUAGES, SERVICE_KINDS } from '../core/directory/catalogue.ts';

/** The services profiles offer and the languages they speak, for pickers. */
export { LANGUAGES as PROFILE_LANGUAGES, SERVICE_KINDS };
import { REQUEST_STATES } from '../core/directory/service-request.ts';
import { idParam, timestamp } from './common.ts';
import { country, currency, hsCodeSchema, text } from './customs.ts';

/**
 * The one-stop service desk: organisation profiles and the directory, trade listings and their
 * matches, service requests with offers and messages, and in-app notifications.
 */

const nodeId = z.string().regex(/^[A-Z]{2}_[A-Z0-9_]{1,60}$/, { message: 'a corridor node id' });

export const profileBodySchema = z
  .strictObject({
    services: z.array(z.enum(SERVICE_KINDS)).max(SERVICE_KINDS.length).default([]),
    countries: z.array(country).max(30).default([]),
    nodes: z.array(nodeId).max(30).default([]).meta({
      description: 'corridor nodes it works at, e.g. AZ_ALAT_FEZ, CN_SCODA_MTC',
    }),
    languages: z.array(z.enum(LANGUAGES)).max(LANGUAGES.length).default([]),
    exportsHs: z
      .array(hsCodeSchema.or(z.string().regex(/^\d{2,4}$/)))
      .max(50)
      .default([]),
    importsHs: z
      .array(hsCodeSchema.or(z.string().regex(/^\d{2,4}$/)))
      .max(50)
      .default([]),
    descriptions: z
      .partialRecord(z.enum(LANGUAGES), text(4000))
      .default({})
      .meta({ description: 'what it does, per language: { "en": "...", "zh": "..." }' }),
    contact: z
      .strictObject({
        email: z.email().max(200).optional(),
        phone: z
          .string()
          .regex(/^\+?[0-9 ()-]{5,30}$/, { message: 'a phone number' })
          .optional(),
        website: z
          .url({ protocol: /^https?$/ })
          .max(300)
          .optional(),
        address: text(300).optional(),
      })
      .default({})
      .meta({
        description: 'shown to others only after a service request between them is accepted',
      }),
  })
  .meta({ id: 'ProfileBody' });

export type ProfileBody = z.output<typeof profileBodySchema>;

export const profileSchema = z
  .object({
    organisationId: z.string(),
    name: z.string(),
    kind: z.string(),
    country: z.string(),
    verified: z.boolean(),
    services: z.array(z.string()),
    countries: z.array(z.string()),
    nodes: z.array(z.string()),
    languages: z.array(z.string()),
    exportsHs: z.array(z.string()),
    importsHs: z.array(z.string()),
    descriptions: z.record(z.string(), z.string()),
    contact: z
      .record(z.string(), z.string())
      .nullable()
      .meta({ description: 'null unless yours or a request between you was accepted' }),
    updatedAt: timestamp.nullable(),
  })
  .meta({ id: 'Profile' });

const list = <T extends z.ZodType<string, string>>(s: T) =>
  z
    .string()
    .max(500)
    .transform((v) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    )
    .pipe(z.array(s).max(20));

export const searchQuerySchema = z.strictObject({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .meta({ description: 'free text over names and descriptions' }),
  service: list(z.enum(SERVICE_KINDS)).optional(),
  country: list(country).optional(),
  node: list(nodeId).optional(),
  hs: z
    .string()
    .regex(/^\d{2,10}$/, { message: 'an HS code or its first digits (2-10)' })
    .optional(),
  language: list(z.enum(LANGUAGES)).optional(),
  verified: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});

export type SearchQuery = z.output<typeof searchQuerySchema>;

export const searchAnswerSchema = z
  .object({
    total: z.number().int(),
    offset: z.number().int(),
    next: z.number().int().nullable(),
    results: z.array(profileSchema.extend({ rank: z.number() })),
  })
  .meta({ id: 'DirectoryPage' });

export const listingBodySchema = z
  .strictObject({
    kind: z.enum(['export', 'import']),
    hsCode: hsCodeSchema,
    description: text(500),
    place: text(100).meta({
      description: 'where goods leave (export) or arrive (import): node id, UN/LOCODE or name',
    }),
    tonnesPerMonth: z.number().positive().max(10_000_000),
    partnerCountries: z.array(country).max(30).default([]).meta({
      description: 'export: markets sold to; import: countries bought from; empty for any',
    }),
  })
  .meta({ id: 'TradeListingBody' });

export type ListingBody = z.output<typeof listingBodySchema>;

export const listingSchema = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    kind: z.enum(['export', 'import']),
    hsCode: z.string(),
    description: z.string(),
    country: z.string(),
    nodeId: z.string(),
    tonnesPerMonth: z.number(),
    partnerCountries: z.array(z.string()),
    createdAt: timestamp,
  })
  .meta({ id: 'TradeListing' });

export const matchSchema = z
  .object({
    exporter: listingSchema.extend({ organisationName: z.string() }),
    importer: listingSchema.extend({ organisationName: z.string() }),
    hsDigits: z.number().int(),
    volumeFit: z.number(),
    score: z.number(),
    route: z
      .object({
        corridor: z.string(),
        transitDaysP50: z.number(),
        transitDaysP90: z.number(),
        costUsdPer40ft: z.number(),
        co2eKgPer40ft: z.number(),
        legs: z.array(z.string()),
      })
      .meta({ description: "the planner's fastest itinerary next week, for one 40' container" }),
  })
  .meta({ id: 'TradeMatch' });

export const requestBodySchema = z
  .strictObject({
    providerId: idParam,
    service: z.enum(SERVICE_KINDS),
    nodeId: nodeId.optional(),
    description: text(2000).meta({
      example: 'Warehousing for 20 TEU a month at Alat FEZ from February',
    }),
    wantedFrom: z.iso.date().optional(),
  })
  .meta({ id: 'ServiceRequestBody' });

export type RequestBody = z.output<typeof requestBodySchema>;

export const requestActionSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('offer'),
      price: z.number().positive().max(1e11),
      currency,
      validUntil: z.iso.datetime({ offset: true }),
      terms: text(4000),
    }),
    z.strictObject({ type: z.literal('refuse'), reason: text(1000) }),
    z.strictObject({ type: z.literal('accept') }),
    z.strictObject({ type: z.literal('decline'), reason: text(1000).optional() }),
    z.strictObject({ type: z.literal('withdraw') }),
  ])
  .meta({ id: 'ServiceRequestAction' });

export type RequestActionBody = z.output<typeof requestActionSchema>;

export const messageBodySchema = z.strictObject({ text: text(4000) });

export const serviceRequestSchema = z
  .object({
    id: z.string(),
    requesterId: z.string(),
    requesterName: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    service: z.string(),
    nodeId: z.string().nullable(),
    description: z.string(),
    wantedFrom: z.string().nullable(),
    state: z.enum(REQUEST_STATES),
    offer: z
      .object({
        price: z.number(),
        currency: z.string(),
        validUntil: timestamp,
        terms: z.string(),
        at: timestamp,
      })
      .nullable(),
    history: z.array(
      z.object({ state: z.string(), at: timestamp, by: z.string(), note: z.string().nullable() }),
    ),
    messages: z.array(
      z.object({
        id: z.string(),
        from: z.string(),
        fromName: z.string(),
        text: z.string(),
        at: timestamp,
      }),
    ),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'ServiceRequest' });

export const notificationSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    requestId: z.string().nullable(),
    text: z.string(),
    createdAt: timestamp,
    readAt: timestamp.nullable(),
  })
  .meta({ id: 'Notification' });

export const organisationParams = z.strictObject({ organisationId: idParam });
export const requestParams = z.strictObject({ requestId: idParam });
export const listingParams = z.strictObject({ listingId: idParam });
export const notificationParams = z.strictObject({ notificationId: idParam });
