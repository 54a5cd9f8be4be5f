// Classes and interfaces (LANGUAGE.md §2.3) as definitions: a class is an AdtDef of kind `class` whose fields are its
// base's followed by its own, with an inherent impl holding its methods, constructor functions, and static fields.
// `@value` classes are plain structs with methods. Interfaces are AdtDefs of kind `interface` (a class reference seen
// through the interface) with required methods.
import * as ast from '../syntax/ast.js';
import { hasBody, newId } from '../syntax/ast.js';
import type { DiagnosticBag } from '../syntax/diagnostics.js';
import type { Bound, FuncDef, ImplDef, ModuleScope, ProgramDefs } from './defs.js';
import { resolveType, type TypeScope } from './resolve_type.js';
import { declaredAdt, substFor, substitute, T, type AdtDef, type ClassInfo, type ParamType, type Type } from './types.js';

/** What the class collector needs from the item collector. */
export interface CollectorHooks {
  readonly defs: ProgramDefs;
  readonly diags: DiagnosticBag;
  typeScope(scope: ModuleScope, params: ParamType[], selfType: Type | null): TypeScope;
  makeFunc(decl: ast.FuncDecl, scope: ModuleScope, outer: ParamType[], selfType: Type | null, impl: ImplDef | null, behavior: null, receiverOverride?: 'borrow'): FuncDef;
  defineSignature(fn: FuncDef): void;
  valueFunction(name: string, scope: ModuleScope, params: ParamType[], ret: ast.TypeExpr, value: ast.Expr): FuncDef;
  noRefField(t: Type, span: ast.Expr['span']): void;
  /** the bounds declared on type parameters (`class Box[T: Duplicate]`) */
  typeBounds(tps: ast.TypeParam[], params: ParamType[], ts: TypeScope): Bound[];
}

type ClassItem = Extract<ast.Item, { kind: 'Class' }>;
type InterfaceItem = Extract<ast.Item, { kind: 'Interface' }>;

export function isValueClass(item: ClassItem): boolean {
  return item.attrs.some((a) => a.name === 'value');
}

/** Pass 1: the AdtDef of a class (kind `class`, or `struct` for `@value`). */
export function declareClass(scope: ModuleScope, item: ClassItem, params: ParamType[]): AdtDef {
  const value = isValueClass(item);
  const poolAttr = item.attrs.find((a) => a.name === 'pool');
  const tl = poolAttr?.args.some((x) => x.kind === 'Path' && x.segments[0]?.name === 'thread_local') ?? false;
  const cls: ClassInfo = {
    base: null,
    interfaces: [],
    ownFieldStart: 0,
    isAbstract: item.isAbstract,
    isSealed: item.isSealed,
    pool: poolAttr ? (tl ? 'thread_local' : 'global') : null,
    ctors: [],
    methods: new Map(),
    virtuals: new Set(),
    statics: [],
  };
  const def = declaredAdt(value ? 'struct' : 'class', scope.path, item.name, item.nameSpan, params, item.attrs.map((a) => a.name), item.id);
  def.cls = cls;
  return def;
}

export function declareInterface(scope: ModuleScope, item: InterfaceItem, params: ParamType[]): AdtDef {
  const def = declaredAdt('interface', scope.path, item.name, item.nameSpan, params, [], item.id);
  // an interface value is { the object (a class reference), the (class, interface) vtable }
  def.fields = [
    { name: 'object', ty: { k: 'ptr', inner: T.u8 }, span: item.nameSpan, hasDefault: false },
    { name: 'vtable', ty: { k: 'ptr', inner: T.u8 }, span: item.nameSpan, hasDefault: false },
  ];
  def.iface = { methods: new Map(), supers: [] };
  return def;
}

/** Pass 2 for interfaces: their method signatures (`this` is a reference to the implementing class). */
export function defineInterface(h: CollectorHooks, scope: ModuleScope, item: InterfaceItem, def: AdtDef): void {
  const self: Type = { k: 'adt', def, args: def.params };
  const ts = h.typeScope(scope, [...def.params], self);
  for (const s of item.supers) {
    const t = resolveType(s, ts, h.diags);
    if (t.k === 'adt' && t.def.kind === 'interface') def.iface!.supers.push(t.def);
    else if (t.k !== 'error') h.diags.error('E0702', 'an interface can only extend interfaces', s.span);
  }
  for (const m of item.methods) {
    const fn = h.makeFunc(m, scope, [...def.params], self, null, null, 'borrow');
    h.defineSignature(fn);
    if (hasBody(m)) h.diags.error('E0703', 'interface methods have no body', m.nameSpan, { notes: ['implement it in each class that `implements` the interface'] });
    def.iface!.methods.set(m.name, fn);
  }
}

