// What the `tmlc` process sets up before it runs a command, however it was started: from a script (main.ts, through
// bin/tmlc.js) or from the start-up snapshot (snapshot.ts, through bin/tmlc).
import { reportInternalError } from '../driver/pipeline.js';

/** Where bin/tmlc keeps the user's NODE_EXTRA_CA_CERTS while tmlc's own Node runs (see restoreNodeEnvironment). */
export const SAVED_CA_CERTS = 'TMLC_NODE_EXTRA_CA_CERTS';

/**
 * Node reads every certificate of NODE_EXTRA_CA_CERTS when it starts (34 ms on this machine, a third of Node's
 * start-up), and tmlc opens no TLS connection, so bin/tmlc starts Node without it and passes its value here, where
 * it is put back for the programs tmlc runs (clang, ld, the user's program under `tmlc run` and `tmlc test`).
 */
export function restoreNodeEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  const saved = env[SAVED_CA_CERTS];
  if (saved === undefined) return;
  delete env[SAVED_CA_CERTS];
  if (env['NODE_EXTRA_CA_CERTS'] === undefined) env['NODE_EXTRA_CA_CERTS'] = saved;
}

/** Never a bare Node stack trace; a closed stdout or stderr is an I/O error (status 1), not a compiler bug. */
export function installProcessHandlers(): void {
  const die = (e: unknown): void => {
    process.exit(reportInternalError(e));
  };
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
  // `tmlc check f.tml 2>&1 | true`: a closed stderr cannot carry a message; a closed stdout gets one line on stderr
  process.stderr.on('error', () => process.exit(1));
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    process.stderr.write(`error: cannot write to standard output: ${e.code === 'EPIPE' ? 'it was closed' : e.message}\n`);
    process.exit(1);
  });
}
