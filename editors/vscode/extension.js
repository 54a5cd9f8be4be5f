// The TML extension: starts `tmlc lsp` (the compiler's language server, on stdio) for .tml files through
// vscode-languageclient. Highlighting comes from the TextMate grammar (syntaxes/tml.tmLanguage.json) alone.
'use strict';
const { workspace } = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const configured = workspace.getConfiguration('tml').get('server.path') || 'tmlc';
  // a path to bin/tmlc.js runs under the Node that runs VS Code's extensions; anything else is a command
  const server = configured.endsWith('.js')
    ? { command: process.execPath, args: [configured, 'lsp'], transport: TransportKind.stdio, options: { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } } }
    : { command: configured, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient('tml', 'TML (tmlc lsp)', server, {
    documentSelector: [{ scheme: 'file', language: 'tml' }, { scheme: 'untitled', language: 'tml' }],
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