/** Pass 2 for classes, base first: fields, statics, methods, constructors. */
export class ClassDefiner {
  private readonly done = new Set<AdtDef>();
  private readonly active = new Set<AdtDef>();

  constructor(
    private readonly h: CollectorHooks,
    private readonly items: Map<AdtDef, { scope: ModuleScope; item: ClassItem }>,
  ) {}

  defineAll(): void {
    for (const def of this.items.keys()) this.define(def);
  }

  private define(def: AdtDef): void {
    if (this.done.has(def)) return;
    const { scope, item } = this.items.get(def)!;
    if (this.active.has(def)) {
      this.h.diags.error('E0704', `class \`${def.name}\` inherits from itself`, item.nameSpan);
      return;
    }
    this.active.add(def);
    const { h } = this;
    const cls = def.cls!;
    const self: Type = { k: 'adt', def, args: def.params };
    const ts = h.typeScope(scope, [...def.params], self);
    const value = def.kind === 'struct';
    // base and interfaces
    if (item.base) {
      const b = resolveType(item.base, ts, h.diags);
      if (value) h.diags.error('E0705', '`@value` classes cannot inherit', item.base.span, { notes: ['value classes follow struct rules'] });
      else if (b.k === 'adt' && b.def.kind === 'class') {
        this.define(b.def);
        if (b.def.cls!.isSealed) h.diags.error('E0706', `cannot inherit from sealed class \`${b.def.name}\``, item.base.span);
        // a base still being defined closes a cycle (E0704, reported by define): leaving it out keeps every walk up
        // the base chain finite
        if (!this.active.has(b.def)) cls.base = b;
      } else if (b.k !== 'error') h.diags.error('E0705', 'only a class can be inherited', item.base.span);
    }
    for (const i of item.interfaces) {
      const t = resolveType(i, ts, h.diags);
      if (t.k === 'adt' && t.def.kind === 'interface') cls.interfaces.push(t);
      else if (t.k !== 'error') h.diags.error('E0702', '`implements` needs an interface', i.span);
    }
    // fields: the base's (with this class's arguments for its params), then our own
    const inherited = cls.base ? cls.base.def.fields.map((f) => ({ ...f, ty: substitute(f.ty, substFor(cls.base!.def.params, cls.base!.args)) })) : [];
    cls.ownFieldStart = inherited.length;
    const own = item.fields.filter((f) => !f.isStatic);
    def.fields = [
      ...inherited,
      ...own.map((f) => ({
        name: f.name,
        ty: resolveType(f.type, ts, h.diags),
        span: f.span,
        hasDefault: f.default !== null,
        defaultFn: f.default ? h.valueFunction(`${item.name}::default_${f.name}`, scope, [...def.params], f.type, f.default) : undefined,
      })),
    ];
    for (const f of def.fields.slice(cls.ownFieldStart)) {
      h.noRefField(f.ty, f.span);
      if (inherited.some((g) => g.name === f.name)) h.diags.error('E0707', `field \`${f.name}\` is already declared in a base class`, f.span);
    }
    for (const f of item.fields.filter((x) => x.isStatic)) {
      if (def.params.length) h.diags.error('E0708', 'generic classes cannot have static fields', f.span);
      if (!f.default) {
        h.diags.error('E0708', `static field \`${f.name}\` needs an initial value`, f.span);
        continue;
      }
      const fn = h.valueFunction(`${item.name}::static_${f.name}`, scope, [], f.type, f.default);
      cls.statics.push({ name: f.name, ty: fn.ret, fn, symbol: `static$${def.path.replace(/::/g, '.')}.${f.name}`, span: f.span });
    }
    // methods: an inherent impl of the class
    const impl: ImplDef = {
      typeParams: [...def.params],
      bounds: h.typeBounds(item.typeParams, [...def.params], ts),
      behavior: null,
      target: self,
      methods: new Map(),
      assocTypes: new Map(),
      consts: new Map(),
      module: scope,
      span: item.span,
      decl: null,
    };
    for (const m of item.methods) {
      if (m.modifiers.includes('static') && m.receiver) h.diags.error('E0709', 'a `static` method takes no `this`', m.nameSpan);
      const fn = h.makeFunc(m, scope, [...def.params], self, impl, null, value ? undefined : 'borrow');
      fn.bounds.push(...impl.bounds);
      h.defineSignature(fn);
      if (impl.methods.has(m.name)) h.diags.error('E0201', `duplicate definitions with name \`${m.name}\``, m.nameSpan);
      impl.methods.set(m.name, fn);
      cls.methods.set(m.name, fn);
      this.checkModifiers(def, m, value);
    }
    this.checkAbstract(def, item);
    h.defs.impls.push(impl);
    // constructors: functions with `this` (the object being built) and the declared parameters
    const arities = new Set<number>();
    item.constructors.forEach((c, index) => {
      if (arities.has(c.params.length)) h.diags.error('E0710', `\`${def.name}\` already has a constructor taking ${c.params.length} argument${c.params.length === 1 ? '' : 's'}`, c.span, { notes: ['constructors overload by arity'] });
      arities.add(c.params.length);
      const decl: ast.FuncDecl = {
        kind: 'Func', id: newId(), span: c.span, name: 'new', nameSpan: c.span, isPub: c.isPub, attrs: c.attrs, typeParams: [],
        receiver: { mutable: true, span: c.span }, params: c.params, ret: null, where: [], body: c.body, isLowlevel: false, isAsync: false, modifiers: [],
      };
      const fn = h.makeFunc(decl, scope, [...def.params], self, null, null, value ? undefined : 'borrow');
      (fn as { ctor?: FuncDef['ctor'] }).ctor = { cls: def, index, baseArgs: c.baseArgs, failure: null };
      (fn as { path: string }).path = `${def.path}::new$${c.params.length}`;
      fn.bounds.push(...impl.bounds);
      h.defineSignature(fn);
      if (c.ret) this.fallible(fn, c.ret, ts, self);
      cls.ctors.push(fn);
      if (c.baseArgs && !cls.base) h.diags.error('E0711', '`base(…)` in a class without a base class', c.span);
    });
    this.active.delete(def);
    this.done.add(def);
  }

