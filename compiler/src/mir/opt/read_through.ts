// Read through a copy of memory: after `_15 = copy (*_14)` (a `for op in ref ops` element, a `when *r` scrutinee),
// the reads of its parts, `copy (_15 as #0).0` and `discriminant(_15)`, read `(*_14)` instead, where nothing on any
// path from the copy to the read can change that memory or `_14`. LLVM then loads only what each `when` arm uses, in
// that arm: a whole-enum copy is one aggregate load before the `switch`, which LLVM cannot sink into the arms, so
// every arm paid for the payload load and the register it holds (docs/decisions.md, enum dispatch). Only a copy all
// of whose uses can read through is rewritten; the copy itself stays (a user's variable keeps its store for the
// debugger, LLVM removes the dead load; dead_stores removes a temporary's).
import type { LocalId, MirFunction, Operand, Place, Statement } from '../mir.js';
import { Cfg } from './segment.js';
import { localUses, mapStatementOperands, mapTerminatorOperands, type LocalUses } from './visit.js';

/** A copy whose parts can be read from its source: `local = copy source` at `block`/`index`. */
interface Copy {
  readonly local: LocalId;
  readonly source: Place;
  readonly block: number;
  readonly index: number;
  /** the locals the source's address depends on (its pointer and any index) */
  readonly deps: ReadonlySet<LocalId>;
}

export function readThrough(f: MirFunction): void {
  const uses = localUses(f);
  const copies = new Map<LocalId, Copy>();
  f.blocks.forEach((b, bi) =>
    b.stmts.forEach((s, i) => {
      const c = copyOfMemory(f, uses, s, bi, i);
      if (c) copies.set(c.local, c);
    }),
  );
  if (copies.size === 0) return;
  const preds = new Cfg(f).pred;
  const clear = (c: Copy, block: number, index: number) => clearPath(f, preds, uses, c, block, index);
  // first count the reads each copy could give up, then rewrite only the copies that can give up every use: one
  // still read (or dropped, moved, borrowed) stays live, and reading its parts from memory as well only adds loads
  // (HashMap.rebuild's entries, which it drops: +0.2% instructions on word_freq)
  const forwarded = new Map<LocalId, number>();
  rewrite(f, copies, clear, (c) => forwarded.set(c.local, (forwarded.get(c.local) ?? 0) + 1), false);
  for (const [x, n] of forwarded) if (n !== uses.uses[x]) copies.delete(x);
  for (const x of [...copies.keys()]) if (!forwarded.has(x)) copies.delete(x);
  if (copies.size !== 0) rewrite(f, copies, clear, () => {}, true);
}

/** Each read of a copy's part whose path from the copy is clear reads the copy's source instead (`apply`: in
 * place; otherwise only `seen` is told). */
function rewrite(f: MirFunction, copies: ReadonlyMap<LocalId, Copy>, clear: (c: Copy, block: number, index: number) => boolean, seen: (c: Copy) => void, apply: boolean): void {
  const through = (c: Copy, p: Place): Place => ({ local: c.source.local, proj: [...c.source.proj, ...p.proj] });
  const readable = (p: Place, block: number, index: number): Copy | null => {
    const c = copies.get(p.local);
    if (!c || !clear(c, block, index)) return null;
    seen(c);
    return c;
  };
  const forward = (block: number, index: number) => (o: Operand): Operand => {
    if (o.k !== 'copy' || o.place.proj.length === 0) return o;
    const c = readable(o.place, block, index);
    return c ? { ...o, place: through(c, o.place) } : o;
  };
  f.blocks.forEach((b, bi) => {
    const stmts = b.stmts.map((s, i) => {
      let out = mapStatementOperands(s, forward(bi, i));
      if (out.k === 'assign' && out.rvalue.k === 'discriminant') {
        const c = readable(out.rvalue.place, bi, i);
        if (c) out = { ...out, rvalue: { k: 'discriminant', place: through(c, out.rvalue.place) } };
      }
      return out;
    });
    const term = mapTerminatorOperands(b.term, forward(bi, b.stmts.length));
    if (!apply) return;
    b.stmts = stmts;
    b.term = term;
  });
}

/** `_x = copy (*_p)…` where `_x` is an aggregate written only there and never borrowed, and the source's address
 * depends only on locals that are never borrowed (so only a statement naming them can change it). */
function copyOfMemory(f: MirFunction, uses: LocalUses, s: Statement, block: number, index: number): Copy | null {
  if (s.k !== 'assign' || s.place.proj.length !== 0 || s.rvalue.k !== 'use' || s.rvalue.op.k !== 'copy') return null;
  const x = s.place.local;
  const source = s.rvalue.op.place;
  if (source.proj[0]?.k !== 'deref' || source.local === x) return null;
  const ty = f.locals[x]!.ty;
  if (ty.k !== 'adt' && ty.k !== 'tuple') return null;
  if (uses.defs[x] !== 1 || uses.borrowed[x]) return null;
  const deps = new Set<LocalId>([source.local]);
  for (const pr of source.proj) if (pr.k === 'index') deps.add(pr.index);
  for (const d of deps) if (uses.borrowed[d] || d === x) return null;
  return { local: x, source, block, index, deps };
}

/** Does every path that reaches statement `index` of `block` come from the copy without passing a statement that may
 * change the copied memory, the source's address or the copy (a call, a drop, a retain, a write through a pointer or
 * to a borrowed local, a write to the locals the address depends on)? A path from the entry that misses the copy
 * fails too. */
function clearPath(f: MirFunction, preds: readonly number[][], uses: LocalUses, c: Copy, block: number, index: number): boolean {
  const entered = new Uint8Array(f.blocks.length);
  const work: [number, number][] = [[block, index]];
  while (work.length) {
    const [b, upto] = work.pop()!;
    let found = false;
    for (let k = upto - 1; k >= 0; k--) {
      if (b === c.block && k === c.index) {
        found = true;
        break;
      }
      if (mayChange(f.blocks[b]!.stmts[k]!, uses, c)) return false;
    }
    if (found) continue;
    if (b === 0) return false;
    for (const p of preds[b]!) {
      if (entered[p]) continue;
      entered[p] = 1;
      work.push([p, f.blocks[p]!.stmts.length]);
    }
  }
  return true;
}

function mayChange(s: Statement, uses: LocalUses, c: Copy): boolean {
  if (s.k === 'call' || s.k === 'drop' || s.k === 'retain') return true;
  if (s.k !== 'assign') return false;
  const w = s.place.local;
  return w === c.local || c.deps.has(w) || uses.borrowed[w] === 1 || s.place.proj.some((p) => p.k === 'deref');
}
