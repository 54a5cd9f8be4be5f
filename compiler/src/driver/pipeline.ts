// The pipeline (TOOLCHAIN.md §2): front end → diagnostics → codegen + verify → backend, with --time and
// --verbose, and the rule that nothing escapes as a bare stack trace: a user error is a message with status 1,
// bad usage status 2, and anything unexpected an `internal compiler error` with status 70.
import { appendFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import type { Diagnostic } from '../syntax/diagnostics.js';
import type { SourceMap } from '../syntax/source.js';
import type { MirProgram } from '../mir/mir.js';
import type { CodegenResult, generateLLVM as GenerateLLVM } from '../codegen/program.js';
import { inlinesRuntimeBitcode, runBackend, sanitizeAttribute, type BackendEmit } from './backend.js';
import { checkInputFile, checkOutputPath, writeOutputFile } from './files.js';
import { runFrontEnd } from './frontend.js';
import { PhaseTimer } from './phase_timer.js';
import { MemoryCheckpoint } from './memory_checkpoint.js';
import { runtimeVariant } from './options.js';
import { findRuntimeLibrary, isHostTriple } from './runtime_lib.js';
import { defaultOutput, frontEndOptions, UsageError, type MessageFormat, type PipelineOptions } from './settings.js';
import { makeTempDir, setSignalDelegate, withTempDir } from './tempdir.js';
import { applyWarningPolicy } from './warning_policy.js';
import { formatCommand, locateTool, ToolError } from './toolchain.js';

export const EXIT_OK = 0;
export const EXIT_COMPILE_ERROR = 1;
export const EXIT_USAGE = 2;
/** EX_SOFTWARE: internal compiler error */
export const EXIT_ICE = 70;

/** Where the driver writes; tests may replace it. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

function line(s: string): string {
  return s.endsWith('\n') ? s : s + '\n';
}

/** Print an unexpected exception as an internal compiler error; returns the exit status (70). */
export function reportInternalError(e: unknown, io: Output = processOutput): number {
  const message = e instanceof Error ? e.message : String(e);
  let text = `internal compiler error: ${message}\n`;
  if (e instanceof Error && e.stack) {
    // the stack's first line repeats the message; keep the frames
    const frames = e.stack.split('\n').filter((l) => /^\s+at /.test(l));
    if (frames.length > 0) text += frames.join('\n') + '\n';
  }
  text += 'note: this is a bug in tmlc; please report it with the input that triggers it\n';
  io.err(text);
  recordInternalError(message);
  return EXIT_ICE;
}

/** With TMLC_INTERNAL_ERROR_LOG set, every internal error is also appended there as one JSON line: the test
 * suite sets it for all its runs and fails when the file is not empty at the end (tests/setup/), so an internal
 * error anywhere in the suite is caught even where a test only looked at the output it expected. */
export function recordInternalError(message: string): void {
  const log = process.env['TMLC_INTERNAL_ERROR_LOG'];
  if (log === undefined || log === '') return;
  try {
    appendFileSync(log, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), message }) + '\n');
  } catch {
    // the log is a testing aid; the error itself has been reported
  }
}

/**
 * Run a driver action and turn every exception into the right message and exit status: UsageError → 2,
 * ToolError (missing or failing tool) → 1, anything else → internal compiler error, 70.
 */
export async function guarded(fn: () => Promise<number>, io: Output = processOutput): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof ToolError) {
      io.err(line(e.message));
      if (e.detail !== '') io.err(line(e.detail));
      return EXIT_COMPILE_ERROR;
    }
    return reportInternalError(e, io);
  }
}

/** Print diagnostics to stderr (human text, or one JSON object per line); returns the number of errors. */
export async function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: SourceMap,
  format: MessageFormat,
  io: Output = processOutput,
  color = false,
): Promise<number> {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (diagnostics.length === 0) return 0;
  const render = await import('../syntax/render.js');
  const { ANSI, PLAIN } = await import('../syntax/palette.js');
  const palette = color ? ANSI : PLAIN;
  for (const d of diagnostics) {
    if (format === 'json') io.err(JSON.stringify(render.diagnosticToJson(d, sources)) + '\n');
    else io.err(line(render.renderDiagnostic(d, sources, palette)));
  }
  if (format === 'human' && errors > 0) io.err(line(render.renderSummary(errors, palette)));
  return errors;
}

interface FrontEndOutcome {
  program: MirProgram | null;
  status: number;
  /** --mir-after: the MIR as that pass left it */
  mirText?: string | null;
  /** every source file read */
  inputs: string[];
}

