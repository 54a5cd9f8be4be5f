// tmlc's patch of llvm-bindings 0.4.2 (patches/llvm-bindings+0.4.2.patch): disposal of the native objects the
// compiler makes (safe twice, a JavaScript error after, never a crash), function/parameter/return attributes by
// name, and object files written in-process by a TargetMachine that link and run.
import { execa } from 'execa';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import llvm, { initTargets } from '../../compiler/src/codegen/llvm.js';
import { targetMachine } from '../../compiler/src/codegen/target.js';

const HOST_TRIPLE = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-pc-linux-gnu';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-llvm-patch-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A module with `i32 @f(i8* %p, i32 %n)` returning `n`. */
function smallModule(ctx: llvm.LLVMContext, name = 'm'): { module: llvm.Module; fn: llvm.Function; builder: llvm.IRBuilder } {
  const module = new llvm.Module(name, ctx);
  const builder = new llvm.IRBuilder(ctx);
  const i32 = builder.getInt32Ty();
  const type = llvm.FunctionType.get(i32, [builder.getInt8PtrTy(), i32], false);
  const fn = llvm.Function.Create(type, llvm.GlobalValue.LinkageTypes.ExternalLinkage, 'f', module);
  builder.SetInsertPoint(llvm.BasicBlock.Create(ctx, 'entry', fn));
  builder.CreateRet(fn.getArg(1));
  return { module, fn, builder };
}

describe('dispose', () => {
  it('frees builders, module and context in order; a second dispose() is a no-op', () => {
    const ctx = new llvm.LLVMContext();
    const { module, builder } = smallModule(ctx);
    const di = new llvm.DIBuilder(module);
    di.finalize();
    for (const o of [di, builder, module, ctx]) {
      expect(o.isDisposed()).toBe(false);
      o.dispose();
      expect(o.isDisposed()).toBe(true);
      o.dispose();
    }
  });

  it('a disposed object throws a JavaScript error when used, as a receiver or as an argument', () => {
    const ctx = new llvm.LLVMContext();
    const { module, builder } = smallModule(ctx);
    builder.dispose();
    expect(() => builder.getInt32Ty()).toThrow(/IRBuilder\.getInt32Ty\(\) called after dispose\(\)/);
    module.dispose();
    expect(() => module.print()).toThrow(/Module\.print\(\) called after dispose\(\)/);
    expect(() => llvm.Function.Create(llvm.FunctionType.get(llvm.Type.getVoidTy(ctx), false), 0, 'g', module)).toThrow(Error);
    ctx.dispose();
    expect(() => new llvm.Module('late', ctx)).toThrow(Error);
    expect(() => new llvm.IRBuilder(ctx)).toThrow(Error);
    expect(() => llvm.Type.getInt32Ty(ctx)).toThrow(Error);
  });

  it('a context is not deleted under a live module or builder of its own', () => {
    const ctx = new llvm.LLVMContext();
    const { module, builder } = smallModule(ctx);
    expect(() => ctx.dispose()).toThrow(/2 module\(s\) or builder\(s\) of this context are not disposed of yet/);
    builder.dispose();
    expect(() => ctx.dispose()).toThrow(/1 module\(s\) or builder\(s\)/);
    module.dispose();
    ctx.dispose();
    expect(ctx.isDisposed()).toBe(true);
  });

  it('a Module wrapper that only views a module (Instruction.getModule) cannot dispose of it', () => {
    const ctx = new llvm.LLVMContext();
    const { module, builder, fn } = smallModule(ctx);
    const view = fn.getEntryBlock().getModule()!;
    expect(() => view.dispose()).toThrow(/does not own its module/);
    expect(module.print()).toContain('define i32 @f');
    builder.dispose();
    module.dispose();
    ctx.dispose();
  });
});

