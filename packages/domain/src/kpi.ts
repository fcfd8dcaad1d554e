/**
 * The branch's KPI formulas (pure). The server gathers the counts; these turn them into figures,
 * and each figure carries the sentence that explains it (shown as a tooltip in the console).
 */
export type KpiKey =
  | 'villages' | 'directMailRate' | 'frequencyCompliance' | 'parcelsIn' | 'delivered' | 'atStations'
  | 'exceptions' | 'deliveryHoursAvg' | 'deliveryHoursP90' | 'stationPickupRate' | 'parcelsOut';

export interface KpiFigure {
  key: KpiKey;
  /** null when the data the figure needs is not recorded yet (never a made-up zero). */
  value: number | null;
  unit: 'count' | 'ratio' | 'hours';
  formula: { zh: string; en: string };
}

export const KPI_FORMULAS: Record<KpiKey, { unit: KpiFigure['unit']; zh: string; en: string }> = {
  villages: { unit: 'count', zh: '服务范围内的行政村（村民委员会）数', en: 'Administrative villages (village committees) in scope' },
  directMailRate: { unit: 'ratio', zh: '直接通邮率 = 有投递段或班车直接到达的行政村数 ÷ 行政村总数', en: 'Direct-mail rate = villages reached directly by a delivery route or bus stop ÷ all administrative villages' },
  frequencyCompliance: { unit: 'ratio', zh: '频次达标率 = 计划每周投递次数 ≥ 规则要求的村（含社区）数 ÷ 村（含社区）总数', en: 'Frequency compliance = village-level units whose planned visits per week meet their rule ÷ all units' },
  parcelsIn: { unit: 'count', zh: '期间内交接入库的进村包裹数', en: 'Inbound parcels handed over in the period' },
  delivered: { unit: 'count', zh: '期间内妥投（上门或站点取件）的包裹数', en: 'Parcels delivered (door or collected at a station) in the period' },
  atStations: { unit: 'count', zh: '期末仍在村邮站/驿站待取的包裹数', en: 'Parcels waiting at stations at the end of the period' },
  exceptions: { unit: 'count', zh: '期间内登记异常（地址、破损、丢失）的包裹数', en: 'Parcels with an exception (address, damage, loss) in the period' },
  deliveryHoursAvg: { unit: 'hours', zh: '从交接到妥投的平均小时数', en: 'Average hours from handover to delivery' },
  deliveryHoursP90: { unit: 'hours', zh: '从交接到妥投小时数的第 90 百分位', en: '90th percentile of hours from handover to delivery' },
  stationPickupRate: { unit: 'ratio', zh: '站点取件率 = 期间内在站点被取走的包裹 ÷ 入站包裹', en: 'Station pickup rate = parcels collected at stations ÷ parcels placed at stations' },
  parcelsOut: { unit: 'count', zh: '期间内揽收的出山包裹数（黔货出山）', en: 'Outbound parcels collected in the period (goods out of the mountains)' },
};

export function figure(key: KpiKey, value: number | null): KpiFigure {
  const f = KPI_FORMULAS[key];
  return { key, value, unit: f.unit, formula: { zh: f.zh, en: f.en } };
}

/** part ÷ whole, or null when there is nothing to divide (no villages, no parcels). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** The p-th percentile (0–100) by linear interpolation between closest ranks; null for no data. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo);
}
