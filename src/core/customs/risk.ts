import { z } from 'zod';
import { isIsoCountry } from '../shared/countries.ts';
import { seededRng } from '../shared/rng.ts';

/**
 * Risk-based selectivity in the manner of ASYCUDA (standards.md §1.2): a declaration's segment goes
 * to a lane by, in order, (1) the criteria of the country's or office's rule set — each rule that
 * matches sends it to its lane with its probability; (2) a minimum random selection rate; (3) a
 * top-up from would-be-green declarations, in the order red, yellow, blue, while a lane's actual
 * rate is below the rate expected of it. Authorised economic operators get lower probabilities
 * and no top-up (WTO TFA 7.7: a low inspection rate). Every draw comes from a generator seeded by
 * the declaration, so a decision replays identically from what its audit record keeps: the facts,
 * the rule set, the lane counts before it and the seed. Pure.
 */

export const LANES = ['green', 'yellow', 'blue', 'red'] as const;
/** green: release; yellow: documentary check; blue: release, audit later; red: physical inspection. */
export type Lane = (typeof LANES)[number];
export type ControlLane = Exclude<Lane, 'green'>;

/** When rules disagree, the stricter lane wins. */
const SEVERITY: Record<Lane, number> = { green: 0, blue: 1, yellow: 2, red: 3 };
/** Top-up precedence (ASYCUDA): red, then yellow, then blue. */
const TOP_UP_ORDER: readonly ControlLane[] = ['red', 'yellow', 'blue'];

const country = z
  .string()
  .refine((c) => isIsoCountry(c), { message: 'not an ISO 3166-1 alpha-2 country code' });
const controlLane = z.enum(['yellow', 'blue', 'red']);
const rate = z.number().min(0).max(1);

export const criteriaSchema = z
  .strictObject({
    /** HS code prefixes of any goods item (2 to 10 digits). */
    hsPrefixes: z
      .array(z.string().regex(/^\d{2,10}$/, { message: 'an HS code prefix is 2 to 10 digits' }))
      .min(1)
      .max(1000)
      .optional(),
    /** Countries of origin of any goods item. */
    origins: z.array(country).min(1).max(250).optional(),
    /** Identification numbers of holders. */
    holders: z.array(z.string().min(1).max(35)).min(1).max(10_000).optional(),
    /** Consignor names (compared without case). */
    consignors: z.array(z.string().min(1).max(200)).min(1).max(10_000).optional(),
    /** Value per kg of net mass outside [min, max] for items in this currency and HS prefix. */
    valuePerKg: z
      .strictObject({
        currency: z.string().regex(/^[A-Z]{3}$/, { message: 'an ISO 4217 currency code' }),
        hsPrefix: z
          .string()
          .regex(/^\d{2,10}$/)
          .optional(),
        min: z.number().nonnegative().optional(),
        max: z.number().positive().optional(),
      })
      .refine((v) => v.min !== undefined || v.max !== undefined, {
        message: 'give min, max or both',
      })
      .refine((v) => v.min === undefined || v.max === undefined || v.min < v.max, {
        message: 'min must be below max',
      })
      .optional(),
    /** Any country of the itinerary. */
    routeCountries: z.array(country).min(1).max(250).optional(),
    /** Any customs office of the itinerary. */
    offices: z
      .array(
        z
          .string()
          .regex(/^[A-Z]{2}[A-Z2-9]{3}\d{3}$/, { message: 'an office code, e.g. AZBAK001' }),
      )
      .min(1)
      .max(1000)
      .optional(),
    /** A container without a seal. */
    sealsMissing: z.literal(true).optional(),
    /** The holder's inspections that found a discrepancy, at least this many. */
    pastFindingsAtLeast: z.number().int().min(1).max(1_000_000).optional(),
    /** A country earlier on the route shared a risk finding about this declaration. */
    sharedFindings: z.literal(true).optional(),
  })
  .refine((c) => Object.keys(c).length > 0, { message: 'a rule needs at least one criterion' });

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'letters, digits, - and _, up to 40' }),
  description: z.string().min(1).max(300),
  lane: controlLane,
  /** The chance that a declaration the rule matches goes to its lane. */
  probability: rate,
  /** Whether a hit of this rule is shared with the countries further along the route. */
  share: z.boolean().default(false),
  /**
   * The rule applies a control the law prescribes: no recognition of another administration's
   * inspection lowers its probability.
   */
  byLaw: z.boolean().default(false),
  when: criteriaSchema,
});

