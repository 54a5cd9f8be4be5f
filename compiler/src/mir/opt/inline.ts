// Inlining: a direct call of a small function becomes a copy of its body. The callee's locals are appended to the
// caller's, its arguments are assigned from the call's operands, its `return`s jump to a continuation block that
// copies its local 0 into the call's destination. Its drops, drop flags and checks are ordinary statements and are
// copied as they are, so every drop happens in the same order and every check still fails where it did.
//
// Small: at most SMALL statements and blocks (the library's wrappers — `Heap.get`/`set`, `List.len`/`get`,
// `Pool.acquire`/`release` — have a larger budget: they are what user code calls in its inner loops). Never: a
// function on a cycle of direct calls (recursion), a test, an async state machine's internals (`$init`, `$poll`,
// `$drop`: the state layout belongs to them), a function that calls itself through something inlining exposes.
// Callees are inlined bottom-up (a callee is measured after its own calls were inlined), and a caller stops
// growing at MAX_CALLER statements. Calls made direct by inlining (a `dyn` call on a fat pointer made by the
// inlined caller's code) are devirtualised and may be inlined in turn, a few rounds deep.
//
// Debug builds with debug info (`debuggable`) inline only the library's functions: the program's own stay
// functions, so `break dist2` and `step` find them (what clang and rustc do at -O0).
//
// Debug locations: the inlined statements take the call's span. The function's DISubprogram is the caller's, in the
// caller's file, so the callee's own lines would point into the wrong file; a debugger steps over an inlined call as
// one line. Panic messages are unaffected: every panic carries its own `const loc(…)` (the library's, or the user's
// through `@track_caller`'s location argument).
import type { Span } from '../../syntax/source.js';
import { stdlibDir } from '../../sema/modules.js';
import { typeEquals, type Type } from '../../sema/types.js';
import type { BasicBlock, LocalDecl, MirFunction, MirProgram, Operand, Place, Statement, Terminator } from '../mir.js';
import { placeType } from '../analysis/place_type.js';
import { simplifyCfg } from './simplify_cfg.js';
import { devirtFunction, devirtTables, type DevirtTables } from './devirt.js';
import { renameStatement, renameTerminator, retarget } from './visit.js';

interface Budget {
  readonly stmts: number;
  readonly blocks: number;
}
const SMALL: Budget = { stmts: 12, blocks: 4 };
const WRAPPER: Budget = { stmts: 80, blocks: 32 };
/** the library's wrappers, by symbol prefix (instances add `$T…`) */
const WRAPPERS = [
  'tml.core.alloc.Heap.get$',
  'tml.core.alloc.Heap.set$',
  'tml.core.collections.List.len$',
  'tml.core.collections.List.get$',
  'tml.core.pool.Pool.acquire$',
  'tml.core.pool.Pool.release$',
];
const MAX_CALLER = 4000;
const ROUNDS = 4;

/** `libraryOnly`: inline only the standard library's functions (a debuggable build). */
export function inlineCalls(p: MirProgram, libraryOnly = false): void {
  const bySymbol = new Map(p.functions.map((f) => [f.symbol, f]));
  const { order, cyclic } = callGraph(p.functions, bySymbol);
  const tables = devirtTables(p);
  const skip = libraryOnly ? programFunctions(p.functions) : new Set<MirFunction>();
  for (const f of order) inlineInto(f, bySymbol, cyclic, tables, skip);
}

/** The program's own functions and closures (defined outside the standard library's directory). */
function programFunctions(fns: readonly MirFunction[]): Set<MirFunction> {
  const std = stdlibDir() + '/';
  return new Set(fns.filter((f) => (f.kind === 'fn' || f.kind === 'closure') && !f.span.file.startsWith(std)));
}

function inlineInto(f: MirFunction, bySymbol: ReadonlyMap<string, MirFunction>, cyclic: ReadonlySet<string>, tables: DevirtTables, skip: ReadonlySet<MirFunction>): void {
  let total = size(f);
  let changed = false;
  for (let round = 0; round < ROUNDS; round++) {
    // blocks appended by an inlining are visited too: the continuation holds the rest of the caller's block, and the
    // copied body's calls are those its own inlining left (on a cycle, too big) or that devirtualisation exposed
    for (let bi = 0; bi < f.blocks.length; bi++) {
      const b = f.blocks[bi]!;
      for (let j = 0; j < b.stmts.length; j++) {
        const s = b.stmts[j]!;
        if (s.k !== 'call' || s.callee.k !== 'fn' || total > MAX_CALLER) continue;
        const g = bySymbol.get(s.callee.symbol);
        if (!g || g === f || skip.has(g) || !inlinable(g, cyclic)) continue;
        inlineAt(f, b, j, s, g);
        total += size(g) + g.argCount + 1;
        changed = true;
      }
    }
    if (devirtFunction(f, tables) === 0) break;
  }
  // the split blocks and the callees' jumps to their continuations merge again: callers of `f` measure its real
  // size, and the copies they take of it are smaller
  if (changed) simplifyCfg(f);
}

/** Whether `g` may be inlined, decided once: callees come first (bottom-up), so `g` no longer changes by then. */
function inlinable(g: MirFunction, cyclic: ReadonlySet<string>): boolean {
  let ok = decided.get(g);
  if (ok === undefined) decided.set(g, (ok = decide(g, cyclic)));
  return ok;
}
const decided = new WeakMap<MirFunction, boolean>();

