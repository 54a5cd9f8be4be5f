// Chains: the shapes of source that nest in the tree but not in the text, and so have no length limit
// (docs/decisions.md, "Nesting limit and long chains"). `a + b + c + …` is a left-leaning spine of Binary nodes,
// `x.f().g.h()` a spine of MethodCall/Field nodes, `if … else if … else if …` a right-leaning spine of If/IfLet
// nodes. The parser builds them in loops; a recursive walker recursing along a spine would recurse once per link
// and overflow Node's stack at a few thousand links, so walkers take a spine as a list from here and loop over it.
// Real nesting (parentheses, blocks, closures…) is bounded by the parser's NESTING_LIMIT instead.
import type { Expr } from './ast.js';

/** Nodes whose first operand may continue a chain: the operand is evaluated first, then the node. */
export type LeftLink = Extract<Expr, { kind: 'Binary' | 'MethodCall' | 'Field' | 'Index' | 'Try' | 'Cast' | 'Is' }>;

/** The node's first operand (the next link of a left spine), or null when it is not a chain link. */
export function leftOperand(e: Expr): Expr | null {
  switch (e.kind) {
    case 'Binary':
      return e.left;
    case 'MethodCall':
      return e.receiver;
    case 'Field':
    case 'Index':
      return e.object;
    case 'Try':
    case 'Cast':
    case 'Is':
      return e.operand;
    default:
      return null;
  }
}

/**
 * The left spine from `e` down: [e, first operand of e, its first operand, …], stopping before a node that is not
 * a link (the spine's last element is then the chain's innermost operand) or at a node `stop` accepts (included).
 */
export function leftSpine(e: Expr, stop?: (e: Expr) => boolean): Expr[] {
  const out: Expr[] = [e];
  let cur = e;
  for (;;) {
    const next = leftOperand(cur);
    if (next === null) return out;
    out.push(next);
    if (stop?.(next)) return out;
    cur = next;
  }
}

export type IfLinkExpr = Extract<Expr, { kind: 'If' | 'IfLet' }>;

/** An `else if` chain from `e`: the If/IfLet links in order, and the final `else` (null when there is none). */
export function elseIfChain(e: IfLinkExpr): { links: IfLinkExpr[]; last: Expr | null } {
  const links: IfLinkExpr[] = [e];
  let cur: IfLinkExpr = e;
  while (cur.else !== null && (cur.else.kind === 'If' || cur.else.kind === 'IfLet')) {
    cur = cur.else;
    links.push(cur);
  }
  return { links, last: cur.else };
}

/** A walker that visits a long left spine bottom-up stops every CHAIN_STEP links: it recurses at most this deep. */
export const CHAIN_STEP = 32;
