// Glue functions, generated as ordinary MIR: what dropping (`drop$T`) or retaining (`retain$T`) a value of each type
// means. Drop order (MEMORY.md §2): the type's own `Drop::drop` first, then fields in declaration order, enum
// payloads likewise, array elements first to last. Codegen calls `drop$T` / `retain$T` with a pointer to the place.
import { NO_SPAN, type Span } from '../syntax/source.js';
import type { FuncDef } from '../sema/defs.js';
import { resolveBehaviorMethod } from '../sema/impls.js';
import { classify } from '../sema/ownership.js';
import { mangleType, structFields, T, typeToString, variantFields, type Type } from '../sema/types.js';
import { constInt, FnBuilder, moveOf } from './builder.js';
import type { LocalId, MirFunction, Operand, Place, Projection } from './mir.js';
import { place } from './mir.js';
import type { Mono } from './mono.js';

export class GlueBuilder {
  private readonly made = new Set<string>();

  constructor(private readonly mono: Mono) {}

  dropSymbol(ty: Type): string {
    const sym = 'drop$' + mangleType(ty);
    if (!this.made.has(sym) && !this.mono.checkOnly) {
      this.made.add(sym);
      this.mono.add(this.buildDrop(ty, sym));
    }
    return sym;
  }

  retainSymbol(ty: Type): string {
    const sym = 'retain$' + mangleType(ty);
    if (!this.made.has(sym) && !this.mono.checkOnly) {
      this.made.add(sym);
      this.mono.add(this.buildRetain(ty, sym));
    }
    return sym;
  }

  private needsDrop(ty: Type): boolean {
    return classify(this.mono.checked.defs, ty) !== 'plain';
  }

  /** drop$T(p: mut ref T) */
  private buildDrop(ty: Type, sym: string): MirFunction {
    const b = new FnBuilder(T.unit, NO_SPAN);
    const p = b.newLocal({ k: 'ref', mutable: true, inner: ty }, 'p', 'arg', null);
    const self = (...proj: Projection[]): Place => place(p, { k: 'deref' }, ...proj);
    const span = NO_SPAN;
    const dropPlace = (pl: Place, t: Type) => {
      if (this.needsDrop(t)) {
        this.dropSymbol(t);
        b.emit({ k: 'drop', place: pl, flag: null, span });
      }
    };
    switch (ty.k) {
      case 'str': {
        const tmp = b.temp(T.str, span);
        b.assign(place(tmp), { k: 'use', op: { k: 'copy', place: self() } }, span);
        b.call(null, { k: 'extern', symbol: 'tml_str_release', ret: T.unit }, [moveOf(tmp)], span);
        break;
      }
      case 'func': {
        const env = b.temp({ k: 'ptr', inner: T.u8 }, span);
        b.assign(place(env), { k: 'use', op: { k: 'copy', place: self({ k: 'field', index: 1 }) } }, span);
        b.call(null, { k: 'extern', symbol: 'tml_closure_release', ret: T.unit }, [moveOf(env)], span);
        break;
      }
      case 'tuple':
        ty.elems.forEach((e, i) => dropPlace(self({ k: 'field', index: i }), e));
        break;
      case 'array':
        this.eachElement(b, p, ty, (pl) => dropPlace(pl, ty.elem));
        break;
      case 'dyn':
        // the concrete type's drop glue, from slot 0 of the object's vtable
        b.call(null, { k: 'virtual', object: { k: 'copy', place: place(p) }, slot: 0, ret: T.unit }, [], span);
        break;
      case 'adt': {
        if (ty.def.kind === 'class' || ty.def.kind === 'interface') {
          // release the object; at zero the runtime runs the destructor from slot 0 of its vtable, or the class's own
          // destructor when no class derives from it (a direct call, which a release build inlines)
          const obj = b.temp({ k: 'ptr', inner: T.u8 }, span);
          b.assign(place(obj), ty.def.kind === 'class' ? { k: 'cast', operand: { k: 'copy', place: self() }, to: { k: 'ptr', inner: T.u8 } } : { k: 'use', op: { k: 'copy', place: self({ k: 'field', index: 0 }) } }, span);
          const destroy = this.mono.classes.exactDestroy(ty);
          if (destroy) {
            const fn: Operand = { k: 'const', value: { k: 'fnptr', symbol: destroy }, ty: { k: 'ptr', inner: T.u8 } };
            b.call(null, { k: 'extern', symbol: 'tml_obj_release_final', ret: T.unit }, [moveOf(obj), fn], span);
          } else {
            b.call(null, { k: 'extern', symbol: 'tml_obj_release', ret: T.unit }, [moveOf(obj)], span);
          }
          break;
        }
        const impl = this.mono.checked.defs.dropImpls.get(ty.def);
        if (impl) {
          const drop = this.userDrop(ty);
          if (drop) {
            const r = b.temp({ k: 'ref', mutable: true, inner: ty }, span);
            b.assign(place(r), { k: 'use', op: { k: 'copy', place: place(p) } }, span);
            b.call(null, { k: 'fn', symbol: drop }, [moveOf(r)], span);
          }
        }
        if (ty.def.kind === 'struct') structFields(ty).forEach((f, i) => dropPlace(self({ k: 'field', index: i }), f.ty));
        else if (ty.def.kind === 'enum') this.eachVariant(b, p, ty, (v, fts) => fts.forEach((ft, i) => dropPlace(self({ k: 'variant', variant: v, index: i }), ft)));
        break;
      }
      default:
        break;
    }
    return b.finish(sym, `drop[${typeToString(ty)}]`, 'drop-glue', 1, span, false);
  }

