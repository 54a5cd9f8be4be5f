// References into class instances (MEMORY.md §3): a class value is a shared reference whose fields any binding may
// assign, so the borrow checker cannot see every alias. This pass, on monomorphised MIR after drop elaboration, makes
// the rule hold at run time:
//   - a loan whose place goes through class instances (`ref a.items[0]`, `for k in ref root.kids`) marks each of
//     those instances (tml_obj_borrow) right after it is made (not a receiver handed straight to a library function
//     that cannot reach user code, such as `a.items.len()`: nothing can change the instance meanwhile), and unmarks them (tml_obj_unborrow) where the loan
//     ends: after the last use of a reference holding it, on every path (the same holdings and liveness the
//     borrow checker uses; an edge where it ends gets its own block when its target has other predecessors);
//   - before anything inside an instance is assigned, mutably borrowed, moved or dropped, tml_obj_check_mut panics
//     if the instance is marked ("cannot modify a Bag while a reference into it is live (borrowed at …)").
// Each mark keeps its object pointer in a local that is null while unmarked, so an unmark on a path where the mark
// was not taken does nothing. A constructor's writes to its own new object need no check: nothing outside the
// constructor can have borrowed it yet; and a program that never takes a reference into an instance gets no checks
// at all (no mark can exist).
import type { Span } from '../syntax/source.js';
import { containsRef } from '../sema/collect.js';
import { isClass, T, typeToString, type Type } from '../sema/types.js';
import { placeType, projType } from './analysis/place_type.js';
import { statementAccesses } from './analysis/accesses.js';
import { liveness } from './analysis/liveness.js';
import { collectLoans, heldBy } from './analysis/loans.js';
import type { LocalId, MirFunction, Operand, Place, Projection, Statement } from './mir.js';
import { place } from './mir.js';
import { successors } from './move_paths.js';

const U8P: Type = { k: 'ptr', inner: T.u8 };

/** A class instance on the way to a place: the place holding its reference, and its class's name. */
interface ObjectOnPath {
  readonly ref: Place;
  readonly className: string;
}

/** Does the function take any reference into a class instance that needs a mark (so that the program can ever
 * hold one)? */
export function takesMarks(f: MirFunction): boolean {
  if (!marksApply(f)) return false;
  return f.blocks.some((b, bi) =>
    b.stmts.some((s, si) => s.k === 'assign' && s.rvalue.k === 'ref' && !s.rvalue.raw && objectsOn(f, s.rvalue.place).length > 0 && !confinedToLibraryCall(f, bi, si)),
  );
}

/** A reference made at (bi, si) into a temporary that the next statement using it passes to a library function
 * (core, std) which cannot reach user code: none of the call's arguments can lead to a class instance, a closure,
 * a `dyn` value or a program type (whose `drop` could run), and the result holds no reference. Nothing can change
 * the instance while such a reference lives (`a.items.len()`, `a.items.push(1)`), so it needs no mark. */
function confinedToLibraryCall(f: MirFunction, bi: number, si: number): boolean {
  const stmts = f.blocks[bi]!.stmts;
  const s = stmts[si]!;
  if (s.k !== 'assign' || s.place.proj.length || f.locals[s.place.local]!.kind !== 'temp') return false;
  const holder = s.place.local;
  for (let k = si + 1; k < stmts.length; k++) {
    const t = stmts[k]!;
    const reads = statementAccesses(t).some((a) => a.place.local === holder);
    if (!reads) {
      // in between: no call of TML code, no write into an instance
      if (t.k === 'call' && t.callee.k !== 'extern') return false;
      if (mutations(t).some((p) => objectsOn(f, p).length > 0)) return false;
      continue;
    }
    if (t.k !== 'call' || t.callee.k !== 'fn' || !/^tml\.(core|std|test)\./.test(t.callee.symbol)) return false;
    if (t.dest && containsRef(f.locals[t.dest.local]!.ty)) return false;
    return t.args.every((a) => inert(a.k === 'const' ? a.ty : placeType(f, a.place)));
  }
  return false;
}

/** A type whose values cannot lead to user code or to a class instance. */
function inert(t: Type, depth = 0): boolean {
  if (depth > 8) return false;
  switch (t.k) {
    case 'func':
    case 'dyn':
    case 'param':
    case 'var':
    case 'error':
      return false;
    case 'ref':
    case 'ptr':
      return inert(t.inner, depth + 1);
    case 'tuple':
      return t.elems.every((e) => inert(e, depth + 1));
    case 'array':
      return inert(t.elem, depth + 1);
    case 'adt':
      if (t.def.kind === 'class' || t.def.kind === 'interface' || !/^(core|std|test)::/.test(t.def.path)) return false;
      return t.args.every((a) => inert(a, depth + 1));
    default:
      return true;
  }
}


