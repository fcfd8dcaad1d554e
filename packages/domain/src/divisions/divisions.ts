/**
 * Administrative divisions (行政区划): the reference data every address, outlet and route hangs on.
 * Codes stay as the statistics bureau writes them: 2 digits (province), 4 (prefecture),
 * 6 (county), 9 (town), 12 (village-level unit).
 */
export type DivisionLevel = 'province' | 'prefecture' | 'county' | 'town' | 'village';
/** Village-level units are either rural village committees or urban community committees. */
export type VillageKind = 'village' | 'community';

export interface Division {
  code: string;
  name: string;
  /** Name without the committee suffix: 鸡贾村 for 鸡贾村村民委员会, 文峰社区 for 文峰社区居民委员会. */
  shortName: string;
  level: DivisionLevel;
  /** Parent code; absent for provinces. */
  parent?: string;
  /** Only for level 'village'. */
  kind?: VillageKind;
}

/** A renamed or merged unit: the old name still appears in addresses. */
export interface DivisionAlias {
  alias: string;
  /** Code of the unit the old name now belongs to. */
  code: string;
  level: DivisionLevel;
  note?: string;
}

export interface DivisionExtract {
  /** The region this extract covers (a province or prefecture code). */
  region: string;
  source: string;
  divisions: Division[];
  aliases: DivisionAlias[];
}

export function levelOfCode(code: string): DivisionLevel {
  switch (code.length) {
    case 2: return 'province';
    case 4: return 'prefecture';
    case 6: return 'county';
    case 9: return 'town';
    case 12: return 'village';
    default: throw new Error(`not a division code: ${code}`);
  }
}

export function parentOfCode(code: string): string | undefined {
  switch (code.length) {
    case 4: return code.slice(0, 2);
    case 6: return code.slice(0, 4);
    case 9: return code.slice(0, 6);
    case 12: return code.slice(0, 9);
    default: return undefined;
  }
}

const COMMITTEE_SUFFIXES: Array<[RegExp, string]> = [
  [/村村民委员会$/, '村'],
  [/村民委员会$/, '村'],
  [/村委会$/, '村'],
  [/社区居民委员会$/, '社区'],
  [/社区居委会$/, '社区'],
  [/居民委员会$/, '社区'],
  [/居委会$/, '社区'],
];

/** The name people write: 鸡贾村村民委员会 → 鸡贾村; 文峰社区居民委员会 → 文峰社区. */
export function villageShortName(name: string): string {
  for (const [re, repl] of COMMITTEE_SUFFIXES) {
    if (re.test(name)) return name.replace(re, repl);
  }
  return name;
}

/** Village committees (村民委员会) are rural; everything else at that level is an urban community. */
export function villageKind(name: string): VillageKind {
  if (/社区|居民委员会|居委会/.test(name)) return 'community';
  if (/村民委员会$|村委会$|村$/.test(name)) return 'village';
  return 'community';
}

export interface RawDivisionRow { code: string; name: string }

/**
 * Builds a compact extract for one region from the full national lists (pure; the caller reads files).
 * `region` is a province (2 digits) or prefecture (4 digits) code.
 */
export function buildExtract(
  region: string,
  raw: { provinces: RawDivisionRow[]; prefectures: RawDivisionRow[]; counties: RawDivisionRow[]; towns: RawDivisionRow[]; villages: RawDivisionRow[] },
  aliases: DivisionAlias[],
  source: string,
): DivisionExtract {
  if (!/^\d{2}(\d{2})?$/.test(region)) throw new Error(`region must be a 2-digit province or 4-digit prefecture code, got "${region}"`);
  const inRegion = (code: string) => code.startsWith(region);
  const divisions: Division[] = [];
  const province = raw.provinces.find((p) => p.code === region.slice(0, 2));
  if (!province) throw new Error(`unknown province for region ${region}`);
  divisions.push({ code: province.code, name: province.name, shortName: shortRegionName(province.name), level: 'province' });
  const prefectures = raw.prefectures.filter((p) => inRegion(p.code) || region.startsWith(p.code));
  if (region.length === 4 && prefectures.length === 0) throw new Error(`unknown prefecture ${region}`);
  for (const p of prefectures) divisions.push({ code: p.code, name: p.name, shortName: shortRegionName(p.name), level: 'prefecture', parent: p.code.slice(0, 2) });
  for (const c of raw.counties.filter((r) => inRegion(r.code))) divisions.push({ code: c.code, name: c.name, shortName: shortRegionName(c.name), level: 'county', parent: c.code.slice(0, 4) });
  for (const t of raw.towns.filter((r) => inRegion(r.code))) divisions.push({ code: t.code, name: t.name, shortName: t.name, level: 'town', parent: t.code.slice(0, 6) });
  for (const v of raw.villages.filter((r) => inRegion(r.code))) {
    divisions.push({ code: v.code, name: v.name, shortName: villageShortName(v.name), level: 'village', parent: v.code.slice(0, 9), kind: villageKind(v.name) });
  }
  divisions.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const known = new Set(divisions.map((d) => d.code));
  return { region, source, divisions, aliases: aliases.filter((a) => known.has(a.code)) };
}

/** The 56 recognised ethnic groups, longest first, as they appear in autonomous-unit names. */
export const ETHNIC_GROUPS = [
  '柯尔克孜', '乌孜别克', '维吾尔', '哈萨克', '达斡尔', '鄂温克', '鄂伦春', '俄罗斯', '塔吉克', '塔塔尔',
  '蒙古', '布依', '朝鲜', '土家', '哈尼', '傈僳', '高山', '拉祜', '东乡', '纳西', '景颇', '仫佬', '布朗',
  '撒拉', '毛南', '仡佬', '锡伯', '阿昌', '普米', '德昂', '保安', '裕固', '独龙', '赫哲', '门巴', '珞巴', '基诺',
  '汉', '回', '藏', '苗', '彝', '壮', '满', '侗', '瑶', '白', '傣', '黎', '佤', '畲', '水', '土', '羌', '怒', '京',
];
const AUTONOMOUS = new RegExp(`^(.+?)(?:(?:${ETHNIC_GROUPS.join('|')})族)+自治(州|县|旗)$`);

/** 黔南布依族苗族自治州 → 黔南州, 三都水族自治县 → 三都县, 贵州省 → 贵州. Used for display and search. */
export function shortRegionName(name: string): string {
  const m = AUTONOMOUS.exec(name);
  if (m && m[1] && m[2]) return m[1] + m[2];
  if (name.endsWith('省') && name.length > 2) return name.slice(0, -1);
  return name;
}

export interface DivisionStats { prefecture: number; county: number; town: number; village: number; villageCommittee: number }

export function divisionStats(divisions: Division[]): DivisionStats {
  const s: DivisionStats = { prefecture: 0, county: 0, town: 0, village: 0, villageCommittee: 0 };
  for (const d of divisions) {
    if (d.level === 'prefecture') s.prefecture++;
    else if (d.level === 'county') s.county++;
    else if (d.level === 'town') s.town++;
    else if (d.level === 'village') {
      s.village++;
      if (d.kind === 'village') s.villageCommittee++;
    }
  }
  return s;
}
