// Lowering one function instance from its typed AST to MIR. Values flow as owned operands: a read of a place
// copies plain data, copies-and-retains runtime-managed data, and moves unique owners. Every owned local and
// temporary is registered in a scope; leaving the scope drops it (drop elaboration later removes the drops of
// values that were moved). Checks (overflow, bounds, division) are explicit MIR.
import type * as ast from '../syntax/ast.js';
import { CHAIN_STEP, elseIfChain, leftSpine, type IfLinkExpr } from '../syntax/chains.js';
import type { Span } from '../syntax/source.js';
import type { FuncDef } from '../sema/defs.js';
import { resolveBehaviorMethod } from '../sema/impls.js';
import { classify } from '../sema/ownership.js';
import type { CallRes, LocalVar, TypedBody } from '../sema/typed.js';
import { classObject, derefPlaceType, derefTarget, isClass, isClosed, mangleType, mapParts, structFields, substFor, substitute, T, typeToString, variantFields, type Subst, type Type } from '../sema/types.js';
import { constBool, constInt, FnBuilder, moveOf, unitOp } from './builder.js';
import { lowerBuiltinCall, lowerBuiltinMethod, lowerDisplay } from './lower_builtins.js';
import { lowerStrJoin } from './lower_str_join.js';
import { lowerPatternTest, bindPattern, matchAndBind } from './lower_pattern.js';
import { classUpcast, constructorFailureExit, constructorPrologue, ctorFieldFlag, lowerClassCall, lowerIsTest } from './lower_class.js';
import type { BasicBlock, LocalId, MirFunction, Operand, Place, Rvalue } from './mir.js';
import { place } from './mir.js';
import { displayName, type Instance, type Mono } from './mono.js';
import { ScopeStack } from './scopes.js';
import { asyncPrologue, lowerAwait } from './lower_async.js';

export function lowerInstance(mono: Mono, inst: Instance): MirFunction[] {
  const body = mono.checked.bodies.get(inst.fn);
  if (!body) throw new Error(`internal: no checked body for ${inst.fn.path}`);
  const l = new FnLowerer(mono, inst.fn, body, inst.subst, inst.symbol);
  return [l.lowerFunction(displayName(inst.fn, inst.typeArgs)), ...l.extra];
}

export class FnLowerer {
  readonly b: FnBuilder;
  readonly scopes = new ScopeStack();
  readonly localOf = new Map<number, LocalId>(); // LocalVar.id → MIR local
  readonly extra: MirFunction[] = [];
  /** for @track_caller functions: the local holding the caller's location */
  callerLoc: LocalId | null = null;
  /** inside a closure body: captured LocalVar id → field of the environment */
  captureField = new Map<number, number>();
  envLocal: LocalId | null = null;
  private readonly retTy: Type;
  /** links of a long chain lowered ahead (lowerSpine): expression id → the temporary holding its value */
  private readonly chainValues = new Map<number, LocalId>();

  constructor(
    readonly mono: Mono,
    readonly fn: FuncDef,
    readonly body: TypedBody,
    readonly subst: Subst,
    readonly symbol: string,
    retTy?: Type,
  ) {
    this.retTy = retTy ?? this.sub(fn.asyncRet ?? fn.ret);
    this.b = new FnBuilder(this.retTy, fn.span);
    this.b.trackStringSites = mono.opts.trackSites;
  }

  // ---------- types ----------

  sub(t: Type): Type {
    return substitute(t, this.subst);
  }
  ty(e: ast.Expr): Type {
    const t = this.body.exprTypes.get(e.id);
    if (!t) throw new Error(`internal: no type for expression at ${e.span.file}:${e.span.start}`);
    return this.sub(t);
  }
  cls(t: Type) {
    return classify(this.mono.checked.defs, t);
  }
  needsDrop(t: Type): boolean {
    return this.cls(t) !== 'plain';
  }

  // ---------- function ----------

  lowerFunction(display: string): MirFunction {
    const b = this.b;
    const fnScope = this.scopes.push('fn');
    for (const p of this.body.params) {
      const id = b.newLocal(this.sub(p.ty), p.name, 'arg', p.span);
      this.localOf.set(p.id, id);
      // a borrowed class receiver belongs to the caller
      if (!(p === this.body.self && this.fn.receiver === 'borrow')) this.own(id, fnScope);
    }
    let argCount = this.body.params.length;
    if (this.isTrackCaller()) {
      this.callerLoc = b.newLocal({ k: 'ptr', inner: T.u8 }, '__caller', 'arg', null);
      argCount++;
    }
    const decl = this.fn.decl!;
    if (this.fn.ctor) this.ctorFlags = constructorPrologue(this);
    if (this.fn.ctor?.failure) {
      // a constructor that can fail: the body's end is `Ok(())`; every exit drops what is set when it is `Err`
      this.blockInto(decl.body!, null);
      if (!b.isTerminated) b.assign(place(0), { k: 'aggregate', kind: { k: 'variant', variant: 0 }, ops: [unitOp] }, decl.body!.span);
      this.exitScopes(0, decl.body!.span);
      b.terminate({ k: 'return' }, decl.body!.span);
      constructorFailureExit(this);
      this.scopes.pop();
      return { ...b.finish(this.symbol, display, 'fn', argCount, this.fn.span, false), freshObject: this.localOf.get(this.body.self!.id)! };
    }
    if (this.fn.asyncRet) asyncPrologue(this, decl.body!.span);
    this.blockInto(decl.body!, place(0));
    this.exitScopes(0, decl.body!.span);
    b.terminate({ k: 'return' }, decl.body!.span);
    this.scopes.pop();
    const out = b.finish(this.symbol, display, 'fn', argCount, this.fn.span, false);
    if (this.fn.asyncRet) return { ...out, asyncFuture: this.sub(this.fn.ret) };
    return this.fn.ctor ? { ...out, freshObject: this.localOf.get(this.body.self!.id)! } : out;
  }

  /** in a constructor: own field index → the flag that says it has been assigned (its first assignment drops
   * nothing: the object's memory starts zeroed, and zero is not a value of every type) */
  ctorFlags: Map<number, LocalId> | null = null;
  /** in a constructor with a base constructor: set once the base part is initialised */
  baseDone: LocalId | null = null;

  retTyOf(): Type {
    return this.retTy;
  }

  isTrackCaller(): boolean {
    return this.fn.attrs.some((a) => a.name === 'track_caller');
  }

  /** Register an owned local with a scope, so leaving the scope drops it (once). */
  own(id: LocalId, scope = this.scopes.top()): void {
    if (!this.needsDrop(this.b.localTy(id))) return;
    if (scope.entries.some((e) => e.k === 'local' && e.id === id)) return;
    scope.entries.push({ k: 'local', id });
  }

  /** set while binding the alternatives of an or-pattern */
  orBinding = false;

  /** Emit the drops and defers of scopes [from, top], innermost first; does not pop them. */
  exitScopes(from: number, span: Span): void {
    for (let i = this.scopes.depth - 1; i >= from; i--) this.exitScope(this.scopes.stack[i]!, span);
  }

  exitScope(s: { entries: { k: string; id?: LocalId; expr?: ast.Expr; emit?: () => void }[] }, span: Span): void {
    for (let j = s.entries.length - 1; j >= 0; j--) {
      const en = s.entries[j]!;
      if (this.b.isTerminated) return;
      if (en.k === 'local') this.dropLocal(en.id!, span);
      else if (en.k === 'emit') en.emit!();
      else this.stmtExpr(en.expr!);
    }
  }

  dropLocal(id: LocalId, span: Span): void {
    const t = this.b.localTy(id);
    if (!this.needsDrop(t)) return;
    this.mono.glue.dropSymbol(t);
    this.b.emit({ k: 'drop', place: place(id), flag: null, span });
  }

  dropPlace(p: Place, t: Type, span: Span): void {
    if (!this.needsDrop(t)) return;
    this.mono.glue.dropSymbol(t);
    this.b.emit({ k: 'drop', place: p, flag: null, span });
  }

  // ---------- blocks and statements ----------

  blockInto(blk: ast.Block, dest: Place | null): void {
    this.scopes.push('block');
    const depth = this.scopes.depth;
    for (const s of blk.stmts) this.stmt(s);
    if (blk.tail) {
      if (dest) this.withTemps(() => this.exprInto(blk.tail!, dest));
      else this.stmtExpr(blk.tail);
    } else if (dest && !this.b.isTerminated) {
      this.b.assign(dest, { k: 'use', op: unitOp }, blk.span);
    }
    this.exitScopes(depth - 1, blk.span);
    this.scopes.pop();
  }

  /** Run `f` inside a statement-temporaries scope: temporaries it creates are dropped when it ends. */
  withTemps<R>(f: () => R): R {
    const s = this.scopes.push('temps');
    const r = f();
    this.exitScope(s, { file: '', start: 0, end: 0 });
    this.scopes.pop();
    return r;
  }

  stmt(s: ast.Stmt): void {
    switch (s.kind) {
      case 'Let':
        return this.letStmt(s);
      case 'ExprStmt':
        return this.stmtExpr(s.expr);
      case 'Defer':
        this.scopes.top().entries.push({ k: 'defer', expr: s.expr });
        return;
      case 'ItemStmt':
        return;
    }
  }

  /** An expression evaluated for its effect: its value (if owned) is dropped at the end of the statement. */
  stmtExpr(e: ast.Expr): void {
    this.withTemps(() => {
      const t = this.ty(e);
      if (t.k === 'unit' || t.k === 'never' || !this.needsDrop(t)) {
        this.effect(e);
        return;
      }
      const tmp = this.b.temp(t, e.span);
      this.scopes.top().entries.push({ k: 'local', id: tmp });
      this.exprInto(e, place(tmp));
    });
  }

  /** Evaluate for effect only (value is plain or unit). */
  private effect(e: ast.Expr): void {
    const t = this.ty(e);
    const tmp = this.b.temp(t, e.span);
    this.exprInto(e, place(tmp));
  }

  private letStmt(s: Extract<ast.Stmt, { kind: 'Let' }>): void {
    const p = s.pattern;
    if (p.kind === 'IdentPat' && this.body.bindings.has(p.id)) {
      const lv = this.body.bindings.get(p.id)!;
      const id = this.declare(lv);
      if (s.init) {
        this.withTemps(() => this.exprInto(s.init!, place(id)));
      }
      this.own(id);
      return;
    }
    if (!s.init) return;
    // destructuring: evaluate into a temporary owned by this scope, then bind parts (moving them out)
    const t = this.ty(s.init);
    const tmp = this.b.temp(t, s.span);
    this.withTemps(() => this.exprInto(s.init!, place(tmp)));
    this.own(tmp);
    if (s.elseBlock) {
      const ok = this.b.newBlock();
      const fail = this.b.newBlock();
      lowerPatternTest(this, p, place(tmp), t, ok, fail);
      this.b.switchTo(fail);
      this.blockInto(s.elseBlock, null);
      this.b.terminate({ k: 'unreachable' }, s.span);
      this.b.switchTo(ok);
    }
    bindPattern(this, p, place(tmp), t, 'move');
  }

  declare(lv: LocalVar): LocalId {
    // the alternatives of an or-pattern bind the same variable (each in its own block)
    const existing = this.localOf.get(lv.id);
    if (existing !== undefined && this.orBinding) return existing;
    const id = this.b.newLocal(this.sub(lv.ty), lv.name, 'var', lv.span, lv.lateInit === true && !lv.mutable);
    this.localOf.set(lv.id, id);
    return id;
  }

  // ---------- expressions ----------

