export * from './orders.ts';
export * from './regions.ts';
