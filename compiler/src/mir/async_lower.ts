// The state-machine pass (MEMORY.md §8.1): after the checks and drop elaboration, every `async func` body (lowered
// with suspension points by lower_async.ts) becomes four functions:
//
//   f$init(args…) -> State              the state at suspension point 0, holding the arguments — runs nothing;
//   f(args…) -> Future[T]               the same state in a box: { poll: f$poll, drop: f$drop, state };
//   f$poll(state, waker, out) -> I32    resumes at the suspension point the state records; 1 = done (the result
//                                       written to *out), 0 = pending (the awaited future or task keeps the waker);
//   f$drop(state)                       drops exactly the values live at the recorded suspension point, by running
//                                       the drop path lowering built there (newest first, drop flags included).
//
// The state is a tuple (I32 suspension point, one field per local live across some suspension point): the values
// the storage liveness says a later part of the body (or a drop path) still needs; every other local stays in the
// poll function's frame (async_body.ts). The runtime never moves a state once polled (runtime-c/async.c), so
// references into it taken during one poll are sound; references live across an `await` are rejected before
// (async_check.ts).
//
// No box where the state can live inside its owner (Rust's layout for nested futures):
//   - `await g(…)` of an async function g: g's state is a field of the awaiting state (f$init, then g$poll and
//     g$drop called directly), so a future that awaits nothing allocates nothing, and nesting costs no allocation;
//   - `spawn(g, …)`: g's state is built in place and copied into the task's block (one allocation per task);
//   - `block_on(g(…))`: g's state is in the caller's frame.
// A recursive async function (g's state would contain itself) is awaited through its boxed `Future` instead.
import type { Span } from '../syntax/source.js';
import { T, typeToString, type Type } from '../sema/types.js';
import { liveness } from './analysis/liveness.js';
import { placeType } from './analysis/place_type.js';
import { Body } from './async_body.js';
import { AWAIT, SPAWN_ASYNC, SUSPEND } from './lower_async.js';
import type { BlockId, LocalDecl, LocalId, MirFunction, MirProgram, Operand, Place, Statement } from './mir.js';
import { assign, callExtern, callFn, copy, fnptr, int32, pl, rawAddressOf, rawPointer, U8P } from './mir_build.js';
import { placeUses, type PlaceUses } from './async_uses.js';
import { successors } from './move_paths.js';

/** the suspension point of a finished future: its state holds nothing */
export const DONE = 1 << 30;

const BLOCK_ON = 'tml.core.future.block_on$';

export function lowerAsyncFunctions(program: MirProgram, isFuture: (t: Type) => boolean): void {
  const bodies = new Map(program.functions.filter((f) => f.asyncFuture).map((f) => [f.symbol, f]));
  const machines = new Map<string, StateMachine>();
  const visiting = new Set<string>();
  /** the state machine of async body `sym`, built (with its own embeddings) on first use; null inside a cycle */
  const machine = (sym: string): StateMachine | null => {
    const have = machines.get(sym);
    if (have) return have;
    const f = bodies.get(sym);
    if (!f || visiting.has(sym)) return null;
    visiting.add(sym);
    const embedded = embedAwaits(f, machine);
    const sm = new StateMachine(f, isFuture, embedded);
    visiting.delete(sym);
    machines.set(sym, sm);
    return sm;
  };
  for (const f of program.functions) rewriteMarkers(f, machine);
  const out: MirFunction[] = [];
  for (const f of program.functions) {
    if (f.asyncFuture) out.push(...machine(f.symbol)!.build());
    else out.push(f);
  }
  program.functions.splice(0, program.functions.length, ...out);
}

export interface Suspension {
  readonly k: number;
  readonly block: BlockId;
  readonly stop: BlockId;
  readonly go: BlockId;
}

/** The suspension points of a body: blocks ending in `branch susp` right after `susp = call tml$suspend(k)`. */
export function suspensions(f: MirFunction): Suspension[] {
  const out: Suspension[] = [];
  for (const b of f.blocks) {
    const last = b.stmts[b.stmts.length - 1];
    if (b.term.k !== 'branch' || !last || last.k !== 'call' || last.callee.k !== 'extern' || last.callee.symbol !== SUSPEND) continue;
    out.push({ k: constArg(last.args[0]!), block: b.id, stop: b.term.then, go: b.term.else });
  }
  return out;
}

