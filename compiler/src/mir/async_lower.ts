// The state-machine pass (MEMORY.md §8.1): after the checks and drop elaboration, every `async func` body (lowered
// with suspension points by lower_async.ts) becomes three functions:
//
//   f(args…) -> Future[T]               allocates the state, moves the arguments in (state 0: not started) and
//                                       returns { poll: f$poll, drop: f$drop, state } — it runs nothing;
//   f$poll(state, waker, out) -> I32    resumes at the suspension point the state records; 1 = done (the result
//                                       written to *out), 0 = pending (after the awaited future or task was
//                                       polled, which keeps the waker);
//   f$drop(state)                       drops exactly the values live at the recorded suspension point, by running
//                                       the drop path lowering built there (newest first, drop flags included).
//
// The state is a tuple (I32 suspension point, one field per local live across some suspension point): the values
// the storage liveness says a later part of the body (or a drop path) still needs. Every other local stays in
// the poll function's frame. The runtime never moves a state once polled (runtime-c/async.c), so references into
// it taken during one poll are sound; references live across an `await` are rejected before (async_check.ts).
import type { Span } from '../syntax/source.js';
import { T, type Type } from '../sema/types.js';
import { liveness } from './analysis/liveness.js';
import { placeType } from './analysis/place_type.js';
import { AWAIT, SUSPEND } from './lower_async.js';
import type { BasicBlock, BlockId, Callee, LocalDecl, LocalId, MirFunction, MirProgram, Operand, Place, Rvalue, Statement, Terminator } from './mir.js';

const U8P: Type = { k: 'ptr', inner: T.u8 };
/** the suspension point of a finished future: its state holds nothing */
const DONE = 1 << 30;

export function lowerAsyncFunctions(program: MirProgram, futureAdt: (t: Type) => boolean): void {
  const out: MirFunction[] = [];
  for (const f of program.functions) {
    if (f.asyncFuture) out.push(...new StateMachine(f, futureAdt).build());
    else out.push(f);
  }
  program.functions.splice(0, program.functions.length, ...out);
}

interface WorkItem {
  readonly src: BasicBlock;
  readonly start: number;
  readonly id: BlockId;
}

interface AwaitSite {
  readonly call: Extract<Statement, { k: 'call' }>;
  readonly src: BasicBlock;
  readonly index: number;
}

interface Suspension {
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
  const seen = new Set<BlockId>();
  const work = susp.map((s) => s.stop);
  while (work.length) {
    const bi = work.pop()!;
    if (seen.has(bi)) continue;
    seen.add(bi);
    const t = f.blocks[bi]!.term;
    if (t.k === 'goto') work.push(t.target);
    else if (t.k === 'branch') work.push(t.then, t.else);
    else if (t.k === 'switch') work.push(...t.cases.map((c) => c.target), t.otherwise);
  }
  return seen;
}

function constArg(o: Operand): number {
  if (o.k !== 'const' || o.value.k !== 'int') throw new Error('internal: a suspension point without its number');
  return Number(o.value.value);
}

export function isAwaitCall(s: Statement): s is Extract<Statement, { k: 'call' }> {
  return s.k === 'call' && s.callee.k === 'extern' && s.callee.symbol === AWAIT;
}

class StateMachine {
  private readonly susp: Suspension[];
  /** local → field of the state tuple (field 0 is the suspension point) */
  private readonly field = new Map<LocalId, number>();
  private readonly stateTy: Type;
  private readonly pollSym: string;
  private readonly dropSym: string;

  constructor(
    private readonly f: MirFunction,
    private readonly isFuture: (t: Type) => boolean,
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
    this.pollSym = `${f.symbol}$poll`;
    this.dropSym = `${f.symbol}$drop`;
  }

  build(): MirFunction[] {
    return [this.constructorFn(), new Body(this, 'poll').fn(), new Body(this, 'drop').fn()];
  }

  get fnInfo() {
    return { f: this.f, susp: this.susp, field: this.field, stateTy: this.stateTy, pollSym: this.pollSym, dropSym: this.dropSym, isFuture: this.isFuture };
  }

