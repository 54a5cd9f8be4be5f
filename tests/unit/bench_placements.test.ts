// benchmarks/opt/placements.mjs: the table the enum dispatch goal is judged on (CPU time over code placements). Fed
// hand-made timing files (lib.sh's measure() format), it must print each program's best / median / worst placement
// and the exact ratios of the medians and the means to the twin's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(import.meta.dirname, '../../benchmarks/opt/placements.mjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'tmlc-placements-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** NAME_atK.json with one result per [label, user s, system s]. */
function timings(name: string, k: number, rows: [string, number, number][]): void {
  const results = rows.map(([command, user, system]) => ({ command, median: 0, min: 0, user, system, times: [] }));
  writeFileSync(path.join(dir, `${name}_at${k}.json`), JSON.stringify({ results }));
}

describe('benchmarks/opt/placements.mjs', () => {
  it('ranges and ratios over the placements, for each benchmark', async () => {
    // C: 200, 280, 240 ms; TML: 260 (250 user + 10 sys), 260, 210 ms
    timings('small', 0, [['C', 0.2, 0], ['TML', 0.25, 0.01]]);
    timings('small', 16, [['C', 0.28, 0], ['TML', 0.26, 0]]);
    timings('small', 32, [['C', 0.24, 0], ['TML', 0.21, 0]]);
    // a second benchmark after `--`, with a third program
    timings('large', 0, [['C', 0.3, 0], ['TML', 0.3, 0], ['TML_noopt', 0.33, 0]]);
    timings('large', 16, [['C', 0.3, 0], ['TML', 0.27, 0], ['TML_noopt', 0.36, 0]]);
    timings('large', 32, [['C', 0.3, 0], ['TML', 0.3, 0], ['TML_noopt', 0.3, 0]]);
    const r = await execa('node', [SCRIPT, dir, 'small', 'C', '0', '16', '32', '--', 'large', 'C']);
    expect(r.stdout).toBe(
      [
        '| benchmark | program | CPU over 3 placements: best / median / worst | / twin: median | / twin: mean |',
        '|---|---|---:|---:|---:|',
        '| small | C | 200.0 / 240.0 / 280.0 ms | | |',
        '| | TML | 210.0 / 260.0 / 260.0 ms | **1.08x** | 1.01x |',
        '| large | C | 300.0 / 300.0 / 300.0 ms | | |',
        '| | TML | 270.0 / 300.0 / 300.0 ms | **1.00x** | 0.97x |',
        '| | TML_noopt | 300.0 / 330.0 / 360.0 ms | **1.10x** | 1.10x |',
      ].join('\n'),
    );
  });

  it('fails when a placement has no result for the twin', async () => {
    timings('lonely', 0, [['TML', 0.2, 0]]);
    const r = await execa('node', [SCRIPT, dir, 'lonely', 'C', '0', '--'], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("placements.mjs: no 'C' in lonely_at*.json");
  });
});
