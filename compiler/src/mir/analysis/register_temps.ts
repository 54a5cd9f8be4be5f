// The temporaries code generation can keep in registers instead of stack slots: a compiler temporary written once,
// as a whole, and read only where that write dominates the read (later in its block, or in a later-numbered block
// its block dominates: code generation emits blocks in order), and never borrowed, dropped or retained. Two kinds:
// - a scalar (integer, Bool, Char, float, thin pointer or reference), read as a whole (also as an array index) or
//   through a leading deref;
// - the (result, overflowed) pair of a checked operation, read only by its two fields;
// - an aggregate (tuple, struct, enum, array) made of constants, read only as a whole: code generation makes it an
//   LLVM constant when it can (codegen/const_aggregates.ts) and gives it a slot otherwise.
// No alloca, store and load are needed — at -O0 that is most of the IR of an expression (a comparison, a cast, an
// address computed for an index, an overflow check).
import type { Type } from '../../sema/types.js';
import type { LocalId, MirFunction, Operand, Place, Statement } from '../mir.js';
import { Dominators } from './dominators.js';

/** What code generation keeps in registers: scalars, and checked operations' pairs. */
export interface RegisterTemps {
  readonly scalars: ReadonlySet<LocalId>;
  readonly pairs: ReadonlySet<LocalId>;
  /** aggregates written once by an aggregate of constants, read only whole */
  readonly constAggregates: ReadonlySet<LocalId>;
}

function scalar(t: Type): boolean {
  switch (t.k) {
    case 'int':
    case 'bool':
    case 'char':
    case 'float':
      return true;
    case 'ref':
    case 'ptr':
      return t.inner.k !== 'dyn';
    default:
      return false;
  }
}

function aggregateType(t: Type): boolean {
  return t.k === 'tuple' || t.k === 'array' || (t.k === 'adt' && (t.def.kind === 'struct' || t.def.kind === 'enum'));
}

function checkedPair(t: Type): boolean {
  return t.k === 'tuple' && t.elems.length === 2 && t.elems[0]!.k === 'int' && t.elems[1]!.k === 'bool';
}

export function registerTemps(f: MirFunction): RegisterTemps {
  const n = f.locals.length;
  // per local: -2 not eligible, -1 not yet written, else the block of its write
  const state = new Int32Array(n).fill(-1);
  const pair = new Uint8Array(n);
  const agg = new Uint8Array(n);
  f.locals.forEach((l, i) => {
    if (l.kind !== 'temp') state[i] = -2;
    else if (checkedPair(l.ty)) pair[i] = 1;
    else if (aggregateType(l.ty)) agg[i] = 1;
    else if (!scalar(l.ty)) state[i] = -2;
  });
  const spoil = (l: LocalId) => (state[l] = -2);
  let dom: Dominators | null = null;
  const dominates = (d: number, u: number) => d === u || (u > d && (dom ??= new Dominators(f)).dominates(d, u));
  f.blocks.forEach((b, bi) => {
    const read = (p: Place) => {
      const l = p.local;
      if (state[l]! < 0 || !dominates(state[l]!, bi)) spoil(l); // not written where it dominates this read
      if (pair[l]) {
        if (p.proj.length !== 1 || p.proj[0]!.k !== 'field') spoil(l);
      } else if (agg[l]) {
        if (p.proj.length) spoil(l);
      } else if (p.proj.length && p.proj[0]!.k !== 'deref') spoil(l);
      // an index local is read as a whole (code generation takes its value, from a register or its slot)
      for (const pr of p.proj) if (pr.k === 'index') read({ local: pr.index, proj: [] });
    };
    const readOp = (o: Operand) => {
      if (o.k !== 'const') read(o.place);
    };
    const write = (p: Place) => {
      if (p.proj.length) return read(p); // writing through it reads it
      if (state[p.local] === -1) state[p.local] = bi;
      else spoil(p.local);
    };
    for (const s of b.stmts) {
      // a pair is written only by its checked operation
      if (s.k !== 'assign' || s.rvalue.k !== 'checked') {
        const w = s.k === 'assign' ? s.place : s.k === 'call' ? s.dest : null;
        if (w && pair[w.local]) spoil(w.local);
      }
      // an aggregate only by an aggregate of constants
      if (s.k !== 'assign' || s.rvalue.k !== 'aggregate' || !s.rvalue.ops.every((o) => o.k === 'const')) {
        const w = s.k === 'assign' ? s.place : s.k === 'call' ? s.dest : null;
        if (w && agg[w.local]) spoil(w.local);
      }
      statement(s, readOp, read, write, spoil, (l) => agg[l] === 1);
    }
    if (b.term.k === 'branch') readOp(b.term.cond);
    if (b.term.k === 'switch') readOp(b.term.discr);
  });
  const scalars = new Set<LocalId>();
  const pairs = new Set<LocalId>();
  const constAggregates = new Set<LocalId>();
  state.forEach((s, i) => {
    if (s >= 0) (pair[i] ? pairs : agg[i] ? constAggregates : scalars).add(i);
  });
  return { scalars, pairs, constAggregates };
}

function statement(
  s: Statement,
  readOp: (o: Operand) => void,
  read: (p: Place) => void,
  write: (p: Place) => void,
  spoil: (l: LocalId) => void,
  isAgg: (l: LocalId) => boolean,
): void {
  switch (s.k) {
    case 'assign': {
      const r = s.rvalue;
      switch (r.k) {
        case 'use':
          readOp(r.op);
          break;
        case 'binary':
        case 'checked':
          readOp(r.left);
          readOp(r.right);
          break;
        case 'offset':
          readOp(r.base);
          readOp(r.index);
          break;
        case 'unary':
        case 'cast':
        case 'unsize':
          readOp(r.operand);
          break;
        case 'aggregate':
          r.ops.forEach(readOp);
          break;
        case 'ref':
          // `ref (*_n).f` computes an address from _n's value; `ref _n` needs a slot
          if (r.place.proj.length === 0) spoil(r.place.local);
          else read(r.place);
          break;
        case 'discriminant':
          read(r.place);
          break;
      }
      // an aggregate is built field by field in memory, unless it is all constants (an aggregate temporary)
      if (r.k === 'aggregate' && s.place.proj.length === 0 && !isAgg(s.place.local)) spoil(s.place.local);
      else write(s.place);
      break;
    }
    case 'call':
      if (s.callee.k === 'closure') readOp(s.callee.value);
      if (s.callee.k === 'virtual') readOp(s.callee.object);
      if (s.callee.k === 'slot') readOp(s.callee.vtable);
      s.args.forEach(readOp);
      if (s.dest) write(s.dest);
      break;
    case 'drop':
    case 'retain':
      spoil(s.place.local);
      if (s.k === 'drop' && s.flag !== null) spoil(s.flag);
      break;
    case 'nop':
      break;
  }
}
