// The MIR layer's entry: monomorphize and lower every reachable instance, then run the MIR passes.
import type { SourceMap } from '../syntax/source.js';
import type { CheckedProgram } from '../sema/program.js';
import { elaborateDrops } from './drop_elab.js';
import { lowerInstance } from './lower_fn.js';
import type { MirProgram } from './mir.js';
import { Mono, type LowerOptions } from './mono.js';

export function buildMir(checked: CheckedProgram, sources: SourceMap, opts: LowerOptions): MirProgram {
  const program = new Mono(checked, sources, opts, lowerInstance).run();
  for (const f of program.functions) elaborateDrops(f);
  return program;
}
