// Debug (`{:?}`, `debug_string`) of structural values — tuples and arrays, which no `impl` can name: formatted here
// element by element, at monomorphization (types are closed), as Rust prints them: `(1, "a")`, `(7,)`, `[1, 2]`.
// Elements are read in place (borrowed); Str and Char are quoted and escaped, ADTs call their Debug impl.
import type { Span } from '../syntax/source.js';
import { resolveBehaviorMethod } from '../sema/impls.js';
import { T, typeToString, type Type } from '../sema/types.js';
import { constInt } from './builder.js';
import { primToString, strConst, zeroIndex } from './lower_builtins.js';
import type { FnLowerer } from './lower_fn.js';
import { concatStrs } from './lower_format.js';
import type { LocalId, Operand, Place } from './mir.js';
import { place } from './mir.js';

/** Whether `t` is a structural type whose Debug is built in (sema's ImplFinder says so when its elements have it). */
export function isStructuralDebug(t: Type): boolean {
  return t.k === 'tuple' || t.k === 'array';
}

/** dest = the Debug text of the value at `p` (of closed type `t`), which stays where it is. */
export function debugInto(l: FnLowerer, p: Place, t: Type, dest: Place, span: Span): void {
  const b = l.b;
  const at = (proj: Place['proj'][number]): Place => ({ local: p.local, proj: [...p.proj, proj] });
  switch (t.k) {
    case 'str':
      b.call(dest, { k: 'extern', symbol: 'tml_fmt_debug', ret: T.str }, [{ k: 'copy', place: p }, constInt(34, T.i32)], span);
      return;
    case 'char': {
      const s = b.temp(T.str, span);
      primToString(l, { k: 'copy', place: p }, t, place(s), span);
      b.call(dest, { k: 'extern', symbol: 'tml_fmt_debug', ret: T.str }, [{ k: 'copy', place: place(s) }, constInt(39, T.i32)], span);
      l.dropLocal(s, span);
      return;
    }
    case 'int':
    case 'float':
    case 'bool':
      primToString(l, { k: 'copy', place: p }, t, dest, span);
      return;
    case 'unit':
      return concatStrs(l, [strConst('()')], [], dest, span);
    case 'ref':
      return debugInto(l, at({ k: 'deref' }), t.inner, dest, span);
    case 'tuple':
    case 'array': {
      const elems = t.k === 'tuple' ? t.elems.map((et, i) => ({ ty: et, place: at({ k: 'field', index: i }) })) : Array.from({ length: t.size }, (_, i) => ({ ty: t.elem, place: at({ k: 'index', index: indexLocal(l, i, span) }) }));
      const ops: Operand[] = [strConst(t.k === 'tuple' ? '(' : '[')];
      const owned: LocalId[] = [];
      elems.forEach((e, i) => {
        if (i) ops.push(strConst(', '));
        const s = b.temp(T.str, span);
        debugInto(l, e.place, e.ty, place(s), span);
        owned.push(s);
        ops.push({ k: 'copy', place: place(s) });
      });
      ops.push(strConst(t.k === 'tuple' ? (elems.length === 1 ? ',)' : ')') : ']'));
      return concatStrs(l, ops, owned, dest, span);
    }
    default: {
      const debug = l.mono.checked.defs.langBehavior('Debug');
      const r = debug ? resolveBehaviorMethod(l.mono.checked.defs, t, debug, 'debug_string') : null;
      if (!r || r.k !== 'fn') throw new Error(`internal: no Debug for \`${typeToString(t)}\``);
      const symbol = l.mono.request(r.fn, r.fn.typeParams.map((tp) => r.subst.get(tp.id) ?? T.error));
      const ref = b.temp({ k: 'ref', mutable: false, inner: t }, span);
      b.assign(place(ref), { k: 'ref', place: p, mutable: false, raw: false }, span);
      b.call(dest, { k: 'fn', symbol }, [{ k: 'copy', place: place(ref) }], span);
    }
  }
}

/** A local holding the constant index i (an index projection names a local). */
function indexLocal(l: FnLowerer, i: number, span: Span): LocalId {
  if (i === 0) return zeroIndex(l, span);
  const x = l.b.temp(T.i64, span);
  l.b.assign(place(x), { k: 'use', op: constInt(i, T.i64) }, span);
  return x;
}

