/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Tile URL template for the map, e.g. https://tiles.example/{z}/{x}/{y}.png (default: no tiles). */
  readonly VITE_MAP_TILE_URL?: string;
}
