// Monomorphization: a work queue of (function, type arguments) instances reached from `main` (and the tests).
// Each instance is lowered once, under one symbol. Glue functions (drop/retain per type) are requested the same way.
import type { Span } from '../syntax/source.js';
import type { SourceMap } from '../syntax/source.js';
import type { FuncDef } from '../sema/defs.js';
import type { CheckedProgram } from '../sema/program.js';
import { resolveBehaviorMethod } from '../sema/impls.js';
import { isClosed, mangleType, substFor, typeToString, type BehaviorDef, type Subst, type Type } from '../sema/types.js';
import { GlueBuilder } from './glue.js';
import { ClassGen } from './classes.js';
import type { MirExtern, MirFunction, MirProgram, MirTest, MirVtable } from './mir.js';

export interface LowerOptions {
  /** overflow and shift checks (off in --release) */
  readonly overflowChecks: boolean;
  readonly tests: boolean;
  /** debug builds: record the TML site of runtime string allocations (for leak reports) */
  readonly trackSites: boolean;
  /** run the MIR optimizer (default: on unless TMLC_MIR_OPT=0; mir/build.ts) */
  readonly mirOpt?: boolean;
  /** a debug build with debug info: the program's own functions stay functions (not inlined), so a debugger can
   * break on them by name and step into them, as at clang's and rustc's -O0 */
  readonly debuggable?: boolean;
}

export interface Instance {
  readonly fn: FuncDef;
  readonly subst: Subst;
  readonly typeArgs: Type[];
  readonly symbol: string;
}

/** Lowers one instance; provided by lower_fn.ts (kept apart to keep this file about the queue). */
export type InstanceLowerer = (mono: Mono, inst: Instance) => MirFunction[];

export class Mono {
  readonly functions: MirFunction[] = [];
  readonly externs = new Map<string, MirExtern>();
  readonly vtables = new Map<string, MirVtable>();
  private readonly queue: Instance[] = [];
  private readonly requested = new Map<string, Instance>();
  readonly glue: GlueBuilder;
  readonly classes: ClassGen;
  private closureCount = 0;
  /** async functions spawned as tasks (by symbol): the first `spawn` of each, for the Send rule (async_check.ts) */
  readonly spawnedAsync = new Map<string, Span>();
  /** the first `spawn` of a function value whose async function is not known (any async body may run as a task) */
  spawnedUnknownAsync: Span | null = null;

  constructor(
    readonly checked: CheckedProgram,
    readonly sources: SourceMap,
    readonly opts: LowerOptions,
    private readonly lowerInstance: InstanceLowerer,
    /** lowering one body in its generic form for the checks (check_bodies.ts): callees, glue and vtables are named
     * but never queued or built, and type parameters stay open */
    readonly checkOnly = false,
  ) {
    this.glue = new GlueBuilder(this);
    this.classes = new ClassGen(this);
  }

  /** The symbol of an instance, queuing it for lowering the first time. */
  request(fn: FuncDef, typeArgs: readonly Type[]): string {
    if (fn.externSymbol) {
      if (!this.externs.has(fn.externSymbol)) {
        this.externs.set(fn.externSymbol, { symbol: fn.externSymbol, params: fn.params.map((p) => p.ty), ret: fn.ret });
      }
      return fn.externSymbol;
    }
    if (this.checkOnly) return mangleFn(fn, typeArgs);
    for (const t of typeArgs) if (!isClosed(t)) throw new Error(`internal: instance of ${fn.path} with open type ${typeToString(t)}`);
    const symbol = mangleFn(fn, typeArgs);
    if (!this.requested.has(symbol)) {
      const inst: Instance = { fn, typeArgs: [...typeArgs], subst: substFor(fn.typeParams, typeArgs), symbol };
      this.requested.set(symbol, inst);
      this.queue.push(inst);
    }
    return symbol;
  }

