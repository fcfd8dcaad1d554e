/**
 * Village visit rules (普遍服务 frequency), weekday lists and opening hours. Pure.
 */
import type { Division } from '../divisions/divisions.ts';
import { WEEKDAYS, type VisitRule, type Weekday } from './types.ts';

/** Default service time per visit: a village committee drop (村邮站 handover, signatures). */
export const VILLAGE_SERVICE_S = 600;
/** Community drops carry more parcels and doors. */
export const COMMUNITY_SERVICE_S = 900;

/**
 * Default visit rule of a village-level unit:
 * - village committee (村民委员会): at least 3 visits a week (周三班), Mon–Sat;
 * - community (居民委员会) at a town seat: daily (7), Mon–Sun. A community is "at a town seat" when its
 *   town is an urban subdistrict (街道, i.e. the county seat) or when it is the lowest-coded community
 *   of a town/township (镇/乡): the seat community (e.g. the 居委会 of the market street);
 * - any other community (e.g. a resettlement community 安置社区 outside the seat): 5 visits a week,
 *   Mon–Fri (more than a village committee, since it is dense; less than the seat).
 */
export function defaultVisitRule(village: Division, atTownSeat: boolean): VisitRule {
  if (village.kind === 'community') {
    if (atTownSeat) return { minVisitsPerWeek: 7, allowedDays: [...WEEKDAYS], serviceS: COMMUNITY_SERVICE_S };
    return { minVisitsPerWeek: 5, allowedDays: [...WEEKDAYS], serviceS: COMMUNITY_SERVICE_S };
  }
  return { minVisitsPerWeek: 3, allowedDays: [1, 2, 3, 4, 5, 6], serviceS: VILLAGE_SERVICE_S };
}

/** A town is an urban subdistrict (街道) rather than a town (镇) or township (乡). */
export function isSubdistrict(town: Division): boolean {
  return /街道(办事处)?$/.test(town.name);
}

/**
 * Which village-level units sit at their town seat (see defaultVisitRule): every community of a
 * 街道, and the lowest-coded community of each 镇/乡. Returns their codes.
 */
export function townSeatCommunities(divisions: readonly Division[]): Set<string> {
  const towns = new Map<string, Division>();
  for (const d of divisions) if (d.level === 'town') towns.set(d.code, d);
  const out = new Set<string>();
  const firstOfTown = new Map<string, string>();
  for (const d of divisions) {
    if (d.level !== 'village' || d.kind !== 'community' || !d.parent) continue;
    const town = towns.get(d.parent);
    if (town && isSubdistrict(town)) out.add(d.code);
    const first = firstOfTown.get(d.parent);
    if (first === undefined || d.code < first) firstOfTown.set(d.parent, d.code);
  }
  for (const code of firstOfTown.values()) out.add(code);
  return out;
}

/** Number of distinct weekdays among all the given day lists. */
export function distinctDays(...lists: ReadonlyArray<readonly number[]>): number {
  const s = new Set<number>();
  for (const l of lists) for (const d of l) s.add(d);
  return s.size;
}

export function isWeekday(x: unknown): x is Weekday {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 7;
}

const CN_DAY: Record<string, Weekday> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 七: 7 };
const EN_DAY: Record<string, Weekday> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

/**
 * Parses a weekday list as people type it: "1,3,5", "1、3、5", "135", "1-5", "一三五", "周一至周五",
 * "星期一、三、五", "每天"/"每日"/"daily", "mon,wed,fri". Returns sorted unique days, or an error message.
 */
export function parseDays(input: string): { ok: true; value: Weekday[] } | { ok: false; message: string } {
  const raw = input.trim().toLowerCase();
  if (raw === '') return { ok: false, message: 'no days given' };
  if (/^(每天|每日|天天|daily|全周|1-7)$/.test(raw)) return { ok: true, value: [...WEEKDAYS] };
  let s = raw
    .replace(/星期|礼拜|周/g, '')
    .replace(/至|到|~|～|—|–/g, '-')
    .replace(/[，、；;/\s]+/g, ',')
    .replace(/\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*/g, (m) => String(EN_DAY[m.slice(0, 3)] ?? m))
    .replace(/[一二三四五六日天七]/g, (c) => String(CN_DAY[c] ?? c));
  s = s.replace(/,+/g, ',').replace(/^,|,$/g, '');
  if (!/^[0-9,-]+$/.test(s)) return { ok: false, message: `"${input}" is not a list of weekdays (1 = Mon … 7 = Sun, e.g. "1,3,5" or "一三五")` };
  const days = new Set<Weekday>();
  for (const part of s.split(',')) {
    if (part === '') continue;
    const range = /^(\d)-(\d)$/.exec(part);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      if (!isWeekday(a) || !isWeekday(b) || a > b) return { ok: false, message: `"${part}" is not a weekday range within 1-7` };
      for (let d = a; d <= b; d++) days.add(d as Weekday);
      continue;
    }
    if (!/^\d+$/.test(part)) return { ok: false, message: `"${part}" is not a weekday` };
    // "135" means Mon, Wed, Fri: each digit is one day.
    for (const ch of part) {
      const d = Number(ch);
      if (!isWeekday(d)) return { ok: false, message: `weekday ${ch} is outside 1-7 (1 = Mon … 7 = Sun)` };
      days.add(d);
    }
  }
  if (days.size === 0) return { ok: false, message: 'no days given' };
  return { ok: true, value: [...days].sort((a, b) => a - b) };
}

