// Command-line parsing (TOOLCHAIN.md §3): exit statuses, one-line usage errors, the defaults of each mode and the
// runtime variant they choose. The handlers are stubs: nothing is compiled, no process is spawned.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../compiler/src/cli/program.js';
import type { Handlers } from '../../compiler/src/cli/common.js';
import { childStatus } from '../../compiler/src/driver/pipeline.js';
import { runtimeVariant } from '../../compiler/src/driver/options.js';
import { withoutInternalErrorLog } from '../setup/expected_internal_error.js';
import {
  defaultOutput,
  frontEndOptions,
  hostTriple,
  resolveBuildOptions,
  resolveTestOptions,
  UsageError,
  type PipelineOptions,
  type TestRunOptions,
} from '../../compiler/src/driver/settings.js';
import { clangLinkArgs, clangObjectArgs, codegenInProcess, sanitizeAttribute } from '../../compiler/src/driver/backend.js';

type Call =
  | { cmd: 'build'; entry: string; out: string | null; o: PipelineOptions }
  | { cmd: 'run'; entry: string; args: readonly string[]; o: PipelineOptions }
  | { cmd: 'check'; entry: string; o: PipelineOptions }
  | { cmd: 'test'; paths: readonly string[]; o: TestRunOptions };

async function cli(argv: string[], status = 0, fail?: Error) {
  const calls: Call[] = [];
  let out = '';
  let err = '';
  const handlers: Handlers = {
    build: async (entry, o2, o) => (fail ? Promise.reject(fail) : (calls.push({ cmd: 'build', entry, out: o2, o }), status)),
    run: async (entry, args, o) => (calls.push({ cmd: 'run', entry, args, o }), status),
    check: async (entry, o) => (calls.push({ cmd: 'check', entry, o }), status),
    test: async (paths, o) => (calls.push({ cmd: 'test', paths, o }), status),
  };
  const code = await runCli(argv, { handlers, io: { out: (s) => void (out += s), err: (s) => void (err += s) } });
  return { code, calls, out, err };
}

function only<K extends Call['cmd']>(calls: Call[], cmd: K): Extract<Call, { cmd: K }> {
  expect(calls).toHaveLength(1);
  expect(calls[0]!.cmd).toBe(cmd);
  return calls[0] as Extract<Call, { cmd: K }>;
}

const HOST = hostTriple();

describe('bad usage: status 2 and one line on stderr', () => {
  const cases: [string[], RegExp][] = [
    [['build'], /`tmlc build` needs a FILE, or a tml.toml in this directory or a parent/],
    [['build', 'a.tml', 'b.tml'], /too many arguments/],
    [['build', 'a.tml', '--sanitize=memory'], /--sanitize.*memory.*address, leak, undefined, thread/],
    [['build', 'a.tml', '-O4'], /-O.*4/],
    [['build', 'a.tml', '--emit=asm'], /--emit.*asm/],
    [['build', 'a.tml', '--message-format=xml'], /--message-format.*xml/],
    [['build', 'a.tml', '--frobnicate'], /unknown option '--frobnicate'/],
    [['build', 'a.tml', '--target', 'riscv64-linux-gnu'], /unsupported target 'riscv64-linux-gnu'/],
    [['build', 'a.tml', '--release', '--check-leaks'], /--check-leaks cannot be combined with --release/],
    [['build', 'a.tml', '--sanitize=address', '--check-leaks'], /--check-leaks cannot be combined with --sanitize=address/],
    [['build', 'a.tml', '--sanitize=thread', '--check-leaks'], /--check-leaks cannot be combined with --sanitize=thread/],
    [['build', 'a', ], /cannot derive an output name/],
    [['run', 'a.tml', '-o', 'x'], /unknown option '-o'/],
    [['run', 'a.tml', '--emit=ir'], /unknown option '--emit=ir'/],
    [['test', '--jobs', '0'], /--jobs/],
    [['test', '--valgrind', '--sanitize=address'], /--valgrind cannot be combined/],
    [['test', '--valgrind', '--sanitize=thread'], /--valgrind cannot be combined with --sanitize=thread/],
    [['bild', 'a.tml'], /unknown command 'bild'.*build/],
  ];
  for (const [argv, msg] of cases) {
    it(argv.join(' '), async () => {
      // 'build a' fails only when the default output is derived, i.e. in the real handler: call it for that case
      const r = argv.join(' ') === 'build a' ? await cliDefaultOut(argv) : await cli(argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.calls).toHaveLength(0);
    });
  }
});

