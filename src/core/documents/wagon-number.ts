/**
 * Wagon numbers on a rail note: 12 digits on the 1435 mm (UIC) network, 8 on the 1520 mm
 * network; both end in a self-check digit computed by the Luhn scheme (digits weighted 2, 1,
 * 2, ... from the right of the number without its check digit, digit sums added).
 */

/** The check digit of a wagon number's digits (without the check digit). Pure. */
export function wagonCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = digits.length - 1, weight = 2; i >= 0; i--, weight = 3 - weight) {
    const d = Number(digits[i]) * weight;
    sum += d > 9 ? d - 9 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Why a wagon number is not valid, or null. Pure. */
export function wagonNumberProblem(number: string): string | null {
  if (!/^(\d{8}|\d{12})$/.test(number))
    return 'a wagon number of 8 digits (1520 mm) or 12 digits (UIC)';
  const expected = wagonCheckDigit(number.slice(0, -1));
  return Number(number.at(-1)) === expected
    ? null
    : `check digit ${number.at(-1)} is wrong: ${expected} expected`;
}
