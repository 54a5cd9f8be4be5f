// The MIR layer's entry: monomorphize and lower every reachable instance, check moves, then run the MIR passes.
import type { DiagnosticBag } from '../syntax/diagnostics.js';
import type { SourceMap } from '../syntax/source.js';
import type { CheckedProgram } from '../sema/program.js';
import { elaborateDrops } from './drop_elab.js';
import { lowerInstance } from './lower_fn.js';
import type { MirProgram } from './mir.js';
import { Mono, type LowerOptions } from './mono.js';
import { checkMoves } from './move_check.js';
import { checkBorrows } from './borrow_check.js';

export function buildMir(checked: CheckedProgram, sources: SourceMap, opts: LowerOptions, diags: DiagnosticBag): MirProgram {
  const program = new Mono(checked, sources, opts, lowerInstance).run();
  for (const f of program.functions) {
    checkMoves(f, diags, checked.defs);
    checkBorrows(f, diags);
  }
  for (const f of program.functions) elaborateDrops(f, checked.defs);
  return program;
}
