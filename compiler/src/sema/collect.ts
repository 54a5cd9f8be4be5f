// Collecting items into definitions: module scopes, ADTs, behaviors, functions, impls and consts, with their
// signatures resolved. Bodies are checked later (check_body.ts).
import * as ast from '../syntax/ast.js';
import { hasBody, newId } from '../syntax/ast.js';
import type { DiagnosticBag } from '../syntax/diagnostics.js';
import type { Span } from '../syntax/source.js';
import { checkAttributes } from './attributes.js';
import { checkDerived, expandDerives, type DerivedImpl } from './derive.js';
import { ProgramDefs, type Binding, type Bound, type ConstDef, type FuncDef, type ImplDef, type ModuleScope, type Receiver } from './defs.js';
import type { LoadedModule, ModuleLoader } from './modules.js';
import { PRELUDE } from './modules.js';
import { assocTypesOf, resolveBound, resolveType, type TypeScope } from './resolve_type.js';
import { declaredAdt, mangleType, newParam, T, typeEquals, typeToString, type AdtDef, type BehaviorDef, type ParamType, type Type } from './types.js';
import { BUILTIN_FUNCTIONS } from './builtins.js';
import { classify } from './ownership.js';
import { sendRuleOf } from './send.js';
import { ClassDefiner, declareClass, declareInterface, defineInterface, type CollectorHooks } from './collect_classes.js';
import { isVisible, reportPrivate } from './visibility.js';

export class Collector implements CollectorHooks {
  readonly defs = new ProgramDefs();
  private readonly classes = new Map<AdtDef, { scope: ModuleScope; item: Extract<ast.Item, { kind: 'Class' }> }>();
  private pendingUses: { scope: ModuleScope; item: Extract<ast.Item, { kind: 'Use' }>; mod: LoadedModule }[] = [];
  /** `@deref`/`@index` are resolved once every struct's fields are known */
  private pendingAttrs: { def: AdtDef; attrs: ast.Attribute[] }[] = [];
  /** the impls `@derive` generated (sema/derive.ts), by their item */
  private readonly derived = new Map<ast.Item, DerivedImpl>();

  constructor(
    private readonly loader: ModuleLoader,
    readonly diags: DiagnosticBag,
  ) {}

  collect(): ProgramDefs {
    // declare names in every module, loading `use`d modules as they are found
    const seen = new Set<string>();
    let progress = true;
    while (progress) {
      progress = false;
      for (const mod of [...this.loader.modules.values()]) {
        if (seen.has(mod.name)) continue;
        seen.add(mod.name);
        progress = true;
        this.declareModule(mod);
      }
    }
    this.defs.prelude = this.defs.modules.get(PRELUDE) ?? null;
    for (const u of this.pendingUses) this.resolveUse(u.scope, u.item, u.mod);
    // after the uses: the prelude re-exports library modules (Task comes from core::task)
    for (const name of ['Maybe', 'Outcome', 'Ordering', 'Display', 'Debug', 'Eq', 'Ord', 'Duplicate', 'Drop', 'Default', 'Hash', 'Task', 'Future', 'TryFromIntError', 'Iterator', 'Range', 'ArrayView']) {
      const b = this.defs.prelude?.names.get(name);
      if (b?.k === 'adt') this.defs.lang.set(name, b.def);
      if (b?.k === 'behavior') this.defs.lang.set(name, b.def);
    }
    // behaviors first: an impl in one module checks its methods against a behavior of another (core::iter's
    // Iterator implemented in a program or in core::collections)
    for (const mod of this.defs.modules.values()) for (const item of mod.ast.items) if (item.kind === 'Behavior') this.defineItem(mod, item);
    for (const mod of this.defs.modules.values()) for (const item of mod.ast.items) if (item.kind !== 'Behavior') this.defineItem(mod, item);
    new ClassDefiner(this, this.classes).defineAll();
    this.checkUnionFields();
    for (const p of this.pendingAttrs) this.libraryAttrs(p.def, p.attrs);
    checkDerived(this.defs, this.derived, this.diags);
    this.checkOverlaps();
    this.defs.complete = true;
    return this.defs;
  }

