// `tmlc build FILE [-o OUT] [build options]`
import type { Command } from 'commander';
import { guarded } from '../driver/pipeline.js';
import { resolveBuildOptions } from '../driver/settings.js';
import { addBuildOptions, type BuildFlags, type CliContext } from './common.js';

export function registerBuild(program: Command, ctx: CliContext): void {
  const cmd = program.command('build').description('compile a program to a native executable').argument('<FILE>', 'the entry .tml file');
  addBuildOptions(cmd, { output: true, emit: true });
  cmd.action(async (file: string, flags: BuildFlags) => {
    ctx.status = await guarded(() => ctx.handlers.build(file, flags.output ?? null, resolveBuildOptions(flags)), ctx.io);
  });
}
