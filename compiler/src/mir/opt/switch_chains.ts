// One `switch` per `when` on an enum. Lowering tests the arms in order, one variant each: `switch d [0: arm0,
// otherwise: next]`, `next: d2 = discriminant(same place); switch d2 [1: arm1, otherwise: …]`, …, ending in an
// `unreachable` block. A test that only re-reads the same discriminant joins the switch before it (a value an
// earlier case took cannot reach it). An exhaustive switch (every variant a case) then takes its last case as its
// never-taken `otherwise`, as LLVM makes of the chain itself. Not `unreachable`: LLVM 14 then drops the range check
// but tail-duplicates the indirect jump into the loop and shuffles the values that live across it between
// registers (the C twin of benchmarks/opt/enum_dispatch with `default: __builtin_unreachable()`: 1.42x). Not the
// block where the arms join either (C's `switch` without `default:`): that made enum_dispatch's loop C's
// instruction for instruction, but its time then depends on code placement more than C's does (docs/decisions.md).
import type { BasicBlock, LocalId, MirFunction, Place, Terminator } from '../mir.js';
import { placeEquals } from '../mir.js';
import { placeType } from '../analysis/place_type.js';
import { localUses, predecessorCounts } from './visit.js';

type Switch = Extract<Terminator, { k: 'switch' }>;

export function switchChains(f: MirFunction): void {
  const uses = localUses(f);
  const preds = predecessorCounts(f.blocks);
  for (const a of f.blocks) {
    const tested = discriminantTest(a);
    if (!tested) continue;
    for (;;) {
      const t = a.term as Switch;
      const next = f.blocks[t.otherwise]!;
      if (next === a || preds[next.id] !== 1) break;
      const again = discriminantTest(next);
      if (!again || !placeEquals(again.place, tested.place) || next.stmts.length !== 1) break;
      if (f.locals[again.local]!.kind !== 'temp' || uses.uses[again.local] !== 1) break;
      const n = next.term as Switch;
      const taken = new Set(t.cases.map((c) => c.value));
      a.term = { ...t, cases: [...t.cases, ...n.cases.filter((c) => !taken.has(c.value))], otherwise: n.otherwise };
      // the joined test is unreachable now (simplify_cfg removes it)
      next.stmts = [];
      next.term = { k: 'unreachable' };
      preds[next.id] = 0;
    }
    const ty = placeType(f, tested.place);
    const t = a.term as Switch;
    const never = f.blocks[t.otherwise]!;
    if (ty.k === 'adt' && ty.def.kind === 'enum' && never.stmts.length === 0 && never.term.k === 'unreachable' && t.cases.length > 0 && coversAll(t, ty.def.variants.length)) {
      const last = t.cases[t.cases.length - 1]!.target;
      // (the cases that go there too are the otherwise now)
      a.term = { ...t, cases: t.cases.filter((c) => c.target !== last), otherwise: last };
    }
  }
}

/** A block that ends `_d = discriminant(P); switch copy _d […]`: `_d` and `P`. */
function discriminantTest(b: BasicBlock): { local: LocalId; place: Place } | null {
  const t = b.term;
  if (t.k !== 'switch' || t.discr.k !== 'copy' || t.discr.place.proj.length !== 0) return null;
  const last = b.stmts[b.stmts.length - 1];
  if (!last || last.k !== 'assign' || last.rvalue.k !== 'discriminant' || last.place.proj.length !== 0) return null;
  if (last.place.local !== t.discr.place.local) return null;
  return { local: last.place.local, place: last.rvalue.place };
}

function coversAll(t: Switch, variants: number): boolean {
  const values = new Set(t.cases.map((c) => c.value));
  for (let v = 0; v < variants; v++) if (!values.has(BigInt(v))) return false;
  return true;
}
