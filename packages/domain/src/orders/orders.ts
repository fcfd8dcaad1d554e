/**
 * Pure parsing and validation of e-commerce order exports (Taobao/Tmall, Pinduoduo, Youzan, Douyin
 * and hand-made sheets). The file I/O is elsewhere (packages/labels/src/io/orders-file.ts turns a
 * Buffer into a RawTable); this module maps columns, validates rows and returns valid orders plus
 * rejected rows with the row numbers the user sees in the spreadsheet.
 */
import { invalid } from '../errors.ts';
import { regionIndex, type RegionIndex, type ResolvedRegion } from './regions.ts';

export type OrderField =
  | 'orderNo'
  | 'recipientName'
  | 'recipientPhone'
  | 'address'
  | 'province'
  | 'city'
  | 'county'
  | 'weight'
  | 'product'
  | 'quantity'
  | 'remark';

/** A sheet as cells of text; `row` is the 1-based row number shown by the spreadsheet program. */
export interface RawRow {
  row: number;
  cells: string[];
}
export interface RawTable {
  rows: RawRow[];
}

/** Header synonyms, compared after normalisation (no spaces, half-width brackets, lower case). */
export const HEADER_SYNONYMS: Record<OrderField, string[]> = {
  orderNo: ['订单号', '订单编号', '主订单编号', '子订单编号', '外部订单号', '订单id', '交易号', '商户订单号'],
  recipientName: ['收件人', '收货人', '收件人姓名', '收货人姓名', '收货人名称', '收件人名称', '联系人', '姓名', '买家姓名'],
  recipientPhone: ['手机', '手机号', '手机号码', '联系电话', '联系手机', '收件人电话', '收货人电话', '收件人手机', '收货人手机', '收货人手机号', '收件人手机号', '收货人联系方式', '联系方式', '电话'],
  address: ['收货地址', '详细地址', '收件地址', '收件人地址', '收货人地址', '地址', '收货人详细地址', '街道地址'],
  province: ['省', '省份', '收货省份', '收件省', '收货人省份', '所在省'],
  city: ['市', '城市', '收货城市', '收件市', '收货人城市', '所在市'],
  county: ['区', '区县', '县区', '区/县', '县', '收货区县', '收件区', '收货人区县', '所在区'],
  weight: ['重量', '重量kg', '重量(kg)', '重量(千克)', '包裹重量', '毛重', '商品重量', '重量(g)', '重量(克)', '重量g'],
  product: ['商品', '商品名称', '宝贝标题', '商品标题', '货品名称', '品名', '内件', '内件名称', '商品信息', '宝贝名称'],
  quantity: ['数量', '购买数量', '商品数量', '件数', '宝贝数量'],
  remark: ['备注', '买家留言', '卖家备注', '订单备注', '商家备注'],
};

export const REQUIRED_FIELDS: readonly OrderField[] = ['recipientName', 'recipientPhone', 'address'];

export function normalizeHeader(h: string): string {
  return h
    .normalize('NFKC') // full-width brackets and letters → half-width
    .replace(/\s+/g, '')
    .replace(/[*＊:：]/g, '')
    .toLowerCase();
}

export type ColumnMapping = Partial<Record<OrderField, number>>;

export interface ColumnDetection {
  /** Row number (1-based, as in the sheet) of the header row. */
  headerRow: number;
  mapping: ColumnMapping;
  headers: string[];
  /** Weight unit deduced from the weight header: (g)/(克) → grams, else kilograms. */
  weightUnit: 'kg' | 'g';
}

/**
 * Finds the header row within the first `scanRows` rows (exports sometimes start with a title
 * line) and maps columns. An explicit mapping (field → header text as in the file) wins over
 * auto-detection. Throws DomainError `orders.columns_missing` listing what is missing.
 */
export function detectColumns(table: RawTable, explicit: Partial<Record<OrderField, string>> = {}, scanRows = 10): ColumnDetection {
  let best: { row: RawRow; mapping: ColumnMapping; score: number } | undefined;
  for (const row of table.rows.slice(0, scanRows)) {
    const mapping = mapHeaders(row.cells, explicit);
    const score = Object.keys(mapping).length;
    if (score > 0 && (!best || score > best.score)) best = { row, mapping, score };
  }
  const headers = best?.row.cells ?? table.rows[0]?.cells ?? [];
  const mapping = best?.mapping ?? {};
  const hasAddress = mapping.address !== undefined || mapping.province !== undefined;
  const missing = REQUIRED_FIELDS.filter((f) => (f === 'address' ? !hasAddress : mapping[f] === undefined));
  if (missing.length > 0 || !best) {
    const names = missing.map((f) => `${FIELD_LABEL[f]}（${HEADER_SYNONYMS[f].slice(0, 3).join('/')}）`);
    throw invalid(
      'orders.columns_missing',
      `缺少必需的列：${names.join('，')}。找到的表头：${headers.filter((h) => h.trim() !== '').join('，') || '（无）'}`,
      missing.map((f) => ({ path: f, message: `missing column for ${f}` })),
    );
  }
  const weightHeader = mapping.weight !== undefined ? normalizeHeader(headers[mapping.weight] ?? '') : '';
  return { headerRow: best.row.row, mapping, headers, weightUnit: /\(g\)|克|^重量g$/.test(weightHeader) ? 'g' : 'kg' };
}

