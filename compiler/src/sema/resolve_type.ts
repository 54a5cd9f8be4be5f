// Resolving written types (`List[I32]`, `ref Point`, `func(I32) -> Str`) and names in module scopes.
import type * as ast from '../syntax/ast.js';
import type { DiagSink } from './error_type.js';
import type { Binding, FuncDef, ModuleScope, ProgramDefs } from './defs.js';
import { isIntName, intType, substFor, substitute, T, typeToString, type BehaviorRef, type ParamType, type Type } from './types.js';
import { isVisible, privacyReporter } from './visibility.js';
import { unknownTypeSuggestions } from './name_help.js';

export interface TypeScope {
  readonly module: ModuleScope;
  readonly params: ReadonlyMap<string, ParamType>;
  readonly selfType: Type | null;
  readonly defs: ProgramDefs;
  /** what `This::Name` means here: an impl's associated types, or a behavior's params (`This::Item`) */
  readonly assoc?: ReadonlyMap<string, Type>;
}

/** The `This::Name` types of a function: its impl's associated types (given, or the arguments of its generic
 * behavior by param name), or the params of the behavior declaring it. */
export function assocTypesOf(fn: FuncDef): ReadonlyMap<string, Type> | undefined {
  if (fn.impl) return fn.impl.assocTypes;
  if (fn.behavior) return new Map(fn.behavior.params.map((p) => [p.name, p]));
  return undefined;
}

/** A name as seen from a module: its own items and imports, then the prelude. */
export function lookupName(defs: ProgramDefs, scope: ModuleScope, name: string): Binding | undefined {
  return scope.names.get(name) ?? defs.prelude?.names.get(name);
}

/** What lookupPath calls for a segment the module `scope` may not name (it still follows it: one error, no cascade). */
export type OnPrivate = (target: ModuleScope, name: string, b: Binding | undefined) => void;

/** Follow a `::` path through modules; returns the binding of the last segment. */
export function lookupPath(defs: ProgramDefs, scope: ModuleScope, names: string[], onPrivate?: OnPrivate): Binding | undefined {
  let b = lookupName(defs, scope, names[0]!);
  for (let i = 1; i < names.length; i++) {
    if (b?.k !== 'module') return undefined;
    const target = b.scope;
    b = target.names.get(names[i]!);
    if (b !== undefined && onPrivate !== undefined && !isVisible(target, names[i]!, scope)) onPrivate(target, names[i]!, b);
  }
  return b;
}

export function primitiveType(name: string): Type | null {
  if (isIntName(name)) return intType(name);
  switch (name) {
    case 'F32':
      return T.f32;
    case 'F64':
      return T.f64;
    case 'Bool':
      return T.bool;
    case 'Char':
      return T.char;
    case 'Str':
    case 'String':
      return T.str;
    case 'Unit':
      return T.unit;
    case 'Never':
      return T.never;
    default:
      return null;
  }
}

export function resolveType(te: ast.TypeExpr, ts: TypeScope, diags: DiagSink): Type {
  switch (te.kind) {
    case 'PathType':
      return resolvePathType(te, ts, diags);
    case 'RefType':
      return { k: 'ref', mutable: te.mutable, inner: resolveType(te.inner, ts, diags) };
    case 'PtrType':
      return { k: 'ptr', inner: resolveType(te.inner, ts, diags) };
    case 'TupleType':
      return te.elems.length === 0 ? T.unit : { k: 'tuple', elems: te.elems.map((e) => resolveType(e, ts, diags)) };
    case 'ArrayType': {
      const elem = resolveType(te.elem, ts, diags);
      const size = constArraySize(te.size, ts);
      if (size === null) {
        diags.error('E0308', 'array length must be a non-negative integer literal or constant', te.size.span);
        return T.error;
      }
      return { k: 'array', elem, size };
    }
    case 'FuncType':
      return { k: 'func', params: te.params.map((p) => resolveType(p, ts, diags)), ret: te.ret ? resolveType(te.ret, ts, diags) : T.unit };
    case 'DynType': {
      const b = resolveBound(te.behavior, ts, diags);
      return b ? { k: 'dyn', behavior: b.def, args: b.args } : T.error;
    }
    case 'ImplType':
      diags.error('E0562', '`impl Behavior` types are not supported yet', te.span);
      return T.error;
    case 'InferType':
      diags.error('E0121', 'the placeholder `_` is not allowed in this type', te.span);
      return T.error;
  }
}

function constArraySize(e: ast.Expr, ts: TypeScope): number | null {
  if (e.kind === 'IntLit') return Number(e.value);
  if (e.kind === 'Path' && e.segments.length === 1) {
    const b = lookupName(ts.defs, ts.module, e.segments[0]!.name);
    if (b?.k === 'const' && b.def.decl.value.kind === 'IntLit') return Number(b.def.decl.value.value);
  }
  return null;
}

