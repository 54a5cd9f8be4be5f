// Single-threaded release programs (codegen/single_threaded.ts): which C functions may start a thread, checked
// against what the runtime's own object files define and call, and the module-level result: a program that calls
// none of them defines the runtime's threads-started flag as a constant 0 (and the marker), one that calls one of
// them (or an FFI function) does not, nor does any program when the option is off (debug and sanitizer builds).
import { execaSync } from 'execa';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateLLVM } from '../../compiler/src/codegen/program.js';
import { mayStartThreads } from '../../compiler/src/codegen/single_threaded.js';
import type { LocalDecl, MirFunction, MirProgram, Statement } from '../../compiler/src/mir/mir.js';
import { T, type Type } from '../../compiler/src/sema/types.js';
import { SourceMap, type Span } from '../../compiler/src/syntax/source.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RELEASE_LIB = path.join(REPO, 'build', 'lib', 'libtml_runtime_release.a');

describe('mayStartThreads', () => {
  it('flags the entry points of spawn, async tasks, block_on, delays and timers', () => {
    for (const s of ['tml_task_spawn', 'tml_async_spawn_future', 'tml_future_block_on', 'tml_block_on_state', 'tml_delay_new', 'tml_timer_after']) {
      expect(mayStartThreads(s), s).toBe(true);
    }
  });

  it('flags C functions outside the runtime (FFI), except the libc functions the compiler itself calls', () => {
    expect(mayStartThreads('pthread_create')).toBe(true);
    expect(mayStartThreads('my_library_init')).toBe(true);
    expect(mayStartThreads('memmem')).toBe(false);
    expect(mayStartThreads('write')).toBe(false);
  });

  it('does not flag the rest of the runtime: refcounts, pools, strings, channels', () => {
    for (const s of ['tml_obj_release', 'tml_class_pool_alloc', 'tml_str_concat', 'tml_println', 'tml_chan_send', 'tml_chan_recv', 'tml_runtime_init']) {
      expect(mayStartThreads(s), s).toBe(false);
    }
  });
});

/** The global functions each member of the release runtime archive defines, and those it calls from elsewhere. */
function archiveSymbols(): Map<string, { defined: string[]; undefined: string[] }> {
  expect(existsSync(RELEASE_LIB), `${RELEASE_LIB} (build the runtime first: cmake --build build)`).toBe(true);
  const members = new Map<string, { defined: string[]; undefined: string[] }>();
  let current: { defined: string[]; undefined: string[] } | null = null;
  for (const line of execaSync('nm', ['-g', RELEASE_LIB]).stdout.split('\n')) {
    const member = /^(\S+\.o):$/.exec(line);
    if (member) {
      current = { defined: [], undefined: [] };
      members.set(member[1]!, current);
      continue;
    }
    const sym = /^\s*(?:[0-9a-f]+)?\s+([A-Za-z])\s+(\S+)$/.exec(line);
    if (!sym || !current) continue;
    if (sym[1] === 'T') current.defined.push(sym[2]!);
    if (sym[1] === 'U') current.undefined.push(sym[2]!);
  }
  return members;
}

const THREAD_FILES = ['async.c.o', 'thread.c.o', 'timer.c.o'];