  /** The vtable of concrete type `ty` as `dyn behavior`: slot 0 its drop glue, then the behavior's methods in
   * declaration order (each resolved to the impl's method or the behavior's default). */
  vtableFor(ty: Type, behavior: BehaviorDef): string {
    const symbol = `vtable$${mangleType(ty)}$${behavior.path.replace(/::/g, '.')}`;
    if (this.vtables.has(symbol) || this.checkOnly) return symbol;
    const slots = [this.glue.dropSymbol(ty)];
    for (const [name] of behavior.methods) {
      const r = resolveBehaviorMethod(this.checked.defs, ty, behavior, name);
      if (!r || r.k !== 'fn') throw new Error(`internal: \`${typeToString(ty)}\` has no method \`${name}\` for \`dyn ${behavior.name}\``);
      slots.push(this.request(r.fn, r.fn.typeParams.map((p) => r.subst.get(p.id) ?? ty)));
    }
    this.vtables.set(symbol, { symbol, slots, displayName: `${typeToString(ty)} as dyn ${behavior.name}` });
    return symbol;
  }

  /** The slot of a behavior method in every vtable of that behavior. */
  vtableSlot(behavior: BehaviorDef, method: string): number {
    return [...behavior.methods.keys()].indexOf(method) + 1;
  }

  closureSymbol(owner: string): string {
    return `${owner}$closure${this.closureCount++}`;
  }

  add(f: MirFunction): void {
    this.functions.push(f);
  }

  /** Lower everything reachable from the entry (and tests), draining the queue. */
  run(): MirProgram {
    const c = this.checked;
    let entry: MirProgram['entry'] = null;
    if (c.main && !this.opts.tests) {
      entry = { symbol: this.request(c.main, []), returnsI32: c.main.ret.k === 'int' };
    }
    const tests: MirTest[] = [];
    if (this.opts.tests) {
      for (const t of c.tests) {
        const sym = this.request(t, []);
        const attr = t.attrs.find((a) => a.name === 'should_panic');
        let expected: string | null = null;
        for (const a of attr?.args ?? []) {
          if (a.kind === 'Assign' && a.value.kind === 'StrLit') expected = a.value.value;
          else if (a.kind === 'StrLit') expected = a.value;
        }
        const r = t.ret;
        tests.push({
          name: t.name,
          symbol: this.glue.testShim(t, sym),
          returns: r.k === 'unit' ? 'unit' : r.k === 'int' ? 'i32' : 'outcome',
          shouldPanic: attr ? { expected } : null,
          ignored: t.attrs.some((a) => a.name === 'ignore'),
          span: t.span,
        });
      }
    }
    this.classes.registerStatics(c.defs.adts.filter((d) => d.params.length === 0));
    const statics = this.classes.staticFunctions();
    while (this.queue.length) {
      const inst = this.queue.shift()!;
      for (const f of this.lowerInstance(this, inst)) this.functions.push(f);
    }
    return {
      functions: this.functions,
      externs: [...this.externs.values()],
      vtables: [...this.vtables.values()],
      globals: this.classes.globals,
      staticInit: statics.init,
      staticDrop: statics.drop,
      entry,
      tests,
      sources: this.sources,
    };
  }
}

export function mangleFn(fn: FuncDef, typeArgs: readonly Type[]): string {
  const base = 'tml.' + fn.path.replace(/::/g, '.');
  return typeArgs.length ? `${base}$${typeArgs.map(mangleType).join('$')}` : base;
}

/** A readable instance name: `largest[I32]`, `Maybe[I32]::unwrap`. */
export function displayName(fn: FuncDef, typeArgs: readonly Type[]): string {
  const own = typeArgs.slice(typeArgs.length - fn.ownParams.length);
  const outer = typeArgs.slice(0, typeArgs.length - fn.ownParams.length);
  const owner = fn.selfType ? (outer.length && fn.selfType.k === 'adt' ? `${fn.selfType.def.name}[${outer.map(typeToString).join(', ')}]::` : `${typeToString(fn.selfType)}::`) : '';
  return `${owner}${fn.name}${own.length ? `[${own.map(typeToString).join(', ')}]` : ''}`;
}
