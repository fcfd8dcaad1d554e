import { lookup as dnsLookup, promises as dns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addressAllowed, classifyAddress } from '@cuntong/domain/webhooks/ssrf.ts';

/**
 * HTTP POST of a webhook with SSRF protection at send time: every address the host name resolves
 * to is checked in the connection's own DNS lookup, so a name that re-resolves to a private address
 * after registration (DNS rebinding) is refused at the moment of connecting. No redirects.
 */
export interface SendResult { status: number | null; error: string | null; durationMs: number; retryAfterS?: number }
export type Sender = (url: string, headers: Record<string, string>, body: string) => Promise<SendResult>;

export class SsrfError extends Error {
  constructor(readonly address: string, readonly addressClass: string) { super(`address ${address} is ${addressClass}: refused (SSRF protection)`); }
}

function hostOf(u: URL): string {
  return u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
}

function guardedLookup(allowLoopback: () => boolean): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number }, callback: (err: NodeJS.ErrnoException | null, address: string | Array<{ address: string; family: number }>, family?: number) => void) => {
    dnsLookup(hostname, { family: options.family ?? 0, all: true }, (err, addresses) => {
      if (err) return callback(err, options.all ? [] : '', 0);
      const bad = addresses.find((a) => !addressAllowed(a.address, allowLoopback()));
      if (bad) return callback(new SsrfError(bad.address, classifyAddress(bad.address)) as NodeJS.ErrnoException, options.all ? [] : '', 0);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  }) as unknown as LookupFunction;
}

/** Checks a URL's host before registration: every address it resolves to must be allowed. */
export async function checkUrlTarget(url: URL, allowLoopback: boolean): Promise<{ ok: true; resolved: boolean } | { ok: false; address: string; addressClass: string }> {
  const host = hostOf(url);
  const addrs = isIP(host) ? [host] : await dns.lookup(host, { all: true }).then((a) => a.map((x) => x.address), () => null);
  if (addrs === null) return { ok: true, resolved: false }; // unresolvable now; checked again at every send
  for (const a of addrs) if (!addressAllowed(a, allowLoopback)) return { ok: false, address: a, addressClass: classifyAddress(a) };
  return { ok: true, resolved: true };
}

export function httpSender(opts: { allowLoopback: () => boolean; timeoutMs?: number }): Sender {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const lookup = guardedLookup(opts.allowLoopback);
  return (url, headers, body) => new Promise<SendResult>((resolve) => {
    const started = performance.now();
    const done = (r: Omit<SendResult, 'durationMs'>) => resolve({ ...r, durationMs: Math.round(performance.now() - started) });
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return done({ status: null, error: 'invalid url' });
    }
    const host = hostOf(u);
    if (isIP(host) && !addressAllowed(host, opts.allowLoopback())) return done({ status: null, error: new SsrfError(host, classifyAddress(host)).message });
    const mod = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : null;
    if (!mod) return done({ status: null, error: `unsupported protocol ${u.protocol}` });
    const payload = Buffer.from(body, 'utf8');
    const req = mod.request(u, {
      method: 'POST', lookup, timeout: timeoutMs, agent: false,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': 'Cuntong-Webhooks/1.0' },
    }, (res) => {
      const status = res.statusCode ?? null;
      const ra = res.headers['retry-after'];
      const retryAfterS = typeof ra === 'string' && /^\d+$/.test(ra) ? Number(ra) : undefined;
      let size = 0;
      res.on('data', (c: Buffer) => { size += c.length; if (size > 64 * 1024) res.destroy(); });
      res.on('end', () => done({ status, error: status !== null && status >= 200 && status < 300 ? null : `HTTP ${status}`, ...(retryAfterS !== undefined ? { retryAfterS } : {}) }));
      res.on('error', () => done({ status, error: `HTTP ${status} (response cut)` }));
      res.on('close', () => done({ status, error: status !== null && status >= 200 && status < 300 ? null : `HTTP ${status}` }));
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (err) => done({ status: null, error: err instanceof SsrfError ? err.message : (err.message || String(err)).slice(0, 300) }));
    req.end(payload);
  });
}
