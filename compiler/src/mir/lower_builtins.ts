// Built-in functions (LANGUAGE.md §6) and methods of primitive types (§3), lowered to runtime calls and MIR.
import { debugInto, isStructuralDebug } from './lower_debug.js';
import type * as ast from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import type { CallRes } from '../sema/typed.js';
import { T, typeToString, type Type } from '../sema/types.js';
import { lowerNumMethod } from './lower_num.js';
import { lowerFormat } from './lower_format.js';
import { lowerSpawn } from './lower_task.js';
import { constBool, constInt, moveOf } from './builder.js';
import type { LocalId, Operand, Place } from './mir.js';
import { place } from './mir.js';
import type { FnLowerer } from './lower_fn.js';

const PTR: Type = { k: 'ptr', inner: T.u8 };

/** Format the value of `e` as a new Str (Display); returns the local holding it (owned). */
export function lowerDisplay(l: FnLowerer, e: ast.Expr): LocalId {
  const res = l.body.displays.get(e.id);
  if (res?.k === 'builtin' && res.name === 'debug_string') {
    // a tuple or an array under `{:?}`: formatted in place, element by element
    const out = l.b.temp(T.str, e.span);
    debugInto(l, l.derefN(l.placeOf(e), l.body.autoDeref.get(e.id) ?? 0), l.operandType(e), place(out), e.span);
    return out;
  }
  if (!res || res.k === 'builtin') {
    const out = l.b.temp(T.str, e.span);
    primToString(l, l.operand(e), l.operandType(e), place(out), e.span);
    return out;
  }
  return displayFrom(l, e, l.placeOf(e));
}

/** Format a value already evaluated into `p` (the value of expression `e`, before its automatic dereferences). */
export function displayFrom(l: FnLowerer, e: ast.Expr, p: Place): LocalId {
  const span = e.span;
  const res = l.body.displays.get(e.id);
  const t = l.operandType(e);
  const out = l.b.temp(T.str, span);
  if (!res || res.k === 'builtin') {
    const v = l.readPlace(l.derefN(p, l.body.autoDeref.get(e.id) ?? 0), t, null);
    primToString(l, v, t, place(out), span);
    return out;
  }
  let r = p;
  if (l.placeType(r).k !== 'ref') {
    const tmp = l.b.temp({ k: 'ref', mutable: false, inner: l.placeType(r) }, span);
    l.b.assign(place(tmp), { k: 'ref', place: r, mutable: false, raw: false }, span);
    r = place(tmp);
  }
  let rp: Place = r;
  // a reference to a reference (auto-deref'd displays) is read through
  let rt = l.placeType(rp);
  while (rt.k === 'ref' && rt.inner.k === 'ref') {
    const tmp = l.b.temp(rt.inner, span);
    l.b.assign(place(tmp), { k: 'use', op: { k: 'copy', place: { local: rp.local, proj: [...rp.proj, { k: 'deref' }] } } }, span);
    rp = place(tmp);
    rt = l.placeType(rp);
  }
  const target = l.calleeSymbol(res);
  if (target.k === 'builtin' && isStructuralDebug(t)) {
    debugInto(l, { local: rp.local, proj: [...rp.proj, { k: 'deref' }] }, t, place(out), span);
    return out;
  }
  if (target.k === 'builtin') {
    const v = l.readPlace({ local: rp.local, proj: [...rp.proj, { k: 'deref' }] }, t, null);
    primToString(l, v, t, place(out), span);
    return out;
  }
  l.b.call(place(out), { k: 'fn', symbol: target.symbol }, [{ k: 'copy', place: rp }], span);
  return out;
}

/** to_string of a primitive value (which the operand owns). */
export function primToString(l: FnLowerer, v: Operand, t: Type, dest: Place, span: Span): void {
  const b = l.b;
  const call = (sym: string, args: Operand[]) => b.call(dest, { k: 'extern', symbol: sym, ret: T.str }, args, span);
  switch (t.k) {
    case 'str':
      b.assign(dest, { k: 'use', op: v }, span);
      return;
    case 'int':
      if (t.bits === 128) {
        const tmp = b.temp(t, span);
        b.assign(place(tmp), { k: 'use', op: v }, span);
        const lo = b.temp(T.u64, span);
        const hi = b.temp(T.u64, span);
        const sh = b.temp(t, span);
        b.assign(place(lo), { k: 'cast', operand: { k: 'copy', place: place(tmp) }, to: T.u64 }, span);
        b.assign(place(sh), { k: 'binary', op: 'shr', left: { k: 'copy', place: place(tmp) }, right: constInt(64, t) }, span);
        b.assign(place(hi), { k: 'cast', operand: { k: 'copy', place: place(sh) }, to: T.u64 }, span);
        return call(t.signed ? 'tml_str_from_i128' : 'tml_str_from_u128', [{ k: 'copy', place: place(lo) }, { k: 'copy', place: place(hi) }]);
      }
      if (t.signed || t.bits < 64) {
        const w = b.temp(t.signed ? T.i64 : T.u64, span);
        b.assign(place(w), { k: 'cast', operand: v, to: t.signed ? T.i64 : T.u64 }, span);
        return call(t.signed ? 'tml_str_from_i64' : 'tml_str_from_u64', [{ k: 'copy', place: place(w) }]);
      }
      return call('tml_str_from_u64', [v]);
    case 'float':
      return call(t.bits === 32 ? 'tml_str_from_f32' : 'tml_str_from_f64', [v]);
    case 'bool': {
      const w = b.temp(T.i32, span);
      b.assign(place(w), { k: 'cast', operand: v, to: T.i32 }, span);
      return call('tml_str_from_bool', [{ k: 'copy', place: place(w) }]);
    }
    case 'char': {
      const w = b.temp(T.i32, span);
      b.assign(place(w), { k: 'cast', operand: v, to: T.i32 }, span);
      return call('tml_str_from_char', [{ k: 'copy', place: place(w) }]);
    }
    case 'unit':
      b.assign(dest, { k: 'use', op: { k: 'const', value: { k: 'str', value: '()' }, ty: T.str } }, span);
      return;
    default:
      b.assign(dest, { k: 'use', op: { k: 'const', value: { k: 'str', value: typeToString(t) }, ty: T.str } }, span);
  }
}