/**
 * Mutual recognition of controls: the administration accepts a clean inspection recorded by
 * an administration earlier on the route (an X-ray scan, a physical check with the seals intact
 * and nothing found) in place of part of its own selection, e.g. Kazakhstan and China recognise
 * each other's X-ray scans.
 */
export const recognitionSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'letters, digits, - and _, up to 40' }),
  description: z.string().min(1).max(300),
  /** The administrations (countries) whose inspections are recognised. */
  countries: z.array(country).min(1).max(250),
  /** Which inspections count: scan (X-ray), physical (seal and goods check). */
  inspections: z
    .array(z.enum(['scan', 'physical']))
    .min(1)
    .max(2),
  /** The probabilities of rules not set by law, and the random rate, are multiplied by this. */
  factor: rate,
  /** A recognised declaration is not topped up into a control lane. */
  exemptFromTopUp: z.boolean().default(true),
});

export const ruleSetSchema = z
  .strictObject({
    /** Minimum random selection rate, applied to declarations no rule selected. */
    randomRate: rate.default(0),
    randomLane: controlLane.default('red'),
    /** Expected share of each control lane; would-be-green declarations top them up. */
    expectedRates: z
      .strictObject({ red: rate.optional(), yellow: rate.optional(), blue: rate.optional() })
      .default({})
      .refine((r) => (r.red ?? 0) + (r.yellow ?? 0) + (r.blue ?? 0) <= 1, {
        message: 'the expected rates add up to more than 1',
      }),
    /** Authorised economic operators recognised by this administration (TFA 7.7). */
    aeo: z
      .strictObject({
        operators: z.array(z.string().min(1).max(35)).max(100_000).default([]),
        /** Rule probabilities are multiplied by this for them. */
        ruleFactor: rate.default(0.5),
        /** The random rate is multiplied by this for them. */
        randomFactor: rate.default(0.5),
        /** They are never topped up into a control lane. */
        exemptFromTopUp: z.boolean().default(true),
      })
      .default({ operators: [], ruleFactor: 0.5, randomFactor: 0.5, exemptFromTopUp: true }),
    rules: z.array(ruleSchema).max(1000).default([]),
    /** The inspections of other administrations this one recognises, the first that applies. */
    recognition: z.array(recognitionSchema).max(50).default([]),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.rules.forEach((r, i) => {
      if (seen.has(r.id))
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'id'],
          message: `rule id ${r.id} repeats`,
        });
      seen.add(r.id);
    });
  });

export type RuleSet = z.output<typeof ruleSetSchema>;
export type RuleSetInput = z.input<typeof ruleSetSchema>;
export type Rule = z.output<typeof ruleSchema>;

/** The rule set of an administration that has published none: everything green. */
export const EMPTY_RULE_SET: RuleSet = ruleSetSchema.parse({});

/** What the engine knows of one country's segment of a declaration. */
export interface RiskFacts {
  holderId: string;
  consignors: readonly string[];
  items: readonly {
    hsCode: string;
    origin: string;
    netMassKg: number;
    value: number;
    currency: string;
  }[];
  routeCountries: readonly string[];
  offices: readonly string[];
  sealsMissing: boolean;
  /** The holder's past inspections with a discrepancy. */
  pastFindings: number;
  /** Findings shared by countries earlier on the route. */
  sharedFindings: number;
  /**
   * The inspections recorded on the segments earlier on the route: clean when the seals were
   * intact and nothing differed from the declaration. Absent: none.
   */
  upstreamInspections?: readonly { country: string; kind: 'scan' | 'physical'; clean: boolean }[];
}

