import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { detectColumns, normalizePhone, parseOrders, parseWeightG, type RawTable } from './orders.ts';
import { regionIndex } from './regions.ts';

const table = (rows: string[][], firstRow = 1): RawTable => ({ rows: rows.map((cells, i) => ({ row: firstRow + i, cells })) });

describe('region resolver', () => {
  const idx = regionIndex();
  it.each([
    ['贵州省黔南布依族苗族自治州惠水县和平镇新民村3组', '52', '5227', '522731', '和平镇新民村3组'],
    ['贵州黔南州惠水县和平镇', '52', '5227', '522731', '和平镇'],
    ['黔南州都匀市剑江中路8号', '52', '5227', '522701', '剑江中路8号'],
    ['惠水县好花红镇', '52', '5227', '522731', '好花红镇'],
    ['北京市朝阳区建国路88号', '11', '1101', '110105', '建国路88号'],
    ['北京朝阳区建国路88号', '11', '1101', '110105', '建国路88号'],
    ['上海市浦东新区张杨路500号', '31', '3101', '310115', '张杨路500号'],
    ['重庆市巫山县龙门街道', '50', '5002', '500237', '龙门街道'],
    ['天津市和平区南京路', '12', '1201', '120101', '南京路'],
    ['广西壮族自治区南宁市青秀区民族大道', '45', '4501', '450103', '民族大道'],
    ['广西南宁市青秀区民族大道', '45', '4501', '450103', '民族大道'],
    ['内蒙古呼和浩特市新城区', '15', '1501', '150102', ''],
    ['新疆维吾尔自治区乌鲁木齐市天山区', '65', '6501', '650102', ''],
    ['广东省东莞市长安镇', '44', '4419', '441900', '长安镇'],
    ['湖北省仙桃市干河街道', '42', '4290', '429004', '干河街道'],
    ['吉林省吉林市船营区', '22', '2202', '220204', ''],
    ['吉林市船营区', '22', '2202', '220204', ''],
    ['广东省 深圳市 南山区 科技园', '44', '4403', '440305', '科技园'],
  ])('%s', (text, p, c, k, detail) => {
    const r = idx.resolve(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([r.region.province.code, r.region.city.code, r.region.county.code, r.region.detail]).toEqual([p, c, k, detail]);
  });

  it('reports what is missing or ambiguous', () => {
    expect(idx.resolve('火星基地1号')).toMatchObject({ ok: false, reason: 'province_unknown' });
    expect(idx.resolve('贵州省某某县')).toMatchObject({ ok: false, reason: 'city_unknown' });
    expect(idx.resolve('朝阳区建国路')).toMatchObject({ ok: false, reason: 'ambiguous' }); // 北京 and 长春
    expect(idx.resolve('  ')).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('gives short display names for sorting', () => {
    expect(idx.displayName('522731')).toBe('贵州 黔南 惠水县');
    expect(idx.displayName('110105')).toBe('北京 朝阳区');
    expect(idx.displayName('441900')).toBe('广东 东莞市');
    expect(idx.displayName('654022')).toBe('新疆 伊犁 察布查尔锡伯自治县');
    expect(idx.resolve('新疆伊犁州察布查尔县')).toMatchObject({ ok: true, region: { county: { code: '654022' } } });
  });
});

describe('phones and weights', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['+86 138-1234-5678', '13812345678'],
    ['13812345678-1234', '13812345678-1234'],
    ['13812345678转1234', '13812345678-1234'],
    ['0854-8221234', '0854-8221234'],
    ['(0854)8221234', '0854-8221234'],
    ['010-88886666-801', '010-88886666-801'],
    ['01088886666', '010-88886666'],
    ['12812345678', null],
    ['1381234567', null],
    ['abc', null],
    ['0854-1234', null],
  ])('%s → %s', (input, out) => {
    expect(normalizePhone(input)).toBe(out);
  });

  it('parses weights with units', () => {
    expect(parseWeightG('1.5', 'kg')).toBe(1500);
    expect(parseWeightG('1500', 'g')).toBe(1500);
    expect(parseWeightG('2kg', 'g')).toBe(2000);
    expect(parseWeightG('3斤', 'kg')).toBe(1500);
    expect(parseWeightG('1.5 公斤', 'kg')).toBe(1500);
    expect(parseWeightG('heavy', 'kg')).toBeNull();
  });
});