export function strConst(s: string): Operand {
  return { k: 'const', value: { k: 'str', value: s }, ty: T.str };
}

export function lowerBuiltinCall(l: FnLowerer, e: Extract<ast.Expr, { kind: 'Call' }>, res: Extract<CallRes, { k: 'builtin' }>, dest: Place): void {
  const b = l.b;
  const span = e.span;
  const args = e.args;
  const unit = () => b.assign(dest, { k: 'use', op: { k: 'const', value: { k: 'unit' }, ty: T.unit } }, span);
  const ext = (sym: string, ret: Type, ops: Operand[], d: Place | null = dest) => b.call(d, { k: 'extern', symbol: sym, ret }, ops, span, ret.k === 'never');
  switch (res.name) {
    case 'print':
    case 'println':
    case 'eprint':
    case 'eprintln':
    case 'format': {
      const toErr = constInt(res.name.startsWith('e') ? 1 : 0, T.i32);
      const nl = res.name.endsWith('ln');
      const pieces = l.body.formats.get(e.id);
      if (res.name === 'format') {
        lowerFormat(l, e, pieces!, dest);
        return;
      }
      if (args.length === 0) {
        ext('tml_println', T.unit, [{ k: 'const', value: { k: 'null' }, ty: T.str }, toErr], null);
        return unit();
      }
      // one integer shown as itself (lowerDisplay's primToString case): its digits printed without a Str
      const only = args.length === 1 ? args[0]! : null;
      const onlyTy = only ? l.operandType(only) : null;
      const shown = only ? l.body.displays.get(only.id) : undefined;
      if (only && onlyTy?.k === 'int' && onlyTy.bits <= 64 && (!shown || (shown.k === 'builtin' && shown.name !== 'debug_string'))) {
        const wide = onlyTy.signed ? T.i64 : T.u64;
        // the argument is read at its own span: a borrow it ends is reported "later used" there, not at the call
        const w = b.temp(wide, only.span);
        b.assign(place(w), { k: 'cast', operand: l.operand(only), to: wide }, only.span);
        ext(onlyTy.signed ? 'tml_print_i64' : 'tml_print_u64', T.unit, [{ k: 'copy', place: place(w) }, constInt(nl ? 1 : 0, T.i32), toErr], null);
        return unit();
      }
      let s: LocalId;
      if (args.length === 1) s = lowerDisplay(l, args[0]!);
      else {
        s = b.temp(T.str, span);
        lowerFormat(l, e, pieces!, place(s));
      }
      ext(nl ? 'tml_println' : 'tml_print', T.unit, [{ k: 'copy', place: place(s) }, toErr], null);
      l.dropLocal(s, span);
      return unit();
    }
    case 'panic': {
      const m = l.operand(args[0]!);
      ext('tml_panic', T.never, [l.panicLoc(span), m], null);
      return;
    }
    case 'assert': {
      const c = l.operand(args[0]!);
      const ok = b.newBlock();
      const bad = b.newBlock();
      b.branch(c, ok, bad, span);
      b.switchTo(bad);
      const m = args[1] ? l.operand(args[1]) : ({ k: 'const', value: { k: 'null' }, ty: T.str } as Operand);
      ext('tml_assert_failed', T.never, [l.panicLoc(span), m], null);
      b.switchTo(ok);
      return unit();
    }
    case 'assert_eq':
    case 'assert_ne': {
      // each side is evaluated once, into a place that both the comparison and the failure message read
      const op = res.name === 'assert_eq' ? '==' : '!=';
      const lt = l.operandType(args[0]!);
      const pa = l.placeOf(args[0]!);
      const pb = l.placeOf(args[1]!);
      const va = l.derefN(pa, l.body.autoDeref.get(args[0]!.id) ?? 0);
      const vb = l.derefN(pb, l.body.autoDeref.get(args[1]!.id) ?? 0);
      const ok = b.temp(T.bool, span);
      const opRes = l.body.ops.get(e.id);
      if (opRes?.k === 'call') {
        const target = l.calleeSymbol(opRes.call);
        const refOf = (p: Place) => {
          const r = b.temp({ k: 'ref', mutable: false, inner: l.placeType(p) }, span);
          b.assign(place(r), { k: 'ref', place: p, mutable: false, raw: false }, span);
          return { k: 'copy', place: place(r) } as Operand;
        };
        if (target.k === 'fn') {
          b.call(place(ok), { k: 'fn', symbol: target.symbol }, [refOf(va), refOf(vb)], span);
          if (op === '!=') b.assign(place(ok), { k: 'unary', op: 'not', operand: { k: 'copy', place: place(ok) } }, span);
        } else b.assign(place(ok), { k: 'binary', op: op === '==' ? 'eq' : 'ne', left: { k: 'copy', place: va }, right: { k: 'copy', place: vb } }, span);
      } else if (lt.k === 'str') {
        l.strCompare(op, { k: 'copy', place: va }, { k: 'copy', place: vb }, place(ok), span);
      } else {
        b.assign(place(ok), { k: 'binary', op: op === '==' ? 'eq' : 'ne', left: { k: 'copy', place: va }, right: { k: 'copy', place: vb } }, span);
      }
      const good = b.newBlock();
      const bad = b.newBlock();
      b.branch({ k: 'copy', place: place(ok) }, good, bad, span);
      b.switchTo(bad);
      const ls = displayFrom(l, args[0]!, pa);
      const rs = displayFrom(l, args[1]!, pb);
      const m = args[2] ? l.operand(args[2]) : ({ k: 'const', value: { k: 'null' }, ty: T.str } as Operand);
      ext('tml_assert_cmp_failed', T.never, [l.panicLoc(span), m, { k: 'copy', place: place(ls) }, { k: 'copy', place: place(rs) }, l.cstr(op)], null);
      b.switchTo(good);
      return unit();
    }
    case 'size_of':
    case 'align_of':
      b.assign(dest, { k: 'use', op: { k: 'const', value: { k: res.name === 'size_of' ? 'sizeof' : 'alignof', of: l.sub(res.typeArgs[0] ?? T.unit) }, ty: T.i64 } }, span);
      return;
    case 'num_from':
      // `I64::from(x)`: checked lossless by sema, so a plain widening cast
      b.assign(dest, { k: 'cast', operand: l.operand(args[0]!), to: l.sub(res.typeArgs[0]!) }, span);
      return;
    case 'num_try_from':
      return lowerTryFrom(l, e, l.sub(res.typeArgs[0]!), l.sub(res.typeArgs[1]!), dest);
    case 'type_name':
      b.assign(dest, { k: 'use', op: strConst(typeToString(l.sub(res.typeArgs[0] ?? T.unit))) }, span);
      return;
    case 'needs_drop':
      // does dropping a T do anything (a constant per instance: LLVM removes the dead branch)
      b.assign(dest, { k: 'use', op: constBool(l.needsDrop(l.sub(res.typeArgs[0] ?? T.unit))) }, span);
      return;
    case 'alloc':
    case 'alloc_zeroed': {
      const n = l.operand(args[0]!);
      const site: Operand = { k: 'const', value: { k: 'site', span, typeName: 'raw alloc' }, ty: PTR };
      ext(res.name === 'alloc' ? 'tml_alloc' : 'tml_alloc_zeroed', PTR, [n, site]);
      return;
    }
    case 'realloc': {
      const p = l.operand(args[0]!);
      const n = l.operand(args[1]!);
      const site: Operand = { k: 'const', value: { k: 'site', span, typeName: 'raw alloc' }, ty: PTR };
      ext('tml_realloc', PTR, [p, n, site]);
      return;
    }
    case 'free':
    case 'dealloc': {
      const p = l.operand(args[0]!);
      ext('tml_free', T.unit, [p, l.loc(span)], null);
      return unit();
    }
    case 'mem_copy':
    case 'mem_move':
      ext(res.name === 'mem_copy' ? 'tml_mem_copy' : 'tml_mem_move', T.unit, args.map((a) => l.operand(a)), null);
      return unit();
    case 'mem_set': {
      const p = l.operand(args[0]!);
      const v = l.operand(args[1]!);
      const w = b.temp(T.i32, span);
      b.assign(place(w), { k: 'cast', operand: v, to: T.i32 }, span);
      ext('tml_mem_set', T.unit, [p, { k: 'copy', place: place(w) }, l.operand(args[2]!)], null);
      return unit();
    }
    case 'mem_compare':
      ext('tml_mem_compare', T.i32, args.map((a) => l.operand(a)));
      return;
    case 'exit':
      ext('tml_exit', T.never, [l.operand(args[0]!)], null);
      return;
    case 'clock_ns':
      ext('tml_clock_ns', T.i64, []);
      return;
    case 'alloc_for':
    case 'realloc_for': {
      // inside a @track_caller function the caller's site names the user's line (and the type it allocates for)
      const site: Operand =
        l.callerLoc !== null
          ? { k: 'copy', place: place(l.callerLoc) }
          : { k: 'const', value: { k: 'site', span, typeName: typeToString(l.sub(res.typeArgs[0] ?? T.unit)) }, ty: PTR };
      if (res.name === 'alloc_for') ext('tml_alloc', PTR, [l.operand(args[0]!), site]);
      else ext('tml_realloc', PTR, [l.operand(args[0]!), l.operand(args[1]!), site]);
      return;
    }
    case 'drop_in_place': {
      // run the drop glue of *p; the memory stays
      const pt = l.ty(args[0]!);
      const tmp = b.temp(pt, span);
      b.assign(place(tmp), { k: 'use', op: l.operand(args[0]!) }, span);
      if (pt.k === 'ptr') l.dropPlace(place(tmp, { k: 'deref' }), pt.inner, span);
      return unit();
    }
    case 'copy_out': {
      // a copy of *p: retained when runtime-managed (MEMORY.md: `get` needs a copyable T)
      const pt = l.ty(args[0]!);
      const tmp = b.temp(pt, span);
      b.assign(place(tmp), { k: 'use', op: l.operand(args[0]!) }, span);
      b.assign(dest, { k: 'use', op: l.readPlace(place(tmp, { k: 'deref' }), pt.k === 'ptr' ? pt.inner : T.error, null) }, span);
      return;
    }
    case 'forget': {
      // the value moves into a temporary that nothing drops
      const t = l.ty(args[0]!);
      const sink = b.temp(t, span);
      b.assign(place(sink), { k: 'use', op: l.operand(args[0]!) }, span);
      return unit();
    }
    case 'describe_value': {
      // Display when the type has it, else the type name
      const t = l.operandType(args[0]!);
      const inner = t.k === 'ref' ? t.inner : t;
      const s = l.b.temp(T.str, span);
      if (inner.k === 'str' || inner.k === 'int' || inner.k === 'float' || inner.k === 'bool' || inner.k === 'char') {
        const r = l.placeOf(args[0]!);
        const v = l.readPlace({ local: r.local, proj: [...r.proj, ...(t.k === 'ref' ? [{ k: 'deref' } as const] : [])] }, inner, null);
        primToString(l, v, inner, place(s), span);
      } else {
        b.assign(place(s), { k: 'use', op: strConst(typeToString(inner)) }, span);
      }
      b.assign(dest, { k: 'use', op: moveOf(s) }, span);
      return;
    }
    case 'env':
    case 'read_line':
    case 'read_file':
    case 'write_file':
      return maybeOutOfRuntime(l, res.name, args, dest, span);
    case 'spawn':
      return lowerSpawn(l, e, res, dest);
  }
  throw new Error(`internal: built-in ${res.name} not lowered`);
}