  /** Two impls for the same type: a behavior implemented twice (E0119), or one method name in two inherent impls
   * (E0592) — either would give two functions one symbol and leave which one a call reaches to chance. Impls with
   * type parameters are compared only when both have none of them (a known limitation: `impl[T] B for Box[T]` and
   * `impl B for Box[I32]` are not reported). */
  private checkOverlaps(): void {
    const closed = this.defs.impls.filter((i) => i.typeParams.length === 0 && i.decl !== null && i.target.k !== 'error');
    closed.forEach((a, n) => {
      for (const b of closed.slice(0, n)) {
        if (!typeEquals(a.target, b.target)) continue;
        if (a.behavior && b.behavior && a.behavior.def === b.behavior.def && a.behavior.args.every((x, i) => typeEquals(x, b.behavior!.args[i]!))) {
          this.diags.error('E0119', `conflicting implementations of \`${a.behavior.def.name}\` for \`${typeToString(a.target)}\``, a.span, {
            secondary: [{ span: b.span, message: 'first implementation here' }],
          });
          return;
        }
        if (a.behavior || b.behavior) continue;
        for (const [name, fn] of a.methods) {
          const other = b.methods.get(name);
          if (other) this.diags.error('E0592', `duplicate definitions with name \`${name}\``, fn.span, { label: `duplicate definitions for \`${name}\``, secondary: [{ span: other.span, message: `other definition for \`${name}\`` }] });
        }
        // associated constants share the names of the type's items: `impl I32 { const MAX: I32 = 5 }` in a program
        // clashes with the library's `I32::MAX`
        for (const [name, c] of a.consts) {
          const other = b.consts.get(name)?.decl.nameSpan ?? b.methods.get(name)?.span;
          if (!other) continue;
          // reported at the program's definition when the other one is the library's
          const [here, there] = a.module.isStd && !b.module.isStd ? [other, c.decl.nameSpan] : [c.decl.nameSpan, other];
          this.diags.error('E0592', `duplicate definitions with name \`${name}\``, here, { label: `duplicate definitions for \`${name}\``, secondary: [{ span: there, message: `other definition for \`${name}\`` }] });
        }
        for (const [name, fn] of a.methods) {
          const other = b.consts.get(name);
          if (other) this.diags.error('E0592', `duplicate definitions with name \`${name}\``, fn.span, { label: `duplicate definitions for \`${name}\``, secondary: [{ span: other.decl.nameSpan, message: `other definition for \`${name}\`` }] });
        }
      }
    });
  }

  // ---------- pass 1: names ----------

  private declareModule(mod: LoadedModule): void {
    const ast = expandDerives(mod.ast, this.diags, this.derived);
    const scope: ModuleScope = { path: mod.name, file: mod.file, names: new Map(), variants: new Map(), ast, isStd: mod.isStd, exported: new Set() };
    this.defs.modules.set(mod.name, scope);
    for (const item of mod.ast.items) this.declareItem(scope, item, mod);
    checkAttributes(mod.ast.items, this.diags);
  }

  private bindName(scope: ModuleScope, name: string, b: Binding, span: Span): void {
    if (scope.names.has(name)) {
      this.diags.error('E0428', `the name \`${name}\` is defined multiple times`, span, { label: `\`${name}\` redefined here` });
      return;
    }
    scope.names.set(name, b);
  }

  private declareItem(scope: ModuleScope, item: ast.Item, mod: LoadedModule): void {
    if (item.kind !== 'Use' && 'isPub' in item && item.isPub && 'name' in item) scope.exported.add(item.name);
    switch (item.kind) {
      case 'Struct':
      case 'Enum':
      case 'Union': {
        const params = 'typeParams' in item ? item.typeParams.map((p) => newParam(p.name)) : [];
        const kind = item.kind === 'Struct' ? 'struct' : item.kind === 'Enum' ? 'enum' : 'union';
        const def = declaredAdt(kind, scope.path, item.name, item.nameSpan, params, item.attrs.map((a) => a.name), item.id);
        this.sendAttrs(def, item.attrs, scope);
        this.defs.adts.push(def);
        this.bindName(scope, item.name, { k: 'adt', def }, item.nameSpan);
        if (item.kind === 'Enum') {
          item.variants.forEach((v, index) => {
            const list = scope.variants.get(v.name) ?? [];
            list.push({ adt: def, index });
            scope.variants.set(v.name, list);
          });
        }
        return;
      }
      case 'Behavior': {
        const def: BehaviorDef = {
          name: item.name,
          path: `${scope.path}::${item.name}`,
          params: item.typeParams.map((p) => newParam(p.name)),
          assocTypes: item.assocTypes.map((a) => a.name),
          supers: [],
          span: item.nameSpan,
          methods: new Map(),
        };
        this.defs.behaviors.push(def);
        this.bindName(scope, item.name, { k: 'behavior', def }, item.nameSpan);
        return;
      }
      case 'Func': {
        if (scope.names.has(item.name)) {
          // reported once; the duplicate is not checked (its signature is never resolved)
          this.bindName(scope, item.name, { k: 'type', ty: T.error }, item.nameSpan);
          return;
        }
        const fn = this.makeFunc(item, scope, [], null, null, null);
        this.requireBody(fn);
        this.bindName(scope, item.name, { k: 'fn', def: fn }, item.nameSpan);
        return;
      }
      case 'Const':
        this.bindName(scope, item.name, { k: 'const', def: { name: item.name, decl: item, ty: T.error, module: scope, fn: null } }, item.nameSpan);
        return;
      case 'TypeAlias':
        this.bindName(scope, item.name, { k: 'alias', params: item.typeParams.map((p) => newParam(p.name)), ty: T.error, decl: item.type }, item.nameSpan);
        return;
      case 'Use':
        this.loadUse(scope, item, mod);
        return;
      case 'Class': {
        const def = declareClass(scope, item, item.typeParams.map((p) => newParam(p.name)));
        this.sendAttrs(def, item.attrs, scope);
        this.defs.adts.push(def);
        this.classes.set(def, { scope, item });
        this.bindName(scope, item.name, { k: 'adt', def }, item.nameSpan);
        return;
      }
      case 'Interface': {
        const def = declareInterface(scope, item, item.typeParams.map((p) => newParam(p.name)));
        this.defs.adts.push(def);
        this.bindName(scope, item.name, { k: 'adt', def }, item.nameSpan);
        return;
      }
      case 'Mod':
      case 'Impl':
        return;
    }
  }

