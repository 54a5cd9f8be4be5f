// W0005 unused `Outcome` (rustc's `must_use` on `Result`) and W0006 unused `Maybe`: an expression statement whose
// value is one of them. A `Maybe` from a `mut this` method (`list.pop()`, `map.insert(k, v)`) is not reported:
// that call is made for its effect, and the value is often the uninteresting old one. `let _ = e` discards on
// purpose and is never reported.
import type { BodyLint } from './lint.js';
import { blocks } from './walk.js';

export function lintUnusedResults(c: BodyLint): void {
  const outcome = c.defs.langAdt('Outcome');
  const maybe = c.defs.langAdt('Maybe');
  for (const b of blocks(c.decl.body)) {
    for (const s of b.stmts) {
      if (s.kind !== 'ExprStmt') continue;
      const t = c.body.exprTypes.get(s.expr.id);
      if (t?.k !== 'adt') continue;
      if (t.def === outcome) {
        c.warn('W0005', 'unused `Outcome` that must be used', s.expr.span, {
          label: 'this `Outcome` may be an `Err` that is ignored',
          notes: ['handle it (`when`, `if let`, `!`), or discard it on purpose with `let _ = …`'],
        });
      } else if (t.def === maybe && !mutating(c, s.expr.id)) {
        c.warn('W0006', 'unused `Maybe` value', s.expr.span, {
          label: 'this value is never used',
          notes: ['use it, or discard it on purpose with `let _ = …`'],
        });
      }
    }
  }
}

/** A call of a `mut this` method (made for its effect). */
function mutating(c: BodyLint, id: number): boolean {
  const call = c.body.calls.get(id);
  return call !== undefined && 'recv' in call && call.recv === 'mutref';
}