/** like cli(), but the build stub derives the default output as the real pipeline does */
async function cliDefaultOut(argv: string[]) {
  let err = '';
  const calls: Call[] = [];
  const code = await runCli(argv, {
    handlers: {
      build: async (entry, out, o) => {
        defaultOutput(entry, o.emit);
        calls.push({ cmd: 'build', entry, out, o });
        return 0;
      },
    },
    io: { out: () => {}, err: (s) => void (err += s) },
  });
  return { code, calls, err };
}

describe('build: defaults per mode', () => {
  it('debug by default: -O0 -g, overflow checks, leak checking, host triple, debug runtime', async () => {
    const { code, calls } = await cli(['build', 'examples/hello.tml']);
    expect(code).toBe(0);
    const c = only(calls, 'build');
    expect(c.entry).toBe('examples/hello.tml');
    expect(c.out).toBeNull();
    expect(c.o).toEqual({
      optLevel: 0,
      release: false,
      debugInfo: true,
      triple: HOST,
      sanitize: null,
      checkLeaks: true,
      verbose: false,
      time: false,
      mirOpt: process.env.TMLC_MIR_OPT !== '0',
      emit: null,
      mirAfter: null,
      messageFormat: 'human',
      warnings: { allow: [], deny: [], denyAll: false },
      // --color=auto: this process's stderr and NO_COLOR decide (tests/unit/color.test.ts tests the choices)
      color: process.stderr.isTTY === true && (process.env.NO_COLOR ?? '') === '',
    });
    expect(frontEndOptions(c.o)).toEqual({ overflowChecks: true, tests: false, mirAfter: null, mirOpt: process.env.TMLC_MIR_OPT !== '0', debuggable: true });
    expect(runtimeVariant(c.o)).toBe('debug');
  });

  it('-Z mir-opt=0 turns the MIR optimizer off, -Z mir-opt=1 on; other -Z options are usage errors', async () => {
    expect(only((await cli(['build', 'a.tml', '-Z', 'mir-opt=0'])).calls, 'build').o.mirOpt).toBe(false);
    expect(only((await cli(['build', 'a.tml', '-Z', 'mir-opt=0', '-Z', 'mir-opt=1'])).calls, 'build').o.mirOpt).toBe(true);
    expect(only((await cli(['test', 'x', '-Z', 'mir-opt=0'])).calls, 'test').o.build.mirOpt).toBe(false);
    const bad = await cli(['build', 'a.tml', '-Z', 'mir-opt=2']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("unknown -Z option 'mir-opt=2' (expected mir-opt=0 or mir-opt=1)");
  });

  it('-A/-W take a warning code or name (repeatable), --deny-warnings; on build, run, check and test', async () => {
    const b = only((await cli(['build', 'a.tml', '-W', 'unused_variables', '-A', 'W0002', '-A', 'w0007', '--deny-warnings'])).calls, 'build');
    expect(b.o.warnings).toEqual({ allow: ['W0002', 'W0007'], deny: ['W0001'], denyAll: true });
    expect(only((await cli(['run', 'a.tml', '-W', 'W0004'])).calls, 'run').o.warnings).toEqual({ allow: [], deny: ['W0004'], denyAll: false });
    expect(only((await cli(['check', 'a.tml', '--deny-warnings'])).calls, 'check').o.warnings).toEqual({ allow: [], deny: [], denyAll: true });
    expect(only((await cli(['test', 'x', '-A', 'dead_code'])).calls, 'test').o.build.warnings).toEqual({ allow: ['W0002'], deny: [], denyAll: false });
    const unknown = await cli(['build', 'a.tml', '-A', 'unused']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("error: unknown warning 'unused' for -A (expected one of W0001 (unused_variables), W0002 (dead_code),");
    const both = await cli(['check', 'a.tml', '-A', 'W0001', '-W', 'unused_variables']);
    expect(both.code).toBe(2);
    expect(both.err).toBe('error: warning W0001 (unused_variables) is both allowed (-A) and denied (-W)\n');
  });

  it('--mir-after PASS goes with --emit=mir and names a pass', async () => {
    const c = only((await cli(['build', 'a.tml', '--emit=mir', '--mir-after', 'borrow_check'])).calls, 'build');
    expect(c.o).toMatchObject({ emit: 'mir', mirAfter: 'borrow_check' });
    const alone = await cli(['build', 'a.tml', '--mir-after', 'mono']);
    expect(alone.code).toBe(2);
    expect(alone.err).toBe('error: --mir-after needs --emit=mir\n');
    const bad = await cli(['build', 'a.tml', '--emit=mir', '--mir-after', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('Allowed choices are generic_build, move_check, borrow_check, async_check, mono, async_send, drop_elab, borrow_marks, async_lower');
  });

  it('--release: -O2, no -g, no overflow checks, no leak tracking, release runtime', async () => {
    const c = only((await cli(['build', 'a.tml', '--release'])).calls, 'build');
    expect(c.o).toMatchObject({ optLevel: 2, release: true, debugInfo: false, checkLeaks: false, sanitize: null });
    expect(frontEndOptions(c.o).overflowChecks).toBe(false);
    // --release inlines the program's own functions too (mir/opt/inline.ts)
    expect(frontEndOptions(c.o).debuggable).toBe(false);
    expect(runtimeVariant(c.o)).toBe('release');
  });

  it('-O<n> sets only the optimisation level; --release -g keeps debug info', async () => {
    const a = only((await cli(['build', 'a.tml', '-O3'])).calls, 'build');
    expect(a.o).toMatchObject({ optLevel: 3, release: false, debugInfo: true, checkLeaks: true });
    const b = only((await cli(['build', 'a.tml', '--release', '-O1', '-g'])).calls, 'build');
    expect(b.o).toMatchObject({ optLevel: 1, release: true, debugInfo: true, checkLeaks: false });
    const c = only((await cli(['build', 'a.tml', '-O', '2'])).calls, 'build');
    expect(c.o.optLevel).toBe(2);
  });

  it('--sanitize=address|leak: asan runtime, leak checker off; undefined: ubsan runtime, tracker kept', async () => {
    for (const s of ['address', 'leak'] as const) {
      const c = only((await cli(['build', 'a.tml', `--sanitize=${s}`])).calls, 'build');
      expect(c.o).toMatchObject({ sanitize: s, checkLeaks: false, optLevel: 0, debugInfo: true });
      expect(runtimeVariant(c.o)).toBe('asan');
    }
    const u = only((await cli(['build', 'a.tml', '--sanitize', 'undefined'])).calls, 'build');
    expect(u.o).toMatchObject({ sanitize: 'undefined', checkLeaks: true });
    expect(runtimeVariant(u.o)).toBe('ubsan');
    const ur = only((await cli(['build', 'a.tml', '--sanitize=undefined', '--release'])).calls, 'build');
    expect(ur.o.checkLeaks).toBe(false);
    expect(runtimeVariant(ur.o)).toBe('ubsan');
  });

  it('--sanitize=thread: tsan runtime, leak checker off (its lock would order every allocating thread)', async () => {
    const t = only((await cli(['build', 'a.tml', '--sanitize=thread'])).calls, 'build');
    expect(t.o).toMatchObject({ sanitize: 'thread', checkLeaks: false, optLevel: 0, debugInfo: true });
    expect(runtimeVariant(t.o)).toBe('tsan');
    expect(runtimeVariant(resolveBuildOptions({ sanitize: 'thread', release: true }))).toBe('tsan');
  });

  it('--no-check-leaks / --check-leaks in a debug build (without the leak checker, the untracked runtime)', async () => {
    const n = only((await cli(['build', 'a.tml', '--no-check-leaks'])).calls, 'build');
    expect(n.o.checkLeaks).toBe(false);
    expect(runtimeVariant(n.o)).toBe('release');
    const y = only((await cli(['build', 'a.tml', '--check-leaks'])).calls, 'build');
    expect(y.o.checkLeaks).toBe(true);
  });

  it('-o, --emit, --target, --verbose, --time, --message-format', async () => {
    const c = only(
      (await cli(['build', 'a.tml', '-o', 'out.ll', '--emit=ir', '--target', 'aarch64-linux-gnu', '--verbose', '--time', '--message-format=json']))
        .calls,
      'build',
    );
    expect(c.out).toBe('out.ll');
    expect(c.o).toMatchObject({ emit: 'ir', triple: 'aarch64-linux-gnu', verbose: true, time: true, messageFormat: 'json' });
  });

  it('passes the handler\'s status through', async () => {
    expect((await cli(['build', 'a.tml'], 1)).code).toBe(1);
  });

  it('an exception in a command is an internal compiler error (70), not a bare stack trace', async () => {
    const r = await withoutInternalErrorLog(() => cli(['build', 'a.tml'], 0, new Error('boom')));
    expect(r.code).toBe(70);
    expect(r.err).toMatch(/^internal compiler error: boom\n/);
  });
});

describe('run, check, test, --version, help', () => {
  it('run FILE [build options] -- ARGS', async () => {
    const r = await cli(['run', 'a.tml', '--release', '--', 'x', '-y', '--z']);
    const c = only(r.calls, 'run');
    expect(c.args).toEqual(['x', '-y', '--z']);
    expect(c.o).toMatchObject({ release: true, optLevel: 2, emit: null });
  });

  it('run passes the program status through', async () => {
    expect((await cli(['run', 'a.tml'], 42)).code).toBe(42);
    expect(childStatus({ exitCode: 3 })).toBe(3);
    expect(childStatus({ signal: 'SIGSEGV' })).toBe(139);
    expect(childStatus({ signal: 'SIGINT' })).toBe(130);
  });

  it('check FILE', async () => {
    const c = only((await cli(['check', 'a.tml', '--message-format', 'json'])).calls, 'check');
    expect(c.entry).toBe('a.tml');
    expect(c.o.messageFormat).toBe('json');
  });

  it('test [PATHS] with its options; --no-check-leaks alone leaves the default', async () => {
    const a = only((await cli(['test'])).calls, 'test');
    expect(a.paths).toEqual(['.']);
    expect(a.o).toMatchObject({ filter: null, valgrind: false, messageFormat: 'human' });
    expect(a.o.jobs).toBeGreaterThanOrEqual(1);
    expect(a.o.build.checkLeaks).toBe(true);
    const b = only((await cli(['test', 'x', 'y', '--filter', 'foo', '--jobs', '3', '--no-check-leaks', '--valgrind'])).calls, 'test');
    expect(b.paths).toEqual(['x', 'y']);
    expect(b.o).toMatchObject({ filter: 'foo', jobs: 3, valgrind: true });
    expect(b.o.build.checkLeaks).toBe(false);
    const c = only((await cli(['test', '--release'])).calls, 'test');
    expect(c.o.build).toMatchObject({ release: true, checkLeaks: false });
  });

  it('--version', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^tmlc \d+\.\d+\.\d+/);
  });

  it('help COMMAND', async () => {
    const r = await cli(['help', 'build']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: tmlc build/);
    expect(r.out).toMatch(/--sanitize/);
    const h = await cli(['run', '--help']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/Usage: tmlc run/);
    // the language server is listed, and takes the `--stdio` editors pass (and no file)
    const l = await cli(['help', 'lsp']);
    expect(l.code).toBe(0);
    expect(l.out).toMatch(/Usage: tmlc lsp \[options\]/);
    expect(l.out).toMatch(/--stdio/);
    expect((await cli(['lsp', 'x.tml'])).code).toBe(2);
  });

  it('no command: help on stderr, status 2', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Usage: tmlc/);
  });
});