  private loadUse(scope: ModuleScope, item: Extract<ast.Item, { kind: 'Use' }>, mod: LoadedModule): void {
    // load the longest prefix of the path that names a module file, so its items can be resolved later
    const segs = item.path;
    for (let n = segs.length; n >= 1; n--) {
      if (this.loader.resolveModule(segs.slice(0, n), mod.file, mod.isStd)) break;
    }
    this.pendingUses.push({ scope, item, mod });
  }

  private resolveUse(scope: ModuleScope, item: Extract<ast.Item, { kind: 'Use' }>, mod: LoadedModule): void {
    const segs = item.path;
    // `use a::b` where a::b is a module; `use a::b::X` where a::b is a module and X an item in it
    for (let n = segs.length; n >= 1; n--) {
      const modName = this.loader.resolveModule(segs.slice(0, n), mod.file, mod.isStd);
      if (!modName) continue;
      const target = this.defs.modules.get(modName);
      if (!target) continue;
      const rest = segs.slice(n);
      if (rest.length === 0) {
        this.importModule(scope, target, item, segs[segs.length - 1]!);
        return;
      }
      if (rest.length === 1) {
        this.importItems(scope, target, rest[0]!, item);
        return;
      }
    }
    // `use core::alloc::heap::Heap`, `use std::…`: library names that live in the prelude
    if (segs[0] === 'core' || segs[0] === 'std') {
      const prelude = this.defs.modules.get(PRELUDE);
      if (prelude) {
        if (item.items === 'glob') return; // the prelude is visible everywhere already
        const names = item.items ? item.items.map((i) => i.name) : [segs[segs.length - 1]!];
        // built-in functions are visible everywhere: `use core::intrinsics::{size_of, type_name}` names them
        const missing = names.filter((n) => !prelude.names.has(n) && !BUILTIN_TYPE_NAMES.has(n) && !BUILTIN_FUNCTIONS.has(n));
        if (missing.length === 0 || item.items === null) return;
        for (const m of missing) this.diags.error('E0432', `unresolved import \`${segs.join('::')}::${m}\``, item.span, { label: 'no such item in the library' });
        return;
      }
    }
    this.diags.error('E0432', `unresolved import \`${segs.join('::')}\``, item.span, {
      label: 'no module file found',
      notes: [`looked for \`${segs.join('/')}.tml\` next to the importing file and in the standard library`],
    });
  }

  private importModule(scope: ModuleScope, target: ModuleScope, item: Extract<ast.Item, { kind: 'Use' }>, name: string): void {
    if (item.items === 'glob') return this.importAll(scope, target, item.isPub);
    if (Array.isArray(item.items)) {
      for (const u of item.items) this.importOne(scope, target, u.name, u.alias ?? u.name, u.span, item.isPub);
      return;
    }
    scope.names.set(name, { k: 'module', scope: target });
    if (item.isPub) scope.exported.add(name);
    // `use test` brings the test helpers into scope unqualified (LANGUAGE.md §6)
    if (target.path === 'test') this.importAll(scope, target, false);
  }

  private importItems(scope: ModuleScope, target: ModuleScope, last: string, item: Extract<ast.Item, { kind: 'Use' }>): void {
    const sub = target.names.get(last);
    if (sub?.k === 'module') return this.importModule(scope, sub.scope, item, last);
    if (item.items === 'glob' || Array.isArray(item.items)) {
      this.diags.error('E0432', `unresolved import \`${item.path.join('::')}\``, item.span, { label: 'not a module' });
      return;
    }
    this.importOne(scope, target, last, last, item.span, item.isPub);
  }

