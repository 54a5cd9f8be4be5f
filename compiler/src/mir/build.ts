// The MIR layer's entry: run the pass pipeline (pass_manager.ts) over a checked program.
import type { DiagnosticBag } from '../syntax/diagnostics.js';
import type { SourceMap } from '../syntax/source.js';
import type { CheckedProgram } from '../sema/program.js';
import type { MirProgram } from './mir.js';
import type { LowerOptions } from './mono.js';
import { runPasses, type PassContext, type RunPassesOptions } from './pass_manager.js';

export function buildMir(checked: CheckedProgram, sources: SourceMap, opts: LowerOptions, diags: DiagnosticBag, run: RunPassesOptions = {}): MirProgram | null {
  const ctx = passContext(checked, sources, opts, diags);
  runPasses(ctx, { validate: process.env.TMLC_VALIDATE_MIR === '1', ...run });
  return ctx.program;
}

/** A fresh pass context for a checked program: the library's bodies are checked when lowered, not up front. */
export function passContext(checked: CheckedProgram, sources: SourceMap, opts: LowerOptions, diags: DiagnosticBag): PassContext {
  return { checked, sources, opts, diags, checkBody: (fn) => !fn.module.isStd, generic: null, program: null, optimize: mirOptEnabled(opts) };
}

/** The optimizer runs unless the build turned it off (`-Z mir-opt=0`) or, when the build says nothing, the
 * environment does (TMLC_MIR_OPT=0: how the differential test runs the whole suite without it). */
export function mirOptEnabled(opts: LowerOptions): boolean {
  return opts.mirOpt ?? process.env.TMLC_MIR_OPT !== '0';
}
