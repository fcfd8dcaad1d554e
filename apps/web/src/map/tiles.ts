import { useConsoleConfig } from '../api/hooks.ts';

/** Tile URL template: GET /api/v1/config → mapTileUrl, else VITE_MAP_TILE_URL, else none (no tiles, no requests). */
export function useTileUrl(): { tileUrl: string | undefined; attribution: string | undefined; ready: boolean } {
  const config = useConsoleConfig();
  const fromEnv = import.meta.env.VITE_MAP_TILE_URL;
  return { tileUrl: config.data?.mapTileUrl || fromEnv || undefined, attribution: config.data?.mapTileAttribution, ready: !config.isPending };
}
