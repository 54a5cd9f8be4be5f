// Every body is checked once, in its generic form, called or not (MEMORY.md §3): each function, method,
// constructor and closure is lowered with its type parameters left open (a value of type `T` is a unique owner:
// moved, never copied), and the move and borrow checks run on that MIR. Monomorphisation then lowers the reachable
// instances again for code generation, unchecked: an instance can only be more permissive than its generic form.
// The standard library's bodies are checked by the test suite (tests/unit/check_bodies.test.ts), not on every
// build: they do not change between builds.
import type { FuncDef } from '../sema/defs.js';
import type { CheckedProgram } from '../sema/program.js';
import { allFunctions } from '../sema/program.js';
import type { SourceMap } from '../syntax/source.js';
import { lowerInstance } from './lower_fn.js';
import type { MirFunction } from './mir.js';
import { mangleFn, Mono, type LowerOptions } from './mono.js';

export interface GenericBody {
  readonly fn: FuncDef;
  /** the function's MIR, then its closures' */
  readonly mir: MirFunction[];
}

export interface GenericBodies {
  readonly bodies: GenericBody[];
  /** functions whose generic form could not be lowered (an internal limit): their instances are checked instead */
  readonly unlowered: Map<FuncDef, string>;
}

export function lowerGenericBodies(checked: CheckedProgram, sources: SourceMap, opts: LowerOptions, include: (fn: FuncDef) => boolean): GenericBodies {
  const mono = new Mono(checked, sources, opts, lowerInstance, true);
  const bodies: GenericBody[] = [];
  const unlowered = new Map<FuncDef, string>();
  for (const fn of allFunctions(checked.defs)) {
    if (!checked.bodies.has(fn) || fn.externSymbol || !include(fn)) continue;
    const typeArgs = [...fn.typeParams];
    try {
      bodies.push({ fn, mir: lowerInstance(mono, { fn, typeArgs, subst: new Map(), symbol: mangleFn(fn, typeArgs) }) });
    } catch (e) {
      unlowered.set(fn, e instanceof Error ? e.message : String(e));
    }
  }
  return { bodies, unlowered };
}
