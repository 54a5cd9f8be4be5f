// The front half of the pipeline: parse every reachable module, check, lower to MIR, elaborate drops.
import { DiagnosticBag, type Diagnostic } from '../syntax/diagnostics.js';
import { SourceMap } from '../syntax/source.js';
import type { MirProgram } from '../mir/mir.js';
import { buildMir } from '../mir/build.js';
import { currentMir } from '../mir/pass_manager.js';
import { printFunction } from '../mir/print.js';
import { checkProgram } from '../sema/program.js';
import type { FrontEndOptions } from './options.js';

export interface FrontEndResult {
  /** null when there were errors */
  program: MirProgram | null;
  diagnostics: Diagnostic[];
  sources: SourceMap;
  /** milliseconds per phase, for --time */
  timings: { phase: string; ms: number }[];
  /** with `mirAfter`: the MIR as that pass left it */
  mirText: string | null;
}

export function runFrontEnd(entryPath: string, opts: FrontEndOptions): FrontEndResult {
  const sources = new SourceMap();
  const diags = new DiagnosticBag();
  const timings: { phase: string; ms: number }[] = [];
  let t0 = performance.now();
  const checked = checkProgram(entryPath, sources, diags, opts.tests, opts.needsMain ?? false);
  timings.push({ phase: 'parse+check', ms: performance.now() - t0 });
  if (!checked || diags.hasErrors()) return { program: null, diagnostics: diags.items, sources, timings, mirText: null };
  t0 = performance.now();
  let mirText: string | null = null;
  const stopAfter = opts.mirAfter ?? undefined;
  const lower = { overflowChecks: opts.overflowChecks, tests: opts.tests, trackSites: opts.overflowChecks, mirOpt: opts.mirOpt ?? undefined };
  const program = buildMir(checked, sources, lower, diags, {
    stopAfter,
    timed: (pass, ms) => timings.push({ phase: `mir:${pass}`, ms }),
    after: (pass, ctx) => {
      if (pass.name === stopAfter) mirText = currentMir(ctx).map(printFunction).join('\n');
    },
  });
  timings.push({ phase: 'mir (all)', ms: performance.now() - t0 });
  return { program: diags.hasErrors() ? null : program, diagnostics: diags.items, sources, timings, mirText };
}