  /** retain$T(p: ref T): one more reference to every runtime-managed part. */
  private buildRetain(ty: Type, sym: string): MirFunction {
    const b = new FnBuilder(T.unit, NO_SPAN);
    const p = b.newLocal({ k: 'ref', mutable: false, inner: ty }, 'p', 'arg', null);
    const self = (...proj: Projection[]): Place => place(p, { k: 'deref' }, ...proj);
    const span = NO_SPAN;
    const retainPlace = (pl: Place, t: Type) => {
      if (this.needsDrop(t)) {
        this.retainSymbol(t);
        b.emit({ k: 'retain', place: pl, span });
      }
    };
    switch (ty.k) {
      case 'str': {
        const tmp = b.temp(T.str, span);
        b.assign(place(tmp), { k: 'use', op: { k: 'copy', place: self() } }, span);
        b.call(null, { k: 'extern', symbol: 'tml_str_retain', ret: T.unit }, [moveOf(tmp)], span);
        break;
      }
      case 'func': {
        const env = b.temp({ k: 'ptr', inner: T.u8 }, span);
        b.assign(place(env), { k: 'use', op: { k: 'copy', place: self({ k: 'field', index: 1 }) } }, span);
        b.call(null, { k: 'extern', symbol: 'tml_closure_retain', ret: T.unit }, [moveOf(env)], span);
        break;
      }
      case 'tuple':
        ty.elems.forEach((e, i) => retainPlace(self({ k: 'field', index: i }), e));
        break;
      case 'array':
        this.eachElement(b, p, ty, (pl) => retainPlace(pl, ty.elem));
        break;
      case 'adt':
        if (ty.def.kind === 'class' || ty.def.kind === 'interface') {
          const obj = b.temp({ k: 'ptr', inner: T.u8 }, span);
          b.assign(place(obj), ty.def.kind === 'class' ? { k: 'cast', operand: { k: 'copy', place: self() }, to: { k: 'ptr', inner: T.u8 } } : { k: 'use', op: { k: 'copy', place: self({ k: 'field', index: 0 }) } }, span);
          b.call(null, { k: 'extern', symbol: 'tml_obj_retain', ret: T.unit }, [moveOf(obj)], span);
        } else if (ty.def.kind === 'struct') structFields(ty).forEach((f, i) => retainPlace(self({ k: 'field', index: i }), f.ty));
        else if (ty.def.kind === 'enum') this.eachVariant(b, p, ty, (v, fts) => fts.forEach((ft, i) => retainPlace(self({ k: 'variant', variant: v, index: i }), ft)));
        break;
      default:
        break;
    }
    return b.finish(sym, `retain[${typeToString(ty)}]`, 'retain-glue', 1, span, false);
  }

