/**
 * The address index and resolver. Built once from a DivisionExtract (pure, no I/O), then
 * `resolve(text)` answers resolved / ambiguous / outside / unresolved.
 *
 * How: the normalised text is scanned with a trie of every form of every division name (marked
 * forms like 鸡贾村 / 匀东镇 / 三都县, bare forms like 鸡贾 / 匀东 / 三都, alias and learned forms,
 * and the names of the rest of the country). Every village-level match yields a candidate; each
 * candidate is scored by how well the rest of the text agrees with its chain (county → town →
 * village): matched ancestors add, matched divisions of another chain subtract. The best candidate
 * wins only if it is clearly ahead of the next one; otherwise the answer is `ambiguous`.
 */
import type { DivisionExtract, DivisionLevel } from '@cuntong/domain/divisions/divisions.ts';
import { countyForms, prefectureForms, provinceForms, townForms, villageForms, type NameForms } from './names.ts';
import { normalizeAddress, normalizeName, normalizeText, type Normalized } from './normalize.ts';
import { charPinyin, charPrimaryPinyin } from './pinyin.ts';
import type { LearnedAlias, MatchSpan, MatchVia, NationalNames, Resolution, VillageRef } from './types.ts';

type Strength = 'marked' | 'bare' | 'homophone';

interface Entry {
  level: DivisionLevel;
  codes: string[];
  strength: Strength;
  via: MatchVia;
  /** A name outside the service region (from the national list). */
  outside: boolean;
  /** Outside only: a bare county name (镇远, 湄潭): says "outside" only when nothing in the region matched. */
  weak?: boolean;
}

interface TrieNode {
  /** Keyed by UTF-16 code unit; absent on leaves. */
  next?: Map<number, TrieNode>;
  entries?: Entry[];
}

interface Match {
  start: number;
  end: number;
  entry: Entry;
}

interface VillageInfo {
  ref: VillageRef;
  town: string;
  county: string;
  prefecture: string;
  province: string;
  /** Bare name (鸡贾) and the pinyin readings of each of its characters (toneless; computed on first use). */
  base: string;
  keys?: string[][];
}

/** Score weights. A full chain (village + town + county) scores 9; ties or near ties are ambiguous. */
export const WEIGHTS = {
  village: 4,
  villageBare: 2.5,
  villageHomophone: 2.5,
  town: 3,
  townBare: 2.5,
  county: 2,
  countyBare: 1.5,
  prefecture: 0.5,
  province: 0.25,
  /** Marked support written after the village (鸡贾村，匀东镇) counts this fraction. */
  after: 0.5,
  conflictMarked: 3,
  conflictBare: 1,
  conflictCountyBare: 1.5,
  /** Another village named before the candidate: the candidate is probably a hamlet or landmark. */
  villageBefore: 2,
  villageBareBefore: 1.5,
  /** Unknown characters glued between the town and the village name (铁长东坪村). */
  gapBefore: 1.5,
  /** The best must lead the second by at least this much, or the answer is ambiguous. */
  margin: 1,
  /** Below this the best candidate is not an answer. */
  minimum: 3.5,
} as const;

/** At most this many trie matches are looked at (they come in text order). */
const MAX_MATCHES = 48;
/** A bare place name used as a street name: 成都路, 遵义巷, 北京大道, 凯里大街, 贵阳街12号. */
function isStreetAfter(text: string, at: number): boolean {
  const a = text[at];
  const b = text[at + 1];
  if (a === '路' || a === '巷') return true;
  if (a === '大') return b === '道' || b === '街';
  if (a === '街') return b === undefined || (b >= '0' && b <= '9');
  return false;
}
const LEVEL_RANK: Record<DivisionLevel, number> = { province: 0, prefecture: 1, county: 2, town: 3, village: 4 };
/** Han characters ending in 村 / 社区 (an unknown village name): 动坪村, 一民社区. */
const UNKNOWN_NAME_AFTER = /^[\u3400-\u9fff]{1,3}(?:村|社区)/;
const HAN_RUN = /^[\u3400-\u9fff]+$/;
/** A group (村民小组) number right after a name: 二组, 3组, 十一组, 5队. */
const GROUP_AFTER = /^(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:组|队)/;

