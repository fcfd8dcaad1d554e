import { createReadStream, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { LearnedAlias } from '@cuntong/address';
import { addressIndex, presentResolution } from '../../modules/address/address.service.ts';

const MAX_LINE = 100_000;

/** Learned aliases from a file: a JSON array or JSON lines of {"text","code"}. */
function readLearned(file: string): LearnedAlias[] {
  const raw = readFileSync(file, 'utf8').trim();
  if (raw.length === 0) return [];
  const rows = raw.startsWith('[') ? (JSON.parse(raw) as unknown[]) : raw.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
  return rows.filter((r): r is LearnedAlias => typeof r === 'object' && r !== null && typeof (r as LearnedAlias).text === 'string' && typeof (r as LearnedAlias).code === 'string');
}

export function register(program: Command): void {
  const cmd = program.command('address').description('address resolution: free-text rural addresses → village-level division');
  cmd
    .command('resolve')
    .description('read one address per line on stdin (or --file), write one JSON object per line on stdout, in order')
    .option('--region <code>', 'region code of the division extract (default REGION env or 5227)')
    .option('--file <path>', 'read addresses from this file instead of stdin')
    .option('--learned <path>', 'learned aliases: JSON array or JSON lines of {"text","code"}')
    .option('--spans', 'include the matched parts of the text (spans) in resolved answers')
    .action(async (opts: { region?: string; file?: string; learned?: string; spans?: boolean }) => {
      const idx = addressIndex(opts.region, opts.learned ? readLearned(opts.learned) : []);
      const input: NodeJS.ReadableStream = opts.file ? createReadStream(opts.file, { encoding: 'utf8' }) : process.stdin;
      if (!opts.file) process.stdin.setEncoding('utf8');
      const out = process.stdout;
      // A closed pipe (… | head) ends the command quietly.
      out.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(0);
        throw err;
      });
      let buf = '';
      const flush = async () => {
        if (buf.length === 0) return;
        const ok = out.write(buf);
        buf = '';
        if (!ok) await new Promise<void>((resolve) => out.once('drain', resolve));
      };
      const answer = (raw: string) => {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        const r = idx.resolve(line);
        const json: Record<string, unknown> = { ...presentResolution(line, r) };
        if (opts.spans && r.status === 'resolved') json.spans = r.spans;
        buf += JSON.stringify(json) + '\n';
      };
      // Lines end at \n only (a stray \r inside a line does not split it, unlike readline); the
      // stream is read chunk by chunk, so a 100k-line file never sits in memory.
      // A line longer than MAX_LINE is kept (and echoed) up to MAX_LINE; the rest of it is skipped.
      let rest = '';
      let skipping = false;
      for await (const chunk of input) {
        let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
        if (skipping) {
          const nl = text.indexOf('\n');
          if (nl < 0) continue;
          answer(rest);
          rest = '';
          skipping = false;
          text = text.slice(nl + 1);
        }
        text = rest + text;
        let from = 0;
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
          answer(text.slice(from, nl));
          from = nl + 1;
        }
        rest = text.slice(from);
        if (rest.length > MAX_LINE) { rest = rest.slice(0, MAX_LINE); skipping = true; }
        if (buf.length > 64 * 1024) await flush();
      }
      if (rest.length > 0 || skipping) answer(rest);
      await flush();
    });
}
