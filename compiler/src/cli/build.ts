// `tmlc build [FILE] [-o OUT] [build options]`; without FILE, the project's entry (tml.toml) into target/<mode>/NAME.
import type { Command } from 'commander';
import { commandEntry, projectBuildOutput } from '../driver/manifest.js';
import { guarded } from '../driver/pipeline.js';
import { resolveBuildOptions } from '../driver/settings.js';
import { addBuildOptions, type BuildFlags, type CliContext } from './common.js';

export function registerBuild(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('build')
    .description('compile a program to a native executable')
    .argument('[FILE]', 'the entry .tml file (default: the entry of the project in tml.toml)');
  addBuildOptions(cmd, { output: true, emit: true });
  cmd.action(async (file: string | undefined, flags: BuildFlags) => {
    ctx.status = await guarded(() => {
      const o = resolveBuildOptions(flags);
      const { entry, project } = commandEntry(file, 'build');
      const out = flags.output ?? (project !== null && o.emit === null ? projectBuildOutput(project, o.release) : null);
      return ctx.handlers.build(entry, out, o);
    }, ctx.io);
  });
}
