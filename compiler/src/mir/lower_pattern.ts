// Patterns in MIR: a test (does the value at a place match? jump to ok or fail) and binding (declare the pattern's
// variables from the parts of the place). Matching through a reference reads parts through it.
import type * as ast from '../syntax/ast.js';
import { T, structFields, variantFields, type Type } from '../sema/types.js';
import { constInt } from './builder.js';
import type { BasicBlock, Operand, Place, Projection } from './mir.js';
import { place } from './mir.js';
import type { FnLowerer } from './lower_fn.js';

function extend(p: Place, ...proj: Projection[]): Place {
  return { local: p.local, proj: [...p.proj, ...proj] };
}

/** Strip references from the matched place (default binding mode). */
function through(l: FnLowerer, p: Place, t: Type): { p: Place; t: Type } {
  while (t.k === 'ref') {
    p = extend(p, { k: 'deref' });
    t = t.inner;
  }
  return { p, t };
}

export function lowerPatternTest(l: FnLowerer, pat: ast.Pattern, p0: Place, t0: Type, ok: BasicBlock, fail: BasicBlock): void {
  const b = l.b;
  const span = pat.span;
  const { p, t } = pat.kind === 'IdentPat' && !l.body.patVariants.has(pat.id) ? { p: p0, t: t0 } : through(l, p0, t0);
  switch (pat.kind) {
    case 'WildcardPat':
    case 'RestPat':
      b.goto(ok);
      return;
    case 'IdentPat': {
      const v = l.body.patVariants.get(pat.id);
      if (!v) return b.goto(ok);
      return variantTest(l, p, v.index, ok, fail, span);
    }
    case 'LiteralPat': {
      const c = b.temp(T.bool, span);
      if (t.k === 'str') {
        const lit = pat.value.kind === 'StrLit' ? pat.value.value : '';
        const r = b.temp(T.i32, span);
        b.call(place(r), { k: 'extern', symbol: 'tml_str_eq', ret: T.i32 }, [{ k: 'copy', place: p }, { k: 'const', value: { k: 'str', value: lit }, ty: T.str }], span);
        b.assign(place(c), { k: 'binary', op: 'ne', left: { k: 'copy', place: place(r) }, right: constInt(0, T.i32) }, span);
      } else {
        const v = l.operand(pat.value);
        b.assign(place(c), { k: 'binary', op: 'eq', left: { k: 'copy', place: p }, right: v }, span);
      }
      b.branch({ k: 'copy', place: place(c) }, ok, fail, span);
      return;
    }
    case 'RangePat': {
      const lo = l.operand(pat.lo);
      const hi = l.operand(pat.hi);
      const a = b.temp(T.bool, span);
      const c = b.temp(T.bool, span);
      b.assign(place(a), { k: 'binary', op: 'ge', left: { k: 'copy', place: p }, right: lo }, span);
      b.assign(place(c), { k: 'binary', op: pat.inclusive ? 'le' : 'lt', left: { k: 'copy', place: p }, right: hi }, span);
      b.assign(place(a), { k: 'binary', op: 'and', left: { k: 'copy', place: place(a) }, right: { k: 'copy', place: place(c) } }, span);
      b.branch({ k: 'copy', place: place(a) }, ok, fail, span);
      return;
    }
    case 'TuplePat': {
      if (t.k !== 'tuple') return b.goto(fail);
      return sequence(
        l,
        pat.elems.map((e, i) => ({ pat: e, p: extend(p, { k: 'field', index: i }), t: t.elems[i]! })),
        ok,
        fail,
      );
    }
    case 'ArrayPat': {
      if (t.k !== 'array') return b.goto(fail);
      const parts: { pat: ast.Pattern; p: Place; t: Type }[] = [];
      pat.elems.forEach((e, i) => {
        if (e.kind === 'RestPat') return;
        const idx = b.temp(T.i64, span);
        b.assign(place(idx), { k: 'use', op: constInt(i, T.i64) }, span);
        parts.push({ pat: e, p: extend(p, { k: 'index', index: idx }), t: t.elem });
      });
      return sequence(l, parts, ok, fail);
    }
    case 'VariantPat':
    case 'PathPat':
    case 'StructPat': {
      const idx = l.body.patVariantIndex.get(pat.id);
      if (t.k !== 'adt') return b.goto(fail);
      const subs: { pat: ast.Pattern; p: Place; t: Type }[] = [];
      if (idx !== undefined) {
        const fts = variantFields(t, idx);
        if (pat.kind === 'VariantPat') pat.args.forEach((a, i) => subs.push({ pat: a, p: extend(p, { k: 'variant', variant: idx, index: i }), t: fts[i]! }));
        if (pat.kind === 'StructPat') {
          const names = t.def.variants[idx]!.fields.map((f) => f.name);
          for (const f of pat.fields) {
            const i = names.indexOf(f.name);
            if (i >= 0) subs.push({ pat: f.pattern, p: extend(p, { k: 'variant', variant: idx, index: i }), t: fts[i]! });
          }
        }
        const inner = b.newBlock();
        variantTest(l, p, idx, inner, fail, span);
        b.switchTo(inner);
        return sequence(l, subs, ok, fail);
      }
      if (pat.kind === 'StructPat') {
        const fs = structFields(t);
        for (const f of pat.fields) {
          const i = fs.findIndex((x) => x.name === f.name);
          if (i >= 0) subs.push({ pat: f.pattern, p: extend(p, { k: 'field', index: i }), t: fs[i]!.ty });
        }
      }
      return sequence(l, subs, ok, fail);
    }
    case 'OrPat': {
      let next = b.newBlock();
      b.goto(next);
      pat.alts.forEach((a, i) => {
        b.switchTo(next);
        next = i === pat.alts.length - 1 ? fail : b.newBlock();
        lowerPatternTest(l, a, p0, t0, ok, next);
      });
      return;
    }
  }
}

