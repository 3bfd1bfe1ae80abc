import { z } from 'zod';

/**
 * zod schemas of the reference-corridor data files in data/. They check the shape of each record;
 * cross-record rules (references, paths, dwell models) are checked in load-network.ts.
 */

const ESTIMATE_PREFIX = 'estimate:';

/** A citation, or `estimate: <how the figure was derived>`. */
const source = z
  .string({ error: 'source is required: a citation or "estimate: how"' })
  .trim()
  .min(1, 'source is required: a citation or "estimate: how"')
  .refine((s) => !s.startsWith(ESTIMATE_PREFIX) || s.length - ESTIMATE_PREFIX.length >= 10, {
    message: 'an estimate must say how it was made: "estimate: <how>"',
  });

const id = z
  .string()
  .regex(/^[A-Z0-9_]+$/, 'ids are upper-case letters, digits and underscores, e.g. KZ_AKTAU_PORT');

/** UN/LOCODE: ISO 3166 country + 3 characters from A-Z and 2-9 (DCSA pattern). */
const unLocode = z.string().regex(/^[A-Z]{2}[A-Z2-9]{3}$/, 'not a UN/LOCODE (e.g. KZAAU)');

export const NODE_KINDS = [
  'seaport',
  'rail_terminal',
  'dry_port',
  'border_crossing',
  'free_economic_zone',
  'city',
] as const;

const nodeSchema = z.strictObject({
  id,
  name: z.string().trim().min(1),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code, e.g. KZ'),
  unLocode: unLocode.nullable(),
  altUnLocodes: z.array(unLocode).optional(),
  /** Other names in use, in any language or script, for finding the place. */
  aliases: z.array(z.string().trim().min(1)).optional(),
  kind: z.enum(NODE_KINDS),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  timeZone: z.string().min(1),
  source,
});

export const LINK_MODES = ['rail', 'road', 'ferry', 'sea'] as const;
/** Track gauges on the corridor, in millimetres. */
const GAUGES_MM = [1435, 1520, 1524] as const;
const gauge = z.union(GAUGES_MM.map((g) => z.literal(g)));

const linkSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'link ids use letters, digits, "_" and "-"'),
  from: id,
  to: id,
  mode: z.enum(LINK_MODES),
  distanceKm: z.number().positive('distance must be positive'),
  typicalHours: z.number().positive('typical hours must be positive'),
  gaugeMm: gauge.optional(),
  gaugeBreak: z
    .strictObject({ at: id, fromMm: gauge, toMm: gauge })
    .refine((b) => b.fromMm !== b.toMm, { message: 'a gauge break joins two different gauges' })
    .optional(),
  operators: z.string().optional(),
  source,
});

export const OPERATIONS = [
  'border_crossing',
  'gauge_change',
  'transshipment',
  'port_handling',
  'ferry_waiting',
] as const;

export const CARGO_CLASSES = ['hazardous', 'reefer', 'out_of_gauge', 'general'] as const;

/** ISO 6346 size-type codes the tariffs are given for. */
export const CONTAINER_TYPES = ['22G1', '42G1', '45G1', 'L5G1', '22R1', '45R1'] as const;

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM, e.g. 09:30');
const localDateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/,
    'a local date-time YYYY-MM-DDTHH:MM, e.g. 2026-01-05T09:00',
  );

const stopSchema = z.strictObject({
  node: id,
  via: z.array(id).optional(),
  runHours: z.number().positive('running time must be positive').optional(),
  dwellHours: z.number().nonnegative('a planned stop cannot be negative').optional(),
  operations: z.array(z.enum(OPERATIONS)).optional(),
});

const weeklyPattern = z.strictObject({
  weekly: z
    .array(z.strictObject({ weekday: z.enum(WEEKDAYS), time }))
    .min(1, 'a weekly pattern needs at least one departure'),
});
const frequencyPattern = z.strictObject({
  everyHours: z.number().positive('a frequency must be positive'),
  anchor: localDateTime,
});

const tariffLine = z.strictObject({
  fixedUsd: z.number().nonnegative(),
  perKmUsd: z.number().nonnegative(),
  /** The part of perKmUsd that is the railways' infrastructure charge, where sources give it. */
  infrastructurePerKmUsd: z.number().nonnegative().optional(),
});

/** A section of a service priced on its own: from one of its stops to a later one. */
const tariffSection = z.strictObject({
  from: id,
  to: id,
  byContainerType: z.partialRecord(z.enum(CONTAINER_TYPES), tariffLine),
  source,
});

export const SERVICE_MODES = ['rail', 'road', 'ferry', 'sea', 'multimodal'] as const;