  /** Evaluate `e` to an owned operand. */
  operand(e: ast.Expr): Operand {
    const target = this.body.unsizes.get(e.id);
    if (target) return this.unsize(e, this.sub(target));
    const coerce = this.body.refCoercions.get(e.id);
    if (coerce) {
      // `ref Heap[T]` → `ref T`: through the reference, then the pointers' @deref paths (the expression itself is
      // evaluated without the coercion)
      this.body.refCoercions.delete(e.id);
      let r: Place;
      try {
        r = this.placeOf(e);
      } finally {
        this.body.refCoercions.set(e.id, coerce);
      }
      const p = this.derefN({ local: r.local, proj: [...r.proj, { k: 'deref' }] }, coerce);
      const t = this.placeType(p);
      const out = this.b.temp({ k: 'ref', mutable: (this.ty(e) as { mutable?: boolean }).mutable ?? false, inner: t }, e.span);
      this.b.assign(place(out), { k: 'ref', place: p, mutable: (this.ty(e) as { mutable?: boolean }).mutable ?? false, raw: false }, e.span);
      return moveOf(out);
    }
    const t = this.ty(e);
    const pl = this.asPlace(e);
    if (pl) return this.readPlace(pl, t, e);
    const c = this.constOperand(e, t);
    if (c) return c;
    const tmp = this.b.temp(t, e.span);
    this.exprInto(e, place(tmp));
    // an owned temporary belongs to its statement until it is moved into what consumes it: an early exit (`!`,
    // `return`, `break`) in between must drop it; once moved, drop elaboration removes this drop
    if (this.needsDrop(t)) this.scopes.temps().entries.push({ k: 'local', id: tmp });
    if (this.body.autoDeref.has(e.id)) return this.readPlace(place(tmp), t, e);
    return moveOf(tmp);
  }

  private constOperand(e: ast.Expr, t: Type): Operand | null {
    switch (e.kind) {
      case 'IntLit':
        if (t.k === 'float') return { k: 'const', value: { k: 'float', value: Number(e.value) }, ty: t };
        return { k: 'const', value: { k: 'int', value: e.value }, ty: t };
      case 'FloatLit':
        return { k: 'const', value: { k: 'float', value: e.value }, ty: t };
      case 'BoolLit':
        return constBool(e.value);
      case 'CharLit':
        return { k: 'const', value: { k: 'char', value: e.value }, ty: T.char };
      case 'StrLit':
        return { k: 'const', value: { k: 'str', value: e.value }, ty: T.str };
      case 'UnitLit':
        return unitOp;
      case 'NullLit':
        return { k: 'const', value: { k: 'null' }, ty: t };
      case 'Unary':
        if (e.op === '-' && e.operand.kind === 'IntLit') return { k: 'const', value: { k: 'int', value: -e.operand.value }, ty: t };
        if (e.op === '-' && e.operand.kind === 'FloatLit') return { k: 'const', value: { k: 'float', value: -e.operand.value }, ty: t };
        return null;
      default:
        return null;
    }
  }

  /** A trait-object coercion: `ref T` → `ref dyn B`, or `Heap[T]` → `Heap[dyn B]` (the box is reused). */
  private unsize(e: ast.Expr, target: Type): Operand {
    const span = e.span;
    const from = this.ty(e);
    const b = this.b;
    if (target.k === 'ref' && from.k === 'ref' && target.inner.k === 'dyn') {
      const vt = this.mono.vtableFor(from.inner, target.inner.behavior);
      const v = this.operandNoUnsize(e);
      const out = b.temp(target, span);
      b.assign(place(out), { k: 'unsize', operand: v, vtable: vt }, span);
      return moveOf(out);
    }
    if (target.k === 'adt' && from.k === 'adt' && target.args[0]?.k === 'dyn') {
      const dyn = target.args[0];
      const concrete = from.args[0]!;
      const vt = this.mono.vtableFor(concrete, dyn.behavior);
      const field = target.def.deref![0]!;
      const box = b.temp(from, span);
      b.assign(place(box), { k: 'use', op: this.operandNoUnsize(e) }, span);
      const fat = b.temp({ k: 'ptr', inner: dyn }, span);
      b.assign(place(fat), { k: 'unsize', operand: { k: 'copy', place: place(box, { k: 'field', index: field }) }, vtable: vt }, span);
      // the concrete box's ownership passes to the new value: it is not dropped
      const sink = b.temp(from, span);
      b.assign(place(sink), { k: 'use', op: moveOf(box) }, span);
      const out = b.temp(target, span);
      b.assign(place(out), { k: 'aggregate', kind: { k: 'struct' }, ops: [moveOf(fat)] }, span);
      return moveOf(out);
    }
    if (target.k === 'adt' && (target.def.kind === 'class' || target.def.kind === 'interface')) return classUpcast(this, e, from, target, this.operandNoUnsize(e));
    throw new Error('internal: unsupported unsizing coercion');
  }

  operandNoUnsize(e: ast.Expr): Operand {
    const saved = this.body.unsizes.get(e.id)!;
    this.body.unsizes.delete(e.id);
    try {
      return this.operand(e);
    } finally {
      this.body.unsizes.set(e.id, saved);
    }
  }

  /** Read a place as an owned value: copy, copy + retain, or move (MEMORY.md §2). */
  readPlace(pl: Place, t: Type, e: ast.Expr | null): Operand {
    let p = pl;
    let ty = t;
    const derefs = e ? (this.body.autoDeref.get(e.id) ?? 0) : 0;
    if (derefs) {
      p = this.derefN(p, derefs);
      ty = this.placeType(p);
    }
    const c = this.cls(ty);
    const span = e?.span;
    if (c === 'plain') return { k: 'copy', place: p, span };
    if (c === 'shared') {
      const tmp = this.b.temp(ty, e?.span ?? null!);
      this.b.assign(place(tmp), { k: 'use', op: { k: 'copy', place: p, span } }, e?.span ?? this.fn.span);
      this.mono.glue.retainSymbol(ty);
      this.b.emit({ k: 'retain', place: place(tmp), span: e?.span ?? this.fn.span });
      this.scopes.temps().entries.push({ k: 'local', id: tmp });
      return moveOf(tmp);
    }
    return { k: 'move', place: p, span };
  }

  /** One dereference of a place: through a reference or raw pointer, or a library pointer's `@deref` path. */
  derefOnce(p: Place): Place {
    const t = this.placeType(p);
    if (t.k === 'ref' || t.k === 'ptr') return { local: p.local, proj: [...p.proj, { k: 'deref' }] };
    if (t.k === 'adt' && t.def.deref) {
      const [first, ...rest] = t.def.deref;
      return { local: p.local, proj: [...p.proj, { k: 'field', index: first! }, { k: 'deref' }, ...rest.map((i) => ({ k: 'field', index: i }) as const)] };
    }
    throw new Error(`internal: cannot dereference a place of type ${t.k}`);
  }

  derefN(p: Place, n: number): Place {
    for (let i = 0; i < n; i++) p = this.derefOnce(p);
    return p;
  }

  /** The type of a MIR place. */
  placeType(p: Place): Type {
    let t = this.b.localTy(p.local);
    for (const pr of p.proj) {
      if (pr.k === 'deref') t = derefPlaceType(t) ?? T.error;
      else if (pr.k === 'index') t = t.k === 'array' ? t.elem : T.error;
      else if (pr.k === 'field') {
        if (t.k === 'tuple') t = t.elems[pr.index]!;
        else if (t.k === 'adt') t = structFields(t)[pr.index]!.ty;
        else if (t.k === 'func') t = { k: 'ptr', inner: T.u8 };
        else t = T.error;
      } else if (pr.k === 'variant') t = t.k === 'adt' ? variantFields(t, pr.variant)[pr.index]! : T.error;
    }
    return t;
  }

  /** A place for a place expression (local, field, index, deref, captured variable); null for other expressions. */
  asPlace(e: ast.Expr): Place | null {
    switch (e.kind) {
      case 'Path': {
        const r = this.body.paths.get(e.id);
        if (r?.k === 'static') {
          const p = this.b.temp({ k: 'ptr', inner: r.def.ty }, e.span);
          this.b.assign(place(p), { k: 'use', op: this.mono.classes.staticAddr(r.def) }, e.span);
          return place(p, { k: 'deref' });
        }
        if (r?.k !== 'local') return null;
        return this.localPlace(r.local);
      }
      case 'Field': {
        const f = this.body.fields.get(e.id);
        if (!f) return null;
        const p = this.derefN(this.placeOf(e.object), f.derefs);
        // a class field lives in the object the class reference points to, after its { rc, vtable } header
        if (isClass(this.placeType(p))) return { local: p.local, proj: [...p.proj, { k: 'deref' }, { k: 'field', index: f.index + 2 }] };
        return { local: p.local, proj: [...p.proj, { k: 'field', index: f.index }] };
      }
      case 'Index':
        return this.body.paths.has(e.id) ? null : this.indexPlace(e);
      case 'Unary':
        if (e.op === '*') return this.derefOnce(this.placeOf(e.operand));
        return null;
      default:
        return null;
    }
  }

  localPlace(lv: LocalVar): Place {
    const id = this.localOf.get(lv.id);
    if (id !== undefined) return place(id);
    const f = this.captureField.get(lv.id);
    if (f !== undefined && this.envLocal !== null) return place(this.envLocal, { k: 'deref' }, { k: 'field', index: f });
    throw new Error(`internal: local \`${lv.name}\` has no MIR slot`);
  }

  /** A place for any expression: non-places are evaluated into a statement temporary (dropped at its end). */
  placeOf(e: ast.Expr): Place {
    const p = this.asPlace(e);
    if (p) return p;
    const t = this.ty(e);
    const tmp = this.b.temp(t, e.span);
    this.exprInto(e, place(tmp));
    this.scopes.temps().entries.push({ k: 'local', id: tmp });
    return place(tmp);
  }

  private indexPlace(e: Extract<ast.Expr, { kind: 'Index' }>): Place {
    let base = this.placeOf(e.object);
    let t = this.placeType(base);
    while (t.k === 'ref') {
      base = { local: base.local, proj: [...base.proj, { k: 'deref' }] };
      t = t.inner;
    }
    const idxOp = this.operand(e.index);
    const idx = this.b.temp(T.i64, e.span);
    this.b.assign(place(idx), { k: 'cast', operand: idxOp, to: T.i64 }, e.span);
    if (t.k === 'adt' && t.def.index) return this.elementPlace(base, t, idx, e.span);
    const len = t.k === 'array' ? t.size : 0;
    this.boundsCheck(idx, constInt(len, T.i64), e.span);
    return { local: base.local, proj: [...base.proj, { k: 'index', index: idx }] };
  }

  /** Element `idx` of an `@index(data, len)` collection at `base`, bounds-checked against its `len` field. */
  elementPlace(base: Place, t: Extract<Type, { k: 'adt' }>, idx: LocalId, span: Span): Place {
    this.boundsCheck(idx, { k: 'copy', place: { local: base.local, proj: [...base.proj, { k: 'field', index: t.def.index!.len }] } }, span);
    const el = this.rawElement(base, t, idx, span);
    // name what the pointer points into, for the move checker's messages
    (this.b.locals[el.local] as { origin?: string }).origin = `index of \`${typeToString(t)}\``;
    return el;
  }

  /** A `for … in ref c` loop borrows `c` while it runs (MEMORY.md §3): a reference taken before the loop, through
   * which every access goes, so the borrow checker sees it live until the loop ends. */
  iterationBorrow(p: Place, t: Type, span: Span): Place {
    const holder = this.b.temp({ k: 'ref', mutable: false, inner: t }, span);
    this.b.assign(place(holder), { k: 'ref', place: p, mutable: false, raw: false }, span);
    return place(holder, { k: 'deref' });
  }

