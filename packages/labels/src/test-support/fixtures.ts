import type { LabelData } from '../label.ts';

/** A label with full personal data, as the renderer receives it. */
export const SAMPLE_LABEL: LabelData = {
  waybillNo: '95270000000013',
  destination: '广东 深圳 南山区',
  sortCode: '755-NS',
  date: '2026-11-30',
  recipient: { name: '张小娟', phone: '13812345678', address: '科技园科苑路15号5栋2单元301', region: '广东省深圳市南山区' },
  sender: { name: '王建国', phone: '0854-8221234', address: '和平镇新民村3组45号', region: '贵州省黔南布依族苗族自治州惠水县' },
  weightG: 1500,
  product: '惠水米粉（干粉）5斤装',
  quantity: 2,
  orderNo: 'TB20261130001',
  remark: '易碎，轻放',
};
