// Closure environments on the stack. A closure value that is only called in its function — never passed on,
// stored, returned, borrowed or retained — needs no heap environment: its captures go into a local tuple and its
// calls become direct calls of its body with that tuple's address:
//     c = closure body [a, b]   →  env = (const 1, const null, a, b);  p = &raw env
//     t = copy c                →  (removed: an alias only called)
//     r = call (copy t)(x)      →  r = call body(copy p, x)
//     drop(c)                   →  call body$envdrop(copy p)      (nothing when no capture needs a drop)
// so the captures are dropped exactly where the closure was, and the allocation, the reference count and the
// indirect calls go. In `--release` LLVM then folds the environment away (the 10,000-line benchmark's units: a
// `tml_alloc`, five stores and a `tml_closure_release` each, for closures LLVM had already inlined). A debug build
// rewrites only compiler temporaries: a closure the program named stays a value the debugger can show.
// The environment's header fields (reference count, drop glue) are written but never read: only a heap
// environment is released.
import { T, type Type } from '../../sema/types.js';
import type { AggregateKind, LocalId, MirFunction, Operand, Place, Statement } from '../mir.js';
import { forEachStatementOperand, terminatorOperands, written } from './visit.js';

type ClosureKind = Extract<AggregateKind, { k: 'closure' }>;

const whole = (p: Place, l: LocalId) => p.local === l && p.proj.length === 0;

/** Rewrites every eligible closure of `f`; `namedToo`: also the program's own variables (not in debug builds). */
export function stackClosureEnvs(f: MirFunction, namedToo: boolean): void {
  for (const l of f.locals) {
    if (l.ty.k !== 'func' || l.kind === 'arg' || l.kind === 'return' || (!namedToo && l.kind !== 'temp')) continue;
    const plan = eligible(f, l.id);
    if (plan) rewrite(f, l.id, plan);
  }
}

interface Plan {
  readonly def: Extract<Statement, { k: 'assign' }>;
  readonly kind: ClosureKind;
  /** the temporaries that only copy the closure to call it */
  readonly aliases: ReadonlySet<LocalId>;
}

/** `c`'s one write makes a closure with an environment, and every other use of it (or of an alias) is a call of
 * it, a copy into an alias, or an unconditional drop of `c`. */
function eligible(f: MirFunction, c: LocalId): Plan | null {
  let def: Extract<Statement, { k: 'assign' }> | null = null;
  const aliases = new Set<LocalId>();
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      if (s.k === 'assign' && whole(s.place, c)) {
        if (def || s.rvalue.k !== 'aggregate' || s.rvalue.kind.k !== 'closure' || s.rvalue.ops.length === 0) return null;
        def = s;
      } else if (s.k === 'assign' && s.place.proj.length === 0 && s.rvalue.k === 'use' && s.rvalue.op.k === 'copy' && whole(s.rvalue.op.place, c)) {
        const t = f.locals[s.place.local]!;
        if (t.kind !== 'temp' || aliases.has(t.id)) return null;
        aliases.add(t.id);
      }
    }
  }
  if (!def) return null;
  const calls = (l: LocalId) => l === c || aliases.has(l);
  const copies = new Set<Statement>();
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      if (s === def) continue;
      if (s.k === 'assign' && s.rvalue.k === 'use' && s.rvalue.op.k === 'copy' && whole(s.rvalue.op.place, c) && aliases.has(s.place.local)) {
        copies.add(s);
        continue;
      }
      const w = written(s);
      if (w && calls(w.local)) return null; // written again (an alias too)
      if (s.k === 'drop' || s.k === 'retain') {
        if (calls(s.place.local) && !(s.k === 'drop' && s.flag === null && whole(s.place, c))) return null;
        continue;
      }
      if (s.k === 'assign' && (s.rvalue.k === 'ref' || s.rvalue.k === 'discriminant') && calls(s.rvalue.place.local)) return null;
      // every other read: only as the callee of a call, by a copy of the whole value
      let bad = false;
      const callee = s.k === 'call' && s.callee.k === 'closure' ? s.callee.value : null;
      forEachStatementOperand(s, (o) => {
        if (o.k !== 'const' && calls(o.place.local) && !(o === callee && o.k === 'copy' && o.place.proj.length === 0)) bad = true;
      });
      if (bad) return null;
    }
    for (const o of terminatorOperands(b.term)) if (o.k !== 'const' && calls(o.place.local)) return null;
  }
  // an alias written by something other than its copy was caught above; one never written is not an alias
  if (copies.size !== aliases.size) return null;
  const r: Statement = def;
  if (r.rvalue.k !== 'aggregate' || r.rvalue.kind.k !== 'closure') return null;
  return { def, kind: r.rvalue.kind, aliases };
}

function rewrite(f: MirFunction, c: LocalId, plan: Plan): void {
  const { def, kind, aliases } = plan;
  if (def.rvalue.k !== 'aggregate') return;
  const envTy = kind.envTy;
  if (envTy.k !== 'tuple') return;
  const span = def.span;
  const env = f.locals.length;
  f.locals.push({ id: env, ty: envTy, name: null, kind: 'temp', span });
  const ptrTy: Type = { k: 'ptr', inner: envTy };
  const ptr = f.locals.length;
  f.locals.push({ id: ptr, ty: ptrTy, name: null, kind: 'temp', span });
  const envPtr: Operand = { k: 'copy', place: { local: ptr, proj: [] } };
  const header: Operand[] = [
    { k: 'const', value: { k: 'int', value: 1n }, ty: envTy.elems[0] ?? T.i64 },
    { k: 'const', value: { k: 'null' }, ty: envTy.elems[1] ?? { k: 'ptr', inner: T.u8 } },
  ];
  const calls = (l: LocalId) => l === c || aliases.has(l);
  for (const b of f.blocks) {
    const out: Statement[] = [];
    for (const s of b.stmts) {
      if (s === def) {
        out.push({ k: 'assign', place: { local: env, proj: [] }, rvalue: { k: 'aggregate', kind: { k: 'tuple' }, ops: [...header, ...def.rvalue.ops] }, span });
        out.push({ k: 'assign', place: { local: ptr, proj: [] }, rvalue: { k: 'ref', place: { local: env, proj: [] }, mutable: true, raw: true }, span });
        continue;
      }
      if (s.k === 'assign' && aliases.has(s.place.local) && s.place.proj.length === 0) continue; // the alias's copy
      if (s.k === 'drop' && whole(s.place, c)) {
        if (kind.envDrop !== null) out.push({ k: 'call', dest: null, callee: { k: 'fn', symbol: kind.envDrop }, args: [envPtr], span: s.span, noReturn: false });
        continue;
      }
      if (s.k === 'call' && s.callee.k === 'closure' && s.callee.value.k === 'copy' && calls(s.callee.value.place.local)) {
        out.push({ ...s, callee: { k: 'fn', symbol: kind.fn }, args: [envPtr, ...s.args] });
        continue;
      }
      out.push(s);
    }
    b.stmts = out;
  }
}