  /** `new(…) -> Outcome[This, E]`: the body runs like a function returning `Outcome[Unit, E]` (`!` propagates). */
  private fallible(fn: FuncDef, ret: ast.TypeExpr, ts: TypeScope, self: Type): void {
    const t = resolveType(ret, ts, this.h.diags);
    const outcome = this.h.defs.langAdt('Outcome');
    const ok = t.k === 'adt' && t.def === outcome && t.args[0]?.k === 'adt' && (t.args[0] as { def: AdtDef }).def === (self as { def: AdtDef }).def;
    if (!ok) {
      if (t.k !== 'error') this.h.diags.error('E0721', 'a constructor returns nothing, or `Outcome[This, E]` when it can fail', ret.span);
      return;
    }
    fn.ctor!.failure = (t as { args: readonly Type[] }).args[1]!;
    fn.ret = { k: 'adt', def: outcome, args: [T.unit, fn.ctor!.failure] };
  }

  private checkModifiers(def: AdtDef, m: ast.FuncDecl, value: boolean): void {
    const { h } = this;
    const cls = def.cls!;
    const mods = m.modifiers;
    const dynamic = mods.includes('virtual') || mods.includes('abstract') || mods.includes('override');
    if (dynamic && value) {
      h.diags.error('E0705', '`@value` classes have no virtual methods', m.nameSpan, { notes: ['value classes follow struct rules'] });
      return;
    }
    if (dynamic && !m.receiver) h.diags.error('E0709', 'a virtual method needs `this`', m.nameSpan);
    if (mods.includes('abstract')) {
      if (hasBody(m)) h.diags.error('E0712', 'an `abstract` method has no body', m.nameSpan);
      if (!cls.isAbstract) h.diags.error('E0712', `\`${m.name}\` is abstract, so class \`${def.name}\` must be declared \`abstract\``, m.nameSpan);
    } else if (!hasBody(m)) h.diags.error('E0712', `method \`${m.name}\` needs a body`, m.nameSpan);
    const inherited = findMethod(cls.base?.def ?? null, m.name);
    if (mods.includes('override')) {
      if (!inherited) h.diags.error('E0713', `\`${m.name}\` overrides nothing: no base class declares it`, m.nameSpan);
      else if (!inherited.virtual) h.diags.error('E0713', `\`${m.name}\` overrides a method that is not \`virtual\` or \`abstract\``, m.nameSpan);
      else if (inherited.sealed) h.diags.error('E0713', `\`${m.name}\` is sealed in a base class`, m.nameSpan);
    } else if (inherited?.virtual && !mods.includes('sealed')) {
      h.diags.error('E0713', `\`${m.name}\` hides a virtual method of a base class`, m.nameSpan, { notes: ['mark it `override`'] });
    }
    if (dynamic || (mods.includes('sealed') && inherited?.virtual)) cls.virtuals.add(m.name);
  }