function resolvePathType(te: Extract<ast.TypeExpr, { kind: 'PathType' }>, ts: TypeScope, diags: DiagSink): Type {
  const segs = te.segments;
  const last = segs[segs.length - 1]!;
  const args = (last.args ?? []).map((a) => resolveType(a, ts, diags));
  if (segs.length === 1) {
    const name = last.name;
    if (name === 'This') {
      if (ts.selfType) return ts.selfType;
      diags.error('E0411', 'cannot find type `This` in this scope', te.span, { notes: ['`This` is only available in impls and behaviors'] });
      return T.error;
    }
    const p = ts.params.get(name);
    if (p) return p;
    const prim = primitiveType(name);
    if (prim) return expectNoArgs(prim, name, args, te, diags);
    if (name === 'Ptr') {
      if (args.length !== 1) return wrongArgs(name, 1, args.length, te, diags);
      return { k: 'ptr', inner: args[0]! };
    }
  }
  if (segs.length === 2 && segs[0]!.name === 'This') {
    const a = ts.assoc?.get(last.name);
    if (a) return a;
    diags.error('E0220', `associated type \`This::${last.name}\` is not supported yet`, te.span);
    return T.error;
  }
  const b = lookupPath(ts.defs, ts.module, segs.map((s) => s.name), privacyReporter(diags, te.span));
  if (!b) {
    const suggestions = segs.length === 1 ? unknownTypeSuggestions(ts.defs, ts.module, last.name, last.span, ts.params.keys()) : [];
    diags.error('E0412', `cannot find type \`${segs.map((s) => s.name).join('::')}\` in this scope`, te.span, { label: 'not found in this scope', suggestions });
    return T.error;
  }
  switch (b.k) {
    case 'adt':
      if (args.length !== b.def.params.length) return wrongArgs(b.def.name, b.def.params.length, args.length, te, diags);
      // references are second-class: never elements of collections or contents of owners (Maybe/Outcome may
      // carry the confined result of `HashMap.get`)
      if (!ts.module.isStd && b.def.name !== 'Maybe' && b.def.name !== 'Outcome' && args.some((a) => a.k === 'ref')) {
        diags.error('E0106', `\`${b.def.name}\` cannot hold references`, te.span, { notes: ['references are second-class: store owners or copies instead'] });
      }
      return { k: 'adt', def: b.def, args };
    case 'alias':
      if (args.length !== b.params.length) return wrongArgs(last.name, b.params.length, args.length, te, diags);
      return substitute(b.ty, substFor(b.params, args));
    case 'type':
      return b.ty;
    default:
      diags.error('E0573', `expected type, found ${describeBinding(b)} \`${last.name}\``, te.span, { label: 'not a type' });
      return T.error;
  }
}

/** A behavior reference (`Iterator[I32]`); `assoc`: an impl's associated types, which give the arguments of a
 * generic behavior written without them (`impl Iterator for C { type Item = I32 }` is `impl Iterator[I32] for C`). */
export function resolveBound(te: ast.TypeExpr, ts: TypeScope, diags: DiagSink, assoc: readonly ast.AssocTypeDef[] | null = null): BehaviorRef | null {
  if (te.kind !== 'PathType') {
    diags.error('E0404', 'expected a behavior', te.span);
    return null;
  }
  const b = lookupPath(ts.defs, ts.module, te.segments.map((s) => s.name), privacyReporter(diags, te.span));
  if (b?.k !== 'behavior') {
    const name = te.segments.map((s) => s.name).join('::');
    if (!b) diags.error('E0405', `cannot find behavior \`${name}\` in this scope`, te.span, { label: 'not found in this scope' });
    else diags.error('E0404', `expected behavior, found ${describeBinding(b)} \`${name}\``, te.span, { label: 'not a behavior' });
    return null;
  }
  let args = (te.segments[te.segments.length - 1]!.args ?? []).map((a) => resolveType(a, ts, diags));
  const params = b.def.params;
  if (args.length === 0 && params.length > 0 && assoc && params.every((p) => assoc.some((a) => a.name === p.name))) {
    args = params.map((p) => resolveType(assoc.find((a) => a.name === p.name)!.type, ts, diags));
  }
  if (args.length !== params.length) {
    const want = `${params.length} type argument${params.length === 1 ? '' : 's'}`;
    diags.error('E0751', `behavior \`${b.def.name}\` takes ${want} but ${args.length} ${args.length === 1 ? 'was' : 'were'} supplied`, te.span, {
      notes: params.length > args.length
        ? [`write \`${b.def.name}[${params.map((p) => p.name).join(', ')}]\`${assoc ? `, or give ${params.map((p) => `\`type ${p.name} = …\``).join(' and ')} in the impl` : ''}`]
        : [],
    });
    args = params.map((_, i) => args[i] ?? T.error);
  }
  return { def: b.def, args };
}

function expectNoArgs(t: Type, name: string, args: Type[], te: ast.TypeExpr, diags: DiagSink): Type {
  if (args.length) diags.error('E0107', `type \`${name}\` takes no type arguments`, te.span);
  return t;
}

function wrongArgs(name: string, want: number, got: number, te: ast.TypeExpr, diags: DiagSink): Type {
  diags.error('E0107', `type \`${name}\` takes ${want} type argument${want === 1 ? '' : 's'} but ${got} ${got === 1 ? 'was' : 'were'} supplied`, te.span);
  return T.error;
}

export function describeBinding(b: Binding): string {
  switch (b.k) {
    case 'adt':
      return b.def.kind === 'enum' ? 'enum' : 'struct';
    case 'behavior':
      return 'behavior';
    case 'fn':
      return 'function';
    case 'const':
      return 'constant';
    case 'variant':
      return 'variant';
    case 'module':
      return 'module';
    case 'alias':
    case 'type':
      return 'type';
  }
}

export { typeToString };