/** `D::try_from(v)` for integer types S → D: `Ok(v as D)` when the value survives the round trip S → D → S and keeps
 * its sign, otherwise `Err(TryFromIntError {})`. */
function lowerTryFrom(l: FnLowerer, e: Extract<ast.Expr, { kind: 'Call' }>, d: Type, s: Type, dest: Place): void {
  const b = l.b;
  const span = e.span;
  if (d.k !== 'int' || s.k !== 'int') throw new Error(`internal: try_from ${typeToString(s)} → ${typeToString(d)}`);
  const outcome = l.ty(e);
  const errTy = outcome.k === 'adt' ? outcome.args[1]! : T.unit;
  const v = b.temp(s, span);
  b.assign(place(v), { k: 'use', op: l.operand(e.args[0]!) }, span);
  const w = b.temp(d, span);
  b.assign(place(w), { k: 'cast', operand: { k: 'copy', place: place(v) }, to: d }, span);
  const back = b.temp(s, span);
  b.assign(place(back), { k: 'cast', operand: { k: 'copy', place: place(w) }, to: s }, span);
  const ok = b.temp(T.bool, span);
  b.assign(place(ok), { k: 'binary', op: 'eq', left: { k: 'copy', place: place(back) }, right: { k: 'copy', place: place(v) } }, span);
  const sign = (x: LocalId, t: Type): void => {
    const nonneg = b.temp(T.bool, span);
    b.assign(place(nonneg), { k: 'binary', op: 'ge', left: { k: 'copy', place: place(x) }, right: constInt(0, t) }, span);
    b.assign(place(ok), { k: 'binary', op: 'and', left: { k: 'copy', place: place(ok) }, right: { k: 'copy', place: place(nonneg) } }, span);
  };
  if (s.signed && !d.signed) sign(v, s);
  if (!s.signed && d.signed) sign(w, d);
  const yes = b.newBlock();
  const no = b.newBlock();
  const done = b.newBlock();
  b.branch({ k: 'copy', place: place(ok) }, yes, no, span);
  b.switchTo(yes);
  b.assign(dest, { k: 'aggregate', kind: { k: 'variant', variant: 0 }, ops: [{ k: 'copy', place: place(w) }] }, span);
  b.goto(done);
  b.switchTo(no);
  const err = b.temp(errTy, span);
  b.assign(place(err), { k: 'aggregate', kind: { k: 'struct' }, ops: [] }, span);
  b.assign(dest, { k: 'aggregate', kind: { k: 'variant', variant: 1 }, ops: [moveOf(err)] }, span);
  b.goto(done);
  b.switchTo(done);
}

