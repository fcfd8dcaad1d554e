import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/** A prefixed random id, readable in logs: newId('out') → out_7k2m9x4q1c8v3b5n. */
export function newId(prefix: string, bytes = 10): string {
  const b = randomBytes(bytes);
  let s = '';
  for (const x of b) s += ALPHABET[x & 31];
  return `${prefix}_${s}`;
}

/** A secret token: 32 random bytes, base64url, with a readable prefix (e.g. "cts_" session, "ctk_" API key). */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}
