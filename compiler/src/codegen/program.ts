// MIR program → one LLVM module: target and data layout, every MIR function declared first (so bodies can refer
// to each other and to glue), vtables (constant tables of those functions), FFI externs, bodies, the C `main`
// (program entry or test harness), debug info, verification. The result owns the module's native objects until its
// dispose() (the driver calls it when the backend is done, so a long-lived process stays bounded).
import llvm, { ice, isPointerType, ptrTo, requirePatchedBindings } from './llvm.js';
import { AliasTags } from './alias_tags.js';
import { ConstantPool } from './constants.js';
import type { DeclaredFn, ModuleContext } from './context.js';
import { DebugInfo } from './debuginfo.js';
import { Externs } from './externs.js';
import { emitFunctionBody } from './function.js';
import { defineSingleThreaded } from './single_threaded.js';
import { Layouts } from './layout.js';
import { addReferenceParamAttributes } from './param_attrs.js';
import { externalFunctions, functionLinkage } from './linkage.js';
import { dataLayoutFor, targetMachine } from './target.js';
import { verify } from './verify.js';
import type { MirFunction, MirProgram, MirVtable } from '../mir/mir.js';

export interface CodegenOptions {
  triple: string;
  debugInfo: boolean;
  checkLeaks: boolean;
  harness: 'main' | 'tests';
  moduleName: string;
  /** attributes every defined function gets, e.g. `sanitize_address`: clang's AddressSanitizer and
   * ThreadSanitizer passes only instrument functions that carry theirs */
  functionAttributes?: readonly string[];
  /** define the runtime's threads-started flag as a constant 0 when the program calls no C function that can start
   * a thread (single_threaded.ts); for release builds, whose runtime functions are inlined and fold the flag */
  singleThreadedWhenPossible?: boolean;
  /** tag class fields and class references for LLVM's type-based alias analysis (alias_tags.ts): for builds that
   * optimise, where it lets a store into a new object pass a list element's or a pool head's load */
  aliasTags?: boolean;
  /** called after each function's body is emitted: the driver collects garbage there in a large build */
  afterFunction?: () => void;
}

export interface CodegenResult {
  /** the module as LLVM assembly */
  ir(): string;
  /** write the bitcode; refuses (internal error) when the module failed verification */
  writeBitcode(path: string): void;
  /** generate code for the module in-process into the object file `path` (no IR optimisation: what
   * `clang -c -O<optLevel>` does with bitcode, minus clang's own passes); refuses an unverified module too */
  emitObject(path: string, optLevel: 0 | 1 | 2 | 3): void;
  /** null when the module verified; else the first broken function and `opt-14 -verify`'s message */
  verifyFailure: string | null;
  /** free the module's native objects (builders, module, context); safe to call twice; the other methods throw after */
  dispose(): void;
}

export function generateLLVM(program: MirProgram, opts: CodegenOptions): CodegenResult {
  requirePatchedBindings();
  const layoutString = dataLayoutFor(opts.triple);
  const ctx = new llvm.LLVMContext();
  const module = new llvm.Module(opts.moduleName, ctx);
  const builder = new llvm.IRBuilder(ctx);
  let debug: DebugInfo | null = null;
  // in the order LLVM needs: the builders before the module, the module before its context
  const dispose = (): void => {
    debug?.dispose();
    builder.dispose();
    module.dispose();
    ctx.dispose();
  };
  try {
    debug = opts.debugInfo ? new DebugInfo(ctx, module, program.sources, mainSourceFile(program, opts.moduleName)) : null;
    const verifyFailure = emitModule(program, opts, { ctx, module, builder, debug }, layoutString);
    // the result's closures keep only the triple, not `opts` (whose callbacks could keep the MIR alive)
    const triple = opts.triple;
    const verified = (what: string): void => {
      if (verifyFailure !== null) ice(`refusing to ${what} a module that failed verification: ${verifyFailure}`);
    };
    return {
      ir: () => module.print(),
      writeBitcode(path: string) {
        verified('write');
        llvm.WriteBitcodeToFile(module, path);
      },
      emitObject(path: string, optLevel: 0 | 1 | 2 | 3) {
        verified('compile');
        targetMachine(triple, optLevel).emitToFile(module, path, 'obj');
      },
      verifyFailure,
      dispose,
    };
  } catch (e) {
    dispose();
    throw e;
  }
}

