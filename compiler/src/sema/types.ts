// Semantic types. Generic bodies are checked once with `param` types; MIR is built per instantiation with every
// `param` substituted, so MIR and codegen only ever see closed types (no `param`, no `var`).
import type { Span } from '../syntax/source.js';

export type IntName = 'I8' | 'I16' | 'I32' | 'I64' | 'I128' | 'U8' | 'U16' | 'U32' | 'U64' | 'U128';

export type Type =
  | { readonly k: 'int'; readonly name: IntName; readonly bits: number; readonly signed: boolean }
  | { readonly k: 'float'; readonly bits: 32 | 64 }
  | { readonly k: 'bool' }
  | { readonly k: 'char' }
  | { readonly k: 'str' }
  | { readonly k: 'unit' }
  | { readonly k: 'never' }
  | { readonly k: 'tuple'; readonly elems: readonly Type[] }
  | { readonly k: 'array'; readonly elem: Type; readonly size: number }
  | { readonly k: 'adt'; readonly def: AdtDef; readonly args: readonly Type[] }
  | { readonly k: 'ref'; readonly mutable: boolean; readonly inner: Type }
  | { readonly k: 'ptr'; readonly inner: Type }
  | { readonly k: 'func'; readonly params: readonly Type[]; readonly ret: Type }
  | { readonly k: 'param'; readonly name: string; readonly id: number }
  | { readonly k: 'var'; readonly id: number; readonly lit: 'int' | 'float' | null }
  | { readonly k: 'dyn'; readonly behavior: BehaviorDef; readonly args: readonly Type[] }
  | { readonly k: 'error' };

/** A field of a struct or of an enum variant. Tuple-variant fields are named "0", "1", …. */
export interface FieldDef {
  readonly name: string;
  readonly ty: Type; // may mention the ADT's params
  readonly span: Span;
  readonly hasDefault: boolean;
  /** the default value as a function (a FuncDef, typed loosely to keep this module free of defs.ts) */
  defaultFn?: unknown;
  /** a field of a standard-library type not marked `pub`: only library code may name it (sema/field_privacy.ts) */
  libraryPrivate?: boolean;
}

export interface VariantDef {
  readonly name: string;
  readonly index: number;
  readonly fields: FieldDef[];
  readonly shape: 'unit' | 'tuple' | 'struct';
  readonly span: Span;
}

/** Structs, enums and unions, user-defined and library ones (Maybe, Outcome, Ordering, …). */
export interface AdtDef {
  /** `class`: a reference type (a pointer to a refcounted heap object, LANGUAGE.md §2.3); `interface`: a class
   * reference seen through an interface ({object, vtable}) */
  readonly kind: 'struct' | 'enum' | 'union' | 'class' | 'interface';
  readonly name: string;
  readonly path: string; // module-qualified, for mangling: "main::Point"
  readonly params: readonly ParamType[];
  fields: FieldDef[]; // struct and union
  variants: VariantDef[]; // enum
  readonly span: Span;
  readonly attrs: ReadonlySet<string>;
  /** The AST node id of the declaration (key for default-value expressions). */
  readonly nodeId: number;
  /** `@deref(f, g…)`: `*x`, field access and method calls reach the pointee through raw-pointer field `f`, then
   * fields `g…` of what it points to (library smart pointers: Heap, Shared, Sync) */
  deref?: number[];
  /** `@index(data, len)`: `x[i]` is element i of raw-pointer field `data`, checked against field `len` (List) */
  index?: { data: number; len: number };
  /** `@map(entries)`: `for (k, v) in ref m` walks the `Full(k, v)` entries of List field `entries` (HashMap) */
  mapEntries?: number;
  /** how it may cross tasks, from the library attributes `@not_send`, `@send` and `@sync` (sema/send.ts): never,
   * by its type arguments, or by its type arguments with every value entering it checked; unset: by its fields */
  sendRule?: 'never' | 'args' | 'sync';
  /** classes: inheritance, constructors, virtual methods, statics */
  cls?: ClassInfo;
  /** interfaces: the methods an implementing class provides, in slot order (after the two fixed slots) */
  iface?: { methods: Map<string, unknown>; supers: AdtDef[] };
  /** a class's heap object (`classObject`): the class; the runtime reads its header words */
  objectOf?: AdtDef;
}