function decide(g: MirFunction, cyclic: ReadonlySet<string>): boolean {
  if (g.kind === 'test' || g.asyncFuture || g.notes || cyclic.has(g.symbol)) return false;
  if (/\$(init|poll|drop)$/.test(g.symbol)) return false;
  if (g.blocks.length === 0) return false;
  const budget = WRAPPERS.some((w) => g.symbol.startsWith(w)) ? WRAPPER : SMALL;
  return g.blocks.length <= budget.blocks && size(g) <= budget.stmts;
}

function size(f: MirFunction): number {
  let n = 0;
  for (const b of f.blocks) for (const s of b.stmts) if (s.k !== 'nop') n++;
  return n;
}

/** Replaces call `s` (statement `j` of block `b` of `f`) with the body of `g`. */
function inlineAt(f: MirFunction, b: BasicBlock, j: number, s: Extract<Statement, { k: 'call' }>, g: MirFunction): void {
  const span = s.span;
  // raw-memory code stays marked as such (arc_pairs treats any reference in such a function as possibly writable):
  // the inlined statements carry the call's span, so the call is the caller's new `lowlevel` region
  if (g.lowlevel?.length) (f as { lowlevel?: readonly Span[] }).lowlevel = [...(f.lowlevel ?? []), span];
  const base = f.locals.length;
  const local = (l: number) => base + l;
  for (const d of g.locals) f.locals.push(inlinedLocal(d, local(d.id), span));
  const cont = f.blocks.length;
  const first = cont + 1;
  const after = b.stmts.splice(j);
  after.shift();
  // the arguments, evaluated where the call evaluated them
  s.args.forEach((a, i) => b.stmts.push(argAssign(f, { local: local(i + 1), proj: [] }, g.locals[i + 1]!.ty, a, span)));
  const continuation: BasicBlock = { id: cont, stmts: after, term: b.term, termSpan: b.termSpan };
  b.term = { k: 'goto', target: first };
  b.termSpan = span;
  if (s.dest) continuation.stmts.unshift(argAssign(f, s.dest, placeType(f, s.dest), { k: 'move', place: { local: local(0), proj: [] } }, span));
  f.blocks.push(continuation);
  for (const gb of g.blocks) {
    const term: Terminator = gb.term.k === 'return' ? { k: 'goto', target: cont } : retarget(renameTerminator(gb.term, local), (t) => t + first);
    f.blocks.push({ id: first + gb.id, stmts: gb.stmts.map((x) => respan(renameStatement(x, local), span)), term, termSpan: span });
  }
}

function inlinedLocal(d: LocalDecl, id: number, span: Span): LocalDecl {
  // the callee's variables are not the caller's: no names (no debug variables in the caller's scope), and its
  // argument and return slots are temporaries written once
  const kind = d.kind === 'arg' || d.kind === 'return' ? 'temp' : d.kind;
  return { id, ty: d.ty, name: null, kind, span: d.span ?? span, ...(d.origin ? { origin: d.origin } : {}) };
}

/** `place = a`, converted to the place's type where a devirtualised call's differs */
function argAssign(f: MirFunction, place: Place, ty: Type, a: Operand, span: Span): Statement {
  // a devirtualised call passes a data pointer (`*U8`) or a subclass reference where the callee takes its own
  // pointer type: the same address, as code generation would pass it
  const same = typeEquals(a.k === 'const' ? a.ty : placeType(f, a.place), ty);
  return { k: 'assign', place, rvalue: same ? { k: 'use', op: a } : { k: 'cast', operand: a, to: ty }, span };
}

function respan(s: Statement, span: Span): Statement {
  return s.k === 'nop' ? s : { ...s, span };
}

/** The functions callees first (Tarjan's SCCs come out in reverse topological order) and those on a cycle. */
function callGraph(fns: readonly MirFunction[], bySymbol: ReadonlyMap<string, MirFunction>): { order: MirFunction[]; cyclic: Set<string> } {
  const callees = new Map<string, string[]>();
  for (const f of fns) {
    const out: string[] = [];
    for (const b of f.blocks) for (const s of b.stmts) if (s.k === 'call' && s.callee.k === 'fn' && bySymbol.has(s.callee.symbol)) out.push(s.callee.symbol);
    callees.set(f.symbol, out);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const order: MirFunction[] = [];
  const cyclic = new Set<string>();
  let next = 0;
  // iterative Tarjan: deep call chains must not overflow the JS stack
  for (const root of fns) {
    if (index.has(root.symbol)) continue;
    const work: { v: string; i: number }[] = [{ v: root.symbol, i: 0 }];
    index.set(root.symbol, next);
    low.set(root.symbol, next++);
    stack.push(root.symbol);
    onStack.add(root.symbol);
    while (work.length) {
      const top = work[work.length - 1]!;
      const out = callees.get(top.v)!;
      if (top.i < out.length) {
        const w = out[top.i++]!;
        if (w === top.v) cyclic.add(w);
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.v;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
      }
      if (low.get(top.v) === index.get(top.v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== top.v);
        if (scc.length > 1) for (const x of scc) cyclic.add(x);
        for (const x of scc) order.push(bySymbol.get(x)!);
      }
    }
  }
  return { order, cyclic };
}
