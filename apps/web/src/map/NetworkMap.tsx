import L, { type LatLngBoundsExpression, type LatLngExpression } from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useMemo } from 'react';
import { CircleMarker, MapContainer, Marker, Pane, Polyline, Popup, TileLayer, useMap } from 'react-leaflet';
import { useTranslation } from 'react-i18next';
import type { FeatureCollection, MapFeature, Position } from '../api/types.ts';
import { BUS_COLOR, outletIconHtml, OUTLET_FALLBACK, OUTLET_STYLE, ROUTE_COLOR, VILLAGE_LOW, VILLAGE_OK } from './style.ts';

// The only place (with RouteMap) that imports Leaflet; loaded through React.lazy.
// Without a tile URL the map draws points and lines on a plain background and requests nothing.

const toLatLng = (p: Position): [number, number] => [p[1], p[0]];

function lines(f: MapFeature): [number, number][][] {
  const g = f.geometry;
  if (!g) return [];
  if (g.type === 'LineString') return [g.coordinates.map(toLatLng)];
  if (g.type === 'MultiLineString') return g.coordinates.map((l) => l.map(toLatLng));
  return [];
}

function FitBounds({ bounds }: { bounds: LatLngBoundsExpression | null }) {
  const map = useMap();
  useEffect(() => {
    if (bounds) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
  }, [map, bounds]);
  return null;
}

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

function countyIcon(name: string): L.DivIcon {
  return L.divIcon({ html: name, className: 'county-label', iconSize: undefined, iconAnchor: [24, 8] });
}

export interface NetworkMapProps {
  data: FeatureCollection | undefined;
  tileUrl?: string;
  tileAttribution?: string;
}

export default function NetworkMap({ data, tileUrl, tileAttribution }: NetworkMapProps) {
  const { t } = useTranslation();
  const features = data?.features ?? [];

  const bounds = useMemo<LatLngBoundsExpression | null>(() => {
    const pts: [number, number][] = [];
    for (const f of features) {
      if (f.geometry?.type === 'Point') pts.push(toLatLng(f.geometry.coordinates));
      else for (const l of lines(f)) pts.push(...l);
    }
    if (!pts.length) return null;
    return L.latLngBounds(pts);
  }, [features]);

  const label = (f: MapFeature) => String(f.properties.name ?? f.properties.code ?? f.properties.id ?? '');
  const center: LatLngExpression = [26.25, 107.5];

  return (
    <MapContainer center={center} zoom={8} style={{ height: '100%', width: '100%' }} attributionControl={Boolean(tileUrl)} data-testid="network-map">
      {tileUrl && <TileLayer url={tileUrl} attribution={tileAttribution ?? ''} />}
      <FitBounds bounds={bounds} />
      {/* Villages above the outlet markers (village stations sit on their village). */}
      <Pane name="villages" style={{ zIndex: 620 }} />
      <Pane name="labels" style={{ zIndex: 640, pointerEvents: 'none' }} />
      {features.map((f, i) => {
        const p = f.properties;
        const key = `${p.type}-${p.code ?? p.id ?? i}`;
        if (p.type === 'route' || p.type === 'bus_line') {
          const isBus = p.type === 'bus_line';
          return (
            <Polyline
              key={key}
              positions={lines(f)}
              className={`${p.type}-line`}
              pathOptions={{ color: isBus ? BUS_COLOR : ROUTE_COLOR, weight: isBus ? 2.5 : 3, opacity: 0.8, dashArray: isBus ? '6 6' : undefined }}
            >
              <Popup>
                <strong>{label(f)}</strong>
                <div>{isBus ? t('map.busLine') : t('map.route')} {p.code ? `· ${String(p.code)}` : ''}</div>
                {typeof p.operator === 'string' && <div>{p.operator}</div>}
                {typeof p.lengthM === 'number' && <div>{t('routes.km', { km: (p.lengthM / 1000).toFixed(1) })}</div>}
              </Popup>
            </Polyline>
          );
        }
        if (f.geometry?.type !== 'Point') return null;
        const pos = toLatLng(f.geometry.coordinates);
        if (p.type === 'county') {
          return <Marker key={key} position={pos} icon={countyIcon(label(f))} interactive={false} keyboard={false} pane="labels" />;
        }
        if (p.type === 'outlet') {
          return (
            <Marker key={key} position={pos} icon={outletIcon(p.kind)} title={label(f)}>
              <Popup>
                <strong>{label(f)}</strong>
                <div>{p.kind ? t(`outlets.kinds.${p.kind}`) : t('map.outlet')}</div>
                {Array.isArray(p.services) && <div>{(p.services as string[]).map((s) => t(`outlets.services.${s}`)).join('、')}</div>}
              </Popup>
            </Marker>
          );
        }
        if (p.type === 'village') {
          const planned = typeof p.visitsPerWeek === 'number' ? p.visitsPerWeek : 0;
          const min = typeof p.minVisitsPerWeek === 'number' ? p.minVisitsPerWeek : 0;
          const ok = planned >= min;
          return (
            <CircleMarker
              key={key}
              center={pos}
              radius={4}
              pane="villages"
              className={`village-marker village-${String(p.code ?? i)} ${ok ? 'village-ok' : 'village-low'}`}
              pathOptions={{ color: '#fff', weight: 1, fillColor: ok ? VILLAGE_OK : VILLAGE_LOW, fillOpacity: 0.95 }}
            >
              <Popup>
                <strong data-testid="village-popup-name">{label(f)}</strong>
                {p.code && <div>{String(p.code)}</div>}
                <div>{t('map.visits', { planned, min })}</div>
                {(p.coordinatesApproximate === true || p.approximate === true) && <div>{t('common.approximate')}</div>}
              </Popup>
            </CircleMarker>
          );
        }
        return null;
      })}
    </MapContainer>
  );
}
