export * from './errors.ts';
export * from './divisions/divisions.ts';