function marksApply(f: MirFunction): boolean {
  return f.kind !== 'drop-glue' && f.kind !== 'retain-glue' && f.kind !== 'thunk';
}

/** `checks`: false when no function of the program takes a mark, so that no check can ever fail. */
export function insertBorrowMarks(f: MirFunction, checks = true): void {
  if (!marksApply(f)) return;
  const facts = collectLoans(f);
  const marked = facts.loans
    .map((loan) => ({ loan, objects: objectsOn(f, loan.written) }))
    .filter((m) => m.objects.length > 0 && !confinedToLibraryCall(f, m.loan.block, m.loan.stmt));
  // checks before statements that change something inside an instance
  const checkAt = new Map<Statement, ObjectOnPath[]>();
  if (checks) for (const b of f.blocks)
    for (const s of b.stmts) {
      const objs: ObjectOnPath[] = [];
      for (const a of mutations(s)) {
        const all = objectsOn(f, a);
        const inner = all[all.length - 1];
        if (!inner || (f.freshObject !== undefined && inner.ref.local === f.freshObject && inner.ref.proj.length === 0)) continue;
        if (!objs.some((o) => samePlace(o.ref, inner.ref))) objs.push(inner);
      }
      if (objs.length) checkAt.set(s, objs);
    }
  if (marked.length === 0 && checkAt.size === 0) return;

  const newLocal = (ty: Type): LocalId => {
    const id = f.locals.length;
    f.locals.push({ id, ty, name: null, kind: 'temp', span: null });
    return id;
  };
  const call = (symbol: string, args: Operand[], span: Span): Statement => ({ k: 'call', dest: null, callee: { k: 'extern', symbol, ret: T.unit }, args, span, noReturn: false });
  const i32 = (v: number): Operand => ({ k: 'const', value: { k: 'int', value: BigInt(v) }, ty: T.i32 });
  const checkStmts = (objs: ObjectOnPath[], span: Span): Statement[] =>
    objs.flatMap((o) => {
      const p = newLocal(U8P);
      return [
        { k: 'assign', place: place(p), rvalue: { k: 'cast', operand: { k: 'copy', place: o.ref }, to: U8P }, span },
        call('tml_obj_check_mut', [{ k: 'copy', place: place(p) }, { k: 'const', value: { k: 'cstr', value: o.className }, ty: U8P }, { k: 'const', value: { k: 'loc', span }, ty: U8P }], span),
      ] as Statement[];
    });

  // one pointer slot per (loan, object): null while unmarked
  const slots = marked.map((m) => m.objects.map(() => newLocal(U8P)));
  const exclusive = marked.map((m) => (m.loan.mutable ? 1 : 0));
  const markStmts = (k: number, span: Span): Statement[] =>
    marked[k]!.objects.flatMap((o, j) => {
      const slot = slots[k]![j]!;
      return [
        call('tml_obj_unborrow', [{ k: 'copy', place: place(slot) }, i32(exclusive[k]!)], span), // a mark left from a previous round
        { k: 'assign', place: place(slot), rvalue: { k: 'cast', operand: { k: 'copy', place: o.ref }, to: U8P }, span },
        call('tml_obj_borrow', [{ k: 'copy', place: place(slot) }, i32(exclusive[k]!), { k: 'const', value: { k: 'loc', span: marked[k]!.loan.span }, ty: U8P }], span),
      ] as Statement[];
    });
  const unmarkStmts = (k: number, span: Span): Statement[] =>
    slots[k]!.flatMap((slot) => [
      call('tml_obj_unborrow', [{ k: 'copy', place: place(slot) }, i32(exclusive[k]!)], span),
      { k: 'assign', place: place(slot), rvalue: { k: 'use', op: { k: 'const', value: { k: 'null' }, ty: U8P } }, span },
    ] as Statement[]);

  // where each marked loan is alive: held by a local that is live
  const live = liveness(f);
  const alive = (holdings: Map<LocalId, Set<number>>, liveSet: ReadonlySet<LocalId>) => {
    const held = heldBy(holdings, liveSet);
    return marked.map((m) => held.has(m.loan.id));
  };
  const atEntry = f.blocks.map((_, bi) => alive(facts.holdingsAt(bi)[0]!, live.entry(bi)));
  const afterStmt = (bi: number, si: number) => alive(facts.holdingsAt(bi)[si + 1]!, live.after(bi, si));
  const madeBy = new Map(marked.map((m, k) => [m.loan.id, k]));

  const succ = successors(f);
  const preds = f.blocks.map(() => 0);
  for (const ss of succ) for (const t of ss) preds[t]!++;
  const entryPrefix: Statement[][] = f.blocks.map(() => []);
  const edgeBlocks: { from: number; to: number; stmts: Statement[] }[] = [];

  const rebuilt = f.blocks.map((blk, bi) => {
    const out: Statement[] = [];
    let prev = atEntry[bi]!;
    blk.stmts.forEach((s, si) => {
      const span = 'span' in s ? s.span : f.span;
      const chk = checkAt.get(s);
      if (chk) out.push(...checkStmts(chk, span));
      out.push(s);
      const made = s.k === 'assign' ? facts.madeAt.get(s) : undefined;
      const mk = made ? madeBy.get(made.id) : undefined;
      if (mk !== undefined) out.push(...markStmts(mk, span));
      const now = afterStmt(bi, si);
      marked.forEach((_, k) => {
        if ((prev[k] || k === mk) && !now[k]) out.push(...unmarkStmts(k, span));
      });
      prev = now;
    });
    // loans that end on the way to a successor
    const span = blk.termSpan ?? f.span;
    for (const t of new Set(succ[bi]!)) {
      const ending = marked.map((_, k) => k).filter((k) => prev[k] && !atEntry[t]![k]);
      if (!ending.length) continue;
      const stmts = ending.flatMap((k) => unmarkStmts(k, span));
      if (preds[t] === 1) entryPrefix[t]!.push(...stmts);
      else edgeBlocks.push({ from: bi, to: t, stmts });
    }
    return out;
  });
  f.blocks.forEach((blk, bi) => (blk.stmts = [...entryPrefix[bi]!, ...rebuilt[bi]!]));
  for (const e of edgeBlocks) {
    const id = f.blocks.length;
    f.blocks.push({ id, stmts: e.stmts, term: { k: 'goto', target: e.to }, termSpan: f.blocks[e.from]!.termSpan });
    const from = f.blocks[e.from]!;
    from.term = retarget(from.term, e.to, id);
  }
  // every slot starts unmarked
  const init: Statement[] = slots.flat().map((slot) => ({ k: 'assign', place: place(slot), rvalue: { k: 'use', op: { k: 'const', value: { k: 'null' }, ty: U8P } }, span: f.span }));
  f.blocks[0]!.stmts.unshift(...init);
}

