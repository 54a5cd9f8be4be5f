// Lowering `async func` bodies and `await` (MEMORY.md §8.1), before the checks. An async body is lowered as an
// ordinary function body with two markers that the state-machine pass (async_lower.ts) later rewrites:
//
//   susp = call tml$suspend(k)          a suspension point: the body may stop here (k = 0 at the entry, before
//   branch susp → drop_k, else → go_k   anything ran; k ≥ 1 at each `await`). drop_k is what leaving the body here
//                                       means: the drops of every scope, exactly as an early `return` here would
//                                       emit them (the awaited future first, then newest to oldest).
//   dest = call tml$await(move fut, k)  in go_k: wait for the future or task `fut` and take its result.
//
// So the checks and drop elaboration see, on ordinary MIR, both the path that continues after the `await` and the
// path that drops the future's live values if it is dropped (or its task aborted) there; drop flags stay exact on
// both, and the pass only has to cut the function at these points.
import type * as ast from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import { T, type Type } from '../sema/types.js';
import { constInt, moveOf } from './builder.js';
import type { Place } from './mir.js';
import { place } from './mir.js';
import type { FnLowerer } from './lower_fn.js';

export const SUSPEND = 'tml$suspend';
export const AWAIT = 'tml$await';

/** A suspension point: continues in the current block on the path that does not stop; `beforeDrops` emits what
 * the stop path drops first (the awaited future). */
export function suspensionPoint(l: FnLowerer, k: number, span: Span, beforeDrops: () => void): void {
  const b = l.b;
  const susp = b.temp(T.bool, span);
  b.call(place(susp), { k: 'extern', symbol: SUSPEND, ret: T.bool }, [constInt(k, T.i32)], span);
  const stop = b.newBlock();
  const go = b.newBlock();
  b.branch({ k: 'copy', place: place(susp) }, stop, go, span);
  b.switchTo(stop);
  beforeDrops();
  l.exitScopes(l.closureBase, span);
  b.terminate({ k: 'return' }, span);
  b.switchTo(go);
}

/** `await e` / `e.await`: the future (or task) moves into a temporary the stop path drops, then is awaited. */
export function lowerAwait(l: FnLowerer, e: Extract<ast.Expr, { kind: 'Await' }>, dest: Place): void {
  const span = e.span;
  const b = l.b;
  const ft = l.ty(e.operand);
  const fut = b.temp(ft, span);
  l.exprInto(e.operand, place(fut));
  if (b.isTerminated) return;
  const k = ++l.awaitCount;
  suspensionPoint(l, k, span, () => l.dropLocal(fut, span));
  const resultTy: Type = ft.k === 'adt' ? ft.args[0]! : T.error;
  b.call(dest, { k: 'extern', symbol: AWAIT, ret: resultTy }, [moveOf(fut), constInt(k, T.i32)], span);
}

/** The entry of an async body: a future that is dropped before it first runs drops its arguments. */
export function asyncPrologue(l: FnLowerer, span: Span): void {
  suspensionPoint(l, 0, span, () => {});
}
