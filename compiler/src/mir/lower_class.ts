// Lowering the class-specific expressions (LANGUAGE.md §2.3): `Class::new(…)`, virtual and interface method calls
// through a vtable slot, upcasts to a base class or an interface, `x is C`, and a constructor's prologue (the base
// constructor, field defaults, and the flags that make each field's first assignment an initialisation).
import type * as ast from '../syntax/ast.js';
import type { CallRes } from '../sema/typed.js';
import { isClass, T, type Type } from '../sema/types.js';
import { constBool, constInt, moveOf } from './builder.js';
import type { LocalId, Operand, Place } from './mir.js';
import { place } from './mir.js';
import type { FnLowerer } from './lower_fn.js';

type Adt = Extract<Type, { k: 'adt' }>;
const U8P: Type = { k: 'ptr', inner: T.u8 };

export function lowerClassCall(l: FnLowerer, e: Extract<ast.Expr, { kind: 'Call' | 'MethodCall' }>, res: Extract<CallRes, { k: 'new' | 'virtual' | 'iface' }>, dest: Place): void {
  const span = e.span;
  if (res.k === 'new') {
    const t: Adt = { k: 'adt', def: res.fn.ctor!.cls, args: res.typeArgs.map((a) => l.sub(a)) };
    // inside a @track_caller function, a @track_caller constructor reports at our own caller's line
    const passCaller = l.callerLoc !== null && res.fn.attrs.some((a) => a.name === 'track_caller');
    const site: Operand = passCaller ? { k: 'copy', place: place(l.callerLoc!) } : l.mono.classes.siteOf(t, span);
    const args = [...e.args.map((a) => l.operand(a)), site];
    l.b.call(dest, { k: 'fn', symbol: l.mono.classes.newSymbol(res.fn, t) }, args, span);
    return;
  }
  const m = e as Extract<ast.Expr, { kind: 'MethodCall' }>;
  const vt = l.b.temp(U8P, span);
  let recv: Operand;
  if (res.k === 'virtual') {
    // the receiver is the class reference, borrowed; the vtable is in its object's header
    recv = l.receiver(m.receiver, 'borrow');
    if (recv.k === 'const') throw new Error('internal: a constant class receiver');
    l.b.assign(place(vt), { k: 'use', op: { k: 'copy', place: { local: recv.place.local, proj: [...recv.place.proj, { k: 'deref' }, { k: 'field', index: 1 }] } } }, span);
  } else {
    // an interface value { object, vtable }: the object is the borrowed receiver of the class's method
    const iv = l.receiver(m.receiver, 'borrow');
    if (iv.k === 'const') throw new Error('internal: a constant interface receiver');
    const obj = l.b.temp(U8P, span);
    l.b.assign(place(obj), { k: 'use', op: { k: 'copy', place: { local: iv.place.local, proj: [...iv.place.proj, { k: 'field', index: 0 }] } } }, span);
    l.b.assign(place(vt), { k: 'use', op: { k: 'copy', place: { local: iv.place.local, proj: [...iv.place.proj, { k: 'field', index: 1 }] } } }, span);
    recv = moveOf(obj);
  }
  const args: Operand[] = [recv, ...e.args.map((a) => l.operand(a))];
  const ret = l.ty(e);
  l.b.call(dest, { k: 'slot', vtable: moveOf(vt), slot: res.slot, ret }, args, span, ret.k === 'never');
}

/** A class reference as a base class (the same pointer) or as an interface ({ object, vtable }). `v` is owned. */
export function classUpcast(l: FnLowerer, e: ast.Expr, from: Type, target: Adt, v: Operand): Operand {
  const span = e.span;
  if (!isClass(from)) throw new Error('internal: upcast of a non-class value');
  if (target.def.kind === 'class') {
    const out = l.b.temp(target, span);
    l.b.assign(place(out), { k: 'cast', operand: v, to: target }, span);
    return moveOf(out);
  }
  const vt = l.mono.classes.interfaceVtable(from, target.def);
  const obj = l.b.temp(U8P, span);
  l.b.assign(place(obj), { k: 'cast', operand: v, to: U8P }, span);
  const out = l.b.temp(target, span);
  l.b.assign(place(out), { k: 'aggregate', kind: { k: 'struct' }, ops: [moveOf(obj), { k: 'const', value: { k: 'vtable', symbol: vt }, ty: U8P }] }, span);
  return moveOf(out);
}

/** `x is C`: slot 1 of the object's vtable answers for C's number. */
export function lowerIsTest(l: FnLowerer, e: Extract<ast.Expr, { kind: 'Is' }>, dest: Place): void {
  const span = e.span;
  const target = l.sub(l.body.isTargets.get(e.id)!) as Adt;
  l.withTemps(() => {
    let p = l.placeOf(e.operand);
    while (l.placeType(p).k === 'ref') p = { local: p.local, proj: [...p.proj, { k: 'deref' }] };
    const t = l.placeType(p);
    const vt = l.b.temp(U8P, span);
    const obj = l.b.temp(U8P, span);
    if (isClass(t)) {
      l.b.assign(place(vt), { k: 'use', op: { k: 'copy', place: { local: p.local, proj: [...p.proj, { k: 'deref' }, { k: 'field', index: 1 }] } } }, span);
      l.b.assign(place(obj), { k: 'cast', operand: { k: 'copy', place: p }, to: U8P }, span);
    } else {
      // an interface value: the object's own vtable (the interface's is that of the class it was made from)
      l.b.assign(place(obj), { k: 'use', op: { k: 'copy', place: { local: p.local, proj: [...p.proj, { k: 'field', index: 0 }] } } }, span);
      const header = l.b.temp({ k: 'ptr', inner: { k: 'tuple', elems: [T.i64, U8P] } }, span);
      l.b.assign(place(header), { k: 'cast', operand: { k: 'copy', place: place(obj) }, to: l.b.localTy(header) }, span);
      l.b.assign(place(vt), { k: 'use', op: { k: 'copy', place: place(header, { k: 'deref' }, { k: 'field', index: 1 }) } }, span);
    }
    const id = constInt(l.mono.classes.classId(target), T.i64);
    l.b.call(dest, { k: 'slot', vtable: moveOf(vt), slot: 1, ret: T.bool }, [moveOf(obj), id], span);
  });
}

