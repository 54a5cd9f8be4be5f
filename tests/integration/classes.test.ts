// The object model's memory guarantees (issue 5), each checked on a real build:
//   - churning 1,000,000 class instances peaks at the same memory as 1,000 (TML_MEM_STATS), Valgrind-clean;
//   - `@pool` class churn keeps the heap flat too;
//   - `@value` classes allocate nothing (the IR has no allocation call);
//   - vtables are constants, one per class and per (class, interface) pair, whatever the number of uses.
// The compiler must be built first (`npx tsc -p tsconfig.json`).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');
const MEM = path.join(ROOT, 'tests', 'programs', 'memory');
let work = '';

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-classes-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

async function build(name: string, extra: string[] = []): Promise<string> {
  const exe = path.join(work, name);
  await execa('node', [TMLC, 'build', path.join(MEM, `${name}.tml`), '-o', exe, ...extra], { cwd: ROOT });
  return exe;
}

async function emitIR(file: string): Promise<string> {
  const out = path.join(work, `${path.basename(file, '.tml')}.ll`);
  await execa('node', [TMLC, 'build', '--emit=ir', file, '-o', out], { cwd: ROOT });
  return fs.readFileSync(out, 'utf8');
}

/** Run with TML_MEM_STATS=1: stdout and the peak numbers of the tracking allocator. */
async function memStats(exe: string, n: number): Promise<{ stdout: string; peakBytes: number; peakBlocks: number; live: number }> {
  const r = await execa(exe, [String(n)], { env: { TML_MEM_STATS: '1' }, reject: false });
  expect(r.exitCode, r.stderr).toBe(0);
  const m = /peak_blocks=(\d+) peak_bytes=(\d+) live_blocks=(\d+)/.exec(r.stderr);
  expect(m, r.stderr).not.toBeNull();
  return { stdout: r.stdout, peakBlocks: Number(m![1]), peakBytes: Number(m![2]), live: Number(m![3]) };
}

function hasValgrind(): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, 'valgrind')));
}

async function valgrindClean(exe: string, args: string[]): Promise<void> {
  const r = await execa('valgrind', ['--leak-check=full', '--error-exitcode=99', exe, ...args], { reject: false });
  expect(r.exitCode, r.stderr).toBe(0);
  expect(r.stderr).toContain('ERROR SUMMARY: 0 errors');
  expect(r.stderr).toContain('All heap blocks were freed');
}

describe('class instance memory', () => {
  it('1,000,000 instantiations peak within 2x of 1,000', async () => {
    const exe = await build('class_churn');
    const small = await memStats(exe, 1000);
    const big = await memStats(exe, 1_000_000);
    expect(small.stdout).toBe('1000 objects, weight 2000, kept 0');
    expect(big.stdout).toBe('1000000 objects, weight 2000000, kept 999000');
    expect(big.live).toBe(0);
    expect(big.peakBytes).toBeLessThanOrEqual(2 * small.peakBytes);
    expect(big.peakBlocks).toBeLessThanOrEqual(2 * small.peakBlocks);
  }, 120_000);

  it('the churn program is Valgrind-clean', async () => {
    if (!hasValgrind()) throw new Error('valgrind is required (ci/setup.sh installs it)');
    await valgrindClean(await build('class_churn'), ['20000']);
  }, 120_000);

  it('@pool classes churn 1,000,000 objects with a flat heap', async () => {
    const exe = await build('pool_class');
    const small = await memStats(exe, 1000);
    const big = await memStats(exe, 1_000_000);
    expect(small.stdout).toBe('1000 particles, sum 499500.0, heat 4500, window 64');
    expect(big.stdout).toBe('1000000 particles, sum 499999500000.0, heat 4500000, window 64');
    expect(big.live).toBe(0);
    expect(big.peakBlocks).toBe(small.peakBlocks);
    if (hasValgrind()) await valgrindClean(exe, ['5000']);
  }, 120_000);
});

describe('class code shape', () => {
  it('@value classes allocate nothing', async () => {
    const ir = await emitIR(path.join(MEM, 'value_class.tml'));
    expect(ir).toContain('define'); // the program is there
    expect(ir).not.toMatch(/call [^\n]*@tml_(obj_|class_pool_|class_tlpool_)?alloc/);
    expect(ir).not.toMatch(/@vtable\$/);
    expect(ir).not.toMatch(/@tml_obj_(retain|release)/);
  }, 60_000);

  it('one constant vtable per class and per class/interface pair', async () => {
    const ir = await emitIR(path.join(ROOT, 'tests', 'programs', 'run', 'class_dispatch.tml'));
    const vtables = [...ir.matchAll(/^@"?(vtable\$[^" ]+)"? = internal constant/gm)].map((m) => m[1]).sort();
    expect(vtables).toEqual([
      'vtable$main.Circle',
      'vtable$main.Circle$main.Named',
      'vtable$main.Shape$main.Named',
      'vtable$main.Square',
      'vtable$main.Square$main.Sized',
      'vtable$main.Tile',
      'vtable$main.Tile$main.Sized',
    ]);
  }, 60_000);

  it('a virtual call is a load of the vtable, a load of the slot and one indirect call', async () => {
    const src = path.join(work, 'one_call.tml');
    fs.writeFileSync(
      src,
      'class A {\n    new() { }\n    virtual func f(this) -> I32 { 1 }\n}\nclass B extends A {\n    new() : base() { }\n    override func f(this) -> I32 { 2 }\n}\nfunc call(a: ref A) -> I32 { a.f() }\nfunc main() {\n    let b: A = B::new()\n    println(call(ref b))\n}\n',
    );
    const out = path.join(work, 'one_call.ll');
    // the MIR optimizer off: it would inline `call` into `main` and, since only `B` is ever constructed, call
    // `B.f` directly (tests/mir_opt/devirt_*); this test is about the code generated for a vtable call
    await execa('node', [TMLC, 'build', '--emit=ir', '--release', '-Z', 'mir-opt=0', src, '-o', out], { cwd: ROOT });
    // clean up the allocas as clang would (no inlining, so the function stays)
    const opt = path.join(work, 'one_call.opt.ll');
    await execa('opt-14', ['-S', '-passes=sroa,instcombine,early-cse,simplifycfg', out, '-o', opt]);
    const ir = fs.readFileSync(opt, 'utf8');
    const body = /define [^\n]*@"?tml\.main\.call"?\([^]*?\n}/.exec(ir)?.[0] ?? '';
    expect(body).not.toBe('');
    // the object (through the `ref`), its vtable, the slot; then the call
    expect((body.match(/ = load /g) ?? []).length).toBe(3);
    expect((body.match(/ call /g) ?? []).length).toBe(1);
    expect(body).toMatch(/call i32 %\d+\(/);
  }, 60_000);
});
