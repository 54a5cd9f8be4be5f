// Type checking of one function body: bidirectional inference over expressions, statements and patterns. Produces a
// TypedBody (types and resolutions by node id). Ownership (moves, initialisation) is checked later on MIR.
import type * as ast from '../syntax/ast.js';
import { CHAIN_STEP, elseIfChain, leftSpine, type IfLinkExpr } from '../syntax/chains.js';
import type { DiagnosticBag, Label } from '../syntax/diagnostics.js';
import { joinSpans, type Span } from '../syntax/source.js';
import { BUILTIN_FUNCTIONS, FLOAT_METHODS, INT_METHODS, LOWLEVEL_FUNCTIONS, SIGNED_ONLY_METHODS, SIMPLE_METHODS, STR_METHODS, type NumMethod } from './builtins.js';
import type { Binding, Bound, FuncDef, ModuleScope, ProgramDefs } from './defs.js';
import { missingCase } from './exhaustive.js';
import { formatSpecProblem, parseFormatString, specText, type FormatSpec } from './format_string.js';
import { containsRef } from './collect.js';
import { ImplFinder, isPrimitive } from './impls.js';
import { InferCtx } from './infer.js';
import { classify } from './ownership.js';
import { assocTypesOf, lookupName, lookupPath, primitiveType, resolveType, type TypeScope } from './resolve_type.js';
import type { Adjust, CallRes, LocalVar, TypedBody } from './typed.js';
import { ancestorOf, baseClass, derefTarget, implementsInterface, indexElement, isClass, mapParts, intType, isIntName, substFor, substitute, T, typeSome, typeToString, type AdtDef, type BehaviorDef, type StaticDef, type Type } from './types.js';
import { allVirtuals, findMethod, interfaceSlots } from './collect_classes.js';
import { FLAGS_OPERATORS } from './flags.js';
import { fieldVisible, privateFieldAccess, privateFieldInLiteral } from './field_privacy.js';
import { checkConstructorInit } from './ctor_init.js';
import { TypeDiagnostics } from './error_type.js';
import { unknownTypeSuggestions, unknownValueSuggestions } from './name_help.js';
import { similarNameSuggestion } from './suggest.js';
import { crossingProblem, reportNotSend, syncEntries, typeProblem, notSend, type BodyFacts } from './send.js';
import { isVisible, privacyReporter, reportPrivate } from './visibility.js';

interface LoopCtx {
  readonly id: number;
}
interface ClosureCtx {
  readonly id: number;
  readonly scopeDepth: number; // locals in scopes below this index are captures
  readonly captures: LocalVar[];
  readonly ret: Type;
  readonly outerLoops: LoopCtx[];
}

let nextLocalId = 1;

export class BodyChecker {
  readonly infer = new InferCtx();
  readonly finder: ImplFinder;
  readonly body: TypedBody;
  private scopes: Map<string, LocalVar>[] = [];
  private loops: LoopCtx[] = [];
  private closures: ClosureCtx[] = [];
  private lowlevel = 0;
  /** the target of the assignment being checked, when it is a field: writing a union field needs no `lowlevel` */
  private unionWrite: ast.Expr | null = null;
  /** inside an or-pattern: the variables its alternatives share, and the names the current one binds */
  private orShare: Map<string, LocalVar> | null = null;
  private orBound: Set<string> | null = null;
  private readonly intLits: { e: Extract<ast.Expr, { kind: 'IntLit' }>; negated: boolean }[] = [];
  private readonly obligations: { ty: Type; behavior: BehaviorDef; span: Span }[] = [];
  /** calls of `@copy_out` library methods (`Heap.get`, `List.get`): their `T` must be copyable (MEMORY.md §3) */
  private readonly copyOuts: { fn: FuncDef; ty: Type; span: Span }[] = [];
  /** values that move to another task (`spawn`'s function and arguments): checked to be `Send` once their types
   * are known; `result`: a spawned function, whose result crosses back */
  private readonly sendChecks: { e: ast.Expr; result?: Type }[] = [];
  /** calls, for the values that enter `@sync` types and the `@sync` values made (checked at the end) */
  private readonly callNodes: Extract<ast.Expr, { kind: 'Call' | 'MethodCall' }>[] = [];
  /** immutable locals bound by `let x = e`: their initialisers (a function value's captures are traced through them) */
  private readonly letInits = new Map<LocalVar, ast.Expr>();
  /** parameters of closures (their values, like the function's parameters, come from elsewhere) */
  private readonly closureParams = new Set<LocalVar>();
  /** links of a long chain checked ahead (checkSpine): expression id → the type checkExpr returned */
  private readonly chainChecked = new Map<number, Type>();
  private readonly negatedLits = new Set<number>();
  private readonly ts: TypeScope;
  /** every diagnostic of the body goes through this gate: none about an erroneous type (sema/error_type.ts) */
  readonly diags: TypeDiagnostics;

  constructor(
    readonly defs: ProgramDefs,
    readonly fn: FuncDef,
    bag: DiagnosticBag,
  ) {
    this.diags = new TypeDiagnostics(bag, this.infer, defs.erroneousParams);
    this.finder = new ImplFinder(defs, this.infer, fn.bounds as Bound[]);
    this.ts = { module: fn.module, params: new Map(fn.typeParams.map((p) => [p.name, p])), selfType: fn.selfType, defs, assoc: assocTypesOf(fn) };
    this.body = {
      fn,
      exprTypes: new Map(),
      paths: new Map(),
      calls: new Map(),
      ops: new Map(),
      bindings: new Map(),
      patVariants: new Map(),
      patTypes: new Map(),
      patVariantIndex: new Map(),
      captures: new Map(),
      forKinds: new Map(),
      fields: new Map(),
      params: [],
      self: null,
      loopDecls: new Map(),
      autoDeref: new Map(),
      displays: new Map(),
      formats: new Map(),
      tries: new Map(),
      structLits: new Map(),
      unsizes: new Map(),
      refCoercions: new Map(),
      loopBreaks: new Set(),
      mutated: new Set(),
      isTargets: new Map(),
      baseCall: null,
    };
    this.lowlevel = fn.isLowlevel ? 1 : 0;
  }

  // ---------- entry ----------

  check(): TypedBody {
    const decl = this.fn.decl!;
    this.errorsAtStart = this.diags.errorCount;
    this.scopes.push(new Map());
    let self: LocalVar | null = null;
    if (this.fn.receiver && this.fn.selfType) {
      const st = this.fn.selfType;
      const ty: Type = receiverType(this.fn.receiver, st);
      self = this.declareLocal('this', ty, this.fn.receiver === 'value', decl.receiver!.span);
    }
    const params: LocalVar[] = self ? [self] : [];
    decl.params.forEach((p, i) => {
      const ty = this.fn.params[i]!.ty;
      const name = p.pattern.kind === 'IdentPat' ? p.pattern.name : '_';
      const mutable = p.pattern.kind === 'IdentPat' && p.pattern.mutable;
      const l = this.declareLocal(name, ty, mutable, p.span);
      this.body.bindings.set(p.pattern.id, l);
      params.push(l);
    });
    (this.body as { params: LocalVar[] }).params = params;
    (this.body as { self: LocalVar | null }).self = self;
    if (this.fn.ctor) this.baseCall(this.fn.ctor);
    // a constructor's body produces nothing (a failing one leaves early through `!` or `return Err(e)`)
    const bodyRet = this.fn.ctor ? T.unit : this.bodyRet();
    const blockTy = this.checkBlock(decl.body!, bodyRet);
    if (this.fn.ctor) checkConstructorInit(this.fn.ctor.cls, decl.body!, this.diags, this.fn.ctor.failure !== null);
    if (!decl.body!.tail || !this.readThrough(decl.body!.tail, blockTy, bodyRet)) {
      this.coerce(blockTy, bodyRet, decl.body!.tail?.span ?? decl.body!.span, decl.body!.tail ? undefined : 'block');
    }
    this.scopes.pop();
    this.finish();
    this.diags.flushIfRootless();
    return this.body;
  }

  /** `Send` where values cross to another task (sema/send.ts): `spawn`'s function, arguments and result, values
   * entering a `@sync` type (`ch.send(v)`, `Sync::new(v)`), and the type arguments of each `@sync` value made. */
  private checkSend(): void {
    const trustParams = this.fn.module.isStd;
    const z = (t: Type) => this.infer.resolve(t, true);
    const facts: BodyFacts = {
      trustParams,
      typeOf: (e) => z(this.body.exprTypes.get(e.id) ?? T.error),
      localType: (l) => z(l.ty),
      path: (e) => this.body.paths.get(e.id),
      call: (e) => this.body.calls.get(e.id),
      captures: (e) => this.body.captures.get(e.id) ?? [],
      letInit: (l) => this.letInits.get(l),
      isParam: (l) => this.body.params.includes(l) || this.closureParams.has(l),
    };
    const reported: Span[] = [];
    const cross = (e: ast.Expr) => {
      const p = crossingProblem(e, facts);
      if (p) {
        reportNotSend(this.diags, p, facts.typeOf(e), e.span);
        reported.push(e.span);
      }
    };
    for (const c of this.sendChecks) {
      if (c.result) {
        const p = typeProblem(z(c.result), trustParams, 'the task\'s result crosses back to the task that joins it');
        if (p) reportNotSend(this.diags, p, z(c.result), c.e.span, `this function's result, a \`${this.show(z(c.result))}\`, is not \`Send\``);
      } else {
        cross(c.e);
      }
    }
    for (const c of this.callNodes) {
      const res = this.body.calls.get(c.id);
      if (res && (res.k === 'fn' || res.k === 'new' || res.k === 'virtual')) {
        // a path call of a method (`Channel::send(ch, v)`) passes the receiver first
        const skip = c.kind === 'Call' && res.fn.receiver !== null ? 1 : 0;
        for (const i of syncEntries(res.fn)) {
          const a = c.args[i + skip];
          if (a) cross(a);
        }
      }
      // a `@sync` value shares its contents between tasks: its type arguments must be Send
      const t = facts.typeOf(c);
      if (t.k !== 'adt' || t.def.sendRule !== 'sync' || reported.some((r) => r.start >= c.span.start && r.end <= c.span.end)) continue;
      const bad = notSend(t, { trustParams: true });
      if (bad) {
        reportNotSend(this.diags, { ty: bad, viaClosure: false, unknownFunc: false, notes: [`\`${t.def.name}\` shares its values between tasks, so its type arguments must be \`Send\``] }, t, c.span, `this makes a \`${this.show(t)}\``);
      }
    }
  }

  /** A constructor's `: base(args)`: the base constructor of that arity, checked like a call. */
  private baseCall(ctor: NonNullable<FuncDef['ctor']>): void {
    const base = ctor.cls.cls?.base;
    if (!ctor.baseArgs || !base) return;
    const fn = (base.def.cls!.ctors as FuncDef[]).find((c) => c.params.length === ctor.baseArgs!.length);
    if (!fn) {
      this.diags.error('E0061', `no constructor of \`${base.def.name}\` takes ${ctor.baseArgs.length} argument${ctor.baseArgs.length === 1 ? '' : 's'}`, this.fn.decl!.span);
      for (const a of ctor.baseArgs) this.checkExpr(a, null);
      return;
    }
    const s = substFor(fn.typeParams, base.args);
    this.checkArgs(fn.params.map((p) => substitute(p.ty, s)), ctor.baseArgs, this.fn.decl!.span, `\`${base.def.name}\`'s constructor`);
    const bf = fn.ctor?.failure ? substitute(fn.ctor.failure, s) : null;
    if (bf && !(ctor.failure && this.infer.tryUnify(bf, ctor.failure))) {
      this.diags.error('E0721', `\`${base.def.name}\`'s constructor can fail with \`${this.show(bf)}\`, so this constructor must return \`Outcome[This, ${this.show(bf)}]\``, this.fn.decl!.span);
    }
    this.body.baseCall = { fn, typeArgs: [...base.args] };
  }

  /** Resolve every recorded type, default literals, and check what could only be checked at the end. */
  private copyOut(fn: FuncDef, typeArgs: Type[], span: Span): void {
    if (fn.attrs.some((a) => a.name === 'copy_out') && typeArgs[0]) this.copyOuts.push({ fn, ty: typeArgs[0], span });
  }

  /** the error count when this body's check began (set by check()) */
  private errorsAtStart = 0;

  private finish(): void {
    this.checkSend();
    for (const c of this.copyOuts) {
      const t = this.infer.resolve(c.ty, true);
      if (this.fn.module.isStd || classify(this.defs, t) !== 'move') continue;
      // an array's methods are ArrayView's (stdlib/core/array.tml): name them as the user called them
      const owner = c.fn.selfType?.k === 'adt' ? (c.fn.selfType.def === this.defs.lang.get('ArrayView') ? 'array' : c.fn.selfType.def.name) : 'value';
      this.diags.error('E0508', `\`${owner}::${c.fn.name}\` copies the value out, and \`${typeToString(t)}\` cannot be copied`, c.span, {
        label: 'a copy here would give the value two owners',
        notes: [`borrow it instead (\`ref *h\`, \`ref xs[i]\`), or take it out (\`into_inner\`, \`pop\`)`],
      });
    }
    for (const o of this.obligations) {
      const t = this.infer.resolve(o.ty, true);
      if (!this.finder.implements(t, o.behavior)) {
        this.diags.error('E0277', `the behavior \`${o.behavior.name}\` is not implemented for \`${typeToString(t)}\``, o.span, {
          label: `\`${typeToString(t)}\` does not implement \`${o.behavior.name}\``,
          about: [t],
        });
      }
    }
    const z = (t: Type) => this.infer.resolve(t, true);
    const errorsBefore = this.diags.errorCount;
    for (const [k, t] of this.body.exprTypes) this.body.exprTypes.set(k, z(t));
    // an expression whose type nothing determined (`let mk = Just Just`) cannot be compiled: say so, once
    if (errorsBefore === this.errorsAtStart) {
      const open = [...this.body.exprTypes].filter(([, t]) => typeSome(t, (x) => x.k === 'var'));
      const spans = open.map(([k]) => this.exprSpans.get(k)).filter((sp): sp is Span => !!sp);
      if (spans.length) {
        const first = spans.reduce((a, b) => (b.start < a.start ? b : a));
        this.diags.error('E0282', 'type annotations needed', first, {
          label: 'cannot infer the type of this value',
          notes: ['annotate the binding, or pass the value where its type is known'],
          about: open.map(([, t]) => t),
        });
      }
    }
    for (const [k, t] of this.body.patTypes) this.body.patTypes.set(k, z(t));
    // a binding nothing determines (`let x` never assigned, no annotation) has no type to compile either
    let undetermined = errorsBefore === this.errorsAtStart && this.diags.errorCount === errorsBefore;
    for (const l of this.body.bindings.values()) {
      l.ty = z(l.ty);
      if (undetermined && typeSome(l.ty, (x) => x.k === 'var')) {
        undetermined = false;
        this.diags.error('E0282', 'type annotations needed', l.span, {
          label: `cannot infer the type of \`${l.name}\``,
          notes: [`annotate it (\`let ${l.name}: T\`), or give it a value`],
          about: [l.ty],
        });
      }
      // references are second-class: no collection or owner holds one (however the type was inferred)
      if (!this.fn.module.isStd && refInCollection(l.ty)) {
        this.diags.error('E0106', `\`${l.name}\` would hold references in a collection: \`${typeToString(l.ty)}\``, l.span, {
          notes: ['references are second-class: never elements of collections'],
        });
      }
    }
    for (const l of this.body.params) l.ty = z(l.ty);
    for (const caps of this.body.captures.values()) for (const c of caps) c.ty = z(c.ty);
    for (const l of this.body.loopDecls.values()) l.ty = z(l.ty);
    const zc = (c: CallRes): CallRes => {
      switch (c.k) {
        case 'fn':
          return { ...c, typeArgs: c.typeArgs.map(z) };
        case 'behavior':
          return { ...c, selfType: z(c.selfType), methodArgs: c.methodArgs.map(z), behavior: { def: c.behavior.def, args: c.behavior.args.map(z) } };
        case 'builtin':
          return { ...c, typeArgs: c.typeArgs.map(z) };
        case 'variant':
          return { ...c, ty: z(c.ty) };
        case 'new':
        case 'virtual':
          return { ...c, typeArgs: c.typeArgs.map(z) };
        default:
          return c;
      }
    };
    for (const [k, c] of this.body.calls) this.body.calls.set(k, zc(c));
    for (const [k, c] of this.body.displays) this.body.displays.set(k, zc(c));
    for (const [k, o] of this.body.ops) if (o.k === 'call') this.body.ops.set(k, { ...o, call: zc(o.call) });
    for (const [k, p] of this.body.paths) {
      if (p.k === 'fn') this.body.paths.set(k, { ...p, typeArgs: p.typeArgs.map(z) });
      else if (p.k === 'variant' || p.k === 'ctor') this.body.paths.set(k, { ...p, ty: z(p.ty) });
    }
    for (const [k, s] of this.body.structLits) this.body.structLits.set(k, { ...s, ty: z(s.ty) });
    for (const [k, t] of this.body.unsizes) this.body.unsizes.set(k, z(t));
    for (const [k, t] of this.body.isTargets) this.body.isTargets.set(k, z(t));
    if (this.body.baseCall) this.body.baseCall = { fn: this.body.baseCall.fn, typeArgs: this.body.baseCall.typeArgs.map(z) };
    for (const [k, v] of this.body.patVariants) this.body.patVariants.set(k, { ...v, ty: z(v.ty) });
    for (const { e, negated } of this.intLits) this.checkIntRange(e, negated, this.body.exprTypes.get(e.id) ?? T.i32);
    for (const [id, t] of this.body.exprTypes) {
      if (t.k === 'var') {
        this.body.exprTypes.set(id, T.error);
      }
    }
  }

  private checkIntRange(e: Extract<ast.Expr, { kind: 'IntLit' }>, negated: boolean, t: Type): void {
    if (t.k !== 'int') return;
    const v = negated ? -e.value : e.value;
    const bits = BigInt(t.bits);
    const min = t.signed ? -(1n << (bits - 1n)) : 0n;
    const max = t.signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
    if (v < min || v > max) {
      this.diags.error('E0080', `literal out of range for \`${t.name}\``, e.span, {
        label: `this literal does not fit in \`${t.name}\``,
        notes: [`the literal \`${negated ? '-' : ''}${e.value}\` does not fit into the type \`${t.name}\` whose range is \`${min}..=${max}\``],
      });
    }
  }

  // ---------- helpers ----------

  private declareLocal(name: string, ty: Type, mutable: boolean, span: Span): LocalVar {
    const l: LocalVar = { id: nextLocalId++, name, ty, mutable, span };
    this.scopes[this.scopes.length - 1]!.set(name, l);
    return l;
  }

