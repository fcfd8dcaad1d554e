import type { FormInstance } from 'antd';
import { ApiError } from './client.ts';
import type { FieldErrorItem } from './types.ts';

type NamePath = (string | number)[];

/** "/body/lon", "lon", "stops.0.villageCode", "row 12: lon" → ["lon"] / ["stops", 0, "villageCode"]. */
export function toNamePath(path: string): NamePath {
  const cleaned = path.replace(/^row\s*\d+\s*:\s*/i, '').replace(/\[(\d+)\]/g, '.$1');
  const parts = cleaned.split(/[/.]/).filter((p) => p !== '' && p !== '#' && p !== 'body');
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

const same = (a: NamePath, b: NamePath) => a.length === b.length && a.every((v, i) => String(v) === String(b[i]));

/**
 * Puts problem+json `errors[]` on the matching antd form fields (by `path`). Returns the errors that
 * matched no field (and the problem detail when there were no field errors) so the caller can show them.
 */
export function applyFormErrors(form: FormInstance, error: unknown): string[] {
  if (!(error instanceof ApiError)) return [error instanceof Error ? error.message : String(error)];
  const registered = form.getFieldsError().map((f) => f.name as NamePath);
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const rest: string[] = [];
  for (const item of error.fieldErrors as FieldErrorItem[]) {
    const wanted = toNamePath(item.path);
    const last = wanted[wanted.length - 1];
    const match =
      registered.find((r) => same(r, wanted)) ??
      // "services/0" → the "services" field; "/lon" inside a nested object → a field named "lon"
      registered.find((r) => r.length < wanted.length && same(r, wanted.slice(0, r.length))) ??
      registered.find((r) => r.length === 1 && last !== undefined && String(r[0]) === String(last));
    if (!match) {
      rest.push(item.path ? `${item.path}: ${item.message}` : item.message);
      continue;
    }
    const key = match.join('.');
    const entry = byField.get(key) ?? { name: match, errors: [] };
    if (!entry.errors.includes(item.message)) entry.errors.push(item.message);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()].map((e) => ({ name: e.name, errors: e.errors })));
  if (error.fieldErrors.length === 0) rest.push(error.message);
  return rest;
}
