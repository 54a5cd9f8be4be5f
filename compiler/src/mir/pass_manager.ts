// The MIR pipeline as named passes, run in order by one manager (rustc's rustc_mir_transform shape):
//   generic_build  every body in its generic form, called or not (check_bodies.ts)
//   move_check     use after move, uninitialised use, moves out of borrowed places (on the generic bodies)
//   borrow_check   loans, conflicts and lifetimes (on the generic bodies)
//   async_check    no reference live across an `await` (on the generic bodies)
//   mono           the reachable instances, lowered for code generation
//   async_send     what a spawned async task keeps across an `await` is Send (on the instances)
//   drop_elab      exact drops and drop flags
//   borrow_marks   run-time borrow marks on class instances, and the checks before mutating one
//   async_lower    every async body becomes a state machine: constructor, poll and drop functions
//   (optimizer)    the passes of mir/opt/passes.ts, in every build unless turned off (`-Z mir-opt=0`,
//                  TMLC_MIR_OPT=0): they keep every check that can fail and every drop's observable order
// After the checks, the pipeline stops if they reported errors. After any pass the MIR can be shown (`tmlc build
// --emit=mir --mir-after=PASS`) and, in the test suite, validated (TMLC_VALIDATE_MIR=1 or `validate`): a pass
// that leaves broken MIR is reported as an internal error naming it.
import type { DiagnosticBag } from '../syntax/diagnostics.js';
import type { SourceMap } from '../syntax/source.js';
import type { FuncDef } from '../sema/defs.js';
import type { CheckedProgram } from '../sema/program.js';
import { checkAsyncRefs, checkAsyncSend, type SpawnedAsync } from './async_check.js';
import { lowerAsyncFunctions } from './async_lower.js';
import { checkBorrows } from './borrow_check.js';
import { insertBorrowMarks, takesMarks } from './borrow_marks.js';
import { lowerGenericBodies, type GenericBodies } from './check_bodies.js';
import { elaborateDrops } from './drop_elab.js';
import { lowerInstance } from './lower_fn.js';
import type { MirFunction, MirProgram } from './mir.js';
import { mangleFn, Mono, type LowerOptions } from './mono.js';
import { checkMoves } from './move_check.js';
import { OPT_PASSES } from './opt/passes.js';
import { validateFunction, validateProgram } from './validate.js';

export interface PassContext {
  readonly checked: CheckedProgram;
  readonly sources: SourceMap;
  readonly opts: LowerOptions;
  readonly diags: DiagnosticBag;
  /** which bodies the checks cover (default: the program's own, not the standard library's) */
  readonly checkBody: (fn: FuncDef) => boolean;
  /** the generic bodies, from generic_build until mono has used them */
  generic: GenericBodies | null;
  program: MirProgram | null;
  /** what mono saw spawned as async tasks (for async_send) */
  spawned?: SpawnedAsync;
  /** run the optimizer's passes (`optimize: true`); off with `-Z mir-opt=0` */
  readonly optimize: boolean;
}

export interface MirPass {
  readonly name: string;
  /** a check: the pipeline stops after it when it reported errors */
  readonly check?: boolean;
  /** an optimization: skipped when the optimizer is off */
  readonly optimize?: boolean;
  run(ctx: PassContext): void;
}