export function zeroIndex(l: FnLowerer, span: Span): LocalId {
  const z = l.b.temp(T.i64, span);
  l.b.assign(place(z), { k: 'use', op: constInt(0, T.i64) }, span);
  return z;
}

/** env/read_line/read_file/write_file: runtime returns a flag and an out-parameter; wrap as Maybe/Outcome. */
function maybeOutOfRuntime(l: FnLowerer, name: string, args: ast.Expr[], dest: Place, span: Span): void {
  const b = l.b;
  const out = b.temp(T.str, span);
  b.assign(place(out), { k: 'use', op: { k: 'const', value: { k: 'null' }, ty: T.str } }, span);
  const outP = b.temp({ k: 'ptr', inner: T.str }, span);
  b.assign(place(outP), { k: 'ref', place: place(out), mutable: true, raw: true }, span);
  const flag = b.temp(T.i32, span);
  const strArgs = args.map((a) => l.strArg(a));
  const sym = { env: 'tml_env_get', read_line: 'tml_read_line', read_file: 'tml_read_file', write_file: 'tml_write_file' }[name]!;
  b.call(place(flag), { k: 'extern', symbol: sym, ret: T.i32 }, [...strArgs.map((s) => s.op), { k: 'copy', place: place(outP) }], span);
  for (const s of strArgs) s.release();
  const ok = b.newBlock();
  const bad = b.newBlock();
  const done = b.newBlock();
  b.terminate({ k: 'switch', discr: { k: 'copy', place: place(flag) }, cases: [{ value: 1n, target: ok.id }], otherwise: bad.id }, span);
  b.switchTo(ok);
  if (name === 'write_file') b.assign(dest, { k: 'aggregate', kind: { k: 'variant', variant: 0 }, ops: [{ k: 'const', value: { k: 'unit' }, ty: T.unit }] }, span);
  else b.assign(dest, { k: 'aggregate', kind: { k: 'variant', variant: 0 }, ops: [moveOf(out)] }, span);
  b.goto(done);
  b.switchTo(bad);
  if (name === 'env' || name === 'read_line') b.assign(dest, { k: 'aggregate', kind: { k: 'variant', variant: 1 }, ops: [] }, span);
  else b.assign(dest, { k: 'aggregate', kind: { k: 'variant', variant: 1 }, ops: [moveOf(out)] }, span);
  b.goto(done);
  b.switchTo(done);
}