  /** f(args…): the state with the arguments moved in, at suspension point 0. */
  private constructorFn(): MirFunction {
    const f = this.f;
    const span = f.span;
    const locals: LocalDecl[] = [{ id: 0, ty: f.asyncFuture!, name: null, kind: 'return', span }];
    for (let i = 1; i <= f.argCount; i++) {
      const a = f.locals[i]!;
      locals.push({ id: i, ty: a.ty, name: a.name, kind: 'arg', span: a.span });
    }
    const raw = locals.length;
    locals.push({ id: raw, ty: U8P, name: null, kind: 'temp', span });
    const sp = locals.length;
    locals.push({ id: sp, ty: { k: 'ptr', inner: this.stateTy }, name: null, kind: 'temp', span });
    const stmts: Statement[] = [
      {
        k: 'call',
        dest: pl(raw),
        callee: { k: 'extern', symbol: 'tml_alloc', ret: U8P },
        args: [
          { k: 'const', value: { k: 'sizeof', of: this.stateTy }, ty: T.i64 },
          { k: 'const', value: { k: 'site', span, typeName: `the future of ${f.displayName}` }, ty: U8P },
        ],
        span,
        noReturn: false,
      },
      assign(pl(sp), { k: 'cast', operand: copy(pl(raw)), to: locals[sp]!.ty }, span),
      assign(statePlace(sp, 0), use(int32(0)), span),
    ];
    for (let i = 1; i <= f.argCount; i++) {
      const fi = this.field.get(i);
      if (fi !== undefined) stmts.push(assign(statePlace(sp, fi), use({ k: 'move', place: pl(i) }), span));
    }
    const fnptr = (symbol: string): Operand => ({ k: 'const', value: { k: 'fnptr', symbol }, ty: U8P });
    stmts.push(assign(pl(0), { k: 'aggregate', kind: { k: 'struct' }, ops: [fnptr(this.pollSym), fnptr(this.dropSym), copy(pl(raw))] }, span));
    const { asyncFuture: _future, ...rest } = f;
    return { ...rest, retTy: f.asyncFuture!, locals, blocks: [{ id: 0, stmts, term: { k: 'return' }, termSpan: span }], lowlevel: undefined };
  }
}

/** One of the two functions cut out of the body: `poll` follows the paths that continue at each suspension point,
 * `drop` the paths that stop there. */
class Body {
  private readonly locals: LocalDecl[] = [];
  private readonly blocks: BasicBlock[] = [];
  private readonly frame = new Map<LocalId, LocalId>();
  private readonly cloned = new Map<BlockId, BlockId>();
  private readonly work: WorkItem[] = [];
  private readonly resume = new Map<number, BlockId>();
  private readonly sp: LocalId;
  private readonly f: MirFunction;
  private readonly info: StateMachine['fnInfo'];

  constructor(
    sm: StateMachine,
    private readonly mode: 'poll' | 'drop',
  ) {
    this.info = sm.fnInfo;
    const f = (this.f = this.info.f);
    const span = f.span;
    this.local(mode === 'poll' ? T.i32 : T.unit, null, 'return', span);
    this.local(U8P, 'state', 'arg', span);
    if (mode === 'poll') {
      this.local(U8P, 'waker', 'arg', span);
      this.local(U8P, 'out', 'arg', span);
    }
    this.sp = this.local({ k: 'ptr', inner: this.info.stateTy }, null, 'temp', span);
    for (const l of f.locals) {
      if (this.info.field.has(l.id)) continue;
      const kind = l.kind === 'arg' || l.kind === 'return' ? 'var' : l.kind;
      this.frame.set(l.id, this.local(l.ty, l.name, kind, l.span));
    }
  }

  private local(ty: Type, name: string | null, kind: LocalDecl['kind'], span: Span | null): LocalId {
    const id = this.locals.length;
    this.locals.push({ id, ty, name, kind, span });
    return id;
  }

  private block(): BasicBlock {
    const b: BasicBlock = { id: this.blocks.length, stmts: [], term: { k: 'unreachable' }, termSpan: null };
    this.blocks.push(b);
    return b;
  }