/** The recognition that lowered a decision's probabilities, and the inspection it recognised. */
export interface RecognitionApplied {
  recognitionId: string;
  country: string;
  kind: 'scan' | 'physical';
  factor: number;
}

/** Decisions so far under this rule set version, per lane. */
export type LaneCounts = Record<Lane, number>;

export const NO_COUNTS: LaneCounts = { green: 0, yellow: 0, blue: 0, red: 0 };

export interface RuleHit {
  ruleId: string;
  /** The rule's description, as the officer reads it. */
  description: string;
  lane: ControlLane;
  /** The probability applied (the rule's, reduced for authorised operators). */
  probability: number;
  draw: number;
  selected: boolean;
  share: boolean;
}

export interface RiskDecision {
  lane: Lane;
  /** What put it in its lane. */
  by: 'rule' | 'random' | 'top-up' | 'none';
  aeo: boolean;
  hits: RuleHit[];
  random: { rate: number; draw: number; selected: boolean };
  topUp: { lane: ControlLane | null; counts: LaneCounts };
  seed: number;
  /** Present when a recognised upstream inspection lowered the probabilities. */
  recognition?: RecognitionApplied;
}

/** The lane of a segment, with every rule hit and draw that decided it. Pure. */
export function assessRisk(
  rules: RuleSet,
  facts: RiskFacts,
  counts: LaneCounts,
  seed: number,
): RiskDecision {
  const rng = seededRng(seed);
  const aeo = setOf(rules.aeo.operators).has(facts.holderId);
  const recognition = recognitionOf(rules, facts);
  const recognised = recognition?.factor ?? 1;
  const hits: RuleHit[] = [];
  let lane: Lane = 'green';
  let by: RiskDecision['by'] = 'none';
  for (const rule of rules.rules) {
    if (!matches(rule.when, facts)) continue;
    const probability =
      rule.probability * (aeo ? rules.aeo.ruleFactor : 1) * (rule.byLaw ? 1 : recognised);
    const draw = rng.next();
    const selected = draw < probability;
    hits.push({
      ruleId: rule.id,
      description: rule.description,
      lane: rule.lane,
      probability,
      draw,
      selected,
      share: rule.share,
    });
    if (selected && SEVERITY[rule.lane] > SEVERITY[lane]) {
      lane = rule.lane;
      by = 'rule';
    }
  }
  const randomRate = rules.randomRate * (aeo ? rules.aeo.randomFactor : 1) * recognised;
  const randomDraw = rng.next();
  const random = { rate: randomRate, draw: randomDraw, selected: false };
  if (lane === 'green' && randomDraw < randomRate) {
    lane = rules.randomLane;
    by = 'random';
    random.selected = true;
  }
  let topUpLane: ControlLane | null = null;
  const exempt =
    (aeo && rules.aeo.exemptFromTopUp) ||
    (recognition !== undefined &&
      rules.recognition.find((r) => r.id === recognition.recognitionId)!.exemptFromTopUp);
  if (lane === 'green' && !exempt) {
    const total = counts.green + counts.yellow + counts.blue + counts.red + 1;
    topUpLane = TOP_UP_ORDER.find((l) => counts[l] / total < (rules.expectedRates[l] ?? 0)) ?? null;
    if (topUpLane) {
      lane = topUpLane;
      by = 'top-up';
    }
  }
  return {
    lane,
    by,
    aeo,
    hits,
    random,
    topUp: { lane: topUpLane, counts },
    seed,
    ...(recognition ? { recognition } : {}),
  };
}

/** The first recognition of the rule set that a clean upstream inspection meets, if any. */
function recognitionOf(rules: RuleSet, facts: RiskFacts): RecognitionApplied | undefined {
  for (const r of rules.recognition) {
    const met = (facts.upstreamInspections ?? []).find(
      (i) => i.clean && r.countries.includes(i.country) && r.inspections.includes(i.kind),
    );
    if (met) return { recognitionId: r.id, country: met.country, kind: met.kind, factor: r.factor };
  }
  return undefined;
}