/** Expressions that denote a place (evaluating them creates no new value). */
function isPlaceExpr(e: ast.Expr): boolean {
  return e.kind === 'Path' || e.kind === 'Field' || e.kind === 'Index' || (e.kind === 'Unary' && e.op === '*');
}

const STR_RUNTIME: Record<string, { sym: string; ret: Type; bool?: boolean }> = {
  len: { sym: 'tml_str_len', ret: T.i64 },
  contains: { sym: 'tml_str_contains', ret: T.i32, bool: true },
  starts_with: { sym: 'tml_str_starts_with', ret: T.i32, bool: true },
  ends_with: { sym: 'tml_str_ends_with', ret: T.i32, bool: true },
  trim: { sym: 'tml_str_trim', ret: T.str },
  to_upper: { sym: 'tml_str_to_upper', ret: T.str },
  to_lower: { sym: 'tml_str_to_lower', ret: T.str },
  hash: { sym: 'tml_str_hash', ret: T.i64 },
};

export function lowerBuiltinMethod(l: FnLowerer, e: Extract<ast.Expr, { kind: 'MethodCall' }>, res: Extract<CallRes, { k: 'builtin' }>, dest: Place, recvTyOverride?: Type): void {
  const b = l.b;
  const span = e.span;
  const n = l.body.autoDeref.get(e.receiver.id) ?? 0;
  // (a primitive's behavior method reached through a generic bound passes the same receiver type)
  void recvTyOverride;
  let rt = l.derefType(l.ty(e.receiver), n);
  const isRef = n > 0 || rt.k === 'ref';
  let extra = 0;
  if (rt.k === 'ref') {
    rt = rt.inner;
    extra = 1;
  }
  // the receiver is evaluated exactly once (it may have effects or create a temporary)
  let cached: Place | null = null;
  const recvPlace = (): Place => {
    if (!cached) cached = l.derefN(l.placeOf(e.receiver), n + extra);
    return cached;
  };
  if (rt.k === 'str') {
    // a Str receiver is borrowed for the runtime call: a place is read without retaining; a temporary is released after
    const recv = isRef || isPlaceExpr(e.receiver) ? { op: { k: 'copy', place: recvPlace() } as Operand, release: () => {} } : l.strArg(e.receiver);
    const m = STR_RUNTIME[res.name];
    if (m) {
      const sargs = e.args.map((a) => (l.ty(a).k === 'str' ? l.strArg(a) : { op: l.operand(a), release: () => {} }));
      if (m.bool) {
        const r = b.temp(T.i32, span);
        b.call(place(r), { k: 'extern', symbol: m.sym, ret: T.i32 }, [recv.op, ...sargs.map((s) => s.op)], span);
        b.assign(dest, { k: 'binary', op: 'ne', left: { k: 'copy', place: place(r) }, right: constInt(0, T.i32) }, span);
      } else b.call(dest, { k: 'extern', symbol: m.sym, ret: m.ret }, [recv.op, ...sargs.map((s) => s.op)], span);
      for (const s of sargs) s.release();
      recv.release();
      return;
    }
    switch (res.name) {
      case 'is_empty': {
        const n = b.temp(T.i64, span);
        b.call(place(n), { k: 'extern', symbol: 'tml_str_len', ret: T.i64 }, [recv.op], span);
        b.assign(dest, { k: 'binary', op: 'eq', left: { k: 'copy', place: place(n) }, right: constInt(0, T.i64) }, span);
        recv.release();
        return;
      }
      case 'split': {
        // the runtime returns a tml_alloc'ed array of new Strs; it becomes the List's buffer
        const sep = l.strArg(e.args[0]!);
        const arr = b.temp({ k: 'ptr', inner: T.str }, span);
        b.assign(place(arr), { k: 'use', op: { k: 'const', value: { k: 'null' }, ty: { k: 'ptr', inner: T.str } } }, span);
        const arrP = b.temp({ k: 'ptr', inner: { k: 'ptr', inner: T.str } }, span);
        b.assign(place(arrP), { k: 'ref', place: place(arr), mutable: true, raw: true }, span);
        const n = b.temp(T.i64, span);
        const listTy = l.placeType(dest);
        const site: Operand = { k: 'const', value: { k: 'site', span, typeName: typeToString(listTy) }, ty: PTR };
        b.call(place(n), { k: 'extern', symbol: 'tml_str_split', ret: T.i64 }, [recv.op, sep.op, { k: 'copy', place: place(arrP) }, site], span);
        sep.release();
        recv.release();
        b.assign(dest, { k: 'aggregate', kind: { k: 'struct' }, ops: [{ k: 'copy', place: place(arr) }, { k: 'copy', place: place(n) }, { k: 'copy', place: place(n) }] }, span);
        return;
      }
      case 'slice': {
        const a = l.operand(e.args[0]!);
        const c = l.operand(e.args[1]!);
        b.call(dest, { k: 'extern', symbol: 'tml_str_slice', ret: T.str }, [recv.op, a, c, l.loc(span)], span);
        recv.release();
        return;
      }
      case 'char_at': {
        const i = l.operand(e.args[0]!);
        const r = b.temp(T.i32, span);
        b.call(place(r), { k: 'extern', symbol: 'tml_str_char_at', ret: T.i32 }, [recv.op, i, l.loc(span)], span);
        b.assign(dest, { k: 'cast', operand: { k: 'copy', place: place(r) }, to: T.char }, span);
        recv.release();
        return;
      }
      case 'to_string':
      case 'duplicate': {
        const tmp = b.temp(T.str, span);
        b.assign(place(tmp), { k: 'use', op: recv.op }, span);
        l.mono.glue.retainSymbol(T.str);
        b.emit({ k: 'retain', place: place(tmp), span });
        recv.release();
        b.assign(dest, { k: 'use', op: moveOf(tmp) }, span);
        return;
      }
      case 'debug_string':
        b.call(dest, { k: 'extern', symbol: 'tml_fmt_debug', ret: T.str }, [recv.op, constInt(34, T.i32)], span);
        recv.release();
        return;
      case 'find':
      case 'parse_i64':
      case 'parse_f64': {
        const vt = res.name === 'parse_f64' ? T.f64 : T.i64;
        const out = b.temp(vt, span);
        b.assign(place(out), { k: 'use', op: res.name === 'parse_f64' ? { k: 'const', value: { k: 'float', value: 0 }, ty: T.f64 } : constInt(0, T.i64) }, span);
        const flag = b.temp(T.i32, span);
        if (res.name === 'find') {
          const n = l.strArg(e.args[0]!);
          b.call(place(out), { k: 'extern', symbol: 'tml_str_find', ret: T.i64 }, [recv.op, n.op], span);
          n.release();
          b.assign(place(flag), { k: 'cast', operand: { k: 'copy', place: place(out) }, to: T.i32 }, span);
          const ge = b.temp(T.bool, span);
          b.assign(place(ge), { k: 'binary', op: 'ge', left: { k: 'copy', place: place(out) }, right: constInt(0, T.i64) }, span);
          b.assign(place(flag), { k: 'cast', operand: { k: 'copy', place: place(ge) }, to: T.i32 }, span);
        } else {
          const op = b.temp({ k: 'ptr', inner: vt }, span);
          b.assign(place(op), { k: 'ref', place: place(out), mutable: true, raw: true }, span);
          b.call(place(flag), { k: 'extern', symbol: res.name === 'parse_i64' ? 'tml_str_parse_i64' : 'tml_str_parse_f64', ret: T.i32 }, [recv.op, { k: 'copy', place: place(op) }], span);
        }
        recv.release();
        const ok = b.newBlock();
        const bad = b.newBlock();
        const done = b.newBlock();
        b.terminate({ k: 'switch', discr: { k: 'copy', place: place(flag) }, cases: [{ value: 0n, target: bad.id }], otherwise: ok.id }, span);
        b.switchTo(ok);
        b.assign(dest, { k: 'aggregate', kind: { k: 'variant', variant: 0 }, ops: [{ k: 'copy', place: place(out) }] }, span);
        b.goto(done);
        b.switchTo(bad);
        b.assign(dest, { k: 'aggregate', kind: { k: 'variant', variant: 1 }, ops: [] }, span);
        b.goto(done);
        b.switchTo(done);
        return;
      }
    }
  }
  if (isStructuralDebug(rt) && res.name === 'debug_string') {
    debugInto(l, recvPlace(), rt, dest, span);
    return;
  }
  if (rt.k === 'array' && res.name === 'len') {
    b.assign(dest, { k: 'use', op: constInt(rt.size, T.i64) }, span);
    return;
  }
  if (rt.k === 'ptr') {
    const p = l.operand(e.receiver);
    const pt = b.temp(rt, span);
    b.assign(place(pt), { k: 'use', op: p }, span);
    switch (res.name) {
      case 'read':
        // a bitwise move out of memory the program manages: ownership passes to the result, nothing is retained
        b.assign(dest, { k: 'use', op: { k: 'copy', place: place(pt, { k: 'deref' }) } }, span);
        return;
      case 'write': {
        const v = l.operand(e.args[0]!);
        b.assign(place(pt, { k: 'deref' }), { k: 'use', op: v }, span);
        b.assign(dest, { k: 'use', op: { k: 'const', value: { k: 'unit' }, ty: T.unit } }, span);
        return;
      }
      case 'offset': {
        // pointer + n elements; not `inbounds`: lowlevel code may step outside the allocation
        b.assign(dest, { k: 'offset', base: { k: 'copy', place: place(pt) }, index: l.operand(e.args[0]!), inbounds: false }, span);
        return;
      }
      case 'is_null': {
        const nul = b.temp(rt, span);
        b.assign(place(nul), { k: 'use', op: { k: 'const', value: { k: 'null' }, ty: rt } }, span);
        b.assign(dest, { k: 'binary', op: 'eq', left: { k: 'copy', place: place(pt) }, right: { k: 'copy', place: place(nul) } }, span);
        return;
      }
    }
  }
  // Ord::cmp / Eq::eq of a primitive: compare with the argument (a reference)
  if (res.name === 'cmp' || res.name === 'eq') {
    const a = b.temp(rt, span);
    if (rt.k === 'str') b.assign(place(a), { k: 'use', op: { k: 'copy', place: recvPlace() } }, span);
    else b.assign(place(a), { k: 'use', op: isRef ? { k: 'copy', place: recvPlace() } : l.operand(e.receiver) }, span);
    const r = b.temp({ k: 'ref', mutable: false, inner: rt }, span);
    b.assign(place(r), { k: 'use', op: l.operand(e.args[0]!) }, span);
    const other: Operand = { k: 'copy', place: place(r, { k: 'deref' }) };
    const mine: Operand = { k: 'copy', place: place(a) };
    if (res.name === 'eq') {
      if (rt.k === 'str') l.strCompare('==', mine, other, dest, span);
      else b.assign(dest, { k: 'binary', op: 'eq', left: mine, right: other }, span);
      return;
    }
    // Less = 0, Equal = 1, Greater = 2
    const lt = b.temp(T.bool, span);
    const gt = b.temp(T.bool, span);
    if (rt.k === 'str') {
      l.strCompare('<', mine, other, place(lt), span);
      l.strCompare('>', mine, other, place(gt), span);
    } else {
      b.assign(place(lt), { k: 'binary', op: 'lt', left: mine, right: other }, span);
      b.assign(place(gt), { k: 'binary', op: 'gt', left: mine, right: other }, span);
    }
    const blocks = [b.newBlock(), b.newBlock(), b.newBlock()];
    const check2 = b.newBlock();
    const done = b.newBlock();
    b.branch({ k: 'copy', place: place(lt) }, blocks[0]!, check2, span);
    b.switchTo(check2);
    b.branch({ k: 'copy', place: place(gt) }, blocks[2]!, blocks[1]!, span);
    blocks.forEach((blk, v) => {
      b.switchTo(blk);
      b.assign(dest, { k: 'aggregate', kind: { k: 'variant', variant: v }, ops: [] }, span);
      b.goto(done);
    });
    b.switchTo(done);
    return;
  }
  // numbers, Bool, Char
  const recvNow = (): Operand => (isRef ? l.readPlace(recvPlace(), rt, null) : l.operand(e.receiver));
  if (lowerNumMethod(l, res.name, rt, recvNow, () => e.args.map((a) => l.operand(a)), dest, span)) return;
  const recvOp = recvNow();
  void recvTyOverride;
  switch (res.name) {
    case 'to_string':
      return primToString(l, recvOp, rt, dest, span);
    case 'debug_string': {
      if (rt.k !== 'char') return primToString(l, recvOp, rt, dest, span);
      const s = b.temp(T.str, span);
      primToString(l, recvOp, rt, place(s), span);
      b.call(dest, { k: 'extern', symbol: 'tml_fmt_debug', ret: T.str }, [{ k: 'copy', place: place(s) }, constInt(39, T.i32)], span);
      l.dropLocal(s, span);
      return;
    }
    case 'duplicate':
      b.assign(dest, { k: 'use', op: recvOp }, span);
      return;
    case 'hash':
      b.assign(dest, { k: 'cast', operand: recvOp, to: T.i64 }, span);
      return;
    case 'abs': {
      const v = b.temp(rt, span);
      b.assign(place(v), { k: 'use', op: recvOp }, span);
      const neg = b.temp(T.bool, span);
      const zero: Operand = rt.k === 'float' ? { k: 'const', value: { k: 'float', value: 0 }, ty: rt } : constInt(0, rt);
      b.assign(place(neg), { k: 'binary', op: 'lt', left: { k: 'copy', place: place(v) }, right: zero }, span);
      const nb = b.newBlock();
      const pb = b.newBlock();
      const done = b.newBlock();
      b.branch({ k: 'copy', place: place(neg) }, nb, pb, span);
      b.switchTo(nb);
      if (rt.k === 'int' && l.mono.opts.overflowChecks) {
        // `MIN.abs()` has no representable result: debug builds panic like `-MIN` (release wraps to MIN)
        const pair = b.temp({ k: 'tuple', elems: [rt, T.bool] }, span);
        b.assign(place(pair), { k: 'checked', op: 'sub', left: zero, right: { k: 'copy', place: place(v) } }, span);
        l.panicIf({ k: 'copy', place: place(pair, { k: 'field', index: 1 }) }, 'overflow', 'negate', span);
        b.assign(dest, { k: 'use', op: { k: 'copy', place: place(pair, { k: 'field', index: 0 }) } }, span);
      } else b.assign(dest, { k: 'unary', op: 'neg', operand: { k: 'copy', place: place(v) } }, span);
      b.goto(done);
      b.switchTo(pb);
      b.assign(dest, { k: 'use', op: { k: 'copy', place: place(v) } }, span);
      b.goto(done);
      b.switchTo(done);
      return;
    }
    case 'min':
    case 'max': {
      const a = b.temp(rt, span);
      const c = b.temp(rt, span);
      b.assign(place(a), { k: 'use', op: recvOp }, span);
      b.assign(place(c), { k: 'use', op: l.operand(e.args[0]!) }, span);
      const lt = b.temp(T.bool, span);
      b.assign(place(lt), { k: 'binary', op: res.name === 'min' ? 'le' : 'ge', left: { k: 'copy', place: place(a) }, right: { k: 'copy', place: place(c) } }, span);
      const x = b.newBlock();
      const y = b.newBlock();
      const done = b.newBlock();
      b.branch({ k: 'copy', place: place(lt) }, x, y, span);
      b.switchTo(x);
      b.assign(dest, { k: 'use', op: { k: 'copy', place: place(a) } }, span);
      b.goto(done);
      b.switchTo(y);
      b.assign(dest, { k: 'use', op: { k: 'copy', place: place(c) } }, span);
      b.goto(done);
      b.switchTo(done);
      return;
    }
    case 'pow': {
      // repeated multiplication with overflow checks
      const base = b.temp(rt, span);
      const n = b.temp(T.u32, span);
      b.assign(place(base), { k: 'use', op: recvOp }, span);
      b.assign(place(n), { k: 'use', op: l.operand(e.args[0]!) }, span);
      b.assign(dest, { k: 'use', op: constInt(1, rt) }, span);
      const head = b.newBlock();
      const body = b.newBlock();
      const done = b.newBlock();
      b.goto(head);
      b.switchTo(head);
      const more = b.temp(T.bool, span);
      b.assign(place(more), { k: 'binary', op: 'gt', left: { k: 'copy', place: place(n) }, right: constInt(0, T.u32) }, span);
      b.branch({ k: 'copy', place: place(more) }, body, done, span);
      b.switchTo(body);
      const acc = b.temp(rt, span);
      l.arith('*', { k: 'copy', place: dest }, { k: 'copy', place: place(base) }, rt, place(acc), span);
      b.assign(dest, { k: 'use', op: { k: 'copy', place: place(acc) } }, span);
      b.assign(place(n), { k: 'binary', op: 'sub', left: { k: 'copy', place: place(n) }, right: constInt(1, T.u32) }, span);
      b.goto(head);
      b.switchTo(done);
      return;
    }
    case 'sqrt':
    case 'floor':
    case 'ceil':
    case 'round': {
      const sym = (rt.k === 'float' && rt.bits === 32 ? '' : '') + { sqrt: 'sqrt', floor: 'floor', ceil: 'ceil', round: 'round' }[res.name]!;
      const wide = b.temp(T.f64, span);
      b.assign(place(wide), { k: 'cast', operand: recvOp, to: T.f64 }, span);
      const r = b.temp(T.f64, span);
      b.call(place(r), { k: 'extern', symbol: sym, ret: T.f64 }, [{ k: 'copy', place: place(wide) }], span);
      b.assign(dest, { k: 'cast', operand: { k: 'copy', place: place(r) }, to: rt }, span);
      return;
    }
  }
  throw new Error(`internal: built-in method ${res.name} on ${typeToString(rt)} not lowered`);
}