export const PASSES: readonly MirPass[] = [
  {
    name: 'generic_build',
    run: (ctx) => {
      ctx.generic = lowerGenericBodies(ctx.checked, ctx.sources, ctx.opts, ctx.checkBody);
    },
  },
  {
    name: 'move_check',
    check: true,
    run: (ctx) => {
      for (const b of ctx.generic!.bodies) for (const f of b.mir) checkMoves(f, ctx.diags, ctx.checked.defs);
    },
  },
  {
    name: 'borrow_check',
    check: true,
    run: (ctx) => {
      for (const b of ctx.generic!.bodies) for (const f of b.mir) checkBorrows(f, ctx.diags, b.fn.module.isStd);
    },
  },
  {
    name: 'async_check',
    check: true,
    run: (ctx) => {
      for (const b of ctx.generic!.bodies) for (const f of b.mir) checkAsyncRefs(f, ctx.diags);
    },
  },
  {
    name: 'mono',
    run: (ctx) => {
      const mono = new Mono(ctx.checked, ctx.sources, ctx.opts, lowerInstance);
      ctx.program = mono.run();
      ctx.spawned = { named: mono.spawnedAsync, unknown: mono.spawnedUnknownAsync };
      // a body whose generic form could not be lowered is checked in its instances instead
      const unlowered = ctx.generic?.unlowered;
      if (unlowered && unlowered.size) {
        const names = new Set([...unlowered.keys()].map((fn) => mangleFn(fn, [])));
        for (const f of ctx.program.functions) {
          const base = f.symbol.split('$')[0]!;
          if (!names.has(base)) continue;
          checkMoves(f, ctx.diags, ctx.checked.defs);
          checkBorrows(f, ctx.diags);
          checkAsyncRefs(f, ctx.diags);
        }
      }
      // the checks are done with the generic bodies: the optimizer's passes need not keep them alive (the driver
      // collects garbage between passes of a large build: driver/memory_checkpoint.ts)
      ctx.generic = null;
    },
  },
  {
    name: 'async_send',
    check: true,
    run: (ctx) => checkAsyncSend(ctx.program!, ctx.spawned ?? { named: new Map(), unknown: null }, ctx.checked.defs, ctx.diags),
  },
  {
    name: 'drop_elab',
    run: (ctx) => {
      for (const f of ctx.program!.functions) elaborateDrops(f, ctx.checked.defs);
    },
  },
  {
    name: 'borrow_marks',
    run: (ctx) => {
      // benchmarks/borrow_marks measures the pass's cost by building without it; nothing else may
      if (process.env.TMLC_UNSAFE_NO_BORROW_MARKS === '1') return;
      const fns = ctx.program!.functions;
      const checks = fns.some(takesMarks);
      for (const f of fns) insertBorrowMarks(f, checks);
    },
  },
  {
    name: 'async_lower',
    run: (ctx) => {
      const future = ctx.checked.defs.langAdt('Future');
      lowerAsyncFunctions(ctx.program!, (t) => t.k === 'adt' && t.def === future);
    },
  },
  ...OPT_PASSES,
];

export const PASS_NAMES: readonly string[] = PASSES.map((p) => p.name);

export interface RunPassesOptions {
  /** validate the MIR after every pass (the test suite) */
  readonly validate?: boolean;
  /** called after each pass that ran */
  readonly after?: (pass: MirPass, ctx: PassContext) => void;
  /** stop after this pass */
  readonly stopAfter?: string;
  /** the pipeline (default PASSES; tests insert passes) */
  readonly passes?: readonly MirPass[];
  /** called with each pass's time (--time) */
  readonly timed?: (pass: string, ms: number) => void;
}

export function runPasses(ctx: PassContext, o: RunPassesOptions = {}): void {
  const passes = o.passes ?? PASSES;
  for (const [i, pass] of passes.entries()) {
    if (pass.optimize && !ctx.optimize) {
      if (pass.name === o.stopAfter) return;
      continue;
    }
    const t0 = performance.now();
    pass.run(ctx);
    o.timed?.(pass.name, performance.now() - t0);
    o.after?.(pass, ctx);
    if (o.validate) {
      const errors = validateAfter(ctx);
      if (errors.length) throw new Error(`internal: the MIR is invalid after pass \`${pass.name}\`:\n  ${errors.slice(0, 20).join('\n  ')}`);
    }
    // consecutive checks all report; the pipeline stops after the last of them
    if (pass.check && !passes[i + 1]?.check && ctx.diags.hasErrors()) return;
    if (pass.name === o.stopAfter) return;
  }
}

/** The MIR a pass leaves: the program once monomorphised, the generic bodies before. */
export function currentMir(ctx: PassContext): MirFunction[] {
  return ctx.program ? ctx.program.functions : (ctx.generic?.bodies.flatMap((b) => b.mir) ?? []);
}

function validateAfter(ctx: PassContext): string[] {
  if (ctx.program) return validateProgram(ctx.program);
  const fns = currentMir(ctx);
  const bySymbol = new Map(fns.map((f) => [f.symbol, f]));
  return fns.flatMap((f) => validateFunction(f, bySymbol, { vtables: [] }, true));
}
