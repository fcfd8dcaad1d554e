/**
 * Address resolution for the server edges (CLI, HTTP): one index per region, built on first use
 * from the division extract and kept; results presented in the wire shape of the CLI and the API.
 */
import { buildAddressIndex, type AddressIndex, type LearnedAlias, type Resolution, type VillageRef } from '@cuntong/address';
import { defaultRegion, loadRegionExtract } from '../divisions/reference.ts';

export type AddressResultJson =
  | { input: string; status: 'resolved'; village: VillageRef; confidence: number }
  | { input: string; status: 'ambiguous'; candidates: VillageRef[] }
  | { input: string; status: 'outside' }
  | { input: string; status: 'unresolved' };

const indexes = new Map<string, AddressIndex>();

/**
 * The index for a region (REGION env, default 5227). Learned aliases (clerk corrections, stored by
 * the intake module) are added to the cached index; adding the same alias again is harmless.
 */
export function addressIndex(region: string = defaultRegion(), learned: LearnedAlias[] = []): AddressIndex {
  let idx = indexes.get(region);
  if (!idx) {
    idx = buildAddressIndex(loadRegionExtract(region));
    indexes.set(region, idx);
  }
  if (learned.length > 0) idx.learn(learned);
  return idx;
}

/** The wire shape: village refs without internal scores, no spans. */
export function presentResolution(input: string, r: Resolution): AddressResultJson {
  switch (r.status) {
    case 'resolved': return { input, status: 'resolved', village: pickRef(r.village), confidence: r.confidence };
    case 'ambiguous': return { input, status: 'ambiguous', candidates: r.candidates.map(pickRef) };
    case 'outside': return { input, status: 'outside' };
    default: return { input, status: 'unresolved' };
  }
}

export function resolveAddresses(addresses: string[], region?: string): AddressResultJson[] {
  const idx = addressIndex(region);
  return addresses.map((a) => presentResolution(a, idx.resolve(a)));
}

function pickRef(v: VillageRef): VillageRef {
  return { code: v.code, name: v.name, town: v.town, county: v.county };
}