async function frontEnd(entry: string, options: PipelineOptions, tests: boolean, timer: PhaseTimer, io: Output, needsMain = false, checkOnly = false): Promise<FrontEndOutcome> {
  checkInputFile(entry);
  // a large build's front end collects its garbage between passes (memory_checkpoint.ts); `check` does not: its
  // peak is the front end's own, and the collections cost it 14% more CPU (user+sys, 10 runs: 1,054 ms against 926)
  const checkpoint = checkOnly ? null : new MemoryCheckpoint();
  const fe = runFrontEnd(entry, { ...frontEndOptions(options, tests), needsMain, checkOnly, afterPhase: () => checkpoint?.now(), time: options.time });
  timer.phases.push(...fe.timings);
  const inputs = fe.sources.paths();
  const errors = await printDiagnostics(applyWarningPolicy(fe.diagnostics, options.warnings), fe.sources, options.messageFormat, io, options.color);
  if (errors > 0) return { program: null, status: EXIT_COMPILE_ERROR, inputs };
  if (fe.mirText !== null) return { program: fe.program, status: EXIT_OK, mirText: fe.mirText, inputs };
  if (fe.program === null) throw new Error('the front end produced no program and reported no error');
  return { program: fe.program, status: EXIT_OK, inputs };
}

export interface BuildExtra {
  /** 'tests': compile `@test` functions with the test harness instead of `main` (for the test runner) */
  harness?: 'main' | 'tests';
  io?: Output;
  /** Called once the front end has produced the program (before codegen): the test runner takes the test list and
   * the source files read from here, so a test file goes through the front end once, not once more to list it. */
  frontEndDone?: (result: { program: MirProgram; inputs: readonly string[] }) => void;
}

/**
 * `tmlc build`: compile `entry` to `out` (default: the base name in the current directory; see defaultOutput).
 * Returns the exit status; never throws.
 */
export async function build(entry: string, out: string | null, options: PipelineOptions, extra: BuildExtra = {}): Promise<number> {
  const io = extra.io ?? processOutput;
  const timer = new PhaseTimer(options.time);
  try {
    return await guarded(() => buildUnguarded(entry, out, options, extra, timer, io), io);
  } finally {
    if (options.time) io.err(timer.format());
  }
}

async function buildUnguarded(
  entry: string,
  outArg: string | null,
  options: PipelineOptions,
  extra: BuildExtra,
  timer: PhaseTimer,
  io: Output,
): Promise<number> {
  const harness = extra.harness ?? 'main';
  const out = outArg ?? defaultOutput(entry, options.emit);
  const log = (l: string): void => io.err(line(l));
  // a bad output path fails before the work, and the output may never replace a source file
  if (out === '-' && options.emit !== 'ir' && options.emit !== 'mir') {
    throw new UsageError(`-o - (standard output) is for --emit=ir and --emit=mir, not for ${options.emit === null ? 'an executable' : `--emit=${options.emit}`}`);
  }
  checkOutputPath(out, [entry]);
  const fe = await frontEnd(entry, options, harness === 'tests', timer, io, harness === 'main' && options.emit === null);
  if (fe.status === EXIT_OK) checkOutputPath(out, fe.inputs);
  if (options.emit === 'mir') {
    if (fe.status !== EXIT_OK) return fe.status;
    // the MIR after --mir-after's pass, or the program as code generation gets it
    const { printProgram } = await import('../mir/print.js');
    const text = line(fe.mirText ?? printProgram(fe.program!));
    if (out === '-') io.out(text);
    else writeOutputFile(out, text);
    return EXIT_OK;
  }
  if (fe.program === null) return fe.status;
  extra.frontEndDone?.({ program: fe.program, inputs: fe.inputs });

  const { generateLLVM } = await import('../codegen/program.js');
  // a large build collects its garbage as codegen goes and the MIR once codegen is done with it
  // (memory_checkpoint.ts); made after the LLVM addon is loaded, whose 25 MB are not garbage
  const checkpoint = new MemoryCheckpoint();
  const module = await codegen(generateLLVM, fe, entry, harness, options, timer, checkpoint);
  checkpoint.finish();
  // the module's native objects are freed whatever happens next, so a process that compiles many programs (the
  // test runner) stays bounded
  try {
    return await backEnd(module, out, options.emit, options, timer, log, io);
  } finally {
    module.dispose();
  }
}

/** Generate the LLVM module (the 'codegen' phase, which includes verification). The MIR is taken out of `fe`, so
 * nothing holds it once codegen is done with it. */