describe('the list against the runtime library', () => {
  const members = archiveSymbols();

  it('flags every function a program can call in the files that start threads (async.c, thread.c, timer.c)', () => {
    const entries = THREAD_FILES.flatMap((f) => members.get(f)?.defined ?? []).filter((s) => s.startsWith('tml_') && !s.startsWith('tml_rt_'));
    expect(entries).toContain('tml_task_spawn');
    expect(entries.filter((s) => !mayStartThreads(s))).toEqual([]);
  });

  it('flags no function of the other files', () => {
    const others = [...members].filter(([f]) => !THREAD_FILES.includes(f)).flatMap(([, m]) => m.defined);
    expect(others).toContain('tml_obj_release');
    expect(others.filter((s) => s.startsWith('tml_') && mayStartThreads(s))).toEqual([]);
  });

  it('the other files call into those three only through functions that start no thread (reviewed: shutdown, wakers, waiters)', () => {
    // a new call from elsewhere into async.c, thread.c or timer.c must be reviewed: does the function it calls start
    // a thread (then the caller's own entry points must be in the list), or not (then add it here)
    const threadDefs = new Set(THREAD_FILES.flatMap((f) => members.get(f)?.defined ?? []));
    const called = new Set([...members].filter(([f]) => !THREAD_FILES.includes(f)).flatMap(([, m]) => m.undefined.filter((s) => threadDefs.has(s))));
    expect([...called].sort()).toEqual([
      'tml_async_shutdown',
      'tml_rt_async_ever_started',
      'tml_rt_async_worker_blocks',
      'tml_rt_on_task_thread',
      'tml_rt_timer_cancel',
      'tml_rt_timers_shutdown',
      'tml_rt_waiter_remove',
      'tml_rt_waiters_block',
      'tml_rt_waiters_wake',
      'tml_tasks_join_all',
      'tml_waker_clone',
      'tml_waker_drop',
      'tml_waker_wake',
      'tml_waker_will_wake',
    ]);
  });
});

// ---------- the module: a main that calls one C function ----------

const FILE = 'tests/single_threaded_fake.tml';
const sources = new SourceMap();
sources.add(FILE, 'func main() {}\n');
const SPAN: Span = { file: FILE, start: 0, end: 4 };
const HOST_TRIPLE = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-pc-linux-gnu';

/** main() { _1 = symbol() } */
function callingProgram(symbol: string, ret: Type): MirProgram {
  const locals: LocalDecl[] = [
    { id: 0, ty: T.unit, name: null, kind: 'return', span: SPAN },
    { id: 1, ty: ret, name: null, kind: 'temp', span: SPAN },
  ];
  const stmt: Statement = { k: 'call', dest: { local: 1, proj: [] }, callee: { k: 'extern', symbol, ret }, args: [], span: SPAN, noReturn: false };
  const main: MirFunction = {
    symbol: 'test::main',
    displayName: 'main',
    kind: 'fn',
    locals,
    argCount: 0,
    retTy: T.unit,
    blocks: [{ id: 0, stmts: [stmt], term: { k: 'return' }, termSpan: SPAN }],
    span: SPAN,
    exported: false,
  };
  return {
    functions: [main],
    externs: [],
    vtables: [],
    globals: [],
    staticInit: null,
    staticDrop: null,
    entry: { symbol: 'test::main', returnsI32: false },
    tests: [],
    sources,
  };
}

function ir(p: MirProgram, singleThreadedWhenPossible: boolean): string {
  const result = generateLLVM(p, { triple: HOST_TRIPLE, debugInfo: false, checkLeaks: false, harness: 'main', moduleName: 'st', singleThreadedWhenPossible });
  try {
    expect(result.verifyFailure).toBeNull();
    return result.ir();
  } finally {
    result.dispose();
  }
}

const DEFINED = ['@tml_rt_threads_flag = constant i32 0', '@tml_rt_program_single_threaded = constant i8 1'];

describe('codegen', () => {
  it('defines the flag as a constant 0 and the marker in a program that starts no thread', () => {
    const text = ir(callingProgram('tml_args_count', T.i64), true);
    for (const line of DEFINED) expect(text).toContain(line);
  });

  it('defines neither in a program that calls a function that may start a thread, or an FFI function', () => {
    for (const symbol of ['tml_timers_pending', 'getpid']) {
      const text = ir(callingProgram(symbol, T.i64), true);
      expect(text, symbol).not.toContain('tml_rt_threads_flag');
      expect(text, symbol).not.toContain('tml_rt_program_single_threaded');
    }
  });

  it('defines neither when the option is off (debug and sanitizer builds)', () => {
    const text = ir(callingProgram('tml_args_count', T.i64), false);
    expect(text).not.toContain('tml_rt_threads_flag');
  });
});
