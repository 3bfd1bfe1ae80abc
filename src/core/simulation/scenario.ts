import { z } from 'zod';

/**
 * A scenario of the corridor for the simulation: resources (trains on a timetable, terminals
 * such as border crossings and gauge changes, Caspian vessels, customs offices) and demand per
 * origin–destination along a route of those resources. Every figure says where it comes from
 * (`source`: a citation of data/reference.md) or how it was estimated (`estimate`). A scenario
 * may start from a base and change it (add vessels, change capacity or green-lane share, close
 * a resource for some days, add demand).
 */

const hours = z
  .number()
  .min(0)
  .max(24 * 365);
const provenance = {
  source: z.string().min(1).max(1000).optional(),
  estimate: z.string().min(1).max(1000).optional(),
};

/** Processing time as P50/P90 hours (lognormal), or exponential with a mean (queueing checks). */
const durationSchema = z.union([
  z
    .strictObject({ p50Hours: hours.refine((h) => h > 0, 'must be above 0'), p90Hours: hours })
    .refine((d) => d.p90Hours >= d.p50Hours, { path: ['p90Hours'], message: 'below p50Hours' }),
  z.strictObject({ exponentialMeanHours: hours.refine((h) => h > 0, 'must be above 0') }),
]);

export type Duration = z.infer<typeof durationSchema>;

const resourceSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('train'),
    name: z.string().min(1).max(100),
    /** One departure every this many hours, the first at `firstDepartureHour`. */
    headwayHours: hours.refine((h) => h > 0, 'must be above 0'),
    firstDepartureHour: hours.default(0),
    capacityTeu: z.number().int().min(1).max(1000),
    run: durationSchema,
    distanceKm: z.number().min(0).max(20_000),
    co2eGramsPerTeuKm: z.number().min(0).max(10_000),
    ...provenance,
  }),
  z.strictObject({
    type: z.literal('terminal'),
    name: z.string().min(1).max(100),
    /** Containers handled at once (servers of the queue), for all its traffic. */
    servers: z.number().int().min(1).max(10_000),
    /**
     * Its trains a day (data/border-capacity.json) and how many of them are background traffic
     * (exports, oil, other transit): the background takes that share of the servers.
     */
    trainsPerDay: z.number().positive().max(1000).optional(),
    backgroundTrainsPerDay: z.number().min(0).max(1000).default(0),
    process: durationSchema,
    /**
     * The places and operations of the corridor network (data/dwell.json) this terminal stands
     * for: run from the platform, its process is their dwell models in force (P50s and P90s
     * summed) where one of them was learnt from the corridor's events.
     */
    dwellModels: z
      .array(
        z.strictObject({ node: z.string().min(1).max(64), operation: z.string().min(1).max(40) }),
      )
      .max(10)
      .optional(),
    ...provenance,
  }),
  z.strictObject({
    type: z.literal('vessel'),
    name: z.string().min(1).max(100),
    vessels: z.number().int().min(1).max(100),
    capacityTeu: z.number().int().min(1).max(10_000),
    /** A vessel sails when full, or this long after its first container was loaded. */
    maxWaitHours: hours,
    crossing: durationSchema,
    /** Unloading, return crossing and berthing until the vessel loads again. */
    returnHours: hours,
    distanceKm: z.number().min(0).max(20_000),
    co2eGramsPerTeuKm: z.number().min(0).max(10_000),
    /**
     * Days a month the port is closed by weather, January first (12 values): every run closes
     * each month on that many days (a fraction: one more day with that chance).
     */
    closureDaysByMonth: z
      .array(z.number().min(0).max(31))
      .length(12)
      .default(Array<number>(12).fill(0)),
    /** The closed days come in spells of 1 to this many days in a row, at random places. */
    closureSpellMaxDays: z.number().int().min(1).max(31).default(1),
    ...provenance,
  }),
  z.strictObject({
    type: z.literal('customs'),
    name: z.string().min(1).max(100),
    /** Share released without inspection (green lane), 0..1. */
    greenShare: z.number().min(0).max(1),
    green: durationSchema,
    /** Inspections at once. */
    inspectors: z.number().int().min(1).max(10_000),
    inspection: durationSchema,
    ...provenance,
  }),
]);

export type ResourceSpec = z.infer<typeof resourceSchema>;

const demandSchema = z.strictObject({
  from: z.string().min(1).max(100),
  to: z.string().min(1).max(100),
  /** Resource ids in travel order. */
  route: z.array(z.string().min(1)).min(1).max(30),
  teuPerWeek: z.number().min(0).max(1_000_000),
  /** TEU per container: 2 for 40' boxes. */
  teuPerContainer: z.union([z.literal(1), z.literal(2)]).default(2),
  /** Multipliers by month, January first. */
  seasonality: z.array(z.number().min(0).max(10)).length(12).default(Array<number>(12).fill(1)),
  ...provenance,
});

