// The front half of the pipeline: parse every reachable module, check, lower to MIR, elaborate drops.
import path from 'node:path';
import { DiagnosticBag, type Diagnostic } from '../syntax/diagnostics.js';
import { SourceMap } from '../syntax/source.js';
import type { MirProgram } from '../mir/mir.js';
import { buildMir } from '../mir/build.js';
import { currentMir, PASSES } from '../mir/pass_manager.js';
import { printFunction } from '../mir/print.js';
import { directParser, ParseCache, syntaxLayerKey, type ModuleParser } from '../sema/parse_cache.js';
import { checkProgram, type CheckedProgram } from '../sema/program.js';
import { phaseTime, type PhaseTime } from './phase_timer.js';
import { projectSourceDir } from './project_root.js';
import type { FrontEndOptions } from './options.js';
import { packageVersion, runtimeCacheDir } from './runtime_lib.js';

export interface FrontEndResult {
  /** null when there were errors */
  program: MirProgram | null;
  diagnostics: Diagnostic[];
  sources: SourceMap;
  /** milliseconds per phase and the resident set at its end, for --time */
  timings: PhaseTime[];
  /** with `mirAfter`: the MIR as that pass left it */
  mirText: string | null;
  /** the checked program (also when it has errors; null when a module could not be read): what the language server
   * queries for types and definitions */
  checked: CheckedProgram | null;
}

/** The last MIR pass that can report a diagnostic: `tmlc check` stops after it (the optimizer reports nothing). */
const LAST_CHECK_PASS = [...PASSES].reverse().find((p) => p.check)!.name;

export function runFrontEnd(entryPath: string, opts: FrontEndOptions): FrontEndResult {
  const sources = new SourceMap();
  const diags = new DiagnosticBag();
  const timings: PhaseTime[] = [];
  let t0 = performance.now();
  const checked = checkProgram(entryPath, sources, diags, opts.tests, opts.needsMain ?? false, { stdParser: stdlibParseCache(), moduleRoot: projectSourceDir(entryPath), overlay: opts.overlay });
  timings.push(phaseTime('parse+check', performance.now() - t0, opts.time));
  opts.afterPhase?.();
  if (!checked || diags.hasErrors()) return { program: null, diagnostics: diags.items, sources, timings, mirText: null, checked };
  t0 = performance.now();
  let mirText: string | null = null;
  const stopAfter = opts.mirAfter ?? (opts.checkOnly ? LAST_CHECK_PASS : undefined);
  const lower = { overflowChecks: opts.overflowChecks, tests: opts.tests, trackSites: opts.overflowChecks, mirOpt: opts.mirOpt ?? undefined, debuggable: opts.debuggable ?? false };
  const program = buildMir(checked, sources, lower, diags, {
    stopAfter,
    timed: (pass, ms) => {
      timings.push(phaseTime(`mir:${pass}`, ms, opts.time));
      opts.afterPhase?.();
    },
    after: (pass, ctx) => {
      if (pass.name === opts.mirAfter) mirText = currentMir(ctx).map(printFunction).join('\n');
    },
  });
  timings.push(phaseTime('mir (all)', performance.now() - t0, opts.time));
  return { program: diags.hasErrors() ? null : program, diagnostics: diags.items, sources, timings, mirText, checked };
}

/**
 * The standard library's parse cache (sema/parse_cache.ts), beside the runtime's in the cache directory:
 * `$XDG_CACHE_HOME/tmlc/<version>/stdlib-ast` (else `~/.cache/…`). TMLC_STDLIB_CACHE=0 turns it off.
 */
export function stdlibParseCache(env: NodeJS.ProcessEnv = process.env): ModuleParser {
  if (env['TMLC_STDLIB_CACHE'] === '0') return directParser;
  const version = packageVersion();
  return new ParseCache(path.join(path.dirname(runtimeCacheDir(version, null, env)), 'stdlib-ast'), syntaxLayerKey(version));
}