/** What a class adds to its AdtDef. `fields` of the AdtDef are the base's fields followed by the class's own. */
export interface ClassInfo {
  base: Extract<Type, { k: 'adt' }> | null;
  interfaces: Extract<Type, { k: 'adt' }>[];
  /** index in `fields` of the first field the class declares itself */
  ownFieldStart: number;
  readonly isAbstract: boolean;
  readonly isSealed: boolean;
  /** `@pool` / `@pool(thread_local)`: instances come from a per-class pool */
  readonly pool: null | 'global' | 'thread_local';
  /** constructors (FuncDefs), any order; overloaded by arity */
  readonly ctors: unknown[];
  /** methods declared in this class (FuncDefs), by name */
  readonly methods: Map<string, unknown>;
  /** names of the methods this class declares `virtual`, `abstract` or `override` */
  readonly virtuals: Set<string>;
  readonly statics: StaticDef[];
  /** the heap object: a struct { rc: I64, vtable: *U8, fields… } (made on first use) */
  object?: AdtDef;
}

/** `static count: I32 = 0`: one global per program, initialised before `main`, dropped after it. */
export interface StaticDef {
  readonly name: string;
  ty: Type;
  /** the initial value as a function of no arguments (FuncDef) */
  fn: unknown;
  readonly symbol: string;
  readonly span: Span;
}

export type ParamType = Extract<Type, { k: 'param' }>;

/** A declared ADT before its fields or variants are resolved (pass 1 of collection). */
export function declaredAdt(kind: AdtDef['kind'], modulePath: string, name: string, span: Span, params: ParamType[], attrs: Iterable<string>, nodeId: number): AdtDef {
  return { kind, name, path: `${modulePath}::${name}`, params, fields: [], variants: [], span, attrs: new Set(attrs), nodeId };
}

export interface BehaviorDef {
  readonly name: string;
  readonly path: string;
  readonly params: readonly ParamType[];
  readonly assocTypes: readonly string[];
  supers: BehaviorRef[];
  readonly span: Span;
  /** method name → the declaring function (its body is the default, if any) */
  readonly methods: Map<string, unknown>; // FuncDef, typed in defs.ts (avoids an import cycle)
}

export interface BehaviorRef {
  readonly def: BehaviorDef;
  readonly args: readonly Type[];
}

// ---------- constructors ----------

const INT_BITS: Record<IntName, number> = { I8: 8, I16: 16, I32: 32, I64: 64, I128: 128, U8: 8, U16: 16, U32: 32, U64: 64, U128: 128 };
const intCache = new Map<IntName, Type>();
export function intType(name: IntName): Extract<Type, { k: 'int' }> {
  let t = intCache.get(name);
  if (!t) {
    t = { k: 'int', name, bits: INT_BITS[name], signed: name.startsWith('I') };
    intCache.set(name, t);
  }
  return t as Extract<Type, { k: 'int' }>;
}
export function isIntName(s: string): s is IntName {
  return Object.hasOwn(INT_BITS, s); // not `in`: `hasOwnProperty` or `constructor` is no integer type
}

export const T = {
  i8: intType('I8'),
  i32: intType('I32'),
  i64: intType('I64'),
  u8: intType('U8'),
  u32: intType('U32'),
  u64: intType('U64'),
  f32: { k: 'float', bits: 32 } as Type,
  f64: { k: 'float', bits: 64 } as Type,
  bool: { k: 'bool' } as Type,
  char: { k: 'char' } as Type,
  str: { k: 'str' } as Type,
  unit: { k: 'unit' } as Type,
  never: { k: 'never' } as Type,
  error: { k: 'error' } as Type,
};