  /** `use m::*`: what `m` lets this module see (sema/visibility.ts) */
  private importAll(scope: ModuleScope, target: ModuleScope, pub: boolean): void {
    for (const [n, b] of target.names) {
      if (scope.names.has(n) || b.k === 'module' || !isVisible(target, n, scope)) continue;
      scope.names.set(n, b);
      if (pub) scope.exported.add(n);
    }
    for (const [n, v] of target.variants) if (!scope.variants.has(n)) scope.variants.set(n, v);
  }

  private importOne(scope: ModuleScope, target: ModuleScope, name: string, alias: string, span: Span, pub: boolean): void {
    const b = target.names.get(name);
    if (b && !isVisible(target, name, scope)) reportPrivate(this.diags, target, name, b, span);
    // `use test::{assert, assert_eq}` (the reference's test files): built-ins, in scope everywhere already
    if (!b && target.path === 'test' && TEST_BUILTINS.has(name)) {
      if (alias !== name) {
        this.diags.error('E0777', `the built-in \`${name}\` cannot be imported as \`${alias}\``, span, {
          label: 'renamed here',
          notes: [`\`${name}\` is built in and visible everywhere under its own name: import it as \`use test::{${name}}\``],
        });
      }
      return;
    }
    if (!b) {
      this.diags.error('E0432', `unresolved import: \`${name}\` is not defined in \`${target.path}\``, span);
      return;
    }
    scope.names.set(alias, b);
    if (pub) scope.exported.add(alias);
    if (b.k === 'adt' && b.def.kind === 'enum') {
      for (const [n, v] of target.variants) if (v.some((x) => x.adt === b.def)) scope.variants.set(n, v);
    }
  }

  // ---------- pass 2: signatures ----------

  typeScope(scope: ModuleScope, params: ParamType[], selfType: Type | null): TypeScope {
    return { module: scope, params: new Map(params.map((p) => [p.name, p])), selfType, defs: this.defs };
  }

  private defineItem(scope: ModuleScope, item: ast.Item): void {
    switch (item.kind) {
      case 'Struct':
      case 'Union': {
        const b = scope.names.get(item.name);
        if (b?.k !== 'adt' || b.def.nodeId !== item.id) return;
        const ts = this.typeScope(scope, [...b.def.params], null);
        b.def.fields = item.fields.map((f) => ({
          name: f.name,
          ty: resolveType(f.type, ts, this.diags),
          span: f.span,
          hasDefault: f.default !== null,
          defaultFn: f.default ? this.valueFunction(`${item.name}::default_${f.name}`, scope, [...b.def.params], f.type, f.default) : undefined,
          libraryPrivate: scope.isStd && !f.isPub,
        }));
        if (item.kind === 'Struct' && item.attrs.length) this.pendingAttrs.push({ def: b.def, attrs: item.attrs });
        b.def.fields.forEach((f) => this.noRefField(f.ty, f.span));
        return;
      }
      case 'Enum': {
        const b = scope.names.get(item.name);
        if (b?.k !== 'adt' || b.def.nodeId !== item.id) return;
        const ts = this.typeScope(scope, [...b.def.params], null);
        b.def.variants = item.variants.map((v, index) => ({
          name: v.name,
          index,
          shape: v.shape.kind,
          span: v.span,
          fields:
            v.shape.kind === 'unit'
              ? []
              : v.shape.kind === 'tuple'
                ? v.shape.types.map((t, i) => ({ name: String(i), ty: resolveType(t, ts, this.diags), span: t.span, hasDefault: false }))
                : v.shape.fields.map((f) => ({ name: f.name, ty: resolveType(f.type, ts, this.diags), span: f.span, hasDefault: false })),
        }));
        for (const v of b.def.variants) v.fields.forEach((f) => this.noRefField(f.ty, f.span));
        return;
      }
      case 'TypeAlias': {
        const b = scope.names.get(item.name);
        if (b?.k !== 'alias') return;
        scope.names.set(item.name, { ...b, ty: resolveType(item.type, this.typeScope(scope, b.params, null), this.diags) });
        return;
      }
      case 'Const': {
        const b = scope.names.get(item.name);
        if (b?.k !== 'const' || b.def.decl !== item) return;
        b.def.ty = resolveType(item.type, this.typeScope(scope, [], null), this.diags);
        b.def.fn = this.valueFunction(`${item.name}`, scope, [], item.type, item.value);
        return;
      }
      case 'Behavior':
        return this.defineBehavior(scope, item);
      case 'Func': {
        const b = scope.names.get(item.name);
        if (b?.k === 'fn' && b.def.decl === item) this.defineSignature(b.def);
        return;
      }
      case 'Impl':
        return this.defineImpl(scope, item);
      case 'Interface': {
        const b = scope.names.get(item.name);
        if (b?.k === 'adt' && b.def.nodeId === item.id) defineInterface(this, scope, item, b.def);
        return;
      }
      default:
        return;
    }
  }