interface NativeParts {
  ctx: llvm.LLVMContext;
  module: llvm.Module;
  builder: llvm.IRBuilder;
  debug: DebugInfo | null;
}

/** Fill the module; null when it verified, else the failure. */
function emitModule(program: MirProgram, opts: CodegenOptions, parts: NativeParts, layoutString: string): string | null {
  const { ctx, module, builder, debug } = parts;
  // clang's own spelling of the triple (it rewrites `aarch64-linux-gnu` with a warning otherwise)
  module.setTargetTriple(opts.triple.replace(/^(aarch64|arm64)-linux-gnu$/, 'aarch64-unknown-linux-gnu'));
  module.setDataLayout(layoutString);
  const layouts = new Layouts(ctx, module.getDataLayout());
  debug?.useLayouts(layouts);
  const consts = new ConstantPool(ctx, module, builder, layouts, program.sources);
  const fns = new Map<string, DeclaredFn>();
  const vtables = new Map<string, llvm.GlobalVariable>();
  const globals = new Map<string, llvm.GlobalVariable>();
  const externs = new Externs(ctx, module, builder, layouts, (s) => fns.has(s) || vtables.has(s) || globals.has(s) || s === 'main');
  const aliasTags = opts.aliasTags === true ? new AliasTags(ctx) : null;
  const mc: ModuleContext = { ctx, module, builder, layouts, consts, externs, debug, program, fns, vtables, globals, aliasTags };
  for (const g of program.globals) {
    if (globals.has(g.symbol) || fns.has(g.symbol)) ice(`global '${g.symbol}' is defined twice`);
    const ty = layouts.llvmType(g.ty);
    globals.set(g.symbol, new llvm.GlobalVariable(module, ty, false, llvm.GlobalValue.LinkageTypes.InternalLinkage, llvm.Constant.getNullValue(ty), g.symbol));
  }

  const external = externalFunctions(program);
  for (const f of program.functions) {
    if (fns.has(f.symbol)) ice(`function symbol '${f.symbol}' is defined twice`);
    if (f.symbol === 'main') ice(`a MIR function may not be named 'main' (the C entry point)`);
    fns.set(f.symbol, declareFunction(mc, f, external));
  }
  for (const v of program.vtables) {
    if (vtables.has(v.symbol)) ice(`vtable symbol '${v.symbol}' is defined twice`);
    if (fns.has(v.symbol) || v.symbol === 'main') ice(`vtable '${v.symbol}' has the name of a function`);
    vtables.set(v.symbol, emitVtable(mc, v));
  }
  for (const e of program.externs) externs.declare(e.symbol, e.params, e.ret);
  for (const f of fns.values()) {
    emitFunctionBody(mc, f);
    opts.afterFunction?.();
  }

  if (debug) debug.clearLocation(builder);
  const cMain = opts.harness === 'main' ? emitProgramMain(mc, opts) : emitTestMain(mc, opts);

  // after every body and the C main: the externs are all declared now
  if (opts.singleThreadedWhenPossible === true) defineSingleThreaded(ctx, module, externs.symbols());

  if (debug) debug.finalize();
  const defined = [...fns.values()].map((f) => ({ name: f.mir.symbol, fn: f.fn }));
  if (cMain) defined.push({ name: 'main', fn: cMain });
  for (const attribute of opts.functionAttributes ?? []) {
    for (const f of defined) f.fn.addFnAttr(attribute);
  }
  return verify(module, defined);
}

function mainSourceFile(program: MirProgram, fallback: string): string {
  const entry = program.entry ? program.functions.find((f) => f.symbol === program.entry!.symbol) : undefined;
  return entry?.span.file ?? program.tests[0]?.span.file ?? program.functions[0]?.span.file ?? fallback;
}