let nextParamId = 1;
export function newParam(name: string): ParamType {
  return { k: 'param', name, id: nextParamId++ };
}

// ---------- queries ----------

export type Subst = ReadonlyMap<number, Type>; // param id → type

export function substitute(t: Type, s: Subst): Type {
  if (s.size === 0) return t;
  switch (t.k) {
    case 'param':
      return s.get(t.id) ?? t;
    case 'tuple':
      return { k: 'tuple', elems: t.elems.map((e) => substitute(e, s)) };
    case 'array':
      return { k: 'array', elem: substitute(t.elem, s), size: t.size };
    case 'adt':
      return t.args.length === 0 ? t : { k: 'adt', def: t.def, args: t.args.map((a) => substitute(a, s)) };
    case 'ref':
      return { k: 'ref', mutable: t.mutable, inner: substitute(t.inner, s) };
    case 'ptr':
      return { k: 'ptr', inner: substitute(t.inner, s) };
    case 'func':
      return { k: 'func', params: t.params.map((p) => substitute(p, s)), ret: substitute(t.ret, s) };
    case 'dyn':
      return t.args.length === 0 ? t : { k: 'dyn', behavior: t.behavior, args: t.args.map((a) => substitute(a, s)) };
    default:
      return t;
  }
}

export function substFor(params: readonly ParamType[], args: readonly Type[]): Map<number, Type> {
  const m = new Map<number, Type>();
  params.forEach((p, i) => m.set(p.id, args[i] ?? T.error));
  return m;
}

export function typeEquals(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'int':
      return a.name === (b as typeof a).name;
    case 'float':
      return a.bits === (b as typeof a).bits;
    case 'tuple': {
      const bb = b as typeof a;
      return a.elems.length === bb.elems.length && a.elems.every((e, i) => typeEquals(e, bb.elems[i]!));
    }
    case 'array': {
      const bb = b as typeof a;
      return a.size === bb.size && typeEquals(a.elem, bb.elem);
    }
    case 'adt': {
      const bb = b as typeof a;
      return a.def === bb.def && a.args.length === bb.args.length && a.args.every((x, i) => typeEquals(x, bb.args[i]!));
    }
    case 'ref': {
      const bb = b as typeof a;
      return a.mutable === bb.mutable && typeEquals(a.inner, bb.inner);
    }
    case 'ptr':
      return typeEquals(a.inner, (b as typeof a).inner);
    case 'func': {
      const bb = b as typeof a;
      return a.params.length === bb.params.length && a.params.every((p, i) => typeEquals(p, bb.params[i]!)) && typeEquals(a.ret, bb.ret);
    }
    case 'param':
      return a.id === (b as typeof a).id;
    case 'var':
      return a.id === (b as typeof a).id;
    case 'dyn': {
      const bb = b as typeof a;
      return a.behavior === bb.behavior && a.args.every((x, i) => typeEquals(x, bb.args[i]!));
    }
    default:
      return true;
  }
}