  /** Element `idx` of an `@index` collection, without a bounds check (the caller knows it is in range): an in-bounds
   * offset from its data pointer. */
  rawElement(base: Place, t: Extract<Type, { k: 'adt' }>, idx: LocalId, span: Span): Place {
    const { data } = t.def.index!;
    const elemPtrTy = structFields(t)[data]!.ty;
    const ptr = this.b.temp(elemPtrTy, span);
    (this.b.locals[ptr] as { pointsInto?: Place }).pointsInto = base;
    const dataPtr: Operand = { k: 'copy', place: { local: base.local, proj: [...base.proj, { k: 'field', index: data }] } };
    this.b.assign(place(ptr), { k: 'offset', base: dataPtr, index: { k: 'copy', place: place(idx) }, inbounds: true }, span);
    return place(ptr, { k: 'deref' });
  }

  /** panic unless 0 <= idx < len (an unsigned compare catches negatives) */
  boundsCheck(idx: LocalId, len: Operand, span: Span): void {
    const ok = this.b.temp(T.bool, span);
    const asU = this.b.temp(T.u64, span);
    const lenL = this.b.temp(T.i64, span);
    const lenU = this.b.temp(T.u64, span);
    this.b.assign(place(lenL), { k: 'use', op: len }, span);
    this.b.assign(place(asU), { k: 'cast', operand: { k: 'copy', place: place(idx) }, to: T.u64 }, span);
    this.b.assign(place(lenU), { k: 'cast', operand: { k: 'copy', place: place(lenL) }, to: T.u64 }, span);
    this.b.assign(place(ok), { k: 'binary', op: 'lt', left: { k: 'copy', place: place(asU) }, right: { k: 'copy', place: place(lenU) } }, span);
    const good = this.b.newBlock();
    const bad = this.b.newBlock();
    this.b.branch({ k: 'copy', place: place(ok) }, good, bad, span);
    this.b.switchTo(bad);
    this.b.call(null, { k: 'extern', symbol: 'tml_panic_bounds', ret: T.never }, [this.loc(span), { k: 'copy', place: place(lenL) }, { k: 'copy', place: place(idx) }], span, true);
    this.b.switchTo(good);
  }

  loc(span: Span): Operand {
    return { k: 'const', value: { k: 'loc', span }, ty: { k: 'ptr', inner: T.u8 } };
  }

  /** The hidden argument of a `@track_caller` callee: a TmlAllocSite (which begins with its TmlLoc) naming this
   * call and the type the callee allocates for — or, inside a `@track_caller` function, our own caller's, passed
   * through — so panics and leak reports point at the user's code, not the library's. */
  callerSite(span: Span, callee: FuncDef, res: CallRes): Operand {
    if (this.callerLoc !== null) return { k: 'copy', place: place(this.callerLoc) };
    let typeName = callee.name;
    if (callee.selfType && res.k === 'fn') {
      const self = substitute(callee.selfType, substFor(callee.typeParams, res.typeArgs.map((a) => this.sub(a))));
      typeName = typeToString(self);
    }
    return { k: 'const', value: { k: 'site', span, typeName }, ty: { k: 'ptr', inner: T.u8 } };
  }

  /** The location a panic in this function reports: the caller's for @track_caller functions. */
  panicLoc(span: Span): Operand {
    if (this.callerLoc !== null) return { k: 'copy', place: place(this.callerLoc) };
    return this.loc(span);
  }

  cstr(s: string): Operand {
    return { k: 'const', value: { k: 'cstr', value: s }, ty: { k: 'ptr', inner: T.u8 } };
  }

  /** Evaluate `e` and store its owned value into `dest`. */
  exprInto(e: ast.Expr, dest: Place): void {
    const b = this.b;
    if (b.isTerminated) return;
    const ahead = this.chainValues.get(e.id);
    if (ahead !== undefined) {
      this.chainValues.delete(e.id);
      b.assign(dest, { k: 'use', op: moveOf(ahead) }, e.span);
      return;
    }
    this.lowerSpine(e);
    // a read through a reference (an auto-deref into a non-reference place): `operand` evaluates `e` into a
    // temporary reference first (this path again, with a reference destination), then reads through it
    if (this.body.unsizes.has(e.id) || this.body.refCoercions.has(e.id) || (this.body.autoDeref.has(e.id) && this.placeType(dest).k !== 'ref')) {
      b.assign(dest, { k: 'use', op: this.operand(e) }, e.span);
      return;
    }
    const t = this.ty(e);
    const span = e.span;
    const set = (rv: Rvalue) => b.assign(dest, rv, span);
    switch (e.kind) {
      case 'IntLit':
      case 'FloatLit':
      case 'BoolLit':
      case 'CharLit':
      case 'StrLit':
      case 'UnitLit':
      case 'NullLit':
        set({ k: 'use', op: this.constOperand(e, t)! });
        return;
      case 'InterpStr':
        return lowerStrJoin(this, e, dest);
      case 'Path':
        return this.pathInto(e, dest, t);
      case 'Field':
      case 'Index':
        // `identity[I32]` is a function value, not an index
        if (e.kind === 'Index' && this.body.paths.has(e.id)) return this.pathInto(e as unknown as Extract<ast.Expr, { kind: 'Path' }>, dest, t);
        set({ k: 'use', op: this.readPlace(this.asPlace(e)!, t, e) });
        return;
      case 'Binary':
        return this.binaryInto(e, dest, t);
      case 'Unary':
        return this.unaryInto(e, dest, t);
      case 'Assign':
        this.assignExpr(e);
        set({ k: 'use', op: unitOp });
        return;
      case 'Call':
      case 'MethodCall':
        return this.callInto(e, dest);
      case 'Try':
        return this.tryInto(e, dest);
      case 'Cast': {
        const ot = this.ty(e.operand);
        if ((ot.k === 'ptr' || ot.k === 'ref') && ot.inner.k === 'dyn' && t.k === 'ptr' && t.inner.k !== 'dyn') {
          // a trait-object pointer to a thin one: its data pointer
          const fat = this.placeOf(e.operand);
          set({ k: 'cast', operand: { k: 'copy', place: { local: fat.local, proj: [...fat.proj, { k: 'field', index: 0 }] } }, to: t });
          return;
        }
        const op = this.operand(e.operand);
        const from = this.body.autoDeref.has(e.operand.id) ? this.derefType(this.ty(e.operand), this.body.autoDeref.get(e.operand.id)!) : this.ty(e.operand);
        if (from.k === 'int' && t.k === 'int' && from.name === t.name) set({ k: 'use', op });
        else set({ k: 'cast', operand: op, to: t });
        return;
      }
      case 'If':
      case 'IfLet':
        return this.ifChainInto(e, dest);
      case 'Ternary':
        return this.ifInto(e.cond, e.then, e.else, dest, span);
      case 'When':
        return this.whenInto(e, dest);
      case 'Loop':
      case 'While':
      case 'For':
        this.loopExpr(e);
        // a loop that never ends (type Never) has no value: its exit block is unreachable
        if (t.k === 'never') b.terminate({ k: 'unreachable' }, span);
        else if (!b.isTerminated) set({ k: 'use', op: unitOp });
        return;
      case 'Block':
        return this.blockInto(e.block, dest);
      case 'Lowlevel':
        this.b.lowlevel.push(e.span);
        return this.blockInto(e.block, dest);
      case 'Closure':
        return this.closureInto(e, dest);
      case 'StructLit':
        return this.structLitInto(e, dest);
      case 'Tuple':
        set({ k: 'aggregate', kind: { k: 'tuple' }, ops: e.elems.map((x) => this.operand(x)) });
        return;
      case 'ArrayLit':
        set({ k: 'aggregate', kind: { k: 'array' }, ops: e.elems.map((x) => this.operand(x)) });
        return;
      case 'ArrayRepeat': {
        const v = this.operand(e.value);
        const n = t.k === 'array' ? t.size : 0;
        const tmp = b.temp(this.ty(e.value), span);
        b.assign(place(tmp), { k: 'use', op: v }, span);
        const ops: Operand[] = [];
        for (let i = 0; i < n; i++) ops.push(this.readPlace(place(tmp), this.ty(e.value), null));
        set({ k: 'aggregate', kind: { k: 'array' }, ops });
        this.dropLocal(tmp, span);
        return;
      }
      case 'Return':
        return this.returnExpr(e.value, span);
      case 'Break':
      case 'Continue': {
        const lp = this.scopes.loop();
        if (!lp) return;
        this.exitScopes(lp.index + 1, span);
        if (e.kind === 'Break') {
          // this iteration's values (the element a loop took, its bindings) live just outside the loop scope;
          // `continue` drops them at the loop's continue block, `break` here
          const iteration = this.scopes.stack[lp.index - 1];
          if (iteration) for (let j = iteration.entries.length - 1; j >= 0; j--) {
            const en = iteration.entries[j]!;
            if (en.k === 'local') this.dropLocal(en.id, span);
          }
        }
        const target = e.kind === 'Break' ? lp.scope.breakBlock! : lp.scope.continueBlock!;
        b.terminate({ k: 'goto', target }, span);
        return;
      }
      case 'Is':
        return lowerIsTest(this, e, dest);
      case 'Range': {
        // a range value (core::iter's Range): { start, end, inclusive, done }
        const ops = [this.operand(e.start), this.operand(e.end), constBool(e.inclusive), constBool(false)];
        this.b.assign(dest, { k: 'aggregate', kind: { k: 'struct' }, ops }, span);
        return;
      }
      case 'Await':
        return lowerAwait(this, e, dest);
      case 'Error':
        throw new Error(`internal: cannot lower ${e.kind}`);
    }
  }

  /**
   * A long left spine (`a + b + c …`, `x.f().g()…`; syntax/chains.ts) is lowered bottom-up: every CHAIN_STEP-th link
   * that is a value (not a place) is evaluated into a temporary first — the order the recursion evaluates them in —
   * and exprInto then moves it out, so lowering never recurses more than CHAIN_STEP links deep.
   */
  private lowerSpine(e: ast.Expr): void {
    const spine = leftSpine(e, (x) => this.chainValues.has(x.id));
    if (spine.length <= 2 * CHAIN_STEP) return;
    for (let i = spine.length - 1 - CHAIN_STEP; i > 0; i -= CHAIN_STEP) {
      // a link may be a place (a field of a call's result) or coerced: the nearest value link above it instead
      let j = i;
      while (j > 0 && !this.isSpineValue(spine[j]!)) j--;
      const x = spine[j]!;
      if (j === 0 || this.chainValues.has(x.id)) continue;
      if (this.b.isTerminated) return;
      const tmp = this.b.temp(this.ty(x), x.span);
      this.exprInto(x, place(tmp));
      this.chainValues.set(x.id, tmp);
    }
  }

  /** A link whose parent reaches it through exprInto into a fresh temporary (not as a place, not coerced). */
  private isSpineValue(x: ast.Expr): boolean {
    if (x.kind !== 'Binary' && x.kind !== 'MethodCall' && x.kind !== 'Call') return false;
    return !this.body.unsizes.has(x.id) && !this.body.refCoercions.has(x.id) && !this.body.autoDeref.has(x.id);
  }

  derefType(t: Type, n: number): Type {
    for (let i = 0; i < n; i++) t = derefTarget(t) ?? t;
    return t;
  }

  returnExpr(value: ast.Expr | null, span: Span): void {
    if (value) this.exprInto(value, place(0));
    else this.b.assign(place(0), { k: 'use', op: unitOp }, span);
    this.exitScopes(this.closureBase, span);
    this.b.terminate({ k: 'return' }, span);
  }

  /** the `await`s lowered so far (suspension point k ≥ 1 is the k-th) */
  awaitCount = 0;

  /** scopes below this index belong to an enclosing function (never, in this design: closures are separate) */
  closureBase = 0;