/** The blocks of the paths that stop at a suspension point: their `return` gives no result. */
export function dropPaths(f: MirFunction, susp: readonly Suspension[]): Set<BlockId> {
  const succ = successors(f);
  const seen = new Set<BlockId>();
  const work = susp.map((s) => s.stop);
  while (work.length) {
    const bi = work.pop()!;
    if (seen.has(bi)) continue;
    seen.add(bi);
    work.push(...succ[bi]!);
  }
  return seen;
}

export function constArg(o: Operand): number {
  if (o.k !== 'const' || o.value.k !== 'int') throw new Error('internal: a suspension point without its number');
  return Number(o.value.value);
}

export function isAwaitCall(s: Statement): s is Extract<Statement, { k: 'call' }> {
  return s.k === 'call' && s.callee.k === 'extern' && s.callee.symbol === AWAIT;
}

function calls(s: Statement, k: 'extern' | 'fn', symbol: string, prefix = false): Extract<Statement, { k: 'call' }> | null {
  if (s.k !== 'call' || s.callee.k !== k) return null;
  return (prefix ? s.callee.symbol.startsWith(symbol) : s.callee.symbol === symbol) ? s : null;
}

export class StateMachine {
  readonly susp: Suspension[];
  /** local → field of the state tuple (field 0 is the suspension point) */
  readonly field = new Map<LocalId, number>();
  readonly stateTy: Type;
  readonly initSym: string;
  readonly pollSym: string;
  readonly dropSym: string;

  constructor(
    readonly f: MirFunction,
    readonly isFuture: (t: Type) => boolean,
    /** locals holding the embedded state of an awaited async call, with that call's machine */
    readonly embedded: ReadonlyMap<LocalId, StateMachine>,
  ) {
    this.susp = suspensions(f);
    const live = liveness(f, true, dropPaths(f, this.susp));
    const keep = new Set<LocalId>();
    for (const s of this.susp) for (const b of [s.stop, s.go]) for (const l of live.entry(b)) keep.add(l);
    const elems: Type[] = [T.i32];
    for (const l of [...keep].sort((a, b) => a - b)) {
      this.field.set(l, elems.length);
      elems.push(f.locals[l]!.ty);
    }
    this.stateTy = { k: 'tuple', elems };
    this.initSym = `${f.symbol}$init`;
    this.pollSym = `${f.symbol}$poll`;
    this.dropSym = `${f.symbol}$drop`;
  }

  build(): MirFunction[] {
    return [{ ...this.initFn(), notes: this.layout() }, this.boxedFn(), new Body(this, 'poll').fn(), new Body(this, 'drop').fn()];
  }

  /** the state's fields, for --emit=mir */
  private layout(): string[] {
    const out = [`state of ${this.f.displayName}: .0 = suspension point (0 = not started, k = at await k, ${DONE} = done)`];
    for (const [l, fi] of [...this.field].sort((a, b) => a[1] - b[1])) {
      const d = this.f.locals[l]!;
      const what = d.name ?? (this.embedded.has(l) ? `the state of ${this.embedded.get(l)!.f.displayName}` : d.kind === 'flag' ? 'a drop flag' : 'a temporary');
      out.push(`  .${fi} = ${what}: ${typeToString(d.ty)} (was _${l})`);
    }
    return out;
  }

  private argLocals(): LocalDecl[] {
    const out: LocalDecl[] = [];
    for (let i = 1; i <= this.f.argCount; i++) {
      const a = this.f.locals[i]!;
      out.push({ id: i, ty: a.ty, name: a.name, kind: 'arg', span: a.span });
    }
    return out;
  }