  fn(): MirFunction {
    const f = this.f;
    const span = f.span;
    const entry = this.block();
    entry.stmts.push(assign(pl(this.sp), { k: 'cast', operand: copy(pl(1)), to: this.locals[this.sp]!.ty }, span));
    const disc = this.local(T.i32, null, 'temp', span);
    entry.stmts.push(assign(pl(disc), use(copy(statePlace(this.sp, 0))), span));
    const cases: { value: bigint; target: BlockId }[] = [{ value: 0n, target: this.clone(0) }];
    let otherwise: BlockId;
    if (this.mode === 'poll') {
      for (const s of this.info.susp) if (s.k > 0) cases.push({ value: BigInt(s.k), target: this.resumeBlock(this.findAwait(s.k)) });
      otherwise = this.block().id; // polled after completion: the runtime never does
    } else {
      for (const s of this.info.susp) if (s.k > 0) cases.push({ value: BigInt(s.k), target: this.clone(s.stop) });
      const done = this.block();
      done.term = { k: 'return' };
      otherwise = done.id;
    }
    entry.term = { k: 'switch', discr: copy(pl(disc)), cases, otherwise };
    entry.termSpan = span;
    this.drain();
    return {
      symbol: this.mode === 'poll' ? this.info.pollSym : this.info.dropSym,
      displayName: `${f.displayName} (${this.mode === 'poll' ? 'poll' : 'drop'})`,
      kind: 'fn',
      locals: this.locals,
      argCount: this.mode === 'poll' ? 3 : 1,
      retTy: this.mode === 'poll' ? T.i32 : T.unit,
      blocks: this.blocks,
      span,
      exported: false,
      lowlevel: f.lowlevel,
    };
  }

  /** the copy of original block `bi` in this function (made on first use) */
  private clone(bi: BlockId): BlockId {
    let id = this.cloned.get(bi);
    if (id === undefined) {
      id = this.block().id;
      this.cloned.set(bi, id);
      this.work.push({ src: this.f.blocks[bi]!, start: 0, id });
    }
    return id;
  }

  private drain(): void {
    while (this.work.length) this.copyFrom(this.work.pop()!);
  }

  /** Copy statements `start…` of `src` and its terminator into block `id`; an await ends the block there (its
   * resume block continues with the rest). */
  private copyFrom({ src, start, id }: WorkItem): void {
    const cur = this.blocks[id]!;
    for (let i = start; i < src.stmts.length; i++) {
      const s = src.stmts[i]!;
      if (s.k === 'call' && s.callee.k === 'extern' && s.callee.symbol === SUSPEND) continue;
      if (isAwaitCall(s)) {
        if (this.mode === 'drop') throw new Error(`internal: ${this.f.symbol}: a drop path reaches an await`);
        cur.term = { k: 'goto', target: this.resumeBlock({ call: s, src, index: i }) };
        cur.termSpan = s.span;
        return;
      }
      cur.stmts.push(...this.stmt(s));
    }
    cur.termSpan = src.termSpan;
    const susp = this.info.susp.find((x) => x.block === src.id);
    if (susp) cur.term = { k: 'goto', target: this.clone(this.mode === 'poll' ? susp.go : susp.stop) };
    else if (src.term.k === 'return') this.finish(cur, src.termSpan ?? this.f.span);
    else cur.term = this.term(src.term);
  }

  /** `return` of the body: poll writes the result and reports completion; drop has dropped everything. */
  private finish(cur: BasicBlock, span: Span): void {
    if (this.mode === 'poll') {
      const r = this.f.locals[0]!.ty;
      if (r.k !== 'unit' && r.k !== 'never') {
        const outp = this.local({ k: 'ptr', inner: r }, null, 'temp', span);
        cur.stmts.push(assign(pl(outp), { k: 'cast', operand: copy(pl(3)), to: this.locals[outp]!.ty }, span));
        cur.stmts.push(assign({ local: outp, proj: [{ k: 'deref' }] }, use({ k: 'move', place: this.place(pl(0)) }), span));
      }
      cur.stmts.push(assign(statePlace(this.sp, 0), use(int32(DONE)), span));
      cur.stmts.push(assign(pl(0), use(int32(1)), span));
    }
    cur.term = { k: 'return' };
  }