  private pathInto(e: Extract<ast.Expr, { kind: 'Path' }>, dest: Place, t: Type): void {
    const r = this.body.paths.get(e.id);
    const span = e.span;
    if (!r) throw new Error('internal: unresolved path');
    switch (r.k) {
      case 'local':
        this.b.assign(dest, { k: 'use', op: this.readPlace(this.localPlace(r.local), t, e) }, span);
        return;
      case 'static':
        this.b.assign(dest, { k: 'use', op: this.readPlace(this.asPlace(e)!, t, e) }, span);
        return;
      case 'const': {
        // a literal of a scalar type is used as it is (no value function to emit and call: debug builds keep calls)
        const lit = t.k === 'int' || t.k === 'float' || t.k === 'bool' || t.k === 'char' || t.k === 'str' ? this.constOperand(r.def.decl.value, t) : null;
        if (lit) {
          this.b.assign(dest, { k: 'use', op: lit }, span);
          return;
        }
        // otherwise a constant's value is its (checked, inlinable) value function
        const fn = r.def.fn!;
        this.b.call(dest, { k: 'fn', symbol: this.mono.request(fn, []) }, [], span);
        return;
      }
      case 'variant':
        this.b.assign(dest, { k: 'aggregate', kind: { k: 'variant', variant: r.index }, ops: [] }, span);
        return;
      case 'fn': {
        const sym = this.mono.request(r.fn, r.typeArgs.map((a) => this.sub(a)));
        const thunk = this.thunkFor(sym, r.fn, r.typeArgs.map((a) => this.sub(a)), t);
        this.b.assign(dest, { k: 'use', op: { k: 'const', value: { k: 'fn', symbol: thunk }, ty: t } }, span);
        return;
      }
      case 'ctor': {
        // a tuple variant as a function value: a thunk (env, fields…) that builds the variant
        if (t.k !== 'func') throw new Error('internal: a variant constructor value without a function type');
        const enumTy = this.sub(r.ty);
        const sym = `ctor$${mangleType(enumTy)}$${r.index}`;
        if (!this.mono.functions.some((f) => f.symbol === sym) && !this.extra.some((f) => f.symbol === sym)) {
          const tb = new FnBuilder(t.ret, span);
          tb.newLocal({ k: 'ptr', inner: T.u8 }, 'env', 'arg', null);
          const args = t.params.map((p, i) => tb.newLocal(p, `f${i}`, 'arg', null));
          tb.assign(place(0), { k: 'aggregate', kind: { k: 'variant', variant: r.index }, ops: args.map((a) => moveOf(a)) }, span);
          this.extra.push(tb.finish(sym, `variant ${r.index} of ${typeToString(enumTy)} (as a value)`, 'thunk', args.length + 1, span, false));
        }
        this.b.assign(dest, { k: 'use', op: { k: 'const', value: { k: 'fn', symbol: sym }, ty: t } }, span);
        return;
      }
    }
  }

  /** A function used as a `func` value gets a thunk taking (env, args…). */
  private thunkFor(sym: string, fn: FuncDef, typeArgs: Type[], t: Type): string {
    const thunk = `${sym}$thunk`;
    if (this.mono.functions.some((f) => f.symbol === thunk) || this.extra.some((f) => f.symbol === thunk)) return thunk;
    if (t.k !== 'func') throw new Error('internal: thunk of a non-function type');
    const b = new FnBuilder(t.ret, fn.span);
    b.newLocal({ k: 'ptr', inner: T.u8 }, 'env', 'arg', null);
    const args = t.params.map((p, i) => b.newLocal(p, `a${i}`, 'arg', null));
    void typeArgs;
    const ops = args.map((a) => moveOf(a));
    // a @track_caller function's hidden location: one thunk serves every use of the value, so a panic reports the
    // function's own definition (there is no caller to name)
    if (fn.attrs.some((a) => a.name === 'track_caller')) ops.push({ k: 'const', value: { k: 'site', span: fn.span, typeName: fn.name }, ty: { k: 'ptr', inner: T.u8 } });
    b.call(place(0), { k: 'fn', symbol: sym }, ops, fn.span);
    this.extra.push(b.finish(thunk, `${fn.name} (as a value)`, 'thunk', args.length + 1, fn.span, false));
    return thunk;
  }

  // ---------- operators ----------

  private binaryInto(e: Extract<ast.Expr, { kind: 'Binary' }>, dest: Place, t: Type): void {
    const span = e.span;
    const op = e.op;
    if (op === 'and' || op === 'or') {
      // short circuit
      const l = this.operand(e.left);
      const rhs = this.b.newBlock();
      const short = this.b.newBlock();
      const done = this.b.newBlock();
      if (op === 'and') this.b.branch(l, rhs, short, span);
      else this.b.branch(l, short, rhs, span);
      this.b.switchTo(short);
      this.b.assign(dest, { k: 'use', op: constBool(op === 'or') }, span);
      this.b.goto(done);
      this.b.switchTo(rhs);
      this.b.assign(dest, { k: 'use', op: this.operand(e.right) }, span);
      this.b.goto(done);
      this.b.switchTo(done);
      return;
    }
    const res = this.body.ops.get(e.id);
    if (res?.k === 'call') return this.opCallInto(e, res.call, res.compare, dest);
    const lt = this.operandType(e.left);
    if (lt.k === 'str' && op === '+') return lowerStrJoin(this, e, dest);
    if (lt.k === 'str') {
      const l = this.strArg(e.left);
      const r = this.strArg(e.right);
      this.strCompare(op, l.op, r.op, dest, span);
      l.release();
      r.release();
      return;
    }
    if (lt.k === 'adt' && lt.def.kind === 'enum' && (op === '==' || op === '!=')) {
      const lp = this.placeOf(e.left);
      const rp = this.placeOf(e.right);
      const a = this.b.temp(T.i32, span);
      const c = this.b.temp(T.i32, span);
      this.b.assign(place(a), { k: 'discriminant', place: lp }, span);
      this.b.assign(place(c), { k: 'discriminant', place: rp }, span);
      this.b.assign(dest, { k: 'binary', op: op === '==' ? 'eq' : 'ne', left: { k: 'copy', place: place(a) }, right: { k: 'copy', place: place(c) } }, span);
      return;
    }
    const l = this.operand(e.left);
    const r = this.operand(e.right);
    this.arith(op, l, r, lt, dest, span);
  }

  /** A comparison of two borrowed Str operands (bytes, then length). */
  strCompare(op: string, l: Operand, r: Operand, dest: Place, span: Span): void {
    const c = this.b.temp(T.i32, span);
    this.b.call(place(c), { k: 'extern', symbol: op === '==' || op === '!=' ? 'tml_str_eq' : 'tml_str_cmp', ret: T.i32 }, [l, r], span);
    const cmp = op === '==' ? 'ne' : op === '!=' ? 'eq' : binOp(op);
    this.b.assign(dest, { k: 'binary', op: cmp, left: { k: 'copy', place: place(c) }, right: constInt(0, T.i32) }, span);
  }

  /** Type of an operand expression after implicit dereferencing. */
  operandType(e: ast.Expr): Type {
    const n = this.body.autoDeref.get(e.id) ?? 0;
    return this.derefType(this.ty(e), n);
  }

  /** A Str argument borrowed for a runtime call: reads the place without retaining; temporaries are released after. */
  strArg(e: ast.Expr): { op: Operand; release: () => void } {
    const pl = this.asPlace(e);
    const n = this.body.autoDeref.get(e.id) ?? 0;
    if (pl) {
      let p = pl;
      for (let i = 0; i < n; i++) p = { local: p.local, proj: [...p.proj, { k: 'deref' }] };
      return { op: { k: 'copy', place: p }, release: () => {} };
    }
    if (e.kind === 'StrLit') return { op: { k: 'const', value: { k: 'str', value: e.value }, ty: T.str }, release: () => {} };
    const tmp = this.b.temp(T.str, e.span);
    this.exprInto(e, place(tmp));
    return { op: { k: 'copy', place: place(tmp) }, release: () => this.dropLocal(tmp, e.span) };
  }

  /** Arithmetic, bitwise and comparison of primitives, with the checks of LANGUAGE.md §3. */
  arith(op: ast.BinaryOp, l: Operand, r: Operand, t: Type, dest: Place, span: Span): void {
    const b = this.b;
    const checked = this.mono.opts.overflowChecks && t.k === 'int';
    if ((op === '+' || op === '-' || op === '*') && checked) {
      const pair = b.temp({ k: 'tuple', elems: [t, T.bool] }, span);
      b.assign(place(pair), { k: 'checked', op: op === '+' ? 'add' : op === '-' ? 'sub' : 'mul', left: l, right: r }, span);
      this.panicIf({ k: 'copy', place: place(pair, { k: 'field', index: 1 }) }, 'overflow', op === '+' ? 'add' : op === '-' ? 'subtract' : 'multiply', span);
      b.assign(dest, { k: 'use', op: { k: 'copy', place: place(pair, { k: 'field', index: 0 }) } }, span);
      return;
    }
    if ((op === '/' || op === '%') && t.k === 'int') {
      const lt = b.temp(t, span);
      const rt = b.temp(t, span);
      b.assign(place(lt), { k: 'use', op: l }, span);
      b.assign(place(rt), { k: 'use', op: r }, span);
      const z = b.temp(T.bool, span);
      b.assign(place(z), { k: 'binary', op: 'eq', left: { k: 'copy', place: place(rt) }, right: constInt(0, t) }, span);
      this.panicIf({ k: 'copy', place: place(z) }, 'cstr', 'attempt to divide by zero', span);
      if (t.signed) {
        // MIN / -1 overflows
        const min = -(1n << BigInt(t.bits - 1));
        const a = b.temp(T.bool, span);
        const c = b.temp(T.bool, span);
        b.assign(place(a), { k: 'binary', op: 'eq', left: { k: 'copy', place: place(lt) }, right: constInt(min, t) }, span);
        b.assign(place(c), { k: 'binary', op: 'eq', left: { k: 'copy', place: place(rt) }, right: constInt(-1, t) }, span);
        b.assign(place(a), { k: 'binary', op: 'and', left: { k: 'copy', place: place(a) }, right: { k: 'copy', place: place(c) } }, span);
        this.panicIf({ k: 'copy', place: place(a) }, 'cstr', op === '/' ? 'attempt to divide with overflow' : 'attempt to calculate the remainder with overflow', span);
      }
      b.assign(dest, { k: 'binary', op: op === '/' ? 'div' : 'rem', left: { k: 'copy', place: place(lt) }, right: { k: 'copy', place: place(rt) } }, span);
      return;
    }
    if ((op === '<<' || op === '>>') && this.mono.opts.overflowChecks && t.k === 'int') {
      const rt = b.temp(T.u64, span);
      b.assign(place(rt), { k: 'cast', operand: r, to: T.u64 }, span);
      const bad = b.temp(T.bool, span);
      b.assign(place(bad), { k: 'binary', op: 'ge', left: { k: 'copy', place: place(rt) }, right: constInt(t.bits, T.u64) }, span);
      this.panicIf({ k: 'copy', place: place(bad) }, 'overflow', op === '<<' ? 'shift left' : 'shift right', span);
      const cnt = b.temp(t, span);
      b.assign(place(cnt), { k: 'cast', operand: { k: 'copy', place: place(rt) }, to: t }, span);
      b.assign(dest, { k: 'binary', op: op === '<<' ? 'shl' : 'shr', left: l, right: { k: 'copy', place: place(cnt) } }, span);
      return;
    }
    if ((op === '<<' || op === '>>') && t.k === 'int') {
      const cnt = b.temp(t, span);
      b.assign(place(cnt), { k: 'cast', operand: r, to: t }, span);
      b.assign(dest, { k: 'binary', op: op === '<<' ? 'shl' : 'shr', left: l, right: { k: 'copy', place: place(cnt) } }, span);
      return;
    }
    b.assign(dest, { k: 'binary', op: binOp(op), left: l, right: r }, span);
  }

