// `@derive(Eq, Duplicate, Display, Debug, Hash, Default)` (LANGUAGE.md §2.2): each derived behavior becomes an
// ordinary `impl` written in TML and parsed before collection, so the normal collector, checker and lowering handle
// it like a hand-written one (no special case after this file). The generated code's spans are the `@derive`
// attribute's, so anything reported inside it points there. The rules a derive needs — every field's type
// implements the behavior, no hand-written impl of it — are checked here (checkDerived) after the signatures are
// collected, so they are reported at the field or the impl, not as errors inside code the user never wrote.
import * as ast from '../syntax/ast.js';
import { printType } from '../syntax/ast_print.js';
import { DiagnosticBag } from '../syntax/diagnostics.js';
import { parseModule } from '../syntax/parser.js';
import { SourceFile, type Span } from '../syntax/source.js';
import { respan } from '../syntax/respan.js';
import { closest } from './attributes.js';
import { walk } from './lints/walk.js';
import type { ImplDef, ProgramDefs } from './defs.js';
import { isErrorish } from './error_type.js';
import { ImplFinder } from './impls.js';
import { InferCtx } from './infer.js';
import { substitute, typeToString, type Type } from './types.js';

/** The behaviors `@derive` can write, in the order the language description lists them. */
export const DERIVABLE = ['Eq', 'Duplicate', 'Display', 'Debug', 'Hash', 'Default'] as const;
type Derivable = (typeof DERIVABLE)[number];

type TypeItem = Extract<ast.Item, { kind: 'Struct' | 'Enum' }>;

/** A generated impl: which type and behavior it derives, and the attribute that asked for it. */
export interface DerivedImpl {
  readonly item: TypeItem;
  readonly behavior: Derivable;
  readonly attr: ast.Attribute;
}

/** The module with an impl item appended for each derived behavior; `derived` records what each one is. */
export function expandDerives(mod: ast.Module, diags: DiagnosticBag, derived: Map<ast.Item, DerivedImpl>): ast.Module {
  const extra: ast.Item[] = [];
  for (const item of mod.items) {
    if (item.kind !== 'Struct' && item.kind !== 'Enum' && item.kind !== 'Union') continue;
    for (const attr of item.attrs) {
      if (attr.name !== 'derive') continue;
      if (item.kind === 'Union') {
        diags.error('E0763', '`@derive` cannot be used on a union', attr.span, {
          label: 'not allowed on a union',
          notes: ['a union does not know which of its fields is live; write the `impl` by hand'],
        });
        continue;
      }
      for (const behavior of derivedNames(attr, item, diags)) {
        const impl = generate(item, behavior, attr.span, diags);
        if (impl === null) continue;
        derived.set(impl, { item, behavior, attr });
        extra.push(impl);
      }
    }
  }
  return extra.length ? { ...mod, items: [...mod.items, ...extra] } : mod;
}

/** The valid behavior names of one `@derive(...)`; the others are reported. */
function derivedNames(attr: ast.Attribute, item: TypeItem, diags: DiagnosticBag): Derivable[] {
  const out: Derivable[] = [];
  if (attr.args.length === 0) {
    diags.error('E0760', '`@derive` needs the behaviors to derive', attr.span, { notes: [`write e.g. \`@derive(Eq, Debug)\`; the derivable behaviors are ${listed()}`] });
  }
  for (const arg of attr.args) {
    const name = arg.kind === 'Path' && arg.segments.length === 1 && arg.segments[0]!.args === null ? arg.segments[0]!.name : null;
    if (name === null) {
      diags.error('E0760', '`@derive` takes the names of behaviors', arg.span, { label: 'not a behavior name', notes: [`the derivable behaviors are ${listed()}`] });
      continue;
    }
    if (!(DERIVABLE as readonly string[]).includes(name)) {
      const near = closest(name, DERIVABLE);
      const notes = [...(near ? [`did you mean \`${near}\`?`] : []), `the derivable behaviors are ${listed()}`];
      diags.error('E0760', `cannot derive \`${name}\`: it is not a derivable behavior`, arg.span, { label: 'not derivable', notes });
      continue;
    }
    const b = name as Derivable;
    if (out.includes(b)) {
      diags.error('E0764', `\`${b}\` is derived twice`, arg.span, { label: `\`${b}\` already listed` });
      continue;
    }
    if (b === 'Default' && item.kind === 'Enum') {
      diags.error('E0761', '`Default` cannot be derived for an enum', arg.span, {
        label: 'no variant is the obvious default',
        notes: [`write \`impl Default for ${item.name} { func default() -> ${item.name} { … } }\` naming the variant`],
      });
      continue;
    }
    out.push(b);
  }
  return out;
}

