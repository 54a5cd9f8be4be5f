// W0008: `not a == b` on an integer `a` is `(not a) == b`, a comparison of the bitwise complement (LANGUAGE.md §5
// calls it a trap). Reported when the left operand of a comparison is an unparenthesised `not` of an integer; the
// parser keeps no parentheses, so the source text after the `not` expression tells (`(not a) == b` is meant).
import type { SourceMap } from '../../syntax/source.js';
import type * as ast from '../../syntax/ast.js';
import type { BodyLint } from './lint.js';

const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);

export function lintNotPrecedence(c: BodyLint): void {
  for (const e of c.nodes.binaries) {
    const l = e.left;
    if (!COMPARISONS.has(e.op) || l.kind !== 'Unary' || l.op !== 'not') continue;
    if (c.body.exprTypes.get(l.operand.id)?.k !== 'int' || parenthesised(c.sources, l)) continue;
    const a = text(c.sources, l.operand);
    const b = text(c.sources, e.right);
    const negated = e.op === '==' ? `${a} != ${b}` : null;
    c.warn('W0008', '`not` applies to the left operand only: this compares the bitwise complement', e.span, {
      label: `this is \`(not ${a}) ${e.op} ${b}\``,
      notes: [`to negate the comparison, write \`not (${a} ${e.op} ${b})\`${negated ? ` or \`${negated}\`` : ''}; to compare the complement, write \`(not ${a}) ${e.op} ${b}\``],
    });
  }
}

function parenthesised(sources: SourceMap, e: ast.Expr): boolean {
  const file = sources.get(e.span.file);
  if (!file) return true;
  const after = /\S/.exec(file.text.slice(e.span.end));
  return after?.[0] === ')';
}

function text(sources: SourceMap, e: ast.Expr): string {
  return sources.get(e.span.file)?.text.slice(e.span.start, e.span.end) ?? '…';
}