  userDrop(ty: Extract<Type, { k: 'adt' }>): string | null {
    const dropB = this.mono.checked.defs.langBehavior('Drop');
    if (!dropB) return null;
    const r = resolveBehaviorMethod(this.mono.checked.defs, ty, dropB, 'drop');
    if (!r || r.k !== 'fn') return null;
    return this.mono.request(r.fn, r.fn.typeParams.map((p) => r.subst.get(p.id)!));
  }

  /** for i in 0..N: body((*p)[i]) */
  private eachElement(b: FnBuilder, p: LocalId, ty: Extract<Type, { k: 'array' }>, body: (pl: Place) => void): void {
    const span = NO_SPAN;
    const i = b.temp(T.i64, span);
    b.assign(place(i), { k: 'use', op: constInt(0, T.i64) }, span);
    b.countedLoop(i, constInt(ty.size, T.i64), span, () => body(place(p, { k: 'deref' }, { k: 'index', index: i })));
  }

  /** switch on the variant; body(variant, field types) in each variant's block. */
  private eachVariant(b: FnBuilder, p: LocalId, ty: Extract<Type, { k: 'adt' }>, body: (v: number, fieldTypes: Type[]) => void): void {
    const span = NO_SPAN;
    const relevant = ty.def.variants.map((_, i) => i).filter((i) => variantFields(ty, i).some((f) => this.needsDrop(f)));
    if (relevant.length === 0) return;
    const d = b.temp(T.i32, span);
    b.assign(place(d), { k: 'discriminant', place: place(p, { k: 'deref' }) }, span);
    const done = b.newBlock();
    const blocks = relevant.map(() => b.newBlock());
    b.terminate({ k: 'switch', discr: { k: 'copy', place: place(d) }, cases: relevant.map((v, i) => ({ value: BigInt(v), target: blocks[i]!.id })), otherwise: done.id }, span);
    relevant.forEach((v, i) => {
      b.switchTo(blocks[i]!);
      body(v, variantFields(ty, v));
      b.goto(done);
    });
    b.switchTo(done);
  }

  /** A test's harness entry: runs it and turns its result into a status (0 = passed). */
  testShim(t: FuncDef, sym: string): string {
    const span: Span = t.span;
    const shim = `${sym}$test`;
    const b = new FnBuilder(T.i32, span);
    const r = t.ret;
    if (r.k === 'unit') {
      b.call(null, { k: 'fn', symbol: sym }, [], span);
      b.assign(place(0), { k: 'use', op: constInt(0, T.i32) }, span);
    } else if (r.k === 'int') {
      b.call(place(0), { k: 'fn', symbol: sym }, [], span);
    } else {
      // Outcome[(), Str]: Err(msg) prints the message and fails
      const res = b.temp(r, span);
      b.call(place(res), { k: 'fn', symbol: sym }, [], span);
      const { first: ok, other: err } = b.switchOnFirstVariant(place(res), span);
      const done = b.newBlock();
      b.switchTo(ok);
      b.assign(place(0), { k: 'use', op: constInt(0, T.i32) }, span);
      b.goto(done);
      b.switchTo(err);
      const msg = b.temp(T.str, span);
      b.assign(place(msg), { k: 'use', op: { k: 'copy', place: place(res, { k: 'variant', variant: 1, index: 0 }) } }, span);
      b.call(null, { k: 'extern', symbol: 'tml_println', ret: T.unit }, [moveOf(msg), constInt(1, T.i32)], span);
      b.assign(place(0), { k: 'use', op: constInt(1, T.i32) }, span);
      b.goto(done);
      b.switchTo(done);
      this.dropSymbol(r);
      b.emit({ k: 'drop', place: place(res), flag: null, span });
    }
    this.mono.add(b.finish(shim, `test ${t.name}`, 'test', 0, span, true));
    return shim;
  }
}
