import { describe, expect, it } from 'vitest';
import { type Principal, assertManageCounty, canManageCounty, canReadCounty, countyScope } from './access.ts';

const p = (over: Partial<Principal>): Principal => ({ id: 'usr_x', username: 'x', displayName: 'x', role: 'admin', via: 'session', ...over });

describe('scope rules', () => {
  const admin = p({});
  const sandu = p({ role: 'county_manager', countyCode: '522732' });
  const clerk = p({ role: 'outlet_clerk', countyCode: '522732', outletId: 'out_1' });
  const zto = p({ role: 'partner', partnerCode: 'ZTO' });

  it('admin reads and manages every county', () => {
    expect(countyScope(admin)).toBeUndefined();
    expect(canReadCounty(admin, '522701')).toBe(true);
    expect(canManageCounty(admin, '522701')).toBe(true);
  });
  it('a county manager stays in their county, towns and villages included', () => {
    expect(canReadCounty(sandu, '522732')).toBe(true);
    expect(canReadCounty(sandu, '522732111285')).toBe(true);
    expect(canReadCounty(sandu, '522701')).toBe(false);
    expect(canManageCounty(sandu, '522701')).toBe(false);
    expect(() => assertManageCounty(sandu, '522701')).toThrow(/522701/);
  });
  it('a clerk reads their county but does not manage master data', () => {
    expect(canReadCounty(clerk, '522732')).toBe(true);
    expect(canManageCounty(clerk, '522732')).toBe(false);
  });
  it('a partner never reads the network through the management API', () => {
    expect(canReadCounty(zto, '522732')).toBe(false);
    expect(canManageCounty(zto, '522732')).toBe(false);
  });
});
