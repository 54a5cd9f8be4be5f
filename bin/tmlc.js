#!/usr/bin/env node
// The `tmlc` command: runs the compiled CLI. `npm run build` compiles it into dist/ (tsc) and bundles it into one
// file (ci/bundle_cli.mjs); the bundle is run when it is at least as new as every module in dist/, through a V8
// code cache kept next to it, and dist/ is run as it is otherwise (or with TMLC_NO_BUNDLE=1). Start-up numbers:
// docs/decisions.md, "Start-up".
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** Whether this run generates code (build, run, test): it compiles the bundle's code generator and back end too, so
 * a code cache it writes serves every command, where one written by `check` leaves them to be compiled on every
 * build (hello's build measured 20 ms slower with such a cache). */
function generatesCode(argv) {
  if (!['build', 'run', 'test'].includes(argv[2])) return false;
  return !argv.some((a, i) => a === '--emit=mir' || (a === '--emit' && argv[i + 1] === 'mir'));
}

/** Run the CommonJS bundle as Node would, with V8's code cache: compiled once, its code is reused by later runs. The
 * cache is written at the exit of a run that found none (or one V8 rejected), and written again by the first run
 * that generates code after one that did not (tmlc.cjs.cache.full marks a cache written by such a run). */
function runBundle(file) {
  const cacheFile = `${file}.cache`;
  const fullMark = `${cacheFile}.full`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const full = generatesCode(process.argv);
  if (cachedData === undefined || script.cachedDataRejected || (full && !existsSync(fullMark))) {
    // written at exit, so that it holds every function this run compiled, not only the top level
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
        if (full) writeFileSync(fullMark, '');
        else rmSync(fullMark, { force: true });
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
