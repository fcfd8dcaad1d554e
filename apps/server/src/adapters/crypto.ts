import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Personal data at rest (PIPL Art. 51): recipient name, phone and address are stored as
 * AES-256-GCM ciphertext; the phone also as an HMAC-SHA256 (keyed, so a leaked table cannot be
 * reversed by hashing every phone number) for lookup. One master key (PII_KEY: 32 bytes as
 * base64 or hex) is split with HKDF into an encryption key and a lookup key.
 *
 * Ciphertext format: "v1." + base64url(iv[12] | tag[16] | ciphertext).
 */
export class PiiCipher {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;
  /** True when running on the built-in development key (never for production data). */
  readonly devKey: boolean;

  constructor(masterKey: Buffer, devKey = false) {
    if (masterKey.length !== 32) throw new Error('PII_KEY must be 32 bytes (base64 or hex)');
    this.encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'cuntong pii enc v1', 32));
    this.macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'cuntong pii lookup v1', 32));
    this.devKey = devKey;
  }

  encrypt(plain: string): string {
    const iv = this.nextIv();
    const c = createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return 'v1.' + Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64url');
  }

  // Random IVs drawn 512 at a time: one CSPRNG call per IV cost a third of an encryption (manifest
  // intake encrypts three fields per parcel). Each 12-byte slice is used once; a fresh pool follows.
  private ivPool = Buffer.alloc(0);
  private ivAt = 0;
  private nextIv(): Buffer {
    if (this.ivAt + 12 > this.ivPool.length) {
      this.ivPool = randomBytes(12 * 512);
      this.ivAt = 0;
    }
    const iv = this.ivPool.subarray(this.ivAt, this.ivAt + 12);
    this.ivAt += 12;
    return iv;
  }

  decrypt(token: string): string {
    if (!token.startsWith('v1.')) throw new Error('unknown ciphertext version');
    const raw = Buffer.from(token.slice(3), 'base64url');
    const d = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }

  /** Keyed hash for equality lookup (the input should be normalised first, e.g. phone digits). */
  lookupHash(value: string): string {
    return createHmac('sha256', this.macKey).update(value, 'utf8').digest('base64url');
  }
}

/** A fixed development key: data encrypted with it is not protected. */
const DEV_KEY = Buffer.from('cuntong-development-only-pii-key', 'utf8'); // 32 bytes

export function parseKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  const b = Buffer.from(t, 'base64');
  if (b.length !== 32) throw new Error('PII_KEY must be 32 bytes, written as 64 hex digits or base64');
  return b;
}

/** The cipher from PII_KEY, or the development key with a warning when it is unset. */
export function piiCipherFromEnv(env: NodeJS.ProcessEnv, warn: (msg: string) => void = (m) => process.emitWarning(m)): PiiCipher {
  if (env.PII_KEY) return new PiiCipher(parseKey(env.PII_KEY));
  if (env.NODE_ENV === 'production') throw new Error('PII_KEY is required in production (32 bytes, hex or base64; e.g. `openssl rand -base64 32`)');
  warn('PII_KEY is not set: personal data is encrypted with the built-in development key. Set PII_KEY (32 bytes, base64) for real data.');
  return new PiiCipher(DEV_KEY, true);
}
