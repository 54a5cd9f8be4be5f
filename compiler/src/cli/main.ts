// Entry point of `tmlc` (bin/tmlc.js imports this file). Never ends in a bare Node stack trace.
import { reportInternalError } from '../driver/pipeline.js';
import { runCli } from './program.js';

const die = (e: unknown): void => {
  process.exit(reportInternalError(e));
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

process.exitCode = await runCli(process.argv.slice(2));