  /** R_k: poll the awaited future or task (the first arrival and every resumption come here); pending records k
   * and returns 0; ready continues with the rest of the awaiting block. */
  private resumeBlock(at: AwaitSite): BlockId {
    const k = constArg(at.call.args[1]!);
    const have = this.resume.get(k);
    if (have !== undefined) return have;
    const { call } = at;
    const span = call.span;
    const r = this.block();
    this.resume.set(k, r.id);
    const awOrig = (call.args[0] as Extract<Operand, { k: 'move' }>).place;
    const awTy = placeType(this.f, awOrig);
    const aw = this.place(awOrig);
    const outp = this.rawAddr(r, call.dest!, span);
    const ready = this.local(T.i32, null, 'temp', span);
    const pending = this.block();
    pending.stmts.push(assign(statePlace(this.sp, 0), use(int32(k)), span), assign(pl(0), use(int32(0)), span));
    pending.term = { k: 'return' };
    pending.termSpan = span;
    const cont = this.block();
    if (this.info.isFuture(awTy)) {
      const awp = this.rawAddr(r, awOrig, span);
      r.stmts.push(callExtern(pl(ready), 'tml_future_poll', T.i32, [copy(pl(awp)), copy(pl(2)), copy(pl(outp))], span));
      r.term = { k: 'switch', discr: copy(pl(ready)), cases: [{ value: 1n, target: cont.id }], otherwise: pending.id };
      // done: the future dropped its own state's values as it finished; only the memory is left
      cont.stmts.push(callExtern(null, 'tml_future_complete', T.unit, [copy(pl(awp))], span));
    } else {
      // a Task { handle, is_async }: an executor task, or a thread task the runtime wakes us for when it ends
      const handle = copy(withProj(aw, { k: 'field', index: 0 }));
      const viaAsync = this.block();
      const viaThread = this.block();
      const join = this.block();
      r.term = { k: 'branch', cond: copy(withProj(aw, { k: 'field', index: 1 })), then: viaAsync.id, else: viaThread.id };
      viaAsync.stmts.push(callExtern(pl(ready), 'tml_async_await', T.i32, [handle, copy(pl(2)), copy(pl(outp))], span));
      viaAsync.term = { k: 'goto', target: join.id };
      viaThread.stmts.push(callExtern(pl(ready), 'tml_task_await', T.i32, [handle, copy(pl(2)), copy(pl(outp))], span));
      viaThread.term = { k: 'goto', target: join.id };
      join.term = { k: 'switch', discr: copy(pl(ready)), cases: [{ value: 1n, target: cont.id }], otherwise: pending.id };
      for (const b of [viaAsync, viaThread, join]) b.termSpan = span;
    }
    r.termSpan = span;
    this.work.push({ src: at.src, start: at.index + 1, id: cont.id });
    return r.id;
  }

  /** `&raw p as *U8` into a new temporary, appended to block `b` (p: a place of the original body) */
  private rawAddr(b: BasicBlock, p: Place, span: Span): LocalId {
    const typed = this.local({ k: 'ptr', inner: placeType(this.f, p) }, null, 'temp', span);
    const raw = this.local(U8P, null, 'temp', span);
    b.stmts.push(assign(pl(typed), { k: 'ref', place: this.place(p), mutable: true, raw: true }, span));
    b.stmts.push(assign(pl(raw), { k: 'cast', operand: copy(pl(typed)), to: U8P }, span));
    return raw;
  }

  private findAwait(k: number): AwaitSite {
    for (const src of this.f.blocks) {
      const index = src.stmts.findIndex((s) => isAwaitCall(s) && constArg(s.args[1]!) === k);
      if (index >= 0) return { call: src.stmts[index] as Extract<Statement, { k: 'call' }>, src, index };
    }
    throw new Error(`internal: ${this.f.symbol}: no await ${k}`);
  }

  // ---------- rewriting places ----------

