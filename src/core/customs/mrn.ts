import { iso6346CheckDigit } from '../tracking/iso6346.ts';

/**
 * Movement reference numbers, in the NCTS layout (standards.md §1.4): 18 characters — the year
 * (2 digits), the country of the office of departure (2 letters), 12 digits or capital letters
 * unique to the declaration, the procedure character (J: a transit declaration) and a check
 * character computed over the 17 before it as ISO 6346 computes a container's check digit.
 */

const MRN = /^\d{2}[A-Z]{2}[0-9A-Z]{12}[A-Z][0-9]$/;

/** The MRN for a declaration accepted in `year` by an office of `country`. Pure. */
export function makeMrn(year: number, country: string, unique12: string): string {
  if (!/^[A-Z]{2}$/.test(country) || !/^[0-9A-Z]{12}$/.test(unique12))
    throw new Error(`MRN parts out of shape: ${country} ${unique12}`);
  const first17 = `${String(year % 100).padStart(2, '0')}${country}${unique12}J`;
  return `${first17}${iso6346CheckDigit(first17)}`;
}

/** Why a string is not a valid MRN, or undefined when it is. Pure. */
export function mrnProblem(mrn: string): string | undefined {
  if (!MRN.test(mrn))
    return 'an MRN is 18 characters: year, country, 12 digits or capital letters, the procedure letter and a check digit';
  const expected = iso6346CheckDigit(mrn.slice(0, 17));
  if (Number(mrn[17]) !== expected) return `check character ${mrn[17]} does not match ${expected}`;
  return undefined;
}
