/**
 * Domestic waybill numbers issued by this platform: all digits, so that the Code 128 barcode uses
 * the compact subset C and couriers can key them in on a numeric pad.
 *
 *   <prefix: 1–6 digits><serial: `serialWidth` digits, zero-padded><Luhn check digit>
 *   e.g. prefix 9527, width 9: 9527 000000001 ? → 95270000000013
 *
 * The Luhn (mod 10) digit catches every single-digit substitution and every adjacent transposition
 * except 09 ↔ 90. It proves nothing about issuance: the issued-range ledger does.
 * These numbers are NOT UPU S10 identifiers (those carry letters) and must not be validated as such.
 */

export interface DomesticScheme {
  /** Fixed leading digits that identify the issuer/branch, e.g. '9527'. */
  prefix: string;
  /** Number of serial digits after the prefix. */
  serialWidth: number;
}

export const DEFAULT_DOMESTIC_SCHEME: DomesticScheme = { prefix: '9527', serialWidth: 9 };

/** Luhn check digit for a string of digits (the digit to append). */
export function luhnCheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new RangeError(`Luhn input must be digits: ${JSON.stringify(digits)}`);
  let sum = 0;
  // Walk from the right; the digit next to the (future) check digit is doubled.
  for (let i = digits.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isLuhnValid(digitsWithCheck: string): boolean {
  if (!/^\d{2,}$/.test(digitsWithCheck)) return false;
  return luhnCheckDigit(digitsWithCheck.slice(0, -1)) === Number(digitsWithCheck.at(-1));
}

export function assertScheme(s: DomesticScheme): void {
  if (!/^\d{1,6}$/.test(s.prefix)) throw new RangeError(`waybill prefix must be 1–6 digits: ${JSON.stringify(s.prefix)}`);
  if (!Number.isInteger(s.serialWidth) || s.serialWidth < 4 || s.serialWidth > 12) {
    throw new RangeError(`serialWidth must be an integer 4–12: ${s.serialWidth}`);
  }
}

export function domesticLength(s: DomesticScheme): number {
  return s.prefix.length + s.serialWidth + 1;
}

export function makeDomesticWaybill(s: DomesticScheme, serial: number): string {
  assertScheme(s);
  if (!Number.isSafeInteger(serial) || serial < 0 || serial >= 10 ** s.serialWidth) {
    throw new RangeError(`serial ${serial} out of range for width ${s.serialWidth}`);
  }
  const body = s.prefix + String(serial).padStart(s.serialWidth, '0');
  return body + String(luhnCheckDigit(body));
}

/** Whether `no` is a well-formed number of this scheme (length, prefix, check digit). */
export function validateDomesticWaybill(no: string, s: DomesticScheme = DEFAULT_DOMESTIC_SCHEME): boolean {
  return no.length === domesticLength(s) && no.startsWith(s.prefix) && /^\d+$/.test(no) && isLuhnValid(no);
}

export function domesticSerial(no: string, s: DomesticScheme = DEFAULT_DOMESTIC_SCHEME): number {
  if (!validateDomesticWaybill(no, s)) throw new RangeError(`not a valid waybill number of prefix ${s.prefix}: ${JSON.stringify(no)}`);
  return Number(no.slice(s.prefix.length, -1));
}

/** Print form in groups of 4 from the left: `9527 0000 0000 13`. */
export function formatDomesticWaybill(no: string): string {
  return no.replace(/(\d{4})(?=\d)/g, '$1 ');
}
