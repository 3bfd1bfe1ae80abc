import { describe, expect, it } from 'vitest';
import {
  assessRisk,
  backtest,
  countDecision,
  NO_COUNTS,
  ruleSetSchema,
  type LaneCounts,
  type RiskFacts,
  type RuleSetInput,
} from '../../../src/core/customs/risk.ts';

const facts = (over: Partial<RiskFacts> = {}): RiskFacts => ({
  holderId: 'KZ123456789012',
  consignors: ['Xian Electronics Co'],
  items: [{ hsCode: '851712', origin: 'CN', netMassKg: 1000, value: 50_000, currency: 'USD' }],
  routeCountries: ['CN', 'KZ', 'AZ', 'GE'],
  offices: ['CNHRS001', 'KZAAU001', 'AZBAK001'],
  sealsMissing: false,
  pastFindings: 0,
  sharedFindings: 0,
  ...over,
});

const rules = (input: RuleSetInput) => ruleSetSchema.parse(input);

/** Runs n declarations through the rule set, counts carried as in service. */
function run(input: RuleSetInput, n: number, f: (i: number) => RiskFacts = () => facts()) {
  const set = rules(input);
  let counts: LaneCounts = NO_COUNTS;
  const by = { rule: 0, random: 0, 'top-up': 0, none: 0 };
  for (let i = 0; i < n; i++) {
    const d = assessRisk(set, f(i), counts, i * 2654435761);
    counts = countDecision(counts, d.lane);
    by[d.by]++;
  }
  return { counts, by, share: (lane: keyof LaneCounts) => counts[lane] / n };
}