/** Long lists of a rule set (operators, consignors) as sets, made once per list. */
const SETS = new WeakMap<readonly string[], ReadonlySet<string>>();
const LOWER_SETS = new WeakMap<readonly string[], ReadonlySet<string>>();
function setOf(list: readonly string[], lowerCase = false): ReadonlySet<string> {
  const cache = lowerCase ? LOWER_SETS : SETS;
  let set = cache.get(list);
  if (!set) cache.set(list, (set = new Set(lowerCase ? list.map((s) => s.toLowerCase()) : list)));
  return set;
}

function matches(c: Rule['when'], f: RiskFacts): boolean {
  if (c.hsPrefixes && !f.items.some((i) => c.hsPrefixes!.some((p) => i.hsCode.startsWith(p))))
    return false;
  if (c.origins && !f.items.some((i) => c.origins!.includes(i.origin))) return false;
  if (c.holders && !c.holders.includes(f.holderId)) return false;
  if (c.consignors) {
    const names = setOf(c.consignors, true);
    if (!f.consignors.some((n) => names.has(n.toLowerCase()))) return false;
  }
  if (c.valuePerKg) {
    const v = c.valuePerKg;
    const outside = f.items.some(
      (i) =>
        i.currency === v.currency &&
        (v.hsPrefix === undefined || i.hsCode.startsWith(v.hsPrefix)) &&
        i.netMassKg > 0 &&
        ((v.min !== undefined && i.value / i.netMassKg < v.min) ||
          (v.max !== undefined && i.value / i.netMassKg > v.max)),
    );
    if (!outside) return false;
  }
  if (c.routeCountries && !f.routeCountries.some((x) => c.routeCountries!.includes(x)))
    return false;
  if (c.offices && !f.offices.some((x) => c.offices!.includes(x))) return false;
  if (c.sealsMissing && !f.sealsMissing) return false;
  if (c.pastFindingsAtLeast !== undefined && f.pastFindings < c.pastFindingsAtLeast) return false;
  if (c.sharedFindings && f.sharedFindings === 0) return false;
  return true;
}

/** Counts after one more decision in `lane`. Pure. */
export function countDecision(counts: LaneCounts, lane: Lane): LaneCounts {
  return { ...counts, [lane]: counts[lane] + 1 };
}

export interface BacktestResult {
  declarations: number;
  lanes: LaneCounts;
  rules: { ruleId: string; lane: ControlLane; hits: number; selected: number; hitRate: number }[];
  random: number;
  topUp: number;
}

/**
 * A rule set run over past declarations in order, counts carried from one to the next as in
 * service: the lane mix, and per rule how often it matched and selected. Pure.
 */
export function backtest(
  rules: RuleSet,
  past: readonly { facts: RiskFacts; seed: number }[],
): BacktestResult {
  let counts = NO_COUNTS;
  const perRule = new Map(rules.rules.map((r) => [r.id, { hits: 0, selected: 0 }]));
  let random = 0;
  let topUp = 0;
  for (const { facts, seed } of past) {
    const d = assessRisk(rules, facts, counts, seed);
    counts = countDecision(counts, d.lane);
    for (const h of d.hits) {
      const r = perRule.get(h.ruleId)!;
      r.hits++;
      if (h.selected) r.selected++;
    }
    if (d.by === 'random') random++;
    if (d.by === 'top-up') topUp++;
  }
  return {
    declarations: past.length,
    lanes: counts,
    rules: rules.rules.map((r) => {
      const n = perRule.get(r.id)!;
      return {
        ruleId: r.id,
        lane: r.lane,
        hits: n.hits,
        selected: n.selected,
        hitRate: past.length === 0 ? 0 : n.hits / past.length,
      };
    }),
    random,
    topUp,
  };
}