  private lookupLocal(name: string): LocalVar | null {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const l = this.scopes[i]!.get(name);
      if (l) {
        // a local from outside the innermost closures is captured by each closure it crosses
        for (const c of this.closures) {
          if (i < c.scopeDepth && !c.captures.includes(l)) c.captures.push(l);
        }
        return l;
      }
    }
    return null;
  }

  private record(e: ast.Expr, t: Type): Type {
    this.body.exprTypes.set(e.id, t);
    this.exprSpans.set(e.id, e.span);
    return t;
  }

  /** where each expression is, for the end-of-body check that every type was inferred */
  private readonly exprSpans = new Map<number, Span>();

  private resolveTy(te: ast.TypeExpr): Type {
    return resolveType(te, this.ts, this.diags);
  }

  private shallow(t: Type): Type {
    return this.infer.shallow(t);
  }

  private show(t: Type): string {
    return typeToString(this.infer.resolve(t, false));
  }

  /** Like `coerce`, for the value of expression `e`: also accepts an unsizing coercion to a trait object
   * (`ref T` → `ref dyn B`, `Heap[T]` → `Heap[dyn B]` where T implements B), recorded for lowering. */
  coerceExpr(e: ast.Expr, actual: Type, expected: Type): boolean {
    if (this.readThrough(e, actual, expected)) return true;
    const a = this.shallow(actual);
    const x = this.shallow(expected);
    // deref coercion: `ref Heap[T]` (or any `ref` to a library pointer to T) where `ref T` is expected
    if (a.k === 'ref' && x.k === 'ref' && (a.mutable || !x.mutable) && !this.infer.tryUnify(a.inner, x.inner)) {
      let t = this.shallow(a.inner);
      for (let n = 1; n <= 4 && t.k === 'adt' && t.def.deref; n++) {
        const next = derefTarget(this.infer.resolve(t));
        if (!next) break;
        t = this.shallow(next);
        if (this.infer.tryUnify(t, x.inner)) {
          this.body.refCoercions.set(e.id, n);
          return true;
        }
      }
    }
    if (this.classUpcast(e, a, x)) return true;
    const target = this.unsizeTarget(a, x);
    if (target) {
      const [from, dyn] = target;
      if (!this.finder.implements(from, dyn.behavior)) {
        this.diags.error('E0277', `\`${this.show(from)}\` does not implement \`${dyn.behavior.name}\``, e.span, {
          label: `cannot be used as \`dyn ${dyn.behavior.name}\``,
        });
      }
      this.body.unsizes.set(e.id, x);
      return true;
    }
    return this.coerce(actual, expected, e.span);
  }

  /** A `ref` (or several) to plain data where the value itself is wanted — a typed `let`, an assignment, a
   * `return`, a function's or closure's tail, an argument, a condition, an operand of `and`/`or` — is read through
   * (LANGUAGE.md §3), as operators already do: recorded as an auto-deref for lowering. Only plain data (MEMORY.md §2
   * "copy types"): a runtime-managed value (`Str`, a class) is copied out explicitly with `*r`, and a move type
   * cannot leave its owner this way at all. */
  private readThrough(e: ast.Expr, actual: Type, expected: Type): boolean {
    const x = this.shallow(expected);
    let r = this.shallow(actual);
    if (r.k !== 'ref' || x.k === 'ref' || x.k === 'var' || x.k === 'error' || x.k === 'never') return false;
    let n = 0;
    while (r.k === 'ref') {
      r = this.shallow(r.inner);
      n++;
    }
    if (r.k === 'var' || classify(this.defs, this.infer.resolve(r)) !== 'plain' || !this.infer.tryUnify(r, x)) return false;
    this.body.autoDeref.set(e.id, n);
    return true;
  }

  /** A condition (`if`, `while`, `loop (…)`, an operand of `and`/`or`): a `Bool`, or a reference to one. */
  private condition(e: ast.Expr): void {
    const t = this.checkExpr(e, T.bool);
    if (!this.readThrough(e, t, T.bool)) this.coerce(t, T.bool, e.span);
  }

  /** A class reference used as a base class or an interface it implements (LANGUAGE.md §2.3): recorded as an
   * unsizing coercion (the pointer is reused; an interface value pairs it with the class's interface vtable). */
  private classUpcast(e: ast.Expr, a: Type, x: Type): boolean {
    if (!isClass(a) || x.k !== 'adt' || x.def === a.def) return false;
    if (x.def.kind === 'class') {
      const anc = ancestorOf(a, x.def);
      if (!anc || !this.infer.tryUnify(anc, x)) return false;
    } else if (x.def.kind === 'interface') {
      if (!implementsInterface(a, x.def)) return false;
    } else return false;
    this.body.unsizes.set(e.id, x);
    return true;
  }

  /** When `a` can be unsized to `x`: the concrete type and the dyn type. */
  private unsizeTarget(a: Type, x: Type): [Type, Extract<Type, { k: 'dyn' }>] | null {
    if (x.k === 'ref' && a.k === 'ref' && (a.mutable || !x.mutable)) {
      const xi = this.shallow(x.inner);
      const ai = this.shallow(a.inner);
      if (xi.k === 'dyn' && ai.k !== 'dyn' && ai.k !== 'var') return [ai, xi];
    }
    if (x.k === 'adt' && a.k === 'adt' && x.def === a.def && x.def.deref?.length === 1 && x.args.length === 1) {
      const xi = this.shallow(x.args[0]!);
      const ai = this.shallow(a.args[0]!);
      if (xi.k === 'dyn' && ai.k !== 'dyn' && ai.k !== 'var') return [ai, xi];
    }
    return null;
  }

  /** `actual` must be usable where `expected` is wanted (Never coerces to anything). */
  coerce(actual: Type, expected: Type, span: Span, what?: string): boolean {
    const a = this.shallow(actual);
    if (a.k === 'never') return true;
    if (this.infer.unify(actual, expected)) return true;
    this.mismatch(expected, actual, span, what);
    return false;
  }

  private mismatch(expected: Type, actual: Type, span: Span, what?: string): void {
    const notes: string[] = [];
    if (what === 'block') notes.push('the block has no tail expression, so its value is `Unit`');
    const a = this.infer.resolve(actual, false);
    if (a.k === 'ref' && typeToString(this.infer.resolve(a.inner, false)) === this.show(expected)) {
      // a reference where its value is wanted, and not read through (`readThrough`): not plain data
      notes.push(
        classify(this.defs, a.inner) === 'shared'
          ? `a reference is read through implicitly only to plain data: copy the \`${this.show(expected)}\` out explicitly (\`*r\` for a reference \`r\`)`
          : `\`${this.show(expected)}\` cannot be copied out of a reference: borrow it, or make a copy with \`.duplicate()\` where it implements \`Duplicate\``,
      );
    }
    this.diags.error('E0308', `mismatched types: expected \`${this.show(expected)}\`, found \`${this.show(actual)}\``, span, {
      label: `expected \`${this.show(expected)}\`, found \`${this.show(actual)}\``,
      notes,
    });
  }

  private maybeOf(t: Type): Type {
    return { k: 'adt', def: this.defs.langAdt('Maybe'), args: [t] };
  }

  private requireBehavior(t: Type, name: string, span: Span): void {
    const b = this.defs.langBehavior(name);
    if (b) this.obligations.push({ ty: t, behavior: b, span });
  }

  /** How to turn a value of type t into a Str (Display), recorded for lowering. */
  /** Formats e by Display. `asked` is the behavior the format named: `{:?}` falls back on Display when there is no
   * Debug impl, and when there is neither the error names Debug, which is what the program asked for. */
  private display(e: ast.Expr, t: Type, asked: 'Display' | 'Debug' = 'Display'): void {
    let r = this.shallow(t);
    let derefs = 0;
    while (r.k === 'ref') {
      r = this.shallow(r.inner);
      derefs++;
    }
    if (derefs) this.body.autoDeref.set(e.id, derefs);
    const disp = this.defs.langBehavior('Display')!;
    if (r.k === 'var' && !r.lit) {
      this.diags.error('E0282', 'type annotations needed', e.span, { label: 'cannot infer the type of this value' });
      return;
    }
    if (isPrimitive(r) || r.k === 'var') {
      this.body.displays.set(e.id, { k: 'builtin', name: 'to_string', recv: null, typeArgs: [] });
      return;
    }
    const missing = this.defs.langBehavior(asked) ?? disp;
    if (r.k === 'param') {
      if (!this.finder.implements(r, disp)) this.notImplemented(r, missing, e.span);
      this.body.displays.set(e.id, { k: 'behavior', behavior: { def: disp, args: [] }, method: 'to_string', selfType: r, methodArgs: [], recv: 'ref' });
      return;
    }
    const m = this.finder.findImpl(r, disp);
    if (!m) {
      this.notImplemented(r, missing, e.span);
      return;
    }
    const fn = m.impl.methods.get('to_string')!;
    this.body.displays.set(e.id, { k: 'fn', fn, typeArgs: m.impl.typeParams.map((p) => m.subst.get(p.id)!), recv: 'ref' });
  }

  /**
   * `println("{} and {:>8}", a, b)`: the format string must be a literal; it is parsed here (format_string.ts), its
   * placeholders are matched with the arguments and each spec with its argument's type, and the pieces are kept for
   * lowering (body.formats).
   */
  private formatCall(e: Extract<ast.Expr, { kind: 'Call' }>, args: ast.Expr[]): void {
    const fmt = args[0]!;
    this.coerce(this.checkExpr(fmt, T.str), T.str, fmt.span);
    const rest = args.slice(1);
    const types = rest.map((a) => this.checkExpr(a, null));
    if (fmt.kind !== 'StrLit') {
      const label = fmt.kind === 'InterpStr' ? 'an interpolated string cannot be a format: use `{}` placeholders or interpolation, not both' : 'the format string is checked when compiling: write it here, as a literal';
      this.diags.error('E0740', 'format argument must be a string literal', fmt.span, { label });
      rest.forEach((a, i) => this.display(a, types[i]!));
      return;
    }
    const parsed = parseFormatString(fmt.value);
    // an offset inside the string's value → source span; exact unless an escape sequence shifts the text
    const exact = fmt.span.end - fmt.span.start === fmt.value.length + 2;
    const at = (start: number, end: number): Span => (exact ? { file: fmt.span.file, start: fmt.span.start + 1 + start, end: fmt.span.start + 1 + end } : fmt.span);
    for (const err of parsed.errors) this.diags.error('E0741', `invalid format string: ${err.message}`, at(err.start, err.end), { label: err.label });
    const specs = new Map<number, FormatSpec>();
    const places = parsed.pieces.filter((p) => p.k === 'arg');
    for (const p of places) {
      if (p.index >= rest.length) {
        const n = rest.length;
        this.diags.error('E0742', `placeholder \`${fmt.value.slice(p.start, p.end)}\` has no argument`, at(p.start, p.end), {
          label: `${parsed.argsUsed} argument${parsed.argsUsed === 1 ? '' : 's'} needed, ${n} ${n === 1 ? 'was' : 'were'} supplied`,
        });
        continue;
      }
      const prev = specs.get(p.index);
      if (prev && specText(prev) !== specText(p.spec)) {
        this.diags.error('E0744', `argument ${p.index} is formatted twice with different specs`, at(p.start, p.end), { label: 'one argument, one spec: pass the value twice instead' });
      } else specs.set(p.index, p.spec);
    }
    rest.forEach((a, i) => {
      const spec = specs.get(i);
      if (!spec) {
        if (parsed.errors.length === 0) {
          this.diags.error('E0742', 'argument never used', a.span, {
            label: `the format string has ${places.length} placeholder${places.length === 1 ? '' : 's'} for ${rest.length} argument${rest.length === 1 ? '' : 's'}`,
          });
        }
        this.display(a, types[i]!);
        return;
      }
      let t = this.shallow(types[i]!);
      while (t.k === 'ref') t = this.shallow(t.inner);
      const problem = t.k === 'error' || t.k === 'never' ? null : formatSpecProblem(spec, t);
      if (problem) {
        this.diags.error('E0743', `format spec \`{:${specText(spec)}}\` does not apply to a value of type \`${this.show(t)}\``, a.span, { label: problem });
      }
      if (spec.kind !== '?' || !this.debugDisplay(a, types[i]!)) this.display(a, types[i]!, spec.kind === '?' ? 'Debug' : 'Display');
    });
    if (parsed.errors.length === 0) this.body.formats.set(e.id, parsed.pieces);
  }

  /** `{:?}` of a type implementing Debug: records its debug_string as the way to format e; false when it has none. */
  private debugDisplay(e: ast.Expr, t: Type): boolean {
    let r = this.shallow(t);
    let derefs = 0;
    while (r.k === 'ref') {
      r = this.shallow(r.inner);
      derefs++;
    }
    const debug = this.defs.langBehavior('Debug');
    if (!debug || isPrimitive(r) || r.k === 'var') return false;
    if (r.k === 'param' || r.k === 'tuple' || r.k === 'array') {
      // a parameter bounded by Debug dispatches at instantiation; tuples and arrays are formatted element-wise
      if (!this.finder.implements(r, debug)) {
        if (r.k === 'param') return false;
        // a tuple or array has no Display to fall back on: say which behavior `{:?}` needs
        this.notImplemented(r, debug, e.span);
        return true;
      }
      if (derefs) this.body.autoDeref.set(e.id, derefs);
      const res: CallRes = r.k === 'param'
        ? { k: 'behavior', behavior: { def: debug, args: [] }, method: 'debug_string', selfType: r, methodArgs: [], recv: 'ref' }
        : { k: 'builtin', name: 'debug_string', recv: null, typeArgs: [] };
      this.body.displays.set(e.id, res);
      return true;
    }
    const m = this.finder.findImpl(r, debug);
    const fn = m?.impl.methods.get('debug_string');
    if (!m || !fn) return false;
    if (derefs) this.body.autoDeref.set(e.id, derefs);
    this.body.displays.set(e.id, { k: 'fn', fn, typeArgs: m.impl.typeParams.map((p) => m.subst.get(p.id)!), recv: 'ref' });
    return true;
  }

  private notImplemented(t: Type, b: BehaviorDef, span: Span): void {
    this.diags.error('E0277', `\`${this.show(t)}\` does not implement \`${b.name}\``, span, { label: `the behavior \`${b.name}\` is not implemented for \`${this.show(t)}\``, about: [t] });
  }

  // ---------- blocks and statements ----------

  checkBlock(b: ast.Block, expected: Type | null): Type {
    this.scopes.push(new Map());
    let diverges = false;
    for (const s of b.stmts) {
      if (this.checkStmt(s)) diverges = true;
    }
    let t: Type = T.unit;
    if (b.tail) t = this.checkExpr(b.tail, expected);
    else if (diverges) t = T.never;
    this.scopes.pop();
    return t;
  }

  /** Returns true when the statement never completes (return, break, panic…). */
  private checkStmt(s: ast.Stmt): boolean {
    switch (s.kind) {
      case 'Let':
        return this.checkLet(s);
      case 'ExprStmt': {
        const t = this.checkExpr(s.expr, null);
        return this.shallow(t).k === 'never';
      }
      case 'Defer':
        this.deferDepth++;
        this.checkExpr(s.expr, null);
        this.deferDepth--;
        return false;
      case 'ItemStmt':
        this.diags.error('E0602', 'items inside function bodies are not supported; move the item to the module level', s.span);
        return false;
    }
  }

  private checkLet(s: Extract<ast.Stmt, { kind: 'Let' }>): boolean {
    const declared = s.type ? this.resolveTy(s.type) : null;
    let t: Type = declared ?? this.infer.newVar();
    let diverges = false;
    if (s.init) {
      const it = this.checkExpr(s.init, declared);
      if (this.shallow(it).k === 'never') diverges = true;
      if (declared) this.coerceExpr(s.init, it, declared);
      else t = this.shallow(it).k === 'never' ? t : it;
    }
    if (s.elseBlock) {
      const et = this.checkBlock(s.elseBlock, null);
      if (this.shallow(et).k !== 'never') {
        this.diags.error('E0308', '`else` clause of `let...else` does not diverge', s.elseBlock.span, {
          label: 'this block must end with `return`, `break`, `continue` or a panic',
        });
      }
    } else if (this.refutable(s.pattern)) {
      this.diags.error('E0005', 'refutable pattern in local binding', s.pattern.span, {
        label: 'this pattern does not match every value',
        notes: ['use `let … else { … }` or `if let` to handle the other values'],
      });
    }
    this.checkPattern(s.pattern, t, 'move', s.mutable);
    if (s.init && !s.elseBlock && !s.mutable && s.pattern.kind === 'IdentPat') {
      const l = this.body.bindings.get(s.pattern.id);
      if (l && !l.mutable) this.letInits.set(l, s.init);
    }
    if (!s.init && s.pattern.kind === 'IdentPat') {
      const l = this.body.bindings.get(s.pattern.id);
      if (l) l.lateInit = true;
    }
    return diverges;
  }

  /** A binding of the pattern that takes a unique owner by value, if any. */
  private movedBinding(p: ast.Pattern): LocalVar | null {
    switch (p.kind) {
      case 'IdentPat': {
        const l = this.body.bindings.get(p.id);
        return l && classify(this.defs, this.infer.resolve(l.ty, true)) === 'move' ? l : null;
      }
      case 'TuplePat':
      case 'ArrayPat':
        return p.elems.map((e) => this.movedBinding(e)).find((x) => x) ?? null;
      case 'VariantPat':
        return p.args.map((e) => this.movedBinding(e)).find((x) => x) ?? null;
      case 'StructPat':
        return p.fields.map((f) => this.movedBinding(f.pattern)).find((x) => x) ?? null;
      default:
        return null;
    }
  }

  private refutable(p: ast.Pattern): boolean {
    switch (p.kind) {
      case 'WildcardPat':
        return false;
      case 'IdentPat':
        return this.body.patVariants.has(p.id) || this.unitVariantNamed(p.name) !== null;
      case 'TuplePat':
      case 'ArrayPat':
        return p.elems.some((e) => this.refutable(e));
      case 'RestPat':
        return false;
      case 'StructPat':
        return p.fields.some((f) => this.refutable(f.pattern));
      default:
        return true;
    }
  }

  // ---------- expressions ----------

  checkExpr(e: ast.Expr, expected: Type | null): Type {
    const done = this.chainChecked.get(e.id);
    if (done !== undefined) {
      this.chainChecked.delete(e.id);
      return done;
    }
    this.checkSpine(e, expected);
    return this.finishExpr(e, this.exprInner(e, expected), expected);
  }

  /**
   * A long left spine (`a + b + c …`, `x.f().g()…`; syntax/chains.ts) is checked bottom-up, every CHAIN_STEP-th link
   * first, in the order the recursion would reach them, with the expected type the recursion would pass; checkExpr
   * then finds each one done, so checking never recurses more than CHAIN_STEP links deep.
   */
  private checkSpine(e: ast.Expr, expected: Type | null): void {
    const spine = leftSpine(e, (x) => this.chainChecked.has(x.id));
    if (spine.length <= 2 * CHAIN_STEP) return;
    const exp: (Type | null)[] = [expected];
    for (let i = 1; i < spine.length; i++) {
      const parent = spine[i - 1]!;
      const pe = exp[i - 1]!;
      if (parent.kind === 'MethodCall' && parent.receiver.kind === 'Path' && parent.receiver.segments[0]?.name === 'base') return;
      if (parent.kind !== 'Binary') exp.push(null);
      else if (parent.op === 'and' || parent.op === 'or') exp.push(T.bool);
      else if (['==', '!=', '<', '>', '<=', '>='].includes(parent.op)) exp.push(null);
      else exp.push(pe);
    }
    for (let i = spine.length - 1 - CHAIN_STEP; i > 0; i -= CHAIN_STEP) {
      const x = spine[i]!;
      if (this.chainChecked.has(x.id)) continue;
      const t = this.checkExpr(x, exp[i]!);
      this.chainChecked.set(x.id, t);
    }
  }

  /** Records `e`'s type and applies a class upcast to `expected`; the type checkExpr returns. */
  private finishExpr(e: ast.Expr, inner: Type, expected: Type | null): Type {
    const t = this.record(e, inner);
    // a class value where a base class or an interface is expected (a tail, a branch, a return, an argument…):
    // the upcast is recorded on the expression and its type is the expected one
    if (expected) {
      const a = this.shallow(t);
      const x = this.shallow(expected);
      if (isClass(a) && x.k === 'adt' && x.def !== a.def && this.classUpcast(e, a, x)) return x;
    }
    return t;
  }

  private exprInner(e: ast.Expr, expected: Type | null): Type {
    switch (e.kind) {
      case 'IntLit':
        return this.intLit(e, expected, false);
      case 'FloatLit': {
        if (e.suffix) return e.suffix === 'f32' ? T.f32 : T.f64;
        const ex = expected ? this.shallow(expected) : null;
        if (ex?.k === 'float') return ex;
        return this.infer.newVar('float');
      }
      case 'StrLit':
        return T.str;
      case 'InterpStr':
        for (const p of e.parts) {
          if (p.kind === 'expr') {
            const t = this.checkExpr(p.expr, null);
            this.display(p.expr, t);
          }
        }
        return T.str;
      case 'CharLit':
        return T.char;
      case 'BoolLit':
        return T.bool;
      case 'NullLit': {
        const ex = expected ? this.shallow(expected) : null;
        return ex?.k === 'ptr' ? ex : { k: 'ptr', inner: T.unit };
      }
      case 'UnitLit':
        return T.unit;
      case 'Path':
        return this.pathExpr(e, expected);
      case 'Binary':
        return this.binary(e, expected);
      case 'Unary':
        return this.unary(e, expected);
      case 'Assign':
        return this.assign(e);
      case 'Call':
        this.callNodes.push(e);
        return this.call(e, expected);
      case 'MethodCall':
        this.callNodes.push(e);
        return this.methodCall(e, expected);
      case 'Field':
        return this.field(e);
      case 'Index':
        return this.index(e);
      case 'Try':
        return this.tryExpr(e);
      case 'Cast':
        return this.cast(e);
      case 'Is':
        return this.isTest(e);
      case 'Range':
        return this.rangeValue(e);
      case 'If':
      case 'IfLet':
        return this.ifChain(e, expected);
      case 'Ternary':
        return this.ifExpr(e.cond, e.then, e.else, expected, e.span);
      case 'When':
        return this.when(e, expected);
      case 'Loop':
        return this.loop(e);
      case 'While': {
        this.condition(e.cond);
        this.loops.push({ id: e.id });
        this.checkBlock(e.body, T.unit);
        this.loops.pop();
        return T.unit;
      }
      case 'For':
        return this.forExpr(e);
      case 'Block':
        return this.checkBlock(e.block, expected);
      case 'Lowlevel': {
        this.lowlevel++;
        const t = this.checkBlock(e.block, expected);
        this.lowlevel--;
        return t;
      }
      case 'Closure':
        return this.closure(e, expected);
      case 'StructLit':
        return this.structLit(e, expected);
      case 'Tuple': {
        const ex = expected ? this.shallow(expected) : null;
        const elems = e.elems.map((x, i) => this.checkExpr(x, ex?.k === 'tuple' ? (ex.elems[i] ?? null) : null));
        return { k: 'tuple', elems };
      }
      case 'ArrayLit': {
        const ex = expected ? this.shallow(expected) : null;
        let elemTy: Type = ex?.k === 'array' ? ex.elem : this.infer.newVar();
        for (const x of e.elems) {
          const t = this.checkExpr(x, elemTy);
          this.coerceExpr(x, t, elemTy);
        }
        elemTy = this.shallow(elemTy);
        if (containsRef(this.infer.resolve(elemTy))) {
          this.diags.error('E0106', 'an array cannot hold references', e.span, { notes: ['references are second-class: never elements of collections'] });
        }
        return { k: 'array', elem: elemTy, size: e.elems.length };
      }
      case 'ArrayRepeat': {
        const ex = expected ? this.shallow(expected) : null;
        const elemTy = this.checkExpr(e.value, ex?.k === 'array' ? ex.elem : null);
        this.checkExpr(e.count, T.i64);
        const n = this.constInt(e.count);
        if (n === null) {
          this.diags.error('E0308', 'the length of an array must be a constant integer', e.count.span);
          return T.error;
        }
        if (classify(this.defs, this.infer.resolve(elemTy, true)) === 'move') {
          this.diags.error('E0277', `\`[x; N]\` copies its element, and \`${this.show(elemTy)}\` cannot be copied`, e.value.span);
        }
        return { k: 'array', elem: elemTy, size: Number(n) };
      }
      case 'Return': {
        const ret = this.closures.length ? this.closures[this.closures.length - 1]!.ret : this.bodyRet();
        if (e.value) this.coerceExpr(e.value, this.checkExpr(e.value, ret), ret);
        else this.coerce(T.unit, ret, e.span);
        return T.never;
      }
      case 'Break':
      case 'Continue': {
        if (this.loops.length === 0) {
          this.diags.error('E0268', `\`${e.kind === 'Break' ? 'break' : 'continue'}\` outside of a loop`, e.span, { label: 'cannot be used outside of a loop' });
        } else if (e.kind === 'Break') {
          this.body.loopBreaks.add(this.loops[this.loops.length - 1]!.id);
          if (e.value) {
            this.checkExpr(e.value, null);
            this.diags.error('E0571', '`break` with a value is not supported; assign to a variable before breaking', e.value.span);
          }
        }
        return T.never;
      }
      case 'Await':
        return this.awaitExpr(e);
      case 'Error':
        return T.error;
    }
  }

  /** What the body produces: an `async func`'s `T`, not the `Future[T]` its callers get. */
  private bodyRet(): Type {
    return this.fn.asyncRet ?? this.fn.ret;
  }

  /** directly in an `async func` body (a closure inside one is a function of its own, which cannot suspend) */
  private inAsyncBody(): boolean {
    return this.fn.asyncRet !== undefined && this.closures.length === 0;
  }

  /** inside a `defer`'s expression */
  private deferDepth = 0;

  /** `await e` / `e.await` (MEMORY.md §8.1): in an `async func`, on a `Future[T]` or a `Task[T]`; gives the `T`. */
  private awaitExpr(e: Extract<ast.Expr, { kind: 'Await' }>): Type {
    const t = this.shallow(this.checkExpr(e.operand, null));
    if (this.deferDepth > 0 && this.inAsyncBody()) {
      this.diags.error('E0781', '`await` is not allowed in a `defer`', e.span, {
        label: 'deferred code cannot suspend',
        notes: ['deferred code also runs when the future is dropped at a suspension point, where nothing can wait'],
      });
      return T.error;
    }
    if (!this.inAsyncBody()) {
      const inClosure = this.fn.asyncRet !== undefined;
      this.diags.error('E0781', '`await` is only allowed inside an `async func`', e.span, {
        label: inClosure ? 'inside a closure, which is not async' : `\`${this.fn.name}\` is not async`,
        notes: inClosure ? ['a closure is a function of its own and cannot suspend its enclosing `async func`'] : ['make the function `async func`, or run the future with `block_on(…)` outside async code'],
      });
      return T.error;
    }
    if (t.k === 'error') return T.error;
    if (t.k === 'adt' && t.args.length === 1 && (t.def === this.defs.langAdt('Future') || t.def === this.defs.langAdt('Task'))) return t.args[0]!;
    this.diags.error('E0782', `\`await\` needs a \`Future\` or a \`Task\`, found \`${this.show(t)}\``, e.operand.span, {
      label: 'not a future',
      notes: ['an `async func` call gives a `Future[T]`; `spawn` of an async function gives a `Task[T]`'],
    });
    return T.error;
  }

  /** `block_on` and `join` block the calling thread: in an `async func` that is a worker of the executor. */
  private blockingInAsync(fn: FuncDef, span: Span): void {
    if (!this.inAsyncBody() || !fn.module.isStd || (fn.module.path !== 'core::task' && fn.module.path !== 'core::future')) return;
    if (fn.name === 'join') {
      this.diags.error('E0783', '`join` would block a worker thread of the executor', span, {
        label: 'called in an `async func`',
        notes: ['wait for the task with `await t` (or `t.await`): it suspends this task instead'],
      });
    } else if (fn.name === 'block_on') {
      this.diags.error('E0784', '`block_on` cannot be called inside an `async func`', span, {
        label: 'would block a worker thread of the executor',
        notes: ['`await` the future instead'],
      });
    }
  }

  /** `x is C`: a runtime class test of a class or interface value against a class or interface. */
  private isTest(e: Extract<ast.Expr, { kind: 'Is' }>): Type {
    let ot = this.shallow(this.checkExpr(e.operand, null));
    if (ot.k === 'ref') ot = this.shallow(ot.inner);
    const target = this.shallow(this.resolveTy(e.type));
    const refKind = (t: Type) => t.k === 'adt' && (t.def.kind === 'class' || t.def.kind === 'interface');
    if (ot.k !== 'error' && !refKind(ot)) {
      this.diags.error('E0722', `\`is\` tests a class or interface value, not \`${this.show(ot)}\``, e.operand.span);
    } else if (target.k !== 'error' && !refKind(target)) {
      this.diags.error('E0722', `\`is\` needs a class or interface, not \`${this.show(target)}\``, e.type.span);
    } else this.body.isTargets.set(e.id, target);
    return T.bool;
  }

  private constInt(e: ast.Expr): bigint | null {
    if (e.kind === 'IntLit') return e.value;
    if (e.kind === 'Path' && e.segments.length === 1) {
      const b = lookupName(this.defs, this.fn.module, e.segments[0]!.name);
      if (b?.k === 'const' && b.def.decl.value.kind === 'IntLit') return b.def.decl.value.value;
    }
    return null;
  }

  private intLit(e: Extract<ast.Expr, { kind: 'IntLit' }>, expected: Type | null, negated: boolean): Type {
    this.intLits.push({ e, negated });
    if (e.suffix) {
      const name = e.suffix.toUpperCase();
      if (isIntName(name)) return intType(name);
      if (name === 'F32') return T.f32;
      if (name === 'F64') return T.f64;
    }
    const ex = expected ? this.shallow(expected) : null;
    if (ex?.k === 'int') return ex;
    const v = this.infer.newVar('int');
    if (ex?.k === 'var') this.infer.tryUnify(v, ex);
    return v;
  }

  // ---------- paths ----------

  private pathExpr(e: Extract<ast.Expr, { kind: 'Path' }>, expected: Type | null): Type {
    const segs = e.segments;
    if (segs.length === 1 && !segs[0]!.args) {
      const name = segs[0]!.name;
      const l = this.lookupLocal(name);
      if (l) {
        this.body.paths.set(e.id, { k: 'local', local: l });
        return l.ty;
      }
    }
    const r = this.resolveValuePath(e, expected);
    return r;
  }

  /** A unit variant visible unqualified by that name, when exactly one is. */
  private unitVariantNamed(name: string): { adt: AdtDef; index: number } | null {
    const list = this.fn.module.variants.get(name) ?? this.defs.prelude?.variants.get(name);
    if (!list || list.length !== 1) return null;
    return list[0]!;
  }

  private variantsNamed(name: string): { adt: AdtDef; index: number }[] {
    const all = this.fn.module.variants.get(name) ?? this.defs.prelude?.variants.get(name) ?? [];
    // a type declared twice (already an error) registers variants its surviving definition lacks
    return all.filter((v) => v.adt.variants[v.index] !== undefined);
  }

  /** Instantiate an ADT's params with fresh variables, unified with the expected type when it is that ADT. */
  private freshAdt(def: AdtDef, args: ast.TypeExpr[] | null, expected: Type | null): Type {
    const ty: Type = { k: 'adt', def, args: args ? args.map((a) => this.resolveTy(a)) : def.params.map(() => this.infer.newVar()) };
    if (expected && !mentionsDyn(this.infer.resolve(expected))) {
      const ex = this.shallow(expected);
      if (ex.k === 'adt' && ex.def === def) this.infer.tryUnify(ty, ex);
    }
    return ty;
  }

  /** Resolve `Variant`, `Enum::Variant`, `func`, `CONST`, `Type::func` used as a value. */
  private resolveValuePath(e: Extract<ast.Expr, { kind: 'Path' }>, expected: Type | null): Type {
    const segs = e.segments;
    const names = segs.map((s) => s.name);
    const last = segs[segs.length - 1]!;
    if (segs.length === 1) {
      const b = lookupName(this.defs, this.fn.module, last.name);
      if (b?.k === 'fn') return this.fnValue(e, b.def, last.args, e.span);
      if (b?.k === 'const') {
        this.body.paths.set(e.id, { k: 'const', def: b.def });
        return b.def.ty;
      }
      // an unqualified variant: prefer the one the expected type names
      const vs = this.variantsNamed(last.name);
      if (vs.length) {
        const ex = expected ? this.shallow(expected) : null;
        const pick = vs.find((v) => ex?.k === 'adt' && ex.def === v.adt) ?? (vs.length === 1 ? vs[0] : null);
        if (!pick) {
          this.diags.error('E0659', `\`${last.name}\` is ambiguous: several enums have a variant of that name`, e.span, { notes: ['qualify it: `Enum::Variant`'] });
          return T.error;
        }
        return this.variantValue(e, pick.adt, pick.index, null, expected);
      }
      if (BUILTIN_FUNCTIONS.has(last.name)) {
        this.diags.error('E0423', `built-in function \`${last.name}\` must be called`, e.span);
        return T.error;
      }
      this.diags.error('E0425', `cannot find value \`${last.name}\` in this scope`, e.span, {
        label: 'not found in this scope',
        suggestions: unknownValueSuggestions(this.defs, this.fn.module, this.scopes.flatMap((sc) => [...sc.keys()]), last.name, last.span),
      });
      return T.error;
    }
    // Type::member or module::item
    const owner = segs.slice(0, -1);
    const ob = this.lookupPath(owner.map((s) => s.name), e.span);
    if (ob?.k === 'adt' && ob.def.kind === 'enum') {
      const idx = ob.def.variants.findIndex((v) => v.name === last.name);
      if (idx >= 0) return this.variantValue(e, ob.def, idx, owner[owner.length - 1]!.args, expected);
    }
    if (ob?.k === 'module') {
      const b = this.member(ob.scope, last.name, e.span);
      if (b?.k === 'fn') return this.fnValue(e, b.def, last.args, e.span);
      if (b?.k === 'const') {
        this.body.paths.set(e.id, { k: 'const', def: b.def });
        return b.def.ty;
      }
    }
    // a static method used as a value: Type::func
    const ownerTy = this.typeOfPath(owner);
    const st = ownerTy ? this.staticField(ownerTy, last.name) : null;
    if (st) {
      this.body.paths.set(e.id, { k: 'static', def: st });
      return st.ty;
    }
    if (ownerTy) {
      // an associated constant: `I32::MAX`, `Point::ORIGIN`
      const ac = this.finder.constFor(ownerTy, last.name);
      if (ac) {
        this.body.paths.set(e.id, { k: 'const', def: ac });
        return ac.ty;
      }
      const cands = this.finder.methodsFor(ownerTy, last.name);
      if (cands.length) {
        const c = cands[0]!;
        const m = this.finder.matchImpl(c.match.impl, ownerTy)!;
        const own = c.fn.ownParams.map(() => this.infer.newVar());
        const typeArgs = [...c.match.impl.typeParams.map((p) => m.subst.get(p.id)!), ...own];
        this.body.paths.set(e.id, { k: 'fn', fn: c.fn, typeArgs });
        return this.fnType(c.fn, typeArgs);
      }
      if (this.shallow(ownerTy).k !== 'error') {
        this.diags.error('E0599', `no associated item named \`${last.name}\` found for \`${this.show(ownerTy)}\``, last.span, {
          label: `associated item not found in \`${this.show(ownerTy)}\``,
          suggestions: similarNameSuggestion(last.name, last.span, [['associated function', this.finder.methodNamesFor(ownerTy)]]),
        });
        return T.error;
      }
    }
    // `Vec[I32]::new()`: the owner is a type written as in Rust, or misspelled
    const suggestions = owner.length === 1 && !ownerTy && !ob ? unknownTypeSuggestions(this.defs, this.fn.module, owner[0]!.name, owner[0]!.span, []) : [];
    this.diags.error('E0425', `cannot find value \`${names.join('::')}\` in this scope`, e.span, { label: 'not found', suggestions });
    return T.error;
  }

  /** A static field of a class or its bases, or null. */
  private staticField(t: Type, name: string): StaticDef | null {
    for (let c: Type | null = this.shallow(t); c && isClass(c); c = baseClass(c)) {
      const st = c.def.cls!.statics.find((x) => x.name === name);
      if (st) return st;
    }
    return null;
  }

  /** lookupPath from this function's module, reporting a private item of another module (E0603) at `span`. */
  private lookupPath(names: string[], span: Span): Binding | undefined {
    return lookupPath(this.defs, this.fn.module, names, privacyReporter(this.diags, span));
  }

  /** `module::name` from this function's module, reporting it at `span` when it is private (E0603). */
  private member(target: ModuleScope, name: string, span: Span): Binding | undefined {
    const b = target.names.get(name);
    if (b !== undefined && !isVisible(target, name, this.fn.module)) reportPrivate(this.diags, target, name, b, span);
    return b;
  }

  /** The type named by a path's leading segments (`Point`, `List[I32]`, `Maybe`), or null. */
  private typeOfPath(segs: ast.PathSegment[]): Type | null {
    const lastSeg = segs[segs.length - 1]!;
    if (segs.length === 1) {
      const p = this.ts.params.get(lastSeg.name);
      if (p) return p;
      if (lastSeg.name === 'This' && this.fn.selfType) return this.fn.selfType;
      const prim = primitiveType(lastSeg.name);
      if (prim) return prim;
    }
    const b = this.lookupPath(segs.map((s) => s.name), spanOfPath(segs));
    if (b?.k === 'adt') return this.freshAdt(b.def, lastSeg.args, null);
    if (b?.k === 'alias') return substitute(b.ty, substFor(b.params, (lastSeg.args ?? []).map((a) => this.resolveTy(a))));
    return null;
  }

  private fnValue(e: Extract<ast.Expr, { kind: 'Path' }>, fn: FuncDef, args: ast.TypeExpr[] | null, span: Span): Type {
    const typeArgs = this.instantiate(fn, args, span);
    this.body.paths.set(e.id, { k: 'fn', fn, typeArgs });
    return this.fnType(fn, typeArgs);
  }

  private fnType(fn: FuncDef, typeArgs: Type[]): Type {
    const s = substFor(fn.typeParams, typeArgs);
    const params = fn.params.map((p) => substitute(p.ty, s));
    if (fn.receiver && fn.selfType) {
      const st = substitute(fn.selfType, s);
      params.unshift(receiverType(fn.receiver, st));
    }
    return { k: 'func', params, ret: substitute(fn.ret, s) };
  }

  /** Fresh type arguments for a function's params (explicit ones for its own params when written). */
  private instantiate(fn: FuncDef, explicit: ast.TypeExpr[] | null, span: Span): Type[] {
    const outer = fn.typeParams.length - fn.ownParams.length;
    const args: Type[] = fn.typeParams.slice(0, outer).map(() => this.infer.newVar());
    if (explicit) {
      if (explicit.length !== fn.ownParams.length) {
        this.diags.error('E0107', `function \`${fn.name}\` takes ${fn.ownParams.length} type argument${fn.ownParams.length === 1 ? '' : 's'} but ${explicit.length} were supplied`, span);
      }
      fn.ownParams.forEach((_, i) => args.push(explicit[i] ? this.resolveTy(explicit[i]!) : this.infer.newVar()));
    } else {
      fn.ownParams.forEach(() => args.push(this.infer.newVar()));
    }
    this.addBoundObligations(fn, args, span);
    return args;
  }

  private addBoundObligations(fn: FuncDef, typeArgs: Type[], span: Span): void {
    const s = substFor(fn.typeParams, typeArgs);
    for (const b of fn.bounds) {
      // a method's `This: Behavior` bound is satisfied by the impl that was found
      if (fn.behavior && b.ty === fn.typeParams[0]) continue;
      this.obligations.push({ ty: substitute(b.ty, s), behavior: b.behavior.def, span });
    }
  }

  /** A bound of a generic behavior on a type the arguments determined (`J: Iterator[U]` with `J` a `Counter`)
   * determines the bound's arguments (`U = I32`), from the impl. */
  private inferBoundArgs(fn: FuncDef, typeArgs: Type[]): void {
    const s = substFor(fn.typeParams, typeArgs);
    for (const b of fn.bounds) {
      if (b.behavior.args.length === 0 || (fn.behavior && b.ty === fn.typeParams[0])) continue;
      const t = this.shallow(substitute(b.ty, s));
      if (t.k === 'var' || t.k === 'error') continue;
      const args = t.k === 'param' ? this.finder.boundArgsOf(t, b.behavior.def) : (() => {
        const m = this.finder.findImpl(t, b.behavior.def);
        return m?.impl.behavior ? m.impl.behavior.args.map((a) => substitute(a, m.subst)) : null;
      })();
      if (args) args.forEach((a, i) => b.behavior.args[i] && this.infer.tryUnify(substitute(b.behavior.args[i]!, s), a));
    }
  }

  private variantValue(e: ast.Expr, adt: AdtDef, index: number, args: ast.TypeExpr[] | null, expected: Type | null): Type {
    const ty = this.freshAdt(adt, args, expected);
    const v = adt.variants[index]!;
    if (v.shape === 'unit') {
      this.body.paths.set(e.id, { k: 'variant', ty, index });
      return ty;
    }
    // a tuple variant used as a function value
    this.body.paths.set(e.id, { k: 'ctor', ty, index });
    const s = substFor(adt.params, (ty as Extract<Type, { k: 'adt' }>).args);
    return { k: 'func', params: v.fields.map((f) => substitute(f.ty, s)), ret: ty };
  }

  // ---------- operators ----------

  /** Read through references to copyable values (LANGUAGE.md §3): returns the value type. */
  private derefOperand(e: ast.Expr, t: Type): Type {
    let r = this.shallow(t);
    let n = 0;
    while (r.k === 'ref') {
      r = this.shallow(r.inner);
      n++;
    }
    if (n > 0) this.body.autoDeref.set(e.id, n);
    return n > 0 ? r : t;
  }

  private binary(e: Extract<ast.Expr, { kind: 'Binary' }>, expected: Type | null): Type {
    const op = e.op;
    if (op === 'and' || op === 'or') {
      this.condition(e.left);
      this.condition(e.right);
      return T.bool;
    }
    const isCmp = op === '==' || op === '!=' || op === '<' || op === '>' || op === '<=' || op === '>=';
    const isShift = op === '<<' || op === '>>';
    const lt = this.derefOperand(e.left, this.checkExpr(e.left, isCmp ? null : expected));
    if (isShift) {
      const rt = this.derefOperand(e.right, this.checkExpr(e.right, null));
      const l = this.shallow(lt);
      const r = this.shallow(rt);
      if (!(l.k === 'int' || (l.k === 'var' && l.lit === 'int'))) this.badOperand(op, lt, e.left.span);
      if (!(r.k === 'int' || (r.k === 'var' && r.lit === 'int'))) this.badOperand(op, rt, e.right.span);
      this.body.ops.set(e.id, { k: 'prim' });
      return lt;
    }
    const rt = this.derefOperand(e.right, this.checkExpr(e.right, lt));
    if (!this.infer.unify(lt, rt)) {
      this.diags.error('E0308', `mismatched types: \`${this.show(lt)}\` ${op} \`${this.show(rt)}\``, e.span, {
        label: `expected \`${this.show(lt)}\`, found \`${this.show(rt)}\``,
        notes: ['TML has no implicit numeric conversions: use `as`'],
      });
      return isCmp ? T.bool : T.error;
    }
    const t = this.shallow(lt);
    if (isCmp) {
      const prim = t.k === 'int' || t.k === 'float' || t.k === 'bool' || t.k === 'char' || t.k === 'str' || t.k === 'ptr' || t.k === 'var' || t.k === 'error' || t.k === 'unit';
      if (prim) {
        if (t.k === 'bool' && op !== '==' && op !== '!=') {
          /* Bool ordering is allowed (false < true) */
        }
        this.body.ops.set(e.id, { k: 'prim' });
        return T.bool;
      }
      const eqOnly = op === '==' || op === '!=';
      const bname = eqOnly ? 'Eq' : 'Ord';
      const beh = this.defs.langBehavior(bname)!;
      const call = this.behaviorCall(t, beh, eqOnly ? 'eq' : 'cmp', e.span);
      if (!call) {
        // field-less enums compare by variant (LANGUAGE.md §2.1)
        if (eqOnly && t.k === 'adt' && t.def.kind === 'enum' && t.def.variants.every((v) => v.fields.length === 0)) {
          this.body.ops.set(e.id, { k: 'prim' });
          return T.bool;
        }
        this.diags.error('E0369', `binary operation \`${op}\` cannot be applied to type \`${this.show(t)}\``, e.span, {
          label: `\`${this.show(t)}\` does not implement \`${bname}\``,
          about: [t],
        });
        return T.bool;
      }
      const compare = ({ '==': 'eq', '!=': 'ne', '<': 'lt', '>': 'gt', '<=': 'le', '>=': 'ge' } as const)[op];
      this.body.ops.set(e.id, { k: 'call', call, compare });
      return T.bool;
    }
    // `|`, `&`, `^` on a `@flags` type call its methods (sema/flags.ts)
    const flagsOp = this.flagsOperator(t, op);
    if (flagsOp) {
      this.body.ops.set(e.id, { k: 'call', call: flagsOp, compare: null });
      return lt;
    }
    // arithmetic and bitwise
    const ok =
      t.k === 'int' ||
      t.k === 'var' ||
      t.k === 'error' ||
      (t.k === 'float' && (op === '+' || op === '-' || op === '*' || op === '/' || op === '%')) ||
      (t.k === 'str' && op === '+') ||
      (t.k === 'bool' && (op === '&' || op === '|' || op === '^'));
    if (!ok) this.badOperand(op, lt, e.span);
    this.body.ops.set(e.id, { k: 'prim' });
    // `n + missing` is as erroneous as `missing`: its I32 would only mismatch where the value is used
    return this.shallow(rt).k === 'error' ? T.error : lt;
  }

  /** The method an operator on a value of a `@flags` type calls (`bit_or` for `|`, …), or null. */
  private flagsOperator(t: Type, op: string): CallRes | null {
    const name = FLAGS_OPERATORS[op];
    if (!name || t.k !== 'adt' || !t.def.attrs.has('flags')) return null;
    const fn = this.finder.methodsFor(t, name).find((m) => m.viaBehavior === null)?.fn;
    return fn ? { k: 'fn', fn, typeArgs: [], recv: 'ref' } : null;
  }

  /** E0774: a pattern naming a flag (`Perm::Read`, or a bare `Read` that would otherwise bind everything). */
  private flagsPattern(def: AdtDef, name: string, span: Span): void {
    this.diags.error('E0774', `a value of the \`@flags\` type \`${def.name}\` cannot be matched against \`${name}\``, span, {
      label: 'a set of flags has no variants to match',
      notes: ['compare it with `==` in a guard or an `if`, or test a flag with `.has(…)`'],
    });
  }

  private badOperand(op: string, t: Type, span: Span): void {
    this.diags.error('E0369', `cannot apply \`${op}\` to a value of type \`${this.show(t)}\``, span, { label: `\`${this.show(t)}\` does not support \`${op}\``, about: [t] });
  }

  /** A call of a behavior method on `t` (receiver by reference). */
  private behaviorCall(t: Type, beh: BehaviorDef, method: string, span: Span): CallRes | null {
    if (t.k === 'param') {
      if (!this.finder.implements(t, beh)) return null;
      return { k: 'behavior', behavior: { def: beh, args: [] }, method, selfType: t, methodArgs: [], recv: 'ref' };
    }
    const m = this.finder.findImpl(t, beh);
    if (!m) return null;
    const fn = m.impl.methods.get(method) ?? (beh.methods.get(method) as FuncDef);
    void span;
    if (m.impl.methods.has(method)) return { k: 'fn', fn, typeArgs: m.impl.typeParams.map((p) => m.subst.get(p.id)!), recv: 'ref' };
    return { k: 'behavior', behavior: { def: beh, args: [] }, method, selfType: t, methodArgs: [], recv: 'ref' };
  }

  private unary(e: Extract<ast.Expr, { kind: 'Unary' }>, expected: Type | null): Type {
    switch (e.op) {
      case '-': {
        if (e.operand.kind === 'IntLit') {
          this.negatedLits.add(e.operand.id);
          const t = this.record(e.operand, this.intLit(e.operand, expected, true));
          return t;
        }
        const t = this.derefOperand(e.operand, this.checkExpr(e.operand, expected));
        const s = this.shallow(t);
        if (!(s.k === 'int' && s.signed) && s.k !== 'float' && s.k !== 'var' && s.k !== 'error') this.badOperand('-', t, e.span);
        return t;
      }
      case 'not': {
        const t = this.derefOperand(e.operand, this.checkExpr(e.operand, expected));
        const s = this.shallow(t);
        if (s.k !== 'bool' && s.k !== 'int' && s.k !== 'var' && s.k !== 'error') this.badOperand('not', t, e.span);
        return t;
      }
      case '~': {
        const t = this.derefOperand(e.operand, this.checkExpr(e.operand, expected));
        const s = this.shallow(t);
        const flagsOp = this.flagsOperator(s, '~');
        if (flagsOp) this.body.ops.set(e.id, { k: 'call', call: flagsOp, compare: null });
        else if (s.k !== 'int' && s.k !== 'var' && s.k !== 'error') this.badOperand('~', t, e.span);
        return t;
      }
      case 'ref':
      case 'mutref': {
        const ex = expected ? this.shallow(expected) : null;
        const inner = this.checkExpr(e.operand, ex?.k === 'ref' ? ex.inner : null);
        if (e.op === 'mutref') this.requireMutablePlace(e.operand, 'borrow');
        return { k: 'ref', mutable: e.op === 'mutref', inner };
      }
      case '*': {
        const t = this.shallow(this.checkExpr(e.operand, null));
        if (t.k === 'ref') return t.inner;
        if (t.k === 'ptr') {
          if (!this.lowlevel) this.diags.error('E0133', 'dereference of raw pointer is unsafe and requires a `lowlevel` block', e.span);
          return t.inner;
        }
        if (t.k === 'adt' && t.def.deref) return derefTarget(this.infer.resolve(t)) ?? T.error;
        this.diags.error('E0614', `type \`${this.show(t)}\` cannot be dereferenced`, e.span);
        return T.error;
      }
      case '&': {
        const t = this.checkExpr(e.operand, null);
        if (!this.lowlevel) {
          // Rust's `&x` borrow is TML's `ref x`
          const amp = { ...e.span, end: e.span.start + 1 };
          this.diags.error('E0133', 'taking a raw address with `&` requires a `lowlevel` block', e.span, {
            suggestions: [{ span: amp, replacement: 'ref ', message: 'to borrow it, TML spells this `ref`' }],
          });
          return T.error; // reported: a `ref` was likely meant, so no mismatch with the `*T` is reported after it
        }
        return { k: 'ptr', inner: t };
      }
    }
  }

  /** The root local of a place expression (`a`, `a.b.c`, `a[i]`, `*r`). */
  private placeRoot(e: ast.Expr): { local: LocalVar | null; throughRef: 'mut' | 'shared' | null } {
    switch (e.kind) {
      case 'Path': {
        const r = this.body.paths.get(e.id);
        return { local: r?.k === 'local' ? r.local : null, throughRef: null };
      }
      case 'Field':
      case 'Index': {
        const inner = this.placeRoot(e.object);
        const ot = this.shallow(this.body.exprTypes.get(e.object.id) ?? T.error);
        // a class value is a reference to its object: its fields can be assigned through any binding
        if (e.kind === 'Field' && (isClass(ot) || (ot.k === 'ref' && isClass(this.shallow(ot.inner))))) return { local: inner.local, throughRef: 'mut' };
        if (ot.k === 'ref') return { local: inner.local, throughRef: ot.mutable ? 'mut' : 'shared' };
        if (ot.k === 'ptr') return { local: inner.local, throughRef: 'mut' };
        return inner;
      }
      case 'Unary':
        if (e.op === '*') {
          const ot = this.shallow(this.body.exprTypes.get(e.operand.id) ?? T.error);
          return { local: null, throughRef: ot.k === 'ref' && !ot.mutable ? 'shared' : 'mut' };
        }
        return { local: null, throughRef: null };
      default:
        return { local: null, throughRef: null };
    }
  }

  private requireMutablePlace(e: ast.Expr, what: 'assign' | 'borrow'): void {
    const root = this.placeRoot(e);
    if (root.throughRef === 'mut') return;
    if (root.throughRef === 'shared') {
      this.diags.error('E0594', `cannot ${what === 'assign' ? 'assign to' : 'borrow as mutable'} data behind a \`ref\``, e.span, {
        label: `this is behind a \`ref\`, so it cannot be ${what === 'assign' ? 'assigned' : 'borrowed as mutable'}`,
        notes: ['take a `mut ref` (or use a `mut this` method) to change it'],
      });
      return;
    }
    if (root.local) this.body.mutated.add(root.local);
    // a late-initialised binding is assigned (once: checked on MIR) even when immutable
    if (root.local && !root.local.mutable && !(what === 'assign' && e.kind === 'Path' && root.local.lateInit)) {
      const n = root.local.name;
      if (what === 'assign' && e.kind === 'Path') {
        this.diags.error('E0384', `cannot assign twice to immutable variable \`${n}\``, e.span, {
          label: 'cannot assign twice to immutable variable',
          secondary: [{ span: root.local.span, message: `help: declare it mutable: \`var ${n}\` or \`let mut ${n}\`` }],
        });
      } else {
        this.diags.error('E0596', `cannot ${what === 'assign' ? 'assign to a part of' : 'borrow as mutable'} \`${n}\`, as it is not declared as mutable`, e.span, {
          label: what === 'assign' ? 'cannot assign' : 'cannot borrow as mutable',
          secondary: [{ span: root.local.span, message: `help: declare it mutable: \`var ${n}\` or \`let mut ${n}\`` }],
        });
      }
    }
  }

  private assign(e: Extract<ast.Expr, { kind: 'Assign' }>): Type {
    const isPlace = e.target.kind === 'Path' || e.target.kind === 'Field' || e.target.kind === 'Index' || (e.target.kind === 'Unary' && e.target.op === '*');
    this.unionWrite = e.op === '=' && e.target.kind === 'Field' ? e.target : null;
    const tt = this.checkExpr(e.target, null);
    this.unionWrite = null;
    if (!isPlace) {
      this.diags.error('E0070', 'invalid left-hand side of assignment', e.target.span, { label: 'cannot assign to this expression' });
      this.checkExpr(e.value, null);
      return T.unit;
    }
    if (e.target.kind === 'Path' && !this.body.paths.has(e.target.id) && tt.k === 'error') {
      this.checkExpr(e.value, null);
      return T.unit;
    }
    if (e.target.kind === 'Path' && this.body.paths.get(e.target.id)?.k !== 'local' && this.body.paths.get(e.target.id)?.k !== 'static') {
      this.diags.error('E0070', 'invalid left-hand side of assignment', e.target.span, { label: 'cannot assign to this' });
    }
    this.requireMutablePlace(e.target, 'assign');
    if (e.op === '=') {
      const vt = this.checkExpr(e.value, tt);
      this.coerceExpr(e.value, vt, tt);
      return T.unit;
    }
    const op = e.op.slice(0, -1);
    const target = this.derefOperand(e.target, tt);
    const vt = this.derefOperand(e.value, this.checkExpr(e.value, op === '<<' || op === '>>' ? null : target));
    const t = this.shallow(target);
    if (op !== '<<' && op !== '>>') {
      if (!this.infer.unify(target, vt)) this.mismatch(target, vt, e.value.span);
    }
    // `p |= x` on a `@flags` type: `p = p.bit_or(x)` (sema/flags.ts)
    const flagsOp = this.flagsOperator(t, op);
    if (flagsOp) {
      this.body.ops.set(e.id, { k: 'call', call: flagsOp, compare: null });
      return T.unit;
    }
    const ok = t.k === 'int' || t.k === 'var' || t.k === 'error' || (t.k === 'float' && '+-*/%'.includes(op)) || (t.k === 'str' && op === '+') || (t.k === 'bool' && '&|^'.includes(op));
    if (!ok) this.badOperand(e.op, target, e.span);
    return T.unit;
  }

  // ---------- calls ----------

  /** `definedAt`: the callee's declaration, labelled on a wrong argument count (none for the standard library's). */
  private checkArgs(params: Type[], args: ast.Expr[], span: Span, what: string, definedAt: Label | null = null): void {
    if (params.length !== args.length) {
      this.diags.error('E0061', `${what} takes ${params.length} argument${params.length === 1 ? '' : 's'} but ${args.length} ${args.length === 1 ? 'was' : 'were'} supplied`, span, {
        label: `expected ${params.length} argument${params.length === 1 ? '' : 's'}`,
        secondary: definedAt === null ? [] : [definedAt],
      });
    }
    args.forEach((a, i) => {
      const p = params[i];
      const t = this.checkExpr(a, p ?? null);
      if (p) this.coerceArg(a, t, p);
    });
  }

  /** Argument coercion: like `coerce`, plus auto-deref of `ref` copyables where a value is expected. */
  private coerceArg(a: ast.Expr, t: Type, p: Type): void {
    const st = this.shallow(t);
    const sp = this.shallow(p);
    if (st.k === 'ref' && sp.k !== 'ref' && sp.k !== 'var' && this.infer.tryUnify(st.inner, sp)) {
      this.body.autoDeref.set(a.id, 1);
      return;
    }
    this.coerceExpr(a, t, p);
  }

  private call(e: Extract<ast.Expr, { kind: 'Call' }>, expected: Type | null): Type {
    const callee = e.callee;
    if (callee.kind === 'Path') {
      const segs = callee.segments;
      const first = segs[0]!;
      // a local of func type shadows everything
      const local = segs.length === 1 && !first.args ? this.lookupLocal(first.name) : null;
      if (!local) {
        if (segs.length === 1 && BUILTIN_FUNCTIONS.has(first.name)) {
          const b = lookupName(this.defs, this.fn.module, first.name);
          if (!b) return this.builtinCall(e, first.name, first.args, expected);
        }
        const r = this.staticCall(e, expected);
        if (r) return r;
      }
    }
    const ct = this.shallow(this.checkExpr(callee, null));
    if (ct.k === 'func') {
      this.body.calls.set(e.id, { k: 'closure' });
      this.checkArgs([...ct.params], e.args, e.span, 'this function');
      return ct.ret;
    }
    this.diags.error('E0618', `expected function, found \`${this.show(ct)}\``, callee.span, { label: 'call expression requires a function' });
    for (const a of e.args) this.checkExpr(a, null);
    return T.error;
  }

  /** Calls of named functions, variant constructors and `Type::func`; null when the callee is a value. */
  private staticCall(e: Extract<ast.Expr, { kind: 'Call' }>, expected: Type | null): Type | null {
    const callee = e.callee as Extract<ast.Expr, { kind: 'Path' }>;
    const segs = callee.segments;
    const last = segs[segs.length - 1]!;
    let fnDef: FuncDef | null = null;
    let variant: { adt: AdtDef; index: number; args: ast.TypeExpr[] | null } | null = null;
    let typeRel: { ty: Type; name: string } | null = null;
    if (segs.length === 1) {
      const b = lookupName(this.defs, this.fn.module, last.name);
      if (b?.k === 'fn') fnDef = b.def;
      else if (!b) {
        const vs = this.variantsNamed(last.name);
        const ex = expected ? this.shallow(expected) : null;
        const pick = vs.find((v) => ex?.k === 'adt' && ex.def === v.adt) ?? (vs.length === 1 ? vs[0] : undefined);
        if (pick) variant = { adt: pick.adt, index: pick.index, args: null };
        else if (vs.length > 1) {
          this.diags.error('E0659', `\`${last.name}\` is ambiguous: several enums have a variant of that name`, callee.span, { notes: ['qualify it: `Enum::Variant`'] });
          for (const a of e.args) this.checkExpr(a, null);
          return T.error;
        }
      } else return null;
    } else {
      const owner = segs.slice(0, -1);
      const ob = this.lookupPath(owner.map((s) => s.name), callee.span);
      if (ob?.k === 'module') {
        const b = this.member(ob.scope, last.name, callee.span);
        if (b?.k === 'fn') fnDef = b.def;
      } else if (ob?.k === 'adt' && ob.def.kind === 'enum' && ob.def.variants.some((v) => v.name === last.name)) {
        variant = { adt: ob.def, index: ob.def.variants.findIndex((v) => v.name === last.name), args: owner[owner.length - 1]!.args };
      } else {
        const ty = this.typeOfPath(owner);
        if (ty) typeRel = { ty, name: last.name };
      }
    }
    if (variant) {
      const v = variant.adt.variants[variant.index]!;
      const ty = this.freshAdt(variant.adt, variant.args, expected);
      if (v.shape !== 'tuple') {
        this.diags.error('E0618', `\`${v.name}\` is not a tuple variant and cannot be called`, callee.span);
        for (const a of e.args) this.checkExpr(a, null);
        return ty;
      }
      const s = substFor(variant.adt.params, (ty as Extract<Type, { k: 'adt' }>).args);
      this.body.calls.set(e.id, { k: 'variant', ty, index: variant.index });
      this.record(callee, T.unit);
      const libraryVariant = [...this.defs.modules.values()].some((m) => m.isStd && m.file === v.span.file);
      const variantSite = libraryVariant ? null : { span: v.span, message: 'variant defined here' };
      this.checkArgs(v.fields.map((f) => substitute(f.ty, s)), e.args, e.span, `variant \`${v.name}\``, variantSite);
      return ty;
    }
    if (typeRel && typeRel.name === 'new' && isClass(this.shallow(typeRel.ty))) return this.newCall(e, this.shallow(typeRel.ty) as Extract<Type, { k: 'adt' }>);
    if (typeRel) {
      const cands = this.finder.methodsFor(typeRel.ty, typeRel.name);
      const target = this.shallow(typeRel.ty);
      if (cands.length === 0 && (typeRel.name === 'from' || typeRel.name === 'try_from') && (target.k === 'int' || target.k === 'float')) {
        return this.numConversion(e, target, typeRel.name);
      }
      if (cands.length === 0) {
        const viaBehavior = this.behaviorStaticCall(e, typeRel.ty, typeRel.name, expected);
        if (viaBehavior) return viaBehavior;
        // a type parameter lacking the bound whose static method this is: say which
        const rt = this.shallow(typeRel.ty);
        const having = rt.k === 'param' ? this.defs.behaviors.filter((b) => (b.methods.get(typeRel!.name) as FuncDef | undefined)?.receiver === null) : [];
        this.diags.error('E0599', `no function or associated item named \`${typeRel.name}\` found for \`${this.show(typeRel.ty)}\``, last.span, {
          label: `associated item not found in \`${this.show(typeRel.ty)}\``,
          notes: having.length ? [`\`${typeRel.name}\` is a function of ${having.map((b) => `\`${b.name}\``).join(', ')}: add the bound \`${this.show(typeRel.ty)}: ${having[0]!.name}\``] : [],
          suggestions: having.length ? [] : similarNameSuggestion(typeRel.name, last.span, [['associated function', this.finder.methodNamesFor(typeRel.ty)]]),
        });
        for (const a of e.args) this.checkExpr(a, null);
        return T.error;
      }
      const c = cands[0]!;
      const m = this.finder.matchImpl(c.match.impl, typeRel.ty)!;
      const implArgs = c.match.impl.typeParams.map((p) => m.subst.get(p.id)!);
      let typeArgs: Type[];
      if (c.fn.behavior) {
        // a default method of a behavior called through the type: `This` is the type
        typeArgs = [typeRel.ty, ...c.fn.typeParams.slice(1).map(() => this.infer.newVar())];
      } else {
        typeArgs = [...implArgs, ...c.fn.ownParams.map(() => this.infer.newVar())];
        if (last.args) c.fn.ownParams.forEach((_, i) => last.args![i] && this.infer.unify(typeArgs[implArgs.length + i]!, this.resolveTy(last.args![i]!)));
      }
      this.addBoundObligations(c.fn, typeArgs, e.span);
      return this.finishFnCall(e, c.fn, typeArgs, e.args, null, expected);
    }
    if (!fnDef) return null;
    const typeArgs = this.instantiate(fnDef, last.args, callee.span);
    return this.finishFnCall(e, fnDef, typeArgs, e.args, null, expected);
  }

  /** `T::f(…)` for a static method `f` of a bound of the type parameter `T` (`T::default()` with `T: Default`),
   * and `I64::default()` (primitives implement `Default` built in): resolved at instantiation, like `x.f()`. */
  private behaviorStaticCall(e: Extract<ast.Expr, { kind: 'Call' }>, ty: Type, name: string, expected: Type | null): Type | null {
    const t = this.shallow(ty);
    const dflt = this.defs.langBehavior('Default');
    const behaviors = t.k === 'param' ? this.finder.boundsOf(t) : isPrimitive(t) && name === 'default' && dflt ? [dflt] : [];
    for (const b of behaviors) {
      const found = this.findBehaviorMethod(b, name);
      if (!found || found.fn.receiver !== null) continue;
      const fn = found.fn;
      const typeArgs = [t, ...fn.typeParams.slice(1).map(() => this.infer.newVar())];
      this.bindBehaviorArgs(t, found.def, typeArgs);
      const own = typeArgs.slice(fn.typeParams.length - fn.ownParams.length);
      const sub = substFor(fn.typeParams, typeArgs);
      const ret = substitute(fn.ret, sub);
      if (expected) this.infer.tryUnify(ret, expected);
      this.body.calls.set(e.id, { k: 'behavior', behavior: { def: found.def, args: [] }, method: name, selfType: t, methodArgs: own, recv: null });
      this.checkArgs(fn.params.map((p) => substitute(p.ty, sub)), e.args, e.span, `function \`${fn.name}\``, definedHere(fn, 'function'));
      return ret;
    }
    return null;
  }

  /** `I64::from(x)` (a lossless conversion between numbers, Bool or Char) and `U8::try_from(x)` (an integer
   * conversion that checks the range: `Outcome[U8, TryFromIntError]`); built in, no library impls. */
  private numConversion(e: Extract<ast.Expr, { kind: 'Call' }>, target: Extract<Type, { k: 'int' } | { k: 'float' }>, name: 'from' | 'try_from'): Type {
    this.record(e.callee, T.unit);
    const tn = this.show(target);
    const err = this.defs.langAdt('TryFromIntError');
    const ret: Type = name === 'from' ? target : { k: 'adt', def: this.defs.langAdt('Outcome'), args: [target, { k: 'adt', def: err, args: [] }] };
    if (name === 'try_from' && target.k !== 'int') {
      this.diags.error('E0599', `no function or associated item named \`try_from\` found for \`${tn}\``, e.callee.span, { notes: ['`try_from` converts between integer types'] });
      for (const a of e.args) this.checkExpr(a, null);
      return T.error;
    }
    if (e.args.length !== 1) {
      this.diags.error('E0061', `\`${tn}::${name}\` takes 1 argument but ${e.args.length} were supplied`, e.span);
      for (const a of e.args) this.checkExpr(a, null);
      return ret;
    }
    const arg = e.args[0]!;
    let src = this.shallow(this.derefOperand(arg, this.checkExpr(arg, null)));
    // an unsuffixed literal: the target itself for `from`, I64 for `try_from` (so `U8::try_from(300)` is checked)
    if (src.k === 'var' && src.lit) {
      this.infer.unify(src, name === 'from' || src.lit === 'float' ? target : T.i64);
      src = this.shallow(src);
    }
    if (src.k === 'error') return ret;
    const ok = name === 'from' ? losslessInto(src, target) : src.k === 'int';
    if (!ok) {
      const sn = this.show(src);
      this.diags.error('E0277', name === 'from' ? `\`${tn}::from\` takes no \`${sn}\`: the conversion could lose information` : `\`${tn}::try_from\` converts integers, not \`${sn}\``, arg.span, {
        label: name === 'from' ? `not every \`${sn}\` is a \`${tn}\`` : undefined,
        notes: name === 'from' && (src.k === 'int' || src.k === 'float') ? [src.k === 'int' && target.k === 'int' ? `use \`${tn}::try_from(x)\` (an \`Outcome\`) or \`x as ${tn}\` (truncating)` : `use \`x as ${tn}\``] : [],
      });
      return ret;
    }
    this.body.calls.set(e.id, { k: 'builtin', name: name === 'from' ? 'num_from' : 'num_try_from', recv: null, typeArgs: [target, src] });
    return ret;
  }

  /** `Class::new(args)`: the constructor taking that many arguments. */
  private newCall(e: Extract<ast.Expr, { kind: 'Call' }>, ty: Extract<Type, { k: 'adt' }>): Type {
    const cls = ty.def.cls!;
    const fn = (cls.ctors as FuncDef[]).find((c) => c.params.length === e.args.length);
    if (cls.isAbstract) this.diags.error('E0717', `cannot instantiate abstract class \`${ty.def.name}\``, e.span, { notes: ['create an instance of a concrete class derived from it'] });
    if (!fn) {
      const have = (cls.ctors as FuncDef[]).map((c) => c.params.length).sort();
      this.diags.error('E0061', `no constructor of \`${ty.def.name}\` takes ${e.args.length} argument${e.args.length === 1 ? '' : 's'}`, e.span, {
        secondary: (cls.ctors as FuncDef[]).flatMap((c) => definedHere(c, 'constructor') ?? []),
        notes: [have.length ? `constructors take ${have.join(' or ')} argument(s)` : `\`${ty.def.name}\` declares no constructor: use a class literal \`${ty.def.name} { … }\``],
      });
      for (const a of e.args) this.checkExpr(a, null);
      return ty;
    }
    const s = substFor(fn.typeParams, ty.args);
    this.body.calls.set(e.id, { k: 'new', fn, typeArgs: [...ty.args] });
    this.record(e.callee, T.unit);
    this.checkArgs(fn.params.map((p) => substitute(p.ty, s)), e.args, e.span, `\`${ty.def.name}\`'s constructor`, definedHere(fn, 'constructor'));
    if (fn.ctor!.failure) return { k: 'adt', def: this.defs.langAdt('Outcome'), args: [ty, substitute(fn.ctor!.failure, s)] };
    return ty;
  }

  private finishFnCall(e: ast.Expr, fn: FuncDef, typeArgs: Type[], args: ast.Expr[], recv: Adjust | null, expected: Type | null): Type {
    if (fn.externSymbol && !this.lowlevel && !fn.isLowlevel) {
      /* calling an external C function is allowed anywhere; its declaration was marked lowlevel */
    }
    const s = substFor(fn.typeParams, typeArgs);
    const ret = substitute(fn.ret, s);
    if (expected && !mentionsDyn(this.infer.resolve(expected))) this.infer.tryUnify(ret, expected);
    let params = fn.params.map((p) => substitute(p.ty, s));
    if (recv === null && fn.receiver && fn.selfType) {
      // `Type::method(x, …)`: the receiver is the first argument
      const st = substitute(fn.selfType, s);
      params = [receiverType(fn.receiver, st), ...params];
    }
    this.body.calls.set(e.id, { k: 'fn', fn, typeArgs, recv });
    this.blockingInAsync(fn, e.span);
    this.copyOut(fn, typeArgs, e.span);
    this.checkArgs(params, args, e.span, `function \`${fn.name}\``, definedHere(fn, 'function'));
    return ret;
  }

  private builtinCall(e: Extract<ast.Expr, { kind: 'Call' }>, name: string, targs: ast.TypeExpr[] | null, expected: Type | null): Type {
    const typeArgs = (targs ?? []).map((t) => this.resolveTy(t));
    this.body.calls.set(e.id, { k: 'builtin', name, recv: null, typeArgs });
    this.record(e.callee, T.unit);
    const args = e.args;
    const arity = (n: number, m = n) => {
      if (args.length < n || args.length > m) {
        this.diags.error('E0061', `\`${name}\` takes ${n === m ? n : `${n} to ${m}`} argument${m === 1 ? '' : 's'} but ${args.length} ${args.length === 1 ? 'was' : 'were'} supplied`, e.span);
      }
    };
    if (LOWLEVEL_FUNCTIONS.has(name) && !this.lowlevel) {
      this.diags.error('E0133', `call to \`${name}\` requires a \`lowlevel\` block`, e.span, { label: 'raw memory is only available inside `lowlevel`' });
    }
    const ptrU = { k: 'ptr', inner: T.unit } as Type;
    const anyPtr = (a: ast.Expr) => {
      const t = this.shallow(this.checkExpr(a, ptrU));
      if (t.k !== 'ptr' && t.k !== 'error') this.mismatch(ptrU, t, a.span);
    };
    switch (name) {
      case 'print':
      case 'println':
      case 'eprint':
      case 'eprintln':
      case 'format': {
        if (name.endsWith('ln')) arity(0, 99);
        else arity(1, 99);
        const ret = name === 'format' ? T.str : T.unit;
        // print(x) / println(x) print one value; with more arguments (and always for `format`) the first is a format
        if (args.length > 1 || (name === 'format' && args.length === 1)) this.formatCall(e, args);
        else for (const a of args) this.display(a, this.checkExpr(a, null));
        return ret;
      }
      case 'panic':
        arity(1);
        if (args[0]) this.coerce(this.checkExpr(args[0], T.str), T.str, args[0].span);
        return T.never;
      case 'assert':
        arity(1, 2);
        if (args[0]) this.coerce(this.checkExpr(args[0], T.bool), T.bool, args[0].span);
        if (args[1]) this.coerce(this.checkExpr(args[1], T.str), T.str, args[1].span);
        return T.unit;
      case 'assert_eq':
      case 'assert_ne': {
        arity(2, 3);
        if (args.length < 2) return T.unit;
        const a = this.derefOperand(args[0]!, this.checkExpr(args[0]!, null));
        const b = this.derefOperand(args[1]!, this.checkExpr(args[1]!, a));
        if (!this.infer.unify(a, b)) this.mismatch(a, b, args[1]!.span);
        if (args[2]) this.coerce(this.checkExpr(args[2], T.str), T.str, args[2].span);
        const t = this.shallow(a);
        if (!isPrimitive(t) && t.k !== 'var') {
          const eq = this.defs.langBehavior('Eq')!;
          const call = this.behaviorCall(t, eq, 'eq', e.span);
          if (!call) this.notImplemented(t, eq, e.span);
          else this.body.ops.set(e.id, { k: 'call', call, compare: name === 'assert_eq' ? 'eq' : 'ne' });
        } else this.body.ops.set(e.id, { k: 'prim' });
        this.display(args[0]!, a);
        this.display(args[1]!, b);
        return T.unit;
      }
      case 'size_of':
      case 'align_of':
      case 'type_name':
      case 'needs_drop':
        arity(0);
        if (typeArgs.length !== 1) this.diags.error('E0107', `\`${name}\` takes one type argument: \`${name}[T]()\``, e.span);
        return name === 'type_name' ? T.str : name === 'needs_drop' ? T.bool : T.i64;
      case 'alloc':
      case 'alloc_zeroed':
        arity(1);
        if (args[0]) this.coerce(this.checkExpr(args[0], T.i64), T.i64, args[0].span);
        return ptrU;
      case 'realloc':
        arity(2);
        if (args[0]) anyPtr(args[0]);
        if (args[1]) this.coerce(this.checkExpr(args[1], T.i64), T.i64, args[1].span);
        return ptrU;
      case 'free':
      case 'dealloc':
        arity(1);
        if (args[0]) anyPtr(args[0]);
        return T.unit;
      case 'mem_copy':
      case 'mem_move':
        arity(3);
        if (args[0]) anyPtr(args[0]);
        if (args[1]) anyPtr(args[1]);
        if (args[2]) this.coerce(this.checkExpr(args[2], T.i64), T.i64, args[2].span);
        return T.unit;
      case 'mem_set':
        arity(3);
        if (args[0]) anyPtr(args[0]);
        if (args[1]) this.coerce(this.checkExpr(args[1], T.u8), T.u8, args[1].span);
        if (args[2]) this.coerce(this.checkExpr(args[2], T.i64), T.i64, args[2].span);
        return T.unit;
      case 'mem_compare':
        arity(3);
        if (args[0]) anyPtr(args[0]);
        if (args[1]) anyPtr(args[1]);
        if (args[2]) this.coerce(this.checkExpr(args[2], T.i64), T.i64, args[2].span);
        return T.i32;
      case 'exit':
        arity(1);
        if (args[0]) this.coerce(this.checkExpr(args[0], T.i32), T.i32, args[0].span);
        return T.never;
      case 'env':
        arity(1);
        if (args[0]) this.coerce(this.checkExpr(args[0], T.str), T.str, args[0].span);
        return this.maybeOf(T.str);
      case 'read_line':
        arity(0);
        return this.maybeOf(T.str);
      case 'read_file':
        arity(1);
        if (args[0]) this.coerce(this.checkExpr(args[0], T.str), T.str, args[0].span);
        return { k: 'adt', def: this.defs.langAdt('Outcome'), args: [T.str, T.str] };
      case 'write_file':
        arity(2);
        if (args[0]) this.coerce(this.checkExpr(args[0], T.str), T.str, args[0].span);
        if (args[1]) this.coerce(this.checkExpr(args[1], T.str), T.str, args[1].span);
        return { k: 'adt', def: this.defs.langAdt('Outcome'), args: [T.unit, T.str] };
      case 'clock_ns':
        arity(0);
        return T.i64;
      case 'alloc_for':
        arity(1);
        if (typeArgs.length !== 1) this.diags.error('E0107', '`alloc_for` takes one type argument: `alloc_for[T](bytes)`', e.span);
        if (args[0]) this.coerce(this.checkExpr(args[0], T.i64), T.i64, args[0].span);
        return ptrU;
      case 'realloc_for':
        arity(2);
        if (typeArgs.length !== 1) this.diags.error('E0107', '`realloc_for` takes one type argument: `realloc_for[T](p, bytes)`', e.span);
        if (args[0]) anyPtr(args[0]);
        if (args[1]) this.coerce(this.checkExpr(args[1], T.i64), T.i64, args[1].span);
        return ptrU;
      case 'drop_in_place':
        arity(1);
        if (args[0]) anyPtr(args[0]);
        return T.unit;
      case 'copy_out': {
        arity(1);
        const pt = args[0] ? this.shallow(this.checkExpr(args[0], null)) : T.error;
        if (pt.k !== 'ptr') {
          this.diags.error('E0308', `\`copy_out\` takes a raw pointer, not \`${this.show(pt)}\``, e.span);
          return T.error;
        }
        return pt.inner;
      }
      case 'forget':
        arity(1);
        if (args[0]) this.checkExpr(args[0], null);
        return T.unit;
      case 'spawn': {
        // spawn(f, a1, …, an): the arguments are checked like the call f(a1, …, an), and must be Send
        if (args.length === 0) {
          arity(1, Infinity);
          return T.error;
        }
        const ft = this.shallow(this.checkExpr(args[0]!, null));
        if (ft.k !== 'func') {
          this.diags.error('E0618', `\`spawn\` runs a function, not \`${this.show(ft)}\``, args[0]!.span);
          for (const a of args.slice(1)) this.checkExpr(a, null);
          return T.error;
        }
        this.checkArgs([...ft.params], args.slice(1), e.span, 'the spawned function');
        // the function value itself crosses (a closure with its captures), then its arguments; its result comes back
        for (const a of args) this.sendChecks.push({ e: a });
        // an async function (its result a Future[R]) runs as a task on the executor and gives a Task[R]
        const fr = this.shallow(ft.ret);
        const result = fr.k === 'adt' && fr.def === this.defs.langAdt('Future') ? fr.args[0]! : ft.ret;
        this.sendChecks.push({ e: args[0]!, result });
        this.body.calls.set(e.id, { k: 'builtin', name, recv: null, typeArgs: [ft] });
        return { k: 'adt', def: this.defs.langAdt('Task'), args: [result] };
      }
      case 'describe_value': {
        // library helper: Display when the type has it, else its type name
        arity(1);
        const t = args[0] ? this.checkExpr(args[0], null) : T.error;
        void t;
        return T.str;
      }
    }
    void expected;
    return T.error;
  }

  // ---------- methods ----------

  private methodCall(e: Extract<ast.Expr, { kind: 'MethodCall' }>, expected: Type | null): Type {
    if (e.receiver.kind === 'Path' && e.receiver.segments.length === 1 && e.receiver.segments[0]!.name === 'base') return this.baseMethodCall(e, expected);
    const rt = this.checkExpr(e.receiver, null);
    let t = this.shallow(rt);
    if (t.k === 'error') {
      for (const a of e.args) this.checkExpr(a, null);
      return T.error;
    }
    // try the receiver's type, then what it dereferences to (references, Heap, Shared, …), nearest first
    let derefs = 0;
    const through: ('ref' | 'mutref' | 'ptr')[] = [];
    for (;;) {
      if (t.k === 'var' && !t.lit) {
        this.diags.error('E0282', 'type annotations needed', e.receiver.span, { label: 'the type of this value must be known to call a method on it' });
        for (const a of e.args) this.checkExpr(a, null);
        return T.error;
      }
      if (t.k !== 'ref') {
        const r = this.methodOn(e, t, derefs, through, expected);
        if (r) return r;
      }
      const next = t.k === 'ref' ? t.inner : t.k === 'adt' ? derefTarget(this.infer.resolve(t)) : null;
      if (!next || derefs > 8) break;
      through.push(t.k === 'ref' ? (t.mutable ? 'mutref' : 'ref') : 'ptr');
      t = this.shallow(next);
      derefs++;
    }
    const shown = this.shallow(rt).k === 'ref' ? this.shallow((this.shallow(rt) as { inner: Type }).inner) : this.shallow(rt);
    this.diags.error('E0599', `no method named \`${e.name}\` found for \`${this.show(shown)}\``, e.nameSpan, {
      label: `method not found in \`${this.show(shown)}\``,
      about: [shown],
      suggestions: similarNameSuggestion(e.name, e.nameSpan, [['method', this.finder.methodNamesFor(shown)]]),
    });
    for (const a of e.args) this.checkExpr(a, null);
    return T.error;
  }

  /** `base.method(…)`: the base class's version, called statically with `this`. */
  private baseMethodCall(e: Extract<ast.Expr, { kind: 'MethodCall' }>, expected: Type | null): Type {
    const self = this.lookupLocal('this');
    const st = this.fn.selfType ? this.shallow(this.fn.selfType) : null;
    const base = st && isClass(st) ? baseClass(st) : null;
    const found = base ? findMethod(base.def, e.name) : null;
    if (!self || !base || !found || !found.fn.receiver || found.abstract) {
      this.diags.error('E0719', !base ? '`base` is only available in methods of a derived class' : `no method \`${e.name}\` with a body in the base classes of \`${st && st.k === 'adt' ? st.def.name : '?'}\``, e.receiver.span);
      for (const a of e.args) this.checkExpr(a, null);
      return T.error;
    }
    this.body.paths.set(e.receiver.id, { k: 'local', local: self });
    this.record(e.receiver, self.ty);
    const owner = ancestorOf(base, found.owner)!;
    const typeArgs = [...owner.args, ...found.fn.ownParams.map(() => this.infer.newVar())];
    this.body.calls.set(e.id, { k: 'fn', fn: found.fn, typeArgs, recv: 'borrow' });
    return this.checkMethodArgs(e, found.fn, typeArgs, expected);
  }

  /** Methods of classes (own or inherited; virtual ones through the vtable) and of interface values. */
  private classMethod(e: Extract<ast.Expr, { kind: 'MethodCall' }>, t: Extract<Type, { k: 'adt' }>, derefs: number, through: ('ref' | 'mutref' | 'ptr')[], expected: Type | null): Type | null {
    if (t.def.kind === 'interface') {
      const slots = interfaceSlots(t.def);
      const i = slots.findIndex((m) => m.name === e.name);
      if (i < 0) return null;
      const fn = slots[i]!.fn;
      const recv = this.receiverAdjust(fn.receiver, derefs, through, t, e);
      this.body.calls.set(e.id, { k: 'iface', fn, iface: t.def, slot: i + 2, recv });
      return this.checkMethodArgs(e, fn, [...t.args], expected);
    }
    const found = findMethod(t.def, e.name);
    if (!found) return null;
    const fn = found.fn;
    if (fn.receiver === null) {
      this.diags.error('E0599', `\`${e.name}\` is a static method, not a method of an instance`, e.nameSpan, { notes: [`call it as \`${t.def.name}::${e.name}(…)\``] });
      for (const a of e.args) this.checkExpr(a, null);
      return T.error;
    }
    const owner = ancestorOf(t, found.owner)!;
    const own = fn.ownParams.map(() => this.infer.newVar());
    if (e.typeArgs) e.typeArgs.forEach((ta, i) => own[i] && this.infer.unify(own[i]!, this.resolveTy(ta)));
    const typeArgs = [...owner.args, ...own];
    this.addBoundObligations(fn, typeArgs, e.span);
    const recv = this.receiverAdjust(fn.receiver, derefs, through, t, e);
    if (found.virtual) this.body.calls.set(e.id, { k: 'virtual', fn, typeArgs, recv, slot: allVirtuals(t.def).indexOf(e.name) + 2 });
    else this.body.calls.set(e.id, { k: 'fn', fn, typeArgs, recv });
    return this.checkMethodArgs(e, fn, typeArgs, expected);
  }

  /** A method named e.name on exactly type t (reached after `derefs` dereferences), or null. */
  private methodOn(e: Extract<ast.Expr, { kind: 'MethodCall' }>, t: Type, derefs: number, through: ('ref' | 'mutref' | 'ptr')[], expected: Type | null): Type | null {
    const viaRef = derefs > 0 ? { mutable: !through.includes('ref') } : null;
    const bm = this.builtinMethod(e, t, viaRef, derefs);
    if (bm) return bm;
    if (t.k === 'adt' && (t.def.kind === 'class' || t.def.kind === 'interface')) {
      const r = this.classMethod(e, t, derefs, through, expected);
      if (r) return r;
    }
    const cands = t.k === 'param' || t.k === 'dyn' ? [] : this.finder.methodsFor(t, e.name);
    // an unsuffixed literal (`5.f()`) whose impls are on several numeric types: which one is meant is unknowable here
    // (the literal's type may be fixed only by a later use), so no impl is picked (docs/decisions.md)
    if (t.k === 'var' && t.lit && cands.length > 1) {
      const types = [...new Set(cands.map((c) => typeToString(c.match.impl.target)))];
      this.diags.error('E0689', `can't call method \`${e.name}\` on ambiguous numeric type \`${this.show(t)}\``, e.nameSpan, {
        label: `\`${e.name}\` is defined for ${types.map((x) => `\`${x}\``).join(', ')}`,
        notes: [e.receiver.kind === 'IntLit' || e.receiver.kind === 'FloatLit' ? `give the literal a type with a suffix: \`${String(e.receiver.value)}${types[0]!.toLowerCase()}\`` : `give the value a type: \`let x: ${types[0]!} = …\``],
      });
      for (const a of e.args) this.checkExpr(a, null);
      return T.error;
    }
    const inherent = cands.filter((c) => c.viaBehavior === null);
    const pick = inherent[0] ?? cands[0];
    if (pick) {
      const fn = pick.fn;
      if (fn.receiver === null) {
        this.diags.error('E0599', `\`${e.name}\` is an associated function, not a method`, e.nameSpan, { notes: [`call it as \`${this.show(t)}::${e.name}(…)\``] });
        for (const a of e.args) this.checkExpr(a, null);
        return T.error;
      }
      const m = this.finder.matchImpl(pick.match.impl, t)!;
      const implArgs = pick.match.impl.typeParams.map((p) => m.subst.get(p.id)!);
      const recv = this.receiverAdjust(fn.receiver, derefs, through, t, e);
      if (fn.behavior) {
        const typeArgs = [t, ...fn.typeParams.slice(1).map(() => this.infer.newVar())];
        // a default method of a generic behavior: its params are the impl's arguments (`impl Iterator[I32] for C`)
        const ib = pick.match.impl.behavior;
        if (ib && ib.def === fn.behavior) ib.args.forEach((a, i) => this.infer.tryUnify(typeArgs[1 + i]!, substitute(a, m.subst)));
        const own = typeArgs.slice(fn.typeParams.length - fn.ownParams.length);
        this.body.calls.set(e.id, { k: 'behavior', behavior: { def: fn.behavior, args: [] }, method: e.name, selfType: t, methodArgs: own, recv });
        const ret = this.checkMethodArgs(e, fn, typeArgs, expected);
        this.addBoundObligations(fn, typeArgs, e.span);
        this.inferBoundArgs(fn, typeArgs);
        return ret;
      }
      const own = fn.ownParams.map(() => this.infer.newVar());
      if (e.typeArgs) e.typeArgs.forEach((ta, i) => own[i] && this.infer.unify(own[i]!, this.resolveTy(ta)));
      const typeArgs = [...implArgs, ...own];
      this.addBoundObligations(fn, typeArgs, e.span);
      this.body.calls.set(e.id, { k: 'fn', fn, typeArgs, recv });
      this.copyOut(fn, typeArgs, e.span);
      return this.checkMethodArgs(e, fn, typeArgs, expected);
    }
    if (t.k === 'array') return this.arrayViewMethod(e, t, derefs, expected);
    if (t.k === 'param' || t.k === 'dyn') {
      const behaviors = t.k === 'param' ? this.finder.boundsOf(t) : [t.behavior];
      for (const b of behaviors) {
        const found = this.findBehaviorMethod(b, e.name);
        if (!found) continue;
        const fn = found.fn;
        const recv = this.receiverAdjust(fn.receiver, derefs, through, t, e);
        const typeArgs = [t, ...fn.typeParams.slice(1).map(() => this.infer.newVar())];
        this.bindBehaviorArgs(t, found.def, typeArgs);
        const own = typeArgs.slice(fn.typeParams.length - fn.ownParams.length);
        if (t.k === 'dyn') this.body.calls.set(e.id, { k: 'dyn', behavior: { def: found.def, args: [] }, method: e.name, recv });
        else this.body.calls.set(e.id, { k: 'behavior', behavior: { def: found.def, args: [] }, method: e.name, selfType: t, methodArgs: own, recv });
        const ret = this.checkMethodArgs(e, fn, typeArgs, expected);
        this.inferBoundArgs(fn, typeArgs);
        return ret;
      }
    }
    return null;
  }

  /** A method of a fixed array other than `len`/`debug_string`: one of `ArrayView[T]`'s (stdlib/core/array.tml),
   * called with the view of the array place as its by-value receiver (Adjust `view`), or null. */
  private arrayViewMethod(e: Extract<ast.Expr, { kind: 'MethodCall' }>, t: Extract<Type, { k: 'array' }>, derefs: number, expected: Type | null): Type | null {
    const def = this.defs.lang.get('ArrayView');
    if (!def || !('kind' in def)) return null;
    const view: Type = { k: 'adt', def, args: [t.elem] };
    const pick = this.finder.methodsFor(view, e.name).find((c) => c.viaBehavior === null && c.fn.receiver === 'value' && c.fn.decl?.isPub === true);
    if (!pick) return null;
    const fn = pick.fn;
    const m = this.finder.matchImpl(pick.match.impl, view)!;
    const own = fn.ownParams.map(() => this.infer.newVar());
    if (e.typeArgs) e.typeArgs.forEach((ta, i) => own[i] && this.infer.unify(own[i]!, this.resolveTy(ta)));
    const typeArgs = [...pick.match.impl.typeParams.map((p) => m.subst.get(p.id)!), ...own];
    if (derefs) this.body.autoDeref.set(e.receiver.id, derefs);
    this.addBoundObligations(fn, typeArgs, e.span);
    this.body.calls.set(e.id, { k: 'fn', fn, typeArgs, recv: 'view' });
    this.copyOut(fn, typeArgs, e.span);
    return this.checkMethodArgs(e, fn, typeArgs, expected);
  }

  /** A generic behavior's method called on a bounded param (`I: Iterator[T]`): the behavior's params in the
   * method's type arguments (after `This`) are the bound's arguments, so `i.next()` is a `Maybe[T]`. */
  private bindBehaviorArgs(t: Type, def: BehaviorDef, typeArgs: Type[]): void {
    if (t.k !== 'param' || def.params.length === 0) return;
    const args = this.finder.boundArgsOf(t, def);
    if (args) args.forEach((a, i) => this.infer.tryUnify(typeArgs[1 + i]!, a));
  }

  private findBehaviorMethod(b: BehaviorDef, name: string): { fn: FuncDef; def: BehaviorDef } | null {
    const fn = b.methods.get(name) as FuncDef | undefined;
    if (fn) return { fn, def: b };
    for (const s of b.supers) {
      const r = this.findBehaviorMethod(s.def, name);
      if (r) return r;
    }
    return null;
  }

  private checkMethodArgs(e: Extract<ast.Expr, { kind: 'MethodCall' }>, fn: FuncDef, typeArgs: Type[], expected: Type | null): Type {
    const s = substFor(fn.typeParams, typeArgs);
    const ret = substitute(fn.ret, s);
    if (expected) this.infer.tryUnify(ret, expected);
    this.checkArgs(
      fn.params.map((p) => substitute(p.ty, s)),
      e.args,
      e.span,
      `method \`${fn.name}\``,
      definedHere(fn, 'method'),
    );
    return ret;
  }

  /** How the receiver expression is passed: after `derefs` automatic dereferences, by reference or by value. */
  private receiverAdjust(kind: FuncDef['receiver'], derefs: number, through: ('ref' | 'mutref' | 'ptr')[], t: Type, e: Extract<ast.Expr, { kind: 'MethodCall' }>): Adjust {
    if (derefs) this.body.autoDeref.set(e.receiver.id, derefs);
    if (kind === 'value') {
      if (derefs > 0 && classify(this.defs, this.infer.resolve(t)) === 'move') {
        this.diags.error('E0507', `cannot move out of \`${this.show(t)}\` behind a reference`, e.receiver.span, {
          label: `\`${e.name}\` takes its receiver by value`,
        });
      }
      return 'none';
    }
    if (kind === 'borrow') return 'borrow';
    if (kind === 'mutref') {
      if (through.includes('ref')) {
        this.diags.error('E0596', 'cannot borrow data behind a `ref` as mutable', e.receiver.span, { label: `\`${e.name}\` needs a \`mut this\`` });
      } else if (!through.includes('mutref')) this.requireMutablePlace(e.receiver, 'borrow');
      return 'mutref';
    }
    return 'ref';
  }

  private builtinMethod(e: Extract<ast.Expr, { kind: 'MethodCall' }>, t: Type, viaRef: { mutable: boolean } | null, derefs: number): Type | null {
    const recv: Adjust = viaRef ? 'deref' : 'none';
    const finish = (params: Type[], ret: Type): Type => {
      if (derefs) this.body.autoDeref.set(e.receiver.id, derefs);
      this.body.calls.set(e.id, { k: 'builtin', name: e.name, recv, typeArgs: [] });
      this.checkArgs(params, e.args, e.span, `method \`${e.name}\``);
      return ret;
    };
    const selfy = (sig: NumMethod) =>
      finish(
        sig.params.map((p) => (p === 'self' ? t : p)),
        sig.ret === 'self' ? t : sig.ret === 'maybe-self' ? this.maybeOf(t) : sig.ret,
      );
    // the built-in Ord and Eq of primitives: `a.cmp(ref b)`, `a.eq(ref b)`
    if ((e.name === 'cmp' || e.name === 'eq') && (isPrimitive(t) || (t.k === 'var' && t.lit))) {
      const ordering: Type = { k: 'adt', def: this.defs.langAdt('Ordering'), args: [] };
      return finish([{ k: 'ref', mutable: false, inner: t }], e.name === 'cmp' ? ordering : T.bool);
    }
    if (t.k === 'str') {
      const m = STR_METHODS[e.name];
      if (!m) return null;
      const listOf = (): Type => {
        const b = lookupName(this.defs, this.fn.module, 'List');
        return b?.k === 'adt' ? { k: 'adt', def: b.def, args: [T.str] } : T.error;
      };
      const ret = m.ret === 'maybe-i64' ? this.maybeOf(T.i64) : m.ret === 'maybe-f64' ? this.maybeOf(T.f64) : m.ret === 'list-str' ? listOf() : m.ret;
      return finish(m.params, ret);
    }
    if (t.k === 'int' || (t.k === 'var' && t.lit === 'int')) {
      const m = INT_METHODS[e.name];
      if (!m) return null;
      if (SIGNED_ONLY_METHODS.has(e.name) && t.k === 'int' && !t.signed) return null;
      return selfy(m);
    }
    if (t.k === 'float' || (t.k === 'var' && t.lit === 'float')) {
      const m = FLOAT_METHODS[e.name];
      return m ? selfy(m) : null;
    }
    if (t.k === 'bool' || t.k === 'char') {
      const m = SIMPLE_METHODS[e.name];
      if (m) return selfy(m);
    }
    if (t.k === 'bool' || t.k === 'char') return null;
    if (t.k === 'array' && e.name === 'len') return finish([], T.i64);
    if ((t.k === 'tuple' || t.k === 'array') && e.name === 'debug_string') {
      const debug = this.defs.langBehavior('Debug');
      if (debug && !this.finder.implements(t, debug)) this.notImplemented(t, debug, e.receiver.span);
      return finish([], T.str);
    }
    if (t.k === 'ptr') {
      if (!this.lowlevel && e.name !== 'is_null') {
        this.diags.error('E0133', `raw pointer method \`${e.name}\` requires a \`lowlevel\` block`, e.span);
      }
      switch (e.name) {
        case 'read':
          return finish([], t.inner);
        case 'write':
          return finish([t.inner], T.unit);
        case 'offset':
          return finish([T.i64], t);
        case 'is_null':
          return finish([], T.bool);
      }
      return null;
    }
    return null;
  }

  // ---------- places ----------

  /** Library code, and `lowlevel` code (which answers for the invariants, as for raw pointers; the bug zoo closes a
   * Shared cycle that way), may name the standard library's private fields (sema/field_privacy.ts). */
  private get trustsLibraryFields(): boolean {
    return this.fn.module.isStd || this.lowlevel > 0;
  }

  private field(e: Extract<ast.Expr, { kind: 'Field' }>): Type {
    const ot = this.checkExpr(e.object, null);
    let t = this.shallow(ot);
    let derefs = 0;
    const trusted = this.trustsLibraryFields;
    // a library type's private field is invisible outside the library: `h.ptr` reaches the pointee's `ptr`
    let hidden: AdtDef | null = null;
    // through references and library pointers, until a type that has the field
    for (;;) {
      const named = t.k === 'adt' && (t.def.kind === 'struct' || t.def.kind === 'union' || t.def.kind === 'class') ? t.def.fields.find((f) => f.name === e.name) : undefined;
      if (named && !fieldVisible(named, trusted) && t.k === 'adt') hidden ??= t.def;
      const hasField = (t.k === 'tuple' && /^[0-9]+$/.test(e.name)) || (named !== undefined && fieldVisible(named, trusted));
      if (hasField) break;
      const next = t.k === 'ref' ? t.inner : t.k === 'adt' ? derefTarget(this.infer.resolve(t)) : null;
      if (!next || derefs > 8) break;
      t = this.shallow(next);
      derefs++;
    }
    if (t.k === 'tuple') {
      const i = Number(e.name);
      if (Number.isInteger(i) && i >= 0 && i < t.elems.length) {
        this.body.fields.set(e.id, { index: i, derefs });
        return t.elems[i]!;
      }
    } else if (t.k === 'adt' && (t.def.kind === 'struct' || t.def.kind === 'union' || t.def.kind === 'class')) {
      const i = t.def.fields.findIndex((f) => f.name === e.name && fieldVisible(f, trusted));
      if (i >= 0) {
        const ft = substitute(t.def.fields[i]!.ty, substFor(t.def.params, t.args));
        // reading a union field reinterprets whatever was written last: fine for a type every bit pattern is a
        // value of (numbers, raw pointers), `lowlevel` only for the others (`Bool`, `Char`, enums); a write is safe
        if (t.def.kind === 'union' && !this.lowlevel && this.unionWrite !== e && !everyBitPatternValid(this.infer.resolve(ft))) {
          this.diags.error('E0133', `reading the field \`${e.name}\` of union \`${t.def.name}\` requires a \`lowlevel\` block`, e.span, {
            label: `the bits of another field may not be a valid \`${this.show(ft)}\``,
            notes: ['a union field of a number or raw-pointer type can be read anywhere; writing a field (`u.f = v`) needs no `lowlevel`'],
          });
        }
        this.body.fields.set(e.id, { index: i, derefs });
        return ft;
      }
    } else if (t.k === 'error') return T.error;
    else if (t.k === 'var') {
      this.diags.error('E0282', 'type annotations needed', e.object.span, { label: 'the type of this value must be known to access a field' });
      return T.error;
    }
    if (hidden) {
      privateFieldAccess(this.diags, hidden, e.name, e.nameSpan);
      return T.error;
    }
    // `p.` with no name yet (half-typed in an editor): the parser has reported the missing name (E0015)
    if (e.name === '') return T.error;
    const fieldNames = t.k === 'adt' && t.def.kind !== 'enum' ? t.def.fields.filter((f) => fieldVisible(f, trusted)).map((f) => f.name) : [];
    this.diags.error('E0609', `no field \`${e.name}\` on type \`${this.show(t)}\``, e.nameSpan, {
      label: 'unknown field',
      about: [t],
      suggestions: similarNameSuggestion(e.name, e.nameSpan, [['field', fieldNames]]),
    });
    return T.error;
  }

  private index(e: Extract<ast.Expr, { kind: 'Index' }>): Type {
    // `identity[I32]` as a value: a generic function with explicit type arguments (LANGUAGE.md §5, the `Name[` rule)
    const inst = this.explicitInstance(e);
    if (inst) return inst;
    const ot = this.checkExpr(e.object, null);
    let t = this.shallow(ot);
    while (t.k === 'ref') t = this.shallow(t.inner);
    const it = this.derefOperand(e.index, this.checkExpr(e.index, T.i64));
    const its = this.shallow(it);
    if (its.k !== 'int' && its.k !== 'error' && !(its.k === 'var' && its.lit === 'int')) {
      this.diags.error('E0277', `arrays are indexed by integers, not \`${this.show(it)}\``, e.index.span);
    }
    if (t.k === 'array') return t.elem;
    if (t.k === 'error') return T.error;
    const elem = indexElement(t);
    if (elem) return elem;
    this.diags.error('E0608', `cannot index into a value of type \`${this.show(t)}\``, e.object.span);
    return T.error;
  }

  private explicitInstance(e: Extract<ast.Expr, { kind: 'Index' }>): Type | null {
    const o = e.object;
    if (o.kind !== 'Path' || o.segments.length !== 1 || o.segments[0]!.args || e.index.kind !== 'Path') return null;
    const name = o.segments[0]!.name;
    if (this.scopes.some((sc) => sc.has(name))) return null;
    const b = lookupName(this.defs, this.fn.module, name);
    if (b?.k !== 'fn' || b.def.ownParams.length !== 1) return null;
    const idx = e.index;
    const te: ast.TypeExpr = { kind: 'PathType', id: idx.id, span: idx.span, segments: idx.segments };
    const fnTy = this.fnValue(e as unknown as Extract<ast.Expr, { kind: 'Path' }>, b.def, [te], e.span);
    this.record(o, fnTy);
    return fnTy;
  }

  private tryExpr(e: Extract<ast.Expr, { kind: 'Try' }>): Type {
    const t = this.shallow(this.checkExpr(e.operand, null));
    const ret = this.shallow(this.closures.length ? this.closures[this.closures.length - 1]!.ret : this.bodyRet());
    const maybe = this.defs.langAdt('Maybe');
    const outcome = this.defs.langAdt('Outcome');
    if (t.k === 'adt' && t.def === maybe) {
      this.body.tries.set(e.id, 'maybe');
      if (!(ret.k === 'adt' && ret.def === maybe) && ret.k !== 'error') {
        this.diags.error('E0277', 'the `!` operator can only be used on `Maybe` in a function that returns `Maybe`', e.span, {
          label: `this function returns \`${this.show(ret)}\``,
        });
      }
      return t.args[0]!;
    }
    if (t.k === 'adt' && t.def === outcome) {
      this.body.tries.set(e.id, 'outcome');
      if (ret.k === 'adt' && ret.def === outcome) {
        if (!this.infer.unify(t.args[1]!, ret.args[1]!)) {
          this.diags.error('E0277', `\`!\` cannot convert the error type \`${this.show(t.args[1]!)}\` into \`${this.show(ret.args[1]!)}\``, e.span);
        }
      } else if (ret.k !== 'error') {
        this.diags.error('E0277', 'the `!` operator can only be used on `Outcome` in a function that returns `Outcome`', e.span, {
          label: `this function returns \`${this.show(ret)}\``,
        });
      }
      return t.args[0]!;
    }
    this.diags.error('E0277', `the \`!\` operator applies to \`Maybe\` and \`Outcome\`, not \`${this.show(t)}\``, e.span);
    return T.error;
  }

  private cast(e: Extract<ast.Expr, { kind: 'Cast' }>): Type {
    const to = this.resolveTy(e.type);
    // `d as Animal`: an explicit upcast of a class reference (the same coercion as an implicit one)
    const raw = this.checkExpr(e.operand, null);
    if (isClass(this.shallow(raw))) {
      const from = raw;
      if (this.classUpcast(e.operand, this.shallow(from), this.shallow(to)) || this.infer.tryUnify(from, to)) return to;
      this.diags.error('E0605', `\`${this.show(from)}\` cannot be converted to \`${this.show(to)}\` with \`as\``, e.span, {
        label: 'a class converts only to its base classes and the interfaces it implements',
      });
      return to;
    }
    const from = this.derefOperand(e.operand, raw);
    let f = this.shallow(from);
    if (f.k === 'var' && f.lit) {
      // an unsuffixed literal cast: give it the target type when that is numeric of the same kind, else default
      const tk = this.shallow(to);
      if ((f.lit === 'int' && tk.k === 'int') || (f.lit === 'float' && tk.k === 'float')) this.infer.unify(f, tk);
      else this.infer.unify(f, f.lit === 'int' ? T.i32 : T.f64);
      f = this.shallow(from);
    }
    const tt = this.shallow(to);
    const num = (x: Type) => x.k === 'int' || x.k === 'float';
    const ok =
      f.k === 'error' ||
      tt.k === 'error' ||
      (num(f) && num(tt)) ||
      (f.k === 'char' && tt.k === 'int') ||
      (f.k === 'int' && tt.k === 'char' && tt.k === 'char' && (f.name === 'U8' || f.name === 'U32' || f.name === 'I32')) ||
      (f.k === 'bool' && tt.k === 'int') ||
      (f.k === 'ptr' && tt.k === 'ptr') ||
      (((f.k === 'ptr' && tt.k === 'int') || (f.k === 'int' && tt.k === 'ptr')) && this.lowlevel > 0) ||
      this.infer.tryUnify(f, tt);
    if (!ok) {
      this.diags.error('E0605', `non-primitive cast: \`${this.show(from)}\` as \`${this.show(to)}\``, e.span, { label: 'an `as` expression can only be used to convert between primitive types' });
    }
    return to;
  }

  // ---------- control flow ----------

  private join(a: Type, b: Type, span: Span): Type {
    const sa = this.shallow(a);
    const sb = this.shallow(b);
    if (sa.k === 'never') return b;
    if (sb.k === 'never') return a;
    if (!this.infer.unify(a, b)) {
      this.diags.error('E0308', `\`if\` and \`else\` have incompatible types: \`${this.show(a)}\` and \`${this.show(b)}\``, span, {
        label: `expected \`${this.show(a)}\`, found \`${this.show(b)}\``,
      });
    }
    return a;
  }

  /** E0317: an `if` without `else` whose branch gives a value (`tt`). */
  private missingElse(span: Span, tt: Type): void {
    this.diags.error('E0317', '`if` may be missing an `else` clause', span, {
      label: `expected \`Unit\`, found \`${this.show(tt)}\``,
      help: [`the \`if\` needs an \`else\` branch that gives a \`${this.show(tt)}\` too: without one, its value is \`Unit\` when the condition is false`],
    });
  }

  private ifExpr(cond: ast.Expr, then: ast.Expr, els: ast.Expr | null, expected: Type | null, span: Span): Type {
    this.condition(cond);
    const tt = this.checkExpr(then, els ? expected : null);
    if (!els) {
      const s = this.shallow(tt);
      if (s.k !== 'unit' && s.k !== 'never' && s.k !== 'error') {
        this.missingElse(then.span, tt);
        return T.error; // reported: what expected the `if`'s value is not told again that it is `Unit`
      }
      return T.unit;
    }
    const et = this.checkExpr(els, expected ?? (this.shallow(tt).k === 'never' ? null : tt));
    return this.join(tt, et, els.span ?? span);
  }

  /**
   * `if`/`if let` with its `else if` chain (syntax/chains.ts), in a loop: each link's condition and branch in order,
   * each `else` expecting what the recursion would (the expected type, else the branch's), then the links' types
   * joined from the last one back, each recorded as checkExpr would.
   */
  private ifChain(head: IfLinkExpr, expected: Type | null): Type {
    const { links, last } = elseIfChain(head);
    const done: { e: IfLinkExpr; expected: Type | null; tt: Type }[] = [];
    let exp = expected;
    for (const e of links) {
      let tt: Type;
      if (e.kind === 'If') {
        this.condition(e.cond);
        tt = this.checkExpr(e.then, e.else ? exp : null);
      } else {
        const st = this.checkExpr(e.scrutinee, null);
        this.scopes.push(new Map());
        this.checkPattern(e.pattern, st, 'move', false);
        tt = this.checkExpr(e.then, e.else ? exp : null);
        this.scopes.pop();
      }
      done.push({ e, expected: exp, tt });
      if (e.else) exp = exp ?? (e.kind === 'If' && this.shallow(tt).k === 'never' ? null : tt);
    }
    // the innermost link's type, then outwards
    let result: Type | null = null;
    for (let i = done.length - 1; i >= 0; i--) {
      const { e, expected: ex, tt } = done[i]!;
      let t: Type;
      if (!e.else) {
        const s = this.shallow(tt);
        const missing = e.kind === 'If' && s.k !== 'unit' && s.k !== 'never' && s.k !== 'error';
        if (missing) this.missingElse(e.then.span, tt);
        t = missing ? T.error : T.unit;
      } else {
        const et = result ?? this.checkExpr(last!, exp);
        t = this.join(tt, et, e.kind === 'If' ? e.else.span : e.span);
      }
      result = i === 0 ? t : this.finishExpr(e, t, ex);
    }
    return result!;
  }

  private when(e: Extract<ast.Expr, { kind: 'When' }>, expected: Type | null): Type {
    const st = this.checkExpr(e.scrutinee, null);
    let result: Type | null = null;
    for (const arm of e.arms) {
      this.scopes.push(new Map());
      this.checkPattern(arm.pattern, st, 'move', false);
      if (arm.guard) {
        this.coerce(this.checkExpr(arm.guard, T.bool), T.bool, arm.guard.span);
        // a failed guard must leave the value intact for the next arm: no owner may be moved into its bindings
        const moved = this.movedBinding(arm.pattern);
        if (moved && this.shallow(st).k !== 'ref') {
          this.diags.error('E0301', `cannot bind \`${moved.name}\` by move into a pattern with a guard`, moved.span, {
            label: 'moves a value the guard may give back',
            notes: ['match on `ref` of the value, or move the condition into the arm body'],
          });
        }
      }
      const t = this.checkExpr(arm.body, expected ?? (result && this.shallow(result).k !== 'never' ? result : null));
      this.scopes.pop();
      if (result === null) result = t;
      else {
        const a = this.shallow(result);
        const b = this.shallow(t);
        if (a.k === 'never') result = t;
        else if (b.k !== 'never' && !this.infer.unify(result, t)) {
          this.diags.error('E0308', `\`when\` arms have incompatible types: expected \`${this.show(result)}\`, found \`${this.show(t)}\``, arm.body.span, {
            label: `expected \`${this.show(result)}\``,
          });
        }
      }
    }
    const missing = missingCase(
      e.arms.map((a) => ({ pattern: a.pattern, guarded: a.guard !== null })),
      st,
      { body: this.body, resolve: (t) => this.infer.resolve(t, true) },
    );
    if (missing !== null) {
      this.diags.error('E0004', `non-exhaustive patterns: \`${missing}\` not covered`, e.keywordSpan, {
        about: [st],
        label: `pattern \`${missing}\` not covered`,
        notes: [`the matched value has type \`${this.show(st)}\``, 'add an arm for it, or a wildcard arm `_ => …`'],
      });
    }
    return result ?? T.never;
  }

  private loop(e: Extract<ast.Expr, { kind: 'Loop' }>): Type {
    this.scopes.push(new Map());
    if (e.decl) {
      const ty = e.decl.type ? this.resolveTy(e.decl.type) : T.i32;
      const l = this.declareLocal(e.decl.name, ty, true, e.decl.span);
      this.body.loopDecls.set(e.id, l);
    }
    if (e.cond) this.condition(e.cond);
    this.loops.push({ id: e.id });
    this.checkBlock(e.body, T.unit);
    this.loops.pop();
    this.scopes.pop();
    const infinite = e.cond === null || (e.cond.kind === 'BoolLit' && e.cond.value);
    return infinite && !this.body.loopBreaks.has(e.id) ? T.never : T.unit;
  }

  private forExpr(e: Extract<ast.Expr, { kind: 'For' }>): Type {
    const it = e.iter;
    let elemTy: Type = T.error;
    if (it.kind === 'Range') {
      const a = this.checkExpr(it.start, null);
      const b = this.checkExpr(it.end, a);
      if (!this.infer.unify(a, b)) this.mismatch(a, b, it.end.span);
      const s = this.shallow(a);
      if (s.k !== 'int' && !(s.k === 'var' && s.lit === 'int') && s.k !== 'error') this.diags.error('E0277', `a range needs integer bounds, not \`${this.show(a)}\``, it.span);
      this.record(it, T.unit);
      elemTy = a;
      this.body.forKinds.set(e.id, it.inclusive ? 'range-inclusive' : 'range');
    } else {
      // `for x in ref c` iterates by reference; so does `for x in r` (or `ref r`) for a reference `r` to a
      // collection, as `for x in ref *r` does: the loop borrows the collection, that is its owner, while it runs
      const explicitRef = it.kind === 'Unary' && it.op === 'ref';
      const operand = explicitRef ? it.operand : it;
      const ot = this.shallow(this.checkExpr(operand, null));
      if (explicitRef) this.record(it, { k: 'ref', mutable: false, inner: ot });
      if (explicitRef || ot.k === 'ref') {
        let ct = ot;
        while (ct.k === 'ref') ct = this.shallow(ct.inner);
        const listElem = indexElement(this.infer.resolve(ct));
        const map = mapParts(this.infer.resolve(ct));
        const byRef = (t: Type): Type => (classify(this.defs, this.infer.resolve(t)) === 'move' ? { k: 'ref', mutable: false, inner: t } : t);
        if (map) {
          // (key, value): copyable parts by value, the others by reference
          elemTy = { k: 'tuple', elems: [byRef(map.key), byRef(map.value)] };
          this.body.forKinds.set(e.id, 'map-ref');
        } else if (ct.k === 'array') {
          elemTy = byRef(ct.elem);
          this.body.forKinds.set(e.id, 'array-ref');
        } else if (listElem) {
          elemTy = byRef(listElem);
          this.body.forKinds.set(e.id, 'list-ref');
        } else if (explicitRef) this.diags.error('E0277', `\`${this.show(ct)}\` is not iterable`, it.span);
        else this.diags.error('E0277', `\`${this.show(ot)}\` is not iterable`, it.span, { notes: ['iterate over a range (`0 to n`), an array, or `ref` of a collection'] });
      } else {
        const consumed = indexElement(this.infer.resolve(ot));
        if (ot.k === 'array') {
          elemTy = ot.elem;
          this.body.forKinds.set(e.id, 'array');
        } else if (consumed) {
          elemTy = consumed;
          this.body.forKinds.set(e.id, 'list');
        } else {
          const item = this.iteratorItem(ot);
          if (item) {
            // any `Iterator`: the loop owns it and calls `next` until `Nothing` (the call is recorded on the loop)
            elemTy = item;
            this.body.forKinds.set(e.id, 'iterator');
            this.body.calls.set(e.id, { k: 'behavior', behavior: { def: this.defs.langBehavior('Iterator')!, args: [] }, method: 'next', selfType: ot, methodArgs: [], recv: 'mutref' });
          } else if (ot.k !== 'error') this.diags.error('E0277', `\`${this.show(ot)}\` is not iterable`, it.span, { notes: ['iterate over a range (`0 to n`), an array, `ref` of a collection, or a value whose type implements `Iterator`'] });
        }
      }
    }
    this.scopes.push(new Map());
    this.checkPattern(e.pattern, elemTy, 'move', false);
    this.loops.push({ id: e.id });
    this.checkBlock(e.body, T.unit);
    this.loops.pop();
    this.scopes.pop();
    return T.unit;
  }

  /** `a to b` / `a through b` outside a `for` head: a `Range[T]` value, an `Iterator` (core::iter). */
  private rangeValue(e: Extract<ast.Expr, { kind: 'Range' }>): Type {
    const a = this.checkExpr(e.start, null);
    const b = this.checkExpr(e.end, a);
    if (!this.infer.unify(a, b)) this.mismatch(a, b, e.end.span);
    const s = this.shallow(a);
    if (s.k === 'var' && s.lit === 'int') this.infer.tryUnify(s, T.i32);
    const r = this.shallow(a);
    if (r.k !== 'int' && r.k !== 'error') {
      this.diags.error('E0277', `a range needs integer bounds, not \`${this.show(a)}\``, e.span);
      return T.error;
    }
    if (r.k === 'int' && r.bits === 128) {
      this.diags.error('E0750', `a range value cannot count through \`${this.show(a)}\``, e.span, { notes: ['ranges of 8- to 64-bit integers are iterators; a `for` head counts through any integer type'] });
      return T.error;
    }
    return { k: 'adt', def: this.defs.langAdt('Range'), args: [a] };
  }

  /** The item type of a type that implements `Iterator[T]` (an impl, or a bound on a type parameter), or null. */
  private iteratorItem(ty: Type): Type | null {
    const beh = this.defs.langBehavior('Iterator');
    const t = this.shallow(ty);
    if (!beh || t.k === 'var' || t.k === 'error') return null;
    if (t.k === 'param') return this.finder.boundArgsOf(t, beh)?.[0] ?? null;
    const m = this.finder.findImpl(t, beh);
    const arg = m?.impl.behavior?.args[0];
    return m && arg ? substitute(arg, m.subst) : null;
  }

  private closure(e: Extract<ast.Expr, { kind: 'Closure' }>, expected: Type | null): Type {
    const ex = expected ? this.shallow(expected) : null;
    const exf = ex?.k === 'func' && ex.params.length === e.params.length ? ex : null;
    const params = e.params.map((p, i) => (p.type ? this.resolveTy(p.type) : (exf?.params[i] ?? this.infer.newVar())));
    if (exf) params.forEach((p, i) => this.infer.tryUnify(p, exf.params[i]!));
    const ret = e.ret ? this.resolveTy(e.ret) : (exf?.ret ?? this.infer.newVar());
    const ctx: ClosureCtx = { id: e.id, scopeDepth: this.scopes.length, captures: [], ret, outerLoops: this.loops };
    this.closures.push(ctx);
    const savedLoops = this.loops;
    this.loops = [];
    this.scopes.push(new Map());
    e.params.forEach((p, i) => {
      this.checkPattern(p.pattern, params[i]!, 'move', false);
      const l = p.pattern.kind === 'IdentPat' ? this.body.bindings.get(p.pattern.id) : undefined;
      if (l) this.closureParams.add(l);
    });
    const bt = this.checkExpr(e.body, ret);
    if (!this.readThrough(e.body, bt, ret)) this.coerce(bt, ret, e.body.span);
    this.scopes.pop();
    this.loops = savedLoops;
    this.closures.pop();
    this.body.captures.set(e.id, ctx.captures);
    for (const c of ctx.captures) {
      if (!e.isMove && !containsRef(this.infer.resolve(c.ty)) && classify(this.defs, this.infer.resolve(c.ty)) === 'move') {
        this.diags.error('E0507', `a plain \`do\` cannot capture \`${c.name}\`, which cannot be copied`, e.span, {
          label: `captures \`${c.name}\``,
          secondary: [{ span: c.span, message: `\`${c.name}\` declared here` }],
          notes: [`a plain \`do\` captures copies; use \`move do\` to move \`${c.name}\` into the closure`],
        });
      }
      if (containsRef(this.infer.resolve(c.ty))) {
        this.diags.error('E0373', `a closure cannot capture the reference \`${c.name}\``, e.span, {
          label: `captures \`${c.name}\`, a reference`,
          secondary: [{ span: c.span, message: `\`${c.name}\` declared here` }],
          notes: ['references are second-class: capture an owner or a copy (use `move do` to move an owner in)'],
        });
      }
    }
    // captures of an inner closure that come from outside this one are this one's captures too (lookupLocal did it)
    return { k: 'func', params, ret };
  }

  private structLit(e: Extract<ast.Expr, { kind: 'StructLit' }>, expected: Type | null): Type {
    const segs = e.path;
    const names = segs.map((s) => s.name);
    let b = this.lookupPath(names, spanOfPath(segs));
    let variant: number | null = null;
    let adt: AdtDef | null = null;
    if (b?.k === 'adt' && (b.def.kind === 'struct' || b.def.kind === 'class' || b.def.kind === 'union')) adt = b.def;
    else if (segs.length >= 2) {
      const ob = this.lookupPath(names.slice(0, -1), spanOfPath(segs));
      if (ob?.k === 'adt' && ob.def.kind === 'enum') {
        const i = ob.def.variants.findIndex((v) => v.name === names[names.length - 1]);
        if (i >= 0 && ob.def.variants[i]!.shape === 'struct') {
          adt = ob.def;
          variant = i;
        }
      }
    } else if (!b) {
      const vs = this.variantsNamed(names[0]!).filter((v) => v.adt.variants[v.index]!.shape === 'struct');
      if (vs.length === 1) {
        adt = vs[0]!.adt;
        variant = vs[0]!.index;
      }
    }
    if (segs.length === 1 && names[0] === 'This' && this.fn.selfType?.k === 'adt') {
      adt = this.fn.selfType.def;
      b = { k: 'adt', def: adt };
    }
    if (!adt) {
      this.diags.error('E0422', `cannot find struct \`${names.join('::')}\` in this scope`, e.span, { label: 'not a struct' });
      for (const f of e.fields) this.checkExpr(f.value, null);
      if (e.base) this.checkExpr(e.base, null);
      return T.error;
    }
    const ty = this.freshAdt(adt, segs[segs.length - 1]!.args ?? (segs.length > 1 ? segs[segs.length - 2]!.args : null), expected) as Extract<Type, { k: 'adt' }>;
    if (adt.kind === 'class' && (adt.cls!.base || adt.cls!.isAbstract || e.base)) {
      this.diags.error('E0718', adt.cls!.isAbstract ? `cannot instantiate abstract class \`${adt.name}\`` : `a literal of class \`${adt.name}\` cannot set inherited fields or copy another instance`, e.span, {
        notes: ['use a constructor: `' + adt.name + '::new(…)`'],
      });
    }
    const s = substFor(adt.params, ty.args);
    const fields = variant === null ? adt.fields : adt.variants[variant]!.fields;
    // outside the library, a literal of a type with a private field is refused (naming the first private field it
    // sets, else the first one it would leave to its default)
    const isPrivate = (name: string): boolean => fields.some((x) => x.name === name && !fieldVisible(x, this.trustsLibraryFields));
    const closed = e.fields.find((f) => isPrivate(f.name))?.name ?? fields.find((f) => isPrivate(f.name))?.name;
    if (closed !== undefined) privateFieldInLiteral(this.diags, adt, closed, e.span, 'literal');
    const seen = new Set<string>();
    for (const f of e.fields) {
      const fd = fields.find((x) => x.name === f.name);
      if (!fd) {
        this.diags.error('E0560', `struct \`${adt.name}\` has no field named \`${f.name}\``, f.span, {
          label: 'unknown field',
          suggestions: similarNameSuggestion(f.name, { ...f.span, end: f.span.start + f.name.length }, [['field', fields.filter((x) => !e.fields.some((g) => g.name === x.name)).map((x) => x.name)]]),
        });
        this.checkExpr(f.value, null);
        continue;
      }
      if (seen.has(f.name)) this.diags.error('E0062', `field \`${f.name}\` specified more than once`, f.span);
      seen.add(f.name);
      const ft = substitute(fd.ty, s);
      this.coerceArg(f.value, this.checkExpr(f.value, ft), ft);
    }
    if (adt.kind === 'union') {
      // a union literal sets exactly one field (LANGUAGE.md §2.1)
      if (e.fields.length !== 1 || e.base) {
        this.diags.error('E0775', `a literal of union \`${adt.name}\` must set exactly one field`, e.span, {
          label: e.base ? '`..` would copy every field' : e.fields.length === 0 ? 'no field set' : `${e.fields.length} fields set`,
          notes: ['the fields of a union share their memory: a literal names the one it writes'],
        });
        if (e.base) this.checkExpr(e.base, null);
      }
    } else if (e.base) {
      this.coerce(this.checkExpr(e.base, ty), ty, e.base.span);
    } else {
      const missing = fields.filter((f) => !seen.has(f.name) && !f.hasDefault).map((f) => `\`${f.name}\``);
      if (missing.length) {
        const library = [...this.defs.modules.values()].some((m) => m.isStd && m.file === adt.span.file);
        this.diags.error('E0063', `missing field${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in initializer of \`${adt.name}\``, e.span, {
          label: 'missing fields',
          secondary: library ? [] : [{ span: adt.span, message: `\`${adt.name}\` defined here` }],
        });
      }
    }
    this.body.structLits.set(e.id, { ty, variant });
    return ty;
  }

  // ---------- patterns ----------

  /** Check a pattern against a type; `mode` is how bindings take their parts (moving, or by reference). */
  checkPattern(p: ast.Pattern, ty: Type, mode: 'move' | 'ref', mutable: boolean): void {
    this.body.patTypes.set(p.id, ty);
    let t = this.shallow(ty);
    // default binding mode: a non-reference pattern against a reference matches the referent by reference
    if (t.k === 'ref' && p.kind !== 'IdentPat' && p.kind !== 'WildcardPat') {
      mode = 'ref';
      t = this.shallow(t.inner);
    }
    switch (p.kind) {
      case 'WildcardPat':
      case 'RestPat':
        return;
      case 'IdentPat': {
        const v = this.unitVariantNamed(p.name);
        const lt = t.k === 'ref' ? this.shallow(t.inner) : t;
        if (v && (lt.k !== 'adt' || lt.def === v.adt || lt.k === 'adt') && this.variantsNamed(p.name).length > 0 && v.adt.variants[v.index]!.shape === 'unit') {
          const vty = lt.k === 'adt' && lt.def === v.adt ? lt : this.freshAdt(v.adt, null, null);
          if (!this.infer.unify(vty, lt)) this.mismatch(lt, vty, p.span);
          this.body.patVariants.set(p.id, { ty: vty, index: v.index });
          this.body.patVariantIndex.set(p.id, v.index);
          return;
        }
        // `Read` against a `@flags` value names a flag, not a new binding that would match everything
        if (lt.k === 'adt' && lt.def.attrs.has('flags') && this.finder.constFor(lt, p.name)) {
          this.flagsPattern(lt.def, p.name, p.span);
          return;
        }
        let bt: Type = ty;
        if (mode === 'ref') {
          const copyable = classify(this.defs, this.infer.resolve(ty)) !== 'move';
          bt = copyable ? ty : { k: 'ref', mutable: false, inner: ty };
        }
        this.orBound?.add(p.name);
        const shared = this.orShare?.get(p.name);
        if (shared) {
          if (!this.infer.unify(shared.ty, bt)) this.mismatch(shared.ty, bt, p.span);
          this.body.bindings.set(p.id, shared);
          return;
        }
        const l = this.declareLocal(p.name, bt, p.mutable || mutable, p.span);
        this.orShare?.set(p.name, l);
        this.body.bindings.set(p.id, l);
        return;
      }
      case 'LiteralPat': {
        const lt = this.checkExpr(p.value, t);
        if (!this.infer.unify(lt, t)) this.mismatch(t, lt, p.span);
        return;
      }
      case 'RangePat': {
        const a = this.checkExpr(p.lo, t);
        const b = this.checkExpr(p.hi, t);
        if (!this.infer.unify(a, t)) this.mismatch(t, a, p.lo.span);
        if (!this.infer.unify(b, t)) this.mismatch(t, b, p.hi.span);
        const s = this.shallow(t);
        if (s.k !== 'int' && s.k !== 'char' && !(s.k === 'var' && s.lit === 'int') && s.k !== 'error') {
          this.diags.error('E0029', `only integers and characters can be matched by a range, not \`${this.show(t)}\``, p.span);
        }
        return;
      }
      case 'TuplePat': {
        if (t.k === 'var') {
          const elems = p.elems.map(() => this.infer.newVar());
          this.infer.unify(t, { k: 'tuple', elems });
          t = this.shallow(t);
        }
        if (t.k !== 'tuple' || t.elems.length !== p.elems.length) {
          this.diags.error('E0308', `mismatched types: expected \`${this.show(t)}\`, found a tuple pattern with ${p.elems.length} elements`, p.span);
          for (const x of p.elems) this.checkPattern(x, T.error, mode, mutable);
          return;
        }
        const tt = t;
        p.elems.forEach((x, i) => this.checkPattern(x, tt.elems[i]!, mode, mutable));
        return;
      }
      case 'ArrayPat': {
        if (t.k !== 'array') {
          this.diags.error('E0529', `expected an array, found \`${this.show(t)}\``, p.span);
          return;
        }
        const at = t;
        for (const x of p.elems) {
          if (x.kind === 'RestPat') {
            if (x.binding) this.diags.error('E0606', '`..rest` bindings in array patterns are not supported yet', x.span);
            continue;
          }
          this.checkPattern(x, at.elem, mode, mutable);
        }
        return;
      }
      case 'VariantPat':
      case 'PathPat':
      case 'StructPat':
        return this.variantPattern(p, t, mode, mutable);
      case 'OrPat': {
        // every alternative binds the same names, to the same variables (the arm sees one of each)
        const outer = this.orShare;
        const shared = new Map<string, LocalVar>();
        this.orShare = shared;
        let first: Set<string> | null = null;
        for (const a of p.alts) {
          const before = new Set(shared.keys());
          const bound = new Set<string>();
          this.orBound = bound;
          this.checkPattern(a, ty, mode, mutable);
          if (first === null) first = bound;
          else {
            for (const n of new Set([...first, ...bound])) {
              if (!(first.has(n) && bound.has(n))) {
                this.diags.error('E0408', `variable \`${n}\` is not bound in all alternatives of the pattern`, a.span, { label: `pattern doesn't bind \`${n}\`` });
              }
            }
          }
          void before;
        }
        this.orShare = outer;
        this.orBound = null;
        return;
      }
    }
  }

  private variantPattern(p: Extract<ast.Pattern, { kind: 'VariantPat' | 'PathPat' | 'StructPat' }>, t: Type, mode: 'move' | 'ref', mutable: boolean): void {
    const names = p.path.map((s) => s.name);
    let adt: AdtDef | null = null;
    let index: number | null = null;
    if (names.length === 1) {
      const b = lookupName(this.defs, this.fn.module, names[0]!);
      if (b?.k === 'adt' && b.def.kind === 'struct' && p.kind === 'StructPat') adt = b.def;
      else {
        const vs = this.variantsNamed(names[0]!);
        const pick = vs.find((v) => t.k === 'adt' && t.def === v.adt) ?? (vs.length === 1 ? vs[0] : undefined);
        if (pick) {
          adt = pick.adt;
          index = pick.index;
        }
      }
    } else {
      const ob = this.lookupPath(names.slice(0, -1), p.span);
      if (ob?.k === 'adt' && ob.def.kind === 'enum') {
        const i = ob.def.variants.findIndex((v) => v.name === names[names.length - 1]);
        if (i >= 0) {
          adt = ob.def;
          index = i;
        }
      }
    }
    if (!adt && t.k === 'adt' && t.def.attrs.has('flags')) {
      this.flagsPattern(t.def, names.join('::'), p.span);
      this.bindAllErr(p);
      return;
    }
    if (!adt) {
      this.diags.error('E0531', `cannot find variant or struct \`${names.join('::')}\` in this scope`, p.span, { label: 'not found in this scope' });
      this.bindAllErr(p);
      return;
    }
    const ty = this.freshAdt(adt, null, t) as Extract<Type, { k: 'adt' }>;
    if (!this.infer.unify(ty, t)) {
      if (t.k !== 'error') this.mismatch(t, ty, p.span);
      this.bindAllErr(p);
      return;
    }
    if (index !== null) this.body.patVariantIndex.set(p.id, index);
    const s = substFor(adt.params, ty.args);
    const fields = index === null ? adt.fields : adt.variants[index]!.fields;
    if (p.kind === 'VariantPat') {
      const v = adt.variants[index!]!;
      if (v.shape !== 'tuple' || v.fields.length !== p.args.length) {
        this.diags.error('E0023', `this pattern has ${p.args.length} field${p.args.length === 1 ? '' : 's'}, but the variant \`${v.name}\` has ${v.fields.length}`, p.span);
      }
      p.args.forEach((a, i) => this.checkPattern(a, fields[i] ? substitute(fields[i]!.ty, s) : T.error, mode, mutable));
    } else if (p.kind === 'StructPat') {
      for (const f of p.fields) {
        const fd = fields.find((x) => x.name === f.name);
        if (!fd) {
          this.diags.error('E0026', `\`${names.join('::')}\` has no field named \`${f.name}\``, f.span);
          this.checkPattern(f.pattern, T.error, mode, mutable);
          continue;
        }
        if (!fieldVisible(fd, this.trustsLibraryFields)) privateFieldInLiteral(this.diags, adt, f.name, f.span, 'pattern');
        this.checkPattern(f.pattern, substitute(fd.ty, s), mode, mutable);
      }
      if (!p.rest) {
        const missing = fields.filter((f) => !p.fields.some((x) => x.name === f.name)).map((f) => `\`${f.name}\``);
        if (missing.length) this.diags.error('E0027', `pattern does not mention field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, p.span, { notes: ['add `..` to ignore the other fields'] });
      }
    } else if (index !== null && adt.variants[index]!.shape !== 'unit') {
      this.diags.error('E0532', `expected unit variant, found tuple variant \`${names.join('::')}\``, p.span, { notes: [`write \`${names.join('::')}(…)\``] });
    }
  }

  private bindAllErr(p: ast.Pattern): void {
    if (p.kind === 'IdentPat') this.checkPattern(p, T.error, 'move', false);
    else if (p.kind === 'VariantPat') p.args.forEach((a) => this.bindAllErr(a));
    else if (p.kind === 'StructPat') p.fields.forEach((f) => this.bindAllErr(f.pattern));
    else if (p.kind === 'TuplePat') p.elems.forEach((a) => this.bindAllErr(a));
    else if (p.kind === 'OrPat') p.alts.forEach((a) => this.bindAllErr(a));
  }
}