const listed = (): string => DERIVABLE.map((d) => `\`${d}\``).join(', ');

// ---------- generating the impls ----------

/** One shape of fields: a struct's, or one variant's (unit, tuple or named). */
interface Shape {
  readonly kind: 'unit' | 'tuple' | 'struct';
  readonly names: string[];
  readonly types: ast.TypeExpr[];
  readonly defaults: boolean[];
}

function structShape(item: Extract<ast.Item, { kind: 'Struct' }>): Shape {
  return { kind: 'struct', names: item.fields.map((f) => f.name), types: item.fields.map((f) => f.type), defaults: item.fields.map((f) => f.default !== null) };
}

function variantShape(v: ast.Variant): Shape {
  if (v.shape.kind === 'unit') return { kind: 'unit', names: [], types: [], defaults: [] };
  if (v.shape.kind === 'tuple') return { kind: 'tuple', names: v.shape.types.map((_, i) => String(i)), types: v.shape.types, defaults: v.shape.types.map(() => false) };
  return { kind: 'struct', names: v.shape.fields.map((f) => f.name), types: v.shape.fields.map((f) => f.type), defaults: v.shape.fields.map(() => false) };
}

/** `Name::V(a0, a1)` / `Name::V { x: a0 }` / `Name::V`: a pattern (or constructor) of variant v with `vars`. */
function variantPath(item: TypeItem, v: ast.Variant, sh: Shape, vars: string[]): string {
  const path = `${item.name}::${v.name}`;
  if (sh.kind === 'unit') return path;
  if (sh.kind === 'tuple') return `${path}(${vars.join(', ')})`;
  return `${path} { ${sh.names.map((n, i) => `${n}: ${vars[i]}`).join(', ')} }`;
}

const vars = (prefix: string, sh: Shape): string[] => sh.names.map((_, i) => `${prefix}${i}`);

/** `when this { V(a0) => body(variant, shape, [a0]), … }` over every variant of an enum. */
function eachVariant(item: Extract<ast.Item, { kind: 'Enum' }>, body: (v: ast.Variant, sh: Shape, a: string[], index: number) => string): string {
  const arms = item.variants.map((v, i) => {
    const sh = variantShape(v);
    const a = vars('a', sh);
    return `        ${variantPath(item, v, sh, a)} => ${body(v, sh, a, i)},`;
  });
  return `when this {\n${arms.join('\n')}\n    }`;
}

/** `"Point { x: " + x.debug_string() + ", y: " + … + " }"`, as Rust's `{:?}` prints a value. */
function printed(name: string, sh: Shape, vals: string[], method: string): string {
  if (sh.kind === 'unit' || sh.names.length === 0) return JSON.stringify(name);
  const parts = vals.map((v) => `${v}.${method}()`);
  if (sh.kind === 'tuple') return `"${name}(" + ${parts.join(' + ", " + ')} + ")"`;
  return `"${name} \\{ ` + sh.names.map((n, i) => `${i ? ', ' : ''}${n}: " + ${parts[i]}`).join(' + "') + ' + " }"';
}

/** `h = h * 31 + x.hash()` for each value, wrapping, starting from `seed`: a block of I64. */
function hashed(seed: number, vals: string[]): string {
  const steps = vals.map((v) => `        h = h.wrapping_mul(31).wrapping_add(${v}.hash())\n`).join('');
  return `{\n        var h: I64 = ${seed}\n${steps}        h\n    }`;
}