  /** A constant's value or a field's default as a function of no arguments (`ret` its declared type): it is
   * checked like any function body and called where the value is needed (LLVM folds the simple ones). */
  valueFunction(name: string, scope: ModuleScope, params: ParamType[], ret: ast.TypeExpr, value: ast.Expr, self: Type | null = null): FuncDef {
    const decl: ast.FuncDecl = {
      kind: 'Func',
      id: newId(),
      span: value.span,
      name,
      nameSpan: value.span,
      isPub: false,
      attrs: [],
      typeParams: [],
      receiver: null,
      params: [],
      ret,
      where: [],
      body: { id: newId(), span: value.span, stmts: [], tail: value },
      isLowlevel: false,
      isAsync: false,
      modifiers: [],
    };
    const fn: FuncDef = {
      name,
      path: `${scope.path}::${name}`,
      decl,
      typeParams: params,
      ownParams: [],
      bounds: [],
      params: [],
      ret: resolveType(ret, this.typeScope(scope, params, self), this.diags),
      receiver: null,
      selfType: self,
      impl: null,
      behavior: null,
      module: scope,
      externSymbol: null,
      isLowlevel: false,
      attrs: [],
      span: value.span,
    };
    this.defs.functions.push(fn);
    return fn;
  }

  /** `@not_send`, `@send`, `@sync`: whether values of the type may cross tasks (sema/send.ts). */
  private sendAttrs(def: AdtDef, attrs: ast.Attribute[], scope: ModuleScope): void {
    const { rule, badSend } = sendRuleOf(attrs.map((a) => a.name), scope.isStd);
    def.sendRule = rule;
    if (badSend) {
      this.diags.error('E0731', '`@send` is a library attribute', attrs.find((a) => a.name === 'send')!.span, {
        notes: ['a program\'s type is `Send` when all its fields are; only the library may promise it for raw memory'],
      });
    }
  }

  /** `@deref(…)` and `@index(…)`: how library pointer and collection types are dereferenced and indexed. */
  private libraryAttrs(def: AdtDef, attrs: ast.Attribute[]): void {
    const names = (a: ast.Attribute) => a.args.map((x) => (x.kind === 'Path' && x.segments.length === 1 ? x.segments[0]!.name : ''));
    for (const a of attrs) {
      if (a.name === 'deref') {
        const [first, ...rest] = names(a);
        const i = def.fields.findIndex((f) => f.name === first);
        const f = def.fields[i];
        if (!f || f.ty.k !== 'ptr') {
          this.diags.error('E0610', '`@deref(f, …)` needs a raw-pointer field `f`', a.span);
          continue;
        }
        const path = [i];
        let t: Type = f.ty.inner;
        for (const n of rest) {
          const target: Type = t;
          const j = target.k === 'adt' ? target.def.fields.findIndex((x) => x.name === n) : -1;
          if (j < 0 || target.k !== 'adt') {
            this.diags.error('E0610', `\`@deref\`: no field \`${n}\` in the pointee`, a.span);
            break;
          }
          path.push(j);
          t = target.def.fields[j]!.ty;
        }
        def.deref = path;
      } else if (a.name === 'map') {
        const [e] = names(a);
        const i = def.fields.findIndex((f) => f.name === e);
        if (i < 0) {
          this.diags.error('E0610', '`@map(entries)` needs a field `entries` (a List of an enum whose first variant is `Full(K, V)`)', a.span);
          continue;
        }
        def.mapEntries = i;
      } else if (a.name === 'index') {
        const [d, l] = names(a);
        const di = def.fields.findIndex((f) => f.name === d);
        const li = def.fields.findIndex((f) => f.name === l);
        if (di < 0 || li < 0 || def.fields[di]!.ty.k !== 'ptr') {
          this.diags.error('E0610', '`@index(data, len)` needs a raw-pointer field `data` and an integer field `len`', a.span);
          continue;
        }
        def.index = { data: di, len: li };
      }
    }
  }