export interface AddressIndexOptions {
  /** National province/prefecture/county names for "outside" answers (default: none). */
  national?: NationalNames;
  /** Learned aliases (address text or name variant → village code). */
  learned?: LearnedAlias[];
}

export class AddressIndex {
  readonly region: string;
  private readonly root: TrieNode = {};
  private readonly villages = new Map<string, VillageInfo>();
  private readonly townVillages = new Map<string, string[]>();
  private readonly townOfCode = new Map<string, { name: string; county: string }>();
  private readonly learnedExact = new Map<string, string>();
  private readonly names = new Map<string, string>();

  constructor(extract: DivisionExtract, opts: AddressIndexOptions = {}) {
    this.region = extract.region;
    for (const d of extract.divisions) this.names.set(d.code, d.level === 'village' ? d.shortName : d.name);
    for (const d of extract.divisions) {
      let forms: NameForms;
      switch (d.level) {
        case 'province': forms = provinceForms(d.name); break;
        case 'prefecture': forms = prefectureForms(d.name); break;
        case 'county': forms = countyForms(d.name); break;
        case 'town': forms = townForms(d.name); break;
        case 'village': forms = villageForms(d.shortName, d.name); break;
      }
      // The extract's own short name of upper levels is accepted too, whatever it is.
      if ((d.level === 'province' || d.level === 'prefecture' || d.level === 'county') && d.shortName.length >= 2 && !forms.marked.includes(d.shortName) && !forms.bare.includes(d.shortName)) {
        forms = { marked: [...forms.marked, d.shortName], bare: forms.bare };
      }
      this.addForms(forms, d.level, d.code, 'name', false);
      if (d.level === 'town') {
        this.townOfCode.set(d.code, { name: d.name, county: d.code.slice(0, 6) });
        this.townVillages.set(d.code, []);
      }
    }
    for (const d of extract.divisions) {
      if (d.level !== 'village') continue;
      const town = d.code.slice(0, 9);
      const county = d.code.slice(0, 6);
      const base = d.shortName.replace(/(村|社区)$/, '');
      const nb = normalizeName(base);
      this.villages.set(d.code, {
        ref: { code: d.code, name: d.shortName, town: this.names.get(town) ?? '', county: this.names.get(county) ?? '' },
        town, county, prefecture: d.code.slice(0, 4), province: d.code.slice(0, 2),
        base: nb,
      });
      this.townVillages.get(town)?.push(d.code);
    }
    for (const a of extract.aliases) {
      const forms = a.level === 'town' ? townForms(a.alias) : a.level === 'county' ? countyForms(a.alias) : a.level === 'village' ? villageForms(a.alias) : { marked: [a.alias], bare: [] };
      this.addForms(forms, a.level, a.code, 'alias', false);
    }
    if (opts.national) this.addNational(opts.national);
    if (opts.learned) this.learn(opts.learned);
  }

  /** Adds learned aliases; returns how many were taken (unknown village codes are skipped). */
  learn(aliases: LearnedAlias[]): { added: number; skipped: number } {
    let added = 0;
    let skipped = 0;
    for (const a of aliases) {
      const text = normalizeText(a.text);
      if (!this.villages.has(a.code) || text.length < 2) { skipped++; continue; }
      this.learnedExact.set(text, a.code);
      this.insert(text, { level: 'village', codes: [a.code], strength: 'marked', via: 'learned', outside: false });
      added++;
    }
    return { added, skipped };
  }

  /** The village with this code, if it is in the index. */
  village(code: string): VillageRef | undefined {
    return this.villages.get(code)?.ref;
  }

  get villageCount(): number {
    return this.villages.size;
  }