  place(p: Place): Place {
    const proj = p.proj.map((pr) => (pr.k === 'index' ? { k: 'index' as const, index: this.frameLocal(pr.index) } : pr));
    const fi = this.info.field.get(p.local);
    if (fi !== undefined) return { local: this.sp, proj: [{ k: 'deref' }, { k: 'field', index: fi }, ...proj] };
    return { local: this.frameLocal(p.local), proj };
  }

  private frameLocal(l: LocalId): LocalId {
    const id = this.frame.get(l);
    if (id === undefined) throw new Error(`internal: ${this.f.symbol}: local _${l} is used as an index but lives in the future's state`);
    return id;
  }

  private op(o: Operand): Operand {
    return o.k === 'const' ? o : { ...o, place: this.place(o.place) };
  }

  private rvalue(r: Rvalue): Rvalue {
    switch (r.k) {
      case 'use':
        return { ...r, op: this.op(r.op) };
      case 'binary':
      case 'checked':
        return { ...r, left: this.op(r.left), right: this.op(r.right) };
      case 'unary':
      case 'cast':
      case 'unsize':
        return { ...r, operand: this.op(r.operand) };
      case 'ref':
      case 'discriminant':
        return { ...r, place: this.place(r.place) };
      case 'aggregate':
        return { ...r, ops: r.ops.map((o) => this.op(o)) };
    }
  }

  private callee(c: Callee): Callee {
    if (c.k === 'closure') return { ...c, value: this.op(c.value) };
    if (c.k === 'virtual') return { ...c, object: this.op(c.object) };
    if (c.k === 'slot') return { ...c, vtable: this.op(c.vtable) };
    return c;
  }

  private stmt(s: Statement): Statement[] {
    switch (s.k) {
      case 'assign':
        return [{ ...s, place: this.place(s.place), rvalue: this.rvalue(s.rvalue) }];
      case 'call':
        return [{ ...s, dest: s.dest ? this.place(s.dest) : null, callee: this.callee(s.callee), args: s.args.map((a) => this.op(a)) }];
      case 'retain':
        return [{ ...s, place: this.place(s.place) }];
      case 'drop': {
        if (s.flag === null || !this.info.field.has(s.flag)) return [{ ...s, place: this.place(s.place), flag: s.flag === null ? null : this.frameLocal(s.flag) }];
        // a drop flag kept in the state: a drop tests a local, so read it into one first
        const fl = this.local(T.bool, null, 'flag', null);
        return [assign(pl(fl), use(copy(this.place(pl(s.flag)))), s.span), { ...s, place: this.place(s.place), flag: fl }];
      }
      case 'nop':
        return [s];
    }
  }

  private term(t: Terminator): Terminator {
    switch (t.k) {
      case 'goto':
        return { k: 'goto', target: this.clone(t.target) };
      case 'branch':
        return { k: 'branch', cond: this.op(t.cond), then: this.clone(t.then), else: this.clone(t.else) };
      case 'switch':
        return { k: 'switch', discr: this.op(t.discr), cases: t.cases.map((c) => ({ value: c.value, target: this.clone(c.target) })), otherwise: this.clone(t.otherwise) };
      case 'return':
      case 'unreachable':
        return t;
    }
  }
}

// ---------- small builders ----------

function pl(local: LocalId): Place {
  return { local, proj: [] };
}
function withProj(p: Place, pr: Place['proj'][number]): Place {
  return { local: p.local, proj: [...p.proj, pr] };
}
function statePlace(sp: LocalId, field: number): Place {
  return { local: sp, proj: [{ k: 'deref' }, { k: 'field', index: field }] };
}
function copy(p: Place): Operand {
  return { k: 'copy', place: p };
}
function use(op: Operand): Rvalue {
  return { k: 'use', op };
}
function int32(v: number): Operand {
  return { k: 'const', value: { k: 'int', value: BigInt(v) }, ty: T.i32 };
}
function assign(place: Place, rvalue: Rvalue, span: Span): Statement {
  return { k: 'assign', place, rvalue, span };
}
function callExtern(dest: Place | null, symbol: string, ret: Type, args: Operand[], span: Span): Statement {
  return { k: 'call', dest, callee: { k: 'extern', symbol, ret }, args, span, noReturn: false };
}
