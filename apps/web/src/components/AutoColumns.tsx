import type { ColumnsType } from 'antd/es/table';
import type { LooseRecord } from '../api/types.ts';

/** Columns for records whose shape the contract leaves open: every primitive or array field. */
export function autoColumns(items: LooseRecord[], labels: Record<string, string>, render?: Record<string, (v: unknown, r: LooseRecord) => React.ReactNode>): ColumnsType<LooseRecord> {
  const keys: string[] = [];
  for (const item of items.slice(0, 20))
    for (const [k, v] of Object.entries(item)) if (!keys.includes(k) && (v === null || typeof v !== 'object' || Array.isArray(v))) keys.push(k);
  const ordered = [...Object.keys(labels).filter((k) => keys.includes(k)), ...keys.filter((k) => !(k in labels))];
  return ordered.map((k) => ({
    title: labels[k] ?? k,
    dataIndex: k,
    key: k,
    render: (v: unknown, r: LooseRecord) =>
      render?.[k] ? render[k](v, r) : Array.isArray(v) ? v.map(String).join(', ') : typeof v === 'boolean' ? (v ? '✓' : '✗') : v === null || v === undefined ? '' : String(v),
  }));
}