  /** if cond { panic } — overflow panics name the operation; cstr panics give the text. */
  panicIf(cond: Operand, kind: 'overflow' | 'cstr', text: string, span: Span): void {
    const bad = this.b.newBlock();
    const good = this.b.newBlock();
    this.b.branch(cond, bad, good, span);
    this.b.switchTo(bad);
    if (kind === 'overflow') this.b.call(null, { k: 'extern', symbol: 'tml_panic_overflow', ret: T.never }, [this.loc(span), this.cstr(text)], span, true);
    else this.b.call(null, { k: 'extern', symbol: 'tml_panic_cstr', ret: T.never }, [this.loc(span), this.cstr(text)], span, true);
    this.b.switchTo(good);
  }

  private opCallInto(e: Extract<ast.Expr, { kind: 'Binary' }>, call: CallRes, compare: string | null, dest: Place): void {
    const span = e.span;
    const l = this.refTo(e.left);
    const r = this.refTo(e.right);
    const sym = this.calleeSymbol(call);
    if (sym.k === 'builtin') {
      // a primitive reached through a generic bound: compare the values directly (Str through the runtime)
      const lt = this.operandType(e.left);
      const lp = { local: l.local, proj: [...l.proj, { k: 'deref' }] } as Place;
      const rp = { local: r.local, proj: [...r.proj, { k: 'deref' }] } as Place;
      if (lt.k === 'str') return this.strCompare(e.op, { k: 'copy', place: lp }, { k: 'copy', place: rp }, dest, span);
      this.arith(e.op, { k: 'copy', place: lp }, { k: 'copy', place: rp }, lt, dest, span);
      return;
    }
    if (compare === null) {
      // an operator of a `@flags` type: its method, both operands by reference (sema/flags.ts)
      this.b.call(dest, { k: 'fn', symbol: sym.symbol }, [{ k: 'copy', place: l }, { k: 'copy', place: r }], span);
      return;
    }
    if (compare === 'eq' || compare === 'ne') {
      const res = this.b.temp(T.bool, span);
      this.b.call(place(res), { k: 'fn', symbol: sym.symbol }, [{ k: 'copy', place: l }, { k: 'copy', place: r }], span);
      if (compare === 'eq') this.b.assign(dest, { k: 'use', op: { k: 'copy', place: place(res) } }, span);
      else this.b.assign(dest, { k: 'unary', op: 'not', operand: { k: 'copy', place: place(res) } }, span);
      return;
    }
    // Ord::cmp → Ordering (Less=0, Equal=1, Greater=2)
    const ord = this.b.temp({ k: 'adt', def: this.mono.checked.defs.langAdt('Ordering'), args: [] }, span);
    this.b.call(place(ord), { k: 'fn', symbol: sym.symbol }, [{ k: 'copy', place: l }, { k: 'copy', place: r }], span);
    const d = this.b.temp(T.i32, span);
    this.b.assign(place(d), { k: 'discriminant', place: place(ord) }, span);
    const cmpOp = ({ lt: ['eq', 0], le: ['ne', 2], gt: ['eq', 2], ge: ['ne', 0] } as const)[compare as 'lt'];
    this.b.assign(dest, { k: 'binary', op: cmpOp[0], left: { k: 'copy', place: place(d) }, right: constInt(cmpOp[1], T.i32) }, span);
  }

  derefAll(p: Place): Place {
    let t = this.placeType(p);
    while (t.k === 'ref') {
      p = { local: p.local, proj: [...p.proj, { k: 'deref' }] };
      t = t.inner;
    }
    return p;
  }

  /** A `ref` to the value of an expression (its place, or a statement temporary). */
  refTo(e: ast.Expr): Place {
    const p = this.placeOf(e);
    const t = this.placeType(p);
    if (t.k === 'ref') return p;
    const r = this.b.temp({ k: 'ref', mutable: false, inner: t }, e.span);
    this.b.assign(place(r), { k: 'ref', place: p, mutable: false, raw: false }, e.span);
    return place(r);
  }

  private unaryInto(e: Extract<ast.Expr, { kind: 'Unary' }>, dest: Place, t: Type): void {
    const span = e.span;
    switch (e.op) {
      case '-': {
        const c = this.constOperand(e, t);
        if (c) return this.b.assign(dest, { k: 'use', op: c }, span);
        const v = this.operand(e.operand);
        if (t.k === 'int' && this.mono.opts.overflowChecks) {
          const pair = this.b.temp({ k: 'tuple', elems: [t, T.bool] }, span);
          this.b.assign(place(pair), { k: 'checked', op: 'sub', left: constInt(0, t), right: v }, span);
          this.panicIf({ k: 'copy', place: place(pair, { k: 'field', index: 1 }) }, 'overflow', 'negate', span);
          this.b.assign(dest, { k: 'use', op: { k: 'copy', place: place(pair, { k: 'field', index: 0 }) } }, span);
          return;
        }
        this.b.assign(dest, { k: 'unary', op: 'neg', operand: v }, span);
        return;
      }
      case 'not':
      case '~': {
        const res = this.body.ops.get(e.id);
        if (res?.k === 'call') {
          // `~` of a `@flags` type: its `complement` method (sema/flags.ts)
          const sym = this.calleeSymbol(res.call);
          if (sym.k === 'builtin') throw new Error('internal: `~` of a flags type resolved to a builtin');
          this.b.call(dest, { k: 'fn', symbol: sym.symbol }, [{ k: 'copy', place: this.refTo(e.operand) }], span);
          return;
        }
        this.b.assign(dest, { k: 'unary', op: 'not', operand: this.operand(e.operand) }, span);
        return;
      }
      case 'ref':
      case 'mutref': {
        const p = this.placeOf(e.operand);
        this.b.assign(dest, { k: 'ref', place: p, mutable: e.op === 'mutref', raw: false }, span);
        return;
      }
      case '&': {
        const p = this.placeOf(e.operand);
        this.b.assign(dest, { k: 'ref', place: p, mutable: true, raw: true }, span);
        return;
      }
      case '*': {
        const p = this.asPlace(e)!;
        this.b.assign(dest, { k: 'use', op: this.readPlace(p, t, e) }, span);
        return;
      }
    }
  }

  private assignExpr(e: Extract<ast.Expr, { kind: 'Assign' }>): void {
    const span = e.span;
    const tt = this.ty(e.target);
    if (e.op === '=') {
      // the new value first, then drop the old one, then store (MEMORY.md §2 rule 3)
      const v = this.operand(e.value);
      const tmp = this.b.temp(tt, span);
      this.b.assign(place(tmp), { k: 'use', op: v }, span);
      const p = this.asPlace(e.target)!;
      const flag = this.ctorFlags ? ctorFieldFlag(this, e.target) : null;
      if (flag !== null) {
        if (this.needsDrop(tt)) {
          this.mono.glue.dropSymbol(tt);
          this.b.emit({ k: 'drop', place: p, flag, span });
        }
        this.b.assign(p, { k: 'use', op: moveOf(tmp) }, span);
        this.b.assign(place(flag), { k: 'use', op: constBool(true) }, span);
        return;
      }
      this.dropPlace(p, tt, span);
      this.b.assign(p, { k: 'use', op: moveOf(tmp) }, span);
      return;
    }
    const p = this.asPlace(e.target)!;
    const n = this.body.autoDeref.get(e.target.id) ?? 0;
    let pp = p;
    for (let i = 0; i < n; i++) pp = { local: pp.local, proj: [...pp.proj, { k: 'deref' }] };
    const vt = this.derefType(tt, n);
    const op = e.op.slice(0, -1) as ast.BinaryOp;
    if (vt.k === 'str') {
      const r = this.strArg(e.value);
      const tmp = this.b.temp(T.str, span);
      this.b.call(place(tmp), { k: 'extern', symbol: 'tml_str_concat', ret: T.str }, [{ k: 'copy', place: pp }, r.op], span);
      r.release();
      this.dropPlace(pp, T.str, span);
      this.b.assign(pp, { k: 'use', op: moveOf(tmp) }, span);
      return;
    }
    const flagsOp = this.body.ops.get(e.id);
    if (flagsOp?.k === 'call') {
      // `p |= x` on a `@flags` type: `p = p.bit_or(x)`, both operands by reference (sema/flags.ts)
      const sym = this.calleeSymbol(flagsOp.call);
      if (sym.k === 'builtin') throw new Error('internal: a compound assignment of a flags type resolved to a builtin');
      const r = this.refTo(e.value);
      const l = this.b.temp({ k: 'ref', mutable: false, inner: vt }, span);
      this.b.assign(place(l), { k: 'ref', place: pp, mutable: false, raw: false }, span);
      const res = this.b.temp(vt, span);
      this.b.call(place(res), { k: 'fn', symbol: sym.symbol }, [{ k: 'copy', place: place(l) }, { k: 'copy', place: r }], span);
      this.b.assign(pp, { k: 'use', op: moveOf(res) }, span);
      return;
    }
    const rv = this.operand(e.value);
    const tmp = this.b.temp(vt, span);
    this.arith(op, { k: 'copy', place: pp }, rv, vt, place(tmp), span);
    this.b.assign(pp, { k: 'use', op: moveOf(tmp) }, span);
  }

  // ---------- calls ----------

  calleeSymbol(c: CallRes): { k: 'fn'; symbol: string; fn: FuncDef } | { k: 'builtin'; name: string } {
    if (c.k === 'fn') return { k: 'fn', symbol: this.mono.request(c.fn, c.typeArgs.map((a) => this.sub(a))), fn: c.fn };
    if (c.k === 'behavior') {
      const self = this.sub(c.selfType);
      // a generic body checked in its own form: a method of a bound on a type parameter stays abstract
      if (this.mono.checkOnly && !isClosed(self)) {
        const m = c.behavior.def.methods.get(c.method) as FuncDef | undefined;
        if (m) return { k: 'fn', symbol: `${c.behavior.def.path}::${c.method}`, fn: m };
      }
      const r = resolveBehaviorMethod(this.mono.checked.defs, self, c.behavior.def, c.method);
      if (!r) throw new Error(`internal: no impl of ${c.behavior.def.name}::${c.method} for instance`);
      if (r.k === 'builtin') return { k: 'builtin', name: r.name };
      const own = c.methodArgs.map((a) => this.sub(a));
      const fnArgs = r.fn.typeParams.map((p, i) => r.subst.get(p.id) ?? own[i - (r.fn.typeParams.length - own.length)] ?? T.error);
      return { k: 'fn', symbol: this.mono.request(r.fn, fnArgs), fn: r.fn };
    }
    throw new Error(`internal: no symbol for call of kind ${c.k}`);
  }