  private addNational(n: NationalNames): void {
    const r = this.region;
    // Outside: not in the region, and not the province (or prefecture) the region belongs to.
    const isOutside = (code: string) => !code.startsWith(r) && !r.startsWith(code);
    for (const [code, name] of n.provinces) if (isOutside(code)) this.addForms(provinceForms(name), 'province', code, 'name', true);
    for (const [code, name] of n.prefectures) if (isOutside(code)) this.addForms(prefectureForms(name), 'prefecture', code, 'name', true);
    for (const [code, name] of n.counties) {
      if (!isOutside(code)) continue;
      const f = countyForms(name);
      // Bare county names (和平, 新华, 朝阳 ...) are everywhere in village names: county-level cities
      // (凯里市 → 凯里) count as bare names; counties (镇远县 → 镇远) only when nothing in the region
      // matched; urban districts (南山区 → 南山) not at all.
      if (name.endsWith('市')) this.addForms(f, 'county', code, 'name', true);
      else {
        this.addForms({ marked: f.marked, bare: [] }, 'county', code, 'name', true);
        if (name.endsWith('县')) for (const b of f.bare) this.insert(normalizeName(b), { level: 'county', codes: [code], strength: 'bare', via: 'bare', outside: true, weak: true });
      }
    }
  }

  private addForms(forms: NameForms, level: DivisionLevel, code: string, via: MatchVia, outside: boolean): void {
    for (const f of forms.marked) this.insert(normalizeName(f), { level, codes: [code], strength: 'marked', via, outside });
    for (const f of forms.bare) this.insert(normalizeName(f), { level, codes: [code], strength: 'bare', via: via === 'name' ? 'bare' : via, outside });
  }

  private insert(key: string, e: Entry): void {
    if (key.length === 0) return;
    let node = this.root;
    for (let k = 0; k < key.length; k++) {
      const ch = key.charCodeAt(k);
      node.next ??= new Map();
      let nx = node.next.get(ch);
      if (!nx) { nx = {}; node.next.set(ch, nx); }
      node = nx;
    }
    node.entries ??= [];
    const same = node.entries.find((x) => x.level === e.level && x.strength === e.strength && x.via === e.via && x.outside === e.outside && x.weak === e.weak);
    if (same) { for (const c of e.codes) if (!same.codes.includes(c)) same.codes.push(c); }
    else node.entries.push({ ...e, codes: [...e.codes] });
  }

  private scan(text: string): Match[] {
    const out: Match[] = [];
    for (let i = 0; i < text.length; i++) {
      let node: TrieNode | undefined = this.root;
      for (let j = i; j < text.length; j++) {
        node = node.next?.get(text.charCodeAt(j));
        if (!node) break;
        if (node.entries) for (const entry of node.entries) out.push({ start: i, end: j + 1, entry });
      }
    }
    return out;
  }

  /** Resolves one free-text address. Never throws; bounded time for any input. */
  resolve(input: string): Resolution {
    try {
      return this.resolveNormalized(normalizeAddress(typeof input === 'string' ? input : String(input)), input);
    } catch {
      return { status: 'unresolved' };
    }
  }