  private defineBehavior(scope: ModuleScope, item: Extract<ast.Item, { kind: 'Behavior' }>): void {
    const b = scope.names.get(item.name);
    if (b?.k !== 'behavior') return;
    const def = b.def;
    const self = newParam('This');
    const ts = this.typeScope(scope, [...def.params], self);
    def.supers = item.supers.map((s) => resolveBound(s, ts, this.diags)).filter((x) => x !== null);
    for (const m of item.methods) {
      const fn = this.makeFunc(m, scope, [self, ...def.params], self, null, def);
      fn.bounds.push({ ty: self, behavior: { def, args: def.params } });
      this.defineSignature(fn);
      def.methods.set(m.name, fn);
    }
  }

  private defineImpl(scope: ModuleScope, item: Extract<ast.Item, { kind: 'Impl' }>): void {
    const params = item.typeParams.map((p) => newParam(p.name));
    const ts0 = this.typeScope(scope, params, null);
    const target = resolveType(item.target, ts0, this.diags);
    const ts = this.typeScope(scope, params, target);
    const behavior = item.behavior ? resolveBound(item.behavior, ts, this.diags, item.assocTypes) : null;
    if (item.behavior && !behavior) return;
    const impl: ImplDef = {
      typeParams: params,
      bounds: [],
      behavior,
      target,
      methods: new Map(),
      assocTypes: new Map(),
      consts: new Map(),
      module: scope,
      span: item.span,
      decl: item,
    };
    impl.bounds = this.bounds(item.typeParams, params, item.where, ts);
    for (const a of item.assocTypes) impl.assocTypes.set(a.name, resolveType(a.type, ts, this.diags));
    // `This::Item` in `impl Iterator[I32] for C` is the argument of the behavior's param `Item`
    behavior?.def.params.forEach((p, i) => {
      if (!impl.assocTypes.has(p.name) && behavior.args[i]) impl.assocTypes.set(p.name, behavior.args[i]!);
    });
    for (const m of item.methods) {
      const fn = this.makeFunc(m, scope, params, target, impl, null);
      this.requireBody(fn);
      fn.bounds.push(...impl.bounds);
      this.defineSignature(fn);
      if (impl.methods.has(m.name)) this.diags.error('E0201', `duplicate definitions with name \`${m.name}\``, m.nameSpan);
      impl.methods.set(m.name, fn);
    }
    for (const c of item.consts) this.defineAssocConst(impl, c, scope, params, ts);
    if (behavior) {
      for (const [name] of behavior.def.methods) {
        const decl = behavior.def.methods.get(name) as FuncDef;
        if (!impl.methods.has(name) && decl.decl && !hasBody(decl.decl)) {
          this.diags.error('E0046', `not all behavior items implemented, missing: \`${name}\``, item.span, {
            label: `missing \`${name}\` in implementation of \`${behavior.def.name}\``,
          });
        }
      }
      for (const name of impl.methods.keys()) {
        if (!behavior.def.methods.has(name)) {
          this.diags.error('E0407', `method \`${name}\` is not a member of behavior \`${behavior.def.name}\``, impl.methods.get(name)!.span);
        }
      }
      if (behavior.def.name === 'Drop' && behavior.def === this.defs.lang.get('Drop')) {
        if (target.k === 'adt' && target.def.kind !== 'interface') {
          if (this.defs.dropImpls.has(target.def)) this.diags.error('E0119', `conflicting implementations of \`Drop\` for \`${target.def.name}\``, item.span);
          else this.defs.dropImpls.set(target.def, impl);
        } else {
          this.diags.error('E0120', 'the `Drop` behavior may only be implemented for structs and enums', item.span);
        }
      }
    }
    this.defs.impls.push(impl);
  }

  /** `const NAME: T = value` in an inherent impl of a non-generic type: a constant named through the type. */
  private defineAssocConst(impl: ImplDef, c: Extract<ast.Item, { kind: 'Const' }>, scope: ModuleScope, params: ParamType[], ts: TypeScope): void {
    if (impl.behavior || params.length) {
      this.diags.error('E0737', `associated constant \`${c.name}\` must be in an inherent impl of a non-generic type`, c.nameSpan, {
        notes: [impl.behavior ? 'behaviors do not declare constants; put it in `impl Type { … }`' : 'a generic impl\'s constants are not supported yet'],
      });
      return;
    }
    if (impl.consts.has(c.name) || impl.methods.has(c.name)) {
      this.diags.error('E0201', `duplicate definitions with name \`${c.name}\``, c.nameSpan);
      return;
    }
    const owner = typeToString(impl.target);
    const def: ConstDef = { name: c.name, decl: c, ty: resolveType(c.type, ts, this.diags), module: scope, fn: null, impl };
    def.fn = this.valueFunction(`${owner}::${c.name}`, scope, [], c.type, c.value, impl.target);
    impl.consts.set(c.name, def);
  }

