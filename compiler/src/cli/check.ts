// `tmlc check [FILE]`: parse and check only; diagnostics and the exit status. Without FILE, the project's entry.
import { Option, type Command } from 'commander';
import { commandEntry } from '../driver/manifest.js';
import { guarded } from '../driver/pipeline.js';
import { MESSAGE_FORMATS, resolveBuildOptions } from '../driver/settings.js';
import { addWarningOptions, colorOption, type CliContext } from './common.js';

export function registerCheck(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('check')
    .description('report the diagnostics of a program without building it')
    .argument('[FILE]', 'the entry .tml file (default: the entry of the project in tml.toml)')
    .addOption(new Option('--message-format <format>', 'diagnostics as text or as one JSON object per line').choices(MESSAGE_FORMATS))
    .addOption(colorOption())
    .option('--time', 'print the time of each phase');
  addWarningOptions(cmd).action(async (file: string | undefined, flags: { messageFormat?: string; color?: string; time?: boolean; A?: string[]; W?: string[]; denyWarnings?: boolean }) => {
    ctx.status = await guarded(() => ctx.handlers.check(commandEntry(file, 'check').entry, resolveBuildOptions(flags)), ctx.io);
  });
}
