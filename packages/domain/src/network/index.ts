/** The delivery network (issue 2): types, rules, validators, import/export rows, the demo network. */
export * from './types.ts';
export * from './geo.ts';
export * from './rules.ts';
export * from './validate.ts';
export * from './import.ts';
export * from './demo.ts';
