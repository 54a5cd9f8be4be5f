// `tmlc lsp`: the language server on stdin/stdout (compiler/src/lsp/). Loaded only when asked for, so the other
// commands do not load vscode-languageserver. `--stdio` is accepted because editors' clients pass it.
import type { Command } from 'commander';
import type { CliContext } from './common.js';

export function registerLsp(program: Command, ctx: CliContext): void {
  program
    .command('lsp')
    .description('run the language server (Language Server Protocol on stdin/stdout) for editors')
    .option('--stdio', 'talk over stdin/stdout (the default and only transport)')
    .action(async () => {
      const { startServer } = await import('../lsp/server.js');
      startServer();
      // the server runs until the client's `exit` notification (which exits the process) or until stdin closes
      ctx.status = 0;
    });
}
