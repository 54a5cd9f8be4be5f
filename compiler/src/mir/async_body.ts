// The two functions cut out of an async body by the state-machine pass (async_lower.ts): `poll` follows, from the
// suspension point the state records, the paths that continue; `drop` follows the paths that stop there (the drops
// lowering placed for leaving the body at that point). A local the state keeps is rewritten to its field
// `(*state).i`; every other local is a local of the new function's frame. A future embedded in the state (the
// awaited call of another async function) is polled and dropped by direct calls; any other future through its
// `Future` value (runtime-c/async.c tml_future_poll); a task through the runtime's await of tasks.
import type { Span } from '../syntax/source.js';
import { T, type Type } from '../sema/types.js';
import { placeType } from './analysis/place_type.js';
import { SUSPEND } from './lower_async.js';
import type { BasicBlock, BlockId, Callee, LocalDecl, LocalId, MirFunction, Operand, Place, Rvalue, Statement, Terminator } from './mir.js';
import { assign, callExtern, callFn, copy, int32, pl, rawAddressOf, U8P, use, withProj } from './mir_build.js';
import { constArg, DONE, isAwaitCall, type StateMachine } from './async_lower.js';

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

function statePlace(sp: LocalId, field: number): Place {
  return { local: sp, proj: [{ k: 'deref' }, { k: 'field', index: field }] };
}

export class Body {
  private readonly locals: LocalDecl[] = [];
  private readonly blocks: BasicBlock[] = [];
  private readonly frame = new Map<LocalId, LocalId>();
  private readonly cloned = new Map<BlockId, BlockId>();
  private readonly work: WorkItem[] = [];
  private readonly resume = new Map<number, BlockId>();
  private readonly sp: LocalId;
  private readonly f: MirFunction;
  private readonly info: StateMachine;

  constructor(
    sm: StateMachine,
    private readonly mode: 'poll' | 'drop',
  ) {
    this.info = sm;
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
    const outp = this.rawAddr(r.stmts, call.dest!, span);
    const ready = this.local(T.i32, null, 'temp', span);
    const pending = this.block();
    pending.stmts.push(assign(statePlace(this.sp, 0), use(int32(k)), span), assign(pl(0), use(int32(0)), span));
    pending.term = { k: 'return' };
    pending.termSpan = span;
    const cont = this.block();
    // where the poll's result is judged: ready → cont, pending → pending
    let decide = r;
    const embedded = this.info.embedded.get(awOrig.local);
    if (embedded && awOrig.proj.length === 0) {
      const awp = this.rawAddr(r.stmts, awOrig, span);
      r.stmts.push(callFn(pl(ready), embedded.pollSym, [copy(pl(awp)), copy(pl(2)), copy(pl(outp))], span));
    } else if (this.info.isFuture(awTy)) {
      const awp = this.rawAddr(r.stmts, awOrig, span);
      r.stmts.push(callExtern(pl(ready), 'tml_future_poll', T.i32, [copy(pl(awp)), copy(pl(2)), copy(pl(outp))], span));
      // done: the future dropped its own state's values as it finished; only the memory is left
      cont.stmts.push(callExtern(null, 'tml_future_complete', T.unit, [copy(pl(awp))], span));
    } else {
      // a Task { handle, is_async }: an executor task, or a thread task the runtime wakes us for when it ends
      const handle = copy(withProj(aw, { k: 'field', index: 0 }));
      const viaAsync = this.block();
      const viaThread = this.block();
      decide = this.block();
      r.term = { k: 'branch', cond: copy(withProj(aw, { k: 'field', index: 1 })), then: viaAsync.id, else: viaThread.id };
      viaAsync.stmts.push(callExtern(pl(ready), 'tml_async_await', T.i32, [handle, copy(pl(2)), copy(pl(outp))], span));
      viaThread.stmts.push(callExtern(pl(ready), 'tml_task_await', T.i32, [handle, copy(pl(2)), copy(pl(outp))], span));
      for (const b of [viaAsync, viaThread]) {
        b.term = { k: 'goto', target: decide.id };
        b.termSpan = span;
      }
    }
    decide.term = { k: 'switch', discr: copy(pl(ready)), cases: [{ value: 1n, target: cont.id }], otherwise: pending.id };
    decide.termSpan = span;
    r.termSpan = span;
    this.work.push({ src: at.src, start: at.index + 1, id: cont.id });
    return r.id;
  }

  /** `&raw p as *U8` into a new temporary of this function, appended to `out` (p: a place of the original body) */
  private rawAddr(out: Statement[], p: Place, span: Span): LocalId {
    return rawAddressOf(out, this.place(p), placeType(this.f, p), (ty) => this.local(ty, null, 'temp', span), span);
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
      case 'offset':
        return { ...r, base: this.op(r.base), index: this.op(r.index) };
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
        const embedded = s.place.proj.length === 0 ? this.info.embedded.get(s.place.local) : undefined;
        if (embedded) {
          // an embedded future: its own drop function, on its state (its drop is never flagged: async_lower.ts)
          const out: Statement[] = [];
          const raw = this.rawAddr(out, s.place, s.span);
          out.push(callFn(null, embedded.dropSym, [copy(pl(raw))], s.span));
          return out;
        }
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
