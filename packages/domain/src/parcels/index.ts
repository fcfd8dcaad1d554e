export * from './status.ts';
export * from './manifest.ts';