  callInto(e: Extract<ast.Expr, { kind: 'Call' | 'MethodCall' }>, dest: Place): void {
    const res = this.body.calls.get(e.id);
    const span = e.span;
    if (!res) throw new Error('internal: unresolved call');
    switch (res.k) {
      case 'builtin':
        if (e.kind === 'Call') return lowerBuiltinCall(this, e, res, dest);
        return lowerBuiltinMethod(this, e, res, dest);
      case 'variant':
        this.b.assign(dest, { k: 'aggregate', kind: { k: 'variant', variant: res.index }, ops: e.args.map((a) => this.operand(a)) }, span);
        return;
      case 'closure': {
        const f = this.operand((e as Extract<ast.Expr, { kind: 'Call' }>).callee);
        const ft = this.ty((e as Extract<ast.Expr, { kind: 'Call' }>).callee);
        const ftmp = this.b.temp(ft, span);
        this.b.assign(place(ftmp), { k: 'use', op: f }, span);
        const args = e.args.map((a) => this.operand(a));
        this.b.call(dest, { k: 'closure', value: { k: 'copy', place: place(ftmp) } }, args, span);
        this.dropLocal(ftmp, span);
        return;
      }
      case 'dyn': {
        // dispatch through the vtable: the receiver is the fat pointer to the object
        const m = e as Extract<ast.Expr, { kind: 'MethodCall' }>;
        const obj = this.receiver(m.receiver, 'ref');
        const objT = this.b.temp({ k: 'ref', mutable: false, inner: this.derefType(this.ty(m.receiver), this.body.autoDeref.get(m.receiver.id) ?? 0) }, span);
        this.b.assign(place(objT), { k: 'use', op: obj }, span);
        const args = e.args.map((a) => this.operand(a));
        const slot = this.mono.vtableSlot(res.behavior.def, res.method);
        this.b.call(dest, { k: 'virtual', object: { k: 'copy', place: place(objT) }, slot, ret: this.ty(e) }, args, span);
        return;
      }
      case 'new':
      case 'virtual':
      case 'iface':
        return lowerClassCall(this, e, res, dest);
      case 'fn':
      case 'behavior': {
        const target = this.calleeSymbol(res);
        const args: Operand[] = [];
        if (e.kind === 'MethodCall') args.push(this.receiver(e.receiver, res.recv ?? 'none'));
        e.args.forEach((a, i) => {
          // `Class::method(x, …)`: x is the borrowed receiver
          if (i === 0 && e.kind === 'Call' && target.k === 'fn' && target.fn.receiver === 'borrow') args.push(this.receiver(a, 'borrow'));
          else args.push(this.operand(a));
        });
        if (target.k === 'builtin' && e.kind === 'Call') {
          // a primitive's static behavior method: `T::default()` with `T` a primitive, `I64::default()`
          if (target.name !== 'default') throw new Error(`internal: no built-in static method \`${target.name}\``);
          this.b.assign(dest, { k: 'use', op: defaultOf(this.ty(e)) }, span);
          return;
        }
        if (target.k === 'builtin') {
          // a primitive's behavior method reached through a bound (to_string, duplicate, …)
          const recvTy = this.ty((e as Extract<ast.Expr, { kind: 'MethodCall' }>).receiver);
          return lowerBuiltinMethod(this, e as Extract<ast.Expr, { kind: 'MethodCall' }>, { k: 'builtin', name: target.name, recv: res.recv, typeArgs: [] }, dest, recvTy);
        }
        if (target.fn.attrs.some((a) => a.name === 'track_caller')) args.push(this.callerSite(span, target.fn, res));
        const retTy = this.ty(e);
        // an external C function (`lowlevel func`, `@extern`) is called by its C symbol
        const callee = target.fn.externSymbol ? ({ k: 'extern', symbol: target.fn.externSymbol, ret: retTy } as const) : ({ k: 'fn', symbol: target.symbol } as const);
        this.b.call(dest, callee, args, span, retTy.k === 'never');
        return;
      }
    }
  }

  /** The receiver operand, adjusted (auto-ref, deref-copy) as the checker decided. */
  receiver(r: ast.Expr, adj: string): Operand {
    const span = r.span;
    const n = this.body.autoDeref.get(r.id) ?? 0;
    switch (adj) {
      case 'ref':
      case 'mutref': {
        const p = this.derefN(this.placeOf(r), n);
        const t = this.placeType(p);
        const tmp = this.b.temp({ k: 'ref', mutable: adj === 'mutref', inner: t }, span);
        this.b.assign(place(tmp), { k: 'ref', place: p, mutable: adj === 'mutref', raw: false, twoPhase: adj === 'mutref' }, span);
        return { k: 'move', place: place(tmp), span };
      }
      case 'borrow': {
        // an immutable variable (or a temporary) cannot change during the call; a `var` could, through a `mut ref`
        const pr = r.kind === 'Path' ? this.body.paths.get(r.id) : undefined;
        const computed = r.kind !== 'Path' && r.kind !== 'Field' && r.kind !== 'Index' && !(r.kind === 'Unary' && r.op === '*');
        // through a shared `ref`, the referent cannot change either (nobody holds a `mut ref` to it meanwhile)
        const rt = this.ty(r);
        const viaSharedRef = n === 1 && rt.k === 'ref' && !rt.mutable;
        const stable = (n === 0 || viaSharedRef) && (pr ? pr.k === 'local' && !pr.local.mutable && !this.captureField.has(pr.local.id) : computed);
        return this.borrowedReceiver(this.derefN(this.placeOf(r), n), span, stable);
      }
      case 'view':
        return this.arrayView(this.derefN(this.placeOf(r), n), span);
      default:
        // by value: the place after the automatic dereferences, read (copied, retained or moved)
        return this.operand(r);
    }
  }

  /** The `ArrayView[T]` of the array at `p` (stdlib/core/array.tml): `{ data: element 0, len: N }`. The element
   * pointer is made from a shared reference to the array, so the borrow checker sees the view, and whatever a
   * method makes from it (the iterator of `a.iter()`), holding that reference's loan on the array. */
  arrayView(p: Place, span: Span): Operand {
    const at = this.placeType(p);
    if (at.k !== 'array') throw new Error('internal: an array method on a value that is not an array');
    const r = this.b.temp({ k: 'ref', mutable: false, inner: at }, span);
    this.b.assign(place(r), { k: 'ref', place: p, mutable: false, raw: false }, span);
    const ptrTy: Type = { k: 'ptr', inner: at.elem };
    const data = this.b.temp(ptrTy, span);
    this.b.assign(place(data), { k: 'cast', operand: { k: 'copy', place: place(r) }, to: ptrTy }, span);
    const view = this.b.temp({ k: 'adt', def: this.mono.checked.defs.langAdt('ArrayView'), args: [at.elem] }, span);
    this.b.assign(place(view), { k: 'aggregate', kind: { k: 'struct' }, ops: [{ k: 'copy', place: place(data) }, constInt(at.size, T.i64)] }, span);
    return { k: 'copy', place: place(view), span };
  }

  /** A class reference passed without a retain: a local keeps its object alive for the call (it cannot be
   * reassigned meanwhile); any other place (a field, an element, a static) could be overwritten by the callee, so
   * the call gets its own retained copy, released at the end of the statement. */
  borrowedReceiver(p: Place, span: Span, stable: boolean): Operand {
    const t = this.placeType(p);
    if (stable) return { k: 'copy', place: p, span };
    const tmp = this.b.temp(t, span);
    this.b.assign(place(tmp), { k: 'use', op: { k: 'copy', place: p, span } }, span);
    this.mono.glue.retainSymbol(t);
    this.b.emit({ k: 'retain', place: place(tmp), span });
    this.scopes.temps().entries.push({ k: 'local', id: tmp });
    return { k: 'copy', place: place(tmp), span };
  }

  private tryInto(e: Extract<ast.Expr, { kind: 'Try' }>, dest: Place): void {
    const span = e.span;
    const kind = this.body.tries.get(e.id)!;
    const t = this.ty(e.operand);
    const tmp = this.b.temp(t, span);
    this.exprInto(e.operand, place(tmp));
    // Maybe: Just = 0, Nothing = 1; Outcome: Ok = 0, Err = 1
    const { first: ok, other: bad } = this.b.switchOnFirstVariant(place(tmp), span);
    this.b.switchTo(bad);
    if (kind === 'maybe') {
      this.b.assign(place(0), { k: 'aggregate', kind: { k: 'variant', variant: 1 }, ops: [] }, span);
    } else {
      const errTy = t.k === 'adt' ? variantFields(t, 1)[0]! : T.error;
      const v = this.readPlace(place(tmp, { k: 'variant', variant: 1, index: 0 }), errTy, null);
      this.b.assign(place(0), { k: 'aggregate', kind: { k: 'variant', variant: 1 }, ops: [v] }, span);
    }
    // the operand's remains (a moved-out payload is not dropped again: drop elaboration)
    this.dropLocal(tmp, span);
    this.exitScopes(this.closureBase, span);
    this.b.terminate({ k: 'return' }, span);
    this.b.switchTo(ok);
    const vt = t.k === 'adt' ? variantFields(t, 0)[0]! : T.error;
    this.b.assign(dest, { k: 'use', op: this.readPlace(place(tmp, { k: 'variant', variant: 0, index: 0 }), vt, null) }, span);
    // the rest of the temporary (its payload was copied or moved out) is no longer needed
    this.dropLocal(tmp, span);
  }

  // ---------- control flow ----------

  ifInto(cond: ast.Expr, then: ast.Expr, els: ast.Expr | null, dest: Place, span: Span): void {
    const close = this.ifOpen(cond, then, els !== null, dest, span);
    if (els) this.armInto(els, dest);
    close();
  }

  /** An `if` up to its `else` arm (lowered next, in the `else` block); returns what finishes it after that arm. */
  private ifOpen(cond: ast.Expr, then: ast.Expr, hasElse: boolean, dest: Place, span: Span): () => void {
    const c = this.withTemps(() => {
      const op = this.operand(cond);
      const ct = this.b.temp(T.bool, cond.span);
      this.b.assign(place(ct), { k: 'use', op }, cond.span);
      return ct;
    });
    const tb = this.b.newBlock();
    const eb = this.b.newBlock();
    const done = this.b.newBlock();
    this.b.branch({ k: 'copy', place: place(c) }, tb, eb, span);
    this.b.switchTo(tb);
    this.armInto(then, hasElse ? dest : null);
    this.b.goto(done);
    this.b.switchTo(eb);
    return () => {
      if (!hasElse) this.b.assign(dest, { k: 'use', op: unitOp }, span);
      this.b.goto(done);
      this.b.switchTo(done);
      if (!hasElse) this.b.assign(dest, { k: 'use', op: unitOp }, span);
    };
  }

  /**
   * An `if`/`if let` and its `else if` chain (syntax/chains.ts) in a loop: each link is opened in the `else` block of
   * the one before (inside the temporaries scope its `else` arm would have), then they are closed innermost first.
   */
  private ifChainInto(head: IfLinkExpr, dest: Place): void {
    const { links, last } = elseIfChain(head);
    const closers: (() => void)[] = [];
    let rest: ast.Expr | null = last;
    for (let i = 0; i < links.length; i++) {
      const e = links[i]!;
      if (i > 0) {
        // lowered as the previous link's `else` arm: armInto → withTemps → exprInto
        if (this.body.unsizes.has(e.id) || this.body.refCoercions.has(e.id)) {
          rest = e;
          break;
        }
        const s = this.scopes.push('temps');
        closers.push(() => {
          this.exitScope(s, { file: '', start: 0, end: 0 });
          this.scopes.pop();
        });
        if (this.b.isTerminated) {
          rest = null;
          break;
        }
      }
      closers.push(e.kind === 'If' ? this.ifOpen(e.cond, e.then, e.else !== null, dest, e.span) : this.ifLetOpen(e, dest));
    }
    if (rest) this.armInto(rest, dest);
    for (let i = closers.length - 1; i >= 0; i--) closers[i]!();
  }
  /** A branch body: its own temporaries scope; a Unit/Never branch result is discarded. */
  armInto(e: ast.Expr, dest: Place | null): void {
    if (dest === null) return this.stmtExpr(e);
    this.withTemps(() => this.exprInto(e, dest));
  }

  /** An `if let` up to its `else` arm (see ifOpen). */
  private ifLetOpen(e: Extract<ast.Expr, { kind: 'IfLet' }>, dest: Place): () => void {
    const span = e.span;
    this.scopes.push('temps');
    const depth = this.scopes.depth;
    const sp = this.placeOf(e.scrutinee);
    const st = this.ty(e.scrutinee);
    const tb = this.b.newBlock();
    const eb = this.b.newBlock();
    const done = this.b.newBlock();
    this.scopes.push('arm');
    matchAndBind(this, e.pattern, sp, st, this.asPlace(e.scrutinee) && st.k !== 'ref' ? 'move' : 'ref', tb, eb);
    this.b.switchTo(tb);
    this.armInto(e.then, e.else ? dest : null);
    this.exitScope(this.scopes.pop(), span);
    this.b.goto(done);
    this.b.switchTo(eb);
    return () => {
      this.b.goto(done);
      this.b.switchTo(done);
      if (!e.else) this.b.assign(dest, { k: 'use', op: unitOp }, span);
      this.exitScopes(depth - 1, span);
      this.scopes.pop();
    };
  }

