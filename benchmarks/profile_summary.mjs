#!/usr/bin/env node
// Summarise a V8 CPU profile of a tmlc run by where the time went: Node's module loader, each npm package,
// each directory of the compiler, the garbage collector, and idle time (waiting for clang).
//
//   node --cpu-prof --cpu-prof-dir=DIR bin/tmlc.js build examples/hello.tml -o /tmp/hello
//   node benchmarks/profile_summary.mjs DIR/*.cpuprofile [--top N]
//
// "by activity" looks at each sample's stack (see activity()); "by category"
// charges a sample to the function on top of the stack. Both add up to the profile's length.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
let top = 15;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') top = Number.parseInt(args[++i], 10);
  else files.push(args[i]);
}
if (files.length === 0) {
  process.stderr.write('usage: profile_summary.mjs PROFILE.cpuprofile [--top N]\n');
  process.exit(2);
}

function category(cf) {
  const url = cf.url ?? '';
  if (url === '') {
    if (cf.functionName === '(idle)') return 'idle (waiting: clang, I/O)';
    if (cf.functionName === '(garbage collector)') return 'garbage collector';
    if (cf.functionName === '(program)') return 'V8/native (program: parse, compile, native code)';
    if (cf.functionName === 'dlopen') return 'native dlopen (loading .node addons)';
    return 'native (fs calls, script compilation, …)';
  }
  if (/^node:internal\/(modules|vm|process\/esm_loader)/.test(url)) return 'node module loader';
  if (url.startsWith('node:')) return 'node runtime (other)';
  const nm = url.match(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (nm) return `npm ${nm[1]}`;
  const own = url.match(/\/dist\/compiler\/src\/([^/]+)\//);
  if (own) return `tmlc ${own[1]}/`;
  if (url.includes('/bin/tmlc.js')) return 'tmlc bin/';
  return url;
}

for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
  // what the sample was doing, decided by the frame nearest the top of its stack that is either Node's module
  // loader (resolve, read, compile, evaluate a module; also `await import()` in the middle of a build) or the
  // compiler's own code (the whole build runs under main.js's top-level await, so the nearest one must win)
  const activity = (n) => {
    const f = n.callFrame.functionName;
    if (f === '(idle)') return 'idle (waiting: clang, I/O)';
    if (f === '(garbage collector)') return 'garbage collector';
    for (let m = n; m; m = parent.get(m.id)) {
      const url = m.callFrame.url ?? '';
      if (/^node:internal\/modules\//.test(url) || m.callFrame.functionName === 'dlopen') return 'loading modules (resolve, read, compile, evaluate)';
      if (/\/dist\/compiler\/src\/(syntax|sema|mir|codegen)\//.test(url)) return 'compiling (syntax, sema, mir, codegen)';
      if (/\/dist\/compiler\/src\/(driver|cli)\//.test(url)) return 'driver and CLI (incl. spawning clang)';
    }
    return 'other (Node start-up and shut-down, …)';
  };
  const act = new Map();
  const cat = new Map();
  const fn = new Map();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    const n = byId.get(p.samples[i]);
    if (!n) continue;
    total += dt;
    const a = activity(n);
    act.set(a, (act.get(a) ?? 0) + dt);
    const c = category(n.callFrame);
    cat.set(c, (cat.get(c) ?? 0) + dt);
    const where = n.callFrame.url ? `${n.callFrame.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${n.callFrame.lineNumber + 1}` : '';
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where}`.trim();
    fn.set(key, (fn.get(key) ?? 0) + dt);
  }
  const pct = (ms) => `${((100 * ms) / total).toFixed(1).padStart(5)}%`;
  console.log(`${file}: ${total.toFixed(1)} ms profiled, ${p.samples.length} samples`);
  console.log('by activity (whole stack):');
  for (const [a, ms] of [...act].sort((x, y) => y[1] - x[1])) console.log(`  ${ms.toFixed(1).padStart(8)} ms ${pct(ms)}  ${a}`);
  console.log('by category (self time):');
  for (const [c, ms] of [...cat].sort((a, b) => b[1] - a[1])) console.log(`  ${ms.toFixed(1).padStart(8)} ms ${pct(ms)}  ${c}`);
  console.log(`top ${top} functions (self time):`);
  for (const [f, ms] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${ms.toFixed(1).padStart(8)} ms ${pct(ms)}  ${f}`);
}
