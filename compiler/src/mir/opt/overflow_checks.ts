// Overflow-check elimination. `t = checked_add(a, b); if t.1 -> [panic, ok]` becomes `n = add(a, b);
// t = (move n, const false); goto ok` when the ranges of `a` and `b` at that point (their types', narrowed by the
// branch facts above it: `i < xs.len()`, `i > 0`, a counter that only grows from zero) prove the result fits.
// An operation that might overflow keeps its check.
import { T } from '../../sema/types.js';
import type { MirFunction, Operand, Statement } from '../mir.js';
import type { PassContext } from '../pass_manager.js';
import { arith, Facts, typeRange, within } from './facts.js';
import { functionsOf } from './values.js';
import { written } from './visit.js';

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
  for (const at of proven.reverse()) rewrite(f, at.block, at.index);
}

/** The checked operation becomes the plain one with a `false` overflow flag; a branch on that flag at the end of
 * the block (the flag not written again before it) becomes a jump to its no-overflow side. */
function rewrite(f: MirFunction, bi: number, si: number): void {
  const b = f.blocks[bi]!;
  const s = b.stmts[si] as Extract<Statement, { k: 'assign' }>;
  if (s.rvalue.k !== 'checked') return;
  const pair = s.place.local;
  const pairTy = f.locals[pair]!.ty;
  const valueTy = pairTy.k === 'tuple' ? pairTy.elems[0]! : T.error;
  const tmp = f.locals.length;
  f.locals.push({ id: tmp, ty: valueTy, name: null, kind: 'temp', span: s.span });
  const plain: Statement = { k: 'assign', place: { local: tmp, proj: [] }, rvalue: { k: 'binary', op: s.rvalue.op, left: s.rvalue.left, right: s.rvalue.right }, span: s.span };
  const value: Operand = { k: 'move', place: { local: tmp, proj: [] } };
  const flag: Operand = { k: 'const', value: { k: 'bool', value: false }, ty: T.bool };
  b.stmts.splice(si, 1, plain, { ...s, rvalue: { k: 'aggregate', kind: { k: 'tuple' }, ops: [value, flag] } });
  const rewritten = b.stmts.slice(si + 2).some((x) => written(x)?.local === pair);
  const t = b.term;
  if (!rewritten && t.k === 'branch' && t.cond.k !== 'const' && t.cond.place.local === pair) {
    const p = t.cond.place.proj;
    if (p.length === 1 && p[0]!.k === 'field' && p[0]!.index === 1) b.term = { k: 'goto', target: t.else };
  }
}
