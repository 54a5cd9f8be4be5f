// Exhaustiveness of `when` (LANGUAGE.md §5: a missing case is an error naming an example value). The classic
// usefulness algorithm over pattern matrices: a wildcard row is useful after the arms iff some value is not
// covered, and the recursion builds that value as the example.
import type * as ast from '../syntax/ast.js';
import type { TypedBody } from './typed.js';
import { variantFields, type Type } from './types.js';

/** A pattern reduced to what matters for coverage. */
type Pat =
  | { k: 'wild' }
  | { k: 'ctor'; ctor: string; args: Pat[] } // enum variant (by index), tuple ('tuple'), struct ('struct'), bool ('true'/'false')
  | { k: 'lit' } // a literal or range: covers some, never all, values of an infinite type
  | { k: 'or'; alts: Pat[] };

export interface CoverageInput {
  readonly body: TypedBody;
  /** resolves a pattern's type with inference variables resolved */
  readonly resolve: (t: Type) => Type;
}

/** Returns an example of an uncovered value, or null when the arms are exhaustive. */
export function missingCase(arms: { pattern: ast.Pattern; guarded: boolean }[], scrutTy: Type, input: CoverageInput): string | null {
  const rows: Pat[][] = arms.filter((a) => !a.guarded).map((a) => [lower(a.pattern, input)]);
  const witness = useful(rows, [input.resolve(scrutTy)], input);
  return witness ? witness[0]! : null;
}

function lower(p: ast.Pattern, input: CoverageInput): Pat {
  switch (p.kind) {
    case 'WildcardPat':
    case 'RestPat':
      return { k: 'wild' };
    case 'IdentPat': {
      const v = input.body.patVariants.get(p.id);
      return v ? { k: 'ctor', ctor: String(v.index), args: [] } : { k: 'wild' };
    }
    case 'LiteralPat':
      if (p.value.kind === 'BoolLit') return { k: 'ctor', ctor: String(p.value.value), args: [] };
      return { k: 'lit' };
    case 'RangePat':
      return { k: 'lit' };
    case 'TuplePat':
      return { k: 'ctor', ctor: 'tuple', args: p.elems.map((e) => lower(e, input)) };
    case 'ArrayPat':
      return { k: 'lit' };
    case 'VariantPat':
    case 'PathPat': {
      const idx = input.body.patVariantIndex.get(p.id);
      if (idx === undefined) return { k: 'wild' };
      return { k: 'ctor', ctor: String(idx), args: p.kind === 'VariantPat' ? p.args.map((a) => lower(a, input)) : [] };
    }
    case 'StructPat': {
      const idx = input.body.patVariantIndex.get(p.id);
      const ty = input.resolve(input.body.patTypes.get(p.id) ?? { k: 'error' });
      const adt = ty.k === 'ref' ? input.resolve(ty.inner) : ty;
      if (adt.k !== 'adt') return { k: 'wild' };
      const names = idx !== undefined ? adt.def.variants[idx]!.fields.map((f) => f.name) : adt.def.fields.map((f) => f.name);
      const args = names.map((n) => {
        const fp = p.fields.find((f) => f.name === n);
        return fp ? lower(fp.pattern, input) : ({ k: 'wild' } as Pat);
      });
      return { k: 'ctor', ctor: idx !== undefined ? String(idx) : 'struct', args };
    }
    case 'OrPat':
      return { k: 'or', alts: p.alts.map((a) => lower(a, input)) };
  }
}

