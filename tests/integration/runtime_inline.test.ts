// The release runtime's inline bitcode (CMakeLists.txt, runtime-c/inline_bitcode.cmake): the hot runtime functions as
// available_externally copies that `tmlc build --release` links into the program. The script makes them with LLVM's
// function importer and refuses what the program could not link; a release build inlines them (tml_alloc becomes a
// call of malloc in the program's own code) and links the precompiled library for everything else.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TMLC = path.join(ROOT, 'bin/tmlc.js');
const SCRIPT = path.join(ROOT, 'runtime-c/inline_bitcode.cmake');
const work = mkdtempSync(path.join(os.tmpdir(), 'tmlc-inline-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// a runtime in miniature: a hot function with an external (hidden) helper, one with a static helper, a cold one
const RUNTIME_C = String.raw`
#include <stdlib.h>
__attribute__((visibility("hidden"), noinline)) void *slow_path(long n) { return calloc(1, (size_t)n); }
static __attribute__((noinline)) void *static_slow(long n) { return malloc((size_t)n + 1); }
void *hot(long n) { return n > 4096 ? slow_path(n) : malloc((size_t)n); }
void *hot_with_static(long n) { return n > 4096 ? static_slow(n) : malloc((size_t)n); }
long cold(long n) { long s = 0; for (long i = 0; i < n; i++) s += i * i; return s; }
`;

async function runScript(functions: string[], name: string) {
  const input = path.join(work, 'rt.bc');
  writeFileSync(path.join(work, 'rt.c'), RUNTIME_C);
  await execa('clang-14', ['-O2', '-fPIC', '-emit-llvm', '-c', path.join(work, 'rt.c'), '-o', input]);
  const output = path.join(work, `${name}.bc`);
  const r = await execa(
    'cmake',
    [
      '-DOPT=opt-14',
      '-DLLVM_LINK=llvm-link-14',
      '-DLLVM_DIS=llvm-dis-14',
      `-DINPUT=${input}`,
      `-DOUTPUT=${output}`,
      `-DWORK_DIR=${path.join(work, name)}`,
      `-DFUNCTIONS=${functions.join(';')}`,
      '-P',
      SCRIPT,
    ],
    { reject: false },
  );
  // cmake wraps long messages over several lines
  return { ...r, output, message: r.stderr.replace(/\s+/g, ' ') };
}

describe('runtime-c/inline_bitcode.cmake', () => {
  it('makes available_externally copies of exactly the functions asked for', async () => {
    const r = await runScript(['hot'], 'ok');
    expect(r.exitCode, r.stderr).toBe(0);
    const ir = (await execa('llvm-dis-14', [r.output, '-o', '-'])).stdout;
    expect(ir).toMatch(/^define available_externally [^@]*@hot\(/m);
    expect(ir.match(/^define /gm)).toHaveLength(1); // no copy of the helper or of `cold`
    expect(ir).toMatch(/^declare hidden [^@]*@slow_path\(/m);
  });

  it('refuses a function that refers to a static helper (the program could not link its copy)', async () => {
    const r = await runScript(['hot', 'hot_with_static'], 'static');
    expect(r.exitCode).not.toBe(0);
    expect(r.message).toContain('refers to a static function or variable');
    expect(r.message).toContain('static_slow');
  });

  it('refuses a function the runtime does not define', async () => {
    const r = await runScript(['hot', 'no_such_function'], 'missing');
    expect(r.exitCode).not.toBe(0);
    expect(r.message).toContain('no_such_function (TML_RT_INLINE_FUNCTIONS) is not an external function');
  });
});

describe('tmlc build --release and the inline bitcode', () => {
  it('links the inline bitcode, inlines tml_alloc and tml_free, and runs', async () => {
    const src = path.join(work, 'trees.tml');
    writeFileSync(
      src,
      [
        'type Tree { Node(Heap[Tree], Heap[Tree]), Leaf }',
        'func make(depth: I32) -> Heap[Tree] {',
        '    if depth > 0 { Heap::new(Node(make(depth - 1), make(depth - 1))) } else { Heap::new(Leaf) }',
        '}',
        'impl Tree {',
        '    func check(this) -> I64 {',
        '        when this {',
        '            Node(l, r) => 1 + l.check() + r.check(),',
        '            Leaf => 1,',
        '        }',
        '    }',
        '}',
        'func main() {',
        '    let t = make(10)',
        '    println("{t.check()}")',
        '}',
        '',
      ].join('\n'),
    );
    const exe = path.join(work, 'trees');
    const b = await execa('node', [TMLC, 'build', '--release', '--verbose', src, '-o', exe], { cwd: ROOT, reject: false });
    expect(b.exitCode, b.stderr).toBe(0);
    expect(b.stderr).toMatch(/llvm-link-14 .*tml_runtime_release_inline\.bc/);
    expect(b.stderr).not.toMatch(/tml_runtime_release\.bc/); // the whole runtime is not optimised again
    expect((await execa(exe)).stdout).toBe('2047');
    // the program's own functions call malloc and free directly: tml_alloc and tml_free were inlined
    const asm = (await execa('llvm-objdump-14', ['-d', '--no-show-raw-insn', exe])).stdout;
    const own = asm.split(/\n(?=[0-9a-f]+ <)/).filter((f) => /^[0-9a-f]+ <(tml\.|drop\$|main>)/.test(f)).join('\n');
    expect(own).toMatch(/callq?\s+\S+ <malloc@plt>/);
    expect(own).toMatch(/(callq?|jmpq?)\s+\S+ <free@plt>/);
    expect(own).not.toMatch(/<tml_alloc>|<tml_free>/);
  });

  it('inlines them into a --release object file too, which links with the release runtime and runs', async () => {
    const obj = path.join(work, 'trees.o');
    const b = await execa('node', [TMLC, 'build', '--release', '--emit=obj', '--verbose', path.join(work, 'trees.tml'), '-o', obj], { cwd: ROOT, reject: false });
    expect(b.exitCode, b.stderr).toBe(0);
    expect(b.stderr).toMatch(/llvm-link-14 .*tml_runtime_release_inline\.bc/);
    const undefinedSymbols = (await execa('llvm-nm-14', ['--undefined-only', obj])).stdout.split('\n').map((l) => l.trim().split(/\s+/).pop());
    expect(undefinedSymbols).toContain('malloc');
    expect(undefinedSymbols).not.toContain('tml_alloc');
    expect(undefinedSymbols).not.toContain('tml_free');
    // an available_externally copy defines no symbol, so the library's definitions do not clash with the object's
    const exe = path.join(work, 'trees-from-object');
    await execa('clang-14', [obj, path.join(ROOT, 'build/lib/libtml_runtime_release.a'), '-lpthread', '-lm', '-o', exe]);
    expect((await execa(exe)).stdout).toBe('2047');
  });
});

// the list in CMakeLists.txt is what the build imports (the script checks each name at build time)
describe('TML_RT_INLINE_FUNCTIONS', () => {
  it('names the hot paths the release benchmarks rely on', () => {
    const cmake = readFileSync(path.join(ROOT, 'CMakeLists.txt'), 'utf8');
    const list = /set\(TML_RT_INLINE_FUNCTIONS([^)]*)\)/.exec(cmake)?.[1]?.split(/\s+/).filter((s) => s !== '') ?? [];
    for (const f of ['tml_alloc', 'tml_free', 'tml_rc_retain', 'tml_rc_release', 'tml_str_release', 'tml_class_pool_alloc', 'tml_class_pool_free', 'tml_obj_check_mut']) {
      expect(list).toContain(f);
    }
  });
});
