import type { DivisionLevel } from '@cuntong/domain/divisions/divisions.ts';

/** A village-level unit as the resolver reports it. */
export interface VillageRef {
  /** 12-digit statistics bureau code. */
  code: string;
  /** Short name: 鸡贾村, 文峰社区. */
  name: string;
  /** Town name (匀东镇). */
  town: string;
  /** County name as in the extract (都匀市, 三都水族自治县). */
  county: string;
}

/** How a part of the text was recognised. */
export type MatchVia = 'name' | 'bare' | 'alias' | 'learned' | 'homophone';

/** A part of the input that matched a division; offsets are UTF-16 offsets in the original input. */
export interface MatchSpan {
  level: DivisionLevel;
  code: string;
  start: number;
  end: number;
  text: string;
  via: MatchVia;
}

export interface RankedCandidate extends VillageRef {
  /** Chain score (higher is better); only comparable within one answer. */
  score: number;
}

export type Resolution =
  | { status: 'resolved'; village: VillageRef; confidence: number; spans: MatchSpan[] }
  | { status: 'ambiguous'; candidates: RankedCandidate[] }
  | { status: 'outside'; spans: MatchSpan[] }
  | { status: 'unresolved' };

export type ResolutionStatus = Resolution['status'];

/**
 * A correction learned from clerks: an address text, or a variant of a village name, that belongs
 * to a village. Stored by the intake module and passed in when the index is built.
 */
export interface LearnedAlias {
  text: string;
  /** 12-digit village code. */
  code: string;
}

/** Province, prefecture and county names of the whole country ([code, name] rows). */
export interface NationalNames {
  source?: string;
  provinces: Array<[string, string]>;
  prefectures: Array<[string, string]>;
  counties: Array<[string, string]>;
}