  private whenInto(e: Extract<ast.Expr, { kind: 'When' }>, dest: Place): void {
    const span = e.span;
    const sp = this.placeOf(e.scrutinee);
    const st = this.ty(e.scrutinee);
    const done = this.b.newBlock();
    const resultTy = this.ty(e);
    const useDest = resultTy.k !== 'never';
    let next = this.b.newBlock();
    this.b.goto(next);
    for (const arm of e.arms) {
      this.b.switchTo(next);
      const body = this.b.newBlock();
      next = this.b.newBlock();
      const armScope = this.scopes.push('arm');
      matchAndBind(this, arm.pattern, sp, st, 'move', body, next);
      this.b.switchTo(body);
      if (arm.guard) {
        const g = this.withTemps(() => this.operand(arm.guard!));
        const pass = this.b.newBlock();
        const fail = this.b.newBlock();
        this.b.branch(g, pass, fail, arm.guard.span);
        this.b.switchTo(fail);
        // bindings of a failed guard are dropped; matching goes on with the next arm
        this.exitScope(armScope, span);
        this.b.goto(next);
        this.b.switchTo(pass);
      }
      this.armInto(arm.body, useDest ? dest : null);
      this.exitScope(this.scopes.pop(), span);
      this.b.goto(done);
    }
    this.b.switchTo(next);
    this.b.terminate({ k: 'unreachable' }, span);
    this.b.switchTo(done);
    if (!useDest) this.b.terminate({ k: 'unreachable' }, span);
  }

  private loopExpr(e: Extract<ast.Expr, { kind: 'Loop' | 'While' | 'For' }>): void {
    const span = e.span;
    const b = this.b;
    const head = b.newBlock();
    const bodyB = b.newBlock();
    const cont = b.newBlock();
    const exit = b.newBlock();
    this.scopes.push('block');
    const outer = this.scopes.depth;
    let step: (() => void) | null = null;
    if (e.kind === 'For') {
      const kind = this.body.forKinds.get(e.id);
      if (kind === 'range' || kind === 'range-inclusive') {
        const r = e.iter as Extract<ast.Expr, { kind: 'Range' }>;
        const it = this.ty(r.start);
        const i = b.temp(it, span);
        const end = b.temp(it, span);
        this.withTemps(() => {
          b.assign(place(i), { k: 'use', op: this.operand(r.start) }, span);
          b.assign(place(end), { k: 'use', op: this.operand(r.end) }, span);
        });
        b.loopHead(head, kind === 'range' ? 'lt' : 'le', { k: 'copy', place: place(i) }, { k: 'copy', place: place(end) }, bodyB, exit, span);
        const lv = this.patLocal(e.pattern);
        const x = lv ? this.declare(lv) : b.temp(it, span);
        b.assign(place(x), { k: 'use', op: { k: 'copy', place: place(i) } }, span);
        step = () => {
          if (kind === 'range-inclusive') {
            // stop after the last value without overflowing past MAX
            const last = b.temp(T.bool, span);
            b.assign(place(last), { k: 'binary', op: 'eq', left: { k: 'copy', place: place(i) }, right: { k: 'copy', place: place(end) } }, span);
            const more = b.newBlock();
            b.branch({ k: 'copy', place: place(last) }, exit, more, span);
            b.switchTo(more);
          }
          b.assign(place(i), { k: 'binary', op: 'add', left: { k: 'copy', place: place(i) }, right: constInt(1, it) }, span);
        };
      } else if (kind === 'array' || kind === 'list') {
        // consuming: the iterable moves into a holder; each iteration takes the next element (the index advances
        // first, so `break` leaves it at the first element not taken); on every exit the rest is dropped
        const srcT = this.ty(e.iter);
        const holder = b.temp(srcT, span);
        this.withTemps(() => b.assign(place(holder), { k: 'use', op: this.operand(e.iter) }, span));
        const listT = srcT.k === 'adt' && srcT.def.index ? srcT : null;
        const elemTy = listT ? (derefTarget(structFields(listT)[listT.def.index!.data]!.ty) ?? T.error) : srcT.k === 'array' ? srcT.elem : T.error;
        const n: Operand = listT ? { k: 'copy', place: place(holder, { k: 'field', index: listT.def.index!.len }) } : constInt(srcT.k === 'array' ? srcT.size : 0, T.i64);
        const i = b.temp(T.i64, span);
        b.assign(place(i), { k: 'use', op: constInt(0, T.i64) }, span);
        const elem = (idx: LocalId): Place => (listT ? this.rawElement(place(holder), listT, idx, span) : place(holder, { k: 'index', index: idx }));
        this.scopes.top().entries.push({
          k: 'emit',
          emit: () => {
            const j = b.temp(T.i64, span);
            b.assign(place(j), { k: 'use', op: { k: 'copy', place: place(i) } }, span);
            b.countedLoop(j, n, span, () => this.dropPlace(elem(j), elemTy, span));
            if (listT) b.call(null, { k: 'extern', symbol: 'tml_free', ret: T.unit }, [{ k: 'copy', place: place(holder, { k: 'field', index: listT.def.index!.data }) }, this.loc(span)], span);
          },
        });
        b.loopHead(head, 'lt', { k: 'copy', place: place(i) }, n, bodyB, exit, span);
        const tmp = b.temp(elemTy, span);
        b.assign(place(tmp), { k: 'use', op: { k: 'copy', place: elem(i) } }, span);
        b.assign(place(i), { k: 'binary', op: 'add', left: { k: 'copy', place: place(i) }, right: constInt(1, T.i64) }, span);
        this.scopes.top().entries.push({ k: 'local', id: tmp });
        bindPattern(this, e.pattern, place(tmp), elemTy, 'move');
      } else if (kind === 'iterator') {
        // any `Iterator`: the iterator moves into a holder the loop owns (dropped on every exit, so what it has not
        // yielded is dropped with it); each iteration calls `next` and moves the payload of `Just` out
        const srcT = this.ty(e.iter);
        const holder = b.temp(srcT, span);
        this.withTemps(() => b.assign(place(holder), { k: 'use', op: this.operand(e.iter) }, span));
        this.scopes.top().entries.push({ k: 'emit', emit: () => this.dropLocal(holder, span) });
        const itemTy = this.sub(this.body.patTypes.get(e.pattern.id) ?? T.error);
        const maybeT: Type = { k: 'adt', def: this.mono.checked.defs.langAdt('Maybe'), args: [itemTy] };
        b.goto(head);
        b.switchTo(head);
        const r = b.temp({ k: 'ref', mutable: true, inner: srcT }, span);
        b.assign(place(r), { k: 'ref', place: place(holder), mutable: true, raw: false }, span);
        const next = this.calleeSymbol(this.body.calls.get(e.id)!);
        if (next.k !== 'fn') throw new Error('internal: a built-in Iterator::next');
        const nx = b.temp(maybeT, span);
        b.call(place(nx), { k: 'fn', symbol: next.symbol }, [moveOf(r)], span);
        const d = b.temp(T.i32, span);
        b.assign(place(d), { k: 'discriminant', place: place(nx) }, span);
        b.terminate({ k: 'switch', discr: { k: 'copy', place: place(d) }, cases: [{ value: 0n, target: bodyB.id }], otherwise: exit.id }, span);
        b.switchTo(bodyB);
        const tmp = b.temp(itemTy, span);
        b.assign(place(tmp), { k: 'use', op: { k: 'move', place: { local: nx, proj: [{ k: 'variant', variant: 0, index: 0 }] } } }, span);
        this.scopes.top().entries.push({ k: 'local', id: tmp });
        bindPattern(this, e.pattern, place(tmp), itemTy, 'move');
      } else if (kind === 'map-ref') {
        // `for (k, v) in ref map`: the `Full(k, v)` entries of the map's entries list, in insertion order
        let mapP = this.placeOf(iteratedOperand(e.iter));
        let mt = this.placeType(mapP);
        while (mt.k === 'ref') {
          mapP = { local: mapP.local, proj: [...mapP.proj, { k: 'deref' }] };
          mt = mt.inner;
        }
        // iterating borrows the map: every access goes through this reference, live for the whole loop
        mapP = this.iterationBorrow(mapP, mt, span);
        const parts = mapParts(mt)!;
        const listT = parts.entries as Extract<Type, { k: 'adt' }>;
        const listP: Place = { local: mapP.local, proj: [...mapP.proj, { k: 'field', index: (mt as Extract<Type, { k: 'adt' }>).def.mapEntries! }] };
        const i = b.temp(T.i64, span);
        b.assign(place(i), { k: 'use', op: constInt(0, T.i64) }, span);
        b.loopHead(head, 'lt', { k: 'copy', place: place(i) }, { k: 'copy', place: { local: listP.local, proj: [...listP.proj, { k: 'field', index: listT.def.index!.len }] } }, bodyB, exit, span);
        const entry = this.rawElement(listP, listT, i, span);
        const d = b.temp(T.i32, span);
        b.assign(place(d), { k: 'discriminant', place: entry }, span);
        const full = b.newBlock();
        // a removed entry: straight on to the next one
        b.terminate({ k: 'switch', discr: { k: 'copy', place: place(d) }, cases: [{ value: 0n, target: full.id }], otherwise: cont.id }, span);
        b.switchTo(full);
        const tupleTy = this.sub(this.body.patTypes.get(e.pattern.id) ?? T.error) as Extract<Type, { k: 'tuple' }>;
        const ops = [parts.key, parts.value].map((pt, j) => {
          const fp: Place = { local: entry.local, proj: [...entry.proj, { k: 'variant', variant: 0, index: j }] };
          const want = tupleTy.elems[j]!;
          if (want.k === 'ref') {
            const r = b.temp(want, span);
            b.assign(place(r), { k: 'ref', place: fp, mutable: false, raw: false }, span);
            return moveOf(r);
          }
          return this.readPlace(fp, pt, null);
        });
        const tmp = b.temp(tupleTy, span);
        b.assign(place(tmp), { k: 'aggregate', kind: { k: 'tuple' }, ops }, span);
        this.scopes.top().entries.push({ k: 'local', id: tmp });
        bindPattern(this, e.pattern, place(tmp), tupleTy, 'move');
        step = () => b.assign(place(i), { k: 'binary', op: 'add', left: { k: 'copy', place: place(i) }, right: constInt(1, T.i64) }, span);
      } else {
        // arrays and lists by reference: `ref c`, or a reference `r` to the collection (`r`, `ref r`: as `ref *r`)
        // a temporary iterable lives until the end of the statement holding the loop, not just its own evaluation
        let arrP = this.placeOf(iteratedOperand(e.iter));
        let at = this.placeType(arrP);
        while (at.k === 'ref') {
          arrP = { local: arrP.local, proj: [...arrP.proj, { k: 'deref' }] };
          at = at.inner;
        }
        // (a list's borrow is placed at the iterable, as the `ref list` temporary it replaces was; an array's at the loop)
        arrP = this.iterationBorrow(arrP, at, kind === 'list-ref' ? e.iter.span : span);
        const isList = kind === 'list-ref' && at.k === 'adt';
        const n: Operand = isList
          ? { k: 'copy', place: { local: arrP.local, proj: [...arrP.proj, { k: 'field', index: (at as Extract<Type, { k: 'adt' }>).def.index!.len }] } }
          : constInt(at.k === 'array' ? at.size : 0, T.i64);
        const elemTy = at.k === 'array' ? at.elem : isList ? ((derefTarget(structFields(at as Extract<Type, { k: 'adt' }>)[(at as Extract<Type, { k: 'adt' }>).def.index!.data]!.ty) ?? T.error)) : T.error;
        const i = b.temp(T.i64, span);
        b.assign(place(i), { k: 'use', op: constInt(0, T.i64) }, span);
        b.loopHead(head, 'lt', { k: 'copy', place: place(i) }, n, bodyB, exit, span);
        const elemP: Place = isList ? this.elementPlace(arrP, at as Extract<Type, { k: 'adt' }>, i, span) : { local: arrP.local, proj: [...arrP.proj, { k: 'index', index: i }] };
        const pt = this.sub(this.body.patTypes.get(e.pattern.id) ?? elemTy);
        const lv = e.pattern.kind === 'IdentPat' && !e.pattern.mutable ? this.body.bindings.get(e.pattern.id) : undefined;
        if (lv && this.cls(pt) === 'shared') {
          // a runtime-managed element of a borrowed collection: the binding is a copy without a retain (and nothing
          // releases it), since the collection keeps the element alive for the whole loop; a use that keeps the
          // value (a copy into another place) retains as usual
          const id = this.declare(lv);
          b.assign(place(id), { k: 'use', op: { k: 'copy', place: elemP } }, span);
        } else {
          const tmp = b.temp(pt, span);
          if (pt.k === 'ref') b.assign(place(tmp), { k: 'ref', place: elemP, mutable: false, raw: false }, span);
          else b.assign(place(tmp), { k: 'use', op: this.readPlace(elemP, elemTy, null) }, span);
          this.scopes.top().entries.push({ k: 'local', id: tmp });
          bindPattern(this, e.pattern, place(tmp), pt, 'move');
        }
        step = () => b.assign(place(i), { k: 'binary', op: 'add', left: { k: 'copy', place: place(i) }, right: constInt(1, T.i64) }, span);
      }
    } else {
      if (e.kind === 'Loop' && e.decl) {
        const lv = this.body.loopDecls.get(e.id)!;
        const id = this.declare(lv);
        b.assign(place(id), { k: 'use', op: constInt(0, this.sub(lv.ty)) }, span);
      }
      b.goto(head);
      b.switchTo(head);
      const cond = e.kind === 'While' ? e.cond : e.cond;
      if (cond) {
        const c = this.withTemps(() => {
          const op = this.operand(cond);
          const ct = b.temp(T.bool, span);
          b.assign(place(ct), { k: 'use', op }, span);
          return ct;
        });
        b.branch({ k: 'copy', place: place(c) }, bodyB, exit, span);
      } else b.goto(bodyB);
      b.switchTo(bodyB);
    }
    // each iteration is its own scope: its locals are dropped before the next one
    const iterScope = this.scopes.push('loop', { breakBlock: exit.id, continueBlock: cont.id, loopId: e.id });
    void outer;
    this.blockInto(e.body, null);
    this.exitScope(iterScope, span);
    this.scopes.pop();
    b.goto(cont);
    b.switchTo(cont);
    // the per-iteration element binding (for arrays) lives in the enclosing block scope: drop it each iteration
    const blockScope = this.scopes.top();
    for (let j = blockScope.entries.length - 1; j >= 0; j--) {
      const en = blockScope.entries[j]!;
      if (en.k === 'local') this.dropLocal(en.id, span);
    }
    const kept = blockScope.entries.filter((en) => en.k === 'emit');
    blockScope.entries.length = 0;
    blockScope.entries.push(...kept);
    if (step) step();
    b.goto(head);
    this.scopes.pop();
    b.switchTo(exit);
    // what the loop has not consumed (normal end or `break`)
    for (const en of kept) if (en.k === 'emit') en.emit();
  }

