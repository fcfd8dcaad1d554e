import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { MapContainer, Pane, TileLayer, useMap } from 'react-leaflet';
import type { FeatureCollection, MapFeature, Position } from '../api/types.ts';
import { BUS_COLOR, outletIconHtml, OUTLET_FALLBACK, OUTLET_STYLE, ROUTE_COLOR, VILLAGE_LOW, VILLAGE_OK } from './style.ts';

// The only place (with RouteMap) that imports Leaflet; loaded through React.lazy.
// Without a tile URL the map draws points and lines on a plain background and requests nothing.
// The ~3,000 features are plain Leaflet layers built in one effect (not one React component each):
// that keeps opening and leaving the page fast. Popups are built when opened.

const toLatLng = (p: Position): [number, number] => [p[1], p[0]];

function lines(f: MapFeature): [number, number][][] {
  const g = f.geometry;
  if (!g) return [];
  if (g.type === 'LineString') return [g.coordinates.map(toLatLng)];
  if (g.type === 'MultiLineString') return g.coordinates.map((l) => l.map(toLatLng));
  return [];
}

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const iconCache = new Map<string, L.DivIcon>();
function outletIcon(kind: string | undefined): L.DivIcon {
  const key = kind ?? '';
  let icon = iconCache.get(key);
  if (!icon) {
    const s = OUTLET_STYLE[key] ?? OUTLET_FALLBACK;
    icon = L.divIcon({ html: outletIconHtml(kind), className: `outlet-marker outlet-${key}`, iconSize: [s.size, s.size], iconAnchor: [s.size / 2, s.size / 2] });
    iconCache.set(key, icon);
  }
  return icon;
}

function NetworkLayers({ data }: { data: FeatureCollection | undefined }) {
  const map = useMap();
  const { t, i18n } = useTranslation();

  useEffect(() => {
    const group = L.layerGroup();
    const bounds = L.latLngBounds([]);
    const label = (f: MapFeature) => String(f.properties.name ?? f.properties.code ?? f.properties.id ?? '');
    for (const [i, f] of (data?.features ?? []).entries()) {
      const p = f.properties;
      if (p.type === 'route' || p.type === 'bus_line') {
        const isBus = p.type === 'bus_line';
        const ls = lines(f);
        for (const l of ls) for (const pt of l) bounds.extend(pt);
        L.polyline(ls, { color: isBus ? BUS_COLOR : ROUTE_COLOR, weight: isBus ? 2.5 : 3, opacity: 0.8, dashArray: isBus ? '6 6' : undefined, className: `${p.type}-line` })
          .bindPopup(() => {
            const km = typeof p.lengthM === 'number' ? `<div>${esc(t('routes.km', { km: (p.lengthM / 1000).toFixed(1) }))}</div>` : '';
            const op = typeof p.operator === 'string' ? `<div>${esc(p.operator)}</div>` : '';
            return `<strong>${esc(label(f))}</strong><div>${esc(isBus ? t('map.busLine') : t('map.route'))}${p.code ? ` · ${esc(p.code)}` : ''}</div>${op}${km}`;
          })
          .addTo(group);
        continue;
      }
      if (f.geometry?.type !== 'Point') continue;
      const pos = toLatLng(f.geometry.coordinates);
      if (p.type === 'county') {
        L.marker(pos, { icon: L.divIcon({ html: esc(label(f)), className: 'county-label', iconSize: undefined, iconAnchor: [24, 8] }), interactive: false, keyboard: false, pane: 'labels' }).addTo(group);
        continue;
      }
      bounds.extend(pos);
      if (p.type === 'outlet') {
        L.marker(pos, { icon: outletIcon(p.kind), title: label(f), keyboard: false })
          .bindPopup(() => {
            const services = Array.isArray(p.services) ? `<div>${(p.services as string[]).map((s) => esc(t(`outlets.services.${s}`))).join('、')}</div>` : '';
            const hours = typeof p.openingHours === 'string' ? `<div>${esc(t('outlets.openingHours'))}：${esc(p.openingHours)}</div>` : '';
            return `<strong>${esc(label(f))}</strong><div>${esc(p.kind ? t(`outlets.kinds.${p.kind}`) : t('map.outlet'))}${p.code ? ` · ${esc(p.code)}` : ''}</div>${hours}${services}`;
          })
          .addTo(group);
        continue;
      }
      if (p.type === 'village') {
        const planned = typeof p.visitsPerWeek === 'number' ? p.visitsPerWeek : 0;
        const min = typeof p.minVisitsPerWeek === 'number' ? p.minVisitsPerWeek : 0;
        const ok = planned >= min;
        L.circleMarker(pos, {
          radius: 4,
          pane: 'villages',
          color: '#fff',
          weight: 1,
          fillColor: ok ? VILLAGE_OK : VILLAGE_LOW,
          fillOpacity: 0.95,
          className: `village-marker village-${String(p.code ?? i)} ${ok ? 'village-ok' : 'village-low'}`,
        })
          .bindPopup(() => {
            const approx = p.coordinatesApproximate === true || p.approximate === true ? `<div>${esc(t('common.approximate'))}</div>` : '';
            return `<strong data-testid="village-popup-name">${esc(label(f))}</strong>${p.code ? `<div>${esc(p.code)}</div>` : ''}<div>${esc(t('map.visits', { planned, min }))}</div>${approx}`;
          })
          .addTo(group);
      }
    }
    group.addTo(map);
    return () => {
      map.closePopup();
      group.remove();
    };
    // Rebuilt when the data or the language changes (popups and labels are translated).
  }, [map, data, t, i18n.language]);

  useEffect(() => {
    const b = L.latLngBounds([]);
    for (const f of data?.features ?? []) {
      if (f.properties.type === 'county') continue;
      if (f.geometry?.type === 'Point') b.extend(toLatLng(f.geometry.coordinates));
      else for (const l of lines(f)) for (const pt of l) b.extend(pt);
    }
    if (b.isValid()) map.fitBounds(b, { padding: [24, 24], maxZoom: 13 });
  }, [map, data]);

  return null;
}

export interface NetworkMapProps {
  data: FeatureCollection | undefined;
  tileUrl?: string;
  tileAttribution?: string;
}

export default function NetworkMap({ data, tileUrl, tileAttribution }: NetworkMapProps) {
  return (
    <MapContainer center={[26.25, 107.5]} zoom={8} zoomSnap={0.25} zoomDelta={0.5} style={{ height: '100%', width: '100%' }} attributionControl={Boolean(tileUrl)} data-testid="network-map">
      {tileUrl && <TileLayer url={tileUrl} attribution={tileAttribution ?? ''} />}
      {/* Villages above the outlet markers (village stations sit on their village), labels on top. */}
      <Pane name="villages" style={{ zIndex: 620 }} />
      <Pane name="labels" style={{ zIndex: 640, pointerEvents: 'none' }} />
      <NetworkLayers data={data} />
    </MapContainer>
  );
}
