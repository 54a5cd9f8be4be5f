// Private temp dirs (TOOLCHAIN.md §3): created with `tmp` (mode 0700), removed on success, on failure and on
// SIGINT/SIGTERM/SIGHUP. `tmp.setGracefulCleanup()` covers a normal process exit; the signal handlers here cover
// the signals, whose default action would kill the process without running any exit hook.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import type * as Tmp from 'tmp';

let tmpModule: typeof Tmp | null = null;

/** `tmp`, loaded on the first temp dir: `tmlc check` makes none and does not pay for loading it. */
function tmp(): typeof Tmp {
  if (tmpModule === null) {
    tmpModule = createRequire(import.meta.url)('tmp') as typeof Tmp;
    tmpModule.setGracefulCleanup();
  }
  return tmpModule;
}

export interface TempDir {
  readonly path: string;
  /** Remove the directory and everything in it; idempotent. */
  remove(): void;
}

const live = new Set<TempDir>();
const HANDLED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;
let delegate: ((sig: NodeJS.Signals) => void) | null = null;

/** A fresh private directory, removed by `remove()`, at exit, or when a signal ends the process. */
export function makeTempDir(prefix = 'tmlc'): TempDir {
  installSignalCleanup();
  const r = tmp().dirSync({ unsafeCleanup: true, prefix, mode: 0o700 });
  let removed = false;
  const dir: TempDir = {
    path: r.name,
    remove(): void {
      if (removed) return;
      removed = true;
      live.delete(dir);
      try {
        r.removeCallback();
      } catch {
        // fall through to the forceful removal
      }
      rmSync(r.name, { recursive: true, force: true });
    },
  };
  live.add(dir);
  return dir;
}

/** Run `fn` with a private temp dir that is removed afterwards, whether `fn` succeeds or throws. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>, prefix?: string): Promise<T> {
  const dir = makeTempDir(prefix);
  try {
    return await fn(dir.path);
  } finally {
    dir.remove();
  }
}

/** Remove every temp dir this process still has. */
export function removeAllTempDirs(): void {
  for (const d of [...live]) {
    try {
      d.remove();
    } catch {
      // best effort: we are usually on the way out
    }
  }
}

/** Number of temp dirs not yet removed (for tests). */
export function liveTempDirCount(): number {
  return live.size;
}

/**
 * While a child program runs in the foreground (`tmlc run`), signals are the child's business: the delegate
 * is called instead of the cleanup-and-die default, and cleanup happens when the child has exited.
 * Returns the previous delegate.
 */
export function setSignalDelegate(fn: ((sig: NodeJS.Signals) => void) | null): ((sig: NodeJS.Signals) => void) | null {
  const prev = delegate;
  delegate = fn;
  installSignalCleanup();
  return prev;
}

function onSignal(sig: NodeJS.Signals): void {
  if (delegate !== null) {
    delegate(sig);
    return;
  }
  removeAllTempDirs();
  for (const s of HANDLED) process.removeListener(s, onSignal);
  // Die by the same signal, as the default action would have, so our parent sees the signal.
  process.kill(process.pid, sig);
  process.exit(128 + (constants.signals[sig] ?? 1));
}

/** Install the signal handlers once (done automatically by makeTempDir). */
export function installSignalCleanup(): void {
  if (installed) return;
  installed = true;
  for (const s of HANDLED) process.on(s, onSignal);
}
