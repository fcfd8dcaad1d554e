import { existsSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the console with Vite's JS API when apps/web/dist/index.html is missing or older than any
 * source (src/**, index.html, vite.config.ts), so `npm install && npm start` is enough.
 * Concurrent calls in one process share one build.
 */
const webDir = fileURLToPath(new URL('.', import.meta.url));
const distDir = join(webDir, 'dist');
const configFile = join(webDir, 'vite.config.ts');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function webBuildIsStale(): boolean {
  const index = join(distDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = Math.max(newestMtime(join(webDir, 'src')), newestMtime(join(webDir, 'index.html')), newestMtime(configFile));
  return sources > built;
}

let pending: Promise<{ distDir: string; built: boolean }> | undefined;

export function ensureWebBuild(): Promise<{ distDir: string; built: boolean }> {
  pending ??= (async () => {
    if (!webBuildIsStale()) return { distDir, built: false };
    const { build } = await import('vite');
    // Always a production bundle: under vitest NODE_ENV is "test", and Vite would then bundle
    // React's development build (several times slower to render).
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    // Build beside dist/ and swap it in, so a failed or concurrent build never leaves a half-written dist/.
    const tmpDir = join(webDir, 'node_modules', `.dist-build-${process.pid}-${Date.now()}`); // git-ignored
    try {
      await build({ configFile, mode: 'production', logLevel: 'warn', build: { outDir: tmpDir, emptyOutDir: true } });
      const old = `${distDir}.old-${process.pid}`;
      if (existsSync(distDir)) renameSync(distDir, old);
      renameSync(tmpDir, distDir);
      rmSync(old, { recursive: true, force: true });
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
      try {
        rmdirSync(join(webDir, 'node_modules')); // only if we created it and it is empty
      } catch {
        // not empty or not there
      }
      if (saved === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = saved;
    }
    return { distDir, built: true };
  })().finally(() => {
    pending = undefined;
  });
  return pending;
}
