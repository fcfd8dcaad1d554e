/**
 * The only I/O-ish helper of the labels package: turns the bytes of an uploaded order export
 * (.xlsx, or .csv in UTF-8 or GB18030/GBK as Chinese shop back-ends write it) into a RawTable for
 * the pure parser in @cuntong/domain/orders. It takes a Buffer, never a path: reading the file is
 * the caller's job (HTTP upload, CLI).
 *
 * Rejections are DomainErrors with stable codes:
 *   orders.file_too_large (too_large)   more than `maxBytes` (default 20 MB)
 *   orders.file_not_workbook            not an .xlsx workbook / not a text CSV (e.g. random bytes named .xlsx)
 *   orders.file_old_excel               legacy .xls (BIFF) or an encrypted workbook
 *   orders.file_unreadable              a zip that exceljs cannot read as a workbook
 *   orders.file_too_large (too_large)   a workbook that would inflate to more than
 *                                       `maxUncompressedBytes` (default 200 MB; a zip bomb guard,
 *                                       read from the zip's central directory before exceljs runs)
 *   orders.file_empty                   no rows at all
 *   orders.too_many_rows                more than `maxRows` rows
 *   orders.columns_missing              (from readOrders) required columns not found
 */
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { DomainError, invalid } from '@cuntong/domain/errors.ts';
import { parseOrders, type ParseOrdersOptions, type ParseOrdersResult, type RawTable } from '@cuntong/domain/orders/orders.ts';

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_ROWS = 100_000;
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;

export interface ReadOrderFileOptions {
  maxBytes?: number;
  maxRows?: number;
  /** Worksheet name or 1-based index; default the first worksheet. */
  sheet?: string | number;
  maxUncompressedBytes?: number;
}

/**
 * Sum of the uncompressed sizes declared in a zip's central directory, or null when the directory
 * cannot be read. ZIP64 entries (sizes of 0xFFFFFFFF) count as infinite.
 */
export function zipUncompressedSize(buf: Uint8Array): number | null {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const minEocd = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= minEocd; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entries = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > buf.length || view.getUint32(p, true) !== 0x02014b50) return null;
    const size = view.getUint32(p + 24, true);
    if (size === 0xffffffff) return Number.POSITIVE_INFINITY;
    total += size;
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return total;
}

export type OrderFileKind = 'xlsx' | 'csv';

export function detectKind(buffer: Uint8Array, filename: string): OrderFileKind {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
  const isZip = buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03 && buffer[3] === 0x04;
  const isOle = buffer[0] === 0xd0 && buffer[1] === 0xcf && buffer[2] === 0x11 && buffer[3] === 0xe0;
  if (isOle) throw invalid('orders.file_old_excel', `${filename}：旧版 .xls 或加密的工作簿不支持，请在 Excel 中另存为 .xlsx（或 CSV）后再导入`);
  if (isZip) return 'xlsx';
  if (['xlsx', 'xlsm', 'xls', 'ods', 'numbers'].includes(ext)) {
    throw invalid('orders.file_not_workbook', `${filename}：不是有效的 Excel 工作簿（.xlsx），文件可能已损坏或扩展名不对`);
  }
  // Text: reject binary content (NUL bytes in the first 8 KB)
  const head = buffer.subarray(0, 8192);
  if (head.includes(0)) throw invalid('orders.file_not_workbook', `${filename}：不是 Excel 工作簿，也不是文本 CSV 文件`);
  return 'csv';
}

/** UTF-8 (with or without BOM) when valid, otherwise GB18030 (a superset of GBK/GB2312). */
export function decodeText(buffer: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer);
  } catch {
    return new TextDecoder('gb18030').decode(buffer);
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v) return 'result' in v && v.result !== undefined ? cellText(v.result as ExcelJS.CellValue) : '';
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('error' in v) return '';
  }
  return String(v);
}

export async function readOrderFile(buffer: Buffer, filename: string, opts: ReadOrderFileOptions = {}): Promise<RawTable> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
  if (buffer.length > maxBytes) {
    throw new DomainError('too_large', 'orders.file_too_large', `${filename}：文件 ${(buffer.length / 1048576).toFixed(1)} MB，超过上限 ${(maxBytes / 1048576).toFixed(0)} MB，请分批导入`);
  }
  if (buffer.length === 0) throw invalid('orders.file_empty', `${filename}：文件是空的`);
  const kind = detectKind(buffer, filename);
  const rows: RawTable['rows'] = [];
  if (kind === 'xlsx') {
    const inflated = zipUncompressedSize(buffer);
    const maxInflated = opts.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
    if (inflated !== null && inflated > maxInflated) {
      throw new DomainError('too_large', 'orders.file_too_large', `${filename}：工作簿解压后超过 ${(maxInflated / 1048576).toFixed(0)} MB，请分批导入`);
    }
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    } catch (e) {
      throw invalid('orders.file_unreadable', `${filename}：无法读取工作簿（${e instanceof Error ? e.message.slice(0, 80) : 'unknown'}）`);
    }
    const ws = opts.sheet === undefined ? wb.worksheets[0] : wb.getWorksheet(opts.sheet);
    if (!ws) throw invalid('orders.file_empty', `${filename}：找不到工作表${opts.sheet === undefined ? '' : ` ${opts.sheet}`}`);
    if (ws.actualRowCount > maxRows + 10) throw invalid('orders.too_many_rows', `${filename}：超过 ${maxRows} 行，请分批导入`);
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values = row.values as ExcelJS.CellValue[]; // 1-based, index 0 unused
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
      rows.push({ row: rowNumber, cells });
    });
  } else {
    let records: string[][];
    try {
      records = parseCsv(decodeText(buffer), { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }) as string[][];
    } catch (e) {
      throw invalid('orders.file_not_workbook', `${filename}：CSV 格式错误（${e instanceof Error ? e.message.slice(0, 80) : 'unknown'}）`);
    }
    if (records.length > maxRows + 10) throw invalid('orders.too_many_rows', `${filename}：超过 ${maxRows} 行，请分批导入`);
    records.forEach((cells, i) => rows.push({ row: i + 1, cells: cells.map((c) => c.trim()) }));
  }
  if (rows.length === 0) throw invalid('orders.file_empty', `${filename}：没有任何数据行`);
  return { rows };
}

/** readOrderFile + parseOrders: the bytes of an export to valid orders and rejected rows. */
export async function readOrders(buffer: Buffer, filename: string, opts: ReadOrderFileOptions & ParseOrdersOptions = {}): Promise<ParseOrdersResult> {
  const table = await readOrderFile(buffer, filename, opts);
  return parseOrders(table, opts);
}