async function codegen(
  generateLLVM: typeof GenerateLLVM,
  fe: FrontEndOutcome,
  entry: string,
  harness: 'main' | 'tests',
  options: PipelineOptions,
  timer: PhaseTimer,
  checkpoint: MemoryCheckpoint,
): Promise<CodegenResult> {
  const program = fe.program!;
  fe.program = null;
  const attribute = sanitizeAttribute(options);
  return timer.time('codegen', () =>
    generateLLVM(program, {
      triple: options.triple,
      debugInfo: options.debugInfo,
      checkLeaks: options.checkLeaks,
      harness,
      moduleName: path.basename(entry),
      functionAttributes: attribute === null ? [] : [attribute],
      // release builds without a sanitizer (which keep the runtime's own flag: TSan must see the atomic paths)
      singleThreadedWhenPossible: options.release && options.sanitize === null,
      aliasTags: options.optLevel > 0,
      afterFunction: () => checkpoint.sometimes(),
    }),
  );
}

async function backEnd(
  module: CodegenResult,
  out: string,
  emit: BackendEmit,
  options: PipelineOptions,
  timer: PhaseTimer,
  log: (line: string) => void,
  io: Output,
): Promise<number> {
  const verifyFailure = module.verifyFailure;
  if (verifyFailure !== null) {
    // codegen says "in function 'f': <opt-14 -verify's message>" (or "in module: …")
    const v = verifyFailure.trim();
    io.err(`internal compiler error: LLVM module failed verification${/^in /.test(v) ? ' ' : ': '}${v}\n`);
    io.err('note: this is a bug in tmlc; please report it with the input that triggers it\n');
    return EXIT_ICE;
  }

  // an executable links the runtime; a --release object file inlines its hot functions (backend.ts)
  const needsRuntime = emit === null || (emit === 'obj' && inlinesRuntimeBitcode(options));
  const runtimeLib =
    needsRuntime
      ? await timer.time('runtime', () => findRuntimeLibrary(runtimeVariant(options), { triple: options.triple, verbose: options.verbose, log }))
      : null;
  await withTempDir((workDir) =>
    runBackend({
      module,
      out,
      emit,
      options,
      runtimeLib,
      workDir,
      log,
      timing: (p, ms) => timer.add(p, ms),
    }),
  );
  return EXIT_OK;
}

/** `tmlc check`: the front end only; diagnostics and the exit status. */
export async function check(entry: string, options: PipelineOptions, io: Output = processOutput): Promise<number> {
  const timer = new PhaseTimer(options.time);
  try {
    return await guarded(async () => (await frontEnd(entry, options, false, timer, io, false, true)).status, io);
  } finally {
    if (options.time) io.err(timer.format());
  }
}

/** Exit status of a finished child as a shell reports it: its code, or 128+n for signal n. */
export function childStatus(r: { exitCode?: number; signal?: string }): number {
  if (r.signal !== undefined) return 128 + (constants.signals[r.signal as NodeJS.Signals] ?? 0);
  return r.exitCode ?? 1;
}

/**
 * `tmlc run`: build into a private temp dir, run with stdio inherited, return the program's exit status
 * (128+n when a signal n ended it). Programs for another architecture run under qemu-aarch64.
 */
export async function buildAndRun(entry: string, args: readonly string[], options: PipelineOptions, io: Output = processOutput): Promise<number> {
  const dir = makeTempDir('tmlc-run');
  try {
    const exe = path.join(dir.path, path.basename(entry).replace(/\.tml$/, '') || 'prog');
    const status = await build(entry, exe, { ...options, emit: null }, { io });
    if (status !== EXIT_OK) return status;
    return await guarded(() => runProgram(exe, args, options, io), io);
  } finally {
    dir.remove();
  }
}

/** Run a built program with stdio inherited; its exit status, or 128+n for signal n. */
export async function runProgram(exe: string, args: readonly string[], options: PipelineOptions, io: Output): Promise<number> {
  let file = exe;
  let argv = [...args];
  if (!isHostTriple(options.triple)) {
    file = locateTool('qemu-aarch64');
    argv = ['-L', '/usr/aarch64-linux-gnu', exe, ...args];
  }
  if (options.verbose) io.err(formatCommand(file, argv) + '\n');
  const { execa } = await import('execa');
  const child = execa(file, argv, { stdio: 'inherit', reject: false });
  // The child is in our foreground process group: Ctrl-C reaches it directly. Forward what was sent only to us.
  const prev = setSignalDelegate((sig) => {
    if (sig !== 'SIGINT') child.kill(sig);
  });
  try {
    const r = await child;
    if (r.exitCode === undefined && r.signal === undefined) {
      throw new ToolError(`error: cannot run '${exe}': ${r.shortMessage}`);
    }
    return childStatus(r);
  } finally {
    setSignalDelegate(prev);
  }
}
