export * from './errors.ts';
export * from './access.ts';
export * from './divisions/divisions.ts';
export * from './network/index.ts';
export * from './kpi.ts';
