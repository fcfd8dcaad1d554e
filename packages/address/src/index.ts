/**
 * @cuntong/address: free-text Chinese rural addresses → the village-level division, or an honest
 * "ambiguous" / "outside" / "unresolved". Pure: the index is built from a DivisionExtract object.
 *
 *   const index = buildAddressIndex(extract, { learned });
 *   index.resolve('贵州省黔南州都匀市坝固镇鸡贾村二组'); // { status: 'resolved', village: {...}, ... }
 */
import type { DivisionExtract } from '@cuntong/domain/divisions/divisions.ts';
import nationalNames from '../data/national-names.json' with { type: 'json' };
import { AddressIndex, type AddressIndexOptions } from './resolver.ts';
import type { LearnedAlias, NationalNames, Resolution } from './types.ts';

export { AddressIndex, WEIGHTS, type AddressIndexOptions } from './resolver.ts';
export { normalizeAddress, normalizeText, t2sCharMap, MAX_INPUT_LENGTH, MAX_NORMALIZED_LENGTH, type Normalized } from './normalize.ts';
export type { LearnedAlias, MatchSpan, MatchVia, NationalNames, RankedCandidate, Resolution, ResolutionStatus, VillageRef } from './types.ts';

/** Every province, prefecture and county name of China (packages/address/data/national-names.json). */
export const NATIONAL_NAMES: NationalNames = nationalNames as NationalNames;

/**
 * Builds the in-memory index for one region. National names default to the bundled list, so
 * addresses elsewhere in China answer `outside`; pass `national: undefined` explicitly to turn that off.
 */
export function buildAddressIndex(extract: DivisionExtract, opts: { learned?: LearnedAlias[]; national?: NationalNames | null } = {}): AddressIndex {
  const o: AddressIndexOptions = { learned: opts.learned };
  if (opts.national !== null) o.national = opts.national ?? NATIONAL_NAMES;
  return new AddressIndex(extract, o);
}

/** One-shot helper: resolves with a prebuilt index. */
export function resolveAddress(index: AddressIndex, input: string): Resolution {
  return index.resolve(input);
}