/** Before a constructor's body: the base constructor, then the own fields' defaults; returns the flags of the own
 * fields without a default (false until their first assignment). */
export function constructorPrologue(l: FnLowerer): Map<number, LocalId> {
  const fn = l.fn;
  const ctor = fn.ctor!;
  const span = fn.decl!.span;
  const self = l.localOf.get(l.body.self!.id)!;
  const t = l.sub(fn.selfType!) as Adt;
  // flags first: every exit (a failing base constructor included) reads them
  const flags = new Map<number, LocalId>();
  const start = t.def.cls?.ownFieldStart ?? 0;
  const objField = (i: number): Place => place(self, { k: 'deref' }, { k: 'field', index: i + 2 });
  t.def.fields.forEach((_, i) => {
    if (i < start || !l.needsDrop(l.placeType(objField(i)))) return;
    const flag = l.b.temp(T.bool, span);
    l.b.assign(place(flag), { k: 'use', op: constBool(false) }, span);
    flags.set(i, flag);
  });
  const bc = l.body.baseCall;
  if (bc) {
    const done = l.b.temp(T.bool, span);
    l.b.assign(place(done), { k: 'use', op: constBool(false) }, span);
    l.baseDone = done;
    l.withTemps(() => {
      const args: Operand[] = [{ k: 'copy', place: place(self) }, ...(ctor.baseArgs ?? []).map((a) => l.operand(a))];
      const sym = l.mono.request(bc.fn, bc.typeArgs.map((a) => l.sub(a)));
      if (!bc.fn.ctor?.failure) {
        l.b.call(null, { k: 'fn', symbol: sym }, args, span);
        return;
      }
      // the base constructor failed: pass its error on (it has dropped what it set)
      const r = l.b.temp(l.retTyOf(), span);
      l.b.call(place(r), { k: 'fn', symbol: sym }, args, span);
      const { first: ok, other: bad } = l.b.switchOnFirstVariant(place(r), span);
      l.b.switchTo(bad);
      l.b.assign(place(0), { k: 'use', op: moveOf(r) }, span);
      l.exitScopes(l.closureBase, span);
      l.b.terminate({ k: 'return' }, span);
      l.b.switchTo(ok);
    });
    l.b.assign(place(done), { k: 'use', op: constBool(true) }, span);
  }
  t.def.fields.forEach((f, i) => {
    if (i < start || !f.hasDefault) return;
    l.withTemps(() => {
      const ft = l.placeType(objField(i));
      l.b.assign(objField(i), { k: 'use', op: l.defaultField(t, f.name, ft, span) }, span);
    });
    const flag = flags.get(i);
    if (flag !== undefined) l.b.assign(place(flag), { k: 'use', op: constBool(true) }, span);
  });
  return flags;
}

/** Every return of a constructor that can fail goes through one exit that, for `Err`, drops the fields set so far
 * (own fields by their flags, inherited ones once the base constructor has succeeded); the `new` wrapper then frees
 * the memory. No user `drop` runs: the object never existed. */
export function constructorFailureExit(l: FnLowerer): void {
  const b = l.b;
  const span = l.fn.decl!.span;
  const self = l.localOf.get(l.body.self!.id)!;
  const t = l.sub(l.fn.selfType!) as Adt;
  const start = t.def.cls?.ownFieldStart ?? 0;
  const returns = b.blocks.filter((bb) => bb.term.k === 'return');
  const exit = b.newBlock();
  for (const bb of returns) bb.term = { k: 'goto', target: exit.id };
  b.switchTo(exit);
  const { first: ret, other: cleanup } = b.switchOnFirstVariant(place(0), span);
  b.switchTo(cleanup);
  t.def.fields.forEach((_, i) => {
    const fp = place(self, { k: 'deref' }, { k: 'field', index: i + 2 });
    const ft = l.placeType(fp);
    if (!l.needsDrop(ft)) return;
    const flag = i < start ? l.baseDone : (l.ctorFlags?.get(i) ?? null);
    l.mono.glue.dropSymbol(ft);
    b.emit({ k: 'drop', place: fp, flag, span });
  });
  b.goto(ret);
  b.switchTo(ret);
  b.terminate({ k: 'return' }, span);
}

/** The flag of `this.f` in a constructor, when `f` is an own field without a default. */
export function ctorFieldFlag(l: FnLowerer, target: ast.Expr): LocalId | null {
  if (target.kind !== 'Field' || target.object.kind !== 'Path') return null;
  const r = l.body.paths.get(target.object.id);
  if (r?.k !== 'local' || r.local !== l.body.self) return null;
  const f = l.body.fields.get(target.id);
  return f ? (l.ctorFlags!.get(f.index) ?? null) : null;
}
