// Switches on an enum's discriminant, threaded. `when` lowers each arm to a test of its own — read the
// discriminant, switch on the arm's variant, otherwise go on to the next arm's test — so a `when` over n variants
// reads and tests the discriminant n times (clang's `switch` once). Two rewrites, both about control flow only:
//   - a test reached from another test's `otherwise` with nothing in between is folded into it: one switch with
//     the cases of both (a case the first already decides cannot be reached through its `otherwise`); when the
//     last `otherwise` is `unreachable` (an exhaustive `when`), the last case becomes the `otherwise`;
//   - a jump into a test from a block where the discriminant is known — reached only through one case of a
//     switch on it, and writing nothing (an arm whose guard failed) — goes straight to that case's target.
// No statement moves, is added or is removed (the tests left without predecessors go in simplify_cfg), so every
// check and drop stays on the paths it was on.
import type { BasicBlock, LocalId, MirFunction, Place, Terminator } from '../mir.js';
import { placeEquals } from '../mir.js';
import { localUses, reachablePredecessors, retarget, type LocalUses } from './visit.js';

type Switch = Extract<Terminator, { k: 'switch' }>;

/** A block that ends by switching on `_d = discriminant(place)`, its last statement. */
interface DiscrSwitch {
  readonly place: Place;
  readonly discr: LocalId;
  readonly term: Switch;
}

function discrSwitch(b: BasicBlock): DiscrSwitch | null {
  const t = b.term;
  const last = b.stmts[b.stmts.length - 1];
  if (t.k !== 'switch' || t.discr.k === 'const' || t.discr.place.proj.length || !last) return null;
  if (last.k !== 'assign' || last.rvalue.k !== 'discriminant' || last.place.proj.length || last.place.local !== t.discr.place.local) return null;
  // the place must read the same before and after the switch: no deref (another path may write through a pointer)
  if (last.rvalue.place.proj.some((p) => p.k === 'deref' || p.k === 'index')) return null;
  return { place: last.rvalue.place, discr: last.place.local, term: t };
}

/** A test: a block that does nothing but switch on the discriminant of `place`, in a local nothing else reads
 * (a path that skips the test leaves that local unwritten). */
function testOf(b: BasicBlock, place: Place, uses: LocalUses): Switch | null {
  if (b.stmts.length !== 1) return null;
  const d = discrSwitch(b);
  return d && placeEquals(d.place, place) && uses.uses[d.discr] === 1 ? d.term : null;
}

export function threadSwitches(f: MirFunction): void {
  // most functions switch on no discriminant: nothing to look at
  if (!f.blocks.some((b) => b.term.k === 'switch' && discrSwitch(b))) return;
  const uses = localUses(f);
  foldTests(f, uses);
  threadKnown(f, uses);
}

/** `switch _d [0: A, otherwise: T]` where T tests the same discriminant: T's cases join the switch. */
function foldTests(f: MirFunction, uses: LocalUses): void {
  for (const b of f.blocks) {
    const d = discrSwitch(b);
    if (!d) continue;
    let term = d.term;
    const seen = new Set<number>([b.id]);
    for (;;) {
      const next = f.blocks[term.otherwise]!;
      if (seen.has(next.id)) break;
      seen.add(next.id);
      const t = testOf(next, d.place, uses);
      if (!t) break;
      const decided = new Set(term.cases.map((c) => c.value));
      term = { ...term, cases: [...term.cases, ...t.cases.filter((c) => !decided.has(c.value))], otherwise: t.otherwise };
    }
    // an `otherwise` that cannot be reached (the `when` was exhaustive) takes the last case's target instead, the
    // shape the unfolded tests had: LLVM lays that switch out as before
    const last = term.cases[term.cases.length - 1];
    const dead = f.blocks[term.otherwise]!;
    if (term !== d.term && last && dead.stmts.length === 0 && dead.term.k === 'unreachable') {
      term = { ...term, cases: term.cases.slice(0, -1), otherwise: last.target };
    }
    if (term !== d.term) b.term = term;
  }
}

/** What is known of a discriminant at the end of a block: `place` holds variant `value`. */
interface Known {
  readonly place: Place;
  readonly value: bigint;
}

/** The block's statements leave `place` as it was: assignments only, none to its local or through a pointer. */
function leavesAlone(b: BasicBlock, place: Place): boolean {
  return b.stmts.every((s) => s.k === 'assign' && s.place.local !== place.local && !s.place.proj.some((p) => p.k === 'deref'));
}

/** A block reached only through case v of a switch on a discriminant (directly, or through blocks with one
 * predecessor that write nothing: the lowering's chains of jumps), writing nothing itself: its jumps into a test
 * of that discriminant go to the test's target for v. */
function threadKnown(f: MirFunction, uses: LocalUses): void {
  // the predecessors among the reachable blocks (the tests foldTests bypassed are still there)
  const preds = reachablePredecessors(f.blocks);
  const memo = new Map<number, Known | null>();
  /** what is known on entry to block x */
  const onEntry = (x: number, depth: number): Known | null => {
    if (memo.has(x)) return memo.get(x)!;
    memo.set(x, null); // a cycle knows nothing
    const from = preds[x];
    let k: Known | null = null;
    if (from?.length === 1 && from[0] !== x && depth < 64) {
      const p = f.blocks[from[0]!]!;
      const d = discrSwitch(p);
      const via = d && d.term.otherwise !== x ? d.term.cases.filter((c) => c.target === x) : [];
      if (d && via.length === 1) k = { place: d.place, value: via[0]!.value };
      else if (!d) {
        const before = onEntry(p.id, depth + 1);
        if (before && leavesAlone(p, before.place)) k = before;
      }
    }
    memo.set(x, k);
    return k;
  };
  for (const x of f.blocks) {
    const k = onEntry(x.id, 0);
    if (!k || !leavesAlone(x, k.place)) continue;
    x.term = retarget(x.term, (target) => {
      // through empty blocks that only jump on (the lowering's), to a test
      let at = target;
      const seen = new Set<number>();
      while (f.blocks[at]!.stmts.length === 0 && f.blocks[at]!.term.k === 'goto' && !seen.has(at)) {
        seen.add(at);
        at = (f.blocks[at]!.term as Extract<Terminator, { k: 'goto' }>).target;
      }
      const t = testOf(f.blocks[at]!, k.place, uses);
      return t ? (t.cases.find((c) => c.value === k.value)?.target ?? t.otherwise) : target;
    });
  }
}