describe('column detection', () => {
  it('recognises Taobao-style headers below a title row', () => {
    const t = table([['订单导出 2026-11-30'], ['订单编号', '收货人姓名', '联系手机', '收货地址', '宝贝标题', '购买数量', '重量（g）']]);
    const d = detectColumns(t);
    expect(d.headerRow).toBe(2);
    expect(d.mapping).toMatchObject({ orderNo: 0, recipientName: 1, recipientPhone: 2, address: 3, product: 4, quantity: 5, weight: 6 });
    expect(d.weightUnit).toBe('g');
  });

  it('recognises Pinduoduo-style split address columns', () => {
    const d = detectColumns(table([['订单号', '收件人', '手机', '省', '市', '区', '详细地址', '商品', '数量']]));
    expect(d.mapping).toMatchObject({ province: 3, city: 4, county: 5, address: 6 });
    expect(d.weightUnit).toBe('kg');
  });

  it('takes an explicit mapping over auto-detection', () => {
    const d = detectColumns(table([['客户', '号码', '送货到']]), { recipientName: '客户', recipientPhone: '号码', address: '送货到' });
    expect(d.mapping).toEqual({ recipientName: 0, recipientPhone: 1, address: 2 });
  });

  it('throws a clear error naming the missing columns and the headers found', () => {
    try {
      detectColumns(table([['订单号', '收件人', '商品']]));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      const err = e as DomainError;
      expect(err.code).toBe('orders.columns_missing');
      expect(err.message).toContain('手机/电话');
      expect(err.message).toContain('收货地址');
      expect(err.message).toContain('订单号，收件人，商品');
      expect(err.errors.map((x) => x.path)).toEqual(['recipientPhone', 'address']);
    }
  });
});

describe('parseOrders', () => {
  const header = ['订单号', '收件人', '手机', '收货地址', '重量', '商品', '数量'];
  it('returns valid orders and rejected rows with sheet row numbers, skipping empty rows', () => {
    const t = table([
      header,
      ['A1', '张小娟', '13812345678', '广东省深圳市南山区科技园科苑路15号5栋2单元301', '1.5', '惠水黑糯米酒', '2'],
      ['', '', '', '', '', '', ''],
      ['A2', '李四', '1381234', '贵州省黔南布依族苗族自治州惠水县和平镇', '1', '米粉', '1'],
      ['A3', '', '13812345678', '火星', 'x', '', '0'],
      ['  ', ' '],
      ['A4', '王五', '0854-8221234', '四川省成都市武侯区人民南路4段', '2', '刺梨干', ''],
      ['A5', '赵六', '1.38123E+10', '四川省成都市武侯区人民南路', '2', '', ''],
    ]);
    const r = parseOrders(t);
    expect(r.orders.map((o) => [o.row, o.orderNo, o.region.county.code, o.weightG, o.quantity])).toEqual([
      [2, 'A1', '440305', 1500, 2],
      [7, 'A4', '510107', 2000, 1],
    ]);
    expect(r.skippedEmpty).toBe(2);
    expect(r.total).toBe(5);
    const byRow = (row: number) => r.rejected.filter((x) => x.row === row).map((x) => x.field);
    expect(byRow(4)).toEqual(['recipientPhone']);
    expect(byRow(5)).toEqual(['recipientName', 'address', 'weight', 'quantity']);
    expect(r.rejected.find((x) => x.row === 8)?.message).toMatch(/科学计数法/);
  });

  it('combines split province/city/county columns with the detail', () => {
    const t = table([
      ['收货人', '联系电话', '省', '市', '区', '详细地址'],
      ['张三', '13900000000', '贵州省', '黔南布依族苗族自治州', '长顺县', '广顺镇来远村五组'],
      ['李四', '13900000001', '北京', '北京市', '朝阳区', '北京市朝阳区建国路88号'],
    ]);
    const r = parseOrders(t);
    expect(r.rejected).toEqual([]);
    expect(r.orders.map((o) => [o.region.county.code, o.region.detail])).toEqual([
      ['522729', '广顺镇来远村五组'],
      ['110105', '建国路88号'],
    ]);
  });

  it('uses the default weight when there is no weight column', () => {
    const r = parseOrders(table([['收件人', '手机', '地址'], ['张三', '13900000000', '贵州省都匀市文峰路1号']]), { defaultWeightG: 1000 });
    expect(r.orders[0]?.weightG).toBe(1000);
    expect(r.orders[0]?.region.city.code).toBe('5227');
  });
});

describe('region resolver over the whole national list', () => {
  it('resolves every county from its full written path, and from the path without the province', () => {
    const idx = regionIndex();
    const failures: string[] = [];
    for (const p of idx.provinces) {
      for (const c of p.children) {
        for (const k of c.children) {
          const cityPart = c.virtual || c.name === k.name ? '' : c.name;
          for (const text of [`${p.name}${cityPart}${k.name}某某路1号`, `${cityPart || p.name}${k.name}某某路1号`]) {
            const r = idx.resolve(text);
            if (!r.ok || r.region.county.code !== k.code || r.region.detail !== '某某路1号') failures.push(`${text} → ${r.ok ? r.region.county.code : r.reason}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
