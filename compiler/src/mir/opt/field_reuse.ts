// Reuse of a field read through a reference: after `… copy (*_r).f …`, a later read of `(*_r).f` with nothing in
// between that can change it reads a temporary instead. What it is for: a list reached through a `ref`/`mut ref`
// parameter (quicksort's `xs: mut ref List[I64]`) has its `data` and `len` read at every `xs[i]`; after a store to
// an element LLVM must read them again, since for all it knows the element is the list's own header (it has no
// `noalias` to go on, docs/decisions.md). The language knows better: a list's elements live in its buffer, never
// in its header, so a write through an element pointer of `*_r` (a local whose `pointsInto` is `*_r`) leaves
// `(*_r).f` as it was.
//
// Everything else that might write the field ends the reuse of every field: a call, a drop or a retain (glue and
// callees run code of their own), any other write through a pointer or reference, and a write to a local that is
// borrowed anywhere in the function (a reference may point into it). Writing `_r` itself ends the reuse of its
// fields (and an `_r` assigned more than once does not get the element-write exception). Only integer and pointer fields, and only through `ref`/`mut ref` locals (a raw pointer's target is the
// program's own business), and only fields read more than once.
//
// Each such field gets one temporary: every read where the field is not known to be in it first copies it there
// (`_t = copy (*_r).f`), every read where it is reads `_t`. With one temporary per field the facts at a join are a
// plain intersection (a loop's header keeps the field when both the entry and the back edge have it).
import type { LocalId, MirFunction, Operand, Statement } from '../mir.js';
import { place } from '../mir.js';
import { placeType } from '../analysis/place_type.js';
import { Cfg } from './segment.js';
import { forEachStatementOperand, localUses, mapStatementOperands } from './visit.js';

/** A field read more than once: the reference local, its operand, and the temporary that holds it. */
interface Field {
  readonly r: LocalId;
  readonly read: Operand;
  holder: LocalId | null;
}

export function reuseFields(f: MirFunction): void {
  const fields = repeatedReads(f);
  if (fields.size === 0) return;
  const uses = localUses(f);
  const env: Env = {
    borrowed: (l) => uses.borrowed[l] === 1,
    // assigned once (or an argument, never assigned): an element pointer made from `*_r` still points into it
    stable: (l) => uses.defs[l] === (f.locals[l]!.kind === 'arg' ? 0 : 1),
  };
  const cfg = new Cfg(f);
  const step = (s: Statement, avail: Set<string>) => {
    forEachStatementOperand(s, (o) => {
      const k = keyOf(f, o);
      if (k !== null && fields.has(k)) avail.add(k);
    });
    kill(f, s, avail, fields, env);
  };
  // forward "must" dataflow over the available fields: null = not reached yet (the identity of the meet). A block
  // none of whose predecessors is reached yet is not reached either: given the empty set instead, it would gain
  // fields once its predecessors are reached, and a must-analysis whose sets grow need not end (it did not, for two
  // loops in a row over the same `ref List`: front-end fuzzer, seed 1205)
  const out: (Set<string> | null)[] = f.blocks.map(() => null);
  const entry = (b: number): Set<string> | null => {
    if (b === 0) return new Set();
    let acc: Set<string> | null = null;
    for (const p of cfg.pred[b]!) {
      const o = out[p];
      if (!o) continue;
      if (!acc) acc = new Set(o);
      else for (const k of acc) if (!o.has(k)) acc.delete(k);
    }
    return acc;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of f.blocks) {
      const avail = entry(b.id);
      if (avail === null) continue;
      for (const s of b.stmts) step(s, avail);
      const old = out[b.id];
      if (!old || old.size !== avail.size || [...avail].some((k) => !old.has(k))) {
        out[b.id] = avail;
        changed = true;
      }
    }
  }
  // rewrite with what is available before each statement
  const original = { stmts: f.blocks.map((b) => b.stmts), locals: f.locals.length };
  let reused = false;
  for (const b of f.blocks) {
    // a block the dataflow never reached (unreachable code) assumes nothing
    const avail = entry(b.id) ?? new Set<string>();
    const stmts: Statement[] = [];
    for (const s of b.stmts) {
      const mapped = mapStatementOperands(s, (o) => {
        const k = keyOf(f, o);
        const field = k === null ? undefined : fields.get(k);
        if (!field) return o;
        if (field.holder === null) {
          field.holder = f.locals.length;
          f.locals.push({ id: field.holder, ty: placeType(f, (o as Extract<Operand, { k: 'copy' }>).place), name: null, kind: 'temp', span: f.locals[field.r]!.span });
        }
        if (avail.has(k!)) reused = true;
        else {
          stmts.push({ k: 'assign', place: place(field.holder), rvalue: { k: 'use', op: field.read }, span: s.k === 'nop' ? f.span : s.span });
          avail.add(k!);
        }
        return { k: 'copy', place: place(field.holder) };
      });
      stmts.push(mapped);
      kill(f, mapped, avail, fields, env);
    }
    b.stmts = stmts;
  }
  if (!reused) {
    // every field was read again only where it had to be: the function as it was
    f.blocks.forEach((b, i) => (b.stmts = original.stmts[i]!));
    f.locals.length = original.locals;
  }
}

