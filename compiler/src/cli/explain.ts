// `tmlc explain CODE`: what a diagnostic code means, from the registry (syntax/codes/), as rustc --explain does.
import type { Command } from 'commander';
import { EXIT_USAGE } from '../driver/pipeline.js';
import { CODES, isDiagnosticCode } from '../syntax/codes/index.js';
import type { CliContext } from './common.js';

/** Column at which the explanation's paragraph is wrapped. */
const WIDTH = 100;

export function registerExplain(program: Command, ctx: CliContext): void {
  program
    .command('explain')
    .description('explain a diagnostic code, such as E0382, with an example that triggers it')
    .argument('<CODE>', 'the code, as printed in `error[CODE]`')
    .action((code: string) => {
      ctx.status = explain(code, ctx);
    });
}

function explain(arg: string, ctx: CliContext): number {
  const code = arg.trim().toUpperCase();
  if (!isDiagnosticCode(code)) {
    ctx.io.err(`error: \`${arg}\` is not a tmlc diagnostic code (codes look like E0382; docs/errors.md lists them all)\n`);
    return EXIT_USAGE;
  }
  const info = CODES[code];
  const example = info.example.trimEnd().split('\n').map((l) => (l === '' ? '' : `    ${l}`));
  ctx.io.out([`${code}: ${info.title}`, '', ...wrap(info.explanation, WIDTH), '', 'Example:', '', ...example, ''].join('\n'));
  return 0;
}

/** `text` as lines of at most `width` columns, broken between words. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
