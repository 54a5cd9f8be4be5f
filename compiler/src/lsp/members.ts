// The fields and methods a value of a type has, for completion after `.`: an ADT's fields (not the library's
// private ones), the methods of every impl of the type (inherent and behavior impls, a class's and its bases'), and
// the compiler's built-in methods of primitives (sema/builtins.ts: Str.len, I32.pow, …). Associated functions
// without `this` (`new`) are not members, and neither are another module's methods not marked `pub` (the library's
// helpers) or `Drop`'s `drop` (the compiler calls it).
import type { FuncDef, ImplDef, ModuleScope, ProgramDefs } from '../sema/defs.js';
import { FLOAT_METHODS, INT_METHODS, SIGNED_ONLY_METHODS, SIMPLE_METHODS, STR_METHODS } from '../sema/builtins.js';
import { substFor, substitute, typeEquals, typeToString, type AdtDef, type Type } from '../sema/types.js';
import { stripRefs } from './names.js';

export interface Member {
  readonly name: string;
  readonly kind: 'field' | 'method';
  /** the field's type, or the method (its signature is made by the caller) */
  readonly ty: Type | null;
  readonly fn: FuncDef | null;
  /** a built-in method: `(I64, I64) -> Str` */
  readonly builtin: string | null;
}

/** The members of `t` seen from module `from`, fields first (in declaration order), then methods by name. */
export function membersOf(defs: ProgramDefs, t: Type, from: ModuleScope | null): Member[] {
  const libraryCode = from?.isStd ?? false;
  const recv = stripRefs(t);
  const fields: Member[] = [];
  const methods = new Map<string, Member>();
  const visible = (fn: FuncDef, impl: ImplDef | null) => {
    if (fn.receiver === null || fn.ctor || methods.has(fn.name)) return false;
    if (impl?.behavior) return impl.behavior.def.name !== 'Drop';
    return fn.module === from || fn.decl === null || fn.decl.isPub;
  };
  const addFn = (fn: FuncDef, impl: ImplDef | null) => {
    if (visible(fn, impl)) methods.set(fn.name, { name: fn.name, kind: 'method', ty: null, fn, builtin: null });
  };
  const addBuiltin = (name: string, params: readonly (Type | string)[], ret: Type | string) => {
    const show = (x: Type | string) => (typeof x === 'string' ? builtinTypeName(x, recv) : typeToString(x));
    if (!methods.has(name)) methods.set(name, { name, kind: 'method', ty: null, fn: null, builtin: `(${params.map(show).join(', ')}) -> ${show(ret)}` });
  };
  if (recv.k === 'adt') {
    const subst = substFor(recv.def.params, recv.args);
    for (const f of recv.def.fields) {
      if (f.libraryPrivate && !libraryCode) continue;
      fields.push({ name: f.name, kind: 'field', ty: substitute(f.ty, subst), fn: null, builtin: null });
    }
    for (let def: AdtDef | null = recv.def; def; def = def.cls?.base?.def ?? null) {
      for (const impl of defs.impls) if (appliesTo(impl, def, recv)) impl.methods.forEach((m) => addFn(m, impl));
      def.cls?.methods.forEach((m) => addFn(m as FuncDef, null));
    }
  } else {
    for (const impl of defs.impls) if (impl.target.k !== 'param' && typeEquals(impl.target, recv)) impl.methods.forEach((m) => addFn(m, impl));
    if (recv.k === 'str') for (const [name, m] of Object.entries(STR_METHODS)) addBuiltin(name, m.params, m.ret);
    if (recv.k === 'int') {
      for (const [name, m] of Object.entries(INT_METHODS)) if (recv.signed || !SIGNED_ONLY_METHODS.has(name)) addBuiltin(name, m.params, m.ret);
    }
    if (recv.k === 'float') for (const [name, m] of Object.entries(FLOAT_METHODS)) addBuiltin(name, m.params, m.ret);
    if (recv.k === 'bool' || recv.k === 'char') for (const [name, m] of Object.entries(SIMPLE_METHODS)) addBuiltin(name, m.params, m.ret);
    if (recv.k === 'array') addBuiltin('len', [], 'I64');
  }
  return [...fields, ...[...methods.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))];
}

/** Whether `impl` gives methods to values of `def` seen as `recv`: a generic impl (`impl[T] List[T]`) does; one for
 * particular arguments (`impl List[Str]`) only when they are the receiver's. */
function appliesTo(impl: ImplDef, def: AdtDef, recv: Type): boolean {
  if (impl.target.k !== 'adt' || impl.target.def !== def) return false;
  if (impl.target.args.every((a) => a.k === 'param')) return true;
  return recv.k === 'adt' && recv.def === def && typeEquals(impl.target, recv);
}

/** The built-in tables' placeholders as TML types (`self`: the receiver's). */
function builtinTypeName(x: string, recv: Type): string {
  switch (x) {
    case 'self':
      return typeToString(recv);
    case 'maybe-self':
      return `Maybe[${typeToString(recv)}]`;
    case 'maybe-i64':
      return 'Maybe[I64]';
    case 'maybe-f64':
      return 'Maybe[F64]';
    case 'list-str':
      return 'List[Str]';
    default:
      return x;
  }
}