/** Does a type mention a trait object anywhere? (Such expected types are coercion targets, not unification hints.) */
function mentionsDyn(t: Type): boolean {
  switch (t.k) {
    case 'dyn':
      return true;
    case 'adt':
      return t.args.some(mentionsDyn);
    case 'ref':
    case 'ptr':
      return mentionsDyn(t.inner);
    case 'tuple':
      return t.elems.some(mentionsDyn);
    case 'array':
      return mentionsDyn(t.elem);
    default:
      return false;
  }
}

/** A library collection or owner (anything but Maybe/Outcome, which carry `HashMap.get`'s result) of a reference. */
function refInCollection(t: Type): boolean {
  if (t.k === 'adt') {
    if (t.def.name !== 'Maybe' && t.def.name !== 'Outcome' && t.args.some((a) => a.k === 'ref')) return true;
    return t.args.some(refInCollection);
  }
  if (t.k === 'tuple') return t.elems.some(refInCollection);
  if (t.k === 'array') return refInCollection(t.elem);
  return false;
}


/** The type of `this` for a receiver kind: the value itself (by value, or a borrowed class reference) or a reference. */
export function receiverType(kind: FuncDef['receiver'], st: Type): Type {
  return kind === 'value' || kind === 'borrow' ? st : { k: 'ref', mutable: kind === 'mutref', inner: st };
}