/** The type as a TML programmer writes it: `Maybe[I32]`, `(I32, Str)`, `[U8; 4]`, `ref Point`. */
export function typeToString(t: Type): string {
  switch (t.k) {
    case 'int':
      return t.name;
    case 'float':
      return t.bits === 32 ? 'F32' : 'F64';
    case 'bool':
      return 'Bool';
    case 'char':
      return 'Char';
    case 'str':
      return 'Str';
    case 'unit':
      return 'Unit';
    case 'never':
      return 'Never';
    case 'tuple':
      return `(${t.elems.map(typeToString).join(', ')})`;
    case 'array':
      return `[${typeToString(t.elem)}; ${t.size}]`;
    case 'adt':
      return t.args.length ? `${t.def.name}[${t.args.map(typeToString).join(', ')}]` : t.def.name;
    case 'ref':
      return `${t.mutable ? 'mut ref' : 'ref'} ${typeToString(t.inner)}`;
    case 'ptr':
      return `*${typeToString(t.inner)}`;
    case 'func':
      return `func(${t.params.map(typeToString).join(', ')}) -> ${typeToString(t.ret)}`;
    case 'param':
      return t.name;
    case 'var':
      return t.lit === 'int' ? '{integer}' : t.lit === 'float' ? '{float}' : '_';
    case 'dyn':
      return `dyn ${t.behavior.name}${t.args.length ? `[${t.args.map(typeToString).join(', ')}]` : ''}`;
    case 'error':
      return '{error}';
  }
}

/** A name usable in symbols: `Maybe$I32$`, `Pair$Str$`. Deterministic and injective enough for mangling. */
export function mangleType(t: Type): string {
  switch (t.k) {
    case 'tuple':
      return `T${t.elems.length}$${t.elems.map(mangleType).join('$')}$`;
    case 'array':
      return `A${t.size}$${mangleType(t.elem)}$`;
    case 'adt':
      return t.args.length ? `${t.def.path.replace(/::/g, '.')}$${t.args.map(mangleType).join('$')}$` : t.def.path.replace(/::/g, '.');
    case 'ref':
      return `${t.mutable ? 'M' : 'R'}$${mangleType(t.inner)}`;
    case 'ptr':
      return `P$${mangleType(t.inner)}`;
    case 'func':
      return `F$${t.params.map(mangleType).join('$')}$$${mangleType(t.ret)}$`;
    case 'dyn':
      return `D$${t.behavior.path.replace(/::/g, '.')}`;
    default:
      return typeToString(t);
  }
}

export function isNumeric(t: Type): boolean {
  return t.k === 'int' || t.k === 'float';
}

/** Does the type mention a generic parameter or an inference variable? */
export function isClosed(t: Type): boolean {
  return !typeSome(t, (x) => x.k === 'param' || x.k === 'var');
}

/** Does `t` or any type inside it (type arguments, elements, pointees, parameters and results) satisfy `pred`? */
export function typeSome(t: Type, pred: (t: Type) => boolean): boolean {
  if (pred(t)) return true;
  switch (t.k) {
    case 'tuple':
      return t.elems.some((e) => typeSome(e, pred));
    case 'array':
      return typeSome(t.elem, pred);
    case 'adt':
    case 'dyn':
      return t.args.some((a) => typeSome(a, pred));
    case 'ref':
    case 'ptr':
      return typeSome(t.inner, pred);
    case 'func':
      return t.params.some((p) => typeSome(p, pred)) || typeSome(t.ret, pred);
    default:
      return false;
  }
}

/** Field types of a struct instance, with the ADT's params substituted. */
export function structFields(t: Extract<Type, { k: 'adt' }>): { name: string; ty: Type }[] {
  const s = substFor(t.def.params, t.args);
  return t.def.fields.map((f) => ({ name: f.name, ty: substitute(f.ty, s) }));
}

/** Field types of one variant of an enum instance. */
export function variantFields(t: Extract<Type, { k: 'adt' }>, variant: number): Type[] {
  const s = substFor(t.def.params, t.args);
  return t.def.variants[variant]!.fields.map((f) => substitute(f.ty, s));
}

export function isClass(t: Type): t is Extract<Type, { k: 'adt' }> {
  return t.k === 'adt' && t.def.kind === 'class';
}

