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
  | { k: 'lit' } // a literal of an infinite type (Str, floats): covers some values, never all
  | { k: 'range'; lo: bigint; hi: bigint } // integers and Char: an inclusive interval
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
    case 'LiteralPat': {
      if (p.value.kind === 'BoolLit') return { k: 'ctor', ctor: String(p.value.value), args: [] };
      const v = scalar(p.value);
      return v === null ? { k: 'lit' } : { k: 'range', lo: v, hi: v };
    }
    case 'RangePat': {
      const lo = scalar(p.lo);
      const hi = scalar(p.hi);
      if (lo === null || hi === null) return { k: 'lit' };
      return { k: 'range', lo, hi: p.inclusive ? hi : hi - 1n };
    }
    case 'TuplePat':
      return { k: 'ctor', ctor: 'tuple', args: p.elems.map((e) => lower(e, input)) };
    case 'ArrayPat': {
      // a fixed-size array: its elements, with `..` standing for as many wildcards as fill the size
      let t = input.resolve(input.body.patTypes.get(p.id) ?? { k: 'error' });
      if (t.k === 'ref') t = input.resolve(t.inner);
      if (t.k !== 'array') return { k: 'lit' };
      const rest = p.elems.findIndex((e) => e.kind === 'RestPat');
      const elems = rest < 0 ? p.elems : [...p.elems.slice(0, rest), ...Array(Math.max(0, t.size - p.elems.length + 1)).fill({ kind: 'WildcardPat', id: -1, span: p.span }), ...p.elems.slice(rest + 1)];
      if (elems.length !== t.size) return { k: 'lit' };
      return { k: 'ctor', ctor: 'array', args: elems.map((e: ast.Pattern) => lower(e, input)) };
    }
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
  if (t.k === 'array') return [{ ctor: 'array', arity: t.size, fieldTypes: Array(t.size).fill(t.elem), show: (a) => `[${a.join(', ')}]` }];
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
  const heads = rows.map((r) => r[0]!);
  const domain = scalarDomain(input.resolve(ty));
  if (domain && heads.some((h) => h.k === 'range')) return usefulRanges(rows, domain, ty, restTys, input, depth);
  const ctors = constructors(ty, input);
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

/** The value of an integer or Char literal pattern (with a leading minus), or null. */
function scalar(e: ast.Expr): bigint | null {
  if (e.kind === 'IntLit') return e.value;
  if (e.kind === 'CharLit') return BigInt(e.value);
  if (e.kind === 'Unary' && e.op === '-' && e.operand.kind === 'IntLit') return -e.operand.value;
  return null;
}

/** All values of an integer type or of Char, as an inclusive interval. */
function scalarDomain(t: Type): { lo: bigint; hi: bigint; char: boolean } | null {
  if (t.k === 'ref') return null;
  if (t.k === 'char') return { lo: 0n, hi: 0x10ffffn, char: true };
  if (t.k !== 'int') return null;
  const bits = BigInt(t.bits);
  return t.signed ? { lo: -(1n << (bits - 1n)), hi: (1n << (bits - 1n)) - 1n, char: false } : { lo: 0n, hi: (1n << bits) - 1n, char: false };
}

/** Usefulness over an integer/Char column: split the domain at every pattern bound into elementary intervals; each
 * is matched by the rows whose head is a wildcard or an interval containing it. */
function usefulRanges(rows: Pat[][], d: { lo: bigint; hi: bigint; char: boolean }, _ty: Type, restTys: Type[], input: CoverageInput, depth: number): string[] | null {
  const cuts = new Set<bigint>([d.lo, d.hi + 1n]);
  for (const r of rows) {
    const h = r[0]!;
    if (h.k === 'range') {
      if (h.lo > d.lo && h.lo <= d.hi) cuts.add(h.lo);
      if (h.hi + 1n > d.lo && h.hi + 1n <= d.hi) cuts.add(h.hi + 1n);
    }
  }
  const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 0; i + 1 < points.length; i++) {
    const lo = points[i]!;
    const hi = points[i + 1]! - 1n;
    const spec = rows.filter((r) => r[0]!.k === 'wild' || (r[0]!.k === 'range' && (r[0] as { lo: bigint }).lo <= lo && hi <= (r[0] as { hi: bigint }).hi)).map((r) => r.slice(1));
    const w = useful(spec, restTys, input, depth + 1);
    if (w) {
      const show = d.char ? `'${String.fromCodePoint(Number(lo))}'` : String(lo);
      return [lo === hi ? show : `${show} through ${d.char ? `'${String.fromCodePoint(Number(hi))}'` : String(hi)}`, ...w];
    }
  }
  return null;
}