  private resolveNormalized(norm: Normalized, input: string): Resolution {
    const text = norm.text;
    if (text.length === 0) return { status: 'unresolved' };
    const learned = this.learnedExact.get(text);
    if (learned) {
      const v = this.villages.get(learned);
      if (v) return { status: 'resolved', village: v.ref, confidence: 0.95, spans: [this.span(norm, input, 0, text.length, 'village', learned, 'learned')] };
    }
    // Bounded work on repetitive input: real addresses have a handful of matches.
    const found = this.scan(text);
    if (found.length > MAX_MATCHES) found.length = MAX_MATCHES;
    const matches = this.filterMatches(found, text);
    const region = matches.filter((m) => !m.entry.outside);
    let outside = matches.filter((m) => m.entry.outside);
    // An outside name inside an in-region name at least as long is not an outside mention.
    outside = outside.filter((o) => !region.some((r) => r.start <= o.start && r.end >= o.end && r.end - r.start >= o.end - o.start));

    const cands = new Map<string, Scored>();
    for (const m of region) {
      if (m.entry.level !== 'village') continue;
      for (const code of m.entry.codes) consider(cands, this.evaluate(code, m, region, text, norm.boundary));
    }
    if (this.needsHomophones(region, cands, norm.boundary)) {
      // Shorter forms of a named town count as starting points too (濛江街道办坡村: 濛江街道 + 办坡村 ≈ 半坡村).
      const townForms = region.filter((m) => m.entry.level === 'town');
      for (const f of found) {
        if (f.entry.level === 'town' && !f.entry.outside && townForms.some((t) => t.start === f.start && t.end > f.end && t.entry.codes.some((c) => f.entry.codes.includes(c)))) townForms.push(f);
      }
      const homophones = this.homophones(text, norm.boundary, region, townForms, cands);
      if (homophones.length > 0) {
        // A name found inside a longer homophone (东坪村 inside 铁长东坪村 ≈ 铁厂东坪村) is part of it.
        for (const [k, c] of cands) if (homophones.some((h) => h.match.start <= c.match.start && h.match.end >= c.match.end && h.match.end - h.match.start > c.match.end - c.match.start)) cands.delete(k);
        for (const s of homophones) consider(cands, s);
      }
    }

    const order = byScore;
    const ranked = [...cands.values()].sort(order);
    // Names that differ only in script (迴龙村 and 回龙村 are both 回龙村 once simplified): when the
    // text carries exactly one of the official spellings, that one is meant.
    const top = ranked[0];
    if (top && ranked.length >= 2) {
      const close = ranked.filter((c) => c.score > top.score - WEIGHTS.margin);
      if (close.length >= 2) {
        const exact = close.filter((c) => this.surface(norm, input, c.match).includes(c.info.ref.name));
        if (exact.length === 1 && exact[0]) { exact[0].score += WEIGHTS.margin; ranked.sort(order); }
      }
    }
    const best = ranked[0];

    // Outside: a place outside the region is named before the village (or anywhere, if no village),
    // nothing in the region (county, prefecture, marked town) is named before it, and the village
    // chain has no county or prefecture support.
    const cut = best ? best.match.start : text.length;
    const outsideBefore = outside.filter((o) => o.start < cut && (!o.entry.weak || region.length === 0) && !region.some((r) => r.start < o.start && isRegionalAdmin(r))
      // A bare outside name (遵义, 海南) counts where a place name starts: at the start of a segment
      // or right after a province or prefecture; 王海南 is a person.
      && (o.entry.strength === 'marked' || norm.boundary[o.start] === 1 || matches.some((p) => p.end === o.start && (p.entry.level === 'province' || p.entry.level === 'prefecture'))));
    if (outsideBefore.length > 0 && (!best || !best.regional)) {
      return { status: 'outside', spans: outsideBefore.map((o) => this.span(norm, input, o.start, o.end, o.entry.level, o.entry.codes[0] ?? '', o.entry.via)) };
    }
    return this.decide(ranked, norm, input);
  }

  private decide(ranked: Scored[], norm: Normalized, input: string): Resolution {
    const best = ranked[0];
    if (!best || best.score < WEIGHTS.minimum) return { status: 'unresolved' };
    const second = ranked[1];
    const close = ranked.filter((c) => c.score > best.score - WEIGHTS.margin);
    if (close.length >= 2 || best.conflict) {
      const list = best.conflict ? ranked.filter((c) => c.score > best.score - 3) : close;
      if (list.length < 2) return { status: 'unresolved' };
      return { status: 'ambiguous', candidates: list.slice(0, 10).map((c) => ({ ...c.info.ref, score: round(c.score) })) };
    }
    const lead = second ? best.score - second.score : best.score;
    let confidence = 0.5 + 0.49 * Math.min(1, best.score / 9) * Math.min(1, lead / 3);
    if (best.match.entry.strength === 'homophone') confidence *= 0.9;
    return {
      status: 'resolved',
      village: best.info.ref,
      confidence: round(confidence),
      spans: this.spans(best, norm, input),
    };
  }