/** The heap object of a class instance: `{ rc: I64, vtable: *U8, fields… }`; field i of the class is field i + 2. */
export function classObject(t: Extract<Type, { k: 'adt' }>): Extract<Type, { k: 'adt' }> {
  const def = t.def;
  const cls = def.cls!;
  if (!cls.object) {
    cls.object = {
      kind: 'struct',
      name: `${def.name}.object`,
      path: `${def.path}.object`,
      params: def.params,
      fields: [
        { name: 'rc', ty: intType('I64'), span: def.span, hasDefault: false },
        { name: 'vtable', ty: { k: 'ptr', inner: intType('U8') }, span: def.span, hasDefault: false },
        ...def.fields,
      ],
      variants: [],
      span: def.span,
      attrs: new Set(),
      nodeId: def.nodeId,
      objectOf: def,
    };
  }
  return { k: 'adt', def: cls.object, args: t.args };
}

/** What a `deref` projection of a MIR place of type `t` reaches: the pointee of a reference or raw pointer, or the
 * heap object of a class instance; null for anything else. */
export function derefPlaceType(t: Type): Type | null {
  if (t.k === 'ref' || t.k === 'ptr') return t.inner;
  if (isClass(t)) return classObject(t);
  return null;
}

/** The base class of a class instance type, with the derived class's arguments substituted; null at the root. */
export function baseClass(t: Extract<Type, { k: 'adt' }>): Extract<Type, { k: 'adt' }> | null {
  const b = t.def.cls?.base;
  return b ? (substitute(b, substFor(t.def.params, t.args)) as Extract<Type, { k: 'adt' }>) : null;
}

/** Does class `a` derive from (or equal) class `b`'s definition? Returns the matching ancestor type. */
export function ancestorOf(a: Extract<Type, { k: 'adt' }>, b: AdtDef): Extract<Type, { k: 'adt' }> | null {
  for (let t: Extract<Type, { k: 'adt' }> | null = a; t; t = baseClass(t)) if (t.def === b) return t;
  return null;
}

/** Does class `a` (or an ancestor) implement interface `i` (directly or through interface supers)? */
export function implementsInterface(a: Extract<Type, { k: 'adt' }>, i: AdtDef): boolean {
  const viaIface = (d: AdtDef): boolean => d === i || (d.iface?.supers ?? []).some(viaIface);
  for (let t: Extract<Type, { k: 'adt' }> | null = a; t; t = baseClass(t)) {
    if ((t.def.cls?.interfaces ?? []).some((x) => viaIface(x.def))) return true;
  }
  return false;
}

/** What `*x` reaches for a reference, raw pointer, or library pointer type (`@deref`); null when nothing. */
export function derefTarget(t: Type): Type | null {
  if (t.k === 'ref' || t.k === 'ptr') return t.inner;
  if (t.k === 'adt' && t.def.deref) {
    const path = t.def.deref;
    const first = structFields(t)[path[0]!]!.ty;
    if (first.k !== 'ptr') return null;
    let cur: Type = first.inner;
    for (const j of path.slice(1)) {
      if (cur.k !== 'adt') return null;
      cur = structFields(cur)[j]!.ty;
    }
    return cur;
  }
  return null;
}

/** The element type of a library collection with `@index(data, len)` (List), or null. */
export function indexElement(t: Type): Type | null {
  if (t.k !== 'adt' || !t.def.index) return null;
  // a library type broken by an earlier error may lack the field its attribute names
  const d = structFields(t)[t.def.index.data]?.ty;
  return d?.k === 'ptr' ? d.inner : null;
}

/** For a `@map(entries)` type: the entries list type and the key and value types of its `Full` variant. */
export function mapParts(t: Type): { entries: Type; key: Type; value: Type } | null {
  if (t.k !== 'adt' || t.def.mapEntries === undefined) return null;
  const entries = structFields(t)[t.def.mapEntries]?.ty;
  const entry = entries && indexElement(entries);
  if (!entries || !entry || entry.k !== 'adt' || entry.def.kind !== 'enum' || entry.def.variants.length === 0) return null;
  const full = variantFields(entry, 0);
  if (full.length !== 2) return null;
  return { entries, key: full[0]!, value: full[1]! };
}
