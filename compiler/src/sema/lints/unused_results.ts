// W0005 unused `Outcome` (rustc's `must_use` on `Result`) and W0006 unused `Maybe`: an expression statement whose
// value is one of them. W0010: an expression statement that only computes a value (an operator, a literal, a
// variable), e.g. `x == 5` meant as `x = 5`. A `Maybe` from a `mut this` method (`list.pop()`, `map.insert(k, v)`) is not reported:
// that call is made for its effect, and the value is often the uninteresting old one. `let _ = e` discards on
// purpose and is never reported.
import type * as ast from '../../syntax/ast.js';
import type { BodyLint } from './lint.js';

export function lintUnusedResults(c: BodyLint): void {
  const outcome = c.defs.langAdt('Outcome');
  const maybe = c.defs.langAdt('Maybe');
  for (const b of c.nodes.blocks) {
    for (const s of b.stmts) {
      if (s.kind !== 'ExprStmt') continue;
      if (noEffect(c, s.expr)) {
        const e = s.expr;
        const assign = e.kind === 'Binary' && e.op === '==' && e.left.kind === 'Path';
        c.warn('W0010', 'statement has no effect', e.span, {
          label: 'this value is computed and thrown away',
          notes: assign ? ['did you mean to assign, with `=`?'] : [],
        });
        continue;
      }
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

const LITERALS = new Set(['IntLit', 'FloatLit', 'StrLit', 'CharLit', 'BoolLit', 'NullLit', 'UnitLit']);

/** An expression that only computes a value: a literal, a local or constant, or a primitive operator on such. */
function noEffect(c: BodyLint, e: ast.Expr): boolean {
  if (LITERALS.has(e.kind)) return e.kind !== 'UnitLit';
  if (e.kind === 'Path') {
    const r = c.body.paths.get(e.id);
    return r?.k === 'local' || r?.k === 'const';
  }
  // an operator of a user type calls its behavior method, which may do anything
  if (e.kind === 'Binary') return c.body.ops.get(e.id)?.k !== 'call' && e.op !== 'and' && e.op !== 'or' ? pure(c, e.left) && pure(c, e.right) : false;
  if (e.kind === 'Unary') return (e.op === '-' || e.op === 'not' || e.op === '~') && c.body.ops.get(e.id)?.k !== 'call' && pure(c, e.operand);
  return false;
}

/** Operands without effects: literals, variables, fields of them, and operators on those. */
function pure(c: BodyLint, e: ast.Expr): boolean {
  if (e.kind === 'Field') return pure(c, e.object);
  return noEffect(c, e) || e.kind === 'UnitLit';
}
