/**
 * Standard Webhooks v1 (symmetric): the signed content is `{msgId}.{timestamp}.{body}`, the signature
 * `v1,` + base64(HMAC-SHA256(secret bytes, content)), the secret shown as `whsec_` + base64.
 * Pure: the HMAC function is passed in (node:crypto on the server, WebCrypto elsewhere).
 */
export type Hmac256 = (key: Uint8Array, content: string) => Uint8Array;

export const SECRET_PREFIX = 'whsec_';
export const MIN_SECRET_BYTES = 16;
export const MAX_SECRET_BYTES = 128;

function fromBase64(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s) || s.length % 4 === 1) return null;
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}
function toBase64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

/** The key bytes of a `whsec_<base64>` secret, or an error message. */
export function parseSecret(secret: string): { key: Uint8Array } | { error: string } {
  if (!secret.startsWith(SECRET_PREFIX)) return { error: `the secret must look like ${SECRET_PREFIX}<base64>` };
  const key = fromBase64(secret.slice(SECRET_PREFIX.length));
  if (!key) return { error: 'the part after whsec_ is not base64' };
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) return { error: `the secret must be ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} random bytes (24–64 recommended)` };
  return { key };
}

export function signedContent(msgId: string, timestampS: number, body: string): string {
  return `${msgId}.${timestampS}.${body}`;
}

/** The `webhook-signature` header value for one secret. */
export function sign(hmac: Hmac256, key: Uint8Array, msgId: string, timestampS: number, body: string): string {
  return `v1,${toBase64(hmac(key, signedContent(msgId, timestampS, body)))}`;
}

function equalConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

/**
 * Verifies as a receiver should: one of the space-separated `v1,` signatures matches (rotation),
 * and the timestamp is within `toleranceS` of now (replay protection).
 */
export function verify(hmac: Hmac256, key: Uint8Array, headers: { id: string; timestamp: string; signature: string }, body: string, nowS: number, toleranceS = 300): boolean {
  if (!/^\d+$/.test(headers.timestamp)) return false;
  const ts = Number(headers.timestamp);
  if (Math.abs(nowS - ts) > toleranceS) return false;
  const expected = sign(hmac, key, headers.id, ts, body);
  return headers.signature.split(' ').some((s) => equalConstantTime(s, expected));
}