function variantTest(l: FnLowerer, p: Place, index: number, ok: BasicBlock, fail: BasicBlock, span: ast.Pattern['span']): void {
  const d = l.b.temp(T.i32, span);
  l.b.assign(place(d), { k: 'discriminant', place: p }, span);
  l.b.terminate({ k: 'switch', discr: { k: 'copy', place: place(d) }, cases: [{ value: BigInt(index), target: ok.id }], otherwise: fail.id }, span);
}

function sequence(l: FnLowerer, parts: { pat: ast.Pattern; p: Place; t: Type }[], ok: BasicBlock, fail: BasicBlock): void {
  if (parts.length === 0) {
    l.b.goto(ok);
    return;
  }
  parts.forEach((part, i) => {
    const next = i === parts.length - 1 ? ok : l.b.newBlock();
    lowerPatternTest(l, part.pat, part.p, part.t, next, fail);
    if (next !== ok) l.b.switchTo(next);
  });
}

/** Declare and initialise the pattern's bindings from the matched place. */
export function bindPattern(l: FnLowerer, pat: ast.Pattern, p0: Place, t0: Type, mode: 'move' | 'ref'): void {
  const b = l.b;
  const span = pat.span;
  // moving owners out of an enum payload (MEMORY.md §2, `when` on an owned value): the scrutinee moves, once, into
  // an untracked holder; bindings take their parts from it, and every owned part no binding takes becomes a hidden
  // local dropped where the scrutinee would have been dropped (its own scope; a temporary: the end of the statement)
  if (mode === 'move' && t0.k === 'adt' && t0.def.kind === 'enum' && (pat.kind === 'VariantPat' || pat.kind === 'StructPat') && movesOwner(l, pat)) {
    const holder = b.temp(t0, span);
    b.assign(place(holder), { k: 'use', op: { k: 'move', place: p0, span } }, span);
    const home = homeOf(l, p0.local);
    bindFromHolder(l, pat, place(holder), t0, home);
    return;
  }
  if (pat.kind === 'IdentPat') {
    const lv = l.body.bindings.get(pat.id);
    if (!lv) return;
    const id = l.declare(lv);
    const lt = b.localTy(id);
    let { p, t } = { p: p0, t: t0 };
    if (lt.k === 'ref' && t.k !== 'ref') {
      b.assign(place(id), { k: 'ref', place: p, mutable: false, raw: false }, span);
      return;
    }
    if (lt.k !== 'ref' && t.k === 'ref') ({ p, t } = through(l, p, t));
    const v: Operand = l.readPlace(p, t, null);
    b.assign(place(id), { k: 'use', op: v }, span);
    l.own(id);
    return;
  }
  const { p, t } = through(l, p0, t0);
  const refMode = t0.k === 'ref' ? 'ref' : mode;
  switch (pat.kind) {
    case 'TuplePat':
      if (t.k === 'tuple') pat.elems.forEach((e, i) => bindPattern(l, e, extend(p, { k: 'field', index: i }), t.elems[i]!, refMode));
      return;
    case 'ArrayPat':
      if (t.k === 'array')
        pat.elems.forEach((e, i) => {
          if (e.kind === 'RestPat') return;
          const idx = b.temp(T.i64, span);
          b.assign(place(idx), { k: 'use', op: constInt(i, T.i64) }, span);
          bindPattern(l, e, extend(p, { k: 'index', index: idx }), t.elem, refMode);
        });
      return;
    case 'VariantPat':
    case 'StructPat': {
      if (t.k !== 'adt') return;
      const idx = l.body.patVariantIndex.get(pat.id);
      if (idx !== undefined) {
        const fts = variantFields(t, idx);
        if (pat.kind === 'VariantPat') pat.args.forEach((a, i) => bindPattern(l, a, extend(p, { k: 'variant', variant: idx, index: i }), fts[i]!, refMode));
        else {
          const names = t.def.variants[idx]!.fields.map((f) => f.name);
          for (const f of pat.fields) {
            const i = names.indexOf(f.name);
            if (i >= 0) bindPattern(l, f.pattern, extend(p, { k: 'variant', variant: idx, index: i }), fts[i]!, refMode);
          }
        }
      } else if (pat.kind === 'StructPat') {
        const fs = structFields(t);
        for (const f of pat.fields) {
          const i = fs.findIndex((x) => x.name === f.name);
          if (i >= 0) bindPattern(l, f.pattern, extend(p, { k: 'field', index: i }), fs[i]!.ty, refMode);
        }
      }
      return;
    }
    case 'OrPat':
      // bindings in or-patterns are not supported yet (the checker only allows binding-free alternatives to matter)
      return;
    default:
      return;
  }
}

