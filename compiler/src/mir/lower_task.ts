// `spawn(f, a1, …, an)` (MEMORY.md §8): the function value and the arguments move into a heap block (the task's
// environment); a generated thunk, run by the runtime on the new thread, calls the function with them, writes the
// result where the runtime keeps it, and frees the block. The result's drop glue goes along for a detached task.
import type * as ast from '../syntax/ast.js';
import type { CallRes } from '../sema/typed.js';
import { mangleType, T, type Type } from '../sema/types.js';
import { constBool, FnBuilder, moveOf } from './builder.js';
import type { Operand, Place } from './mir.js';
import { place } from './mir.js';
import { SPAWN_ASYNC } from './lower_async.js';
import { U8P } from './mir_build.js';
import type { Mono } from './mono.js';
import type { FnLowerer } from './lower_fn.js';

const made = new WeakMap<Mono, Set<string>>();

export function lowerSpawn(l: FnLowerer, e: Extract<ast.Expr, { kind: 'Call' }>, res: Extract<CallRes, { k: 'builtin' }>, dest: Place): void {
  const span = e.span;
  const b = l.b;
  const ft = l.sub(res.typeArgs[0]!) as Extract<Type, { k: 'func' }>;
  if (ft.ret.k === 'adt' && ft.ret.def === l.mono.checked.defs.langAdt('Future')) return lowerAsyncSpawn(l, e, ft, ft.ret.args[0]!, dest);
  const envTy: Type = { k: 'tuple', elems: [ft, ...ft.params] };
  const ops = e.args.map((a) => l.operand(a));
  const raw = b.temp(U8P, span);
  b.call(place(raw), { k: 'extern', symbol: 'tml_alloc', ret: U8P }, [{ k: 'const', value: { k: 'sizeof', of: envTy }, ty: T.i64 }, { k: 'const', value: { k: 'site', span, typeName: 'task arguments' }, ty: U8P }], span);
  const p = b.temp({ k: 'ptr', inner: envTy }, span);
  b.assign(place(p), { k: 'cast', operand: { k: 'copy', place: place(raw) }, to: b.localTy(p) }, span);
  b.assign(place(p, { k: 'deref' }), { k: 'aggregate', kind: { k: 'tuple' }, ops }, span);
  const [size, dropFn] = taskResult(l, ft.ret);
  const h = b.temp(U8P, span);
  b.call(place(h), { k: 'extern', symbol: 'tml_task_spawn', ret: U8P }, [{ k: 'const', value: { k: 'fnptr', symbol: taskThunk(l.mono, envTy, ft) }, ty: U8P }, { k: 'copy', place: place(raw) }, size, dropFn], span);
  b.assign(dest, { k: 'aggregate', kind: { k: 'struct' }, ops: [moveOf(h), constBool(false)] }, span);
}

/** What the runtime keeps of a task's result `r`: its size, and its drop glue (null when it needs none), for a
 * result nobody takes (a detached or aborted task). */
function taskResult(l: FnLowerer, r: Type): [Operand, Operand] {
  const size: Operand = { k: 'const', value: { k: 'sizeof', of: r.k === 'never' ? T.unit : r }, ty: T.i64 };
  const dropFn: Operand = l.needsDrop(r) ? { k: 'const', value: { k: 'fnptr', symbol: l.mono.glue.dropSymbol(r) }, ty: U8P } : { k: 'const', value: { k: 'null' }, ty: U8P };
  return [size, dropFn];
}

/** `spawn(f, a1, …)` of an async function: the call `f(a1, …)` makes the future (running nothing), which moves into
 * a task of the executor (runtime-c/async.c); the task owns the future's state and drops it when it completes or is
 * aborted. The move is the marker `h = call tml$spawn_async(move fut, result size, result drop)`, which the
 * state-machine pass turns into the runtime call: for a named async function, with the state built in place and
 * copied into the task block (one allocation per task). */
