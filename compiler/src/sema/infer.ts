// Type inference variables with unification. A binding trail allows speculative unification (method lookup tries
// impls and rolls back). Literal variables ({integer}, {float}) only unify with their kind and default to I32/F64.
import { T, intType, type Type } from './types.js';

export class InferCtx {
  private bindings = new Map<number, Type>();
  private lits = new Map<number, 'int' | 'float' | null>();
  private trail: number[] = [];
  private nextId = 1;

  newVar(lit: 'int' | 'float' | null = null): Type {
    const id = this.nextId++;
    this.lits.set(id, lit);
    return { k: 'var', id, lit };
  }

  snapshot(): number {
    return this.trail.length;
  }
  rollback(to: number): void {
    while (this.trail.length > to) this.bindings.delete(this.trail.pop()!);
  }

  private bind(id: number, t: Type): void {
    this.bindings.set(id, t);
    this.trail.push(id);
  }

  /** Follow variable bindings at the top level only. */
  shallow(t: Type): Type {
    while (t.k === 'var') {
      const b = this.bindings.get(t.id);
      if (!b) return t;
      t = b;
    }
    return t;
  }

  /** Resolve every variable inside `t`; unbound ones stay (or default, with `defaults`). */
  resolve(t: Type, defaults = false): Type {
    t = this.shallow(t);
    switch (t.k) {
      case 'var':
        if (!defaults) return t;
        return t.lit === 'int' ? T.i32 : t.lit === 'float' ? T.f64 : t;
      case 'tuple':
        return { k: 'tuple', elems: t.elems.map((e) => this.resolve(e, defaults)) };
      case 'array':
        return { k: 'array', elem: this.resolve(t.elem, defaults), size: t.size };
      case 'adt':
        return t.args.length ? { k: 'adt', def: t.def, args: t.args.map((a) => this.resolve(a, defaults)) } : t;
      case 'ref':
        return { k: 'ref', mutable: t.mutable, inner: this.resolve(t.inner, defaults) };
      case 'ptr':
        return { k: 'ptr', inner: this.resolve(t.inner, defaults) };
      case 'func':
        return { k: 'func', params: t.params.map((p) => this.resolve(p, defaults)), ret: this.resolve(t.ret, defaults) };
      case 'dyn':
        return t.args.length ? { k: 'dyn', behavior: t.behavior, args: t.args.map((a) => this.resolve(a, defaults)) } : t;
      default:
        return t;
    }
  }

  private occurs(id: number, t: Type): boolean {
    t = this.shallow(t);
    switch (t.k) {
      case 'var':
        return t.id === id;
      case 'tuple':
        return t.elems.some((e) => this.occurs(id, e));
      case 'array':
        return this.occurs(id, t.elem);
      case 'adt':
      case 'dyn':
        return t.args.some((a) => this.occurs(id, a));
      case 'ref':
      case 'ptr':
        return this.occurs(id, t.inner);
      case 'func':
        return t.params.some((p) => this.occurs(id, p)) || this.occurs(id, t.ret);
      default:
        return false;
    }
  }

  /** Make a and b equal; false (with partial bindings — roll back if speculative) when they cannot be. */
  unify(a: Type, b: Type): boolean {
    a = this.shallow(a);
    b = this.shallow(b);
    if (a === b) return true;
    if (a.k === 'error' || b.k === 'error') {
      // the error type absorbs what it meets: a variable unified with it becomes `{error}` too, so what it stood for
      // (`Just(x)`, `[x, 1]`, a generic argument) is known to be erroneous and no follow-on error is reported about it
      if (a.k === 'var') this.bind(a.id, b);
      else if (b.k === 'var') this.bind(b.id, a);
      return true;
    }
    if (a.k === 'var' && b.k === 'var') {
      if (a.id === b.id) return true;
      // keep the literal kind on the surviving variable
      if (a.lit && !b.lit) {
        this.bind(b.id, a);
        return true;
      }
      if (a.lit && b.lit && a.lit !== b.lit) return false;
      this.bind(a.id, b);
      return true;
    }
    if (a.k === 'var') return this.bindVar(a, b);
    if (b.k === 'var') return this.bindVar(b, a);
    if (a.k !== b.k) return false;
    switch (a.k) {
      case 'int':
        return a.name === (b as typeof a).name;
      case 'float':
        return a.bits === (b as typeof a).bits;
      case 'tuple': {
        const bb = b as typeof a;
        return a.elems.length === bb.elems.length && a.elems.every((e, i) => this.unify(e, bb.elems[i]!));
      }
      case 'array': {
        const bb = b as typeof a;
        return a.size === bb.size && this.unify(a.elem, bb.elem);
      }
      case 'adt': {
        const bb = b as typeof a;
        return a.def === bb.def && a.args.length === bb.args.length && a.args.every((x, i) => this.unify(x, bb.args[i]!));
      }
      case 'ref': {
        const bb = b as typeof a;
        return a.mutable === bb.mutable && this.unify(a.inner, bb.inner);
      }
      case 'ptr':
        return this.unify(a.inner, (b as typeof a).inner);
      case 'func': {
        const bb = b as typeof a;
        return a.params.length === bb.params.length && a.params.every((p, i) => this.unify(p, bb.params[i]!)) && this.unify(a.ret, bb.ret);
      }
      case 'param':
        return a.id === (b as typeof a).id;
      case 'dyn': {
        const bb = b as typeof a;
        return a.behavior === bb.behavior && a.args.every((x, i) => this.unify(x, bb.args[i]!));
      }
      default:
        return true;
    }
  }

  private bindVar(v: Extract<Type, { k: 'var' }>, t: Type): boolean {
    if (v.lit === 'int' && t.k !== 'int') return false;
    if (v.lit === 'float' && t.k !== 'float') return false;
    if (this.occurs(v.id, t)) return false;
    this.bind(v.id, t);
    return true;
  }

  /** Try to unify; on failure undo every binding made by the attempt. */
  tryUnify(a: Type, b: Type): boolean {
    const s = this.snapshot();
    if (this.unify(a, b)) return true;
    this.rollback(s);
    return false;
  }
}

export function defaultIntType(): Type {
  return intType('I32');
}