function body(item: TypeItem, behavior: Derivable, self: string): string {
  if (item.kind === 'Struct') {
    const sh = structShape(item);
    const mine = sh.names.map((n) => `this.${n}`);
    switch (behavior) {
      case 'Eq':
        return `func eq(this, other: ref ${self}) -> Bool { ${sh.names.map((n) => `this.${n} == other.${n}`).join(' and ') || 'true'} }`;
      case 'Duplicate':
        return `func duplicate(this) -> ${self} { ${item.name} { ${sh.names.map((n) => `${n}: this.${n}.duplicate()`).join(', ')} } }`;
      case 'Display':
        return `func to_string(this) -> Str { ${printed(item.name, sh, mine, 'to_string')} }`;
      case 'Debug':
        return `func debug_string(this) -> Str { ${printed(item.name, sh, mine, 'debug_string')} }`;
      case 'Hash':
        return `func hash(this) -> I64 ${hashed(17, mine)}`;
      case 'Default': {
        // a field with a declared default keeps it (left out of the literal)
        const fields = sh.names.map((n, i) => (sh.defaults[i] ? null : `${n}: ${defaultOf(sh.types[i]!, i)}`)).filter((x) => x !== null);
        return `func default() -> ${self} { ${item.name} { ${fields.join(', ')} } }`;
      }
    }
  }
  switch (behavior) {
    case 'Eq': {
      const many = item.variants.length > 1;
      return `func eq(this, other: ref ${self}) -> Bool {\n    ${eachVariant(item, (v, sh, a) => {
        const b = vars('b', sh);
        const same = a.map((x, i) => `${x} == ${b[i]}`).join(' and ') || 'true';
        return `when other { ${variantPath(item, v, sh, b)} => ${same}${many ? ', _ => false' : ''} }`;
      })}\n}`;
    }
    case 'Duplicate':
      return `func duplicate(this) -> ${self} {\n    ${eachVariant(item, (v, sh, a) => variantPath(item, v, sh, a.map((x) => `${x}.duplicate()`)))}\n}`;
    case 'Display':
      return `func to_string(this) -> Str {\n    ${eachVariant(item, (v, sh, a) => printed(v.name, sh, a, 'to_string'))}\n}`;
    case 'Debug':
      return `func debug_string(this) -> Str {\n    ${eachVariant(item, (v, sh, a) => printed(v.name, sh, a, 'debug_string'))}\n}`;
    case 'Hash':
      return `func hash(this) -> I64 {\n    ${eachVariant(item, (_v, _sh, a, i) => hashed(i, a))}\n}`;
    case 'Default':
      throw new Error('internal: Default is not derived for enums');
  }
}

/** What `defaultOf` writes for `T::default()`, field `i`'s type T written as a path: `DEFAULT_OF<i>()`, whose callee
 * `fillDefaults` replaces by the path after parsing. Written out, the type would go through the expression `Name[`
 * rule, which reads `List[point]` (a lowercase type name) as indexing. */
const DEFAULT_OF = '__derived_default_of_field_';

/** `T::default()` for field `i` of type T written as a path (see DEFAULT_OF). Other types have no `Default` except `()`
 * (tuples, arrays, pointers, functions: checkDerived rejects the derive with E0762 before this code is checked). */
function defaultOf(t: ast.TypeExpr, i: number): string {
  if (t.kind === 'PathType') return `${DEFAULT_OF}${i}()`;
  if (t.kind === 'TupleType' && t.elems.length === 0) return '()';
  return 'panic("no default")';
}

/** Each `DEFAULT_OF<i>` callee becomes the path `T::default`, T field i's type as written: its nodes are copied, with
 * node ids of their own. */
function fillDefaults(impl: ast.Item, item: TypeItem): void {
  if (item.kind !== 'Struct') return;
  const types = structShape(item).types;
  walk(impl, (node) => {
    if (node.kind !== 'Path') return;
    const path = node as unknown as { segments: ast.PathSegment[] };
    const first = path.segments[0]!;
    if (path.segments.length !== 1 || !first.name.startsWith(DEFAULT_OF)) return;
    const t = types[Number(first.name.slice(DEFAULT_OF.length))];
    if (t?.kind !== 'PathType') throw new Error(`internal: no path type for derived \`${first.name}\``);
    const copy = structuredClone(t.segments);
    walk(copy, (n) => {
      if (typeof n.id === 'number') (n as { id: number }).id = ast.newId();
    });
    path.segments = [...copy, { name: 'default', args: null, span: first.span }];
  });
}

/**
 * `impl[T: Eq + Bound] Eq for Pair[T] { … }` as an AST item whose spans are all `span`. Null when the type's own
 * declaration is broken so that the impl cannot be written (its name or a bound is missing after a syntax error that
 * is reported already); without an earlier error, a derived impl that does not parse is a bug in this file.
 */
