// Drop elision and drop-flag elimination. Drop elaboration (drop_elab.ts) guards a drop with a flag wherever the
// value was moved on some paths only; once the optimizer has folded branches (a constant condition, an inlined
// call), a flag may be the same constant on every path that reaches its drop. Then:
//   - `drop(p) if _f` with `_f` known true becomes `drop(p)`, known false disappears (the value was moved out on
//     every path); a flag that really depends on a branch stays;
//   - a store to a flag that no drop reads any more is removed (dead_locals removes the flag itself);
//   - a drop of a type that needs no drop disappears.
// Unflagged drops are otherwise left alone: drop elaboration already removed those of values moved out on every
// path, and rerunning its initialisation dataflow here would be wrong after the async lowering, which initialises
// some locals through raw pointers (`block_on` writes the result into its destination) that the dataflow cannot see.
// Flags are tracked only when every use of them is a constant store or a drop's guard (the async lowering saves
// some in a future's state: those stay as they are). Drops that stay keep their place and order.
import { needsDrop } from '../../sema/ownership.js';
import type { LocalId, MirFunction, Statement, Terminator } from '../mir.js';
import type { PassContext } from '../pass_manager.js';
import { placeType } from '../analysis/place_type.js';
import { forwardUnionDataflow, reversePostorder } from '../move_paths.js';
import { statementOperands, targets, terminatorOperands } from './visit.js';

const FALSE = 1;
const TRUE = 2;
const UNKNOWN = FALSE | TRUE;

export function dropFlags(f: MirFunction, ctx: PassContext): void {
  if (f.kind === 'drop-glue' || f.kind === 'retain-glue') return;
  if (!f.blocks.some((b) => b.stmts.some((s) => s.k === 'drop'))) return;
  const defs = ctx.checked.defs;
  // drops of plain data do nothing
  for (const b of f.blocks)
    b.stmts = b.stmts.filter((s) => {
      if (s.k !== 'drop') return true;
      const t = placeType(f, s.place);
      return t.k === 'error' || needsDrop(defs, t);
    });
  const flags = trackedFlags(f);
  if (flags.size) {
    resolveFlags(f, flags);
    removeDeadFlagStores(f, flags);
  }
}

/** Locals that guard a drop and are used only by `_f = const b` and as drop guards: the flags of drop
 * elaboration, and those lowering makes itself (a constructor's "field already assigned" flag). */
function trackedFlags(f: MirFunction): Set<LocalId> {
  const flags = new Set<LocalId>();
  for (const b of f.blocks) for (const s of b.stmts) if (s.k === 'drop' && s.flag !== null && s.flag > f.argCount) flags.add(s.flag);
  if (!flags.size) return flags;
  const untrack = (l: LocalId) => flags.delete(l);
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      for (const o of statementOperands(s)) if (o.k !== 'const') untrackPlace(o.place, untrack);
      if (s.k === 'assign') {
        const constStore = s.place.proj.length === 0 && s.rvalue.k === 'use' && s.rvalue.op.k === 'const' && s.rvalue.op.value.k === 'bool';
        if (!constStore) untrackPlace(s.place, untrack);
        if (s.rvalue.k === 'ref' || s.rvalue.k === 'discriminant') untrackPlace(s.rvalue.place, untrack);
      } else if (s.k === 'call' && s.dest) untrackPlace(s.dest, untrack);
      else if (s.k === 'drop' || s.k === 'retain') untrackPlace(s.place, untrack);
    }
    for (const o of terminatorOperands(b.term)) if (o.k !== 'const') untrackPlace(o.place, untrack);
  }
  return flags;
}

function untrackPlace(p: { local: LocalId; proj: readonly { k: string; index?: number }[] }, untrack: (l: LocalId) => void): void {
  untrack(p.local);
  for (const pr of p.proj) if (pr.k === 'index') untrack(pr.index!);
}

