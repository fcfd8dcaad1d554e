import { forbidden } from './errors.ts';

/**
 * Who is calling, and the part of the network they may see. Scope rules are pure so they can be
 * tested exhaustively; repositories apply them as WHERE clauses.
 */
export type Role = 'admin' | 'county_manager' | 'outlet_clerk' | 'carrier' | 'station_keeper' | 'partner';
export const ROLES: Role[] = ['admin', 'county_manager', 'outlet_clerk', 'carrier', 'station_keeper', 'partner'];

export interface Principal {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** County manager: their county; clerks, keepers and carriers: the county of their outlet. */
  countyCode?: string;
  outletId?: string;
  partnerCode?: string;
  via: 'session' | 'api_key';
}

/** The county a principal is confined to, or undefined for prefecture-wide roles. */
export function countyScope(p: Principal): string | undefined {
  return p.role === 'admin' ? undefined : p.countyCode;
}

/** Staff roles work inside the post's network; partners only see their own parcels via /partner/v1. */
export function isStaff(p: Principal): boolean {
  return p.role !== 'partner';
}

export function canReadCounty(p: Principal, countyCode: string): boolean {
  if (!isStaff(p)) return false;
  const scope = countyScope(p);
  return scope === undefined || countyCode.startsWith(scope);
}

/** Writing network master data: admins anywhere, county managers in their county. */
export function canManageCounty(p: Principal, countyCode: string): boolean {
  if (p.role === 'admin') return true;
  return p.role === 'county_manager' && p.countyCode !== undefined && countyCode.startsWith(p.countyCode);
}

export function assertManageCounty(p: Principal, countyCode: string): void {
  if (!canManageCounty(p, countyCode)) throw forbidden('scope.county', `you may not change data of county ${countyCode}`);
}

/** Prefecture-wide master data (partners, agreements' rates, users of other roles): admins only. */
export function assertAdmin(p: Principal): void {
  if (p.role !== 'admin') throw forbidden('scope.admin', 'this needs the prefecture administrator role');
}
