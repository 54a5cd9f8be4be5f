// Overflow-check elimination. `t = checked_add(a, b); if t.1 -> [panic, ok]` becomes `n = add(a, b);
// t = (move n, const false); goto ok` when the ranges of `a` and `b` at that point (their types', narrowed by the
// branch facts above it: `i < xs.len()`, `i > 0`, a counter that only grows from zero) prove the result fits.
// An operation that might overflow keeps its check. Then, when every other read of the pair `t` is of one of its
// fields (the usual `x = copy t.0`), the pair goes: `t.0` reads `n`, `t.1` is `false` — at -O0 a pair in memory
// was a slot, two stores and a load for what is one `sub`.
import { T } from '../../sema/types.js';
import type { LocalId, MirFunction, Operand, Statement } from '../mir.js';
import type { PassContext } from '../pass_manager.js';
import { arith, Facts, typeRange, within } from './facts.js';
import { functionsOf } from './values.js';
import { forEachStatementOperand, mapStatementOperands, mapTerminatorOperands, terminatorOperands, written } from './visit.js';

const programFns = new WeakMap<object, Map<string, MirFunction>>();

export function removeOverflowChecks(f: MirFunction, ctx: PassContext): void {
  const sites: { block: number; index: number }[] = [];
  f.blocks.forEach((b, bi) => b.stmts.forEach((s, si) => s.k === 'assign' && s.rvalue.k === 'checked' && s.place.proj.length === 0 && sites.push({ block: bi, index: si })));
  if (sites.length === 0) return;
  const program = ctx.program!;
  let fns = programFns.get(program);
  if (!fns) programFns.set(program, (fns = functionsOf(program)));
  const facts = new Facts(f, fns);
  const proven = sites.filter((at) => {
    const s = f.blocks[at.block]!.stmts[at.index]!;
    if (s.k !== 'assign' || s.rvalue.k !== 'checked') return false;
    const t = facts.values.opType(s.rvalue.left);
    const a = facts.operandInterval(s.rvalue.left, at);
    const b = facts.operandInterval(s.rvalue.right, at);
    if (!t || !a || !b) return false;
    return within(arith(s.rvalue.op, a, b), typeRange(t));
  });
  // rewrite from the last site back, so that earlier statement indices stay valid
  const pairs: Rewritten[] = [];
  for (const at of proven.reverse()) {
    const r = rewrite(f, at.block, at.index);
    if (r) pairs.push(r);
  }
  if (pairs.length) forwardPairs(f, pairs);
}

/** A rewritten check: the pair's local, the plain result's, and the statement that builds the pair from them. */
interface Rewritten {
  readonly pair: LocalId;
  readonly value: LocalId;
  readonly build: Statement;
}

/** Reads of `pair.0` become reads of the plain result and reads of `pair.1` the constant `false`, and the pair is
 * no longer built — for each pair nothing else mentions (no other write, borrow, drop or whole read). One scan of
 * the function for all of them. */
function forwardPairs(f: MirFunction, rewritten: Rewritten[]): void {
  const byPair = new Map(rewritten.map((r) => [r.pair, r]));
  const builds = new Set(rewritten.map((r) => r.build));
  const fieldOf = (o: Operand): number | null => {
    if (o.k === 'const' || !byPair.has(o.place.local)) return null;
    const p = o.place.proj;
    return p.length === 1 && p[0]!.k === 'field' ? p[0]!.index : -1;
  };
  const check = (o: Operand) => {
    if (fieldOf(o) === -1) byPair.delete((o as Extract<Operand, { k: 'copy' | 'move' }>).place.local);
  };
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      if (builds.has(s)) continue;
      const w = written(s);
      if (w) byPair.delete(w.local);
      if (s.k === 'assign' && (s.rvalue.k === 'ref' || s.rvalue.k === 'discriminant')) byPair.delete(s.rvalue.place.local);
      if (s.k === 'drop' || s.k === 'retain') byPair.delete(s.place.local);
      forEachStatementOperand(s, check);
    }
    terminatorOperands(b.term).forEach(check);
  }
  if (byPair.size === 0) return;
  const FALSE: Operand = { k: 'const', value: { k: 'bool', value: false }, ty: T.bool };
  const map = (o: Operand): Operand => {
    const i = fieldOf(o);
    if (i === 0) return { k: 'copy', place: { local: byPair.get((o as Extract<Operand, { k: 'copy' | 'move' }>).place.local)!.value, proj: [] } };
    return i === 1 ? FALSE : o;
  };
  const gone = new Set([...byPair.values()].map((r) => r.build));
  for (const b of f.blocks) {
    b.stmts = b.stmts.filter((s) => !gone.has(s)).map((s) => mapStatementOperands(s, map));
    b.term = mapTerminatorOperands(b.term, map);
  }
}

/** The checked operation becomes the plain one with a `false` overflow flag; a branch on that flag at the end of
 * the block (the flag not written again before it) becomes a jump to its no-overflow side. */
function rewrite(f: MirFunction, bi: number, si: number): Rewritten | null {
  const b = f.blocks[bi]!;
  const s = b.stmts[si] as Extract<Statement, { k: 'assign' }>;
  if (s.rvalue.k !== 'checked') return null;
  const pair = s.place.local;
  const pairTy = f.locals[pair]!.ty;
  const valueTy = pairTy.k === 'tuple' ? pairTy.elems[0]! : T.error;
  const tmp = f.locals.length;
  f.locals.push({ id: tmp, ty: valueTy, name: null, kind: 'temp', span: s.span });
  const plain: Statement = { k: 'assign', place: { local: tmp, proj: [] }, rvalue: { k: 'binary', op: s.rvalue.op, left: s.rvalue.left, right: s.rvalue.right }, span: s.span };
  const value: Operand = { k: 'move', place: { local: tmp, proj: [] } };
  const flag: Operand = { k: 'const', value: { k: 'bool', value: false }, ty: T.bool };
  const build: Statement = { ...s, rvalue: { k: 'aggregate', kind: { k: 'tuple' }, ops: [value, flag] } };
  b.stmts.splice(si, 1, plain, build);
  const rewritten = b.stmts.slice(si + 2).some((x) => written(x)?.local === pair);
  const t = b.term;
  if (!rewritten && t.k === 'branch' && t.cond.k !== 'const' && t.cond.place.local === pair) {
    const p = t.cond.place.proj;
    if (p.length === 1 && p[0]!.k === 'field' && p[0]!.index === 1) b.term = { k: 'goto', target: t.else };
  }
  return f.locals[pair]!.kind === 'temp' ? { pair, value: tmp, build } : null;
}
