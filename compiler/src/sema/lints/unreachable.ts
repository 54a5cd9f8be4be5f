// W0004 unreachable code: in each block, what follows the first statement whose type is `Never` (`return`,
// `break`, `continue`, a panic, a `loop` without `break`, an `if`/`when` whose every branch leaves). The checker
// already types exactly these as `Never` (check_body.ts), so the lint is that type read back: one warning per
// block, at the first unreachable statement, pointing at what leaves. It lives in sema, not on MIR: MIR lowering
// drops unreachable statements (nothing to point at), and the block structure is what the user reads.
import type * as ast from '../../syntax/ast.js';
import type { BodyLint } from './lint.js';

export function lintUnreachable(c: BodyLint): void {
  for (const b of c.nodes.blocks) {
    const leaving = b.stmts.findIndex((s) => diverges(c, s));
    if (leaving < 0) continue;
    const next: ast.Stmt | ast.Expr | undefined = b.stmts[leaving + 1] ?? b.tail ?? undefined;
    if (next === undefined) continue;
    const what = 'kind' in next && (next.kind === 'Let' || next.kind === 'ExprStmt' || next.kind === 'Defer' || next.kind === 'ItemStmt') ? 'statement' : 'expression';
    c.warn('W0004', `unreachable ${what}`, next.span, {
      label: `unreachable ${what}`,
      secondary: [{ span: b.stmts[leaving]!.span, message: 'any code following this expression is unreachable' }],
    });
  }
}

function diverges(c: BodyLint, s: ast.Stmt): boolean {
  const e = s.kind === 'ExprStmt' ? s.expr : s.kind === 'Let' && s.elseBlock === null ? s.init : null;
  if (e === null) return false;
  return c.body.exprTypes.get(e.id)?.k === 'never';
}