export const changeSchema = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('add_vessels'),
    resource: z.string(),
    count: z.number().int().min(-99).max(99),
  }),
  z.strictObject({
    op: z.literal('set_capacity'),
    resource: z.string(),
    /** servers (terminal), inspectors (customs), capacityTeu (train, vessel). */
    value: z.number().int().min(1).max(100_000),
  }),
  z.strictObject({
    op: z.literal('green_share'),
    resource: z.string(),
    value: z.number().min(0).max(1),
  }),
  z.strictObject({
    op: z.literal('close'),
    resource: z.string(),
    fromDay: z.number().int().min(0).max(3650),
    days: z.number().int().min(1).max(3650),
  }),
  z.strictObject({
    op: z.literal('scale_demand'),
    factor: z.number().min(0).max(100),
    from: z.string().optional(),
    to: z.string().optional(),
  }),
]);

export type Change = z.infer<typeof changeSchema>;

export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    /**
     * Days simulated before measuring, so queues start from a loaded corridor. The measured
     * period starts on 1 January; the warm-up is the days before it (61: from 1 November).
     */
    warmupDays: z.number().int().min(0).max(365).default(30),
    /**
     * 'reference': the terminals keep their own process times even where the platform learnt
     * a dwell model for their places; otherwise (run from the platform) the learnt ones hold.
     */
    dwell: z.enum(['learnt', 'reference']).optional(),
    resources: z.record(
      z.string().regex(/^[A-Z0-9_]{1,60}$/, 'ids are capitals, digits and _'),
      resourceSchema,
    ),
    demand: z.array(demandSchema).min(1).max(200),
    /**
     * Closures beyond the weather (a port closed for N days), from calendar day `fromDay` of the
     * measured period: 0 is 1 January, 59 is 1 March.
     */
    closures: z
      .array(
        z.strictObject({
          resource: z.string(),
          fromDay: z.number().int().min(0),
          days: z.number().int().min(1),
        }),
      )
      .default([]),
  })
  .superRefine((s, ctx) => {
    s.demand.forEach((d, i) =>
      d.route.forEach((r, j) => {
        if (!(r in s.resources))
          ctx.addIssue({
            code: 'custom',
            path: ['demand', i, 'route', j],
            message: `no resource ${r}`,
          });
      }),
    );
    s.closures.forEach((c, i) => {
      if (!(c.resource in s.resources))
        ctx.addIssue({
          code: 'custom',
          path: ['closures', i, 'resource'],
          message: `no resource ${c.resource}`,
        });
    });
    for (const [id, r] of Object.entries(s.resources))
      if (
        r.type === 'terminal' &&
        r.backgroundTrainsPerDay > 0 &&
        !(r.trainsPerDay !== undefined && r.backgroundTrainsPerDay < r.trainsPerDay)
      )
        ctx.addIssue({
          code: 'custom',
          path: ['resources', id, 'backgroundTrainsPerDay'],
          message: 'needs trainsPerDay above it',
        });
    for (const [id, r] of Object.entries(s.resources))
      if (r.source === undefined && r.estimate === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['resources', id],
          message: 'needs a source (citation) or an estimate (how it was made)',
        });
  });

export type Scenario = z.output<typeof scenarioSchema>;

/** A scenario file: a whole scenario, or a base (by name) and changes on top. */
export const scenarioFileSchema = z.union([
  scenarioSchema,
  z.strictObject({
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    base: z.string().min(1).max(300),
    /** As a whole scenario's `dwell`: 'reference' keeps the base's own process times. */
    dwell: z.enum(['learnt', 'reference']).optional(),
    changes: z.array(changeSchema).min(1).max(100),
  }),
]);

export type Applied = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

/** The base with the changes made, each checked against it. Pure. */
export function applyChanges(base: Scenario, name: string, changes: readonly Change[]): Applied {
  const s = structuredClone<Scenario>(base);
  s.name = name;
  const errors: string[] = [];
  changes.forEach((c, i) => {
    const at = `changes.${i}`;
    if (c.op === 'scale_demand') {
      let hit = 0;
      for (const d of s.demand)
        if ((c.from === undefined || d.from === c.from) && (c.to === undefined || d.to === c.to)) {
          d.teuPerWeek *= c.factor;
          hit++;
        }
      if (hit === 0)
        errors.push(`${at}: no demand from ${c.from ?? 'anywhere'} to ${c.to ?? 'anywhere'}`);
      return;
    }
    const r = s.resources[c.resource];
    if (!r) {
      errors.push(`${at}.resource: no resource ${c.resource}`);
      return;
    }
    switch (c.op) {
      case 'add_vessels':
        if (r.type !== 'vessel')
          errors.push(`${at}.resource: ${c.resource} is a ${r.type}, not a vessel`);
        else if (r.vessels + c.count < 1) errors.push(`${at}.count: leaves no vessel`);
        else r.vessels += c.count;
        break;
      case 'set_capacity':
        if (r.type === 'terminal') r.servers = c.value;
        else if (r.type === 'customs') r.inspectors = c.value;
        else r.capacityTeu = c.value;
        break;
      case 'green_share':
        if (r.type !== 'customs')
          errors.push(`${at}.resource: ${c.resource} is a ${r.type}, not customs`);
        else r.greenShare = c.value;
        break;
      case 'close':
        s.closures.push({ resource: c.resource, fromDay: c.fromDay, days: c.days });
        break;
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, scenario: s };
}
