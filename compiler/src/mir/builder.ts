// Building one MIR function: locals, blocks, and the current insertion point.
import type { Span } from '../syntax/source.js';
import type { Type } from '../sema/types.js';
import { T } from '../sema/types.js';
import type { BasicBlock, BlockId, Callee, LocalDecl, LocalId, MirFunction, Operand, Place, Rvalue, Statement, Terminator } from './mir.js';
import { place } from './mir.js';

export class FnBuilder {
  readonly locals: LocalDecl[] = [];
  readonly blocks: BasicBlock[] = [];
  cur: BasicBlock;
  /** true once the current block has been terminated (code after return/break is unreachable) */
  private terminated = false;

  constructor(retTy: Type, span: Span) {
    this.newLocal(retTy, null, 'return', span);
    this.cur = this.newBlock();
  }

  newLocal(ty: Type, name: string | null, kind: LocalDecl['kind'], span: Span | null, assignOnce = false): LocalId {
    const id = this.locals.length;
    this.locals.push(assignOnce ? { id, ty, name, kind, span, assignOnce } : { id, ty, name, kind, span });
    return id;
  }

  temp(ty: Type, span: Span): LocalId {
    return this.newLocal(ty, null, 'temp', span);
  }

  newBlock(): BasicBlock {
    const b: BasicBlock = { id: this.blocks.length, stmts: [], term: { k: 'unreachable' }, termSpan: null };
    this.blocks.push(b);
    return b;
  }

  /** Continue emitting into `b`. */
  switchTo(b: BasicBlock): void {
    this.cur = b;
    this.terminated = false;
  }

  get isTerminated(): boolean {
    return this.terminated;
  }

  emit(s: Statement): void {
    if (this.terminated) {
      // unreachable code: give it a fresh (dead) block so emission stays well-formed
      this.switchTo(this.newBlock());
    }
    this.cur.stmts.push(s);
  }

  assign(p: Place, rvalue: Rvalue, span: Span): void {
    this.emit({ k: 'assign', place: p, rvalue, span });
  }

  /** debug builds: name the TML site before each runtime call that makes strings (for leak reports) */
  trackStringSites = false;

  call(dest: Place | null, callee: Callee, args: Operand[], span: Span, noReturn = false): void {
    if (this.trackStringSites && callee.k === 'extern' && (callee.ret.k === 'str' || MAKES_STRINGS.has(callee.symbol))) {
      const site: Operand = { k: 'const', value: { k: 'site', span, typeName: 'Str' }, ty: { k: 'ptr', inner: T.u8 } };
      this.emit({ k: 'call', dest: null, callee: { k: 'extern', symbol: 'tml_here', ret: T.unit }, args: [site], span, noReturn: false });
    }
    this.emit({ k: 'call', dest, callee, args, span, noReturn });
    if (noReturn) this.terminate({ k: 'unreachable' }, span);
  }

  terminate(t: Terminator, span: Span | null): void {
    if (this.terminated) return;
    this.cur.term = t;
    this.cur.termSpan = span;
    this.terminated = true;
  }

  goto(target: BasicBlock, span: Span | null = null): void {
    this.terminate({ k: 'goto', target: target.id }, span);
  }

  branch(cond: Operand, then: BasicBlock, els: BasicBlock, span: Span): void {
    this.terminate({ k: 'branch', cond, then: then.id, else: els.id }, span);
  }

  /** while counter < bound { body(); counter += 1 } over I64: element-wise glue and cleanups */
  countedLoop(counter: LocalId, bound: Operand, span: Span, body: () => void): void {
    const head = this.newBlock();
    const loop = this.newBlock();
    const done = this.newBlock();
    this.loopHead(head, 'lt', { k: 'copy', place: place(counter) }, bound, loop, done, span);
    body();
    this.assign(place(counter), { k: 'binary', op: 'add', left: { k: 'copy', place: place(counter) }, right: constInt(1, T.i64) }, span);
    this.goto(head);
    this.switchTo(done);
  }

  /** A loop's test: from the current block into `head`, which goes to `body` while `left op right` holds and to
   * `exit` once it does not; building continues in `body`. */
  loopHead(head: BasicBlock, op: 'lt' | 'le', left: Operand, right: Operand, body: BasicBlock, exit: BasicBlock, span: Span): void {
    this.goto(head);
    this.switchTo(head);
    const more = this.temp(T.bool, span);
    this.assign(place(more), { k: 'binary', op, left, right }, span);
    this.branch({ k: 'copy', place: place(more) }, body, exit, span);
    this.switchTo(body);
  }

  /** Branch on the variant of the enum at `p`: to `first` for variant 0 (`Just`, `Ok`), to `other` for any other. */
  switchOnFirstVariant(p: Place, span: Span): { first: BasicBlock; other: BasicBlock } {
    const d = this.temp(T.i32, span);
    this.assign(place(d), { k: 'discriminant', place: p }, span);
    const first = this.newBlock();
    const other = this.newBlock();
    this.terminate({ k: 'switch', discr: { k: 'copy', place: place(d) }, cases: [{ value: 0n, target: first.id }], otherwise: other.id }, span);
    return { first, other };
  }

  localTy(id: LocalId): Type {
    return this.locals[id]!.ty;
  }

  /** the `lowlevel` blocks lowered so far (MirFunction.lowlevel) */
  readonly lowlevel: Span[] = [];

  finish(symbol: string, displayName: string, kind: MirFunction['kind'], argCount: number, span: Span, exported: boolean): MirFunction {
    if (!this.terminated) this.terminate({ k: 'return' }, null);
    const f: MirFunction = { symbol, displayName, kind, locals: this.locals, argCount, retTy: this.locals[0]!.ty, blocks: this.blocks, span, exported };
    return this.lowlevel.length ? { ...f, lowlevel: this.lowlevel } : f;
  }
}

/** runtime functions that make strings without returning one (through out-parameters) */
const MAKES_STRINGS = new Set(['tml_str_split', 'tml_env_get', 'tml_read_line', 'tml_read_file', 'tml_write_file', 'tml_str_parse_i64']);

export const unitOp: Operand = { k: 'const', value: { k: 'unit' }, ty: T.unit };

export function constInt(value: bigint | number, ty: Type): Operand {
  return { k: 'const', value: { k: 'int', value: BigInt(value) }, ty };
}

export function constBool(value: boolean): Operand {
  return { k: 'const', value: { k: 'bool', value }, ty: T.bool };
}

export function copyOf(local: LocalId): Operand {
  return { k: 'copy', place: place(local) };
}

export function moveOf(local: LocalId): Operand {
  return { k: 'move', place: place(local) };
}

export type { BlockId };
