#!/usr/bin/env node
// What loading tmlc's modules costs before it compiles anything: for each module, the median time of
// `await import(M)` in a fresh Node process (so nothing is cached), over N runs, next to Node's own start-up.
//
//   node benchmarks/import_cost.mjs [N]        (default N = 7; run from anywhere, after `npx tsc -p tsconfig.json`)
//
// The rows overlap (the CLI imports the pipeline, which imports the front end, execa, …); each is what that
// module and everything it imports cost on their own.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const runs = Number.parseInt(process.argv[2] ?? '7', 10);
const dist = (p) => pathToFileURL(path.join(root, 'dist', 'compiler', 'src', p)).href;

const modules = [
  ['commander', 'commander'],
  ['execa', 'execa'],
  ['tmp', 'tmp'],
  ['llvm-bindings (native addon)', 'llvm-bindings'],
  ['front end (driver/frontend.js)', dist('driver/frontend.js')],
  ['codegen (codegen/program.js)', dist('codegen/program.js')],
  ['pipeline (driver/pipeline.js)', dist('driver/pipeline.js')],
  ['CLI (cli/program.js)', dist('cli/program.js')],
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** ms from process start to the end of the import, and of the import alone, in a fresh node. */
function measure(spec) {
  const code =
    spec === null
      ? `process.stdout.write(JSON.stringify({ total: performance.now(), imp: 0 }))`
      : `const t = performance.now(); await import(${JSON.stringify(spec)}); const e = performance.now();` +
        `process.stdout.write(JSON.stringify({ total: e, imp: e - t }))`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out);
}

function row(name, spec) {
  const imp = [];
  const total = [];
  for (let i = 0; i < runs; i++) {
    const r = measure(spec);
    imp.push(r.imp);
    total.push(r.total);
  }
  console.log(`${name.padEnd(34)} ${median(imp).toFixed(1).padStart(7)} ms   (process start to end of import: ${median(total).toFixed(1)} ms)`);
}

console.log(`median of ${runs} fresh processes; node ${process.version}`);
row('node itself (no import)', null);
for (const [name, spec] of modules) row(name, spec);
