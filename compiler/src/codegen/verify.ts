// Module verification. `llvm.verifyModule` returns true when the module is broken and prints the reason to the
// process's stderr, where JavaScript cannot read it; so on failure the module's IR is written to a temp file and
// `opt-14 -verify -disable-output` is run on it for the message, and `llvm.verifyFunction` finds the first broken
// function. The result is null for a valid module.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execaSync } from 'execa';
import llvm from './llvm.js';

export function verify(module: llvm.Module, functions: readonly { name: string; fn: llvm.Function }[]): string | null {
  if (!llvm.verifyModule(module)) return null;
  const broken = functions.find((f) => llvm.verifyFunction(f.fn));
  const where = broken ? `in function '${broken.name}'` : 'in module';
  return `${where}: ${optVerifyMessage(module)}`;
}

function optVerifyMessage(module: llvm.Module): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-verify-'));
  try {
    const file = path.join(dir, 'module.ll');
    fs.writeFileSync(file, module.print());
    const r = execaSync('opt-14', ['-verify', '-disable-output', file], { reject: false, all: true });
    if (r.failed && r.exitCode === undefined) return `(opt-14 could not be run: ${r.shortMessage}; install llvm-14)`;
    const text = (r.stderr ?? '').trim() || (r.stdout ?? '').trim();
    return text.length > 0 ? text : '(opt-14 -verify found nothing; see the verifier output on stderr)';
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
