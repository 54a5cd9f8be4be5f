// The commander program: build, run, check, test, fmt, new, lsp, explain, --version, help COMMAND. `runCli` returns the
// exit status and never throws; the handlers and the output are injectable so the parsing can be tested without
// processes.
import { Command, CommanderError } from 'commander';
import { build, buildAndRun, check, EXIT_USAGE, processOutput, reportInternalError, type Output } from '../driver/pipeline.js';
import { packageVersion } from '../driver/runtime_lib.js';
import { registerBuild } from './build.js';
import { registerCheck } from './check.js';
import { registerLsp } from './lsp.js';
import type { CliContext, Handlers } from './common.js';
import { registerNew } from './new.js';
import { registerFmt } from './fmt.js';
import { registerExplain } from './explain.js';
import { registerRun } from './run.js';
import { registerTest } from './test.js';

export const defaultHandlers: Handlers = {
  build: (entry, out, o) => build(entry, out, o),
  run: (entry, args, o) => buildAndRun(entry, args, o),
  check: (entry, o) => check(entry, o),
  test: async (paths, o) => {
    const { runTests } = await import('../testing/runner.js');
    return runTests(paths, o);
  },
};

export function createProgram(ctx: CliContext): Command {
  const program = new Command('tmlc')
    .description('tmlc: the ahead-of-time compiler for TML')
    .version(`tmlc ${packageVersion()}`, '--version', 'print the version')
    .configureOutput({
      writeOut: (s) => ctx.io.out(s),
      writeErr: (s) => ctx.io.err(s),
      // one line: commander puts its "(Did you mean …?)" on a second one
      outputError: (s, write) => write(s.trimEnd().replace(/\s*\n\s*/g, ' ') + '\n'),
    })
    .exitOverride()
    .showSuggestionAfterError(true);
  // subcommands inherit the settings above (commander copies them when a command is added)
  registerBuild(program, ctx);
  registerRun(program, ctx);
  registerCheck(program, ctx);
  registerTest(program, ctx);
  registerNew(program, ctx);
  registerLsp(program, ctx);
  registerFmt(program, ctx);
  registerExplain(program, ctx);
  return program;
}

export interface CliEnv {
  handlers?: Partial<Handlers>;
  io?: Output;
}

/** Parse `argv` (the user's arguments, without node and the script), run the command, return the exit status. */
export async function runCli(argv: readonly string[], env: CliEnv = {}): Promise<number> {
  const io = env.io ?? processOutput;
  const ctx: CliContext = { handlers: { ...defaultHandlers, ...env.handlers }, io, status: 0 };
  try {
    await createProgram(ctx).parseAsync([...argv], { from: 'user' });
    return ctx.status;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has printed its one-line message (or the help) already
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      if (e.code === 'commander.help') return e.exitCode === 0 ? 0 : EXIT_USAGE;
      return EXIT_USAGE;
    }
    return reportInternalError(e, io);
  }
}