function generate(item: TypeItem, behavior: Derivable, span: Span, diags: DiagnosticBag): ast.Item | null {
  const params = item.typeParams.map((p) => `${p.name}: ${[behavior, ...p.bounds.map(printType)].join(' + ')}`);
  const self = item.typeParams.length ? `${item.name}[${item.typeParams.map((p) => p.name).join(', ')}]` : item.name;
  const text = `impl${params.length ? `[${params.join(', ')}]` : ''} ${behavior} for ${self} {\n${body(item, behavior, self)}\n}\n`;
  const bag = new DiagnosticBag();
  const parsed = parseModule(new SourceFile(span.file, text), bag);
  if (bag.hasErrors() || parsed.items.length !== 1) {
    if (diags.hasErrors()) return null;
    throw new Error(`internal: derived impl does not parse:\n${text}`);
  }
  const impl = parsed.items[0]!;
  if (behavior === 'Default') fillDefaults(impl, item);
  respan(impl, span);
  return impl;
}

// ---------- checking them ----------

/**
 * After collection: a derived impl whose type already has a hand-written impl of the behavior (E0119), or with a
 * field whose type lacks the behavior (E0762, at the field), is reported and removed, so its body is never checked;
 * one with a field whose type is wrong (reported at the field) says nothing more (`silence`).
 */
export function checkDerived(defs: ProgramDefs, derived: Map<ast.Item, DerivedImpl>, diags: DiagnosticBag): void {
  const bad = new Set<ImplDef>();
  for (const impl of defs.impls) {
    const d = impl.decl ? derived.get(impl.decl) : undefined;
    const target = impl.target;
    if (!d || target.k !== 'adt' || !impl.behavior) continue;
    const hand = defs.impls.find((o) => o !== impl && o.behavior?.def === impl.behavior!.def && o.target.k === 'adt' && o.target.def === target.def);
    if (hand) {
      diags.error('E0119', `conflicting implementations of \`${d.behavior}\` for \`${d.item.name}\``, hand.span, {
        label: 'conflicting implementation',
        secondary: [{ span: d.attr.span, message: `\`@derive(${d.behavior})\` implements it already` }],
        notes: [`remove \`${d.behavior}\` from \`@derive\` or this \`impl\``],
      });
      bad.add(impl);
      continue;
    }
    // the ADT's fields are in its own params; the impl has fresh ones in the same order
    const subst = new Map<number, Type>(target.def.params.map((p, i) => [p.id, target.args[i]!]));
    const finder = new ImplFinder(defs, new InferCtx(), impl.bounds);
    const fields = target.def.kind === 'enum' ? target.def.variants.flatMap((v) => v.fields) : target.def.fields.filter((f) => !(d.behavior === 'Default' && f.hasDefault));
    for (const f of fields) {
      const ty = substitute(f.ty, subst);
      // a field whose type is wrong is reported at the field already: the impl stays (so that `T::default()` and
      // `x == y` still resolve) with bodies that say nothing more
      if (isErrorish(ty)) {
        silence(impl, d.attr.span);
        break;
      }
      // `()` has none of the built-in methods the generated code calls (a field of it carries nothing)
      const ok = ty.k !== 'unit' && !(d.behavior === 'Hash' && ty.k === 'float') && finder.implements(ty, impl.behavior.def);
      if (ok) continue;
      const shown = typeToString(f.ty);
      diags.error('E0762', `cannot derive \`${d.behavior}\` for \`${d.item.name}\`: the field's type \`${shown}\` does not implement \`${d.behavior}\``, f.span, {
        label: `\`${shown}\` does not implement \`${d.behavior}\``,
        secondary: [{ span: d.attr.span, message: `\`${d.behavior}\` derived here` }],
        notes: [
          ty.k === 'float' && d.behavior === 'Hash' ? 'floats have no `Hash` (NaN is not equal to itself)'
          : ty.k === 'unit' ? 'a `()` field carries nothing: remove it, or write this `impl` by hand'
          : `implement \`${d.behavior}\` for \`${shown}\`, or write this \`impl\` by hand`,
        ],
      });
      bad.add(impl);
    }
  }
  for (let i = defs.impls.length - 1; i >= 0; i--) if (bad.has(defs.impls[i]!)) defs.impls.splice(i, 1);
}

/** A derived impl's method bodies become `{ panic(…) }`: it is never run (the program has an error), and its checks
 * would only repeat the field type's error at the `@derive`. */
function silence(impl: ImplDef, span: Span): void {
  for (const fn of impl.methods.values()) {
    if (!fn.decl) continue;
    const parsed = parseModule(new SourceFile(span.file, 'func f() { panic("derived for a type with errors") }\n'), new DiagnosticBag());
    const body = (parsed.items[0] as ast.FuncDecl).body;
    respan(body, span);
    (fn.decl as { body: ast.FuncDecl['body'] }).body = body;
  }
}
