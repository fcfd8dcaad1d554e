import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { MapContainer, TileLayer, useMap } from 'react-leaflet';
import type { FeatureCollection, MapFeature, Position } from '../api/types.ts';
import { BUS_COLOR } from './style.ts';

/** Colours of the vehicles' day routes. */
const PLAN_PALETTE = ['#1d5fd1', '#0b7a3e', '#7b3fc4', '#c2185b', '#00838f', '#6d4c41', '#5c6bc0', '#2e7d32', '#ad1457', '#455a64'];

// A weekly plan on the map (GET /api/v1/plans/{id}/geojson?day=): each vehicle's day route as a
// line in its own colour, the stops as dots, bus-served villages as orange squares-ish dots.
// Plain Leaflet layers built in one effect (as NetworkMap), loaded through React.lazy.

const toLatLng = (p: Position): [number, number] => [p[1], p[0]];
const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function colourOf(key: string, colours: Map<string, string>): string {
  let c = colours.get(key);
  if (!c) {
    c = PLAN_PALETTE[colours.size % PLAN_PALETTE.length] ?? '#1d5fd1';
    colours.set(key, c);
  }
  return c;
}

function PlanLayers({ data }: { data: FeatureCollection | undefined }) {
  const map = useMap();
  const { t, i18n } = useTranslation();

  useEffect(() => {
    const group = L.layerGroup();
    const bounds = L.latLngBounds([]);
    const colours = new Map<string, string>();
    const features: MapFeature[] = data?.features ?? [];
    for (const f of features) {
      const p = f.properties as Record<string, unknown>;
      const g = f.geometry;
      if (!g) continue;
      if (p.kind === 'route' && g.type === 'LineString') {
        const key = `${String(p.day)}-${String(p.vehicleCode)}`;
        const pts = g.coordinates.map(toLatLng);
        for (const pt of pts) bounds.extend(pt);
        L.polyline(pts, { color: colourOf(key, colours), weight: 3, opacity: 0.85, className: 'plan-route-line' })
          .bindPopup(() => {
            const km = typeof p.distanceM === 'number' ? t('routes.km', { km: (p.distanceM / 1000).toFixed(1) }) : '';
            return `<strong>${esc(p.vehicleCode)}</strong><div>${esc(t(`common.weekday.${String(p.day)}`))} · ${esc(t('planning.stopsCount', { count: Number(p.stops ?? 0) }))}</div><div>${esc(km)}</div>`;
          })
          .addTo(group);
        continue;
      }
      if (g.type !== 'Point') continue;
      const pos = toLatLng(g.coordinates);
      bounds.extend(pos);
      if (p.kind === 'stop') {
        const key = `${String(p.day)}-${String(p.vehicleCode)}`;
        L.circleMarker(pos, { radius: 4, color: '#fff', weight: 1, fillColor: colourOf(key, colours), fillOpacity: 1, className: 'plan-stop-marker' })
          .bindPopup(
            () =>
              `<strong>${esc(p.name ?? p.villageCode)}</strong><div>${esc(p.villageCode)}</div><div>${esc(t(`common.weekday.${String(p.day)}`))} · ${esc(p.vehicleCode)} #${esc(p.seq)}</div><div>${esc(t('planning.arrival'))}：${esc(p.arrival)}</div>`,
          )
          .addTo(group);
      } else if (p.kind === 'bus_stop') {
        L.circleMarker(pos, { radius: 6, color: BUS_COLOR, weight: 2, fillColor: '#fff', fillOpacity: 1, className: 'plan-bus-marker' })
          .bindPopup(
            () =>
              `<strong>${esc(p.name ?? p.villageCode)}</strong><div>${esc(t('planning.busLine'))} ${esc(p.lineCode)}</div><div>${esc(t('planning.arrival'))}：${esc(p.arrival)}</div>`,
          )
          .addTo(group);
      }
    }
    group.addTo(map);
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
    return () => {
      map.closePopup();
      group.remove();
    };
  }, [map, data, t, i18n.language]);

  return null;
}

export default function PlanMap({ data, tileUrl, tileAttribution }: { data: FeatureCollection | undefined; tileUrl?: string; tileAttribution?: string }) {
  return (
    <MapContainer center={[26.25, 107.5]} zoom={8} zoomSnap={0.25} zoomDelta={0.5} style={{ height: '100%', width: '100%' }} attributionControl={Boolean(tileUrl)} data-testid="plan-map">
      {tileUrl && <TileLayer url={tileUrl} attribution={tileAttribution ?? ''} />}
      <PlanLayers data={data} />
    </MapContainer>
  );
}
