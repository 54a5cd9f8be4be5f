// Entry point of `tmlc` when it is started from a script (bin/tmlc.js imports this file, or runs the bundle made
// from it); snapshot.ts is the entry when it is started from the start-up snapshot. Never ends in a bare Node stack
// trace.
import { noteStartUp } from '../driver/phase_timer.js';
import { installProcessHandlers, restoreNodeEnvironment } from './process_setup.js';
import { runCli } from './program.js';

noteStartUp('script');
restoreNodeEnvironment();
installProcessHandlers();
// no top-level await: the bundled CLI (ci/bundle_cli.mjs) is a CommonJS script, which cannot have one
void runCli(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
