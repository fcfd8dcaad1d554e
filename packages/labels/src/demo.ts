/**
 * Deterministic demo orders (黔货出山: products of Qiannan shipped across China) in the shape of a
 * Taobao order export. Used by `cuntong labels --demo N` and the benches. Seeded, no Math.random.
 */
import { regionIndex } from '@cuntong/domain/orders/regions.ts';
import type { LabelParty } from './label.ts';

export const DEMO_HEADER = ['订单编号', '收货人姓名', '联系手机', '收货地址', '宝贝标题', '购买数量', '重量(kg)', '买家留言'];

export const DEMO_SENDER: LabelParty = {
  name: '惠水县好花红米粉专业合作社',
  organization: true,
  phone: '0854-6221234',
  region: '贵州省黔南布依族苗族自治州惠水县',
  address: '好花红镇好花红村3组',
};

const PRODUCTS: Array<[name: string, minG: number, maxG: number]> = [
  ['惠水米粉（干粉）5斤装', 2500, 2700],
  ['惠水黑糯米酒 500ml×2', 1300, 1500],
  ['都匀毛尖 明前特级 250g', 400, 600],
  ['刺梨原汁 280ml×6', 2000, 2300],
  ['荔波蜜柚 2个装', 2800, 3600],
  ['罗甸火龙果 5斤', 2500, 2800],
  ['长顺绿壳鸡蛋 30枚', 1900, 2200],
  ['独山盐酸菜 500g×2', 1100, 1300],
  ['瓮安黄粑 10个', 1400, 1600],
  ['三都水族马尾绣 手包', 300, 500],
  ['龙里刺梨干 250g', 300, 400],
  ['平塘豆腐干 礼盒', 900, 1200],
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韦蒙石龙潘吴杨'.split('');
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国红梅玉珍德福'.split('');
const ROADS = ['人民路', '建设路', '中山路', '解放路', '文化路', '新华路', '胜利路', '青年路', '和平路', '幸福路'];
const TOWNS = ['城关镇', '新城街道', '东城街道', '城南街道', '江北镇', '河西街道'];
/** Destination weights by province: Guizhou and neighbours first, then the big consumer markets. */
const PROVINCE_WEIGHT: Record<string, number> = { '52': 30, '44': 14, '31': 8, '11': 7, '33': 7, '32': 6, '51': 6, '50': 5, '53': 3, '45': 3, '43': 3, '42': 3, '37': 2, '65': 1, '54': 1 };

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoOptions {
  seed?: number;
  /** Share of rows with a deliberate error (bad phone, unknown address, empty weight), 0–1. */
  errorRate?: number;
  /** Share of empty rows, 0–1. */
  emptyRate?: number;
}

/** Header + `n` data rows (plus empty rows if asked), as cell text. */
export function demoOrderRows(n: number, opts: DemoOptions = {}): string[][] {
  const rand = rng(opts.seed ?? 20261130);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const idx = regionIndex();
  const counties = new Map<string, Array<{ text: string }>>();
  for (const p of idx.provinces) {
    const list: Array<{ text: string }> = [];
    for (const c of p.children) {
      for (const k of c.children) list.push({ text: p.name + (c.virtual || c.name === k.name ? '' : c.name) + k.name });
    }
    counties.set(p.code, list);
  }
  const weighted: string[] = [];
  for (const p of idx.provinces) for (let i = 0; i < (PROVINCE_WEIGHT[p.code] ?? 1); i++) weighted.push(p.code);

  const rows: string[][] = [DEMO_HEADER];
  for (let i = 0; i < n; i++) {
    if (opts.emptyRate && rand() < opts.emptyRate) rows.push(['', '', '', '', '', '', '', '']);
    const [product, minG, maxG] = pick(PRODUCTS);
    const qty = rand() < 0.8 ? 1 : 2 + Math.floor(rand() * 3);
    const weightKg = (((minG + rand() * (maxG - minG)) * qty) / 1000).toFixed(2);
    const name = pick(SURNAMES) + pick(GIVEN) + (rand() < 0.7 ? pick(GIVEN) : '');
    let phone = `1${pick(['3', '5', '7', '8', '9'])}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;
    const county = pick(counties.get(pick(weighted)) ?? []);
    let address = `${county.text}${pick(TOWNS)}${pick(ROADS)}${1 + Math.floor(rand() * 300)}号`;
    if (rand() < 0.5) address += `${1 + Math.floor(rand() * 20)}栋${1 + Math.floor(rand() * 4)}单元${1 + Math.floor(rand() * 18)}0${1 + Math.floor(rand() * 4)}室`;
    let weight = weightKg;
    if (opts.errorRate && rand() < opts.errorRate) {
      const kind = Math.floor(rand() * 3);
      if (kind === 0) phone = phone.slice(0, 9);
      else if (kind === 1) address = `火星${address.slice(6)}`;
      else weight = '';
    }
    rows.push([`TB${String(2026113000000 + i)}`, name, phone, address, product, String(qty), weight, rand() < 0.1 ? '请尽快发货' : '']);
  }
  return rows;
}
