// Which types implement which behaviors, and finding the impl (and its type arguments) for a type. Used while
// checking (with inference variables) and while monomorphizing (closed types).
import type { Bound, ConstDef, FuncDef, ImplDef, ProgramDefs } from './defs.js';
import { InferCtx } from './infer.js';
import { substitute, type BehaviorDef, type Subst, type Type } from './types.js';

/** Behaviors every primitive type (integers, floats, Bool, Char, Str) has built in. */
const PRIMITIVE_BEHAVIORS = new Set(['Display', 'Debug', 'Eq', 'Ord', 'Duplicate', 'Hash', 'Default']);

export function isPrimitive(t: Type): boolean {
  return t.k === 'int' || t.k === 'float' || t.k === 'bool' || t.k === 'char' || t.k === 'str' || t.k === 'unit';
}

export interface ImplMatch {
  readonly impl: ImplDef;
  /** impl param id → type */
  readonly subst: Map<number, Type>;
}

export class ImplFinder {
  constructor(
    readonly defs: ProgramDefs,
    readonly infer: InferCtx,
    /** bounds in scope (the function being checked): what its type params are known to implement */
    readonly bounds: readonly Bound[],
  ) {}

  /** Does `ty` implement `behavior`? Unknown (unresolved) types are assumed to, to avoid cascades. */
  implements(ty: Type, behavior: BehaviorDef, depth = 0): boolean {
    const t = this.infer.shallow(ty);
    if (t.k === 'error' || t.k === 'never') return true;
    if (t.k === 'var') return true;
    if (depth > 8) return false;
    if (t.k === 'param') return this.boundsOf(t).some((b) => behaviorIncludes(b, behavior));
    if (t.k === 'dyn') return behaviorIncludes(t.behavior, behavior);
    if (isPrimitive(t) && PRIMITIVE_BEHAVIORS.has(behavior.name) && this.defs.langBehavior(behavior.name) === behavior) return true;
    // tuples and arrays debug-print when their elements do (mir/lower_debug.ts)
    if ((t.k === 'tuple' || t.k === 'array') && behavior.name === 'Debug' && this.defs.langBehavior('Debug') === behavior) {
      return (t.k === 'tuple' ? t.elems : [t.elem]).every((x) => this.implements(x, behavior, depth + 1));
    }
    if (t.k === 'ref' && (behavior.name === 'Display' || behavior.name === 'Eq' || behavior.name === 'Ord')) return this.implements(t.inner, behavior, depth + 1);
    return this.findImpl(t, behavior, depth) !== null;
  }

  /** The behaviors a param is bounded by, including super-behaviors. */
  boundsOf(p: Type): BehaviorDef[] {
    const out: BehaviorDef[] = [];
    for (const b of this.bounds) {
      const bt = this.infer.shallow(b.ty);
      if (bt.k === 'param' && p.k === 'param' && bt.id === p.id) out.push(b.behavior.def);
    }
    return out;
  }

  /** The type arguments a bound in scope gives the generic behavior `def` on the param `p` (`I: Iterator[T]`
   * gives `[T]`), or null when no direct bound names `def`. */
  boundArgsOf(p: Type, def: BehaviorDef): readonly Type[] | null {
    for (const b of this.bounds) {
      const bt = this.infer.shallow(b.ty);
      if (bt.k === 'param' && p.k === 'param' && bt.id === p.id && b.behavior.def === def) return b.behavior.args;
    }
    return null;
  }

  /** The impl of `behavior` (or, with null, any inherent impl) whose target unifies with `ty`. */
  findImpl(ty: Type, behavior: BehaviorDef | null, depth = 0): ImplMatch | null {
    for (const impl of implsOf(this.defs, behavior) ?? this.defs.impls) {
      if ((impl.behavior?.def ?? null) !== behavior) continue;
      const m = this.matchImpl(impl, ty, depth);
      if (m) return m;
    }
    return null;
  }

  /** Instantiate the impl's params with fresh variables and unify its target with `ty` (rolled back on failure). */
  matchImpl(impl: ImplDef, ty: Type, depth = 0): ImplMatch | null {
    if (headsDiffer(impl.target, this.infer.shallow(ty))) return null;
    const snap = this.infer.snapshot();
    const subst = new Map<number, Type>();
    for (const p of impl.typeParams) subst.set(p.id, this.infer.newVar());
    if (!this.infer.unify(substitute(impl.target, subst), ty)) {
      this.infer.rollback(snap);
      return null;
    }
    for (const b of impl.bounds) {
      if (!this.implements(substitute(b.ty, subst), b.behavior.def, depth + 1)) {
        this.infer.rollback(snap);
        return null;
      }
    }
    return { impl, subst };
  }

  /** The associated constant `name` of an impl applicable to `ty` (`I32::MAX`), or null. */
  constFor(ty: Type, name: string): ConstDef | null {
    for (const impl of this.defs.impls) {
      const c = impl.consts.get(name);
      if (!c) continue;
      const snap = this.infer.snapshot();
      const m = this.matchImpl(impl, ty);
      this.infer.rollback(snap);
      if (m) return c;
    }
    return null;
  }

  /** The names of every method applicable to `ty` (for "a method with a similar name exists"). */
  methodNamesFor(ty: Type): Set<string> {
    const names = new Set<string>();
    for (const impl of this.defs.impls) {
      const snap = this.infer.snapshot();
      const m = this.matchImpl(impl, ty);
      this.infer.rollback(snap);
      if (!m) continue;
      for (const name of impl.methods.keys()) names.add(name);
      for (const name of impl.behavior?.def.methods.keys() ?? []) names.add(name);
    }
    return names;
  }

