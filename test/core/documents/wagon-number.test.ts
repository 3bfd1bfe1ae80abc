import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wagonCheckDigit, wagonNumberProblem } from '../../../src/core/documents/wagon-number.ts';

describe('wagon numbers', () => {
  it('accepts a UIC number with its self-check digit (21 81 2471 217-3)', () => {
    expect(wagonCheckDigit('21812471217')).toBe(3);
    expect(wagonNumberProblem('218124712173')).toBeNull();
  });

  it('names a wrong check digit and the one expected', () => {
    expect(wagonNumberProblem('218124712174')).toBe('check digit 4 is wrong: 3 expected');
  });

  it('refuses other lengths and letters', () => {
    for (const n of ['1234567', '123456789', 'ABCDEFGH', '2181 2471 2173', ''])
      expect(wagonNumberProblem(n)).toBe('a wagon number of 8 digits (1520 mm) or 12 digits (UIC)');
  });

  it('catches any one mistyped digit of an 8- or 12-digit number', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(7, 11),
        fc.integer({ min: 0, max: 99_999_999_999 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (len, n, at, delta) => {
          const body = String(n % 10 ** len).padStart(len, '0');
          const number = body + wagonCheckDigit(body);
          expect(wagonNumberProblem(number)).toBeNull();
          const i = at % number.length;
          const wrong =
            number.slice(0, i) + ((Number(number[i]) + delta) % 10) + number.slice(i + 1);
          expect(wagonNumberProblem(wrong)).not.toBeNull();
        },
      ),
    );
  });
});