  /** f$init(args…) -> State: suspension point 0, the arguments moved in, every other field zero (never read). */
  private initFn(): MirFunction {
    const f = this.f;
    const span = f.span;
    const locals: LocalDecl[] = [{ id: 0, ty: this.stateTy, name: null, kind: 'return', span }, ...this.argLocals()];
    const elems = (this.stateTy as Extract<Type, { k: 'tuple' }>).elems;
    const ops: Operand[] = elems.map((ty, i) => (i === 0 ? int32(0) : { k: 'const', value: { k: 'zero' }, ty }));
    for (const [l, fi] of this.field) if (l >= 1 && l <= f.argCount) ops[fi] = { k: 'move', place: pl(l) };
    const stmts: Statement[] = [assign(pl(0), { k: 'aggregate', kind: { k: 'tuple' }, ops }, span)];
    return this.fnOf(this.initSym, `${f.displayName} (init)`, locals, stmts, this.stateTy);
  }

  /** f(args…) -> Future[T]: the state in a box the Future owns. */
  private boxedFn(): MirFunction {
    const f = this.f;
    const span = f.span;
    const locals: LocalDecl[] = [{ id: 0, ty: f.asyncFuture!, name: null, kind: 'return', span }, ...this.argLocals()];
    const raw = locals.length;
    locals.push({ id: raw, ty: U8P, name: null, kind: 'temp', span });
    const sp = locals.length;
    locals.push({ id: sp, ty: { k: 'ptr', inner: this.stateTy }, name: null, kind: 'temp', span });
    const args: Operand[] = [];
    for (let i = 1; i <= f.argCount; i++) args.push({ k: 'move', place: pl(i) });
    const stmts: Statement[] = [
      callExtern(pl(raw), 'tml_alloc', U8P, [
        { k: 'const', value: { k: 'sizeof', of: this.stateTy }, ty: T.i64 },
        { k: 'const', value: { k: 'site', span, typeName: `the future of ${f.displayName}` }, ty: U8P },
      ], span),
      assign(pl(sp), { k: 'cast', operand: copy(pl(raw)), to: locals[sp]!.ty }, span),
      callFn({ local: sp, proj: [{ k: 'deref' }] }, this.initSym, args, span),
      assign(pl(0), { k: 'aggregate', kind: { k: 'struct' }, ops: [fnptr(this.pollSym), fnptr(this.dropSym), copy(pl(raw))] }, span),
    ];
    return this.fnOf(f.symbol, f.displayName, locals, stmts, f.asyncFuture!);
  }

  private fnOf(symbol: string, displayName: string, locals: LocalDecl[], stmts: Statement[], retTy: Type): MirFunction {
    const f = this.f;
    return { symbol, displayName, kind: 'fn', locals, argCount: f.argCount, retTy, blocks: [{ id: 0, stmts, term: { k: 'return' }, termSpan: f.span }], span: f.span, exported: f.exported };
  }
}

// ---------- embedding: a future whose state can live in its owner ----------

type Machines = (sym: string) => StateMachine | null;

/** If future local `fut` is made by the one assignment `fut = call g(…)` of async function g (whose machine is
 * built, not in a cycle) and its mentions pass `accept`, give it g's state instead of a boxed Future: its type, and
 * its making call (`g$init`). Returns g's machine, or null when `fut` keeps its box. */
function embedMadeFuture(f: MirFunction, fut: LocalId, accept: (u: PlaceUses) => boolean, machine: Machines): StateMachine | null {
  const u = placeUses(f, fut);
  if (u.defs.length !== 1 || !accept(u)) return null;
  const { block, index } = u.defs[0]!;
  const s = f.blocks[block]!.stmts[index]!;
  const sm = s.k === 'call' && s.callee.k === 'fn' ? machine(s.callee.symbol) : null;
  if (!sm) return null;
  const d = f.locals[fut]!;
  f.locals[fut] = { id: d.id, ty: sm.stateTy, name: d.name, kind: d.kind, span: d.span };
  f.blocks[block]!.stmts[index] = { ...(s as Extract<Statement, { k: 'call' }>), callee: { k: 'fn', symbol: sm.initSym } };
  return sm;
}

/** used only by the consuming call at hand (besides its making call) */
const consumedHere = (u: PlaceUses) => u.count === 2;

