// What every part of code generation for one module shares.
import type llvm from './llvm.js';
import type { AliasTags } from './alias_tags.js';
import type { ConstantPool } from './constants.js';
import type { DebugInfo } from './debuginfo.js';
import type { Externs } from './externs.js';
import type { Layouts } from './layout.js';
import type { MirFunction, MirProgram } from '../mir/mir.js';

/** A MIR function declared in the module. */
export interface DeclaredFn {
  readonly mir: MirFunction;
  readonly fn: llvm.Function;
  readonly type: llvm.FunctionType;
  readonly params: readonly llvm.Type[];
  readonly ret: llvm.Type;
}

export interface ModuleContext {
  readonly ctx: llvm.LLVMContext;
  readonly module: llvm.Module;
  readonly builder: llvm.IRBuilder;
  readonly layouts: Layouts;
  readonly consts: ConstantPool;
  readonly externs: Externs;
  readonly debug: DebugInfo | null;
  readonly program: MirProgram;
  readonly fns: ReadonlyMap<string, DeclaredFn>;
  /** vtable symbol → its constant `[N x i8*]` global */
  readonly vtables: ReadonlyMap<string, llvm.GlobalVariable>;
  /** program globals (static fields, class pools) by symbol */
  readonly globals: ReadonlyMap<string, llvm.GlobalVariable>;
  /** `!tbaa` tags, in optimised builds only (alias_tags.ts) */
  readonly aliasTags: AliasTags | null;
}