/** Whether every value of `src` is a value of the number type `dst` (the conversions `dst::from` accepts). */
function losslessInto(src: Type, dst: Extract<Type, { k: 'int' } | { k: 'float' }>): boolean {
  if (src.k === 'bool') return dst.k === 'int';
  if (src.k === 'char') return dst.k === 'int' && (dst.signed ? dst.bits > 32 : dst.bits >= 32);
  if (src.k === 'float') return dst.k === 'float' && src.bits <= dst.bits;
  if (src.k !== 'int') return false;
  if (dst.k === 'float') return src.bits < (dst.bits === 64 ? 53 : 24);
  if (src.signed) return dst.signed && src.bits <= dst.bits;
  return dst.signed ? src.bits < dst.bits : src.bits <= dst.bits;
}

/** Whether every bit pattern of the type's size is one of its values: integers, floats, raw pointers, and tuples,
 * arrays, structs and unions of them. Reading such a union field cannot produce an invalid value. */
function everyBitPatternValid(t: Type, seen: Set<AdtDef> = new Set()): boolean {
  switch (t.k) {
    case 'int':
    case 'float':
    case 'ptr':
    case 'unit':
      return true;
    case 'tuple':
      return t.elems.every((e) => everyBitPatternValid(e, seen));
    case 'array':
      return everyBitPatternValid(t.elem, seen);
    case 'adt': {
      if ((t.def.kind !== 'struct' && t.def.kind !== 'union') || seen.has(t.def)) return false;
      seen.add(t.def);
      const s = substFor(t.def.params, t.args);
      const ok = t.def.fields.every((f) => everyBitPatternValid(substitute(f.ty, s), seen));
      seen.delete(t.def);
      return ok;
    }
    default:
      return false;
  }
}

/** The span of a written path, from its first segment to its last. */
function spanOfPath(segs: readonly ast.PathSegment[]): Span {
  return joinSpans(segs[0]!.span, segs[segs.length - 1]!.span);
}

/** The label "function defined here" at a user function's name (the standard library's sources are not shown). */
function definedHere(fn: FuncDef, what: string): Label | null {
  if (fn.decl === null || fn.module.isStd) return null;
  // a constructor's declaration has no name of its own: mark its `new`
  const span = fn.ctor ? { ...fn.decl.nameSpan, end: fn.decl.nameSpan.start + 'new'.length } : fn.decl.nameSpan;
  return { span, message: `${what} defined here` };
}