describe('attributes', () => {
  it('function, parameter and return attributes by name, string attributes and integer kinds appear in the IR', () => {
    const ctx = new llvm.LLVMContext();
    const { module, builder, fn } = smallModule(ctx);
    fn.addFnAttr('nounwind');
    fn.addFnAttr('sanitize_address');
    fn.addFnAttr('frame-pointer', 'all');
    fn.addParamAttr(0, 'nonnull');
    fn.addParamAttr(0, 'noalias');
    fn.addParamAttr(0, 'readonly');
    fn.addParamAttr(0, 'dereferenceable', 8);
    fn.addRetAttr('noundef');
    const ir = module.print();
    expect(ir).toMatch(/define noundef i32 @f\(i8\* noalias nonnull readonly dereferenceable\(8\) %0, i32 %1\) #0/);
    expect(ir).toMatch(/attributes #0 = \{ nounwind sanitize_address "frame-pointer"="all" \}/);
    expect(llvm.verifyModule(module)).toBe(false);
    builder.dispose();
    module.dispose();
    ctx.dispose();
  });

  it('an unknown kind, a missing number or a bad argument index is a TypeError', () => {
    const ctx = new llvm.LLVMContext();
    const { module, builder, fn } = smallModule(ctx);
    expect(() => fn.addFnAttr('no_such_attribute')).toThrow(/unknown attribute kind 'no_such_attribute'/);
    expect(() => fn.addParamAttr(0, 'dereferenceable')).toThrow(/needs a number value/);
    expect(() => fn.addParamAttr(2, 'nonnull')).toThrow(/argNo below arg_size/);
    expect(() => fn.addFnAttr('nounwind', 1)).toThrow(/takes no value/);
    builder.dispose();
    module.dispose();
    ctx.dispose();
  });
});

describe('metadata', () => {
  it('TBAA nodes (root, scalar types, access tags) on loads and stores appear in the IR, one node per distinct tuple', () => {
    const ctx = new llvm.LLVMContext();
    const module = new llvm.Module('tbaa', ctx);
    const builder = new llvm.IRBuilder(ctx);
    const dbl = builder.getDoubleTy();
    const fn = llvm.Function.Create(llvm.FunctionType.get(dbl, [llvm.PointerType.getUnqual(dbl)], false), llvm.GlobalValue.LinkageTypes.ExternalLinkage, 'f', module);
    builder.SetInsertPoint(llvm.BasicBlock.Create(ctx, 'entry', fn));
    const root = llvm.MDNode.getTBAARoot(ctx, 'Simple C/C++ TBAA');
    const char = llvm.MDNode.getTBAAScalarType(ctx, 'omnipotent char', root);
    const double = llvm.MDNode.getTBAAScalarType(ctx, 'double', char);
    const tag = llvm.MDNode.getTBAAAccessTag(ctx, double, double, 0);
    const again = llvm.MDNode.getTBAAAccessTag(ctx, llvm.MDNode.getTBAAScalarType(ctx, 'double', char), double, 0);
    const load = builder.CreateLoad(dbl, fn.getArg(0));
    load.setMetadata('tbaa', tag);
    builder.CreateStore(load, fn.getArg(0)).setMetadata('tbaa', again);
    builder.CreateRet(load);
    expect(llvm.verifyModule(module)).toBe(false);
    const ir = module.print();
    expect(ir).toContain('%1 = load double, double* %0, align 8, !tbaa !0');
    expect(ir).toContain('store double %1, double* %0, align 8, !tbaa !0');
    expect(ir).toContain('!0 = !{!1, !1, i64 0}\n!1 = !{!"double", !2, i64 0}\n!2 = !{!"omnipotent char", !3, i64 0}\n!3 = !{!"Simple C/C++ TBAA"}');
    builder.dispose();
    module.dispose();
    ctx.dispose();
  });

  it('a bad argument is a TypeError naming the expected signature', () => {
    const ctx = new llvm.LLVMContext();
    const root = llvm.MDNode.getTBAARoot(ctx, 'r');
    expect(() => llvm.MDNode.getTBAAScalarType(ctx, 'double', null as unknown as llvm.MDNode)).toThrow(/getTBAAScalarType needs to be called with/);
    expect(() => llvm.MDNode.getTBAAAccessTag(ctx, root, root, 'x' as unknown as number)).toThrow(/getTBAAAccessTag needs to be called with/);
    const { module, fn, builder } = smallModule(ctx);
    const load = builder.CreateLoad(builder.getInt8Ty(), fn.getArg(0));
    expect(() => load.setMetadata('tbaa', 3 as unknown as llvm.MDNode)).toThrow(/LoadInst.setMetadata needs to be called with/);
    builder.dispose();
    module.dispose();
    ctx.dispose();
  });
});

describe('object emission', () => {
  it('an object file written by the TargetMachine links with clang into a program that runs', async () => {
    initTargets();
    const ctx = new llvm.LLVMContext();
    const module = new llvm.Module('hello', ctx);
    module.setTargetTriple(HOST_TRIPLE);
    const builder = new llvm.IRBuilder(ctx);
    const i32 = builder.getInt32Ty();
    const puts = module.getOrInsertFunction('puts', llvm.FunctionType.get(i32, [builder.getInt8PtrTy()], false));
    const main = llvm.Function.Create(llvm.FunctionType.get(i32, false), llvm.GlobalValue.LinkageTypes.ExternalLinkage, 'main', module);
    builder.SetInsertPoint(llvm.BasicBlock.Create(ctx, 'entry', main));
    builder.CreateCall(puts, [builder.CreateGlobalStringPtr('hello from an in-process object', 'msg', 0, module)]);
    builder.CreateRet(builder.getInt32(42));
    const obj = path.join(dir, 'hello.o');
    targetMachine(HOST_TRIPLE, 0).emitToFile(module, obj, 'obj');
    const exe = path.join(dir, 'hello');
    await execa('clang-14', [obj, '-o', exe]);
    const r = await execa(exe, [], { reject: false });
    expect(r.stdout).toBe('hello from an in-process object');
    expect(r.exitCode).toBe(42);

    const asm = path.join(dir, 'hello.s');
    targetMachine(HOST_TRIPLE, 0).emitToFile(module, asm, 'asm');
    expect(fs.readFileSync(asm, 'utf8')).toMatch(/^main:/m);
    expect(() => targetMachine(HOST_TRIPLE, 0).emitToFile(module, path.join(dir, 'no', 'such', 'dir.o'))).toThrow(/cannot open/);
    builder.dispose();
    module.dispose();
    ctx.dispose();
  });

  it('the addon links the two targets tmlc generates code for, and only those', () => {
    initTargets();
    for (const triple of ['x86_64-pc-linux-gnu', 'aarch64-linux-gnu']) {
      const target = llvm.TargetRegistry.lookupTarget(triple);
      expect(target?.getName()).toBe(triple.startsWith('x86') ? 'x86-64' : 'aarch64');
    }
    // the other 17 targets of Debian's LLVM are not linked (cmake/LLVM.cmake in the patch)
    for (const triple of ['riscv64-linux-gnu', 'wasm32-unknown-unknown', 'arm-linux-gnueabihf']) expect(llvm.TargetRegistry.lookupTarget(triple)).toBeNull();
  });

  it("the addon keeps the static LLVM libraries' symbols to itself and packs its relative relocations", async () => {
    const addon = path.join(path.dirname(createRequire(import.meta.url).resolve('llvm-bindings')), 'build', 'Release', 'llvm-bindings.node');
    const exported = (await execa('llvm-nm-14', ['-D', '--defined-only', addon])).stdout.split('\n');
    // only templates the addon's own sources instantiate (weak) are left of LLVM's 13,000 exported symbols
    const llvmSymbols = exported.filter((l) => / _ZN4llvm/.test(l));
    expect(llvmSymbols.length).toBeLessThan(20);
    expect(exported.some((l) => / napi_register_module_v1$/.test(l))).toBe(true);
    expect((await execa('llvm-readelf-14', ['--dynamic-table', addon])).stdout).toMatch(/\(RELR\)/);
  });

  it('a disposed TargetMachine throws instead of generating code', () => {
    initTargets();
    const target = llvm.TargetRegistry.lookupTarget(HOST_TRIPLE)!;
    const machine = target.createTargetMachine(HOST_TRIPLE, 'generic', '', 'pic', 0);
    machine.dispose();
    machine.dispose();
    const ctx = new llvm.LLVMContext();
    const { module, builder } = smallModule(ctx);
    expect(() => machine.emitToFile(module, path.join(dir, 'never.o'))).toThrow(/TargetMachine\.emitToFile\(\) called after dispose\(\)/);
    expect(() => target.createTargetMachine(HOST_TRIPLE, 'generic', '', 'pie' as 'pic')).toThrow(/relocModel/);
    builder.dispose();
    module.dispose();
    ctx.dispose();
  });
});