  typeBounds(tps: ast.TypeParam[], params: ParamType[], ts: TypeScope): Bound[] {
    return this.bounds(tps, params, [], ts);
  }

  private bounds(tps: ast.TypeParam[], params: ParamType[], where: ast.WherePredicate[], ts: TypeScope): Bound[] {
    const out: Bound[] = [];
    tps.forEach((tp, i) => {
      for (const b of tp.bounds) {
        const r = resolveBound(b, ts, this.diags);
        if (r) out.push({ ty: params[i]!, behavior: r });
        else this.defs.erroneousParams.add(params[i]!.id);
      }
    });
    for (const w of where) {
      const ty = resolveType(w.type, ts, this.diags);
      for (const b of w.bounds) {
        const r = resolveBound(b, ts, this.diags);
        if (r) out.push({ ty, behavior: r });
        else if (ty.k === 'param') this.defs.erroneousParams.add(ty.id);
      }
    }
    return out;
  }

  makeFunc(decl: ast.FuncDecl, scope: ModuleScope, outer: ParamType[], selfType: Type | null, impl: ImplDef | null, behavior: BehaviorDef | null, receiverOverride?: 'borrow'): FuncDef {
    const own = decl.typeParams.map((p) => newParam(p.name));
    let receiver: Receiver = decl.receiver === null ? null : decl.receiver.byValue ? 'value' : decl.receiver.mutable ? 'mutref' : 'ref';
    // a class value is a reference: `mut this` changes the object, not the caller's variable, so every receiver of a
    // class (or interface) method is a shared `ref` to the class reference
    const refType = selfType?.k === 'adt' && (selfType.def.kind === 'class' || selfType.def.kind === 'interface');
    if (receiver !== null && receiverOverride) receiver = receiverOverride;
    else if (receiver !== null && refType && receiver === 'mutref') receiver = 'ref';
    const ext = decl.attrs.find((a) => a.name === 'extern');
    const extSym = ext && ext.args[0]?.kind === 'StrLit' ? ext.args[0].value : null;
    const isExtern = !hasBody(decl) && behavior === null && (decl.isLowlevel || ext !== undefined);
    const owner = impl ? implOwner(impl) : behavior ? behavior.name : null;
    const fn: FuncDef = {
      name: decl.name,
      path: `${scope.path}::${owner ? owner + '::' : ''}${decl.name}`,
      decl,
      typeParams: [...outer, ...own],
      ownParams: own,
      bounds: [],
      params: [],
      ret: T.unit,
      receiver,
      selfType,
      impl,
      behavior,
      module: scope,
      externSymbol: isExtern ? (extSym ?? decl.name) : null,
      isLowlevel: decl.isLowlevel,
      attrs: decl.attrs,
      span: decl.nameSpan,
    };
    if (!impl && !behavior) this.defs.functions.push(fn);
    return fn;
  }

  /** Only external functions (`lowlevel func`, `@extern`) are declared without a body; any other would reach MIR
   * lowering with nothing to lower (an internal error before; a half-typed `func main()` in an editor is one). */
  private requireBody(fn: FuncDef): void {
    if (fn.decl && !hasBody(fn.decl) && fn.externSymbol === null) {
      this.diags.error('E0787', `function \`${fn.name}\` has no body`, fn.decl.nameSpan, {
        label: 'expected `{ … }` after the signature',
        notes: ['only a `lowlevel func` or an `@extern` function is declared without a body'],
      });
    }
  }

  /** A union's fields are plain data (decisions.md "Unions"): which field holds the value is not recorded, so a field
   * that owns something (or shares a runtime-managed value) could be neither dropped nor copied. */
  private checkUnionFields(): void {
    for (const def of this.defs.adts) {
      if (def.kind !== 'union') continue;
      for (const f of def.fields) {
        if (f.ty.k === 'error' || classify(this.defs, f.ty) === 'plain') continue;
        this.diags.error('E0776', `the field \`${f.name}\` of union \`${def.name}\` has type \`${typeToString(f.ty)}\`, which is not plain data`, f.span, {
          label: 'owns or shares a value',
          notes: ['a union does not know which field it holds, so it could not drop or copy this one: use an enum'],
        });
      }
    }
  }

  /** References are second-class (MEMORY.md §3): never fields of structs or enums. */
  noRefField(t: Type, span: Span): void {
    if (containsRef(t)) {
      this.diags.error('E0106', 'a reference cannot be a field', span, {
        label: 'this field holds a reference',
        notes: ['references are second-class: store an owner (`Heap`, `Shared`) or a copy instead'],
      });
    }
  }