  /** A concrete class must implement every abstract method and every interface method. */
  private checkAbstract(def: AdtDef, item: ClassItem): void {
    const cls = def.cls!;
    if (cls.isAbstract || def.kind !== 'class') return;
    for (const name of allVirtuals(def)) {
      const m = findMethod(def, name);
      if (m?.abstract) this.h.diags.error('E0714', `class \`${def.name}\` does not implement abstract method \`${name}\``, item.nameSpan, { notes: ['implement it with `override`, or declare the class `abstract`'] });
    }
    for (const it of allInterfaces(def)) {
      for (const [name] of it.iface!.methods) {
        if (!findMethod(def, name)) this.h.diags.error('E0715', `class \`${def.name}\` does not implement \`${it.name}::${name}\``, item.nameSpan);
      }
    }
  }
}

/** The nearest declaration of method `name` in class `def` or its bases. */
export function findMethod(def: AdtDef | null, name: string): { fn: FuncDef; owner: AdtDef; virtual: boolean; abstract: boolean; sealed: boolean } | null {
  for (let d: AdtDef | null = def; d; d = d.cls?.base?.def ?? null) {
    const fn = d.cls?.methods.get(name) as FuncDef | undefined;
    if (fn) {
      const mods = fn.decl?.modifiers ?? [];
      const virt = isVirtualIn(d, name);
      return { fn, owner: d, virtual: virt, abstract: mods.includes('abstract'), sealed: mods.includes('sealed') };
    }
  }
  return null;
}

function isVirtualIn(def: AdtDef, name: string): boolean {
  for (let d: AdtDef | null = def; d; d = d.cls?.base?.def ?? null) if (d.cls?.virtuals.has(name)) return true;
  return false;
}

/** Virtual slot names of a class, base slots first (overrides keep their base's slot). */
export function allVirtuals(def: AdtDef): string[] {
  const chain: AdtDef[] = [];
  for (let d: AdtDef | null = def; d; d = d.cls?.base?.def ?? null) chain.unshift(d);
  const out: string[] = [];
  for (const d of chain) for (const n of d.cls!.virtuals) if (!out.includes(n)) out.push(n);
  return out;
}

/** Every interface a class implements, through its bases and interface supers. */
export function allInterfaces(def: AdtDef): AdtDef[] {
  const out: AdtDef[] = [];
  const add = (i: AdtDef) => {
    if (out.includes(i)) return;
    out.push(i);
    i.iface?.supers.forEach(add);
  };
  for (let d: AdtDef | null = def; d; d = d.cls?.base?.def ?? null) d.cls?.interfaces.forEach((t) => add(t.def));
  return out;
}

/** The methods of an interface in vtable order (after the destructor and type-test slots): its own, then its
 * supers' (depth first), each name once. */
export function interfaceSlots(def: AdtDef): { name: string; fn: FuncDef }[] {
  const out: { name: string; fn: FuncDef }[] = [];
  const add = (d: AdtDef) => {
    for (const [name, fn] of d.iface?.methods ?? []) if (!out.some((m) => m.name === name)) out.push({ name, fn: fn as FuncDef });
    d.iface?.supers.forEach(add);
  };
  add(def);
  return out;
}
