// Iterator adapters allocate nothing per element (issue 11, "Iteration"), checked on a real build of
// tests/programs/memory/iter_chain.tml (a map/filter/sum chain over a range with a capturing closure, and adapters
// over a user-written iterator):
//   - in the --release IR, no function of core::iter or any Iterator method calls an allocation function;
//   - the number of allocations (TML_MEM_STATS) is the same for N = 1,000 and N = 1,000,000.
// The compiler must be built first (`npx tsc -p tsconfig.json`).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { memStats } from './mem_stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');
const SRC = path.join(ROOT, 'tests', 'programs', 'memory', 'iter_chain.tml');
let work = '';

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-iter-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Each defined function of an LLVM module: its name and its body. */
function functions(ir: string): { name: string; body: string }[] {
  const out: { name: string; body: string }[] = [];
  for (const chunk of ir.split(/\n(?=define )/).slice(1)) {
    const m = /^define [^@]*@("[^"]+"|[\w.$]+)/.exec(chunk);
    if (m) out.push({ name: m[1]!.replace(/"/g, ''), body: chunk.slice(0, chunk.indexOf('\n}') + 2) });
  }
  return out;
}

describe('iterator adapters', () => {
  it('no allocation call in an Iterator method or a core::iter function (--release IR)', async () => {
    const out = path.join(work, 'iter_chain.ll');
    await execa('node', [TMLC, 'build', '--release', '--emit=ir', SRC, '-o', out], { cwd: ROOT });
    const fns = functions(fs.readFileSync(out, 'utf8'));
    const iter = fns.filter((f) => f.name.includes('core.iter.') || f.name.includes('Iterator'));
    // the chain's pieces are there: Range, Map, Filter, Enumerate and the consumers sum and fold
    for (const piece of ['Range$as$core.iter.Iterator.next', 'Map$as$core.iter.Iterator.next', 'Filter$as$core.iter.Iterator.next', 'Enumerate$as$core.iter.Iterator.next', 'Iterator.sum', 'Iterator.fold']) {
      expect(iter.some((f) => f.name.includes(piece)), piece).toBe(true);
    }
    for (const f of iter) expect(f.body, f.name).not.toMatch(/call [^\n]*@(tml_alloc|tml_alloc_zeroed|tml_realloc|malloc|calloc|realloc)\b/);
  }, 120_000);

  it('allocates as often for 1,000,000 elements as for 1,000 (TML_MEM_STATS)', async () => {
    const exe = path.join(work, 'iter_chain');
    await execa('node', [TMLC, 'build', SRC, '-o', exe], { cwd: ROOT });
    const stats = (n: number) => memStats(exe, [String(n)]);
    const small = await stats(1000);
    const big = await stats(1_000_000);
    expect(small.stdout).toBe('751500 71786');
    expect(big.stdout).toBe('750001500000 71428928571');
    expect(big.allocs).toBe(small.allocs);
    expect(big.live).toBe(0);
  }, 120_000);
});
