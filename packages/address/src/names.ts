/**
 * The forms in which a division name appears in addresses: full, with the suffix only
 * (黔南州, 三都县, 归兰乡), bare (黔南, 三都, 匀东, 鸡贾), and the committee forms of villages.
 * Pure string functions; every form is passed through the normaliser by the index.
 */

/** The 56 nationalities, longest first so that 布依族 is stripped before 依族 could be. */
const ETHNIC = [
  '柯尔克孜族', '乌孜别克族', '俄罗斯族', '维吾尔族', '达斡尔族', '鄂伦春族', '鄂温克族', '哈萨克族', '塔吉克族', '塔塔尔族',
  '布依族', '朝鲜族', '土家族', '哈尼族', '傈僳族', '高山族', '拉祜族', '东乡族', '纳西族', '景颇族', '仫佬族', '布朗族',
  '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族', '普米族', '德昂族', '保安族', '裕固族', '独龙族', '赫哲族', '门巴族',
  '珞巴族', '基诺族', '蒙古族', '汉族', '回族', '藏族', '苗族', '彝族', '壮族', '满族', '侗族', '瑶族', '白族', '傣族',
  '黎族', '佤族', '畲族', '水族', '土族', '羌族', '怒族', '京族', '各族',
];

/** Strips trailing nationality names: 黔南布依族苗族 → 黔南, 三都水族 → 三都. Keeps at least 2 characters. */
export function stripEthnic(base: string): string {
  let s = base;
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of ETHNIC) {
      if (s.endsWith(e) && s.length - e.length >= 2) { s = s.slice(0, -e.length); changed = true; break; }
    }
  }
  return s;
}

export interface NameForms {
  /** Forms with a level marker (鸡贾村, 匀东镇, 三都县, 黔南州): strong evidence. */
  marked: string[];
  /** The bare name (鸡贾, 匀东, 三都, 黔南): weaker evidence, only 2+ characters. */
  bare: string[];
}

const uniq = (xs: string[]) => [...new Set(xs.filter((x) => x.length > 0))];

/** Province: 贵州省 / 贵州; 广西壮族自治区 / 广西; 北京市 / 北京; 香港特别行政区 / 香港. */
export function provinceForms(name: string): NameForms {
  const m = /^(.+?)(?:省|市|特别行政区|(?:壮族|回族|维吾尔)?自治区)$/.exec(name);
  const bare = m?.[1] ?? name;
  return { marked: uniq([name, bare + (name.endsWith('省') ? '省' : '')].filter((x) => x !== bare)), bare: bare.length >= 2 ? [bare] : [] };
}

/** Prefecture: 黔南布依族苗族自治州 / 黔南州 / 黔南自治州 / 黔南; 贵阳市 / 贵阳; 大兴安岭地区 / 大兴安岭. */
export function prefectureForms(name: string): NameForms {
  let m = /^(.+?)自治州$/.exec(name);
  if (m?.[1]) {
    const base = stripEthnic(m[1]);
    return { marked: uniq([name, base + '州', base + '自治州', m[1] + '州']), bare: base.length >= 2 ? [base] : [] };
  }
  m = /^(.+?)(市|地区|盟)$/.exec(name);
  if (m?.[1]) return { marked: uniq([name, m[2] === '地区' ? m[1] + '市' : '']), bare: m[1].length >= 2 ? [m[1]] : [] };
  return { marked: [name], bare: [] };
}

/** County: 三都水族自治县 / 三都县 / 三都; 都匀市 / 都匀; 云岩区 / 云岩. */
export function countyForms(name: string): NameForms {
  let m = /^(.+?)自治(县|旗)$/.exec(name);
  if (m?.[1]) {
    const base = stripEthnic(m[1]);
    return { marked: uniq([name, base + m[2], base + '自治' + m[2]]), bare: base.length >= 2 ? [base] : [] };
  }
  m = /^(.+?)(县|市|区|旗|特区|林区)$/.exec(name);
  if (m?.[1]) return { marked: [name], bare: m[1].length >= 2 ? [m[1]] : [] };
  return { marked: [name], bare: [] };
}

const TOWN_SUFFIXES = ['镇', '乡', '街道', '街道办事处', '街道办', '办事处'];

/** Town: 匀东镇 / 匀东乡 / 匀东; 归兰水族乡 / 归兰乡 / 归兰; 广惠街道 / 广惠街道办事处 / 广惠. */
export function townForms(name: string): NameForms {
  const m = /^(.+?)(镇|乡|街道|街道办事处|办事处|苏木|民族乡)$/.exec(name);
  if (!m?.[1]) return { marked: [name], bare: [] };
  let base = m[1];
  if (m[2] === '乡' || m[2] === '民族乡') base = stripEthnic(base.replace(/民族$/, ''));
  const marked = [name, ...TOWN_SUFFIXES.map((s) => base + s)];
  return { marked: uniq(marked), bare: base.length >= 2 ? [base] : [] };
}

/** Village-level unit from its short name: 鸡贾村 / 鸡贾村委会 / 鸡贾村村民委员会 / 鸡贾; 文峰社区 / 文峰社区居委会 / 文峰. */
export function villageForms(shortName: string, fullName?: string): NameForms {
  const marked: string[] = [shortName];
  if (fullName) marked.push(fullName);
  let base = shortName;
  if (shortName.endsWith('村')) {
    base = shortName.slice(0, -1);
    marked.push(base + '村委会', base + '村村委会', base + '村民委员会', base + '村村民委员会', base + '村委');
  } else if (shortName.endsWith('社区')) {
    base = shortName.slice(0, -2);
    marked.push(shortName + '居委会', shortName + '居民委员会', base + '居委会', base + '居民委员会');
  }
  return { marked: uniq(marked), bare: base !== shortName && base.length >= 2 ? [base] : [] };
}