  /** Drops matches that are part of a longer name, and bare names used as street names (遵义路). */
  private filterMatches(all: Match[], text: string): Match[] {
    return all.filter((m) => {
      if (m.entry.strength === 'bare' && isStreetAfter(text, m.end)) return false;
      for (const n of all) {
        if (n === m) continue;
        const contains = n.start <= m.start && n.end >= m.end;
        if (!contains) continue;
        const longer = n.end - n.start > m.end - m.start;
        if (longer) return false;
      }
      return true;
    });
  }

  private evaluate(code: string, m: Match, region: Match[], text: string, boundary: Uint8Array): Scored | undefined {
    const info = this.villages.get(code);
    if (!info) return undefined;
    const strength = m.entry.strength;
    let score = strength === 'marked' ? WEIGHTS.village : strength === 'bare' ? WEIGHTS.villageBare : WEIGHTS.villageHomophone;
    // Best supporting match per level: 0 province, 1 prefecture, 2 county, 3 town.
    const sup: Array<Match | undefined> = [undefined, undefined, undefined, undefined];
    const supW = [0, 0, 0, 0];
    let conflict = false;
    let adminSameText = false;
    for (const o of region) {
      if (o === m) continue;
      const before = o.end <= m.start;
      const after = o.start >= m.end;
      if (!before && !after) {
        // Same text as a town or county of the same county: a bare village name there means the
        // town (平浪 is 平浪镇 rather than its 平浪村; 都匀市文峰 is 文峰街道 rather than 文峰村).
        // Unless the village's own town is written before it (平浪镇文峰 is 文峰村 of 平浪镇).
        if (strength === 'bare' && o.start === m.start && o.end === m.end && (o.entry.level === 'town' || o.entry.level === 'county')
          && o.entry.codes.some((c) => c.startsWith(info.county))) adminSameText = true;
        continue;
      }
      const e = o.entry;
      const lvl = e.level;
      if (lvl === 'village') {
        if (before && !e.codes.includes(code)) score -= e.strength === 'marked' ? WEIGHTS.villageBefore : WEIGHTS.villageBareBefore;
        continue;
      }
      const rank = LEVEL_RANK[lvl];
      const anc = rank === 3 ? info.town : rank === 2 ? info.county : rank === 1 ? info.prefecture : info.province;
      const marked = e.strength === 'marked';
      if (e.codes.includes(anc)) {
        let w = supportWeight(lvl, marked);
        if (after) { if (!marked || strength !== 'marked') continue; w *= WEIGHTS.after; }
        if (w > (supW[rank] ?? 0)) { supW[rank] = w; sup[rank] = o; }
      } else if (before && rank > 0) {
        // Another chain is named before the village.
        if (marked) { score -= WEIGHTS.conflictMarked; conflict = true; }
        else score -= rank === 2 ? WEIGHTS.conflictCountyBare : WEIGHTS.conflictBare;
      }
    }
    score += (supW[0] ?? 0) + (supW[1] ?? 0) + (supW[2] ?? 0) + (supW[3] ?? 0);
    const town = sup[3];
    const county = sup[2];
    if (adminSameText && !town) return undefined;
    // Unknown characters glued between the town (or county) and the village name: the name may be
    // the end of a longer one (云雾镇铁长东坪村).
    const lastAdmin = Math.max(town && town.end <= m.start ? town.end : 0, county && county.end <= m.start ? county.end : 0);
    if (lastAdmin > 0 && m.start > lastAdmin && m.start - lastAdmin <= 3 && boundary[m.start] !== 1 && HAN_RUN.test(text.slice(lastAdmin, m.start))) score -= WEIGHTS.gapBefore;
    // A bare name (鸡贾) is a village only when the text also names its town or county, and not
    // when an unknown village (但平村) is written between them: then it is a hamlet or a landmark.
    // Without them, a bare name directly followed by a group number (鸡贾二组, 鸡贾3组) still reads
    // as a village, a little weaker than 鸡贾村.
    if (strength === 'bare') {
      if (!town && !county) {
        if (!GROUP_AFTER.test(text.slice(m.end, m.end + 4))) return undefined;
        score += WEIGHTS.village - WEIGHTS.villageBare - 0.5;
      }
      const from = Math.max(town?.end ?? 0, county?.end ?? 0);
      const gap = text.slice(from, m.start);
      if (gap.includes('村') || gap.includes('社区')) return undefined;
      // Nor when it is the start of an unknown name (铁厂动坪村: 铁厂 is not 铁厂村).
      if (boundary[m.end] !== 1 && UNKNOWN_NAME_AFTER.test(text.slice(m.end, m.end + 5))) return undefined;
    } else if (strength !== 'marked' && !town && !county) return undefined;
    if (strength === 'homophone' && !town) return undefined;
    return { info, score, match: m, sup, conflict, regional: !!county || !!sup[1] };
  }