function mapHeaders(cells: string[], explicit: Partial<Record<OrderField, string>>): ColumnMapping {
  const norm = cells.map(normalizeHeader);
  const mapping: ColumnMapping = {};
  const used = new Set<number>();
  for (const [field, header] of Object.entries(explicit) as Array<[OrderField, string]>) {
    const i = norm.indexOf(normalizeHeader(header));
    if (i >= 0) {
      mapping[field] = i;
      used.add(i);
    }
  }
  for (const field of Object.keys(HEADER_SYNONYMS) as OrderField[]) {
    if (mapping[field] !== undefined) continue;
    // Earlier synonyms are more specific: 收货地址 before 地址.
    for (const syn of HEADER_SYNONYMS[field]) {
      const i = norm.findIndex((h, j) => !used.has(j) && h === normalizeHeader(syn));
      if (i >= 0) {
        mapping[field] = i;
        used.add(i);
        break;
      }
    }
  }
  return mapping;
}

export const FIELD_LABEL: Record<OrderField, string> = {
  orderNo: '订单号',
  recipientName: '收件人',
  recipientPhone: '手机/电话',
  address: '收货地址',
  province: '省',
  city: '市',
  county: '区县',
  weight: '重量',
  product: '商品',
  quantity: '数量',
  remark: '备注',
};

export interface ParsedOrder {
  /** Row number in the sheet. */
  row: number;
  orderNo?: string;
  recipientName: string;
  /** Normalised: 13812345678, 0854-8221234, 13812345678-1234 (virtual number with extension). */
  recipientPhone: string;
  region: ResolvedRegion;
  /** The full address as written (trimmed), for the office; labels print a masked form. */
  address: string;
  weightG?: number;
  product?: string;
  quantity: number;
  remark?: string;
}

export interface RejectedRow {
  row: number;
  field: OrderField | 'row';
  message: string;
}

export interface ParseOrdersOptions {
  explicitMapping?: Partial<Record<OrderField, string>>;
  /** Used when the sheet has no weight column or an empty weight cell; otherwise the row is rejected. */
  defaultWeightG?: number;
  maxWeightG?: number;
  regions?: RegionIndex;
  /** Stop after this many data rows (a guard, default 100,000). */
  maxRows?: number;
}

export interface ParseOrdersResult {
  orders: ParsedOrder[];
  rejected: RejectedRow[];
  /** Data rows seen (not counting empty rows and the header). */
  total: number;
  skippedEmpty: number;
  columns: ColumnDetection;
}

const MOBILE = /^1[3-9]\d{9}$/;

const AREA_CODE = /^0(?:10|2\d|[3-9]\d{2})$/;

/** Normalises and validates a phone number; returns null when it is not a mainland number. */
export function normalizePhone(input: string): string | null {
  const s = input.normalize('NFKC').trim().replace(/^(?:\+?86|0086)[\s-]*(?=1[3-9])/, '');
  // Virtual numbers with an extension: 13812345678-1234, 13812345678转1234, 138 1234 5678#1234
  const ext = /^(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4})\s*(?:-|_|#|,|转|ext\.?)\s*(\d{1,6})$/i.exec(s);
  if (ext) return `${(ext[1] ?? '').replace(/\D/g, '')}-${ext[2]}`;
  const compact = s.replace(/[\s-]/g, '');
  if (MOBILE.test(compact)) return compact;
  const groups = s.split(/\D+/).filter((g) => g !== '');
  const [area = '', local = '', extension] = groups;
  if (groups.length >= 2 && groups.length <= 3 && AREA_CODE.test(area) && /^[2-9]\d{6,7}$/.test(local)) {
    return `${area}-${local}${extension ? '-' + extension : ''}`;
  }
  const land = /^(0(?:10|2\d|[3-9]\d{2}))([2-9]\d{6,7})$/.exec(compact);
  if (groups.length === 1 && land) return `${land[1]}-${land[2]}`;
  return null;
}

