import { checkDigit } from '../../src/core/tracking/iso6346.ts';

/** A valid ISO 6346 number: owner code and category (e.g. `CSQU`), serial, and its check digit. */
export function containerNumber(ownerAndCategory: string, serial: number): string {
  const first10 = `${ownerAndCategory}${String(serial).padStart(6, '0')}`;
  return `${first10}${checkDigit(first10)}`;
}
