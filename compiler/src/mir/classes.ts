// The object model in MIR (LANGUAGE.md §2.3, MEMORY.md §4): per class instance type, a vtable
// [destroy, isa, virtual methods…] and per (class, interface) pair an interface vtable [destroy, isa, interface
// methods…]; the destructor (derived `drop` first, then base `drop`s, then every field, then the memory back to the
// heap or the class pool); `isa` for `x is C`; `new` wrappers that allocate and run a constructor; static fields as
// program globals with an initialiser run before `main` and a finaliser after it.
import { NO_SPAN, type Span } from '../syntax/source.js';
import type { FuncDef } from '../sema/defs.js';
import { allInterfaces, allVirtuals, findMethod, interfaceSlots } from '../sema/collect_classes.js';
import { classify } from '../sema/ownership.js';
import { ancestorOf, baseClass, classObject, mangleType, structFields, substFor, substitute, T, typeToString, type AdtDef, type StaticDef, type Type } from '../sema/types.js';
import { constInt, FnBuilder, moveOf } from './builder.js';
import type { LocalId, MirGlobal, Operand } from './mir.js';
import { place } from './mir.js';
import type { Mono } from './mono.js';

type Adt = Extract<Type, { k: 'adt' }>;
const U8P: Type = { k: 'ptr', inner: T.u8 };
/** a class pool is a runtime TmlClassPool: 64 zero-initialised bytes */
const POOL_TY: Type = { k: 'array', elem: T.u64, size: 8 };

export class ClassGen {
  private readonly ids = new Map<string, number>();
  private readonly made = new Set<string>();
  readonly globals: MirGlobal[] = [];
  private readonly statics: StaticDef[] = [];

  constructor(private readonly mono: Mono) {}