  /**
   * Homophone typos (鸡假村 for 鸡贾村): only inside a town the text names without doubt, and only
   * when no village of that town is already named exactly.
   */
  /** Some named town has no village of its own named right after it (or after a separator). */
  private needsHomophones(region: Match[], cands: Map<string, Scored>, boundary: Uint8Array): boolean {
    for (const t of region) {
      if (t.entry.level !== 'town') continue;
      let covered = false;
      for (const c of cands.values()) {
        const st = c.match.start;
        if (st >= t.end && (st === t.end || boundary[st] === 1) && t.entry.codes.includes(c.info.town)) { covered = true; break; }
      }
      if (!covered) return true;
    }
    return false;
  }

  private homophones(text: string, boundary: Uint8Array, region: Match[], townMatches: Match[], cands: Map<string, Scored>): Scored[] {
    const out: Scored[] = [];
    const searched = new Set<string>();
    // Usual toneless reading of each Han character of the text, computed on demand.
    const pys: Array<string | undefined | null> = [];
    const pyAt = (p: number): string | undefined => {
      let v = pys[p];
      if (v === undefined) {
        const c = text.charCodeAt(p);
        v = (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ? charPrimaryPinyin(text[p] as string) : null;
        pys[p] = v;
      }
      return v ?? undefined;
    };
    for (const t of townMatches.slice(0, 6)) {
      let towns = t.entry.codes.filter((c) => this.townVillages.has(c));
      if (towns.length > 1) {
        const counties = new Set(region.filter((o) => o.entry.level === 'county' && o.end <= t.start).flatMap((o) => o.entry.codes));
        towns = towns.filter((c) => counties.has(c.slice(0, 6)));
      }
      if (towns.length !== 1) continue;
      const town = towns[0] as string;
      if (searched.has(town + ':' + t.end)) continue;
      searched.add(town + ':' + t.end);
      // A village of this town is named right after it (or after a separator): no typo to look for.
      // Named after some unknown characters (云雾镇铁长东坪村), the name may be the end of a longer,
      // mistyped one (铁厂东坪村): look.
      if ([...cands.values()].some((c) => c.info.town === town && c.match.start >= t.end && (c.match.start === t.end || boundary[c.match.start] === 1))) continue;
      const codes = this.townVillages.get(town) ?? [];
      const regionWithTown = region.includes(t) ? region : [...region, t];
      const limit = Math.min(text.length, t.end + 8);
      for (let p = t.end; p < limit; p++) {
        const hits: Scored[] = [];
        const first = pyAt(p);
        if (first === undefined) continue;
        for (const code of codes) {
          const v = this.villages.get(code);
          if (!v) continue;
          const L = v.base.length;
          if (L === 0 || p + L > text.length) continue;
          // Away from the town, only a name followed by its 村 / 社区 is looked at.
          const suffix = v.ref.name.endsWith('社区') ? '社区' : '村';
          const marked = text.startsWith(suffix, p + L);
          if (!marked && p !== t.end) continue;
          v.keys ??= Array.from({ length: L }, (_, k) => charPinyin(v.base[k] as string));
          // The typed character by its usual reading, the village's by any of its readings
          // (鸡假 for 鸡贾: jia; not 麻万 for 麻抹 through the rare reading mo of 万).
          if (!(v.keys[0] as string[]).includes(first)) continue;
          let ok = true;
          for (let k = 1; k < L && ok; k++) {
            const py = pyAt(p + k);
            ok = py !== undefined && (v.keys[k] as string[]).includes(py);
          }
          if (!ok || text.startsWith(v.base, p)) continue;
          const m: Match = { start: p, end: p + L + (marked ? suffix.length : 0), entry: { level: 'village', codes: [code], strength: 'homophone', via: 'homophone', outside: false } };
          const s = this.evaluate(code, m, regionWithTown, text, boundary);
          if (s) hits.push(s);
        }
        if (hits.length > 0) {
          // The longest reading wins (铁长东坪村 is 铁厂东坪村, not 铁厂村 followed by junk).
          const longest = Math.max(...hits.map((h) => h.match.end - h.match.start));
          out.push(...hits.filter((h) => h.match.end - h.match.start === longest));
          break;
        }
      }
    }
    return out;
  }

  private spans(s: Scored, norm: Normalized, input: string): MatchSpan[] {
    const i = s.info;
    const codes = [i.province, i.prefecture, i.county, i.town];
    const out: MatchSpan[] = [this.span(norm, input, s.match.start, s.match.end, 'village', i.ref.code, s.match.entry.via)];
    s.sup.forEach((m, k) => { if (m) out.push(this.span(norm, input, m.start, m.end, m.entry.level, codes[k] ?? '', m.entry.via)); });
    return out.sort((a, b) => a.start - b.start);
  }

  private surface(norm: Normalized, input: string, m: Match): string {
    const s = norm.offsets[m.start] ?? 0;
    const e = (norm.offsets[m.end - 1] ?? s) + 2;
    return input.slice(s, e);
  }

  private span(norm: Normalized, input: string, start: number, end: number, level: DivisionLevel, code: string, via: MatchVia): MatchSpan {
    const s = norm.offsets[start] ?? 0;
    const lastAt = norm.offsets[end - 1] ?? s;
    const cp = input.codePointAt(lastAt) ?? 0;
    const e = lastAt + (cp > 0xffff ? 2 : 1);
    return { level, code, start: s, end: e, text: input.slice(s, e), via };
  }
}

interface Scored {
  info: VillageInfo;
  score: number;
  match: Match;
  /** Supporting matches by level: province, prefecture, county, town. */
  sup: Array<Match | undefined>;
  /** A county or town of another chain is named before the village. */
  conflict: boolean;
  /** The text names an in-region county or prefecture of this chain. */
  regional: boolean;
}

function consider(cands: Map<string, Scored>, s: Scored | undefined): void {
  if (!s) return;
  const prev = cands.get(s.info.ref.code);
  if (!prev || s.score > prev.score) cands.set(s.info.ref.code, s);
}

function byScore(a: Scored, b: Scored): number {
  return b.score - a.score || (a.info.ref.code < b.info.ref.code ? -1 : 1);
}

function isRegionalAdmin(m: Match): boolean {
  const l = m.entry.level;
  return l === 'county' || l === 'prefecture' || (l === 'town' && m.entry.strength === 'marked');
}

function supportWeight(level: DivisionLevel, marked: boolean): number {
  switch (level) {
    case 'town': return marked ? WEIGHTS.town : WEIGHTS.townBare;
    case 'county': return marked ? WEIGHTS.county : WEIGHTS.countyBare;
    case 'prefecture': return WEIGHTS.prefecture;
    case 'province': return WEIGHTS.province;
    default: return 0;
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
