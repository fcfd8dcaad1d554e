// `cuntong address resolve`: every input line gets exactly one JSON line, in order.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

describe('cuntong address resolve', () => {
  it('answers every line, empty and hostile ones too, in order', () => {
    const lines = ['貴州省黔南州都勻市壩固鎮雞賈村', '', '小河村', '遵义', '都匀市', 'a\rb', '<script>x</script>', '😀'.repeat(5000), '匀东镇鸡假村'];
    const res = spawnSync(process.execPath, [ROOT + 'bin/cuntong.mjs', 'address', 'resolve'], { input: lines.join('\n') + '\n', encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
    expect(res.status).toBe(0);
    const out = res.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { input: string; status: string; village?: { code: string } });
    expect(out.map((o) => o.input)).toEqual(lines);
    expect(out.map((o) => o.status)).toEqual(['resolved', 'unresolved', 'ambiguous', 'outside', 'unresolved', 'unresolved', 'unresolved', 'unresolved', 'resolved']);
    expect(out[0]?.village?.code).toBe('522701111212');
    expect(out[8]?.village?.code).toBe('522701111212');
  });
});
