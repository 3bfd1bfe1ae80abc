import {
  EMPTY_RULE_SET,
  ruleSetSchema,
  type RuleSet,
  type RuleSetInput,
} from '../../core/customs/risk.ts';

/**
 * The selectivity rules each demo customs administration publishes at the start of the demo's
 * history: criteria of the kinds WTO TFA Art. 7.4 names (HS code, origin, value) with a chance of
 * selection, a minimum random rate, and expected lane rates that top up from would-be-green
 * declarations, in the manner of ASYCUDA (standards.md §1.2). The lanes of the demo's
 * declarations come from the platform's own risk engine applied to these, as they would for any
 * declaration lodged later; an officer sees on each card which rule sent it there.
 */
const DEMO_RULE_SETS: Readonly<Record<string, RuleSetInput>> = {
  CN: {
    randomRate: 0.02,
    randomLane: 'red',
    expectedRates: { red: 0.05, yellow: 0.1 },
    rules: [
      {
        id: 'dual-use-converters',
        description: 'Static converters (HS 8504.40) may be dual-use: check the export licence',
        lane: 'yellow',
        probability: 0.5,
        when: { hsPrefixes: ['850440'] },
      },
    ],
  },
  KZ: {
    randomRate: 0.02,
    randomLane: 'red',
    expectedRates: { red: 0.05, yellow: 0.1 },
    rules: [
      {
        id: 'nuts-phytosanitary',
        description: 'Edible nuts (HS 0802) in transit: check the phytosanitary certificate',
        lane: 'yellow',
        probability: 0.3,
        when: { hsPrefixes: ['0802'] },
      },
      {
        id: 'earth-moving-valuation',
        description: 'Earth-moving machinery (HS 8429) below 10 USD per kg: inspect the goods',
        lane: 'red',
        probability: 0.3,
        when: { valuePerKg: { currency: 'USD', hsPrefix: '8429', min: 10 } },
      },
    ],
  },
  AZ: {
    randomRate: 0.02,
    randomLane: 'red',
    expectedRates: { red: 0.1, yellow: 0.1 },
    rules: [
      {
        id: 'machinery-from-cn',
        description: 'Machinery (HS 84) of Chinese origin: check the invoice against the goods',
        lane: 'yellow',
        probability: 0.3,
        when: { hsPrefixes: ['84'], origins: ['CN'] },
      },
    ],
  },
  GE: {
    randomRate: 0.02,
    randomLane: 'red',
    expectedRates: { red: 0.05, yellow: 0.1 },
    rules: [
      {
        id: 'electrical-valuation',
        description: 'Electrical equipment (HS 85) below 20 USD per kg: inspect the goods',
        lane: 'red',
        probability: 0.5,
        when: { valuePerKg: { currency: 'USD', hsPrefix: '85', min: 20 } },
      },
    ],
  },
  TR: {
    randomRate: 0.02,
    randomLane: 'red',
    expectedRates: { red: 0.05, yellow: 0.1 },
    rules: [
      {
        id: 'textiles-origin',
        description: 'Textiles (HS 61–63) of Chinese origin: check the certificate of origin',
        lane: 'yellow',
        probability: 0.3,
        when: { hsPrefixes: ['61', '62', '63'], origins: ['CN'] },
      },
    ],
  },
};

/** The demo rule set of a country, or none (everything green) for a country without one. */
export function demoRuleSet(country: string): RuleSet {
  const input = DEMO_RULE_SETS[country];
  return input ? ruleSetSchema.parse(input) : EMPTY_RULE_SET;
}
