// Entry point of `tmlc` (bin/tmlc.js imports this file). Never ends in a bare Node stack trace.
import { reportInternalError } from '../driver/pipeline.js';
import { runCli } from './program.js';

const die = (e: unknown): void => {
  process.exit(reportInternalError(e));
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

// A closed stdout or stderr (`tmlc check f.tml 2>&1 | true`) is an I/O error, not a compiler bug: status 1. A
// closed stderr cannot carry a message; a closed stdout gets one line on stderr.
process.stderr.on('error', () => process.exit(1));
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  process.stderr.write(`error: cannot write to standard output: ${e.code === 'EPIPE' ? 'it was closed' : e.message}\n`);
  process.exit(1);
});

// no top-level await: the bundled CLI (ci/bundle_cli.mjs) is a CommonJS script, which cannot have one
void runCli(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
