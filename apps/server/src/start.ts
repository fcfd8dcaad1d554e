import { existsSync } from 'node:fs';
import { DataDirLockedError } from './db/connect.ts';
import { startServer } from './main.ts';
import { repoPath } from './modules/divisions/reference.ts';

async function webBuild(): Promise<string | undefined> {
  if (process.env.SERVE_WEB === '0') return undefined;
  const ensure = repoPath('apps/web/ensure-build.ts');
  if (!existsSync(ensure)) return undefined;
  const mod = (await import(ensure)) as { ensureWebBuild: () => Promise<{ distDir: string; built: boolean }> };
  const t = Date.now();
  try {
    const r = await mod.ensureWebBuild();
    if (r.built) process.stdout.write(`console built in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    return r.distDir;
  } catch (err) {
    // The API is still useful without the console; say loudly what is wrong.
    process.stderr.write(`cuntong: the web console could not be built, serving the API only: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    return undefined;
  }
}

export async function runFromCommandLine(): Promise<void> {
  try {
    const webDist = await webBuild();
    const server = await startServer({ webDist });
    const { report, ctx } = server;
    const db = ctx.engine === 'pglite' ? `embedded PGlite in ${ctx.config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
    const lines = [
      '',
      `村通 Cuntong is running on ${server.url.replace('localhost', 'localhost')}  (${db})`,
      `  console:  ${server.url}/`,
      `  API docs: ${server.url}/docs   (OpenAPI: ${server.url}/openapi.json)`,
    ];
    if (report.demoSeeded) lines.push('  loaded the Qiannan demo network (first start)');
    if (report.logins.length) {
      lines.push(report.demoSeeded || report.logins.length > 1 ? '  demo logins (demo data only):' : '  administrator login (shown once, change it):');
      for (const l of report.logins) lines.push(`    ${l.username.padEnd(10)} ${l.password}   ${l.role}`);
    }
    process.stdout.write(lines.join('\n') + '\n\n');
    let closing = false;
    const shutdown = async (sig: string) => {
      if (closing) return;
      closing = true;
      process.stdout.write(`\n${sig}: shutting down…\n`);
      // Close the database cleanly: an interrupted PGlite write can leave the directory unusable.
      await server.close().catch(() => {});
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      process.stderr.write(`cuntong: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
