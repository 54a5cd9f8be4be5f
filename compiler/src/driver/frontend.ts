// The front half of the pipeline: parse every reachable module, check, lower to MIR, elaborate drops.
import type { Diagnostic } from '../syntax/diagnostics.js';
import { SourceMap } from '../syntax/source.js';
import type { MirProgram } from '../mir/mir.js';
import type { FrontEndOptions } from './options.js';

export interface FrontEndResult {
  /** null when there were errors */
  program: MirProgram | null;
  diagnostics: Diagnostic[];
  sources: SourceMap;
  /** milliseconds per phase, for --time */
  timings: { phase: string; ms: number }[];
}

export function runFrontEnd(entryPath: string, opts: FrontEndOptions): FrontEndResult {
  void entryPath;
  void opts;
  throw new Error('front end not yet wired');
}
