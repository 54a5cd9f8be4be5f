#!/usr/bin/env node
// The `tmlc` command: runs the compiled CLI. `npm run build` compiles it into dist/ (tsc) and bundles it into one
// file (ci/bundle_cli.mjs); the bundle is run when it is at least as new as every module in dist/, through a V8
// code cache kept next to it, and dist/ is run as it is otherwise (or with TMLC_NO_BUNDLE=1). Start-up numbers:
// docs/decisions.md, "Start-up".
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

// A compilation is a short run: V8's optimising compiler (TurboFan) spends more CPU on background threads than it
// saves before the process exits, so one-shot commands run on the interpreter and the baseline compiler only
// (docs/decisions.md, "No optimising JIT for one-shot commands"). The language server runs for hours and keeps it;
// TMLC_V8_OPT=1 keeps it for any command. The flags are in one_shot_v8_flags.json, which `tmlc test`'s compile
// workers are started with too (testing/compile_pool.ts).
if (process.env.TMLC_V8_OPT !== '1' && process.argv[2] !== 'lsp') {
  for (const flag of JSON.parse(readFileSync(new URL('./one_shot_v8_flags.json', import.meta.url), 'utf8'))) v8.setFlagsFromString(flag);
}

const cliDir = fileURLToPath(new URL('../dist/compiler/src/cli/', import.meta.url));
const main = path.join(cliDir, 'main.js');
if (!existsSync(main)) {
  process.stderr.write('error: tmlc is not built (no dist/compiler/src/cli/main.js); run `npm run build` first\n');
  process.exit(1);
}

/** The bundle, if it was made from the dist/ there is now: no file it was made from (tmlc.cjs.inputs) is newer. */
function freshBundle() {
  const bundle = path.join(cliDir, 'tmlc.cjs');
  try {
    const built = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(`${bundle}.inputs`, 'utf8'));
    return inputs.every((f) => statSync(f).mtimeMs <= built) ? bundle : null;
  } catch {
    return null; // no bundle, or an input is gone
  }
}

/** Run the CommonJS bundle as Node would, with V8's code cache: compiled once, its code is reused by later runs. */
function runBundle(file) {
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // written at exit, so that it holds every function this run compiled, not only the top level
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // a read-only installation runs without the cache
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
}

const bundle = process.env.TMLC_NO_BUNDLE === '1' ? null : freshBundle();
if (bundle !== null) runBundle(bundle);
else await import(pathToFileURL(main).href);
