import type { Instance } from './instance.ts';
import { readCvrplib } from './cvrplib.ts';
import { readSolomon, type SolomonOptions } from './solomon.ts';

/** Reads a CVRPLIB/TSPLIB or a Solomon file, recognised by its content. */
export function readInstance(text: string, fileName = 'instance', solomon: SolomonOptions = {}): Instance {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  if (/^\s*(DIMENSION|NODE_COORD_SECTION|CAPACITY|EDGE_WEIGHT_TYPE)\b/m.test(text)) return readCvrplib(text, base);
  if (/^\s*VEHICLE\b/m.test(text) && /^\s*CUSTOMER\b/m.test(text)) return readSolomon(text, solomon, base);
  throw new Error(`${fileName}: neither a CVRPLIB nor a Solomon file`);
}
