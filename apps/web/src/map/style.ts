// Colours and shapes shared by the map and its legend (no Leaflet import here, so pages can use it).
export const VILLAGE_OK = '#2e9d4f';
export const VILLAGE_LOW = '#d93025';
export const ROUTE_COLOR = '#1d5fd1';
export const BUS_COLOR = '#e37b00';

export const OUTLET_STYLE: Record<string, { color: string; radius: string; size: number; rotate?: boolean; ring?: boolean }> = {
  postal_office: { color: '#0b7a3e', radius: '2px', size: 13 },
  agency_office: { color: '#1d5fd1', radius: '2px', size: 12 },
  franchise_point: { color: '#7b3fc4', radius: '2px', size: 10, rotate: true },
  express_station: { color: '#e37b00', radius: '50%', size: 11 },
  village_station: { color: '#138a8a', radius: '50%', size: 14, ring: true },
};
export const OUTLET_FALLBACK = { color: '#555', radius: '2px', size: 12 };

export function outletIconHtml(kind: string | undefined): string {
  const s = OUTLET_STYLE[kind ?? ''] ?? OUTLET_FALLBACK;
  const rotate = 'rotate' in s && s.rotate ? 'transform: rotate(45deg);' : '';
  // A village station is a ring around its village's dot (villages are drawn above outlets).
  const fill = 'ring' in s && s.ring ? `background:transparent;border:2.5px solid ${s.color};box-shadow:none;` : `background:${s.color};`;
  return `<div class="outlet-icon" style="box-sizing:border-box;width:${s.size}px;height:${s.size}px;${fill}border-radius:${s.radius};${rotate}"></div>`;
}
