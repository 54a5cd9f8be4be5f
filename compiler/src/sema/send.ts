// `Send` (MEMORY.md §4, §8): which values may move to another task. The whole rule lives here; the checker
// (check_body.ts) only says where values cross and reports what this file finds (E0730).
//
// By type (`notSend`):
// - plain data and `Str` are Send; references, raw pointers and `dyn` values are not;
// - tuples and arrays by their elements; structs and enums by every field of every variant, after substituting
//   the instance's type arguments;
// - library types say what they are with an attribute (`sendRuleOf`): `@not_send` (Shared, Weak, Pool, …: counts
//   or state that are not atomic) never; `@send` (Heap, List, HashMap, Task, …: unique owners over raw memory) and
//   `@sync` (Channel, Sync: shared between tasks, atomic counts or a locked queue) exactly when their type
//   arguments are; the fields of these are not looked at;
// - classes and interfaces are not (a library `@sync` class is, by its type arguments);
// - type parameters: trusted inside the library (its callers are checked); elsewhere not Send, since TML has no
//   `Send` bound to promise it;
// - a `func` value does not show its captures in its type, so by type alone it is unknown, except inside the type
//   arguments of a `@sync` type: every value that enters one is checked where it enters (`syncEntries`).
//
// By value (`crossingProblem`): where a value crosses, the function values inside it are traced through the
// expression: a named function captures nothing; a closure literal is Send when all its captures are; a local
// bound once with `let` is what its initialiser is; tuples, struct literals, variant constructors, arrays and the
// branches of blocks, `if` and `when` by their parts. Any other function value (a parameter, a field, a call's
// result, a `var`) has captures the checker cannot see, and crossing with it is refused.
import type * as ast from '../syntax/ast.js';
import type { DiagSink } from './error_type.js';
import type { Span } from '../syntax/source.js';
import type { FuncDef } from './defs.js';
import type { CallRes, LocalVar, PathRes } from './typed.js';
import { structFields, typeToString, variantFields, type AdtDef, type Type } from './types.js';

/** How an ADT may cross tasks, from its attributes (see the header). Unset: by its fields; never for classes. */
export type SendRule = NonNullable<AdtDef['sendRule']>;

/** The rule `attrs` give a type declared in the library (`library`) or in a program. `@send` is a promise only the
 * library can make (its raw memory is not checked), so a program's `@send` is an error (`badSend`); a program's
 * `@sync` class is not Send: the compiler does not lock its methods yet. */
export function sendRuleOf(attrs: Iterable<string>, library: boolean): { rule: SendRule | undefined; badSend: boolean } {
  const a = new Set(attrs);
  if (a.has('not_send')) return { rule: 'never', badSend: false };
  if (a.has('send')) return { rule: library ? 'args' : undefined, badSend: !library };
  if (a.has('sync') && library) return { rule: 'sync', badSend: false };
  return { rule: undefined, badSend: false };
}

export interface SendOpts {
  /** type parameters count as Send (in the library, whose callers are checked) */
  readonly trustParams: boolean;
  /** function values count as Send (they were checked where they entered a `@sync` type) */
  readonly funcsChecked?: boolean;
}

/** The part of `t` that may not be sent to another task (`t` itself or a type inside it), or null when `t` is Send. */
export function notSend(t: Type, opts: SendOpts, seen: Set<AdtDef> = new Set()): Type | null {
  switch (t.k) {
    case 'ref':
    case 'ptr':
    case 'dyn':
      return t;
    case 'param':
      return opts.trustParams ? null : t;
    case 'func':
      return opts.funcsChecked ? null : t;
    case 'tuple':
      return firstOf(t.elems, (e) => notSend(e, opts, seen));
    case 'array':
      return notSend(t.elem, opts, seen);
    case 'adt': {
      const d = t.def;
      switch (d.sendRule) {
        case 'never':
          return t;
        case 'args':
          return firstOf(t.args, (a) => notSend(a, opts, seen));
        case 'sync':
          return firstOf(t.args, (a) => notSend(a, { ...opts, funcsChecked: true }, seen));
      }
      if (d.kind === 'class' || d.kind === 'interface') return t;
      if (seen.has(d)) return null; // a recursive type: its other fields decide
      seen.add(d);
      try {
        if (d.kind === 'enum') return firstOf(d.variants, (_, i) => firstOf(variantFields(t, i), (f) => notSend(f, opts, seen)));
        return firstOf(structFields(t), (f) => notSend(f.ty, opts, seen));
      } finally {
        seen.delete(d);
      }
    }
    default:
      return null;
  }
}