function lowerAsyncSpawn(l: FnLowerer, e: Extract<ast.Expr, { kind: 'Call' }>, ft: Extract<Type, { k: 'func' }>, r: Type, dest: Place): void {
  const span = e.span;
  const b = l.b;
  const named = l.body.paths.get(e.args[0]!.id);
  const fut = b.temp(ft.ret, span);
  if (named?.k === 'fn') {
    const sym = l.mono.request(named.fn, named.typeArgs.map((a) => l.sub(a)));
    // its body's live values are judged for Send (async_check.ts)
    if (!l.mono.checkOnly && !l.mono.spawnedAsync.has(sym)) l.mono.spawnedAsync.set(sym, span);
    const args = e.args.slice(1).map((a) => l.operand(a));
    b.call(place(fut), { k: 'fn', symbol: sym }, args, span);
  } else {
    // which async function's future this makes is not known here: every async body is judged for Send
    if (!l.mono.checkOnly) l.mono.spawnedUnknownAsync ??= span;
    const fv = l.operand(e.args[0]!);
    const args = e.args.slice(1).map((a) => l.operand(a));
    // the function value is only called here: a temporary dropped right after (a closure's captures)
    const fvl = b.temp(ft, span);
    b.assign(place(fvl), { k: 'use', op: fv }, span);
    b.call(place(fut), { k: 'closure', value: { k: 'copy', place: place(fvl) } }, args, span);
    l.dropLocal(fvl, span);
  }
  const [size, dropFn] = taskResult(l, r);
  const h = b.temp(U8P, span);
  b.call(place(h), { k: 'extern', symbol: SPAWN_ASYNC, ret: U8P }, [moveOf(fut), size, dropFn], span);
  b.assign(dest, { k: 'aggregate', kind: { k: 'struct' }, ops: [moveOf(h), constBool(true)] }, span);
}
/** task$E(env: *U8, out: *U8): out ← env.0(env.1, …); the function value is dropped and the block freed. */
function taskThunk(mono: Mono, envTy: Extract<Type, { k: 'tuple' }>, ft: Extract<Type, { k: 'func' }>): string {
  const sym = `task$${mangleType(envTy)}`;
  let set = made.get(mono);
  if (!set) made.set(mono, (set = new Set()));
  if (set.has(sym)) return sym;
  set.add(sym);
  const span = { file: '<builtin>', start: 0, end: 0 };
  const b = new FnBuilder(T.unit, span);
  const env = b.newLocal(U8P, 'env', 'arg', null);
  const out = b.newLocal(U8P, 'out', 'arg', null);
  const p = b.temp({ k: 'ptr', inner: envTy }, span);
  b.assign(place(p), { k: 'cast', operand: { k: 'copy', place: place(env) }, to: b.localTy(p) }, span);
  const r = ft.ret;
  let dest: Place | null = null;
  if (r.k !== 'unit' && r.k !== 'never') {
    const o = b.temp({ k: 'ptr', inner: r }, span);
    b.assign(place(o), { k: 'cast', operand: { k: 'copy', place: place(out) }, to: b.localTy(o) }, span);
    dest = place(o, { k: 'deref' });
  }
  const args: Operand[] = ft.params.map((_, i) => ({ k: 'move', place: place(p, { k: 'deref' }, { k: 'field', index: i + 1 }) }));
  b.call(dest, { k: 'closure', value: { k: 'copy', place: place(p, { k: 'deref' }, { k: 'field', index: 0 }) } }, args, span, r.k === 'never');
  mono.glue.dropSymbol(ft);
  b.emit({ k: 'drop', place: place(p, { k: 'deref' }, { k: 'field', index: 0 }), flag: null, span });
  b.call(null, { k: 'extern', symbol: 'tml_free', ret: T.unit }, [{ k: 'copy', place: place(env) }, { k: 'const', value: { k: 'null' }, ty: U8P }], span);
  mono.add(b.finish(sym, `task body ${mangleType(envTy)}`, 'thunk', 2, span, false));
  return sym;
}