/** Constructors of a type when it has finitely many; null for infinite types (ints, strings, …). */
function constructors(t: Type, input: CoverageInput): { ctor: string; arity: number; fieldTypes: Type[]; show: (args: string[]) => string }[] | null {
  t = input.resolve(t);
  if (t.k === 'ref') return constructors(t.inner, input);
  if (t.k === 'bool') return ['true', 'false'].map((c) => ({ ctor: c, arity: 0, fieldTypes: [], show: () => c }));
  if (t.k === 'tuple') return [{ ctor: 'tuple', arity: t.elems.length, fieldTypes: [...t.elems], show: (a) => `(${a.join(', ')})` }];
  if (t.k === 'unit') return [{ ctor: 'tuple', arity: 0, fieldTypes: [], show: () => '()' }];
  if (t.k === 'adt' && t.def.kind === 'enum') {
    const adt = t;
    return t.def.variants.map((v, i) => {
      const fts = variantFields(adt, i);
      return {
        ctor: String(i),
        arity: fts.length,
        fieldTypes: fts,
        show: (a: string[]) =>
          v.shape === 'unit' ? v.name : v.shape === 'tuple' ? `${v.name}(${a.join(', ')})` : `${v.name} { ${v.fields.map((f, j) => `${f.name}: ${a[j]}`).join(', ')} }`,
      };
    });
  }
  if (t.k === 'adt' && t.def.kind === 'struct') {
    const adt = t;
    const fts = t.def.fields.map((f) => f.ty).map((_, i) => variantFieldsOfStruct(adt, i));
    return [{ ctor: 'struct', arity: fts.length, fieldTypes: fts, show: (a) => `${adt.def.name} { ${adt.def.fields.map((f, j) => `${f.name}: ${a[j]}`).join(', ')} }` }];
  }
  return null;
}

function variantFieldsOfStruct(t: Extract<Type, { k: 'adt' }>, i: number): Type {
  const f = t.def.fields[i]!;
  const m = new Map<number, Type>();
  t.def.params.forEach((p, j) => m.set(p.id, t.args[j]!));
  return substituteSimple(f.ty, m);
}

function substituteSimple(t: Type, m: Map<number, Type>): Type {
  if (t.k === 'param') return m.get(t.id) ?? t;
  if (t.k === 'adt') return { k: 'adt', def: t.def, args: t.args.map((a) => substituteSimple(a, m)) };
  if (t.k === 'tuple') return { k: 'tuple', elems: t.elems.map((a) => substituteSimple(a, m)) };
  return t;
}

function expandOr(rows: Pat[][]): Pat[][] {
  const out: Pat[][] = [];
  for (const r of rows) {
    const h = r[0];
    if (h && h.k === 'or') for (const a of h.alts) out.push(...expandOr([[a, ...r.slice(1)]]));
    else out.push(r);
  }
  return out;
}

/** Is a row of wildcards (of the given types) useful against `rows`? Returns a witness (one string per column). */
function useful(rows: Pat[][], types: Type[], input: CoverageInput, depth = 0): string[] | null {
  rows = expandOr(rows);
  if (types.length === 0) return rows.length === 0 ? [] : null;
  if (depth > 64) return null;
  const [ty, ...restTys] = types as [Type, ...Type[]];
  const ctors = constructors(ty, input);
  const heads = rows.map((r) => r[0]!);
  if (ctors === null || !heads.some((h) => h.k === 'ctor')) {
    // only wildcards (or literals of an infinite type) matter: the default matrix
    const rest = rows.filter((r) => r[0]!.k === 'wild').map((r) => r.slice(1));
    const w = useful(rest, restTys, input, depth + 1);
    if (!w) return null;
    const sample = ctors === null ? '_' : ctors[0] ? ctors[0].show(Array(ctors[0].arity).fill('_')) : '_';
    return [ctors === null ? '_' : sample, ...w];
  }
  for (const c of ctors) {
    const spec: Pat[][] = [];
    for (const r of rows) {
      const h = r[0]!;
      if (h.k === 'wild') spec.push([...Array(c.arity).fill({ k: 'wild' }), ...r.slice(1)]);
      else if (h.k === 'ctor' && h.ctor === c.ctor) {
        // a pattern of the wrong arity was reported by the checker; cover its missing fields with wildcards
        const args = Array.from({ length: c.arity }, (_, i) => h.args[i] ?? ({ k: 'wild' } as Pat));
        spec.push([...args, ...r.slice(1)]);
      }
    }
    const w = useful(spec, [...c.fieldTypes, ...restTys], input, depth + 1);
    if (w) return [c.show(w.slice(0, c.arity)), ...w.slice(c.arity)];
  }
  return null;
}