/** Does binding the pattern by value move a unique owner (not a copy) out of the value? */
function movesOwner(l: FnLowerer, pat: ast.Pattern): boolean {
  switch (pat.kind) {
    case 'IdentPat': {
      const lv = l.body.bindings.get(pat.id);
      return lv !== undefined && l.cls(l.sub(lv.ty)) === 'move';
    }
    case 'TuplePat':
      return pat.elems.some((e) => movesOwner(l, e));
    case 'ArrayPat':
      return pat.elems.some((e) => movesOwner(l, e));
    case 'VariantPat':
      return pat.args.some((a) => movesOwner(l, a));
    case 'StructPat':
      return pat.fields.some((f) => movesOwner(l, f.pattern));
    default:
      return false;
  }
}

/** Where the matched value's remains are dropped: the scope that owns its local, at that local's position. */
interface Home {
  readonly entries: { k: string }[];
  readonly after: number; // insert after this index (-1: at the end)
}

function homeOf(l: FnLowerer, local: number): Home {
  for (let i = l.scopes.stack.length - 1; i >= 0; i--) {
    const entries = l.scopes.stack[i]!.entries;
    const at = entries.findIndex((e) => e.k === 'local' && e.id === local);
    if (at >= 0) return { entries, after: at };
  }
  return { entries: l.scopes.temps().entries, after: -1 };
}

/** Bind from a place inside the untracked holder: each part is transferred (a bit copy: the holder is never
 * dropped), and owned parts that nothing binds are handed to hidden locals at `home`. */
