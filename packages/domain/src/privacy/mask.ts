/**
 * Masking of personal data for anything printed or shown outside the office: waybill labels
 * (GB/T 41833-2022 隐私面单: hide ≥ 1 character of the name, ≥ 6 digits of the phone, the
 * unit/household/room number of the address), public tracking pages and logs.
 *
 * Every function is total: it never throws and never returns its input unmasked.
 */

export const MASK = '*';

/** Common two-character (compound) surnames, kept together as the visible family name. */
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕', '令狐',
  '端木', '独孤', '南宫', '西门', '百里', '呼延', '申屠', '澹台', '公冶', '太史', '万俟', '闻人', '赫连', '钟离', '濮阳',
]);

/**
 * 张三 → 张*, 张小娟 → 张*娟, 欧阳娜娜 → 欧阳*娜, 欧阳小娜娜 → 欧阳**娜, 王 → *.
 * Names with a separator (阿卜杜·热合曼, John Smith) keep only the first character of each part.
 * At least one character is always hidden.
 */
export function maskName(name: string): string {
  let trimmed = name.replace(/^[·•.\s]+|[·•.\s]+$/g, '').replace(/\s+/g, ' ');
  // 张 三 is 张三: spaces inside Chinese names are typing noise, not a separator.
  if (/^[\u3400-\u9fff\s]+$/.test(trimmed)) trimmed = trimmed.replace(/\s/g, '');
  const chars = Array.from(trimmed);
  const n = chars.length;
  if (n === 0) return '';
  if (/[·•.\s]/.test(trimmed) && n > 2) {
    return trimmed
      .split(/([·•.\s]+)/)
      .map((part, i) => (i % 2 === 1 ? part : maskPart(part, i === 0)))
      .join('');
  }
  if (n === 1) return MASK;
  if (n === 2) return chars[0] + MASK;
  const surnameLen = n >= 3 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
  if (n - surnameLen === 1) return chars.slice(0, surnameLen).join('') + MASK;
  return chars.slice(0, surnameLen).join('') + MASK.repeat(n - surnameLen - 1) + chars[n - 1];
}

/** A part of a multi-part name: its first character stays (a one-character part only if first). */
function maskPart(part: string, first: boolean): string {
  const chars = Array.from(part);
  if (chars.length === 0) return '';
  if (chars.length === 1) return first ? part : MASK;
  return chars[0] + MASK.repeat(chars.length - 1);
}

/** Minimum number of hidden digits in any masked phone number. */
export const PHONE_MIN_HIDDEN = 6;
const AREA = /^0(?:10|2\d|[3-9]\d{2})$/;

/**
 * Mobile 13812345678 → 138******78 (3 + 6 hidden + 2).
 * Landline 0854-8221234 → 0854-******4; 010-88886666 → 010-******66 (area code kept, ≥ 6 hidden).
 * Extensions are hidden entirely. Anything unrecognised keeps at most its last 2 digits and only
 * when at least 6 others are hidden; a number of fewer than 8 digits is hidden completely.
 */