describe('risk engine', () => {
  const phones = {
    id: 'phones-undervalued',
    description: 'Mobile phones declared below 20 USD per kg',
    lane: 'red' as const,
    probability: 1,
    when: { hsPrefixes: ['8517'], valuePerKg: { currency: 'USD', max: 2000, min: 20 } },
  };

  it('sends a declaration a rule matches to its lane, listing the hit and its draw', () => {
    const d = assessRisk(
      rules({ rules: [phones] }),
      facts({
        items: [{ hsCode: '851712', origin: 'CN', netMassKg: 1000, value: 5000, currency: 'USD' }],
      }),
      NO_COUNTS,
      7,
    );
    expect(d.lane).toBe('red');
    expect(d.by).toBe('rule');
    expect(d.hits).toEqual([
      expect.objectContaining({
        ruleId: 'phones-undervalued',
        lane: 'red',
        probability: 1,
        selected: true,
      }),
    ]);
  });

  it('misses when any criterion does not hold: other goods, a value in range, another currency', () => {
    for (const item of [
      { hsCode: '940360', origin: 'CN', netMassKg: 1000, value: 5000, currency: 'USD' },
      { hsCode: '851712', origin: 'CN', netMassKg: 1000, value: 50_000, currency: 'USD' },
      { hsCode: '851712', origin: 'CN', netMassKg: 1000, value: 5000, currency: 'EUR' },
    ]) {
      const d = assessRisk(rules({ rules: [phones] }), facts({ items: [item] }), NO_COUNTS, 7);
      expect(d.lane, JSON.stringify(item)).toBe('green');
      expect(d.hits).toEqual([]);
    }
  });

  it('reads every kind of criterion', () => {
    const one = (when: object, f: Partial<RiskFacts>) =>
      assessRisk(
        rules({ rules: [{ id: 'r', description: 'r', lane: 'yellow', probability: 1, when }] }),
        facts(f),
        NO_COUNTS,
        1,
      ).lane;
    expect(one({ origins: ['CN'] }, {})).toBe('yellow');
    expect(one({ origins: ['VN'] }, {})).toBe('green');
    expect(one({ holders: ['KZ123456789012'] }, {})).toBe('yellow');
    expect(one({ consignors: ['XIAN ELECTRONICS CO'] }, {})).toBe('yellow');
    expect(one({ consignors: ['Someone else'] }, {})).toBe('green');
    expect(one({ routeCountries: ['TR'] }, {})).toBe('green');
    expect(one({ offices: ['AZBAK001'] }, {})).toBe('yellow');
    expect(one({ sealsMissing: true }, {})).toBe('green');
    expect(one({ sealsMissing: true }, { sealsMissing: true })).toBe('yellow');
    expect(one({ pastFindingsAtLeast: 2 }, { pastFindings: 1 })).toBe('green');
    expect(one({ pastFindingsAtLeast: 2 }, { pastFindings: 2 })).toBe('yellow');
    expect(one({ sharedFindings: true }, {})).toBe('green');
    expect(one({ sharedFindings: true }, { sharedFindings: 1 })).toBe('yellow');
  });

  it('takes the strictest lane when several rules select', () => {
    const d = assessRisk(
      rules({
        rules: [
          { id: 'a', description: 'a', lane: 'blue', probability: 1, when: { origins: ['CN'] } },
          { id: 'b', description: 'b', lane: 'red', probability: 1, when: { hsPrefixes: ['85'] } },
          { id: 'c', description: 'c', lane: 'yellow', probability: 1, when: { origins: ['CN'] } },
        ],
      }),
      facts(),
      NO_COUNTS,
      3,
    );
    expect(d.lane).toBe('red');
    expect(d.hits.map((h) => h.ruleId)).toEqual(['a', 'b', 'c']);
  });

  it('selects at the random rate, converging to it over many declarations', () => {
    const r = run({ randomRate: 0.05, randomLane: 'red' }, 20_000);
    expect(r.share('red')).toBeGreaterThan(0.045);
    expect(r.share('red')).toBeLessThan(0.055);
    expect(r.by.random).toBe(r.counts.red);
  });

  it('a rule with probability p selects about p of what it matches', () => {
    const r = run(
      {
        rules: [
          {
            id: 'p',
            description: 'p',
            lane: 'yellow',
            probability: 0.3,
            when: { origins: ['CN'] },
          },
        ],
      },
      20_000,
    );
    expect(r.share('yellow')).toBeGreaterThan(0.28);
    expect(r.share('yellow')).toBeLessThan(0.32);
  });

  it('tops lanes up from would-be greens to their expected rates, red first', () => {
    const r = run(
      { randomRate: 0.01, expectedRates: { red: 0.05, yellow: 0.1, blue: 0.02 } },
      10_000,
    );
    expect(r.share('red')).toBeCloseTo(0.05, 2);
    expect(r.share('yellow')).toBeCloseTo(0.1, 2);
    expect(r.share('blue')).toBeCloseTo(0.02, 2);
    expect(r.by['top-up']).toBeGreaterThan(0);
  });

  it('does not top up a lane its rules already fill beyond the expected rate', () => {
    const r = run(
      {
        expectedRates: { red: 0.05 },
        rules: [
          {
            id: 'all',
            description: 'all',
            lane: 'red',
            probability: 0.2,
            when: { origins: ['CN'] },
          },
        ],
      },
      10_000,
    );
    // Only the very first, before any rate exists.
    expect(r.by['top-up']).toBeLessThanOrEqual(1);
    expect(r.share('red')).toBeGreaterThan(0.18);
  });

  it('gives authorised economic operators lower rates and no top-up', () => {
    const set = {
      randomRate: 0.1,
      expectedRates: { yellow: 0.2 },
      aeo: { operators: ['AEO-1'], ruleFactor: 0.5, randomFactor: 0.2 },
      rules: [
        {
          id: 'cn',
          description: 'cn',
          lane: 'red' as const,
          probability: 0.4,
          when: { origins: ['CN'] },
        },
      ],
    };
    const aeo = run(set, 20_000, () => facts({ holderId: 'AEO-1' }));
    const others = run(set, 20_000);
    // Rule: 0.4 × 0.5 = 0.2; random 0.1 × 0.2 = 0.02 of the rest.
    expect(aeo.share('red')).toBeGreaterThan(0.19);
    expect(aeo.share('red')).toBeLessThan(0.23);
    expect(aeo.by['top-up']).toBe(0);
    expect(others.share('red')).toBeGreaterThan(0.45);
    expect(others.share('yellow')).toBeCloseTo(0.2, 2);
    const d = assessRisk(rules(set), facts({ holderId: 'AEO-1' }), NO_COUNTS, 1);
    expect(d.aeo).toBe(true);
    expect(d.hits[0]!.probability).toBe(0.2);
  });

  it('replays a decision identically from its inputs', () => {
    const set = rules({ randomRate: 0.3, rules: [{ ...phones, probability: 0.5 }] });
    const counts = { green: 40, yellow: 3, blue: 1, red: 2 };
    const first = assessRisk(set, facts(), counts, 123456);
    const again = assessRisk(
      rules(JSON.parse(JSON.stringify(set)) as RuleSetInput),
      JSON.parse(JSON.stringify(facts())) as RiskFacts,
      JSON.parse(JSON.stringify(counts)) as LaneCounts,
      123456,
    );
    expect(again).toEqual(first);
  });

  it('back-tests a rule set: lane mix and hit rate per rule', () => {
    const past = Array.from({ length: 1000 }, (_, i) => ({
      facts: facts({
        items: [
          {
            hsCode: i % 4 === 0 ? '851712' : '940360',
            origin: 'CN',
            netMassKg: 100,
            value: 1000,
            currency: 'USD',
          },
        ],
      }),
      seed: i,
    }));
    const result = backtest(rules({ rules: [phones] }), past);
    expect(result.declarations).toBe(1000);
    expect(result.rules).toEqual([
      { ruleId: 'phones-undervalued', lane: 'red', hits: 250, selected: 250, hitRate: 0.25 },
    ]);
    expect(result.lanes).toEqual({ green: 750, yellow: 0, blue: 0, red: 250 });
  });

  it('refuses a rule set that does not hold, naming the field', () => {
    const problems = (input: unknown) =>
      ruleSetSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems({ rules: [{ ...phones, probability: 1.5 }] })).toEqual([
      'rules.0.probability: Too big: expected number to be <=1',
    ]);
    expect(problems({ rules: [{ ...phones, when: {} }] })).toEqual([
      'rules.0.when: a rule needs at least one criterion',
    ]);
    expect(problems({ rules: [phones, phones] })).toEqual([
      'rules.1.id: rule id phones-undervalued repeats',
    ]);
    expect(problems({ expectedRates: { red: 0.6, yellow: 0.6 } })).toEqual([
      'expectedRates: the expected rates add up to more than 1',
    ]);
    expect(problems({ rules: [{ ...phones, when: { origins: ['XX'] } }] })).toEqual([
      'rules.0.when.origins.0: not an ISO 3166-1 alpha-2 country code',
    ]);
    expect(problems({ randomLane: 'green' })?.[0]).toMatch(/^randomLane: /);
    expect(problems({ surprise: 1 })?.[0]).toMatch(/surprise/);
  });
});

