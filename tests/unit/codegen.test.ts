// Code generation: MIR programs built by hand → LLVM IR (always verified), and several of them compiled with
// clang-14 against the C runtime and run, checking exact stdout and exit status.
import { execaSync } from 'execa';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLLVM, type CodegenOptions, type CodegenResult } from '../../compiler/src/codegen/program.js';
import { CodegenError } from '../../compiler/src/codegen/llvm.js';
import { externalFunctions, LARGE_FUNCTION_MIR_SIZE, mirSize } from '../../compiler/src/codegen/linkage.js';
import type {
  BasicBlock,
  Callee,
  ConstValue,
  LocalDecl,
  MirExtern,
  MirFunction,
  MirProgram,
  MirTest,
  MirVtable,
  Operand,
  Place,
  Projection,
  Rvalue,
  Statement,
  Terminator,
} from '../../compiler/src/mir/mir.js';
import { mangleType, newParam, T, intType, type AdtDef, type Type, type VariantDef } from '../../compiler/src/sema/types.js';
import { SourceMap, type Span } from '../../compiler/src/syntax/source.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// ---------- a fake source file (for locations) ----------

const FILE = 'tests/codegen_fake.tml';
const LINES = Array.from({ length: 120 }, (_, i) => `    line ${i + 1} of a fake TML source`);
const sources = new SourceMap();
sources.add(FILE, LINES.join('\n'));

function sp(line = 1, col = 5): Span {
  let off = 0;
  for (let i = 0; i < line - 1; i++) off += LINES[i]!.length + 1;
  return { file: FILE, start: off + col - 1, end: off + col };
}

// ---------- MIR construction helpers ----------

const I32 = T.i32;
const I64 = T.i64;
const U8 = T.u8;
const U64 = T.u64;
const I128 = intType('I128');
const ptr = (inner: Type): Type => ({ k: 'ptr', inner });
const ref = (inner: Type, mutable = false): Type => ({ k: 'ref', mutable, inner });
const tuple = (...elems: Type[]): Type => ({ k: 'tuple', elems });
const array = (elem: Type, size: number): Type => ({ k: 'array', elem, size });
const func = (params: Type[], ret: Type): Type => ({ k: 'func', params, ret });

const pl = (local: number, ...proj: Projection[]): Place => ({ local, proj });
const field = (index: number): Projection => ({ k: 'field', index });
const variant = (v: number, index: number): Projection => ({ k: 'variant', variant: v, index });
const deref: Projection = { k: 'deref' };
const index = (local: number): Projection => ({ k: 'index', index: local });

const copy = (local: number, ...proj: Projection[]): Operand => ({ k: 'copy', place: pl(local, ...proj) });
const move = (local: number, ...proj: Projection[]): Operand => ({ k: 'move', place: pl(local, ...proj) });
const cv = (value: ConstValue, ty: Type): Operand => ({ k: 'const', value, ty });
const int = (v: number | bigint, ty: Type = I64): Operand => cv({ k: 'int', value: BigInt(v) }, ty);
const float = (v: number): Operand => cv({ k: 'float', value: v }, T.f64);
const bool = (v: boolean): Operand => cv({ k: 'bool', value: v }, T.bool);
const str = (s: string): Operand => cv({ k: 'str', value: s }, T.str);
const loc = (line: number, col = 5): Operand => cv({ k: 'loc', span: sp(line, col) }, ptr(U8));
const cstr = (s: string): Operand => cv({ k: 'cstr', value: s }, ptr(U8));

const assign = (place: Place, rvalue: Rvalue, line = 1): Statement => ({ k: 'assign', place, rvalue, span: sp(line) });
const use = (op: Operand): Rvalue => ({ k: 'use', op });
const bin = (op: Extract<Rvalue, { k: 'binary' }>['op'], left: Operand, right: Operand): Rvalue => ({ k: 'binary', op, left, right });
const call = (dest: Place | null, callee: Callee, args: Operand[], opts: { noReturn?: boolean; line?: number } = {}): Statement => ({
  k: 'call',
  dest,
  callee,
  args,
  span: sp(opts.line ?? 1),
  noReturn: opts.noReturn ?? false,
});
const fnc = (symbol: string): Callee => ({ k: 'fn', symbol });
const ext = (symbol: string, ret: Type = T.unit): Callee => ({ k: 'extern', symbol, ret });

class Fn {
  readonly locals: LocalDecl[] = [];
  readonly blocks: BasicBlock[] = [];
  constructor(
    readonly symbol: string,
    readonly retTy: Type,
    readonly params: Type[] = [],
    readonly line = 1,
  ) {
    this.local(retTy, 'return');
    params.forEach((p, i) => this.local(p, 'arg', `arg${i + 1}`));
  }
  local(ty: Type, kind: LocalDecl['kind'] = 'temp', name: string | null = null): number {
    const id = this.locals.length;
    this.locals.push({ id, ty, name, kind, span: sp(this.line) });
    return id;
  }
  var(ty: Type, name: string): number {
    return this.local(ty, 'var', name);
  }
  block(stmts: Statement[] = [], term: Terminator = { k: 'return' }): BasicBlock {
    const b: BasicBlock = { id: this.blocks.length, stmts, term, termSpan: sp(this.line) };
    this.blocks.push(b);
    return b;
  }
  build(kind: MirFunction['kind'] = 'fn', exported = false): MirFunction {
    return {
      symbol: this.symbol,
      displayName: this.symbol,
      kind,
      locals: this.locals,
      argCount: this.params.length,
      retTy: this.retTy,
      blocks: this.blocks,
      span: sp(this.line),
      exported,
    };
  }
}

function program(
  functions: MirFunction[],
  opts: { entry?: string | null; returnsI32?: boolean; tests?: MirTest[]; externs?: MirExtern[]; vtables?: MirVtable[] } = {},
): MirProgram {
  return {
    functions,
    externs: opts.externs ?? [],
    vtables: opts.vtables ?? [],
    globals: [],
    staticInit: null,
    staticDrop: null,
    entry: opts.entry === null ? null : { symbol: opts.entry ?? 'test::main', returnsI32: opts.returnsI32 ?? false },
    tests: opts.tests ?? [],
    sources,
  };
}

function adt(kind: AdtDef['kind'], name: string, params: AdtDef['params'] = []): AdtDef {
  return { kind, name, path: `test::${name}`, params, fields: [], variants: [], span: sp(1), attrs: new Set(), nodeId: 0 };
}
function variantDef(name: string, index: number, fields: Type[]): VariantDef {
  return {
    name,
    index,
    fields: fields.map((ty, i) => ({ name: String(i), ty, span: sp(1), hasDefault: false })),
    shape: fields.length ? 'tuple' : 'unit',
    span: sp(1),
  };
}

/** fn print_i64(v: I64): println(Str(v)) */
function printI64(): MirFunction {
  const f = new Fn('test::print_i64', T.unit, [I64]);
  const s = f.local(T.str);
  f.block([
    call(pl(s), ext('tml_str_from_i64', T.str), [copy(1)]),
    call(null, ext('tml_println'), [copy(s), int(0, I32)]),
    call(null, ext('tml_str_release'), [move(s)]),
  ]);
  return f.build();
}
const printCall = (op: Operand, line = 1) => call(null, fnc('test::print_i64'), [op], { line });

// ---------- building, compiling, running ----------

const BASE: CodegenOptions = { triple: 'x86_64-pc-linux-gnu', debugInfo: true, checkLeaks: true, harness: 'main', moduleName: 'codegen_test' };
const HOST_TRIPLE = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-pc-linux-gnu';