function declareFunction(mc: ModuleContext, f: MirFunction, external: ReadonlySet<string>): DeclaredFn {
  const L = mc.layouts;
  const params = [];
  const paramTypes = [];
  for (let i = 1; i <= f.argCount; i++) {
    const l = f.locals.find((x) => x.id === i) ?? ice(`${f.symbol}: argument local _${i} is missing`);
    params.push(L.llvmType(l.ty));
    paramTypes.push(l.ty);
  }
  const ret = L.returnType(f.retTy);
  const type = llvm.FunctionType.get(ret, params, false);
  const fn = llvm.Function.Create(type, functionLinkage(f, external), f.symbol, mc.module);
  addReferenceParamAttributes(fn, paramTypes, L);
  return { mir: f, fn, type, params, ret };
}

/** An internal constant `[N x i8*]` of the slot functions (slot 0: the concrete type's drop glue). Each slot is
 * called through the vtable with an i8* data pointer as its first argument, so it must take a pointer first. */
function emitVtable(mc: ModuleContext, v: MirVtable): llvm.GlobalVariable {
  const L = mc.layouts;
  if (v.slots.length === 0) ice(`vtable '${v.symbol}' (${v.displayName}) has no slots (slot 0 is the drop glue)`);
  const entries = v.slots.map((symbol, i) => {
    const f = mc.fns.get(symbol) ?? ice(`slot ${i} of vtable '${v.symbol}' (${v.displayName}) is '${symbol}', not a function of the program`);
    if (f.params.length === 0 || !isPointerType(f.params[0]!)) {
      ice(`slot ${i} of vtable '${v.symbol}' (${v.displayName}): '${symbol}' does not take a pointer receiver first`);
    }
    return llvm.ConstantExpr.getBitCast(f.fn, L.i8p);
  });
  const ty = llvm.ArrayType.get(L.i8p, entries.length);
  const init = llvm.ConstantArray.get(ty, entries);
  return new llvm.GlobalVariable(mc.module, ty, true, llvm.GlobalValue.LinkageTypes.InternalLinkage, init, v.symbol);
}

function createCMain(mc: ModuleContext): { fn: llvm.Function; argc: llvm.Value; argv: llvm.Value } {
  const L = mc.layouts;
  const type = llvm.FunctionType.get(L.i32, [L.i32, ptrTo(L.i8p)], false);
  const fn = llvm.Function.Create(type, llvm.GlobalValue.LinkageTypes.ExternalLinkage, 'main', mc.module);
  const argc = fn.getArg(0);
  const argv = fn.getArg(1);
  argc.setName('argc');
  argv.setName('argv');
  return { fn, argc, argv };
}

function runtimeInit(mc: ModuleContext, argc: llvm.Value, argv: llvm.Value, checkLeaks: boolean): void {
  const L = mc.layouts;
  mc.externs.callC('tml_runtime_init', 'void', ['i32', 'ptr', 'i32'], [
    argc,
    argv,
    llvm.ConstantInt.get(L.i32, checkLeaks ? 1 : 0, false),
  ]);
}

function runtimeExit(mc: ModuleContext, status: llvm.Value): void {
  const L = mc.layouts;
  mc.builder.CreateRet(mc.externs.callC('tml_runtime_exit', 'i32', ['i32'], [status]));
}

/** The static fields' initialiser (before the entry) or finaliser (after it), when the program has statics. */
function callStatics(mc: ModuleContext, symbol: string | null): void {
  if (!symbol) return;
  const f = mc.fns.get(symbol) ?? ice(`statics function '${symbol}' is not defined`);
  mc.builder.CreateCall(f.type, f.fn, []);
}

