export * from './s10.ts';
export * from './domestic.ts';
export * from './allocator.ts';