  /** All inherent and behavior methods named `name` applicable to `ty`. */
  methodsFor(ty: Type, name: string): { fn: FuncDef; match: ImplMatch; viaBehavior: BehaviorDef | null }[] {
    const out: { fn: FuncDef; match: ImplMatch; viaBehavior: BehaviorDef | null }[] = [];
    for (const impl of implsWithMethod(this.defs, name) ?? this.defs.impls) {
      const own = impl.methods.get(name);
      const dflt = !own && impl.behavior ? (impl.behavior.def.methods.get(name) as FuncDef | undefined) : undefined;
      const fn = own ?? dflt;
      if (!fn) continue;
      const snap = this.infer.snapshot();
      const m = this.matchImpl(impl, ty);
      if (!m) continue;
      this.infer.rollback(snap);
      out.push({ fn, match: m, viaBehavior: impl.behavior?.def ?? null });
    }
    return out;
  }
}

const behaviorIndexes = new WeakMap<ProgramDefs, Map<BehaviorDef | null, ImplDef[]>>();

/** The impls of `behavior` (null: the inherent impls), in the program's order; null before collection is over. */
function implsOf(defs: ProgramDefs, behavior: BehaviorDef | null): readonly ImplDef[] | null {
  if (!defs.complete) return null;
  let index = behaviorIndexes.get(defs);
  if (!index) {
    index = new Map();
    for (const impl of defs.impls) {
      const key = impl.behavior?.def ?? null;
      const list = index.get(key);
      if (list) list.push(impl);
      else index.set(key, [impl]);
    }
    behaviorIndexes.set(defs, index);
  }
  return index.get(behavior) ?? NO_IMPLS;
}

const methodIndexes = new WeakMap<ProgramDefs, Map<string, ImplDef[]>>();
const NO_IMPLS: readonly ImplDef[] = [];

/**
 * The impls that have a method `name`, their own or their behavior's default, in the program's order: every method
 * lookup used to try every impl of the program (issue 14). Only once collection is over (ProgramDefs.complete),
 * when impls and their methods no longer change; null before (the caller then tries every impl).
 */
function implsWithMethod(defs: ProgramDefs, name: string): readonly ImplDef[] | null {
  if (!defs.complete) return null;
  let index = methodIndexes.get(defs);
  if (!index) {
    index = new Map();
    for (const impl of defs.impls) {
      const names = new Set(impl.methods.keys());
      if (impl.behavior) for (const n of impl.behavior.def.methods.keys()) names.add(n);
      for (const n of names) {
        const list = index.get(n);
        if (list) list.push(impl);
        else index.set(n, [impl]);
      }
    }
    methodIndexes.set(defs, index);
  }
  return index.get(name) ?? NO_IMPLS;
}

/**
 * Whether an impl's target can never unify with `t` because their outermost constructors differ (`List[T]` and
 * `I32`, `Maybe[T]` and `List[I32]`). A shortcut only: unify would fail the same way, after instantiating the impl's
 * params and rolling back; every lookup of a method or an impl tries every impl of the program (issue 14).
 * A target that is a type parameter (the impl's own becomes a fresh variable) and an unknown `t` are never ruled out.
 */
function headsDiffer(target: Type, t: Type): boolean {
  if (target.k === 'param' || target.k === 'var' || target.k === 'error' || t.k === 'var' || t.k === 'error') return false;
  if (target.k !== t.k) return true;
  if (target.k === 'adt') return target.def !== (t as typeof target).def;
  if (target.k === 'int') return target.name !== (t as typeof target).name;
  return false;
}

export function behaviorIncludes(b: BehaviorDef, target: BehaviorDef): boolean {
  if (b === target) return true;
  return b.supers.some((s) => behaviorIncludes(s.def, target));
}

/** For monomorphization: the concrete function implementing `behavior.method` for a closed `selfType`. */
export type ResolvedMethod =
  | { readonly k: 'fn'; readonly fn: FuncDef; readonly subst: Subst }
  | { readonly k: 'builtin'; readonly name: string };

export function resolveBehaviorMethod(defs: ProgramDefs, selfType: Type, behavior: BehaviorDef, method: string): ResolvedMethod | null {
  if (isPrimitive(selfType) && PRIMITIVE_BEHAVIORS.has(behavior.name)) return { k: 'builtin', name: method };
  if ((selfType.k === 'tuple' || selfType.k === 'array') && behavior.name === 'Debug') return { k: 'builtin', name: method };
  const infer = new InferCtx();
  const finder = new ImplFinder(defs, infer, []);
  for (const impl of defs.impls) {
    if (!impl.behavior || !behaviorIncludes(impl.behavior.def, behavior) && impl.behavior.def !== behavior) continue;
    if (impl.behavior.def !== behavior && !impl.methods.has(method)) continue;
    const m = finder.matchImpl(impl, selfType);
    if (!m) continue;
    const subst = new Map<number, Type>();
    for (const [k, v] of m.subst) subst.set(k, infer.resolve(v, true));
    const own = impl.methods.get(method);
    if (own) return { k: 'fn', fn: own, subst };
    const dflt = impl.behavior.def.methods.get(method) as FuncDef | undefined;
    if (dflt) {
      // a default method: its first param is `This`
      subst.set(dflt.typeParams[0]!.id, selfType);
      // a generic behavior's params: the impl's arguments (`impl Iterator[I32] for Counter` gives `T = I32`)
      impl.behavior.def.params.forEach((p, i) => {
        const a = impl.behavior!.args[i];
        if (a) subst.set(dflt.typeParams[1 + i]!.id, infer.resolve(substitute(a, subst), true));
      });
      return { k: 'fn', fn: dflt, subst };
    }
  }
  return null;
}
