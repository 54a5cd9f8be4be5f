// The backend (TOOLCHAIN.md §2, step 6): the verified LLVM module → IR text, bitcode, an object file, or an
// executable linked with the runtime library by clang-14. A -O0 build generates its object file in-process (LLVM's
// code generator through a TargetMachine) and runs the system linker on the command line clang gave for it
// (linker.ts); optimised builds and the instrumenting sanitizers (address, thread: codegen gave every function
// their attribute) hand clang the bitcode.
import path from 'node:path';
import type { BuildOptions } from './options.js';
import { copyOutputFile, pathArg, writeOutputFile } from './files.js';
import { isHostTriple, runtimeInlineBitcode } from './runtime_lib.js';
import { hostTriple } from './settings.js';
import { directLinkEnabled, findLinkTemplate, goldFlags, instantiateLink, linkTemplateDir } from './linker.js';
import { runExecutable, runTool, ToolError, type RunToolOptions, type ToolResult } from './toolchain.js';

/** What the backend needs of codegen's result (`generateLLVM` in codegen/program.ts). */
export interface CodegenOutput {
  ir(): string;
  writeBitcode(path: string): void;
  emitObject(path: string, optLevel: 0 | 1 | 2 | 3): void;
}

export type BackendEmit = 'ir' | 'bc' | 'obj' | null;

export interface BackendRequest {
  module: CodegenOutput;
  /** output path; `-` writes IR text to stdout */
  out: string;
  /** null: link an executable */
  emit: BackendEmit;
  options: BuildOptions;
  /** the runtime library: linked into an executable; next to it, the bitcode a --release build inlines */
  runtimeLib: string | null;
  /** private temp dir for intermediate files */
  workDir: string;
  /** --verbose lines and tool warnings */
  log: (line: string) => void;
  /** --time: one call per phase */
  timing?: (phase: string, ms: number) => void;
}

/** The function attribute that makes clang's sanitizer pass instrument a function (codegen adds it to every defined
 * function); null: no instrumentation of generated code (`leak` and `undefined` instrument none: UBSan's checks are
 * inserted by clang's front end). */
export function sanitizeAttribute(o: BuildOptions): 'sanitize_address' | 'sanitize_thread' | null {
  if (o.sanitize === 'address') return 'sanitize_address';
  if (o.sanitize === 'thread') return 'sanitize_thread';
  return null;
}

/**
 * The -fsanitize= flag of a build. `--sanitize=leak` links the `asan` runtime variant (TOOLCHAIN.md §4), whose
 * objects need AddressSanitizer's runtime, so it is linked with -fsanitize=address, which includes
 * LeakSanitizer; the program's own functions are not instrumented then (no attribute), only `address` does that.
 */
export function sanitizeFlag(o: BuildOptions): string | null {
  if (o.sanitize === null) return null;
  return `-fsanitize=${o.sanitize === 'leak' ? 'address' : o.sanitize}`;
}

/** clang's code-generation flags: -O<n>, -g, -fsanitize=…, and --target= when it is not the host's default. */
export function clangCodegenFlags(o: BuildOptions, arch: string = process.arch): string[] {
  const flags = [`-O${o.optLevel}`];
  if (o.debugInfo) flags.push('-g');
  const san = sanitizeFlag(o);
  if (san !== null) flags.push(san);
  let host: string | null;
  try {
    host = hostTriple(arch);
  } catch {
    host = null;
  }
  if (o.triple !== host) flags.push(`--target=${o.triple}`);
  return flags;
}

/** Whether the build links the runtime's hot functions into the program before optimisation (runBackend): a
 * `--release` build without a sanitizer, for an executable or an object file. */
export function inlinesRuntimeBitcode(o: BuildOptions): boolean {
  return o.release && o.sanitize === null;
}

/** `clang-14` arguments that link `input` (bitcode, which clang compiles first, or an object file) with the runtime
 * into the executable `out`. A `-g` build also pulls in the runtime's gdb pretty-printers (runtime-c/gdb_scripts.c). */
export function clangLinkArgs(o: BuildOptions, input: string, runtimeLib: string, out: string, arch?: string): string[] {
  const gdbScripts = o.debugInfo ? ['-Wl,-u,tml_gdb_scripts'] : [];
  return [...clangCodegenFlags(o, arch), pathArg(input), ...gdbScripts, pathArg(runtimeLib), '-lpthread', '-lm', '-o', pathArg(out)];
}

/** Whether the object file is generated in-process: at -O0 clang would only run LLVM's code generator on the
 * bitcode, which the TargetMachine does without writing bitcode or starting clang; an instrumenting sanitizer's
 * pass and an optimised build's IR pipeline are clang's. */
export function codegenInProcess(o: BuildOptions): boolean {
  return o.optLevel === 0 && sanitizeAttribute(o) === null;
}

/** `clang-14` arguments that compile `bitcode` to the object file `out`. */
export function clangObjectArgs(o: BuildOptions, bitcode: string, out: string, arch?: string): string[] {
  return ['-c', ...clangCodegenFlags(o, arch), pathArg(bitcode), '-o', pathArg(out)];
}

