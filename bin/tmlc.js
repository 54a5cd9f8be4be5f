#!/usr/bin/env node
// The `tmlc` command: runs the compiled CLI (npm run build compiles it into dist/).
import { existsSync } from 'node:fs';

const main = new URL('../dist/compiler/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('error: tmlc is not built (no dist/compiler/src/cli/main.js); run `npm run build` first\n');
  process.exit(1);
}
await import(main.href);
