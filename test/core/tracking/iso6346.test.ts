import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDigit, containerNumberProblem } from '../../../src/core/tracking/iso6346.ts';

describe('ISO 6346 container numbers', () => {
  it('accepts the published examples with their check digits', () => {
    // standards.md §2.3: CSQU305438 → 3; APZU481209 → 0 (the DCSA example APZU4812090).
    expect(checkDigit('CSQU305438')).toBe(3);
    expect(checkDigit('APZU481209')).toBe(0);
    expect(containerNumberProblem('CSQU3054383')).toBeUndefined();
    expect(containerNumberProblem('APZU4812090')).toBeUndefined();
  });

  it('refuses a wrong check digit, saying which digit is right', () => {
    expect(containerNumberProblem('CSQU3054384')).toBe(
      'CSQU3054384 has check digit 4; ISO 6346 gives 3',
    );
  });

  it('refuses numbers that are not in the ISO 6346 shape', () => {
    for (const bad of [
      '',
      'CSQU305438',
      'CSQU30543833',
      'csqu3054383',
      'CSQX3054383',
      'CS1U3054383',
      'CSQU30A4383',
    ])
      expect(containerNumberProblem(bad), bad).toMatch(/is not an ISO 6346 container number/);
  });

  it('catches every single-character change of a valid number', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]{3}U\d{6}$/),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (first10, pos, delta) => {
          const valid = `${first10}${checkDigit(first10)}`;
          expect(containerNumberProblem(valid)).toBeUndefined();
          // Change one digit of the serial (positions 4-9): the weights 2^i are never 0 mod 11,
          // so the change is always caught, except where mod 11 gives 10, which ISO 6346 writes
          // as 0: a number with check digit 0 may hide one change.
          const i = 4 + (pos % 6);
          const changed = `${valid.slice(0, i)}${(Number(valid[i]) + delta) % 10}${valid.slice(i + 1)}`;
          if (valid[10] !== '0') expect(containerNumberProblem(changed)).toBeDefined();
        },
      ),
    );
  });
});
