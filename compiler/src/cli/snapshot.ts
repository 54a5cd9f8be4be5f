// Entry point of `tmlc` when it starts from its V8 start-up snapshot (docs/decisions.md, "A start-up snapshot").
// `npm run build` bundles this file (ci/bundle_cli.mjs) and runs it under `node --build-snapshot`: the whole CLI is
// loaded, a check and an `--emit=mir` build of the examples run so that V8 has compiled the front end, and the heap
// is written to tmlc.snapshot.blob. bin/tmlc starts Node from that blob, which calls `main` below with the
// compiler already in memory: no bundle to read, compile and run, and a third less start-up time.
//
// The snapshot holds what loading tmlc computed, so it is used only where it was built and only while it is newer
// than every file it was made from; otherwise the command runs through bin/tmlc.js as it always could.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { noteStartUp } from '../driver/phase_timer.js';
import { snapshotBlobArgument } from '../driver/snapshot_args.js';
import { installProcessHandlers, restoreNodeEnvironment } from './process_setup.js';
import { runCli } from './program.js';

/** The directory this file was built in: for the snapshot, where it was made. */
const builtIn = path.dirname(fileURLToPath(import.meta.url));

/**
 * Whether `blob` may be run: it is the one in `dir` and no file the bundle was made from (`inputs`, the list
 * ci/bundle_cli.mjs writes) is newer than it. A `tsc` after `npm run build`, or a moved checkout, runs the script.
 */
export function snapshotIsCurrent(blob: string | null, dir: string, inputs: string): boolean {
  if (blob === null) return false;
  try {
    if (path.resolve(path.dirname(blob)) !== path.resolve(dir)) return false;
    const made = statSync(blob).mtimeMs;
    const files = JSON.parse(readFileSync(inputs, 'utf8')) as unknown;
    return Array.isArray(files) && files.every((f) => typeof f === 'string' && statSync(f).mtimeMs <= made);
  } catch {
    return false; // an input is gone, or the list is
  }
}

/** Run from the snapshot: `node [flags] --snapshot-blob FILE -- ARGS…` leaves process.argv = [node, ARGS…]. */
function main(): void {
  noteStartUp('snapshot');
  restoreNodeEnvironment();
  const args = process.argv.slice(1);
  // the language server is not in the snapshot (ci/bundle_cli.mjs): bin/tmlc sends `lsp` to bin/tmlc.js, and so
  // does this
  if (args[0] === 'lsp' || !snapshotIsCurrent(snapshotBlobArgument(process.execArgv).blob, builtIn, path.join(builtIn, 'tmlc.snapshot.inputs'))) {
    runScript(args);
    return;
  }
  installProcessHandlers();
  // Exit as soon as the command is done and its output is out, instead of letting Node free its environment and
  // V8's heap first (3 ms of hello's build). The compiler writes its files with synchronous calls and 'exit' handlers
  // (temporary directories) still run; stdout and stderr are waited for, because a write to a full pipe is queued.
  // `tmlc lsp`, whose command returns while the server runs on, never gets here (see above).
  void runCli(args)
    .then(async (status) => {
      await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
      return status;
    })
    .then((status) => process.exit(status));
}

/** Resolves once everything written to `stream` so far is out (or the stream failed: its error is handled
 * elsewhere). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

/** A stale or moved snapshot, or `lsp`: the command runs as `node bin/tmlc.js ARGS…` would, with its status or
 * signal. */
function runScript(args: readonly string[]): void {
  const script = path.resolve(builtIn, '..', '..', '..', '..', 'bin', 'tmlc.js');
  const r = spawnSync(process.execPath, [script, ...args], { stdio: 'inherit' });
  if (r.error) {
    process.stderr.write(`error: cannot run ${script}: ${r.error.message}\n`);
    process.exit(1);
  }
  if (r.signal) process.kill(process.pid, r.signal);
  process.exit(r.status ?? 1);
}

/** While the snapshot is built: compile what most commands run (the front end, the MIR passes) by running them,
 * with their output thrown away. Code generation needs the LLVM addon, which a snapshot cannot hold. */
async function warmUp(): Promise<void> {
  const root = path.resolve(builtIn, '..', '..', '..', '..');
  const out = mkdtempSync(path.join(os.tmpdir(), 'tmlc-snapshot-'));
  const quiet = { out: () => {}, err: () => {} };
  try {
    for (const example of ['hello.tml', path.join('wordfreq', 'wordfreq.tml')]) {
      const file = path.join(root, 'examples', example);
      await runCli(['check', file], { io: quiet });
      await runCli(['build', '--emit=mir', file, '-o', path.join(out, 'warm.mir')], { io: quiet });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (v8.startupSnapshot.isBuildingSnapshot()) {
  v8.startupSnapshot.setDeserializeMainFunction(main);
  void warmUp().then(() => {
    process.exitCode = 0;
  });
}
