// MIR → LLVM IR code generation (see program.ts for the module, function.ts for one function).
export { generateLLVM, type CodegenOptions, type CodegenResult } from './program.js';
export { CodegenError } from './llvm.js';
