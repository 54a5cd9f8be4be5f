// The MIR optimizer (docs/optimizer.md): passes that know the language, run in every build after the checks, drop
// elaboration and the async lowering, unless turned off (`-Z mir-opt=0`). Each keeps every check that can fail and
// every drop's observable order. Order matters: inlining exposes constants and copies, the cleanups after it remove
// what the others leave, and dead functions go last, when the calls inlining removed are gone.
import type { MirFunction } from '../mir.js';
import type { MirPass, PassContext } from '../pass_manager.js';
import { arcPairs } from './arc_pairs.js';
import { constProp } from './const_prop.js';
import { removeBoundsChecks } from './bounds_checks.js';
import { copyProp } from './copy_prop.js';
import { stackClosureEnvs } from './closure_env.js';
import { dropFlags } from './drop_flags.js';
import { removeDeadLocals, removeDeadStores } from './dead_code.js';
import { removeWriteOnlyFields } from './dead_fields.js';
import { removeDeadFunctions } from './dead_fns.js';
import { devirtualize } from './devirt.js';
import { inlineCalls } from './inline.js';
import { lastCopyMoves } from './last_copy.js';
import { escapeAnalysis } from './escape.js';
import { reuseFields } from './field_reuse.js';
import { removeOverflowChecks } from './overflow_checks.js';
import { readThrough } from './read_through.js';
import { simplifyCfg } from './simplify_cfg.js';
import { threadSwitches } from './switch_threading.js';

/** A pass that works on one function at a time. */
function perFunction(name: string, run: (f: MirFunction, ctx: PassContext) => void): MirPass {
  return {
    name,
    optimize: true,
    run: (ctx) => {
      for (const f of ctx.program!.functions) run(f, ctx);
    },
  };
}

export const OPT_PASSES: readonly MirPass[] = [
  { name: 'devirt', optimize: true, run: (ctx) => devirtualize(ctx.program!) },
  { name: 'inline', optimize: true, run: (ctx) => inlineCalls(ctx.program!, ctx.opts.debuggable === true) },
  perFunction('const_prop', constProp),
  perFunction('copy_prop', copyProp),
  // after inlining and copy_prop (fewer aliases to follow); before dead_stores, which removes the Heap it leaves unused
  { name: 'escape', optimize: true, run: (ctx) => escapeAnalysis(ctx.program!, ctx.checked.defs) },
  // after the cleanups (fewer copies to see through), before simplify_cfg (which removes the panic blocks left)
  perFunction('bounds_checks', removeBoundsChecks),
  perFunction('overflow_checks', removeOverflowChecks),
  { name: 'arc_pairs', optimize: true, run: (ctx) => arcPairs(ctx.program!) },
  // after arc_pairs: a copy it could not pair (it is handed on) may still take over its holder's reference
  perFunction('last_copy', lastCopyMoves),
  perFunction('drop_flags', dropFlags),
  // after the check passes (which want each length read where it is), before the cleanups of what it leaves
  perFunction('field_reuse', reuseFields),
  // again: arc_pairs leaves `_3 = copy _1; _2 = move _3` where a retain was
  perFunction('copy_prop_late', copyProp),
  // after inlining (a closure passed to an inlined function is then only called here) and arc_pairs (the retains
  // and releases of its copies are gone); before dead_stores, which removes what it leaves unused
  perFunction('closure_env', (f, ctx) => stackClosureEnvs(f, ctx.opts.debuggable !== true)),
  // after the copies are gone: a `when` arm reads the payload it uses from where the copied enum came from
  perFunction('read_through', readThrough),
  // whole-program, after the copies are gone (a counter's `+= 1` is a read and a store of the field); before
  // dead_stores, which removes what computed the values it no longer stores. Not when debuggable: a debugger reads
  // fields
  { name: 'dead_fields', optimize: true, run: (ctx) => ctx.opts.debuggable !== true && removeWriteOnlyFields(ctx.program!) },
  perFunction('dead_stores', removeDeadStores),
  // after read_through (the tests of a `when` read the same place); before simplify_cfg, which removes the
  // discriminant tests it leaves without predecessors
  perFunction('switch_threading', threadSwitches),
  perFunction('simplify_cfg', simplifyCfg),
  perFunction('dead_locals', removeDeadLocals),
  { name: 'dead_fns', optimize: true, run: (ctx) => removeDeadFunctions(ctx.program!) },
];
