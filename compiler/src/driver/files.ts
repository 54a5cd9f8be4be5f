// The files the driver reads and writes. A problem with one is the user's to fix (a missing directory, a
// read-only disk, an output that would overwrite a source file): one line and status 1, never an internal error.
import { copyFileSync, existsSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MAX_SOURCE_BYTES } from '../sema/read_source.js';
import { ToolError } from './toolchain.js';

/** A file could not be read or written; printed as its one-line message, status 1. */
export class IoError extends ToolError {
  constructor(message: string) {
    super(message);
    this.name = 'IoError';
  }
}

/** The part of a Node file-system error a user needs: "no such file or directory", "permission denied", … */
export function fsReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENAMETOOLONG':
      return 'file name too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'ETXTBSY':
      return 'the file is a running program';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

/**
 * Fail early, before any work, when `out` cannot be written: its directory is missing, it names a directory, or
 * it is one of the `inputs` (writing the executable over the program's source would lose the source).
 * `-` (standard output) is always fine.
 */
export function checkOutputPath(out: string, inputs: readonly string[]): void {
  if (out === '-') return;
  for (const input of inputs) {
    if (sameFile(out, input)) {
      throw new IoError(`error: refusing to write the output to '${out}': it is an input file of this build; choose another -o`);
    }
  }
  if (existsSync(out) && statSync(out).isDirectory()) {
    throw new IoError(`error: cannot write '${out}': it is a directory`);
  }
  const dir = path.dirname(path.resolve(out));
  let dirOk = false;
  try {
    dirOk = statSync(realpathSync(dir)).isDirectory();
  } catch {
    dirOk = false;
  }
  if (!dirOk) throw new IoError(`error: cannot write '${out}': the directory '${path.dirname(out)}' does not exist`);
}

/** writeFileSync with a user-facing error. */
export function writeOutputFile(out: string, data: string | Uint8Array): void {
  try {
    writeFileSync(out, data);
  } catch (e) {
    throw new IoError(`error: cannot write '${out}': ${fsReason(e)}`);
  }
}

/**
 * Put the finished file `from` at `out`: copied next to it, then renamed over it, so `out` is never half-written
 * and a running program of the same name is replaced rather than written into. Errors name `out`.
 */
export function copyOutputFile(from: string, out: string): void {
  const staging = path.join(path.dirname(out), `.${path.basename(out)}.tmlc-${process.pid}`);
  try {
    copyFileSync(from, staging);
    renameSync(staging, out);
  } catch (e) {
    rmSync(staging, { force: true });
    throw new IoError(`error: cannot write '${out}': ${fsReason(e)}`);
  }
}

/**
 * A path as a tool argument that can never be read as an option: `-lfoo` becomes `./-lfoo`. Tools take paths
 * from our argument arrays (never a shell), so this is the only way a file name could change a command.
 */
export function pathArg(p: string): string {
  return p.startsWith('-') ? `.${path.sep}${p}` : p;
}


/** The entry file must exist and be a regular file of sensible size. */
export function checkInputFile(entry: string): void {
  let st;
  try {
    st = statSync(entry);
  } catch (e) {
    throw new IoError(`error: cannot read '${entry}': ${fsReason(e)}`);
  }
  if (st.isDirectory()) throw new IoError(`error: cannot read '${entry}': it is a directory`);
  if (!st.isFile()) throw new IoError(`error: cannot read '${entry}': not a regular file`);
  if (st.size > MAX_SOURCE_BYTES) {
    throw new IoError(`error: cannot read '${entry}': ${st.size} bytes is more than the ${MAX_SOURCE_BYTES >> 20} MiB a source file may have`);
  }
}