export function maskPhone(phone: string): string {
  const raw = phone.trim();
  if (raw === '') return '';
  const digits = raw.replace(/\D/g, '');
  let main = digits;
  // +86 / 0086 country prefix
  if (/^\+?86\s*1/.test(raw) && digits.length === 13) main = digits.slice(2);
  else if (/^0086/.test(digits) && digits.length >= 13) main = digits.slice(4);

  const mobile = /^(1[3-9]\d)(\d{8})(\d*)$/.exec(main);
  if (mobile && (main.length === 11 || /[-转#,xX]/.test(raw))) {
    const [, head = '', body = '', ext = ''] = mobile;
    return head + MASK.repeat(6) + body.slice(6) + (ext ? '-' + MASK.repeat(ext.length) : '');
  }
  // Landline: area code 010 / 02x / 0xxx, local number of 7–8 digits, optional extension.
  const groups = raw.replace(/^\+?86(?=[\s-(]*0)/, '').split(/\D+/).filter((g) => g !== '');
  let area = '';
  let local = '';
  let ext = '';
  if (groups.length >= 2 && AREA.test(groups[0] ?? '') && /^\d{7,8}$/.test(groups[1] ?? '')) {
    area = groups[0] ?? '';
    local = groups[1] ?? '';
    ext = groups.slice(2).join('');
  } else if (groups.length === 1) {
    const m = /^(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})$/.exec(main);
    if (m) [, area = '', local = ''] = m;
  }
  if (local) {
    const visible = Math.min(2, Math.max(0, local.length - PHONE_MIN_HIDDEN));
    return area + '-' + MASK.repeat(local.length - visible) + local.slice(local.length - visible) + (ext ? '-' + MASK.repeat(ext.length) : '');
  }
  const n = digits.length;
  if (n < 8) return MASK.repeat(Math.max(PHONE_MIN_HIDDEN, n));
  const head = n >= 11 ? 3 : 0;
  return digits.slice(0, head) + MASK.repeat(n - head - 2) + digits.slice(n - 2);
}

// Numbers as written in addresses: ASCII, full-width, Chinese numerals, letters for blocks (A座, B栋).
const NUM = '[0-9０-９一二三四五六七八九十百零〇两]+';
const BLOCK = `(?:[A-Za-zＡ-Ｚａ-ｚ]|${NUM})+`;
/** Not when the marker is part of a place name: 五户村, 三楼镇, 二座路. */
const NOT_PLACE = '(?![村组镇乡路街巷社寨屯庄场道区县市])';

/**
 * The first marker of a building/unit/household/room part; the address is cut there.
 * Order does not matter: the earliest match in the string wins.
 */
const UNIT_PATTERNS: RegExp[] = [
  new RegExp(`${BLOCK}\\s*(?:栋|幢|座|号楼|楼栋|#楼|#)${NOT_PLACE}`), // 5栋, 12号楼, A座, 3#
  new RegExp(`${NUM}\\s*单元`), // 3单元
  new RegExp(`${NUM}\\s*(?:室|户|号房|房间?)${NOT_PLACE}`), // 502室, 3户, 12号房
  new RegExp(`${NUM}\\s*(?:层|楼)${NOT_PLACE}`), // 5层, 3楼
  /\d+\s*[-－—]\s*\d+(?:\s*[-－—]\s*\d+)*\s*(?:号|室)?\s*$/, // trailing 3-2-301
];

/** After a village/group the `N号` is a household number, not a street number. */
const RURAL_HOUSE = new RegExp(`(?<=(?:组|队|村|寨|屯|社|庄))\\s*${NUM}\\s*号`);

export interface MaskedAddress {
  /** The address with the unit/household/room part removed. */
  text: string;
  /** Whether anything was removed. */
  removed: boolean;
}

/**
 * Removes the unit/household/room part: 剑江中路8号5栋2单元301 → 剑江中路8号;
 * 好花红镇好花红村3组45号 → 好花红镇好花红村3组. Street numbers (…路8号) and village groups (3组) stay.
 */
export function maskAddressDetail(address: string): MaskedAddress {
  const text = address.trim();
  let cut = text.length;
  for (const re of [...UNIT_PATTERNS, RURAL_HOUSE]) {
    const m = re.exec(text);
    if (m && m.index < cut) cut = m.index;
  }
  const kept = text.slice(0, cut).replace(/[\s,，、\-－—#]+$/, '');
  return { text: kept, removed: cut < text.length };
}

export function maskAddress(address: string): string {
  return maskAddressDetail(address).text;
}

/**
 * Masks phone numbers inside free text (buyer messages, remarks, product notes printed on labels or
 * written to logs): mobile numbers (also spaced or dashed) and landlines with an area code.
 * 请打13812345678 → 请打138******78.
 */
export function maskPhonesInText(text: string): string {
  return text
    .replace(/(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)/g, (m) => maskPhone(m))
    .replace(/(?<!\d)0\d{2,3}[\s-]?[2-9]\d{6,7}(?!\d)/g, (m) => maskPhone(m));
}