  private patLocal(p: ast.Pattern): LocalVar | null {
    return p.kind === 'IdentPat' ? (this.body.bindings.get(p.id) ?? null) : null;
  }

  // ---------- aggregates and closures ----------

  private structLitInto(e: Extract<ast.Expr, { kind: 'StructLit' }>, dest: Place): void {
    const span = e.span;
    const info = this.body.structLits.get(e.id)!;
    const ty = this.sub(info.ty) as Extract<Type, { k: 'adt' }>;
    const fields = info.variant === null ? ty.def.fields : ty.def.variants[info.variant]!.fields;
    // evaluate written fields in source order, then fill the rest from the base or defaults
    const vals = new Map<string, Operand>();
    const fieldTys = info.variant === null ? structFields(ty).map((f) => f.ty) : variantFields(ty, info.variant);
    for (const f of e.fields) {
      const op = this.operand(f.value);
      // the field's own type: the value may have been upcast to it (`Pen { a: Dog::new(…) }`)
      const i = fields.findIndex((x) => x.name === f.name);
      const ft = i >= 0 ? fieldTys[i]! : this.ty(f.value);
      const tmp = this.b.temp(ft, f.span);
      this.b.assign(place(tmp), { k: 'use', op }, f.span);
      if (this.needsDrop(ft)) this.scopes.temps().entries.push({ k: 'local', id: tmp });
      vals.set(f.name, moveOf(tmp));
    }
    if (ty.def.kind === 'union') {
      // a union literal writes its one field (sema checked there is exactly one)
      const i = fields.findIndex((x) => x.name === e.fields[0]!.name);
      this.b.assign(dest, { k: 'aggregate', kind: { k: 'union', field: i }, ops: [vals.get(e.fields[0]!.name)!] }, span);
      return;
    }
    let baseP: Place | null = null;
    if (e.base) baseP = this.placeOf(e.base);
    const ops = fields.map((f, i) => {
      const v = vals.get(f.name);
      if (v) return v;
      if (baseP) return this.readPlace({ local: baseP.local, proj: [...baseP.proj, { k: 'field', index: i }] }, fieldTys[i]!, null);
      return this.defaultField(ty, f.name, fieldTys[i]!, span);
    });
    if (isClass(ty)) {
      // a class literal: a new object, its fields set in declaration order
      const obj = this.mono.classes.allocObject(this.b, ty, span);
      ops.forEach((op, i) => this.b.assign(place(obj, { k: 'deref' }, { k: 'field', index: i + 2 }), { k: 'use', op }, span));
      this.b.assign(dest, { k: 'use', op: moveOf(obj) }, span);
      return;
    }
    this.b.assign(dest, { k: 'aggregate', kind: info.variant === null ? { k: 'struct' } : { k: 'variant', variant: info.variant }, ops }, span);
  }

  /** A field's default value: a call of its value function (instantiated for the struct's type arguments). */
  defaultField(ty: Extract<Type, { k: 'adt' }>, name: string, ft: Type, span: Span): Operand {
    const f = ty.def.fields.find((x) => x.name === name);
    const fn = f?.defaultFn as FuncDef | undefined;
    if (!fn) throw new Error(`internal: field ${name} of ${ty.def.name} has no default`);
    const tmp = this.b.temp(ft, span);
    this.b.call(place(tmp), { k: 'fn', symbol: this.mono.request(fn, ty.args) }, [], span);
    if (this.needsDrop(ft)) this.scopes.temps().entries.push({ k: 'local', id: tmp });
    return moveOf(tmp);
  }

  private closureInto(e: Extract<ast.Expr, { kind: 'Closure' }>, dest: Place): void {
    const span = e.span;
    const ft = this.ty(e) as Extract<Type, { k: 'func' }>;
    const caps = this.body.captures.get(e.id) ?? [];
    const capTys = caps.map((c) => this.sub(c.ty));
    const envTy: Type = { k: 'tuple', elems: [T.i64, { k: 'ptr', inner: T.u8 }, ...capTys] };
    const sym = this.mono.closureSymbol(this.symbol);
    // the closure body: (env: *Env, params…) -> ret
    const inner = new FnLowerer(this.mono, this.fn, this.body, this.subst, sym, ft.ret);
    inner.callerLoc = null;
    const envL = inner.b.newLocal({ k: 'ptr', inner: envTy }, 'env', 'arg', null);
    inner.envLocal = envL;
    caps.forEach((c, i) => inner.captureField.set(c.id, i + 2));
    // captured variables of an enclosing closure are reached through this closure's own environment
    const fnScope = inner.scopes.push('fn');
    const paramLocals = e.params.map((p, i) => {
      const pt = ft.params[i]!;
      const id = inner.b.newLocal(pt, p.pattern.kind === 'IdentPat' ? p.pattern.name : null, 'arg', p.span);
      return id;
    });
    e.params.forEach((p, i) => {
      if (p.pattern.kind === 'IdentPat' && this.body.bindings.has(p.pattern.id)) inner.localOf.set(this.body.bindings.get(p.pattern.id)!.id, paramLocals[i]!);
      inner.own(paramLocals[i]!, fnScope);
    });
    inner.withTemps(() => inner.exprInto(e.body, place(0)));
    inner.exitScopes(0, span);
    inner.b.terminate({ k: 'return' }, span);
    inner.scopes.pop();
    this.extra.push(inner.b.finish(sym, `closure in ${this.fn.name}`, 'closure', paramLocals.length + 1, span, false), ...inner.extra);
    // environment drop glue: drops the captures; none when no capture needs dropping (the runtime skips a null one)
    let envDrop: string | null = null;
    if (capTys.some((ct) => this.needsDrop(ct))) {
      envDrop = `${sym}$envdrop`;
      const g = new FnBuilder(T.unit, span);
      const p = g.newLocal({ k: 'ptr', inner: envTy }, 'env', 'arg', null);
      capTys.forEach((ct, i) => {
        if (this.needsDrop(ct)) {
          this.mono.glue.dropSymbol(ct);
          g.emit({ k: 'drop', place: place(p, { k: 'deref' }, { k: 'field', index: i + 2 }), flag: null, span });
        }
      });
      this.extra.push(g.finish(envDrop, `drop captures of ${sym}`, 'drop-glue', 1, span, false));
    }
    const ops = caps.map((c) => this.readPlace(this.localPlace(c), this.sub(c.ty), null));
    this.b.assign(dest, { k: 'aggregate', kind: { k: 'closure', fn: sym, envTy, envDrop }, ops }, span);
  }

  newBlock(): BasicBlock {
    return this.b.newBlock();
  }
}

export function binOp(op: string): 'add' | 'sub' | 'mul' | 'div' | 'rem' | 'and' | 'or' | 'xor' | 'shl' | 'shr' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' {
  switch (op) {
    case '+':
      return 'add';
    case '-':
      return 'sub';
    case '*':
      return 'mul';
    case '/':
      return 'div';
    case '%':
      return 'rem';
    case '&':
      return 'and';
    case '|':
      return 'or';
    case '^':
      return 'xor';
    case '<<':
      return 'shl';
    case '>>':
      return 'shr';
    case '==':
      return 'eq';
    case '!=':
      return 'ne';
    case '<':
      return 'lt';
    case '<=':
      return 'le';
    case '>':
      return 'gt';
    case '>=':
      return 'ge';
  }
  throw new Error(`internal: operator ${op}`);
}

/** What a by-reference `for` loop iterates: `c` of `ref c`, otherwise the iterable itself (a reference to it). */
function iteratedOperand(iter: ast.Expr): ast.Expr {
  return iter.kind === 'Unary' && iter.op === 'ref' ? iter.operand : iter;
}

/** A primitive's `Default` value: zero, `false`, `'\\0'`, `""`, `()`. */
function defaultOf(t: Type): Operand {
  switch (t.k) {
    case 'int':
      return constInt(0, t);
    case 'float':
      return { k: 'const', value: { k: 'float', value: 0 }, ty: t };
    case 'bool':
      return constBool(false);
    case 'char':
      return { k: 'const', value: { k: 'char', value: 0 }, ty: T.char };
    case 'str':
      return { k: 'const', value: { k: 'str', value: '' }, ty: T.str };
    case 'unit':
      return unitOp;
    default:
      throw new Error(`internal: no built-in default for ${typeToString(t)}`);
  }
}