function gen(p: MirProgram, opts: Partial<CodegenOptions> = {}): { result: CodegenResult; ir: string } {
  const result = generateLLVM(p, { ...BASE, triple: HOST_TRIPLE, ...opts });
  expect(result.verifyFailure).toBeNull();
  return { result, ir: result.ir() };
}

let workDir = '';
let runtimeLib = '';
let runtimeNote = '';
let counter = 0;

function compileAndRun(p: MirProgram, args: string[] = [], opts: Partial<CodegenOptions> = {}) {
  const { result, ir } = gen(p, opts);
  const n = counter++;
  const bc = path.join(workDir, `prog${n}.bc`);
  const exe = path.join(workDir, `prog${n}`);
  result.writeBitcode(bc);
  execaSync('clang-14', ['-O0', bc, runtimeLib, '-lpthread', '-lm', '-o', exe]);
  const r = execaSync(exe, args, { reject: false, env: { TML_MEM_STATS: '' } });
  return { ir, stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
}

// A last resort when the real runtime cannot be built: the few entry points these tests call.
const STUB_RUNTIME = String.raw`
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
typedef struct { const char *file; int32_t line, col; } TmlLoc;
typedef struct { int64_t rc, len; char bytes[]; } TmlStr;
typedef struct Env { int64_t rc; void (*drop_fn)(struct Env *); } Env;
static long live;
void *tml_alloc(int64_t n, const void *site) { (void)site; live++; return malloc((size_t)n); }
void tml_free(void *p, const void *loc) { (void)loc; if (p) { live--; free(p); } }
void tml_str_release(TmlStr *s) { if (s && s->rc != INT64_MIN && --s->rc == 0) tml_free(s, 0); }
static TmlStr *mk(const char *b, int64_t n) { TmlStr *s = tml_alloc(16 + n + 1, 0); s->rc = 1; s->len = n; memcpy(s->bytes, b, (size_t)n); s->bytes[n] = 0; return s; }
TmlStr *tml_str_concat(TmlStr *a, TmlStr *b) { char buf[4096]; memcpy(buf, a->bytes, (size_t)a->len); memcpy(buf + a->len, b->bytes, (size_t)b->len); return mk(buf, a->len + b->len); }
TmlStr *tml_str_from_i64(int64_t v) { char buf[32]; int n = snprintf(buf, sizeof buf, "%lld", (long long)v); return mk(buf, n); }
void tml_print(TmlStr *s, int32_t e) { fwrite(s->bytes, 1, (size_t)s->len, e ? stderr : stdout); }
void tml_println(TmlStr *s, int32_t e) { if (s) tml_print(s, e); fputc('\n', e ? stderr : stdout); }
void tml_closure_release(Env *e) { if (e && --e->rc == 0) { if (e->drop_fn) e->drop_fn(e); tml_free(e, 0); } }
void tml_panic_overflow(const TmlLoc *l, const char *op) { fflush(stdout); fprintf(stderr, "panic at %s:%d:%d: attempt to %s with overflow\n", l->file, l->line, l->col, op); exit(101); }
void tml_runtime_init(int32_t c, char **v, int32_t k) { (void)c; (void)v; (void)k; }
int32_t tml_runtime_exit(int32_t s) { fflush(stdout); if (live) { fprintf(stderr, "tmlc: %ld leaks\n", live); return 102; } return s; }
`;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-codegen-test-'));
  const prebuilt = path.join(REPO, 'build/lib/libtml_runtime_debug.a');
  if (fs.existsSync(prebuilt)) {
    runtimeLib = prebuilt;
    runtimeNote = 'prebuilt debug runtime';
    return;
  }
  const buildDir = path.join(workDir, 'runtime-build');
  try {
    execaSync('cmake', ['-S', REPO, '-B', buildDir, '-DTML_ENABLE_ASAN=OFF', '-DTML_ENABLE_UBSAN=OFF', '-DTML_ENABLE_LSAN=OFF', '-DTML_BUILD_TESTS=OFF']);
    execaSync('cmake', ['--build', buildDir, '--target', 'tml_runtime_debug', '-j2']);
    runtimeLib = path.join(buildDir, 'lib/libtml_runtime_debug.a');
    runtimeNote = 'debug runtime built for this test';
  } catch {
    const c = path.join(workDir, 'stub.c');
    fs.writeFileSync(c, STUB_RUNTIME);
    runtimeLib = path.join(workDir, 'stub.o');
    execaSync('clang-14', ['-c', '-O0', c, '-o', runtimeLib]);
    runtimeNote = 'C stub runtime (the real runtime did not build)';
  }
}, 300_000);