async function timed<T>(req: BackendRequest, phase: string, fn: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    req.timing?.(phase, performance.now() - t0);
  }
}

/** Produce the requested output. Tool failures throw ToolError (a user-facing message). */
export async function runBackend(req: BackendRequest): Promise<void> {
  const o = req.options;
  if (req.emit === 'ir') {
    const text = await timed(req, 'ir', () => req.module.ir());
    if (req.out === '-') process.stdout.write(text);
    else writeOutputFile(req.out, text);
    return;
  }
  // Every file is made in the private temp dir and copied to the output at the end: an interrupted or failed
  // build leaves no half-written output, and an unwritable output is one clear error (not LLVM's or clang's).
  // The tools' own temporaries (TMPDIR) go there too, so an interrupt cannot leave them in the system's.
  const tools = { verbose: o.verbose, log: req.log, env: { TMPDIR: req.workDir } };
  if (req.emit !== 'bc' && codegenInProcess(o)) {
    const obj = path.join(req.workDir, 'prog.o');
    await timed(req, 'object', () => req.module.emitObject(obj, o.optLevel));
    if (req.emit === 'obj') {
      copyOutputFile(obj, req.out);
      return;
    }
    const exe = path.join(req.workDir, 'out.exe');
    const linked = await timed(req, 'link', () => linkObject(o, obj, requireLib(req.runtimeLib), exe, tools));
    const linkWarnings = linked.stderr.trimEnd();
    if (linkWarnings !== '') req.log(linkWarnings);
    copyOutputFile(exe, req.out);
    return;
  }
  if (req.emit === 'bc') {
    const bcOut = path.join(req.workDir, 'out.bc');
    await timed(req, 'bitcode', () => req.module.writeBitcode(bcOut));
    copyOutputFile(bcOut, req.out);
    return;
  }

  let bc = path.join(req.workDir, 'prog.bc');
  await timed(req, 'bitcode', () => req.module.writeBitcode(bc));

  // --release: the runtime's hot functions are linked into the program before optimisation (TOOLCHAIN.md §2 (b)),
  // as available_externally copies, so that they inline (tml_alloc → malloc, refcounts); their definitions and the
  // rest of the runtime come precompiled from the static library. An object file (--emit=obj) gets them too: an
  // available_externally copy emits no symbol, so the object is the executable's code and links with that library.
  const inlineBc = inlinesRuntimeBitcode(o) ? runtimeInlineBitcode(req.runtimeLib) : null;
  if (inlineBc !== null) {
    const linked = path.join(req.workDir, 'prog.linked.bc');
    await timed(req, 'llvm-link', () => runTool('llvm-link', [bc, pathArg(inlineBc), '-o', linked], tools));
    bc = linked;
  }

  const made = path.join(req.workDir, req.emit === 'obj' ? 'out.o' : 'out.exe');
  const args =
    req.emit === 'obj'
      ? clangObjectArgs(o, bc, made)
      : clangLinkArgs(o, bc, requireLib(req.runtimeLib), made);
  const r = await timed(req, 'clang', () => runTool('clang', args, tools));
  const warnings = r.stderr.trimEnd();
  if (warnings !== '') req.log(warnings);
  copyOutputFile(made, req.out);
}

/** Link an object file made in-process with the runtime: the system linker (gold where there is one: `goldFlags`)
 * directly when the driver's command line for it is known (linker.ts), else through clang. A direct link that fails
 * is retried through the driver with its default linker, whose result stands (and whose success drops the template
 * that failed). */
async function linkObject(o: BuildOptions, obj: string, runtimeLib: string, exe: string, tools: RunToolOptions): Promise<ToolResult> {
  const paths = { input: pathArg(obj), runtime: pathArg(runtimeLib), output: pathArg(exe) };
  const argsFor = (p: typeof paths): string[] => clangLinkArgs(o, p.input, p.runtime, p.output);
  const driverArgs = argsFor(paths);
  const gold = goldFlags(isHostTriple(o.triple));
  const linkTemplate = directLinkEnabled()
    ? await findLinkTemplate({
        driverArgs: (p) => [...gold, ...argsFor(p)],
        paths,
        cacheDir: linkTemplateDir(),
        askDriver: async (args) => (await runTool('clang', args, { ...tools, verbose: false })).stderr,
      })
    : null;
  if (linkTemplate === null) return runTool('clang', driverArgs, tools);
  const [linker, ...args] = instantiateLink(linkTemplate.template, paths);
  try {
    return await runExecutable(linker!, linker!, args, tools);
  } catch (e) {
    if (!(e instanceof ToolError)) throw e;
    const r = await runTool('clang', driverArgs, tools);
    linkTemplate.forget();
    return r;
  }
}

function requireLib(lib: string | null): string {
  if (lib === null) throw new Error('backend: linking an executable needs the runtime library');
  return lib;
}