/** The corridors itineraries are compared across. */
export const CORRIDORS = ['middle', 'northern', 'southern', 'sea'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const serviceSchema = z.strictObject({
  id,
  name: z.string().trim().min(1),
  operator: z.string().trim().min(1),
  mode: z.enum(SERVICE_MODES),
  stops: z.array(stopSchema).min(2, 'a service needs at least two stops'),
  pattern: z.union([weeklyPattern, frequencyPattern], {
    error: 'a pattern is { weekly: [{ weekday, time }] } or { everyHours, anchor }',
  }),
  sailsWhenFull: z.boolean(),
  capacityTeu: z.number().int().positive('capacity must be a positive number of TEU'),
  refusesCargo: z.array(z.enum(CARGO_CLASSES)),
  tariff: z.strictObject({
    currency: z.literal('USD'),
    byContainerType: z.partialRecord(z.enum(CONTAINER_TYPES), tariffLine),
    /** Sections with their own charges; the rest of the route is priced by byContainerType. */
    sections: z.array(tariffSection).optional(),
  }),
  emissionFactorId: z.string().optional(),
  /** The corridor the service belongs to; absent for feeder and shuttle services shared by all. */
  corridor: z.enum(CORRIDORS).optional(),
  /**
   * First and last service day the timetable runs (inclusive, origin local dates). Without a
   * last day the service runs until its operator publishes a new version.
   */
  validFrom: isoDate,
  validTo: isoDate.optional(),
  source,
});

const monthlyDwellSchema = z
  .strictObject({
    p50Hours: z.number().nonnegative('P50 cannot be negative'),
    p90Hours: z.number().nonnegative('P90 cannot be negative'),
  })
  .refine((m) => m.p90Hours >= m.p50Hours, { path: ['p90Hours'], message: 'below p50Hours' });

const dwellModelSchema = z
  .strictObject({
    id: z.string().min(1),
    node: id,
    operation: z.enum(OPERATIONS),
    p50Hours: z.number().nonnegative('P50 cannot be negative'),
    p90Hours: z.number().nonnegative('P90 cannot be negative'),
    /** P50/P90 by calendar month (UTC), January first, for ferry waits: storms and winter. */
    byMonth: z.array(monthlyDwellSchema).length(12, 'twelve months, January first').optional(),
    source,
  })
  .refine((d) => d.byMonth === undefined || d.operation === 'ferry_waiting', {
    path: ['byMonth'],
    message: 'months are given for ferry waiting only',
  });

const emissionFactorSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]+$/, 'factor ids are lower-case snake_case'),
  mode: z.enum(LINK_MODES),
  default: z.boolean(),
  gCo2ePerTonneKm: z.number().positive(),
  basis: z.enum(['WTW', 'TTW']),
  source,
});

/**
 * How many trains a day a border or gauge change passes (all traffic), from a date or until one,
 * and how many of them are background traffic (exports, oil, other transit) that the platform's
 * trains share it with.
 */
const borderCapacitySchema = z.strictObject({
  id: z.string().min(1),
  node: z.string().min(1),
  operation: z.enum(['border_crossing', 'gauge_change']),
  trainsPerDay: z.number().positive().max(1000),
  backgroundTrainsPerDay: z.number().min(0).max(1000).default(0),
  /** First day it holds (inclusive), and the day it no longer does (exclusive), YYYY-MM-DD. */
  from: z.iso.date().optional(),
  until: z.iso.date().optional(),
  source,
});

/** The data files and the top-level key each holds its records under. */
export const NETWORK_FILES = {
  'nodes.json': { key: 'nodes', record: nodeSchema },
  'links.json': { key: 'links', record: linkSchema },
  'services.json': { key: 'services', record: serviceSchema },
  'dwell.json': { key: 'dwellModels', record: dwellModelSchema },
  'emission-factors.json': { key: 'emissionFactors', record: emissionFactorSchema },
  /** Optional: a network without it knows no border capacity. */
  'border-capacity.json': { key: 'borderCapacities', record: borderCapacitySchema },
} as const;

export type NetworkFileName = keyof typeof NETWORK_FILES;
export type NodeRecord = z.infer<typeof nodeSchema>;
export type LinkRecord = z.infer<typeof linkSchema>;
export type ServiceRecord = z.infer<typeof serviceSchema>;
export type TariffLineRecord = z.infer<typeof tariffLine>;
export type DwellModelRecord = z.infer<typeof dwellModelSchema>;
export type EmissionFactorRecord = z.infer<typeof emissionFactorSchema>;
export type BorderCapacityRecord = z.infer<typeof borderCapacitySchema>;
