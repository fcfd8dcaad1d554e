import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { CircleMarker, MapContainer, Polyline, TileLayer, Tooltip } from 'react-leaflet';
import { ROUTE_COLOR, VILLAGE_OK } from './style.ts';

export interface RouteMapStop {
  seq: number;
  name: string;
  lon: number;
  lat: number;
}

/** A small map of one route: the stops in order joined by a line (start = outlet when given). */
export default function RouteMap({ stops, start, tileUrl }: { stops: RouteMapStop[]; start?: RouteMapStop; tileUrl?: string }) {
  const all = start ? [start, ...stops] : stops;
  const positions = all.map((s) => [s.lat, s.lon] as [number, number]);
  if (!positions.length) return null;
  const bounds = L.latLngBounds(positions);
  return (
    <MapContainer bounds={bounds} boundsOptions={{ padding: [24, 24], maxZoom: 14 }} style={{ height: '100%', width: '100%' }} attributionControl={Boolean(tileUrl)}>
      {tileUrl && <TileLayer url={tileUrl} />}
      <Polyline positions={positions} pathOptions={{ color: ROUTE_COLOR, weight: 3 }} />
      {all.map((s, i) => (
        <CircleMarker key={`${s.seq}-${i}`} center={[s.lat, s.lon]} radius={i === 0 && start ? 7 : 5} pathOptions={{ color: '#fff', weight: 1, fillColor: i === 0 && start ? ROUTE_COLOR : VILLAGE_OK, fillOpacity: 1 }}>
          <Tooltip permanent={all.length <= 12} direction="right">
            {start && i === 0 ? s.name : `${s.seq}. ${s.name}`}
          </Tooltip>
        </CircleMarker>
      ))}
    </MapContainer>
  );
}