/** Call a no-argument MIR function whose I32 result (if it has one) is a status; otherwise the status is 0. */
function callForStatus(mc: ModuleContext, symbol: string, useResult: boolean): llvm.Value {
  const f = mc.fns.get(symbol) ?? ice(`entry/test function '${symbol}' is not defined`);
  if (f.params.length !== 0) ice(`entry/test function '${symbol}' must take no parameters`);
  const call = mc.builder.CreateCall(f.type, f.fn, []);
  if (useResult && f.mir.retTy.k === 'int' && f.mir.retTy.name === 'I32') return call;
  if (useResult && f.mir.retTy.k !== 'unit' && f.mir.retTy.k !== 'never') {
    ice(`'${symbol}' returns a value that is not an exit status`);
  }
  return llvm.ConstantInt.get(mc.layouts.i32, 0, false);
}

/** `int main(argc, argv)`: init the runtime, run the entry, exit through the runtime (leak check). */
function emitProgramMain(mc: ModuleContext, opts: CodegenOptions): llvm.Function | null {
  const entry = mc.program.entry;
  if (!entry) return null;
  const { fn, argc, argv } = createCMain(mc);
  mc.builder.SetInsertPoint(llvm.BasicBlock.Create(mc.ctx, 'entry', fn));
  runtimeInit(mc, argc, argv, opts.checkLeaks);
  callStatics(mc, mc.program.staticInit);
  const status = callForStatus(mc, entry.symbol, entry.returnsI32);
  callStatics(mc, mc.program.staticDrop);
  runtimeExit(mc, status);
  return fn;
}

/** `int main(argc, argv)` of a test executable: `prog NAME` runs test NAME and exits with its status through the
 * runtime; `prog --list` prints the test names, one per line; no or an unknown name: "unknown test", status 2. */
function emitTestMain(mc: ModuleContext, opts: CodegenOptions): llvm.Function {
  const { ctx, builder: b, externs } = mc;
  const L = mc.layouts;
  const { fn, argc, argv } = createCMain(mc);
  const block = (name: string) => llvm.BasicBlock.Create(ctx, name, fn);
  const write = (fd: number, text: string) => {
    externs.callC('write', 'i64', ['i32', 'ptr', 'i64'], [
      llvm.ConstantInt.get(L.i32, fd, false),
      mc.consts.cstr(text),
      llvm.ConstantInt.get(L.i64, Buffer.byteLength(text, 'utf8'), false),
    ]);
  };
  const equals = (s: llvm.Value, text: string) =>
    b.CreateICmpEQ(externs.callC('strcmp', 'i32', ['ptr', 'ptr'], [s, mc.consts.cstr(text)]), llvm.ConstantInt.get(L.i32, 0, false));

  const entry = block('entry');
  const haveArg = block('have.arg');
  const list = block('list');
  const unknown = block('unknown');
  b.SetInsertPoint(entry);
  b.CreateCondBr(b.CreateICmpSGE(argc, llvm.ConstantInt.get(L.i32, 2, true)), haveArg, unknown);

  b.SetInsertPoint(haveArg);
  const name = b.CreateLoad(L.i8p, b.CreateInBoundsGEP(L.i8p, argv, [llvm.ConstantInt.get(L.i64, 1, false)]));
  let next = block('match.0');
  b.CreateCondBr(equals(name, '--list'), list, next);
  mc.program.tests.forEach((t, i) => {
    b.SetInsertPoint(next);
    const run = block(`run.${i}`);
    next = block(`match.${i + 1}`);
    b.CreateCondBr(equals(name, t.name), run, next);
    b.SetInsertPoint(run);
    runtimeInit(mc, argc, argv, opts.checkLeaks);
    callStatics(mc, mc.program.staticInit);
    const status = callForStatus(mc, t.symbol, true);
    callStatics(mc, mc.program.staticDrop);
    runtimeExit(mc, status);
  });
  b.SetInsertPoint(next);
  b.CreateBr(unknown);

  b.SetInsertPoint(list);
  if (mc.program.tests.length > 0) write(1, mc.program.tests.map((t) => `${t.name}\n`).join(''));
  b.CreateRet(llvm.ConstantInt.get(L.i32, 0, false));

  b.SetInsertPoint(unknown);
  write(2, 'unknown test\n');
  b.CreateRet(llvm.ConstantInt.get(L.i32, 2, false));
  return fn;
}
