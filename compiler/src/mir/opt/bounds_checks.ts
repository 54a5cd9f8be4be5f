// Bounds-check elimination. Indexing is lowered to `ok = lt(idx as U64, len as U64); if ok -> [in, panic]`; the
// check goes (a `goto` to the in-bounds block; simplify_cfg removes the panic block) when the facts at the compare
// prove `0 <= idx < len`: the counter of `for i in 0 to xs.len()` or of `while i < xs.len()` (a counter that starts
// at zero and only grows), a constant index into a fixed array, an index the same list was already checked against
// on every path, `i - k` where `k <= i` and `i` is one of those. The length must be of the same list, unchanged since it was read: no write, move, drop or mutable
// borrow of it in between (a call that gets a `mut ref` to it, or to what holds it, kills the fact).
import type { MirFunction } from '../mir.js';
import type { PassContext } from '../pass_manager.js';
import { Facts } from './facts.js';
import { functionsOf } from './values.js';

const programFns = new WeakMap<object, Map<string, MirFunction>>();

export function removeBoundsChecks(f: MirFunction, ctx: PassContext): void {
  const checks = f.blocks.filter((b) => b.term.k === 'branch' && isBoundsPanic(f, b.term.else));
  if (checks.length === 0) return;
  const program = ctx.program!;
  let fns = programFns.get(program);
  if (!fns) programFns.set(program, (fns = functionsOf(program)));
  const facts = new Facts(f, fns);
  const v = facts.values;
  const proven: number[] = [];
  for (const b of checks) {
    const term = b.term as Extract<typeof b.term, { k: 'branch' }>;
    const cond = v.definition(term.cond, { block: b.id, index: b.stmts.length });
    if (!cond || cond.s.rvalue.k !== 'binary' || cond.s.rvalue.op !== 'lt') continue;
    const { left, right } = cond.s.rvalue;
    const def = cond.at;
    const idx = v.operand(left, def);
    const len = v.operand(right, def);
    if (!idx || !len || (len.k !== 'len' && len.k !== 'const')) continue;
    // the compare is unsigned: a non-negative index below a non-negative length passes it
    if (facts.interval(idx, def).lo >= 0n && facts.lessThan(idx, len, def)) proven.push(b.id);
    else {
      // `xs[i - k]` with `k <= i < len`
      const off = facts.offset(idx, def);
      if (off && facts.interval(off.base, def).lo >= off.k && facts.lessThan(off.base, len, def)) proven.push(b.id);
    }
  }
  // rewrite after the analysis: it reads the CFG as it was
  for (const id of proven) {
    const b = f.blocks[id]!;
    if (b.term.k === 'branch') b.term = { k: 'goto', target: b.term.then };
  }
}

/** A block that starts by calling `tml_panic_bounds`. */
function isBoundsPanic(f: MirFunction, id: number): boolean {
  const s = f.blocks[id]!.stmts[0];
  return s?.k === 'call' && s.callee.k === 'extern' && s.callee.symbol === 'tml_panic_bounds';
}