function bindFromHolder(l: FnLowerer, pat: ast.Pattern, pl: Place, t: Type, home: Home): void {
  const b = l.b;
  const span = pat.span;
  const hidden = (p: Place, ty: Type) => {
    if (!l.needsDrop(ty)) return;
    const u = b.temp(ty, span);
    b.assign(place(u), { k: 'use', op: { k: 'copy', place: p } }, span);
    // inserted at the same index each time, so that (walked in reverse at scope exit) parts drop in field order
    const entry = { k: 'local', id: u } as const;
    if (home.after < 0) home.entries.push(entry);
    else home.entries.splice(home.after + 1, 0, entry);
  };
  switch (pat.kind) {
    case 'IdentPat': {
      const lv = l.body.bindings.get(pat.id);
      if (!lv || l.body.patVariants.has(pat.id)) return hidden(pl, t);
      const id = l.declare(lv);
      b.assign(place(id), { k: 'use', op: { k: 'copy', place: pl } }, span);
      l.own(id);
      return;
    }
    case 'TuplePat':
      if (t.k === 'tuple') t.elems.forEach((et, i) => bindFromHolder(l, pat.elems[i] ?? wild(pat), extend(pl, { k: 'field', index: i }), et, home));
      else hidden(pl, t);
      return;
    case 'VariantPat':
    case 'StructPat': {
      if (t.k !== 'adt') return hidden(pl, t);
      const idx = l.body.patVariantIndex.get(pat.id);
      if (idx !== undefined) {
        const fts = variantFields(t, idx);
        const names = t.def.variants[idx]!.fields.map((f) => f.name);
        fts.forEach((ft, i) => {
          const sub = pat.kind === 'VariantPat' ? pat.args[i] : pat.fields.find((f) => f.name === names[i])?.pattern;
          bindFromHolder(l, sub ?? wild(pat), extend(pl, { k: 'variant', variant: idx, index: i }), ft, home);
        });
        return;
      }
      if (pat.kind === 'StructPat') {
        const fs = structFields(t);
        fs.forEach((f, i) => {
          const sub = pat.fields.find((x) => x.name === f.name)?.pattern;
          bindFromHolder(l, sub ?? wild(pat), extend(pl, { k: 'field', index: i }), f.ty, home);
        });
        return;
      }
      return hidden(pl, t);
    }
    default:
      // `_`, literals, ranges, unit variants, or-patterns: nothing is bound; the part stays owned
      return hidden(pl, t);
  }
}

function wild(near: ast.Pattern): ast.Pattern {
  return { kind: 'WildcardPat', id: -1, span: near.span };
}

/** Test the pattern against the place and, when it matches, bind its variables, then go to `ok`; else to `fail`.
 * An or-pattern with bindings tests and binds each alternative in its own block (they share the variables). */
export function matchAndBind(l: FnLowerer, pat: ast.Pattern, p: Place, t: Type, mode: 'move' | 'ref', ok: BasicBlock, fail: BasicBlock): void {
  const b = l.b;
  if (pat.kind === 'OrPat' && hasBindings(l, pat)) {
    let next = b.newBlock();
    b.goto(next);
    pat.alts.forEach((alt, i) => {
      b.switchTo(next);
      const bind = b.newBlock();
      next = i === pat.alts.length - 1 ? fail : b.newBlock();
      lowerPatternTest(l, alt, p, t, bind, next);
      b.switchTo(bind);
      l.orBinding = true;
      try {
        bindPattern(l, alt, p, t, mode);
      } finally {
        l.orBinding = false;
      }
      b.goto(ok);
    });
    return;
  }
  const bind = b.newBlock();
  lowerPatternTest(l, pat, p, t, bind, fail);
  b.switchTo(bind);
  bindPattern(l, pat, p, t, mode);
  b.goto(ok);
}

function hasBindings(l: FnLowerer, pat: ast.Pattern): boolean {
  switch (pat.kind) {
    case 'IdentPat':
      return l.body.bindings.has(pat.id);
    case 'TuplePat':
    case 'ArrayPat':
      return pat.elems.some((e) => hasBindings(l, e));
    case 'VariantPat':
      return pat.args.some((e) => hasBindings(l, e));
    case 'StructPat':
      return pat.fields.some((f) => hasBindings(l, f.pattern));
    case 'OrPat':
      return pat.alts.some((a) => hasBindings(l, a));
    default:
      return false;
  }
}
