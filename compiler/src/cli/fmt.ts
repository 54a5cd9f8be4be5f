// `tmlc fmt [PATHS…] [--check] [--stdout]`: the formatter (driver/fmt.ts).
import { Option, type Command } from 'commander';
import { formatFiles } from '../driver/fmt.js';
import { guarded } from '../driver/pipeline.js';
import type { CliContext } from './common.js';

export function registerFmt(program: Command, ctx: CliContext): void {
  program
    .command('fmt')
    .description('format .tml files in place (keeping comments); a file with syntax errors is left untouched')
    .argument('[PATHS...]', 'files or directories (default: the current directory)')
    .addOption(new Option('--check', 'write nothing; list the files that would change and exit with status 1 if any').conflicts('stdout'))
    .option('--stdout', 'print the formatted text instead of writing the files')
    .action(async (paths: string[], flags: { check?: boolean; stdout?: boolean }) => {
      const o = { check: flags.check === true, stdout: flags.stdout === true };
      ctx.status = await guarded(() => formatFiles(paths.length > 0 ? paths : ['.'], o, ctx.io), ctx.io);
    });
}