  /** A program-wide number for a class instance type or an interface (for `is`). */
  classId(t: Adt): number {
    const key = t.def.kind === 'interface' ? t.def.path : mangleType(t);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(key, id);
    }
    return id;
  }

  /** The vtable of a concrete class instance type: slot 0 destroy, slot 1 isa, then the virtual methods. */
  vtableOf(t: Adt): string {
    const symbol = `vtable$${mangleType(t)}`;
    if (!this.fresh(symbol)) return symbol;
    const slots = [this.destroyFn(t), this.isaFn(t)];
    for (const name of allVirtuals(t.def)) slots.push(this.methodSymbol(t, name));
    this.mono.vtables.set(symbol, { symbol, slots, displayName: `${typeToString(t)}`, cls: t });
    return symbol;
  }

  /** destroy$C when every instance of static type `t` is exactly a `t` (a concrete class no class of the program
   * derives from): its release can call the destructor directly (tml_obj_release_final) instead of through slot 0
   * of the object's vtable, and the release build can then inline it. */
  exactDestroy(t: Adt): string | null {
    if (t.def.kind !== 'class' || !t.def.cls || t.def.cls.isAbstract) return null;
    this.derived ??= new Set(this.mono.checked.defs.adts.flatMap((d) => (d.cls?.base ? [d.cls.base.def] : [])));
    return this.derived.has(t.def) ? null : this.destroyFn(t);
  }

  /** the class definitions some class derives from (made on first use) */
  private derived: Set<AdtDef> | undefined;

  /** The vtable of a class seen through an interface: destroy, isa, then the interface's methods. */
  interfaceVtable(t: Adt, iface: AdtDef): string {
    const symbol = `vtable$${mangleType(t)}$${iface.path.replace(/::/g, '.')}`;
    if (!this.fresh(symbol)) return symbol;
    // `t` is the static class of the upcast value: the object may be of a derived class, so a virtual method's slot
    // dispatches again through the object's own vtable (slots 0 and 1 are never called through this table)
    const slots = [this.destroyFn(t), this.isaFn(t)];
    for (const m of interfaceSlots(iface)) {
      const found = findMethod(t.def, m.name);
      slots.push(found?.virtual ? this.virtualThunk(t, m.name) : this.methodSymbol(t, m.name));
    }
    this.mono.vtables.set(symbol, { symbol, slots, displayName: `${typeToString(t)} as ${iface.name}` });
    return symbol;
  }

  private methodSymbol(t: Adt, name: string): string {
    const found = findMethod(t.def, name);
    if (!found || found.abstract) throw new Error(`internal: \`${typeToString(t)}\` has no body for \`${name}\``);
    const owner = ancestorOf(t, found.owner)!;
    return this.mono.request(found.fn, owner.args);
  }

  /** vcall$C$m(this: C (borrowed), args…): calls virtual method m through the object's vtable. */
  private virtualThunk(t: Adt, name: string): string {
    const sym = `vcall$${mangleType(t)}$${name}`;
    if (!this.fresh(sym)) return sym;
    const found = findMethod(t.def, name)!;
    const owner = ancestorOf(t, found.owner)!;
    const s = substFor(found.fn.typeParams, owner.args);
    const span = found.fn.span;
    const b = new FnBuilder(substitute(found.fn.ret, s), span);
    const recv = b.newLocal(t, 'this', 'arg', null);
    const args = found.fn.params.map((p) => b.newLocal(substitute(p.ty, s), p.name, 'arg', null));
    const vt = b.temp(U8P, span);
    b.assign(place(vt), { k: 'use', op: { k: 'copy', place: place(recv, { k: 'deref' }, { k: 'field', index: 1 }) } }, span);
    const slot = allVirtuals(t.def).indexOf(name) + 2;
    b.call(place(0), { k: 'slot', vtable: moveOf(vt), slot, ret: b.localTy(0) }, [moveOf(recv), ...args.map(moveOf)], span);
    this.mono.add(b.finish(sym, `${typeToString(t)}::${name} (virtual)`, 'thunk', args.length + 1, span, false));
    return sym;
  }

  /** destroy$C(obj: *U8): the user drops derived → base, then every field in declaration order, then the memory. */
  private destroyFn(t: Adt): string {
    const sym = `destroy$${mangleType(t)}`;
    if (!this.fresh(sym)) return sym;
    const span = NO_SPAN;
    const b = new FnBuilder(T.unit, span);
    const obj = b.newLocal(U8P, 'obj', 'arg', null);
    const self = b.temp(t, span);
    b.assign(place(self), { k: 'cast', operand: { k: 'copy', place: place(obj) }, to: t }, span);
    for (let k: Adt | null = t; k; k = baseClass(k)) {
      if (!this.mono.checked.defs.dropImpls.has(k.def)) continue;
      const drop = this.mono.glue.userDrop(k);
      if (!drop) continue;
      // the user's drop takes `ref K`: a reference to the class reference (LLVM: the same i8** for every class)
      const r = b.temp({ k: 'ref', mutable: false, inner: k }, span);
      b.assign(place(r), { k: 'ref', place: place(self), mutable: false, raw: false }, span);
      b.call(null, { k: 'fn', symbol: drop }, [moveOf(r)], span);
    }
    // the object's fields after its { rc, vtable } header, in declaration order
    structFields(classObject(t)).forEach((f, i) => {
      if (i < 2 || classify(this.mono.checked.defs, f.ty) === 'plain') return;
      this.mono.glue.dropSymbol(f.ty);
      b.emit({ k: 'drop', place: place(self, { k: 'deref' }, { k: 'field', index: i }), flag: null, span });
    });
    this.freeObject(b, t, { k: 'copy', place: place(obj) }, span);
    this.mono.add(b.finish(sym, `destroy[${typeToString(t)}]`, 'drop-glue', 1, span, false));
    return sym;
  }

  /** The memory of an object (`obj`: a `*U8`) back to where it came from: its class pool or the heap. */
  private freeObject(b: FnBuilder, t: Adt, obj: Operand, span: Span): void {
    const pool = t.def.cls!.pool;
    if (pool === 'global') b.call(null, { k: 'extern', symbol: 'tml_class_pool_free', ret: T.unit }, [this.poolAddr(t), obj], span);
    else if (pool === 'thread_local') b.call(null, { k: 'extern', symbol: 'tml_class_tlpool_free', ret: T.unit }, [obj], span);
    else b.call(null, { k: 'extern', symbol: 'tml_obj_free', ret: T.unit }, [obj], span);
  }

  /** True the first time a generated symbol is asked for (the caller then builds it). */
  private fresh(sym: string): boolean {
    if (this.made.has(sym)) return false;
    this.made.add(sym);
    return true;
  }

  /** isa$C(obj: *U8, id: I64) -> Bool: is the object's class C, one of its bases, or an interface they implement? */
  private isaFn(t: Adt): string {
    const sym = `isa$${mangleType(t)}`;
    if (!this.fresh(sym)) return sym;
    const span = NO_SPAN;
    const b = new FnBuilder(T.bool, span);
    b.newLocal(U8P, 'obj', 'arg', null);
    const id = b.newLocal(T.i64, 'id', 'arg', null);
    const ids: number[] = [];
    for (let k: Adt | null = t; k; k = baseClass(k)) ids.push(this.classId(k));
    for (const i of allInterfaces(t.def)) ids.push(this.classId({ k: 'adt', def: i, args: [] }));
    b.assign(place(0), { k: 'use', op: { k: 'const', value: { k: 'bool', value: false }, ty: T.bool } }, span);
    for (const n of ids) {
      const eq = b.temp(T.bool, span);
      b.assign(place(eq), { k: 'binary', op: 'eq', left: { k: 'copy', place: place(id) }, right: constInt(n, T.i64) }, span);
      b.assign(place(0), { k: 'binary', op: 'or', left: { k: 'copy', place: place(0) }, right: moveOf(eq) }, span);
    }
    this.mono.add(b.finish(sym, `isa[${typeToString(t)}]`, 'fn', 2, span, false));
    return sym;
  }

  private poolAddr(t: Adt): Operand {
    const symbol = `pool$${mangleType(t)}`;
    if (!this.globals.some((g) => g.symbol === symbol)) this.globals.push({ symbol, ty: POOL_TY, displayName: `pool of ${typeToString(t)}` });
    return { k: 'const', value: { k: 'global', symbol }, ty: { k: 'ptr', inner: POOL_TY } };
  }

  /** The allocation site of an instance made at `span` (leak reports name the class and where it was made). */
  siteOf(t: Adt, span: Span): Operand {
    return { k: 'const', value: { k: 'site', span, typeName: typeToString(t) }, ty: U8P };
  }

  /** Allocate a zeroed instance of `t` with its refcount at 1 and its vtable set; returns the local holding it. */
  allocObject(b: FnBuilder, t: Adt, span: Span, siteArg?: Operand): LocalId {
    const raw = b.temp(U8P, span);
    const size: Operand = { k: 'const', value: { k: 'sizeof', of: classObject(t) }, ty: T.i64 };
    const vt: Operand = { k: 'const', value: { k: 'vtable', symbol: this.vtableOf(t) }, ty: U8P };
    const site: Operand = siteArg ?? this.siteOf(t, span);
    const pool = t.def.cls!.pool;
    if (pool === 'global') b.call(place(raw), { k: 'extern', symbol: 'tml_class_pool_alloc', ret: U8P }, [this.poolAddr(t), size, vt, site], span);
    else if (pool === 'thread_local') b.call(place(raw), { k: 'extern', symbol: 'tml_class_tlpool_alloc', ret: U8P }, [this.poolAddr(t), size, vt, site], span);
    else b.call(place(raw), { k: 'extern', symbol: 'tml_obj_alloc', ret: U8P }, [size, vt, site], span);
    const obj = b.temp(t, span);
    b.assign(place(obj), { k: 'cast', operand: moveOf(raw), to: t }, span);
    return obj;
  }

  /** new$C$N(args…, site) -> C: allocate (recording the caller's site), then run constructor `ctor` on it. */
  newSymbol(ctor: FuncDef, t: Adt): string {
    const sym = `new$${mangleType(t)}$${ctor.params.length}`;
    if (!this.fresh(sym)) return sym;
    const span = ctor.span;
    const s = substFor(ctor.typeParams, t.args);
    const failure = ctor.ctor?.failure ? substitute(ctor.ctor.failure, s) : null;
    const outcome = this.mono.checked.defs.langAdt('Outcome');
    const b = new FnBuilder(failure ? { k: 'adt', def: outcome, args: [t, failure] } : t, span);
    const args = ctor.params.map((p) => b.newLocal(substitute(p.ty, s), p.name, 'arg', p.span));
    const site = b.newLocal(U8P, '__site', 'arg', null);
    const obj = this.allocObject(b, t, span, { k: 'copy', place: place(site) });
    const r = b.temp(t, span);
    b.assign(place(r), { k: 'use', op: { k: 'copy', place: place(obj) } }, span); // the constructor borrows it
    // a @track_caller constructor reports its panics at the `new` call's site (its leading TmlLoc)
    const ctorArgs: Operand[] = [moveOf(r), ...args.map(moveOf)];
    if (ctor.attrs.some((a) => a.name === 'track_caller')) ctorArgs.push({ k: 'copy', place: place(site) });
    if (!failure) {
      b.call(null, { k: 'fn', symbol: this.mono.request(ctor, t.args) }, ctorArgs, span);
      b.assign(place(0), { k: 'use', op: moveOf(obj) }, span);
    } else {
      // Ok: the object; Err: the constructor dropped what it had set, the memory goes back, the error is passed on
      const res = b.temp({ k: 'adt', def: outcome, args: [T.unit, failure] }, span);
      b.call(place(res), { k: 'fn', symbol: this.mono.request(ctor, t.args) }, ctorArgs, span);
      const { first: ok, other: bad } = b.switchOnFirstVariant(place(res), span);
      const done = b.newBlock();
      b.switchTo(ok);
      b.assign(place(0), { k: 'aggregate', kind: { k: 'variant', variant: 0 }, ops: [moveOf(obj)] }, span);
      b.goto(done);
      b.switchTo(bad);
      const raw = b.temp(U8P, span);
      b.assign(place(raw), { k: 'cast', operand: moveOf(obj), to: U8P }, span);
      this.freeObject(b, t, moveOf(raw), span);
      b.assign(place(0), { k: 'aggregate', kind: { k: 'variant', variant: 1 }, ops: [{ k: 'move', place: place(res, { k: 'variant', variant: 1, index: 0 }) }] }, span);
      b.goto(done);
      b.switchTo(done);
    }
    this.mono.add(b.finish(sym, `${typeToString(t)}::new/${ctor.params.length}`, 'fn', args.length + 1, span, false));
    return sym;
  }

  // ---------- static fields ----------

  /** Every static field of every (non-generic) class, in declaration order. */
  registerStatics(adts: readonly AdtDef[]): void {
    for (const d of adts) for (const st of d.cls?.statics ?? []) {
      this.statics.push(st);
      this.globals.push({ symbol: st.symbol, ty: st.ty, displayName: `static ${d.name}::${st.name}` });
    }
  }

  staticAddr(st: StaticDef): Operand {
    return { k: 'const', value: { k: 'global', symbol: st.symbol }, ty: { k: 'ptr', inner: st.ty } };
  }

  /** tml.statics.init / tml.statics.drop, or null when the program has no static fields. */
  staticFunctions(): { init: string | null; drop: string | null } {
    if (this.statics.length === 0) return { init: null, drop: null };
    const span = NO_SPAN;
    const init = new FnBuilder(T.unit, span);
    for (const st of this.statics) {
      const p = init.temp({ k: 'ptr', inner: st.ty }, span);
      init.assign(place(p), { k: 'use', op: this.staticAddr(st) }, span);
      init.call(place(p, { k: 'deref' }), { k: 'fn', symbol: this.mono.request(st.fn as FuncDef, []) }, [], st.span);
    }
    this.mono.add(init.finish('tml.statics.init', 'statics: initialise', 'fn', 0, span, false));
    const drop = new FnBuilder(T.unit, span);
    for (const st of [...this.statics].reverse()) {
      if (classify(this.mono.checked.defs, st.ty) === 'plain') continue;
      const p = drop.temp({ k: 'ptr', inner: st.ty }, span);
      drop.assign(place(p), { k: 'use', op: this.staticAddr(st) }, span);
      this.mono.glue.dropSymbol(st.ty);
      drop.emit({ k: 'drop', place: place(p, { k: 'deref' }), flag: null, span });
    }
    this.mono.add(drop.finish('tml.statics.drop', 'statics: drop', 'fn', 0, span, false));
    return { init: 'tml.statics.init', drop: 'tml.statics.drop' };
  }
}
