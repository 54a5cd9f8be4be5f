// The pipeline end to end with a stand-in front end and codegen (the real ones are tested elsewhere): a hand-written
// LLVM module goes through the real backend (llc-14 stands in for in-process object emission, clang-14) and the real
// runtime lookup; exit statuses of `build` and `run`, --emit, --time, --verbose, internal compiler errors, and the
// disposal of codegen's result after every build.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { findExecutable } from '../../compiler/src/driver/toolchain.js';
import { SourceMap } from '../../compiler/src/syntax/source.js';
import { withoutInternalErrorLog } from '../setup/expected_internal_error.js';

const state = vi.hoisted(() => ({
  ir: '',
  verifyFailure: null as string | null,
  frontEndThrows: null as Error | null,
  functionAttributes: [] as readonly string[] | undefined,
  disposed: 0,
}));

vi.mock('../../compiler/src/driver/frontend.js', () => ({
  runFrontEnd: () => {
    if (state.frontEndThrows) throw state.frontEndThrows;
    return {
      program: { functions: [], externs: [], entry: null, tests: [], sources: new SourceMap() },
      diagnostics: [],
      sources: new SourceMap(),
      timings: [
        { phase: 'parse', ms: 1, rssMb: 60 },
        { phase: 'check', ms: 2, rssMb: 61 },
      ],
    };
  },
}));

vi.mock('../../compiler/src/codegen/program.js', () => ({
  generateLLVM: (_program: unknown, opts: { functionAttributes?: readonly string[] }) => {
    state.functionAttributes = opts.functionAttributes;
    return {
      ir: () => state.ir,
      writeBitcode: (p: string) => void execaSync('llvm-as-14', ['-', '-o', p], { input: state.ir }),
      emitObject: (p: string, optLevel: number) =>
        void execaSync('llc-14', ['-filetype=obj', '-relocation-model=pic', `-O${optLevel}`, '-', '-o', p], { input: state.ir }),
      verifyFailure: state.verifyFailure,
      dispose: () => void state.disposed++,
    };
  },
}));

const { build, buildAndRun } = await import('../../compiler/src/driver/pipeline.js');
const { resolveBuildOptions } = await import('../../compiler/src/driver/settings.js');

