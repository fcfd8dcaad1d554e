// npm run bench:labels [-- --n 10000]
// 10,000 waybill labels (100 × 150 mm, Chinese text, Code 128, QR) streamed into one PDF, beside a
// baseline measured in the same run: the same number of pages with one line of text in the same
// font, written with plain pdfkit. Each variant runs in its own child process so that its peak
// RSS is its own. Targets: ≤ 15 s and ≤ 500 MB peak RSS for 10,000 labels.
import { fork } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

interface Result {
  variant: string;
  seconds: number;
  pages: number;
  bytes: number;
  peakRssMb: number;
  /** user + system CPU seconds of the process (less sensitive to the machine's load than wall time) */
  cpuSeconds: number;
  prepSeconds?: number;
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
};
const N = Number(arg('n') ?? 10_000);

async function runLabels(out: string): Promise<Result> {
  const { demoLabels } = await import('./fixtures/demo-labels.ts');
  const { renderLabelsPdf } = await import('@cuntong/labels/labels-pdf.ts');
  const t0 = performance.now();
  const labels = demoLabels(N);
  const prep = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  let pages = 0;
  await pipeline(Readable.from(renderLabelsPdf(labels, { onProgress: (d) => (pages = d) })), createWriteStream(out));
  const cpu = process.cpuUsage(c1);
  return { variant: 'cuntong labels', seconds: (performance.now() - t1) / 1000, pages, bytes: statSync(out).size, peakRssMb: process.resourceUsage().maxRSS / 1024, cpuSeconds: (cpu.user + cpu.system) / 1e6, prepSeconds: prep };
}

async function runBaseline(out: string): Promise<Result> {
  const { default: PDFDocument } = await import('pdfkit');
  const { NOTO_SANS_SC_PATH } = await import('@cuntong/labels/pdf/font.ts');
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const doc = new PDFDocument({ size: [283.46, 425.2], margin: 10, autoFirstPage: false });
  const done = pipeline(doc, createWriteStream(out));
  doc.registerFont('noto', NOTO_SANS_SC_PATH);
  for (let i = 0; i < N; i++) {
    doc.addPage();
    doc.font('noto').fontSize(12).text(`运单 ${9527_0000_0000 + i} 广东 深圳 南山区`, 20, 40);
  }
  doc.end();
  await done;
  const cpu = process.cpuUsage(c1);
  return { variant: 'baseline: pdfkit, 1 line/page', seconds: (performance.now() - t1) / 1000, pages: N, bytes: statSync(out).size, peakRssMb: process.resourceUsage().maxRSS / 1024, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

async function child(kind: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cuntong-bench-labels-'));
  try {
    const out = join(dir, `${kind}.pdf`);
    const r = kind === 'labels' ? await runLabels(out) : await runBaseline(out);
    process.send?.(r);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnChild(kind: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = fork(fileURLToPath(import.meta.url), ['--child', kind, '--n', String(N)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: Result | undefined;
    p.on('message', (m) => (result = m as Result));
    p.on('error', reject);
    p.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`${kind} child exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const kind = arg('child');
  if (kind) return child(kind);
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  process.stdout.write(`bench:labels — ${N} labels 100×150 mm into one PDF (load average before: ${load}; shared 2-core machine)\n`);
  const labels = await spawnChild('labels');
  const baseline = await spawnChild('baseline');
  const row = (r: Result) =>
    `${r.variant.padEnd(32)} ${r.seconds.toFixed(2).padStart(8)} ${r.cpuSeconds.toFixed(2).padStart(8)} ${String(r.pages).padStart(7)} ${(r.bytes / 1048576).toFixed(1).padStart(8)} ${r.peakRssMb.toFixed(0).padStart(8)}  ${((r.seconds * 1000) / r.pages).toFixed(2)} ms/page`;
  process.stdout.write(`${'variant'.padEnd(32)} ${'seconds'.padStart(8)} ${'CPU s'.padStart(8)} ${'pages'.padStart(7)} ${'size MB'.padStart(8)} ${'RSS MB'.padStart(8)}\n`);
  process.stdout.write(row(labels) + '\n' + row(baseline) + '\n');
  process.stdout.write(`(label data for ${N} demo orders prepared in ${labels.prepSeconds?.toFixed(2)} s before timing: parse, resolve address, allocate numbers)\n`);
  const ok = labels.seconds <= 15 && labels.peakRssMb <= 500;
  process.stdout.write(`target ≤ 15 s and ≤ 500 MB peak RSS: ${ok ? 'met' : 'NOT met'}; load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
}

await main();
