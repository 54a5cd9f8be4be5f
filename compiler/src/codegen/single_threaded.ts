// Single-threaded programs (release builds): a program that calls no C function able to start a thread defines
// the runtime's "threads started" flag itself, as a constant 0 (runtime-c/internal.h, threads_flag.c). The
// runtime's hot functions that a --release build inlines (refcounts, the class pools' fast paths) test that flag
// on every call to choose between plain and atomic updates; with a constant, LLVM folds the tests away, and the
// code between two of them (an allocation, the stores that fill the object, the release of the old one) is one
// straight line again. The marker next to it makes the runtime stop with an internal error, instead of writing
// the read-only flag, if a thread is started anyway (a function missing from the list below).
import llvm from './llvm.js';

/** The runtime's C files that can start threads (async.c: the executor's workers; thread.c: `spawn`; timer.c: the
 * timer thread) name their entry points with these prefixes; a program calling any of them is not single-threaded.
 * (tests/unit/single_threaded.test.ts checks the list against the symbols those files define.) */
const THREAD_ENTRY_PREFIXES = ['tml_async_', 'tml_task_', 'tml_tasks_', 'tml_timer_', 'tml_timers_', 'tml_delay_', 'tml_future_', 'tml_block_on', 'tml_waker_'];

/** C functions outside the runtime that the compiler and the standard library call and that start no thread.
 * Any other (an FFI function) may start one that calls back into the program. */
const THREADLESS_LIBC = new Set(['memmem', 'strcmp', 'write']);

/** Whether calling the C function `symbol` may start a thread. */
export function mayStartThreads(symbol: string): boolean {
  if (!symbol.startsWith('tml_')) return !THREADLESS_LIBC.has(symbol);
  return THREAD_ENTRY_PREFIXES.some((p) => symbol.startsWith(p));
}

/** The runtime's flag and the marker (their names are the runtime's, internal.h). */
export const THREADS_FLAG = 'tml_rt_threads_flag';
export const SINGLE_THREADED_MARKER = 'tml_rt_program_single_threaded';

/** Define the flag (i32 0) and the marker (i8 1) as constants when none of the C functions the module calls may
 * start a thread; returns whether it did. */
export function defineSingleThreaded(ctx: llvm.LLVMContext, module: llvm.Module, calledC: Iterable<string>): boolean {
  for (const symbol of calledC) if (mayStartThreads(symbol)) return false;
  const i32 = llvm.Type.getInt32Ty(ctx);
  const i8 = llvm.Type.getInt8Ty(ctx);
  const external = llvm.GlobalValue.LinkageTypes.ExternalLinkage;
  new llvm.GlobalVariable(module, i32, true, external, llvm.ConstantInt.get(i32, 0), THREADS_FLAG);
  new llvm.GlobalVariable(module, i8, true, external, llvm.ConstantInt.get(i8, 1), SINGLE_THREADED_MARKER);
  return true;
}