/** `r.f` when the operand copies field `f` through a (thin) reference local `r`, else null. */
function keyOf(f: MirFunction, o: Operand): string | null {
  if (o.k !== 'copy') return null;
  const { local, proj } = o.place;
  if (proj.length !== 2 || proj[0]!.k !== 'deref' || proj[1]!.k !== 'field') return null;
  const rt = f.locals[local]!.ty;
  if (rt.k !== 'ref' || rt.inner.k === 'dyn') return null;
  return `${local}.${proj[1]!.index}`;
}

/** The integer and pointer fields read through references by more than one statement operand. */
function repeatedReads(f: MirFunction): Map<string, Field> {
  const seen = new Map<string, { n: number; read: Operand }>();
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      forEachStatementOperand(s, (o) => {
        const k = keyOf(f, o);
        if (k === null) return;
        const e = seen.get(k);
        if (e) e.n++;
        else seen.set(k, { n: 1, read: o });
      });
    }
  }
  const out = new Map<string, Field>();
  for (const [k, { n, read }] of seen) {
    const t = placeType(f, (read as Extract<Operand, { k: 'copy' }>).place);
    if (n > 1 && (t.k === 'int' || t.k === 'ptr')) out.set(k, { r: (read as Extract<Operand, { k: 'copy' }>).place.local, read, holder: null });
  }
  return out;
}

interface Env {
  /** is the local borrowed anywhere in the function (a reference may point into it)? */
  readonly borrowed: (l: LocalId) => boolean;
  /** does the reference local always hold the same reference? */
  readonly stable: (l: LocalId) => boolean;
}

/** Forgets the fields statement `s` may change (after its reads). */
function kill(f: MirFunction, s: Statement, avail: Set<string>, fields: ReadonlyMap<string, Field>, env: Env): void {
  if (s.k === 'nop') return;
  if (s.k !== 'assign') return avail.clear();
  const p = s.place;
  if (p.proj.some((x) => x.k === 'deref')) {
    // a write through an element pointer of `*_r` (the first projection is its deref) keeps `_r`'s fields only
    const into = p.proj[0]!.k === 'deref' ? f.locals[p.local]!.pointsInto : undefined;
    const r = into && into.proj.length === 1 && into.proj[0]!.k === 'deref' && env.stable(into.local) ? into.local : null;
    for (const k of avail) if (fields.get(k)!.r !== r) avail.delete(k);
    return;
  }
  if (env.borrowed(p.local)) return avail.clear();
  for (const k of avail) if (fields.get(k)!.r === p.local) avail.delete(k);
}