describe('pure option logic', () => {
  it('host triple from process.arch', () => {
    expect(hostTriple('x64')).toBe('x86_64-pc-linux-gnu');
    expect(hostTriple('arm64')).toBe('aarch64-linux-gnu');
    expect(() => hostTriple('ia32')).toThrow(UsageError);
  });

  it('default output: base name without .tml in the current directory', () => {
    expect(defaultOutput('examples/hello.tml', null, '/w')).toBe('hello');
    expect(defaultOutput('/abs/dir/prog.tml', 'ir', '/w')).toBe('prog.ll');
    expect(defaultOutput('prog.tml', 'bc', '/w')).toBe('prog.bc');
    expect(defaultOutput('prog.tml', 'obj', '/w')).toBe('prog.o');
    expect(defaultOutput('prog.tml', 'mir', '/w')).toBe('-');
    expect(() => defaultOutput('prog', null, '/w')).toThrow(/pass -o/);
    // a file of that name elsewhere is fine
    expect(defaultOutput('sub/prog', null, '/w')).toBe('prog');
  });

  it('resolveBuildOptions validates values itself (for callers other than commander)', () => {
    expect(() => resolveBuildOptions({ O: '9' })).toThrow(UsageError);
    expect(() => resolveBuildOptions({ sanitize: 'memory' })).toThrow(UsageError);
    expect(resolveBuildOptions({}, 'arm64').triple).toBe('aarch64-linux-gnu');
    expect(() => resolveTestOptions({ jobs: 'many' })).toThrow(UsageError);
  });

  it('backend command lines', () => {
    const debug = resolveBuildOptions({}, 'x64');
    expect(clangLinkArgs(debug, 'p.bc', 'rt.a', 'out', 'x64')).toEqual(['-O0', '-g', 'p.bc', '-Wl,-u,tml_gdb_scripts', 'rt.a', '-lpthread', '-lm', '-o', 'out']);
    const rel = resolveBuildOptions({ release: true, sanitize: 'undefined', target: 'aarch64-linux-gnu' }, 'x64');
    expect(clangLinkArgs(rel, 'p.bc', 'rt.a', 'out', 'x64')).toEqual([
      '-O2',
      '-fsanitize=undefined',
      '--target=aarch64-linux-gnu',
      'p.bc',
      'rt.a',
      '-lpthread',
      '-lm',
      '-o',
      'out',
    ]);
    expect(clangObjectArgs(debug, 'p.bc', 'p.o', 'x64')).toEqual(['-c', '-O0', '-g', 'p.bc', '-o', 'p.o']);
    // --sanitize=leak links the asan runtime variant, which needs AddressSanitizer's runtime (LeakSanitizer included)
    const leak = resolveBuildOptions({ sanitize: 'leak' }, 'x64');
    expect(clangLinkArgs(leak, 'p.bc', 'rt.a', 'out', 'x64').slice(0, 3)).toEqual(['-O0', '-g', '-fsanitize=address']);
    const thread = resolveBuildOptions({ sanitize: 'thread' }, 'x64');
    expect(clangLinkArgs(thread, 'p.bc', 'rt.a', 'out', 'x64').slice(0, 3)).toEqual(['-O0', '-g', '-fsanitize=thread']);
    expect(sanitizeAttribute(thread)).toBe('sanitize_thread');
    expect(sanitizeAttribute(resolveBuildOptions({ sanitize: 'address' }, 'x64'))).toBe('sanitize_address');
    expect(sanitizeAttribute(leak)).toBe(null);
  });

  it('debug builds make their object file in-process; optimised and instrumenting builds go through clang', () => {
    expect(codegenInProcess(resolveBuildOptions({}, 'x64'))).toBe(true);
    expect(codegenInProcess(resolveBuildOptions({ target: 'aarch64-linux-gnu' }, 'x64'))).toBe(true);
    // leak and undefined instrument no generated code: only the runtime variant and the link differ
    expect(codegenInProcess(resolveBuildOptions({ sanitize: 'leak' }, 'x64'))).toBe(true);
    expect(codegenInProcess(resolveBuildOptions({ sanitize: 'undefined' }, 'x64'))).toBe(true);
    expect(codegenInProcess(resolveBuildOptions({ sanitize: 'address' }, 'x64'))).toBe(false);
    expect(codegenInProcess(resolveBuildOptions({ sanitize: 'thread' }, 'x64'))).toBe(false);
    expect(codegenInProcess(resolveBuildOptions({ release: true }, 'x64'))).toBe(false);
  });
});
