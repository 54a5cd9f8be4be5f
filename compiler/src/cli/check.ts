// `tmlc check FILE`: parse and check only; diagnostics and the exit status.
import { Option, type Command } from 'commander';
import { guarded } from '../driver/pipeline.js';
import { MESSAGE_FORMATS, resolveBuildOptions } from '../driver/settings.js';
import { colorOption, type CliContext } from './common.js';

export function registerCheck(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .description('report the diagnostics of a program without building it')
    .argument('<FILE>', 'the entry .tml file')
    .addOption(new Option('--message-format <format>', 'diagnostics as text or as one JSON object per line').choices(MESSAGE_FORMATS))
    .addOption(colorOption())
    .option('--time', 'print the time of each phase')
    .action(async (file: string, flags: { messageFormat?: string; color?: string; time?: boolean }) => {
      ctx.status = await guarded(() => ctx.handlers.check(file, resolveBuildOptions(flags)), ctx.io);
    });
}
