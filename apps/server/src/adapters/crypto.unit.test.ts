import { describe, expect, it } from 'vitest';
import { PiiCipher, parseKey, piiCipherFromEnv } from './crypto.ts';

const key = Buffer.alloc(32, 7);

describe('PII cipher', () => {
  it('round-trips, with a fresh IV each time', () => {
    const c = new PiiCipher(key);
    const a = c.encrypt('13812345678');
    const b = c.encrypt('13812345678');
    expect(a).not.toBe(b);
    expect(a.startsWith('v1.')).toBe(true);
    expect(a).not.toContain('13812345678');
    expect(c.decrypt(a)).toBe('13812345678');
    expect(c.decrypt(c.encrypt('欧阳娜娜 贵州省三都县'))).toBe('欧阳娜娜 贵州省三都县');
  });
  it('never repeats an IV across refills of its pool of random IVs', () => {
    const c = new PiiCipher(key);
    const tokens = Array.from({ length: 2000 }, () => c.encrypt('13812345678'));
    const ivs = new Set(tokens.map((t) => Buffer.from(t.slice(3), 'base64url').subarray(0, 12).toString('hex')));
    expect(ivs.size).toBe(2000);
    for (const t of [tokens[0]!, tokens[511]!, tokens[512]!, tokens[1999]!]) expect(c.decrypt(t)).toBe('13812345678');
  });
  it('detects tampering and a wrong key', () => {
    const c = new PiiCipher(key);
    const t = c.encrypt('13812345678');
    const raw = Buffer.from(t.slice(3), 'base64url');
    raw[raw.length - 1]! ^= 1;
    expect(() => c.decrypt('v1.' + raw.toString('base64url'))).toThrow();
    expect(() => new PiiCipher(Buffer.alloc(32, 8)).decrypt(t)).toThrow();
  });
  it('gives a stable keyed lookup hash that depends on the key', () => {
    const c = new PiiCipher(key);
    expect(c.lookupHash('13812345678')).toBe(c.lookupHash('13812345678'));
    expect(c.lookupHash('13812345678')).not.toBe(new PiiCipher(Buffer.alloc(32, 8)).lookupHash('13812345678'));
  });
  it('reads PII_KEY as hex or base64, warns on the development key, and refuses it in production', () => {
    expect(parseKey('07'.repeat(32))).toEqual(key);
    expect(parseKey(key.toString('base64'))).toEqual(key);
    expect(() => parseKey('short')).toThrow();
    const warnings: string[] = [];
    expect(piiCipherFromEnv({}, (m) => warnings.push(m)).devKey).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(piiCipherFromEnv({ PII_KEY: key.toString('base64') }, (m) => warnings.push(m)).devKey).toBe(false);
    expect(() => piiCipherFromEnv({ NODE_ENV: 'production' })).toThrow(/PII_KEY/);
  });
});