/** The awaits of async body `f` on a direct call of an async function, embedded (see the header). A future local
 * whose drop is flagged (moved on some paths only) keeps its box. */
function embedAwaits(f: MirFunction, machine: Machines): Map<LocalId, StateMachine> {
  const out = new Map<LocalId, StateMachine>();
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      if (!isAwaitCall(s)) continue;
      const a = s.args[0]!;
      if (a.k !== 'move' || a.place.proj.length || out.has(a.place.local)) continue;
      const sm = embedMadeFuture(f, a.place.local, (u) => !u.flaggedDrop && u.other === 0 && u.awaits === 1, machine);
      if (sm) out.set(a.place.local, sm);
    }
  }
  return out;
}

/** `spawn` and `block_on` of a future: the markers and calls lowering left, made into runtime calls. */
function rewriteMarkers(f: MirFunction, machine: Machines): void {
  for (const b of f.blocks) {
    for (let si = 0; si < b.stmts.length; si++) {
      const spawn = calls(b.stmts[si]!, 'extern', SPAWN_ASYNC);
      const blockOn = calls(b.stmts[si]!, 'fn', BLOCK_ON, true);
      const made = spawn ? spawnCall(f, spawn, machine) : blockOn ? blockOnInPlace(f, blockOn, machine) : null;
      if (made) b.stmts.splice(si, 1, ...made);
    }
  }
}

function spawnCall(f: MirFunction, s: Extract<Statement, { k: 'call' }>, machine: Machines): Statement[] {
  const fut = (s.args[0] as Extract<Operand, { k: 'move' }>).place.local;
  const [, size, dropResult] = s.args as [Operand, Operand, Operand];
  const sm = embedMadeFuture(f, fut, consumedHere, machine);
  const out: Statement[] = [];
  if (sm) {
    const raw = rawAddress(f, out, pl(fut), s.span);
    const stateSize: Operand = { k: 'const', value: { k: 'sizeof', of: sm.stateTy }, ty: T.i64 };
    out.push(callExtern(s.dest, 'tml_async_spawn', U8P, [fnptr(sm.pollSym), fnptr(sm.dropSym), copy(pl(raw)), stateSize, size, dropResult], s.span));
    return out;
  }
  // any other future: its box moves into the task
  const raw = rawAddress(f, out, pl(fut), s.span, true);
  const word = (i: number): Operand => copy({ local: raw, proj: [{ k: 'deref' }, { k: 'field', index: i }] });
  out.push(callExtern(s.dest, 'tml_async_spawn_future', U8P, [word(0), word(1), word(2), size, dropResult], s.span));
  return out;
}

function blockOnInPlace(f: MirFunction, s: Extract<Statement, { k: 'call' }>, machine: Machines): Statement[] | null {
  const a = s.args[0];
  if (!a || a.k !== 'move' || a.place.proj.length) return null;
  const fut = a.place.local;
  const sm = embedMadeFuture(f, fut, consumedHere, machine);
  if (!sm) return null;
  const out: Statement[] = [];
  const state = rawAddress(f, out, pl(fut), s.span);
  const outArg: Operand = s.dest ? copy(pl(rawAddress(f, out, s.dest, s.span))) : { k: 'const', value: { k: 'null' }, ty: U8P };
  out.push(callExtern(null, 'tml_block_on_state', T.unit, [fnptr(sm.pollSym), copy(pl(state)), outArg], s.span));
  return out;
}

/** `&raw p` (as *U8, or typed) into a new temporary of `f` */
function rawAddress(f: MirFunction, out: Statement[], p: Place, span: Span, typed = false): LocalId {
  const temp = (ty: Type) => newTemp(f, ty, span);
  return typed ? rawPointer(out, p, placeType(f, p), temp, span) : rawAddressOf(out, p, placeType(f, p), temp, span);
}

function newTemp(f: MirFunction, ty: Type, span: Span): LocalId {
  const id = f.locals.length;
  f.locals.push({ id, ty, name: null, kind: 'temp', span });
  return id;
}

