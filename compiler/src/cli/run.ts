// `tmlc run [FILE] [build options] [-- ARGS…]`: build into a temp dir, run, pass the exit status through. Without a
// FILE (an operand ending in `.tml`), the project's entry (tml.toml) is run and every operand goes to the program.
import type { Command } from 'commander';
import { commandEntry } from '../driver/manifest.js';
import { guarded } from '../driver/pipeline.js';
import { resolveBuildOptions } from '../driver/settings.js';
import { addBuildOptions, type BuildFlags, type CliContext } from './common.js';

export function registerRun(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('run')
    .description('build a program into a temp dir and run it; its exit status is passed through (128+n for signal n)')
    .argument('[FILE]', 'the entry .tml file (default: the entry of the project in tml.toml)')
    .argument('[ARGS...]', 'arguments for the program (after --)');
  addBuildOptions(cmd, { output: false, emit: false });
  cmd.action(async (first: string | undefined, rest: string[], flags: BuildFlags) => {
    ctx.status = await guarded(() => {
      const isFile = first !== undefined && first.endsWith('.tml');
      const { entry } = commandEntry(isFile ? first : undefined, 'run');
      const args = isFile || first === undefined ? rest : [first, ...rest];
      return ctx.handlers.run(entry, args, resolveBuildOptions(flags));
    }, ctx.io);
  });
}