function retarget(t: MirFunction['blocks'][number]['term'], from: number, to: number): MirFunction['blocks'][number]['term'] {
  const r = (x: number) => (x === from ? to : x);
  switch (t.k) {
    case 'goto':
      return { k: 'goto', target: r(t.target) };
    case 'branch':
      return { ...t, then: r(t.then), else: r(t.else) };
    case 'switch':
      return { ...t, cases: t.cases.map((c) => ({ value: c.value, target: r(c.target) })), otherwise: r(t.otherwise) };
    default:
      return t;
  }
}

/** The places a statement changes: assigned, mutably borrowed (a `mut this` receiver included), moved or dropped. */
function mutations(s: Statement): Place[] {
  const out: Place[] = [];
  for (const a of statementAccesses(s)) if (a.kind !== 'read' && a.kind !== 'ref') out.push(a.place);
  return out;
}

/** The class instances a place goes through, outermost first (through an element pointer: its collection's). */
function objectsOn(f: MirFunction, p: Place, depth = 0): ObjectOnPath[] {
  const out: ObjectOnPath[] = [];
  let proj: readonly Projection[] = p.proj;
  let base: Place = { local: p.local, proj: [] };
  const decl = f.locals[p.local]!;
  if (decl.pointsInto && proj[0]?.k === 'deref' && depth < 8) {
    out.push(...objectsOn(f, decl.pointsInto, depth + 1));
  }
  let t: Type = decl.ty;
  for (const pr of proj) {
    if (pr.k === 'deref' && isClass(t)) out.push({ ref: base, className: t.k === 'adt' ? t.def.name : typeToString(t) });
    t = projType(t, pr);
    base = { local: base.local, proj: [...base.proj, pr] };
  }
  return out;
}

function samePlace(a: Place, b: Place): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
