export * from './signature.ts';
export * from './ssrf.ts';
export * from './vocabulary.ts';
export * from './backoff.ts';
