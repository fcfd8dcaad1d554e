// Test helper: the Qiannan extract and one shared index (tests may read files; the module does not).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DivisionExtract } from '@cuntong/domain/divisions/divisions.ts';
import { buildAddressIndex } from './index.ts';
import type { AddressIndex } from './resolver.ts';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const extract5227 = (): DivisionExtract => JSON.parse(readFileSync(REPO + 'data/divisions/5227.json', 'utf8')) as DivisionExtract;
let shared: AddressIndex | undefined;
export function index5227(): AddressIndex {
  shared ??= buildAddressIndex(extract5227());
  return shared;
}