function firstOf<X>(xs: readonly X[], f: (x: X, i: number) => Type | null): Type | null {
  for (let i = 0; i < xs.length; i++) {
    const r = f(xs[i]!, i);
    if (r) return r;
  }
  return null;
}

/** Why a crossing value is not Send: the offending type, and how the value reaches it. */
export interface SendProblem {
  readonly ty: Type;
  /** reached through the captures of a closure */
  readonly viaClosure: boolean;
  /** a function value whose captures are unknown */
  readonly unknownFunc: boolean;
  readonly notes: string[];
}

/** What the tracer needs from a checked body. Types are resolved. */
export interface BodyFacts {
  readonly trustParams: boolean;
  typeOf(e: ast.Expr): Type;
  localType(l: LocalVar): Type;
  path(e: ast.Expr): PathRes | undefined;
  call(e: ast.Expr): CallRes | undefined;
  captures(closure: ast.Expr): readonly LocalVar[];
  /** the initialiser of an immutable local bound by `let x = e` */
  letInit(l: LocalVar): ast.Expr | undefined;
  isParam(l: LocalVar): boolean;
}

const UNKNOWN_CAPTURES = 'a `func` type does not show what a closure captured: only named functions, closure literals and closures bound with `let` in this function may cross to another task';

/** Why the value of `e` may not move to another task, or null when it may. */
export function crossingProblem(e: ast.Expr, facts: BodyFacts): SendProblem | null {
  return valueProblem(e, facts.typeOf(e), facts, new Set());
}

function valueProblem(e: ast.Expr, t: Type, facts: BodyFacts, seen: Set<LocalVar>): SendProblem | null {
  const definite = notSend(t, { trustParams: facts.trustParams, funcsChecked: true });
  if (definite) return plain(definite);
  if (!notSend(t, { trustParams: facts.trustParams })) return null;
  // only function values are in question: find where they come from
  const parts = (xs: (ast.Expr | null | undefined)[]) => {
    for (const x of xs) {
      const p = x ? valueProblem(x, facts.typeOf(x), facts, seen) : null;
      if (p) return p;
    }
    return null;
  };
  switch (e.kind) {
    case 'Closure':
      for (const c of facts.captures(e)) {
        const p = localProblem(c, facts, seen);
        if (p) {
          const ct = facts.localType(c);
          const which = typeToString(p.ty) === typeToString(ct) ? 'which is not Send' : `which ${p.viaClosure || p.unknownFunc ? 'holds' : 'contains'} a \`${typeToString(p.ty)}\``;
          return { ty: p.ty, viaClosure: true, unknownFunc: p.unknownFunc, notes: [`the closure captures \`${c.name}\` of type \`${typeToString(ct)}\`, ${which}`, ...p.notes] };
        }
      }
      return null;
    case 'Path': {
      const r = facts.path(e);
      if (r?.k === 'fn' || r?.k === 'ctor' || r?.k === 'variant') return null; // named functions capture nothing
      if (r?.k === 'local') return localProblem(r.local, facts, seen);
      return unknown(t, facts, `the captures of \`${e.segments.map((s) => s.name).join('::')}\` are not known`);
    }
    case 'Block':
    case 'Lowlevel':
      return parts([e.block.tail]);
    case 'If':
    case 'Ternary':
    case 'IfLet':
      return parts([e.then, e.else]);
    case 'When':
      return parts(e.arms.map((a) => a.body));
    case 'Tuple':
    case 'ArrayLit':
      return parts(e.elems);
    case 'ArrayRepeat':
      return parts([e.value]);
    case 'StructLit':
      return parts([...e.fields.map((f) => f.value), e.base]);
    case 'Call':
      if (facts.call(e)?.k === 'variant') return parts(e.args);
      return unknown(t, facts, 'the captures of a function value returned by a call are not known');
    default:
      return unknown(t, facts, 'the captures of this function value are not known');
  }
}