/** The successors a terminator can really reach: a branch or switch on a constant takes one edge. */
function liveTargets(t: Terminator): number[] {
  if (t.k === 'branch' && t.cond.k === 'const' && t.cond.value.k === 'bool') return [t.cond.value.value ? t.then : t.else];
  if (t.k === 'switch' && t.discr.k === 'const' && t.discr.value.k === 'int') {
    const v = t.discr.value.value;
    return [t.cases.find((c) => c.value === v)?.target ?? t.otherwise];
  }
  return targets(t);
}

function storedFlag(s: Statement, flags: ReadonlySet<LocalId>): { flag: LocalId; value: number } | null {
  if (s.k !== 'assign' || s.place.proj.length !== 0 || !flags.has(s.place.local)) return null;
  if (s.rvalue.k !== 'use' || s.rvalue.op.k !== 'const' || s.rvalue.op.value.k !== 'bool') return null;
  return { flag: s.place.local, value: s.rvalue.op.value.value ? TRUE : FALSE };
}

/** Forward dataflow: each tracked flag's possible values before every statement; guards known on every path that
 * reaches them are resolved. */
function resolveFlags(f: MirFunction, flags: ReadonlySet<LocalId>): void {
  const n = f.locals.length;
  const succ = f.blocks.map((b) => liveTargets(b.term));
  // not yet stored: drop elaboration stores every flag first
  const ins = forwardUnionDataflow(succ, new Uint8Array(n).fill(UNKNOWN), (bi, st) => {
    for (const s of f.blocks[bi]!.stmts) {
      const w = storedFlag(s, flags);
      if (w) st[w.flag] = w.value;
    }
  });
  f.blocks.forEach((b, bi) => {
    const st0 = ins[bi];
    if (!st0) return; // unreachable: left to simplify_cfg
    const st = new Uint8Array(st0);
    b.stmts = b.stmts.flatMap((s) => {
      const w = storedFlag(s, flags);
      if (w) st[w.flag] = w.value;
      if (s.k !== 'drop' || s.flag === null || !flags.has(s.flag)) return [s];
      const v = st[s.flag];
      if (v === TRUE) return [{ ...s, flag: null }];
      if (v === FALSE) return [];
      return [s];
    });
  });
}

/** Backward liveness of the tracked flags (over every edge): a store nothing reads before the next store goes. */
function removeDeadFlagStores(f: MirFunction, flags: ReadonlySet<LocalId>): void {
  const succ = f.blocks.map((b) => targets(b.term));
  const liveIn = f.blocks.map(() => new Set<LocalId>());
  const flow = (bi: number, live: Set<LocalId>, rewrite: boolean): Set<LocalId> => {
    const b = f.blocks[bi]!;
    const keep: boolean[] = [];
    for (let i = b.stmts.length - 1; i >= 0; i--) {
      const s = b.stmts[i]!;
      const w = storedFlag(s, flags);
      if (w) {
        keep[i] = live.has(w.flag);
        live.delete(w.flag);
        continue;
      }
      keep[i] = true;
      if (s.k === 'drop' && s.flag !== null && flags.has(s.flag)) live.add(s.flag);
    }
    if (rewrite) b.stmts = b.stmts.filter((_, i) => keep[i]);
    return live;
  };
  const order = reversePostorder(succ).reverse();
  for (let changed = true; changed; ) {
    changed = false;
    for (const bi of order) {
      const live = new Set<LocalId>();
      for (const t of succ[bi]!) for (const l of liveIn[t]!) live.add(l);
      const inn = flow(bi, live, false);
      if (inn.size !== liveIn[bi]!.size) {
        liveIn[bi] = inn;
        changed = true;
      }
    }
  }
  f.blocks.forEach((_, bi) => {
    const live = new Set<LocalId>();
    for (const t of succ[bi]!) for (const l of liveIn[t]!) live.add(l);
    flow(bi, live, true);
  });
}