const triple = resolveBuildOptions({}).triple;
const HELLO = `target triple = "${triple}"
@.s = private constant [13 x i8] c"hello, world\\00"
declare i32 @puts(i8*)
declare i8* @malloc(i64)
define i32 @main(i32 %argc, i8** %argv) {
  call i32 @puts(i8* getelementptr ([13 x i8], [13 x i8]* @.s, i64 0, i64 0))
  %n = sub i32 %argc, 1
  ret i32 %n
}
`;
const OVERFLOW = `target triple = "${triple}"
declare i8* @malloc(i64)
define i32 @main() #0 {
  %p = call i8* @malloc(i64 8)
  %q = getelementptr i8, i8* %p, i64 8
  store i8 1, i8* %q
  ret i32 0
}
attributes #0 = { sanitize_address }
`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'tmlc-pipeline-test-'));
const src = path.join(dir, 'prog.tml');
writeFileSync(src, 'func main() {}\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// a runtime built on demand goes to a private cache, not ~/.cache
process.env['XDG_CACHE_HOME'] = path.join(dir, 'cache');

function capture() {
  const io = { o: '', e: '', out: (s: string) => void (io.o += s), err: (s: string) => void (io.e += s) };
  return io;
}

beforeEach(() => {
  state.ir = HELLO;
  state.verifyFailure = null;
  state.frontEndThrows = null;
  state.disposed = 0;
});

describe('pipeline with a stand-in front end and codegen', () => {
  it('build links an executable with the runtime; --time and --verbose report on stderr', async () => {
    const out = path.join(dir, 'hello');
    const io = capture();
    const status = await build(src, out, resolveBuildOptions({ time: true, verbose: true }), { io });
    expect(io.e).not.toMatch(/internal compiler error/);
    expect(status).toBe(0);
    expect(statSync(out).mode & 0o111).not.toBe(0);
    const r = await execa(out, ['a', 'b'], { reject: false });
    expect(r.stdout).toBe('hello, world');
    expect(r.exitCode).toBe(2);
    // a debug build makes its object file in-process and links it with the system linker, on the command line
    // clang's driver gave for it (asked once, quietly: not echoed)
    expect(io.e).not.toMatch(/^clang-14/m);
    expect(io.e).toMatch(/^\/\S*ld(?:\.gold)? .* -o \S*out\.exe .*prog\.o -u tml_gdb_scripts \S*libtml_runtime_debug\.a -lpthread -lm /m);
    // gold where binutils has it (driver/linker.ts goldFlags)
    expect(io.e).toMatch(findExecutable('ld.gold') === null ? /^\/\S*\/ld -pie /m : /^\/\S*\/ld\.gold -pie /m);
    for (const phase of ['parse', 'check', 'codegen', 'object', 'link', 'total']) expect(io.e).toMatch(new RegExp(`^time: ${phase} +[0-9.]+ ms +[0-9]+ MB rss$`, 'm'));
    expect(state.disposed).toBe(1);
  });

  it('the link template is kept in the cache; one that fails falls back to the driver and is dropped; TMLC_LINK_DRIVER=1 keeps the driver', async () => {
    const out = path.join(dir, 'hello-linked');
    const kept = path.join(dir, 'cache', 'tmlc');
    const templates = (): string[] => readdirSync(kept, { recursive: true, encoding: 'utf8' }).filter((f) => /[/\\]link[/\\][0-9a-f]+\.json$/.test(f)).map((f) => path.join(kept, f));
    expect(await build(src, out, resolveBuildOptions({}), { io: capture() })).toBe(0);
    const [file] = templates();
    expect(templates()).toHaveLength(1);
    const template = JSON.parse(readFileSync(file!, 'utf8')) as string[];
    expect(template).toContain('/tmlc-link-template/input.o');
    // the same template, in another cache directory, with a linker that fails
    const other = path.join(dir, 'cache2');
    const moved = path.join(other, path.relative(path.join(dir, 'cache'), file!));
    mkdirSync(path.dirname(moved), { recursive: true });
    writeFileSync(moved, JSON.stringify(['/bin/false', ...template.slice(1)]));
    const saved = process.env['XDG_CACHE_HOME'];
    process.env['XDG_CACHE_HOME'] = other;
    try {
      const io = capture();
      expect(await build(src, out, resolveBuildOptions({ verbose: true }), { io })).toBe(0);
      expect(io.e).toMatch(/^\/bin\/false -pie .*\n(?:.*\n)*clang-14 -O0 -g .*prog\.o /m);
      // the retry is the driver's default link, without gold
      expect(io.e).not.toMatch(/-fuse-ld/);
      expect((await execa(out, [], { reject: false })).stdout).toBe('hello, world');
      expect(existsSync(moved)).toBe(false);
      // asked again next time
      expect(await build(src, out, resolveBuildOptions({}), { io: capture() })).toBe(0);
      expect(JSON.parse(readFileSync(moved, 'utf8'))).toEqual(template);
      process.env['TMLC_LINK_DRIVER'] = '1';
      const viaDriver = capture();
      expect(await build(src, out, resolveBuildOptions({ verbose: true }), { io: viaDriver })).toBe(0);
      expect(viaDriver.e).toMatch(/^clang-14 -O0 -g .*prog\.o -Wl,-u,tml_gdb_scripts .*libtml_runtime_debug\.a -lpthread -lm -o /m);
      expect(viaDriver.e).not.toMatch(/^\/\S*ld /m);
      // TMLC_LINKER=bfd: a template of its own, on the driver's default linker
      delete process.env['TMLC_LINK_DRIVER'];
      process.env['TMLC_LINKER'] = 'bfd';
      const bfd = capture();
      expect(await build(src, out, resolveBuildOptions({ verbose: true }), { io: bfd })).toBe(0);
      expect(bfd.e).toMatch(/^\/\S*\/ld -pie .* -o \S*out\.exe /m);
      expect((await execa(out, [], { reject: false })).stdout).toBe('hello, world');
      delete process.env['TMLC_LINKER'];
      // a kept `null` (the driver's command could not be made a template): the driver links, and is not asked again
      delete process.env['TMLC_LINK_DRIVER'];
      const third = path.join(dir, 'cache3');
      const nothing = path.join(third, path.relative(path.join(dir, 'cache'), file!));
      mkdirSync(path.dirname(nothing), { recursive: true });
      writeFileSync(nothing, 'null');
      process.env['XDG_CACHE_HOME'] = third;
      const noTemplate = capture();
      expect(await build(src, out, resolveBuildOptions({ verbose: true }), { io: noTemplate })).toBe(0);
      expect(noTemplate.e).toMatch(/^clang-14 -O0 -g .*prog\.o .*-o /m);
      expect(noTemplate.e).not.toMatch(/^\/\S*ld /m);
      expect(readFileSync(nothing, 'utf8')).toBe('null');
    } finally {
      process.env['XDG_CACHE_HOME'] = saved;
      delete process.env['TMLC_LINK_DRIVER'];
      delete process.env['TMLC_LINKER'];
    }
  });

  it('--release hands clang the bitcode', async () => {
    const out = path.join(dir, 'hello-release');
    const io = capture();
    expect(await build(src, out, resolveBuildOptions({ release: true, verbose: true }), { io })).toBe(0);
    expect(io.e).toMatch(/^clang-14 -O2 .*prog(\.linked)?\.bc .*libtml_runtime_release\.a /m);
    expect(state.disposed).toBe(1);
  });

  it('--emit=ir|bc|obj write to -o', async () => {
    for (const [emit, file, check] of [
      ['ir', 'p.ll', (b: Buffer) => expect(b.toString()).toContain('define i32 @main')],
      ['bc', 'p.bc', (b: Buffer) => expect(b.subarray(0, 2).toString()).toBe('BC')],
      ['obj', 'p.o', (b: Buffer) => expect(b.subarray(1, 4).toString()).toBe('ELF')],
    ] as const) {
      const out = path.join(dir, file);
      const io = capture();
      expect(await build(src, out, resolveBuildOptions({ emit }), { io })).toBe(0);
      check(readFileSync(out));
    }
  });

  it('run passes the program status through and removes its temp dir', async () => {
    const io = capture();
    const before = new Set(readdirTmp());
    expect(await buildAndRun(src, ['x', 'y', 'z'], resolveBuildOptions({}), io)).toBe(3);
    expect(readdirTmp().filter((d) => !before.has(d))).toEqual([]);
  });

  it('--sanitize=address asks codegen for the sanitize_address attribute, and clang instruments: a heap overflow is reported at -O0', async () => {
    state.ir = OVERFLOW;
    const out = path.join(dir, 'overflow');
    const io = capture();
    expect(await build(src, out, resolveBuildOptions({ sanitize: 'address', verbose: true }), { io })).toBe(0);
    expect(state.functionAttributes).toEqual(['sanitize_address']);
    expect(io.e).not.toMatch(/opt-14/);
    expect(io.e).toMatch(/^clang-14 -O0 -g -fsanitize=address .*prog\.bc /m);
    const r = await execa(out, [], { reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/AddressSanitizer: heap-buffer-overflow/);
  });

  it('a module that fails verification is an internal compiler error, status 70', async () => {
    state.verifyFailure = "in function 'f': Instruction does not dominate all uses!";
    const io = capture();
    const out = path.join(dir, 'never');
    expect(await withoutInternalErrorLog(() => build(src, out, resolveBuildOptions({}), { io }))).toBe(70);
    expect(io.e).toMatch(/^internal compiler error: LLVM module failed verification in function 'f': Instruction does not dominate/);
    expect(existsSync(out)).toBe(false);
    expect(state.disposed).toBe(1);
  });

  it("a failing backend step is an error, and codegen's result is disposed of all the same", async () => {
    state.ir = `target triple = "${triple}"
declare void @tml_no_such_function()
define i32 @main() {
  call void @tml_no_such_function()
  ret i32 0
}
`;
    const io = capture();
    expect(await build(src, path.join(dir, 'unlinked'), resolveBuildOptions({}), { io })).toBe(1);
    expect(io.e).toMatch(/tml_no_such_function/);
    expect(state.disposed).toBe(1);
  });

  it('an exception anywhere is an internal compiler error with the stack, status 70', async () => {
    state.frontEndThrows = new TypeError('x is undefined');
    const io = capture();
    expect(await withoutInternalErrorLog(() => build(src, path.join(dir, 'never'), resolveBuildOptions({}), { io }))).toBe(70);
    expect(io.e).toMatch(/^internal compiler error: x is undefined\n\s+at /);
  });

  it('a missing input is a one-line error, status 1', async () => {
    const io = capture();
    expect(await build(path.join(dir, 'nope.tml'), null, resolveBuildOptions({}), { io })).toBe(1);
    expect(io.e).toBe(`error: cannot read '${path.join(dir, 'nope.tml')}': no such file or directory\n`);
  });
});

function readdirTmp(): string[] {
  return readdirSync(os.tmpdir()).filter((d) => d.startsWith('tmlc-run'));
}