  defineSignature(fn: FuncDef): void {
    const decl = fn.decl!;
    const ts = { ...this.typeScope(fn.module, fn.typeParams, fn.selfType), assoc: assocTypesOf(fn) };
    fn.bounds.push(...this.bounds(decl.typeParams, fn.ownParams, decl.where, ts));
    fn.params = decl.params.map((p) => ({
      name: p.pattern.kind === 'IdentPat' ? p.pattern.name : '_',
      ty: resolveType(p.type, ts, this.diags),
      span: p.span,
    }));
    fn.ret = decl.ret ? resolveType(decl.ret, ts, this.diags) : T.unit;
    // references are second-class: never returned (the library's `HashMap::get` is the one confined exception)
    if (decl.ret && containsRef(fn.ret) && !fn.module.isStd) {
      this.diags.error('E0106', 'a function cannot return a reference', decl.ret.span, {
        label: 'this return type contains a reference',
        notes: ['references are second-class: return an owner or a copy instead'],
      });
    }
    if (decl.isAsync) this.asyncSignature(fn, decl);
    if (fn.impl === null && fn.behavior === null) return;
    if (fn.receiver === null && fn.selfType === null) return;
  }

  /** `async func f(…) -> T`: calling it gives a `Future[T]` that owns the arguments, so none may be a reference
   * (the future could outlive the referent: MEMORY.md §8.1). */
  private asyncSignature(fn: FuncDef, decl: ast.FuncDecl): void {
    fn.asyncRet = fn.ret;
    const future = this.defs.lang.get('Future');
    if (future && 'kind' in future) fn.ret = { k: 'adt', def: future, args: [fn.asyncRet] };
    const refNote = ['the future it returns owns its arguments and may outlive anything they borrow: pass an owner (a value, `Shared`, a `Channel`) instead'];
    if (decl.receiver && !decl.receiver.byValue) {
      this.diags.error('E0780', 'an `async func` cannot take `this` by reference', decl.receiver.span, {
        label: 'a reference parameter',
        notes: [...refNote, 'take the receiver by value: `this: This`'],
      });
    }
    decl.params.forEach((p, i) => {
      const t = fn.params[i]!.ty;
      if (!containsRef(t)) return;
      this.diags.error('E0780', `an \`async func\` cannot take a reference parameter`, p.span, {
        label: `\`${p.pattern.kind === 'IdentPat' ? p.pattern.name : '_'}\` is a \`${typeToString(t)}\``,
        notes: refNote,
      });
    });
    if (fn.externSymbol) this.diags.error('E0780', 'an external function cannot be `async`', decl.nameSpan);
  }
}

/** The name an impl's methods are qualified by (their symbols): the impl's self type as written — `Point` for
 * `impl[T] Point[T]`, else the whole type (`I32`, `Box$I32$`), so `impl I32` and `impl U32`, or `impl Box[I32]` and
 * `impl Box[Str]`, never share a symbol — and, for a behavior impl, the behavior (two behaviors may name a method
 * alike on one type). */
function implOwner(impl: ImplDef): string {
  const t = impl.target;
  const generic = t.k === 'adt' && t.args.length === impl.typeParams.length && t.args.every((a, i) => a.k === 'param' && a.id === impl.typeParams[i]!.id);
  const self = t.k === 'adt' && (t.args.length === 0 || generic) ? t.def.name : mangleType(t);
  return impl.behavior ? `${self}$as$${impl.behavior.def.path.replace(/::/g, '.')}` : self;
}

/** Library type names the prelude will provide; `use core::…::Heap` of them is accepted. */
export const BUILTIN_TYPE_NAMES = new Set(['List', 'HashMap', 'Heap', 'Shared', 'Weak', 'Sync', 'Buffer', 'Pool', 'Pooled', 'GrowthPolicy', 'Arena', 'ArenaRef', 'Task', 'Channel', 'Mutex']);

/** Does a type contain a reference (at any depth of its type arguments)? */
export function containsRef(t: Type): boolean {
  switch (t.k) {
    case 'ref':
      return true;
    case 'adt':
      // `@borrow` library types (ArenaRef) are references to what they came from
      return t.def.attrs.has('borrow') || t.args.some(containsRef);
    case 'dyn':
      return t.args.some(containsRef);
    case 'tuple':
      return t.elems.some(containsRef);
    case 'array':
      return containsRef(t.elem);
    case 'func':
      return false;
    default:
      return false;
  }
}

/** The assertions of `test` that are built-in functions (sema/builtins.ts): `use test::{assert}` imports them. */
/** built-ins that `use test::{…}` may name (and that make `use test` count as used: sema/lints/unused_imports.ts) */
export const TEST_BUILTINS: ReadonlySet<string> = new Set(['assert', 'assert_eq', 'assert_ne']);