describe('mutual recognition of inspections', () => {
  const scanned = (clean: boolean, country = 'CN') =>
    facts({ upstreamInspections: [{ country, kind: 'scan', clean }] });
  const kazakhstan: RuleSetInput = {
    randomRate: 0.2,
    expectedRates: { red: 0.1 },
    rules: [
      {
        id: 'electronics',
        description: 'Electronics from China: X-ray',
        lane: 'red',
        probability: 1,
        when: { hsPrefixes: ['8517'] },
      },
    ],
    recognition: [
      {
        id: 'cn-xray',
        description: "China's X-ray scans (KZ–CN agreement)",
        countries: ['CN'],
        inspections: ['scan'],
        factor: 0,
      },
    ],
  };

  it("lowers a downstream rule and the random rate after China's clean X-ray scan, saying which", () => {
    const d = assessRisk(rules(kazakhstan), scanned(true), NO_COUNTS, 7);
    expect(d.lane).toBe('green');
    expect(d.hits).toMatchObject([{ ruleId: 'electronics', probability: 0, selected: false }]);
    expect(d.random.rate).toBe(0);
    expect(d.topUp.lane).toBeNull();
    expect(d.recognition).toEqual({
      recognitionId: 'cn-xray',
      country: 'CN',
      kind: 'scan',
      factor: 0,
    });
    // Without the scan the same declaration goes red.
    const without = assessRisk(rules(kazakhstan), facts(), NO_COUNTS, 7);
    expect(without.lane).toBe('red');
    expect(without.recognition).toBeUndefined();
  });

  it('recognises neither a scan that found something, another country, nor another kind of control', () => {
    for (const f of [
      scanned(false),
      scanned(true, 'AZ'),
      facts({ upstreamInspections: [{ country: 'CN', kind: 'physical', clean: true }] }),
    ])
      expect(assessRisk(rules(kazakhstan), f, NO_COUNTS, 7)).toMatchObject({ lane: 'red' });
  });

  it('never lowers a lane a rule sets by law', () => {
    const byLaw = {
      ...kazakhstan,
      rules: [
        { ...kazakhstan.rules![0]!, byLaw: true, description: 'Dual-use goods: inspection by law' },
      ],
    };
    const d = assessRisk(rules(byLaw), scanned(true), NO_COUNTS, 7);
    expect(d.lane).toBe('red');
    expect(d.hits[0]).toMatchObject({ probability: 1, selected: true });
  });

  it('replays identically and back-tests with the recognition counted', () => {
    const set = rules(kazakhstan);
    expect(assessRisk(set, scanned(true), NO_COUNTS, 99)).toEqual(
      assessRisk(set, scanned(true), NO_COUNTS, 99),
    );
    const past = Array.from({ length: 40 }, (_, i) => ({
      facts: i % 2 === 0 ? scanned(true) : facts(),
      seed: i * 7919,
    }));
    const result = backtest(set, past);
    expect(result.rules[0]).toMatchObject({ hits: 40, selected: 20 });
    expect(result.lanes.red).toBe(20);
  });
});
