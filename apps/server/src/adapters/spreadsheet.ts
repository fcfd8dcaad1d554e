import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DomainError, invalid } from '@cuntong/domain/errors.ts';

/**
 * Reads an uploaded CSV or Excel (.xlsx) file into rows of strings (the first row is the header),
 * and writes rows back out. Clear errors for what is not a spreadsheet; nothing else here knows
 * about file formats.
 */
export type SheetFormat = 'csv' | 'xlsx';

export function detectFormat(buf: Buffer, filename = ''): SheetFormat {
  const isZip = buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
  const lower = filename.toLowerCase();
  if (lower.endsWith('.xlsx')) {
    if (!isZip) throw invalid('import.not_a_workbook', `${filename} is not an Excel workbook (.xlsx files are zip archives; this one is not)`, [{ path: 'file', message: 'not an .xlsx workbook' }]);
    return 'xlsx';
  }
  if (lower.endsWith('.xls')) throw invalid('import.xls_unsupported', 'old .xls files are not supported: save the sheet as .xlsx or CSV', [{ path: 'file', message: 'use .xlsx or .csv' }]);
  if (isZip) return 'xlsx';
  return 'csv';
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
    return '';
  }
  return String(v);
}

export async function readSheetRows(buf: Buffer, filename = '', opts: { maxRows?: number } = {}): Promise<string[][]> {
  const maxRows = opts.maxRows ?? 200_000;
  const format = detectFormat(buf, filename);
  let rows: string[][];
  if (format === 'xlsx') {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(buf as unknown as ArrayBuffer);
    } catch (err) {
      throw invalid('import.not_a_workbook', `the file is not a readable Excel workbook: ${err instanceof Error ? err.message : String(err)}`, [{ path: 'file', message: 'not a readable .xlsx workbook' }]);
    }
    const ws = wb.worksheets[0];
    if (!ws) throw invalid('import.empty', 'the workbook has no sheet', [{ path: 'file', message: 'no worksheet' }]);
    rows = [];
    const width = ws.columnCount;
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: string[] = [];
      for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value).trim());
      rows[n - 1] = cells;
    });
    for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  } else {
    let text = buf.toString('utf8');
    if (text.includes('\uFFFD')) {
      // Excel on Chinese Windows saves CSV as GBK; decode it so headers like 编码 survive.
      try {
        text = new TextDecoder('gbk').decode(buf);
      } catch {
        /* keep utf-8 */
      }
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (/\u0000/.test(text.slice(0, 4096))) throw invalid('import.not_text', 'the file is neither CSV text nor an .xlsx workbook', [{ path: 'file', message: 'binary data' }]);
    try {
      rows = parse(text, { relax_column_count: true, skip_empty_lines: false, trim: true, bom: true }) as string[][];
    } catch (err) {
      throw invalid('import.bad_csv', `the CSV could not be read: ${err instanceof Error ? err.message : String(err)}`, [{ path: 'file', message: 'malformed CSV' }]);
    }
  }
  if (rows.length - 1 > maxRows) throw new DomainError('too_large', 'import.too_many_rows', `the file has ${rows.length - 1} rows; at most ${maxRows} are accepted in one import`);
  if (rows.length === 0 || rows[0]!.every((c) => !c)) throw invalid('import.empty', 'the file is empty or has no header row', [{ path: 'file', message: 'no header row' }]);
  return rows;
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a UTF-8 BOM, so Excel opens the Chinese text correctly. */
export function writeCsv(rows: string[][]): Buffer {
  return Buffer.from('\uFEFF' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n', 'utf8');
}

export async function writeXlsx(rows: string[][], sheetName = 'Sheet1'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  for (const r of rows) ws.addRow(r);
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