function localProblem(l: LocalVar, facts: BodyFacts, seen: Set<LocalVar>): SendProblem | null {
  const t = facts.localType(l);
  const definite = notSend(t, { trustParams: facts.trustParams, funcsChecked: true });
  if (definite) return plain(definite);
  if (!notSend(t, { trustParams: facts.trustParams })) return null;
  const init = l.mutable ? undefined : facts.letInit(l);
  if (init && !seen.has(l)) {
    seen.add(l);
    try {
      return valueProblem(init, t, facts, seen);
    } finally {
      seen.delete(l);
    }
  }
  const why = facts.isParam(l) ? 'is a parameter' : l.mutable ? 'is a `var`' : 'is not bound with `let` to a function or a closure';
  return unknown(t, facts, `the captures of \`${l.name}\` are not known: \`${l.name}\` ${why}`);
}

function plain(ty: Type): SendProblem {
  return { ty, viaClosure: false, unknownFunc: false, notes: [] };
}

function unknown(t: Type, facts: BodyFacts, why: string): SendProblem {
  return { ty: notSend(t, { trustParams: facts.trustParams }) ?? t, viaClosure: false, unknownFunc: true, notes: [why, UNKNOWN_CAPTURES] };
}

/** The problem with a type whose values cannot be traced (a task's result): function values in it are unknown. */
export function typeProblem(t: Type, trustParams: boolean, why: string): SendProblem | null {
  const definite = notSend(t, { trustParams, funcsChecked: true });
  if (definite) return plain(definite);
  const f = notSend(t, { trustParams });
  return f ? { ty: f, viaClosure: false, unknownFunc: true, notes: [why, UNKNOWN_CAPTURES] } : null;
}

/** The parameters of `fn` through which a value enters a `@sync` type (`Channel.send(v: T)`, `Sync::new(v: T)`):
 * those whose type mentions the type's own parameters. Their arguments are checked like `spawn`'s. */
export function syncEntries(fn: FuncDef): number[] {
  const owner = fn.ctor?.cls ?? (fn.selfType?.k === 'adt' ? fn.selfType.def : null);
  if (owner?.sendRule !== 'sync') return [];
  const own = new Set(fn.ownParams.map((p) => p.id));
  const ids = new Set(fn.typeParams.filter((p) => !own.has(p.id)).map((p) => p.id));
  return fn.params.flatMap((p, i) => (mentions(p.ty, ids) ? [i] : []));
}

function mentions(t: Type, ids: Set<number>): boolean {
  switch (t.k) {
    case 'param':
      return ids.has(t.id);
    case 'tuple':
      return t.elems.some((e) => mentions(e, ids));
    case 'array':
    case 'ref':
    case 'ptr':
      return mentions(t.k === 'array' ? t.elem : t.inner, ids);
    case 'adt':
    case 'dyn':
      return t.args.some((a) => mentions(a, ids));
    case 'func':
      return t.params.some((p) => mentions(p, ids)) || mentions(t.ret, ids);
    default:
      return false;
  }
}

/** Reports E0730 for a value of type `valueTy` at `span`; `label` replaces the default label. */
export function reportNotSend(diags: DiagSink, p: SendProblem, valueTy: Type, span: Span, label?: string): void {
  const bad = typeToString(p.ty);
  const notes = [...p.notes];
  if (p.ty.k === 'param') notes.push(`\`${bad}\` is a type parameter: TML has no \`Send\` bound, so outside the library a value of a generic type cannot cross to another task`);
  if (p.ty.k === 'adt' && p.ty.def.kind === 'class' && p.ty.def.attrs.has('sync')) notes.push(`\`@sync\` classes outside the library are not Send yet: the compiler does not lock their methods`);
  notes.push('plain data, `Str`, unique owners of `Send` values, closures whose captures are all `Send`, and `Channel[T]` and `Sync[T]` of a `Send` `T` may cross tasks; `Shared`, `Weak`, references, raw pointers and class instances may not (use `Sync[T]` or a channel)');
  const defaultLabel = p.unknownFunc
    ? 'the captures of this function value are not known'
    : p.viaClosure
      ? valueTy.k === 'func'
        ? `this closure captures a \`${bad}\``
        : `this value holds a closure that captures a \`${bad}\``
      : bad === typeToString(valueTy)
        ? 'this value is not `Send`'
        : `this value contains a \`${bad}\``;
  diags.error('E0730', `\`${bad}\` cannot be sent to another task`, span, { label: label ?? defaultLabel, notes });
}
