import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RETRY_WINDOW_S, classifyResponse, retryDelayS } from './backoff.ts';
import { type Hmac256, parseSecret, sign, verify } from './signature.ts';
import { addressAllowed, classifyAddress } from './ssrf.ts';
import { DEFAULT_VOCABULARY, vocabulary } from './vocabulary.ts';

const hmac: Hmac256 = (key, content) => createHmac('sha256', key).update(content).digest();

describe('Standard Webhooks signatures', () => {
  // Test vector of the Standard Webhooks reference libraries.
  it('matches the reference vector', () => {
    const parsed = parseSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    if (!('key' in parsed)) throw new Error(parsed.error);
    const body = '{"test": 2432232314}';
    expect(sign(hmac, parsed.key, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
  it('verifies what it signs and nothing else (body, timestamp, secret, rotation, tolerance)', () => {
    const key = randomBytes(32);
    const other = randomBytes(32);
    const ts = 1_700_000_000;
    const body = '{"waybillNo":"ZT1","status":"ACCEPTED"}';
    const sig = sign(hmac, key, 'msg_1', ts, body);
    const h = { id: 'msg_1', timestamp: String(ts), signature: sig };
    expect(verify(hmac, key, h, body, ts)).toBe(true);
    expect(verify(hmac, key, h, body.replace('1', '2'), ts)).toBe(false);
    expect(verify(hmac, key, h, body, ts + 301)).toBe(false);
    expect(verify(hmac, other, h, body, ts)).toBe(false);
    expect(verify(hmac, key, { ...h, signature: `${sign(hmac, other, 'msg_1', ts, body)} ${sig}` }, body, ts)).toBe(true);
    expect(verify(hmac, key, { ...h, id: 'msg_2' }, body, ts)).toBe(false);
  });
  it('accepts whsec_ secrets of 16–128 bytes only', () => {
    expect('key' in parseSecret(`whsec_${randomBytes(24).toString('base64')}`)).toBe(true);
    expect('error' in parseSecret(randomBytes(24).toString('base64'))).toBe(true);
    expect('error' in parseSecret('whsec_not base64!')).toBe(true);
    expect('error' in parseSecret(`whsec_${randomBytes(8).toString('base64')}`)).toBe(true);
  });
});

describe('SSRF address classes', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.9.9.9', 'loopback'], ['::1', 'loopback'], ['[::1]', 'loopback'],
    ['10.0.0.5', 'private'], ['172.16.3.4', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'], ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link_local'], ['fe80::1', 'link_local'], ['fd00::1', 'private'],
    ['0.0.0.0', 'unspecified'], ['::', 'unspecified'], ['224.0.0.1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:10.1.2.3', 'private'], ['::ffff:7f00:1', 'loopback'], ['64:ff9b::a9fe:a9fe', 'link_local'],
    ['8.8.8.8', 'public'], ['172.32.0.1', 'public'], ['2606:4700::1111', 'public'], ['nonsense', 'invalid'],
  ])('%s is %s', (ip, cls) => expect(classifyAddress(ip)).toBe(cls));
  it('lets loopback (only) through when allowed', () => {
    expect(addressAllowed('127.0.0.1', true)).toBe(true);
    expect(addressAllowed('127.0.0.1', false)).toBe(false);
    expect(addressAllowed('10.0.0.1', true)).toBe(false);
    expect(addressAllowed('169.254.169.254', true)).toBe(false);
    expect(addressAllowed('1.1.1.1', false)).toBe(true);
  });
});

describe('retry schedule', () => {
  it('keeps trying for more than 24 hours, with jitter within ±20 %, growing', () => {
    expect(RETRY_WINDOW_S).toBeGreaterThan(24 * 3600);
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (attempt, r) => {
      const d = retryDelayS(attempt, () => r)!;
      const lo = retryDelayS(attempt, () => 0)!;
      const hi = retryDelayS(attempt, () => 1)!;
      return d >= lo && d <= hi && (attempt === 1 || lo > retryDelayS(attempt - 1, () => 1)! * 0.5);
    }));
    expect(retryDelayS(10, Math.random)).toBeNull();
    expect(retryDelayS(1, () => 0.5, 120)).toBe(120);
  });
  it('2xx delivered, 410 gone, the rest retried', () => {
    expect(classifyResponse(204)).toBe('delivered');
    expect(classifyResponse(410)).toBe('gone');
    expect(classifyResponse(301)).toBe('failed');
    expect(classifyResponse(null)).toBe('failed');
  });
});

describe('status vocabulary', () => {
  it('overlays a partner’s codes on the defaults and ignores unknown statuses', () => {
    const v = vocabulary({ delivered: 'SIGNED', nonsense: 'X' });
    expect(v.delivered).toBe('SIGNED');
    expect(v.manifested).toBe(DEFAULT_VOCABULARY.manifested);
    expect(Object.keys(v)).toHaveLength(Object.keys(DEFAULT_VOCABULARY).length);
  });
});