/** Weight text → grams. Accepts 1.5, "1.5kg", "1500g", "1.5公斤", "3斤". */
export function parseWeightG(text: string, unit: 'kg' | 'g'): number | null {
  const s = text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  const m = /^(\d+(?:\.\d+)?)(kg|千克|公斤|g|克|斤)?$/.exec(s);
  if (!m) return null;
  const v = Number(m[1]);
  const u = m[2] ?? unit;
  const g = u === 'g' || u === '克' ? v : u === '斤' ? v * 500 : v * 1000;
  return Number.isFinite(g) ? Math.round(g) : null;
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');

/** Validates every data row after the header. Never throws for a bad row: it goes to `rejected`. */
export function parseOrders(table: RawTable, opts: ParseOrdersOptions = {}): ParseOrdersResult {
  const columns = detectColumns(table, opts.explicitMapping);
  const { mapping, headerRow, weightUnit } = columns;
  const regions = opts.regions ?? regionIndex();
  const maxWeightG = opts.maxWeightG ?? 50_000;
  const maxRows = opts.maxRows ?? 100_000;
  const orders: ParsedOrder[] = [];
  const rejected: RejectedRow[] = [];
  let total = 0;
  let skippedEmpty = 0;

  for (const r of table.rows) {
    if (r.row <= headerRow) continue;
    if (isBlank(r.cells)) {
      skippedEmpty++;
      continue;
    }
    total++;
    if (total > maxRows) throw invalid('orders.too_many_rows', `文件超过 ${maxRows} 行订单，请分批导入`);
    const get = (f: OrderField): string => {
      const i = mapping[f];
      return i === undefined ? '' : (r.cells[i] ?? '').trim();
    };
    const errors: RejectedRow[] = [];
    const reject = (field: OrderField, message: string) => errors.push({ row: r.row, field, message });

    const name = get('recipientName');
    if (name === '') reject('recipientName', '收件人为空');
    else if (Array.from(name).length > 30) reject('recipientName', '收件人姓名过长（超过 30 字）');

    const rawPhone = get('recipientPhone');
    const phone = normalizePhone(rawPhone);
    if (rawPhone === '') reject('recipientPhone', '手机/电话为空');
    else if (/e\+?\d+$/i.test(rawPhone)) reject('recipientPhone', `电话被表格显示为科学计数法（${rawPhone}），请把该列设为文本后重新导出`);
    else if (!phone) reject('recipientPhone', `电话格式不正确：${rawPhone}（手机 11 位 1[3-9] 开头，或带区号的固话）`);

    const detail = get('address');
    const prefix = [get('province'), get('city'), get('county')].join('');
    let region: ResolvedRegion | undefined;
    if (detail === '' && prefix === '') reject('address', '收货地址为空');
    else {
      // Exports either repeat the province/city/county in the address or keep them in their own columns.
      const first = regions.resolve(detail);
      const res = first.ok || prefix === '' ? first : regions.resolve(prefix + detail);
      if (res.ok) {
        region = res.region;
        if (region.detail === '') reject('address', '地址只有省市区，缺少详细地址');
      } else reject(mapping.address !== undefined ? 'address' : 'province', res.message);
    }

    let weightG: number | undefined;
    const w = get('weight');
    if (w !== '') {
      const g = parseWeightG(w, weightUnit);
      if (g === null || g <= 0) reject('weight', `重量格式不正确：${w}`);
      else if (g > maxWeightG) reject('weight', `重量 ${g / 1000} kg 超过上限 ${maxWeightG / 1000} kg`);
      else weightG = g;
    } else if (opts.defaultWeightG !== undefined) weightG = opts.defaultWeightG;
    else if (mapping.weight !== undefined) reject('weight', '重量为空');

    let quantity = 1;
    const q = get('quantity');
    if (q !== '') {
      const n = Number(q.normalize('NFKC'));
      if (!Number.isInteger(n) || n <= 0 || n > 9999) reject('quantity', `数量应为正整数：${q}`);
      else quantity = n;
    }

    if (errors.length > 0 || !region || !phone) {
      rejected.push(...errors);
      continue;
    }
    const orderNo = get('orderNo');
    const product = get('product');
    const remark = get('remark');
    orders.push({
      row: r.row,
      ...(orderNo ? { orderNo } : {}),
      recipientName: name,
      recipientPhone: phone,
      region,
      address: detail || prefix,
      ...(weightG !== undefined ? { weightG } : {}),
      ...(product ? { product } : {}),
      quantity,
      ...(remark ? { remark } : {}),
    });
  }
  return { orders, rejected, total, skippedEmpty, columns };
}
