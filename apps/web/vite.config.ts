import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// The web console. `npm run build` (root) runs `vite build --config apps/web/vite.config.ts`;
// the server serves apps/web/dist. Leaflet and ECharts are only imported from src/map and
// src/charts through React.lazy, so they land in their own chunks.
const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Writes .br and .gz next to every JS/CSS/HTML/SVG file over 1 KiB, so the server can send them with
 * @fastify/static `preCompressed: true` (the initial bundle drops from ~1.1 MB to ~330 KB over the wire).
 */
function precompress(): Plugin {
  return {
    name: 'cuntong-precompress',
    apply: 'build',
    // After the files are written: in generateBundle the chunks still hold placeholders that Vite
    // fills later (e.g. `__VITE_PRELOAD__` of dynamic imports), so compressing there served broken JS.
    writeBundle(options, bundle) {
      const dir = options.dir ?? join(root, 'dist');
      for (const file of Object.values(bundle)) {
        if (!/\.(js|css|html|svg)$/.test(file.fileName)) continue;
        const path = join(dir, file.fileName);
        const buf = readFileSync(path);
        if (buf.length < 1024) continue;
        writeFileSync(`${path}.gz`, gzipSync(buf, { level: 9 }));
        writeFileSync(`${path}.br`, brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }));
      }
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  envPrefix: 'VITE_',
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack)[\\/]/, priority: 30 },
            { name: 'i18n', test: /node_modules[\\/](i18next|react-i18next)[\\/]/, priority: 25 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 20 },
            { name: 'leaflet', test: /node_modules[\\/](leaflet|react-leaflet|@react-leaflet)[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:8080', '/partner': 'http://localhost:8080' },
  },
});