/** Canonical text form of a day list: "1,3,5". parseDays(formatDays(d)) = d. */
export function formatDays(days: readonly number[]): string {
  return [...days].sort((a, b) => a - b).join(',');
}

// ---------------------------------------------------------------------------------------------
// Opening hours
// ---------------------------------------------------------------------------------------------

export interface OpeningSpan {
  days: Weekday[];
  /** Minutes since midnight, from < to, to ≤ 1440. */
  intervals: Array<{ from: number; to: number }>;
}

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** "07:30" → 450; "24:00" → 1440; otherwise undefined. */
export function parseClock(s: string): number | undefined {
  const t = s.trim();
  if (!TIME_RE.test(t)) return undefined;
  const [h, m] = t.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function isDepartureTime(s: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(s);
}

/**
 * Opening hours grammar:
 *   hours   := span (";" span)*
 *   span    := [days " "] interval ("," interval)*  |  days " closed"
 *   interval:= HH:MM "-" HH:MM        (from < to, 24:00 allowed as an end)
 *   days    := as parseDays, without spaces ("1-5", "6,7", "一至五")
 * A span without days means every day. Examples: "08:00-18:00", "1-5 08:00-18:00; 6-7 09:00-12:00",
 * "1-5 08:00-12:00,14:00-17:30; 7 closed". A day may appear in one span only.
 */
export function parseOpeningHours(input: string): { ok: true; value: OpeningSpan[] } | { ok: false; message: string } {
  const text = input.trim().replace(/；/g, ';').replace(/，/g, ',').replace(/[～~—–]/g, '-').replace(/：/g, ':');
  if (text === '') return { ok: false, message: 'opening hours are empty (e.g. "08:00-18:00")' };
  const spans: OpeningSpan[] = [];
  const seen = new Set<number>();
  for (const rawSpan of text.split(';')) {
    const span = rawSpan.trim();
    if (span === '') continue;
    const m = /^(?:(\S+)\s+)?(closed|休息|\d{2}:\d{2}-\d{2}:\d{2}(?:\s*,\s*\d{2}:\d{2}-\d{2}:\d{2})*)$/i.exec(span);
    if (!m) return { ok: false, message: `"${span}" is not like "08:00-18:00" or "1-5 08:00-18:00"` };
    let days: Weekday[] = [...WEEKDAYS];
    if (m[1] !== undefined) {
      const parsed = parseDays(m[1]);
      if (!parsed.ok) return { ok: false, message: parsed.message };
      days = parsed.value;
    }
    for (const d of days) {
      if (seen.has(d)) return { ok: false, message: `weekday ${d} appears in more than one span` };
      seen.add(d);
    }
    const body = m[2] ?? '';
    const intervals: Array<{ from: number; to: number }> = [];
    if (!/^(closed|休息)$/i.test(body)) {
      let lastEnd = -1;
      for (const part of body.split(',')) {
        const [a, b] = part.trim().split('-');
        const from = parseClock(a ?? '');
        const to = parseClock(b ?? '');
        if (from === undefined || to === undefined || from === 1440) return { ok: false, message: `"${part.trim()}" has an invalid time (HH:MM, 00:00-24:00)` };
        if (from >= to) return { ok: false, message: `"${part.trim()}" ends before it starts` };
        if (from < lastEnd) return { ok: false, message: `"${body}" has overlapping or unordered intervals` };
        lastEnd = to;
        intervals.push({ from, to });
      }
    }
    spans.push({ days, intervals });
  }
  if (spans.length === 0) return { ok: false, message: 'opening hours are empty (e.g. "08:00-18:00")' };
  return { ok: true, value: spans };
}
