// `tmlc run FILE [build options] [-- ARGS…]`: build into a temp dir, run, pass the exit status through.
import type { Command } from 'commander';
import { guarded } from '../driver/pipeline.js';
import { resolveBuildOptions } from '../driver/settings.js';
import { addBuildOptions, type BuildFlags, type CliContext } from './common.js';

export function registerRun(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('run')
    .description('build a program into a temp dir and run it; its exit status is passed through (128+n for signal n)')
    .argument('<FILE>', 'the entry .tml file')
    .argument('[ARGS...]', 'arguments for the program (after --)');
  addBuildOptions(cmd, { output: false, emit: false });
  cmd.action(async (file: string, args: string[], flags: BuildFlags) => {
    ctx.status = await guarded(() => ctx.handlers.run(file, args, resolveBuildOptions(flags)), ctx.io);
  });
}
