import type { FieldError } from '../errors.ts';

/** One parcel of a manifest, as partners send it (JSON) or clerks upload it (CSV/Excel). */
export interface ManifestParcelInput {
  waybillNo: string;
  recipientName: string;
  recipientPhone: string;
  address: string;
  weightKg: number;
  pieces?: number;
  service: 'door' | 'station';
  codYuan?: number;
}

export interface ManifestParcel {
  waybillNo: string;
  recipientName: string;
  /** Digits only (mobile 11 digits, or landline with area code), the form that is hashed for lookup. */
  recipientPhone: string;
  address: string;
  weightG: number;
  pieces: number;
  service: 'door' | 'station';
  codFen: number;
}

export const MAX_MANIFEST_PARCELS = 10_000;
const WAYBILL = /^[A-Za-z0-9-]{6,40}$/;

/** Normalises a phone number to its digits (+86 / 0086 removed); null when it is not a phone number. */
export function normalizePhone(raw: string): string | null {
  let d = raw.replace(/[\s\-()（）]/g, '');
  if (d.startsWith('+86')) d = d.slice(3);
  else if (d.startsWith('0086')) d = d.slice(4);
  if (/^1[3-9]\d{9}$/.test(d)) return d;
  if (/^0\d{9,11}$/.test(d)) return d; // landline with area code
  return null;
}

/** Validates one parcel; `path` prefixes the field paths (e.g. "/parcels/3"), `row` is the file row. */
export function validateManifestParcel(p: ManifestParcelInput, path: string, row?: number): { value?: ManifestParcel; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ path: `${path}/${field}`, message, ...(row !== undefined ? { row } : {}) });
  const waybillNo = String(p.waybillNo ?? '').trim();
  if (!WAYBILL.test(waybillNo)) err('waybillNo', 'a waybill number is 6–40 letters, digits or dashes');
  const recipientName = String(p.recipientName ?? '').trim();
  if (recipientName.length < 1 || recipientName.length > 50) err('recipientName', 'the recipient name is required (at most 50 characters)');
  const phone = normalizePhone(String(p.recipientPhone ?? ''));
  if (!phone) err('recipientPhone', 'not a Chinese mobile number (11 digits) or a landline with area code');
  const address = String(p.address ?? '').trim();
  if (address.length < 2 || address.length > 200) err('address', 'the address is required (2–200 characters)');
  const w = Number(p.weightKg);
  if (!Number.isFinite(w) || w <= 0 || w > 100) err('weightKg', 'the weight must be more than 0 and at most 100 kg');
  const pieces = p.pieces === undefined ? 1 : Number(p.pieces);
  if (!Number.isInteger(pieces) || pieces < 1 || pieces > 99) err('pieces', 'pieces must be a whole number from 1 to 99');
  if (p.service !== 'door' && p.service !== 'station') err('service', 'service is "door" or "station"');
  const cod = p.codYuan === undefined ? 0 : Number(p.codYuan);
  if (!Number.isFinite(cod) || cod < 0 || cod > 100_000) err('codYuan', 'cash on delivery must be 0–100000 yuan');
  if (errors.length) return { errors };
  return {
    errors,
    value: { waybillNo, recipientName, recipientPhone: phone!, address, weightG: Math.round(w * 1000), pieces, service: p.service, codFen: Math.round(cod * 100) },
  };
}

/** Column names accepted in uploaded manifests (Chinese or English headers). */
export const MANIFEST_COLUMNS: Record<keyof ManifestParcelInput, string[]> = {
  waybillNo: ['运单号', 'waybillno', 'waybill'],
  recipientName: ['收件人', '收件人姓名', 'recipientname', 'name'],
  recipientPhone: ['收件人电话', '电话', '手机', 'recipientphone', 'phone'],
  address: ['收件地址', '地址', 'address'],
  weightKg: ['重量kg', '重量', 'weightkg', 'weight'],
  pieces: ['件数', 'pieces'],
  service: ['服务', '投递方式', 'service'],
  codYuan: ['代收货款', 'cod', 'codyuan'],
};

const SERVICE_WORDS: Record<string, 'door' | 'station'> = { door: 'door', station: 'station', 上门: 'door', 按址投递: 'door', 驿站: 'station', 村邮站: 'station', 自提: 'station' };

/** Maps sheet rows (first row = header) to parcel inputs; header problems are reported as errors. */
export function manifestRowsToInputs(rows: string[][]): { inputs: Array<{ row: number; input: ManifestParcelInput }>; errors: FieldError[] } {
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase().replace(/[\s_()（）]/g, ''));
  const col = {} as Record<keyof ManifestParcelInput, number>;
  const errors: FieldError[] = [];
  for (const [key, names] of Object.entries(MANIFEST_COLUMNS) as Array<[keyof ManifestParcelInput, string[]]>) {
    const i = header.findIndex((h) => names.includes(h));
    col[key] = i;
    if (i < 0 && key !== 'pieces' && key !== 'codYuan') errors.push({ path: 'header', message: `missing column ${names[0]} (${key})`, row: 1 });
  }
  if (errors.length) return { inputs: [], errors };
  const inputs: Array<{ row: number; input: ManifestParcelInput }> = [];
  rows.slice(1).forEach((r, i) => {
    if (r.every((c) => (c ?? '').trim() === '')) return;
    const get = (k: keyof ManifestParcelInput) => (col[k] >= 0 ? (r[col[k]] ?? '').trim() : '');
    const svc = get('service');
    inputs.push({
      row: i + 2,
      input: {
        waybillNo: get('waybillNo'),
        recipientName: get('recipientName'),
        recipientPhone: get('recipientPhone'),
        address: get('address'),
        weightKg: Number(get('weightKg') || NaN),
        ...(get('pieces') ? { pieces: Number(get('pieces')) } : {}),
        service: (SERVICE_WORDS[svc.toLowerCase()] ?? (svc === '' ? 'door' : svc)) as 'door' | 'station',
        ...(get('codYuan') ? { codYuan: Number(get('codYuan')) } : {}),
      },
    });
  });
  return { inputs, errors };
}
