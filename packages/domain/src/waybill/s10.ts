/**
 * UPU S10 13-character postal item identifiers: `AA 12345678 C BB`
 * (service indicator, 8-digit serial, check digit, ISO 3166-1 alpha-2 country code).
 *
 * The check digit catches most typing errors but NOT all of them: the mapping from S mod 11 to the
 * digit is not one-to-one (remainders 0 and 6 both give 5), so about 2 % of single-digit
 * substitutions go undetected. A valid check digit does not prove that an identifier was issued:
 * look it up in the issued-range ledger as well.
 *
 * Service indicators and allowed country codes come from configuration, not from this module.
 */

export const S10_PATTERN = /^[A-Z]{2}\d{8}\d[A-Z]{2}$/;
export const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/** S = Σ dᵢ·wᵢ over the 8 serial digits. */
export function s10WeightedSum(serial: string): number {
  if (!/^\d{8}$/.test(serial)) throw new RangeError(`S10 serial must be 8 digits: ${JSON.stringify(serial)}`);
  let s = 0;
  for (let i = 0; i < 8; i++) s += (serial.charCodeAt(i) - 48) * (S10_WEIGHTS[i] ?? 0);
  return s;
}

/** C = 11 − (S mod 11); 10 → 0, 11 → 5. */
export function s10CheckDigit(serial: string): number {
  const c = 11 - (s10WeightedSum(serial) % 11);
  if (c === 10) return 0;
  if (c === 11) return 5;
  return c;
}

export interface S10Parts {
  serviceIndicator: string;
  serial: string;
  checkDigit: number;
  countryCode: string;
}

export interface S10Options {
  /** Allowed service indicators (e.g. ['EE', 'CA']); no restriction when absent. */
  serviceIndicators?: readonly string[];
  /** Allowed country codes (e.g. ['CN']); no restriction when absent. */
  countryCodes?: readonly string[];
}

export type S10Problem = 'format' | 'check_digit' | 'service_indicator' | 'country_code';

/** Returns the reason an identifier is not a valid S10 identifier, or null when it is valid. */
export function s10Problem(id: string, opts: S10Options = {}): S10Problem | null {
  if (!S10_PATTERN.test(id)) return 'format';
  const p = parseS10Unchecked(id);
  if (s10CheckDigit(p.serial) !== p.checkDigit) return 'check_digit';
  if (opts.serviceIndicators && !opts.serviceIndicators.includes(p.serviceIndicator)) return 'service_indicator';
  if (opts.countryCodes && !opts.countryCodes.includes(p.countryCode)) return 'country_code';
  return null;
}

export function validateS10(id: string, opts: S10Options = {}): boolean {
  return s10Problem(id, opts) === null;
}

function parseS10Unchecked(id: string): S10Parts {
  return { serviceIndicator: id.slice(0, 2), serial: id.slice(2, 10), checkDigit: Number(id[10]), countryCode: id.slice(11, 13) };
}

/** Splits a valid identifier into its parts; accepts the spaced print form `EE 473124829 CN`. */
export function parseS10(input: string, opts: S10Options = {}): S10Parts {
  const id = normalizeS10(input);
  const problem = s10Problem(id, opts);
  if (problem) throw new RangeError(`not a valid S10 identifier (${problem}): ${JSON.stringify(input)}`);
  return parseS10Unchecked(id);
}

/** Upper-cases and removes spaces: `ee 473 124 829 cn` → `EE473124829CN`. */
export function normalizeS10(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** Builds an identifier from its parts, computing the check digit. */
export function makeS10(serviceIndicator: string, serial: number | string, countryCode: string): string {
  if (!/^[A-Z]{2}$/.test(serviceIndicator)) throw new RangeError(`service indicator must be 2 capital letters: ${serviceIndicator}`);
  if (!/^[A-Z]{2}$/.test(countryCode)) throw new RangeError(`country code must be 2 capital letters: ${countryCode}`);
  const s = typeof serial === 'number' ? serialToString(serial, 8) : serial;
  return `${serviceIndicator}${s}${s10CheckDigit(s)}${countryCode}`;
}

/** The print form with spaces: `EE 473 124 829 CN`. */
export function formatS10(id: string): string {
  const n = normalizeS10(id);
  if (!S10_PATTERN.test(n)) throw new RangeError(`not an S10 identifier: ${JSON.stringify(id)}`);
  return `${n.slice(0, 2)} ${n.slice(2, 5)} ${n.slice(5, 8)} ${n.slice(8, 11)} ${n.slice(11)}`;
}

export function serialToString(serial: number, width: number): string {
  if (!Number.isSafeInteger(serial) || serial < 0) throw new RangeError(`serial must be a non-negative integer: ${serial}`);
  const s = String(serial);
  if (s.length > width) throw new RangeError(`serial ${serial} does not fit in ${width} digits`);
  return s.padStart(width, '0');
}