afterAll(() => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

// ---------- programs ----------

/** add_checked(a, b): checked add, panics via tml_panic_overflow on overflow */
function overflowProgram(): MirProgram {
  const add = new Fn('test::add_checked', I32, [I32, I32], 3);
  const pair = add.local(tuple(I32, T.bool));
  add.block([assign(pl(pair), { k: 'checked', op: 'add', left: copy(1), right: copy(2) }, 4)], {
    k: 'branch',
    cond: copy(pair, field(1)),
    then: 1,
    else: 2,
  });
  add.block([call(null, ext('tml_panic_overflow', T.never), [loc(4, 12), cstr('add')], { noReturn: true, line: 4 })], { k: 'unreachable' });
  add.block([assign(pl(0), use(copy(pair, field(0))), 4)]);

  const main = new Fn('test::main', T.unit, [], 10);
  const r = main.var(I32, 'r');
  const w = main.local(I64);
  main.block([
    call(pl(r), fnc('test::add_checked'), [int(40, I32), int(2, I32)], { line: 11 }),
    assign(pl(w), { k: 'cast', operand: copy(r), to: I64 }, 11),
    printCall(copy(w), 11),
    call(pl(r), fnc('test::add_checked'), [int(2147483647, I32), int(1, I32)], { line: 12 }),
    assign(pl(w), { k: 'cast', operand: copy(r), to: I64 }, 12),
    printCall(copy(w), 12),
  ]);
  return program([add.build(), main.build(), printI64()]);
}

/** sum_mul(a, b, c) = (a + b) * c, both checked: two panic blocks that codegen merges into one (panic_blocks.ts) */
function twoChecksProgram(): MirProgram {
  const f = new Fn('test::sum_mul', I32, [I32, I32, I32], 3);
  const p1 = f.local(tuple(I32, T.bool));
  const s = f.local(I32);
  const p2 = f.local(tuple(I32, T.bool));
  const panic = (line: number, col: number, op: string) =>
    call(null, ext('tml_panic_overflow', T.never), [loc(line, col), cstr(op)], { noReturn: true, line });
  f.block([assign(pl(p1), { k: 'checked', op: 'add', left: copy(1), right: copy(2) }, 4)], { k: 'branch', cond: copy(p1, field(1)), then: 1, else: 2 });
  f.block([panic(4, 12, 'add')], { k: 'unreachable' });
  f.block(
    [assign(pl(s), use(copy(p1, field(0))), 4), assign(pl(p2), { k: 'checked', op: 'mul', left: copy(s), right: copy(3) }, 5)],
    { k: 'branch', cond: copy(p2, field(1)), then: 3, else: 4 },
  );
  f.block([panic(5, 7, 'multiply')], { k: 'unreachable' });
  f.block([assign(pl(0), use(copy(p2, field(0))), 5)]);

  const main = new Fn('test::main', T.unit, [], 10);
  const r = main.var(I32, 'r');
  const w = main.local(I64);
  main.block([
    call(pl(r), fnc('test::sum_mul'), [int(1, I32), int(2, I32), int(3, I32)], { line: 11 }),
    assign(pl(w), { k: 'cast', operand: copy(r), to: I64 }, 11),
    printCall(copy(w), 11),
    call(pl(r), fnc('test::sum_mul'), [int(1, I32), int(1, I32), int(1 << 30, I32)], { line: 12 }),
    assign(pl(w), { k: 'cast', operand: copy(r), to: I64 }, 12),
    printCall(copy(w), 12),
  ]);
  return program([f.build(), main.build(), printI64()]);
}

function helloProgram(): MirProgram {
  const main = new Fn('test::main', I32, [], 2);
  main.block([
    call(null, ext('tml_println'), [str('Hello, TML!'), int(0, I32)], { line: 2 }),
    call(null, ext('tml_println'), [str('Hello, TML!'), int(0, I32)], { line: 3 }),
    call(null, ext('tml_print'), [str('héllo — ünï\n'), int(0, I32)], { line: 4 }),
    call(null, ext('tml_println'), [str('to stderr'), int(1, I32)], { line: 5 }),
    assign(pl(0), use(int(3, I32)), 6),
  ]);
  return program([main.build()], { returnsI32: true });
}

function shapeType(): Type {
  const def = adt('enum', 'Shape');
  def.variants = [variantDef('Circle', 0, [I64]), variantDef('Rect', 1, [I64, I64]), variantDef('Empty', 2, [])];
  return { k: 'adt', def, args: [] };
}

function maybeType(arg: Type): Type {
  const p = newParam('T');
  const def = adt('enum', 'Maybe', [p]);
  def.variants = [variantDef('Just', 0, [p]), variantDef('Nothing', 1, [])];
  return { k: 'adt', def, args: [arg] };
}

function enumProgram(): MirProgram {
  const Shape = shapeType();
  const area = new Fn('test::area', I64, [Shape], 20);
  const tag = area.local(I32);
  const a = area.local(I64);
  const b = area.local(I64);
  area.block([assign(pl(tag), { k: 'discriminant', place: pl(1) })], {
    k: 'switch',
    discr: copy(tag),
    cases: [
      { value: 0n, target: 1 },
      { value: 1n, target: 2 },
    ],
    otherwise: 3,
  });
  area.block([
    assign(pl(a), use(copy(1, variant(0, 0)))),
    assign(pl(0), bin('mul', copy(a), copy(a))),
    assign(pl(0), bin('mul', copy(0), int(3))),
  ]);
  area.block([
    assign(pl(a), use(copy(1, variant(1, 0)))),
    assign(pl(b), use(copy(1, variant(1, 1)))),
    assign(pl(0), bin('mul', copy(a), copy(b))),
  ]);
  area.block([assign(pl(0), use(int(0)))]);

  // unwrap_or(m: Maybe[I64], d: I64) -> I64, a generic enum instance
  const Maybe = maybeType(I64);
  const unwrap = new Fn('test::unwrap_or', I64, [Maybe, I64], 30);
  const t2 = unwrap.local(I32);
  unwrap.block([assign(pl(t2), { k: 'discriminant', place: pl(1) })], { k: 'switch', discr: copy(t2), cases: [{ value: 0n, target: 1 }], otherwise: 2 });
  unwrap.block([assign(pl(0), use(copy(1, variant(0, 0))))]);
  unwrap.block([assign(pl(0), use(copy(2)))]);

  const main = new Fn('test::main', T.unit, [], 40);
  const s = main.var(Shape, 's');
  const r = main.var(I64, 'r');
  const m = main.var(Maybe, 'm');
  main.block([
    assign(pl(s), { k: 'aggregate', kind: { k: 'variant', variant: 0 }, ops: [int(5)] }),
    call(pl(r), fnc('test::area'), [copy(s)]),
    printCall(copy(r)),
    assign(pl(s), { k: 'aggregate', kind: { k: 'variant', variant: 1 }, ops: [int(3), int(4)] }),
    call(pl(r), fnc('test::area'), [copy(s)]),
    printCall(copy(r)),
    assign(pl(s), { k: 'aggregate', kind: { k: 'variant', variant: 2 }, ops: [] }),
    call(pl(r), fnc('test::area'), [copy(s)]),
    printCall(copy(r)),
    assign(pl(m), { k: 'aggregate', kind: { k: 'variant', variant: 0 }, ops: [int(-7)] }),
    call(pl(r), fnc('test::unwrap_or'), [copy(m), int(99)]),
    printCall(copy(r)),
    assign(pl(m), { k: 'aggregate', kind: { k: 'variant', variant: 1 }, ops: [] }),
    call(pl(r), fnc('test::unwrap_or'), [copy(m), int(99)]),
    printCall(copy(r)),
  ]);
  return program([area.build(), unwrap.build(), main.build(), printI64()]);
}

function closureProgram(): MirProgram {
  const envTy = tuple(I64, ptr(U8), T.str);
  const fnTy = func([I64], I64);

  // the closure body: prints the captured Str, returns n * 2
  const body = new Fn('test::main::{closure}', I64, [ref(envTy), I64], 50);
  const cap = body.local(T.str);
  body.block([
    assign(pl(cap), use(copy(1, deref, field(2)))),
    call(null, ext('tml_println'), [copy(cap), int(0, I32)]),
    assign(pl(0), bin('mul', copy(2), int(2))),
  ]);

  // environment drop glue: releases the captured Str
  const envDrop = new Fn('test::main::{closure}::drop_env', T.unit, [ref(envTy, true)], 50);
  envDrop.block([call(null, ext('tml_str_release'), [copy(1, deref, field(2))])]);

  // drop glue of the func type (as mir/glue.ts builds it): release the environment, field 1 of the func value
  const glue = new Fn(`drop$${mangleType(fnTy)}`, T.unit, [ref(fnTy, true)], 1);
  const env = glue.local(ptr(U8));
  glue.block([assign(pl(env), use(copy(1, deref, field(1)))), call(null, ext('tml_closure_release'), [move(env)])]);

  // a thunk used as a function value: (env, n) -> n + 1
  const thunk = new Fn('test::inc::{thunk}', I64, [ptr(U8), I64], 55);
  thunk.block([assign(pl(0), bin('add', copy(2), int(1)))]);

  const main = new Fn('test::main', T.unit, [], 60);
  const s = main.var(T.str, 's');
  const f = main.var(fnTy, 'f');
  const r = main.var(I64, 'r');
  const flag = main.local(T.bool, 'flag');
  const g = main.var(fnTy, 'g');
  main.block([
    call(pl(s), ext('tml_str_concat', T.str), [str('cap'), str('tured')]),
    assign(pl(f), {
      k: 'aggregate',
      kind: { k: 'closure', fn: 'test::main::{closure}', envTy, envDrop: 'test::main::{closure}::drop_env' },
      ops: [move(s)],
    }),
    call(pl(r), { k: 'closure', value: copy(f) }, [int(21)]),
    printCall(copy(r)),
    call(pl(r), { k: 'closure', value: copy(f) }, [int(50)]),
    printCall(copy(r)),
    assign(pl(flag), use(bool(true))),
    { k: 'drop', place: pl(f), flag, span: sp(61) },
    assign(pl(flag), use(bool(false))),
    // a second drop of the same closure would be a double free: the false flag must skip it
    { k: 'drop', place: pl(f), flag, span: sp(62) },
    assign(pl(g), use(cv({ k: 'fn', symbol: 'test::inc::{thunk}' }, fnTy))),
    call(pl(r), { k: 'closure', value: copy(g) }, [int(41)]),
    printCall(copy(r)),
    // a capture-less closure: null environment, dropping it is a no-op
    assign(pl(g), { k: 'aggregate', kind: { k: 'closure', fn: 'test::inc::{thunk}', envTy: tuple(I64, ptr(U8)), envDrop: null }, ops: [] }),
    call(pl(r), { k: 'closure', value: copy(g) }, [int(-1)]),
    printCall(copy(r)),
    { k: 'drop', place: pl(g), flag: null, span: sp(63) },
  ]);
  return program([body.build('closure'), envDrop.build('drop-glue'), glue.build('drop-glue'), thunk.build('thunk'), main.build(), printI64()]);
}

function loopProgram(): MirProgram {
  const main = new Fn('test::main', T.unit, [], 70);
  const i = main.var(I64, 'i');
  const sum = main.var(I64, 'sum');
  const c = main.local(T.bool);
  const arr = main.var(array(I64, 5), 'arr');
  const k = main.var(U64, 'k');
  const x = main.var(T.f64, 'x');
  const u = main.local(U8);
  const big = main.local(I128);
  const tot = main.local(tuple(I64, T.bool));
  // bb0: i = 1; sum = 0
  main.block([assign(pl(i), use(int(1))), assign(pl(sum), use(int(0)))], { k: 'goto', target: 1 });
  // bb1: while i <= 10
  main.block([assign(pl(c), bin('le', copy(i), int(10)))], { k: 'branch', cond: copy(c), then: 2, else: 3 });
  // bb2: sum += i; i += 1
  main.block([assign(pl(sum), bin('add', copy(sum), copy(i))), assign(pl(i), bin('add', copy(i), int(1)))], { k: 'goto', target: 1 });
  // bb3: print sum; arr = [10, 20, 30, 40, 50]; k = 0; sum = 0
  main.block(
    [
      printCall(copy(sum)),
      assign(pl(arr), { k: 'aggregate', kind: { k: 'array' }, ops: [int(10), int(20), int(30), int(40), int(50)] }),
      assign(pl(k), use(int(0, U64))),
      assign(pl(sum), use(int(0))),
    ],
    { k: 'goto', target: 4 },
  );
  // bb4: while k < 5
  main.block([assign(pl(c), bin('lt', copy(k), int(5, U64)))], { k: 'branch', cond: copy(c), then: 5, else: 6 });
  // bb5: sum += arr[k]; k += 1
  main.block([assign(pl(sum), bin('add', copy(sum), copy(arr, index(k)))), assign(pl(k), bin('add', copy(k), int(1, U64)))], { k: 'goto', target: 4 });
  // bb6: shifts, saturating float→int casts, i128 constants, checked mul without overflow
  main.block([
    printCall(copy(sum)),
    assign(pl(i), bin('shl', int(1), int(65))),
    printCall(copy(i)),
    assign(pl(i), bin('shr', int(-16), int(2))),
    printCall(copy(i)),
    assign(pl(k), bin('shr', int(-16n & 0xffffffffffffffffn, U64), int(60, U64))),
    assign(pl(i), { k: 'cast', operand: copy(k), to: I64 }),
    printCall(copy(i)),
    assign(pl(x), use(float(1e20))),
    assign(pl(i), { k: 'cast', operand: copy(x), to: I64 }),
    printCall(copy(i)),
    assign(pl(x), use(float(-1.5))),
    assign(pl(u), { k: 'cast', operand: copy(x), to: U8 }),
    assign(pl(i), { k: 'cast', operand: copy(u), to: I64 }),
    printCall(copy(i)),
    assign(pl(big), use(int(1n << 100n, I128))),
    assign(pl(big), bin('shr', copy(big), int(64, I128))),
    assign(pl(i), { k: 'cast', operand: copy(big), to: I64 }),
    printCall(copy(i)),
    assign(pl(tot), { k: 'checked', op: 'mul', left: int(-3_000_000_000), right: int(3) }),
    printCall(copy(tot, field(0))),
    assign(pl(i), { k: 'unary', op: 'neg', operand: copy(tot, field(0)) }),
    printCall(copy(i)),
    assign(pl(i), { k: 'cast', operand: cv({ k: 'sizeof', of: tuple(T.bool, I64) }, I64), to: I64 }),
    printCall(copy(i)),
  ]);
  return program([main.build(), printI64()]);
}

// ---------- trait objects ----------

const describeBehavior = { name: 'Describe', path: 'test::Describe', params: [], assocTypes: [], supers: [], span: sp(1), methods: new Map() };
const DynDescribe: Type = { k: 'dyn', behavior: describeBehavior, args: [] };

/** Two concrete types behind `dyn Describe` (slot 0: drop glue, slot 1: `describe(self, n: I64) -> I64`), boxed with
 * tml_alloc, unsized (one from a `*Cat`, one from a `ref Dog`), kept in an array of two `*dyn Describe`, called
 * through the vtable in a loop and dropped through `drop((*objs[i]))`: the `dyn` drop glue runs slot 0 and frees
 * the box. Dog owns a runtime Str, released by its own drop glue (the leak checker sees a missed one). */
function dynProgram(): MirProgram {
  const catDef = adt('struct', 'Cat');
  catDef.fields = [{ name: 'lives', ty: I64, span: sp(1), hasDefault: false }];
  const Cat: Type = { k: 'adt', def: catDef, args: [] };
  const dogDef = adt('struct', 'Dog');
  dogDef.fields = [
    { name: 'name', ty: T.str, span: sp(1), hasDefault: false },
    { name: 'age', ty: I64, span: sp(1), hasDefault: false },
  ];
  const Dog: Type = { k: 'adt', def: dogDef, args: [] };
  const dynPtr = ptr(DynDescribe);
  const dynRef = ref(DynDescribe);

  // Cat::describe(self: ref Cat, n: I64) -> I64 { println("cat"); self.lives + n }
  const catDescribe = new Fn('test::Cat::describe', I64, [ref(Cat), I64], 90);
  catDescribe.block([call(null, ext('tml_println'), [str('cat'), int(0, I32)]), assign(pl(0), bin('add', copy(1, deref, field(0)), copy(2)))]);
  // Dog::describe(self: ref Dog, n: I64) -> I64 { println(self.name); self.age * n }
  const dogDescribe = new Fn('test::Dog::describe', I64, [ref(Dog), I64], 91);
  dogDescribe.block([call(null, ext('tml_println'), [copy(1, deref, field(0)), int(0, I32)]), assign(pl(0), bin('mul', copy(1, deref, field(1)), copy(2)))]);
  // concrete drop glue (slot 0)
  const catDrop = new Fn(`drop$${mangleType(Cat)}`, T.unit, [ref(Cat, true)], 92);
  catDrop.block([call(null, ext('tml_println'), [str('drop cat'), int(0, I32)])]);
  const dogDrop = new Fn(`drop$${mangleType(Dog)}`, T.unit, [ref(Dog, true)], 93);
  dogDrop.block([call(null, ext('tml_println'), [str('drop dog'), int(0, I32)]), call(null, ext('tml_str_release'), [copy(1, deref, field(0))])]);
  // drop glue of `dyn Describe`: virtual slot 0 on the object, then free the box (field 0: the data pointer)
  const dynDrop = new Fn(`drop$${mangleType(DynDescribe)}`, T.unit, [ref(DynDescribe, true)], 94);
  dynDrop.block([
    call(null, { k: 'virtual', object: copy(1), slot: 0, ret: T.unit }, []),
    call(null, ext('tml_free'), [copy(1, field(0)), loc(94)]),
  ]);
  // fat pointers by value: id(x: ref dyn Describe) -> ref dyn Describe
  const id = new Fn('test::id', dynRef, [dynRef], 95);
  id.block([assign(pl(0), use(copy(1)))]);

  const vtables: MirVtable[] = [
    { symbol: 'vtable$test.Cat$Describe', slots: [catDrop.symbol, catDescribe.symbol], displayName: 'Cat as dyn Describe' },
    { symbol: 'vtable$test.Dog$Describe', slots: [dogDrop.symbol, dogDescribe.symbol], displayName: 'Dog as dyn Describe' },
  ];

  const main = new Fn('test::main', T.unit, [], 100);
  const raw = main.local(ptr(U8));
  const c = main.var(ptr(Cat), 'c');
  const d = main.var(ptr(Dog), 'd');
  const name = main.local(T.str);
  const rdog = main.local(ref(Dog));
  const rd = main.var(dynRef, 'rd');
  const pc = main.local(dynPtr);
  const pd = main.local(dynPtr);
  const objs = main.var(array(dynPtr, 2), 'objs');
  const i = main.var(U64, 'i');
  const cond = main.local(T.bool);
  const p = main.var(dynPtr, 'p');
  const r = main.var(dynRef, 'r');
  const n = main.var(I64, 'n');
  const site = (line: number, typeName: string): Operand => cv({ k: 'site', span: sp(line), typeName }, ptr(U8));
  const sizeof = (t: Type): Operand => cv({ k: 'sizeof', of: t }, I64);
  // bb0: box a Cat and a Dog, unsize them, store them in objs; i = 0
  main.block(
    [
      call(pl(raw), ext('tml_alloc', ptr(U8)), [sizeof(Cat), site(101, 'Cat')], { line: 101 }),
      assign(pl(c), { k: 'cast', operand: move(raw), to: ptr(Cat) }, 101),
      assign(pl(c, deref), { k: 'aggregate', kind: { k: 'struct' }, ops: [int(9)] }, 101),
      assign(pl(pc), { k: 'unsize', operand: copy(c), vtable: 'vtable$test.Cat$Describe' }, 101),
      call(pl(raw), ext('tml_alloc', ptr(U8)), [sizeof(Dog), site(102, 'Dog')], { line: 102 }),
      assign(pl(d), { k: 'cast', operand: move(raw), to: ptr(Dog) }, 102),
      call(pl(name), ext('tml_str_concat', T.str), [str('Re'), str('x')], { line: 102 }),
      assign(pl(d, deref), { k: 'aggregate', kind: { k: 'struct' }, ops: [move(name), int(3)] }, 102),
      assign(pl(rdog), { k: 'ref', place: pl(d, deref), mutable: false, raw: false }, 102),
      assign(pl(rd), { k: 'unsize', operand: copy(rdog), vtable: 'vtable$test.Dog$Describe' }, 102),
      assign(pl(pd), { k: 'cast', operand: copy(rd), to: dynPtr }, 102),
      assign(pl(objs), { k: 'aggregate', kind: { k: 'array' }, ops: [move(pc), move(pd)] }, 103),
      assign(pl(i), use(int(0, U64))),
    ],
    { k: 'goto', target: 1 },
  );
  // bb1: while i < 2
  main.block([assign(pl(cond), bin('lt', copy(i), int(2, U64)))], { k: 'branch', cond: copy(cond), then: 2, else: 3 });
  // bb2: p = objs[i]; r = id(ref (*p)); n = r.describe(100); print n; i += 1
  main.block(
    [
      assign(pl(p), use(copy(objs, index(i))), 104),
      assign(pl(r), { k: 'ref', place: pl(p, deref), mutable: false, raw: false }, 104),
      call(pl(r), fnc('test::id'), [move(r)], { line: 104 }),
      call(pl(n), { k: 'virtual', object: copy(r), slot: 1, ret: I64 }, [int(100)], { line: 105 }),
      printCall(copy(n), 105),
      assign(pl(i), bin('add', copy(i), int(1, U64))),
    ],
    { k: 'goto', target: 1 },
  );
  // bb3: i = 0
  main.block([assign(pl(i), use(int(0, U64)))], { k: 'goto', target: 4 });
  // bb4: while i < 2
  main.block([assign(pl(cond), bin('lt', copy(i), int(2, U64)))], { k: 'branch', cond: copy(cond), then: 5, else: 6 });
  // bb5: drop((*objs[i])) (under a drop flag that is true here); i += 1
  main.block(
    [{ k: 'drop', place: pl(objs, index(i), deref), flag: cond, span: sp(106) }, assign(pl(i), bin('add', copy(i), int(1, U64)))],
    { k: 'goto', target: 4 },
  );
  main.block([]);
  return program(
    [
      catDescribe.build(),
      dogDescribe.build(),
      catDrop.build('drop-glue'),
      dogDrop.build('drop-glue'),
      dynDrop.build('drop-glue'),
      id.build(),
      main.build(),
      printI64(),
    ],
    { vtables },
  );
}

function testsProgram(): MirProgram {
  const pass = new Fn('test::passes', I32, [], 80);
  pass.block([call(null, ext('tml_println'), [str('running passes'), int(0, I32)]), assign(pl(0), use(int(0, I32)))]);
  const fail = new Fn('test::fails', I32, [], 81);
  fail.block([assign(pl(0), use(int(1, I32)))]);
  const unit = new Fn('test::unit_test', T.unit, [], 82);
  unit.block([]);
  const t = (name: string, symbol: string, returns: MirTest['returns']): MirTest => ({ name, symbol, returns, shouldPanic: null, ignored: false, span: sp(80) });
  return program([pass.build('test'), fail.build('test'), unit.build('test')], {
    entry: null,
    tests: [t('passes', 'test::passes', 'i32'), t('fails', 'test::fails', 'i32'), t('unit test', 'test::unit_test', 'unit')],
  });
}

// ---------- tests ----------

describe('codegen: compiled and run', () => {
  it('checked arithmetic panics through tml_panic_overflow', () => {
    const r = compileAndRun(overflowProgram());
    expect(r.ir).toContain('@llvm.sadd.with.overflow.i32');
    expect(r.stdout).toBe('42');
    expect(r.stderr).toContain('attempt to add with overflow');
    expect(r.stderr).toContain(`${FILE}:4:12`);
    expect(r.exitCode, runtimeNote).toBe(101);
  });

  it('merges a function’s panic blocks into one shared block and keeps each check’s message exact', () => {
    const r = compileAndRun(twoChecksProgram(), [], { debugInfo: true });
    const start = r.ir.indexOf('@"test::sum_mul"(');
    const body = r.ir.slice(start, r.ir.indexOf('\n}\n', start));
    // one call for both checks, its location and operation chosen by φs over the two branches
    expect(body.match(/call void @tml_panic_overflow/g)?.length).toBe(1);
    expect(body.match(/= phi i8\* /g)?.length).toBe(2);
    expect(body.match(/\bunreachable\b/g)?.length).toBe(1);
    expect(body).not.toContain('dead');
    // the shared call's debug location is line 0 (it stands for both checks)
    const dbg = /call void @tml_panic_overflow\(.*!dbg (![0-9]+)/.exec(body)?.[1];
    expect(r.ir).toMatch(new RegExp(`^${dbg} = !DILocation\\(line: 0,`, 'm'));
    expect(r.stdout).toBe('9');
    expect(r.stderr).toContain(`${FILE}:5:7`);
    expect(r.stderr).toContain('attempt to multiply with overflow');
    expect(r.exitCode, runtimeNote).toBe(101);
  });

  it('does not merge two panic blocks one branch leads to (one predecessor, two φ values would be invalid IR)', () => {
    // `if c -> [panic at 4:12, panic at 5:7]` (the optimizer proved both arms fail), and a third panic reached from
    // the entry: 4:12 and 6:9 share a block, 5:7 keeps its own
    const f = new Fn('test::both_fail', I32, [T.bool, T.bool], 3);
    const panic = (line: number, col: number, op: string) =>
      call(null, ext('tml_panic_overflow', T.never), [loc(line, col), cstr(op)], { noReturn: true, line });
    f.block([], { k: 'branch', cond: copy(2), then: 4, else: 1 });
    f.block([], { k: 'branch', cond: copy(1), then: 2, else: 3 });
    f.block([panic(4, 12, 'add')], { k: 'unreachable' });
    f.block([panic(5, 7, 'multiply')], { k: 'unreachable' });
    f.block([panic(6, 9, 'subtract')], { k: 'unreachable' });
    const main = new Fn('test::main', T.unit, [], 10);
    const r0 = main.local(I32);
    main.block([call(pl(r0), fnc('test::both_fail'), [bool(false), bool(false)], { line: 11 })]);
    const r = compileAndRun(program([f.build(), main.build()]));
    const start = r.ir.indexOf('@"test::both_fail"(');
    const body = r.ir.slice(start, r.ir.indexOf('\n}\n', start));
    expect(body.match(/call void @tml_panic_overflow/g)?.length).toBe(2);
    expect(body.match(/= phi i8\* /g)?.length).toBe(2);
    expect(r.stderr).toContain(`${FILE}:5:7`);
    expect(r.stderr).toContain('attempt to multiply with overflow');
    expect(r.exitCode, runtimeNote).toBe(101);
  });

  it('passes register temporaries to a shared panic block through φs', () => {
    // two bounds-style panics whose index is a register temporary: the φ takes each branch's value
    const f = new Fn('test::two_indices', T.unit, [I64], 3);
    const i1 = f.local(I64);
    const c1 = f.local(T.bool);
    const i2 = f.local(I64);
    const c2 = f.local(T.bool);
    const panic = (idx: number, line: number) =>
      call(null, ext('tml_panic_bounds', T.never), [loc(line, 5), int(4), copy(idx)], { noReturn: true, line });
    f.block(
      [assign(pl(i1), { k: 'binary', op: 'add', left: copy(1), right: int(1) }), assign(pl(c1), { k: 'binary', op: 'ge', left: copy(i1), right: int(4) })],
      { k: 'branch', cond: copy(c1), then: 1, else: 2 },
    );
    f.block([panic(i1, 4)], { k: 'unreachable' });
    f.block(
      [assign(pl(i2), { k: 'binary', op: 'add', left: copy(1), right: int(2) }), assign(pl(c2), { k: 'binary', op: 'ge', left: copy(i2), right: int(4) })],
      { k: 'branch', cond: copy(c2), then: 3, else: 4 },
    );
    f.block([panic(i2, 5)], { k: 'unreachable' });
    f.block([]);
    const { ir } = gen(program([f.build()], { entry: null }));
    expect(ir.match(/call void @tml_panic_bounds/g)?.length).toBe(1);
    // (the first MIR block continues the entry block)
    expect(ir).toMatch(/= phi i64 \[ %[0-9]+, %entry \], \[ %[0-9]+, %bb2 \]/);
    // the length is the same constant in both: passed directly, no φ
    expect(ir.match(/= phi /g)?.length).toBe(2);
  });

  it('prints string literals (deduplicated static Strs) and returns main’s I32 status', () => {
    const r = compileAndRun(helloProgram());
    expect(r.stdout).toBe('Hello, TML!\nHello, TML!\nhéllo — ünï');
    expect(r.stderr).toContain('to stderr');
    expect(r.exitCode).toBe(3);
    // one global for the repeated literal: { i64 TML_RC_STATIC, i64 len, [len+1 x i8] }
    expect(r.ir.match(/c"Hello, TML!\\00"/g)?.length).toBe(1);
    expect(r.ir).toContain('{ i64 -9223372036854775808, i64 11, [12 x i8] c"Hello, TML!\\00" }');
    expect(r.ir).toContain('i64 17, [18 x i8]'); // 'héllo — ünï\n' is 17 UTF-8 bytes
  });

  it('switches on an enum with payloads (and a generic enum instance)', () => {
    const r = compileAndRun(enumProgram());
    expect(r.stdout).toBe('75\n12\n0\n-7\n99');
    expect(r.exitCode).toBe(0);
    expect(r.ir).toMatch(/%"?test\.Shape"? = type \{ i32, \[2 x i64\] \}/);
    expect(r.ir).toContain('switch i32');
  });

  it('runs closures with a captured Str, env drop glue and drop flags, and function values', () => {
    const r = compileAndRun(closureProgram());
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('captured\n42\ncaptured\n100\n42\n0');
    expect(r.exitCode, 'leak check or double free').toBe(0);
    expect(r.ir).toContain('@tml_alloc');
    expect(r.ir).toContain('drop$F$I64$$I64$');
  });

  it('runs loops, array indexing, shifts, casts and wide constants', () => {
    const r = compileAndRun(loopProgram());
    expect(r.stdout).toBe(['55', '150', '2', '-4', '15', '9223372036854775807', '0', '68719476736', '-9000000000', '9000000000', '16'].join('\n'));
    expect(r.exitCode).toBe(0);
    expect(r.ir).toContain('@llvm.fptosi.sat.i64.f64');
    expect(r.ir).toContain('@llvm.fptoui.sat.i8.f64');
  });

  it('generates a test harness main', () => {
    const p = testsProgram();
    const list = compileAndRun(p, ['--list'], { harness: 'tests' });
    expect(list.stdout).toBe('passes\nfails\nunit test');
    expect(list.exitCode).toBe(0);
    const ok = compileAndRun(p, ['passes'], { harness: 'tests' });
    expect(ok.stdout).toBe('running passes');
    expect(ok.exitCode).toBe(0);
    expect(compileAndRun(p, ['fails'], { harness: 'tests' }).exitCode).toBe(1);
    expect(compileAndRun(p, ['unit test'], { harness: 'tests' }).exitCode).toBe(0);
    const unknown = compileAndRun(p, ['nope'], { harness: 'tests' });
    expect(unknown.stderr).toBe('unknown test');
    expect(unknown.exitCode).toBe(2);
    expect(compileAndRun(p, [], { harness: 'tests' }).exitCode).toBe(2);
  });
});

describe('codegen: trait objects', () => {
  it('calls methods through vtables and drops trait objects through their glue', () => {
    const r = compileAndRun(dynProgram());
    expect(r.stderr, runtimeNote).toBe('');
    expect(r.stdout).toBe(['cat', '109', 'Rex', '300', 'drop cat', 'drop dog'].join('\n'));
    expect(r.exitCode, 'leak check or double free').toBe(0);
  });

  it('lays out fat pointers and emits vtables as internal constant arrays', () => {
    const { ir } = gen(dynProgram());
    expect(ir).toMatch(/^@"vtable\$test\.Cat\$Describe" = internal constant \[2 x i8\*\] \[i8\* bitcast \(void \(%"?test\.Cat"?\*\)\* @"drop\$test\.Cat" to i8\*\), i8\* bitcast \(i64 \(%"?test\.Cat"?\*, i64\)\* @"test::Cat::describe" to i8\*\)\]/m);
    expect(ir).toMatch(/^@"vtable\$test\.Dog\$Describe" = internal constant \[2 x i8\*\]/m);
    expect(ir).toContain('define internal { i8*, i8* } @"test::id"({ i8*, i8* } %0)');
    expect(ir).toContain('define internal void @"drop$D$test.Describe"({ i8*, i8* } %0)');
    expect(ir).toContain('%objs = alloca [2 x { i8*, i8* }]');
    // the virtual call: slot 1 of the vtable, called with the data pointer first
    expect(ir).toMatch(/getelementptr inbounds i8\*, i8\*\* %\S+, i64 1/);
    expect(ir).toMatch(/call i64 %\S+\(i8\* %\S+, i64 100\)/);
    expect(ir).toMatch(/call void @"drop\$D\$test\.Describe"\(\{ i8\*, i8\* \} %\S+\)/);
  });

  const dynMain = (build: (f: Fn) => void, vtables: MirVtable[] = [], extra: MirFunction[] = []) => {
    const f = new Fn('test::main', T.unit, [], 1);
    build(f);
    return () => generateLLVM(program([f.build(), ...extra], { vtables }), { ...BASE, triple: HOST_TRIPLE });
  };

  it('rejects other uses of a trait object place and a bare dyn value', () => {
    const read = dynMain((f) => {
      const p = f.local(ptr(DynDescribe));
      const x = f.local(I64);
      f.block([assign(pl(x), use(copy(p, deref)))]);
    });
    expect(read).toThrow(CodegenError);
    expect(read).toThrow(/trait object \(\*_1\) .*can only be referenced or dropped/);
    const retain = dynMain((f) => {
      const p = f.local(ptr(DynDescribe));
      f.block([{ k: 'retain', place: pl(p, deref), span: sp(1) }]);
    });
    expect(retain).toThrow(/trait object \(\*_1\) can only be referenced or dropped/);
    const byValue = new Fn('test::take', T.unit, [DynDescribe], 1);
    byValue.block([]);
    expect(dynMain((f) => f.block([]), [], [byValue.build()])).toThrow(/bare 'dyn Describe'/);
  });

  it('rejects unknown vtables, slots that are not functions, and unsizing into a thin pointer', () => {
    expect(
      dynMain((f) => {
        const p = f.local(ptr(DynDescribe));
        f.block([assign(pl(p), { k: 'unsize', operand: cv({ k: 'null' }, ptr(I64)), vtable: 'vtable$nope' })]);
      }),
    ).toThrow(/unknown vtable 'vtable\$nope'/);
    expect(dynMain((f) => f.block([]), [{ symbol: 'vt', slots: ['drop$nothing'], displayName: 'X as dyn Describe' }])).toThrow(
      /slot 0 of vtable 'vt' \(X as dyn Describe\) is 'drop\$nothing', not a function of the program/,
    );
    const glue = new Fn('drop$I64', T.unit, [ref(I64, true)], 1);
    glue.block([]);
    expect(
      dynMain(
        (f) => {
          const q = f.local(ptr(U8));
          f.block([assign(pl(q), { k: 'unsize', operand: cv({ k: 'null' }, ptr(I64)), vtable: 'vt' })]);
        },
        [{ symbol: 'vt', slots: ['drop$I64'], displayName: 'I64 as dyn Describe' }],
        [glue.build('drop-glue')],
      ),
    ).toThrow(/unsize stored in \*U8, not a fat pointer/);
  });
});

describe('codegen: IR', () => {
  it('keeps single-caller call trees within a size budget: the largest callees past it get external linkage', () => {
    // a function of `size` MIR statements and terminators, calling `callees` (each once) and adding into _0
    const sized = (symbol: string, size: number, callees: string[] = []): MirFunction => {
      const f = new Fn(symbol, I64);
      const calls = callees.map((c) => call(pl(f.local(I64)), fnc(c), []));
      f.block([...calls, ...Array.from({ length: size - 1 - calls.length }, (_, i) => assign(pl(0), bin('add', int(i), int(1))))]);
      return f.build();
    };
    // main → u0…u5 (300 each), each u_i → h_i (100): main would absorb 10 + 6 × 400 = 2,410 statements
    const units = [0, 1, 2, 3, 4, 5].flatMap((i) => [sized(`test::u${i}`, 300, [`test::h${i}`]), sized(`test::h${i}`, 100)]);
    const main = sized('test::main', 10, [0, 1, 2, 3, 4, 5].map((i) => `test::u${i}`));
    expect(mirSize(main)).toBe(10);
    const p = program([main, ...units]);
    // over 1,500: the largest callees (ties by name) leave until main is within it: 2,410 → 2,010 → 1,610 → 1,210
    expect([...externalFunctions(p, 1500)].sort()).toEqual(['test::u0', 'test::u1', 'test::u2']);
    expect(externalFunctions(p, 5000).size).toBe(0); // a whole small program stays internal, as C's `static`s
    // a callee called from two places gets no single-caller bonus: it is not counted in either caller
    const twice = sized('test::main', 10, ['test::u0', 'test::u0', 'test::u1']);
    expect(externalFunctions(program([twice, ...units]), 405)).toEqual(new Set(['test::u1'])); // 10 + 400 > 405
    // callees smaller than LLVM's ordinary inlining threshold are never made external (LLVM would inline them anyway)
    const many = Array.from({ length: 40 }, (_, i) => sized(`test::s${i}`, LARGE_FUNCTION_MIR_SIZE - 1));
    const caller = sized('test::main', 10, many.map((f) => f.symbol));
    expect(externalFunctions(program([caller, ...many]), 100).size).toBe(0);

    // the IR: external and internal definitions, and exported functions are external whatever their size
    const { ir } = gen(program([main, ...units]), { debugInfo: false });
    expect(ir).toContain('define internal i64 @"test::main"()');
    expect(ir).toContain('define internal i64 @"test::u5"()');
    expect(ir).toContain('define internal i64 @"test::h0"()');
    expect(ir).toContain('define i64 @"test::u0"()'); // the default budget (INLINE_BUDGET_MIR_SIZE) is 1,500 too
    const tiny = new Fn('test::exported', T.unit);
    tiny.block();
    expect(gen(program([tiny.build('fn', true)], { entry: null }), { debugInfo: false }).ir).toContain('define void @"test::exported"()');
  });

  it('emits debug info: module flags, subprograms, locations', () => {
    const { ir } = gen(overflowProgram(), { debugInfo: true });
    expect(ir).toContain('"Debug Info Version"');
    expect(ir).toContain('"Dwarf Version"');
    // `test::add_checked` is named `add_checked` inside a namespace `test` (gdb: `break test::add_checked`), with no
    // linkage name (gdb would name the function by it)
    const scope = /distinct !DISubprogram\(name: "add_checked", scope: (![0-9]+), file/.exec(ir)?.[1];
    expect(ir).toMatch(new RegExp(`^${scope} = !DINamespace\\(name: "test", scope: null\\)$`, 'm'));
    expect(ir).not.toContain('linkageName');
    expect(ir).toMatch(/!DILocation\(line: 4, column: 5/);
    expect(ir).toContain('llvm.dbg.declare');
    // parameters are formal parameters, numbered from 1
    expect(ir).toMatch(/!DILocalVariable\(name: "arg1", arg: 1, /);
  });

  it('emits no debug info when asked not to', () => {
    const { ir } = gen(overflowProgram(), { debugInfo: false });
    expect(ir).not.toContain('DISubprogram');
    expect(ir).not.toContain('!dbg');
  });

  it('targets aarch64 and x86_64 with their data layouts', () => {
    // the module carries clang's own spelling of the triple (so clang does not rewrite it with a warning)
    const spelled: Record<string, string> = { 'aarch64-linux-gnu': 'aarch64-unknown-linux-gnu', 'x86_64-pc-linux-gnu': 'x86_64-pc-linux-gnu' };
    for (const triple of ['aarch64-linux-gnu', 'x86_64-pc-linux-gnu']) {
      const { result, ir } = gen(closureProgram(), { triple });
      expect(ir).toContain(`target triple = "${spelled[triple]}"`);
      expect(ir).toContain('target datalayout = "e-m:e-');
      // the backend accepts it: clang-14 emits an object for that target
      const bc = path.join(workDir, `cross-${triple}.bc`);
      result.writeBitcode(bc);
      execaSync('clang-14', [`--target=${triple}`, '-c', bc, '-o', `${bc}.o`]);
      expect(fs.statSync(`${bc}.o`).size).toBeGreaterThan(0);
    }
    expect(() => generateLLVM(loopProgram(), { ...BASE, triple: 'riscv64-linux-gnu' })).toThrow(CodegenError);
  });

  it('deduplicates locations, sites and C strings', () => {
    const main = new Fn('test::main', T.unit, [], 1);
    const p = main.local(ptr(U8));
    const site = (line: number, name: string): Operand => cv({ k: 'site', span: sp(line), typeName: name }, ptr(U8));
    main.block([
      assign(pl(p), use(loc(7))),
      assign(pl(p), use(loc(7))),
      assign(pl(p), use(loc(8))),
      assign(pl(p), use(site(7, 'Heap[Node]'))),
      assign(pl(p), use(site(7, 'Heap[Node]'))),
      assign(pl(p), use(cstr('x'))),
      assign(pl(p), use(cstr('x'))),
    ]);
    const { ir } = gen(program([main.build()]));
    expect(ir.match(/^@loc\.\d+ = /gm)?.length).toBe(2);
    expect(ir.match(/^@site\.\d+ = /gm)?.length).toBe(1);
    expect(ir.match(/c"x\\00"/g)?.length).toBe(1);
    expect(ir.match(/c"tests\/codegen_fake\.tml\\00"/g)?.length).toBe(1);
    expect(ir).toContain('i32 7, i32 5 }');
  });

  it('lays out recursive types through pointers, structs and unions', () => {
    const node = adt('struct', 'Node');
    const Node: Type = { k: 'adt', def: node, args: [] };
    const list = adt('enum', 'List');
    const List: Type = { k: 'adt', def: list, args: [] };
    node.fields = [
      { name: 'value', ty: I64, span: sp(1), hasDefault: false },
      { name: 'next', ty: ptr(Node), span: sp(1), hasDefault: false },
      { name: 'rest', ty: List, span: sp(1), hasDefault: false },
    ];
    list.variants = [variantDef('Cons', 0, [ref(Node), I32]), variantDef('Nil', 1, [])];
    const un = adt('union', 'Bits');
    un.fields = [
      { name: 'f', ty: T.f64, span: sp(1), hasDefault: false },
      { name: 'b', ty: array(U8, 12), span: sp(1), hasDefault: false },
    ];
    const Bits: Type = { k: 'adt', def: un, args: [] };
    const f = new Fn('test::layout', I64, [Node, Bits]);
    const b = f.local(array(U8, 12));
    f.block([
      assign(pl(0), use(copy(1, field(1), deref, field(0)))),
      assign(pl(b), use(copy(2, field(1)))),
      assign(pl(0), use(cv({ k: 'sizeof', of: Node }, I64))),
      assign(pl(0), use(cv({ k: 'alignof', of: Bits }, I64))),
    ]);
    const { ir } = gen(program([f.build()], { entry: null }), { triple: 'x86_64-pc-linux-gnu' });
    expect(ir).toMatch(/%"?test\.Node"? = type \{ i64, %"?test\.Node"?\*, %"?test\.List"? \}/);
    expect(ir).toMatch(/%"?test\.List"? = type \{ i32, \[2 x i64\] \}/);
    expect(ir).toMatch(/%"?test\.Bits"? = type \{ \[2 x i64\] \}/);
    expect(ir).toContain('store i64 40, i64*'); // sizeof Node = 8 + 8 + 24
    expect(ir).toContain('store i64 8, i64*'); // alignof Bits
  });

  it('reports a module that fails verification, and refuses to write it', () => {
    const f = new Fn('test::broken', T.unit, [I32], 1);
    f.block([], { k: 'switch', discr: copy(1), cases: [{ value: 1n, target: 1 }, { value: 1n, target: 1 }], otherwise: 1 });
    f.block([]);
    const result = generateLLVM(program([f.build()], { entry: null }), { ...BASE, triple: HOST_TRIPLE });
    expect(result.verifyFailure).toContain("in function 'test::broken'");
    expect(result.verifyFailure).toMatch(/duplicate case value in switch|Duplicate integer as switch case/);
    expect(() => result.writeBitcode(path.join(workDir, 'broken.bc'))).toThrow(CodegenError);
  });

  it('names a missing glue function', () => {
    const f = new Fn('test::main', T.unit, [], 1);
    const s = f.local(T.str);
    f.block([{ k: 'drop', place: pl(s), flag: null, span: sp(1) }]);
    expect(() => generateLLVM(program([f.build()]), { ...BASE, triple: HOST_TRIPLE })).toThrow(/drop\$Str/);
  });

  it('rejects a bare dyn value (a dyn local) with an internal error naming its type', () => {
    const behavior = { name: 'Show', path: 'test::Show', params: [], assocTypes: [], supers: [], span: sp(1), methods: new Map() };
    const f = new Fn('test::main', T.unit, [], 1);
    f.local({ k: 'dyn', behavior, args: [] });
    f.block([]);
    expect(() => generateLLVM(program([f.build()]), { ...BASE, triple: HOST_TRIPLE })).toThrow(/dyn Show/);
  });

  it('declares an extern once even when called with different signatures', () => {
    const f = new Fn('test::main', T.unit, [], 1);
    const n = f.local(I64);
    const b = f.local(T.bool);
    f.block([
      call(pl(n), ext('ffi_thing', I64), [int(1, U8), str('a')]),
      call(pl(n), ext('ffi_thing', I64), [int(2, U8), str('b')]),
      call(pl(b), ext('ffi_thing', T.bool), [bool(true)]),
    ]);
    const { ir } = gen(program([f.build()], { externs: [{ symbol: 'ffi_other', params: [T.str, I64], ret: T.unit }] }));
    expect(ir.match(/^declare .*@ffi_thing\(/gm)?.length).toBe(1);
    expect(ir).toContain('declare i64 @ffi_thing(i32, i8*)');
    expect(ir).toContain('declare void @ffi_other(i8*, i64)');
    expect(ir).toContain('bitcast (i64 (i32, i8*)* @ffi_thing to i8 (i32)*)');
  });
});
