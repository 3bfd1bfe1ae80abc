/**
 * ISO 6346 container numbers: 3-letter owner code, category letter (U freight container, J
 * detachable equipment, Z trailer or chassis), 6-digit serial number and a check digit.
 */

/** Letter values of ISO 6346: A=10 upwards, skipping multiples of 11 (11, 22, 33). */
const LETTER_VALUES: Readonly<Record<string, number>> = (() => {
  const values: Record<string, number> = {};
  let v = 10;
  for (const letter of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
    if (v % 11 === 0) v++;
    values[letter] = v++;
  }
  return values;
})();

/**
 * The ISO 6346 check digit of any string of digits and capital letters: each character's value
 * times 2 to the power of its position, summed, modulo 11 (10 counts as 0). Also the check
 * character of customs MRNs. Pure.
 */
export function iso6346CheckDigit(chars: string): number {
  let sum = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    sum += (c >= '0' && c <= '9' ? Number(c) : LETTER_VALUES[c]!) * 2 ** i;
  }
  return (sum % 11) % 10;
}

/**
 * The check digit of the first ten characters of a container number (owner code, category,
 * serial), or undefined when they are not in the ISO 6346 shape. Pure.
 */
export function checkDigit(first10: string): number | undefined {
  if (!/^[A-Z]{3}[UJZ]\d{6}$/.test(first10)) return undefined;
  return iso6346CheckDigit(first10);
}

/** Why a container number is not valid, or undefined when it is. Pure. */
export function containerNumberProblem(number: string): string | undefined {
  if (!/^[A-Z]{3}[UJZ]\d{7}$/.test(number))
    return `${number} is not an ISO 6346 container number (3-letter owner code, U/J/Z, 6 digits and a check digit, e.g. CSQU3054383)`;
  const expected = checkDigit(number.slice(0, 10))!;
  if (Number(number[10]) !== expected)
    return `${number} has check digit ${number[10]}; ISO 6346 gives ${expected}`;
  return undefined;
}
