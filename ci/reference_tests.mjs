// Measures tmlc against another implementation's TML test files (issue 11: the reference implementation's
// `compiler/tests/compiler/**`): runs `tmlc test` on each file and reports how many files compile, how many of
// their tests pass, and the most common first errors of the files that do not compile. A measure, not a gate:
// the files are not ours and are never committed.
//
//   git -C <mirror> archive HEAD compiler/tests/compiler | tar -x -C /tmp/ref
//   node ci/reference_tests.mjs /tmp/ref/compiler/tests/compiler [--sample N] [--jobs N]
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const dir = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
if (!dir) {
  console.error('usage: node ci/reference_tests.mjs DIR [--sample N] [--jobs N]');
  process.exit(2);
}

function testFiles(d) {
  const out = [];
  for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) out.push(...testFiles(p));
    else if (e.name.endsWith('.test.tml')) out.push(p);
  }
  return out;
}

let files = testFiles(dir);
const sample = opt('--sample', 0);
if (sample > 0 && sample < files.length) {
  // every k-th file: a spread over the directories, the same sample every time
  const k = files.length / sample;
  files = Array.from({ length: sample }, (_, i) => files[Math.floor(i * k)]);
}
const jobs = opt('--jobs', 2);

async function one(file) {
  let out = '';
  let code = 0;
  try {
    const r = await run('node', [path.join(root, 'bin/tmlc.js'), 'test', '--jobs', '1', file], { timeout: 300_000, maxBuffer: 64 << 20 });
    out = r.stdout + r.stderr;
  } catch (e) {
    out = (e.stdout ?? '') + (e.stderr ?? '');
    code = e.killed ? 'timeout' : e.code;
  }
  const counts = /(\d+) passed, (\d+) failed/.exec(out);
  const firstError = /^error(\[E\d{4}\])?: .*$/m.exec(out);
  // `tmlc test` counts a file that does not compile as one failed test; here it is a compile failure
  const compiled = counts !== null && !/: does not compile$/m.test(out);
  return {
    file: path.relative(dir, file),
    code,
    passed: compiled ? Number(counts[1]) : 0,
    failed: compiled ? Number(counts[2]) : 0,
    compiled,
    error: !compiled && firstError ? firstError[0].replace(/`[^`]*`/g, '`…`').slice(0, 120) : null,
  };
}

const results = [];
let next = 0;
await Promise.all(
  Array.from({ length: jobs }, async () => {
    while (next < files.length) results.push(await one(files[next++]));
  }),
);
results.sort((a, b) => a.file.localeCompare(b.file));
const compiled = results.filter((r) => r.compiled);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const allPass = results.filter((r) => r.compiled && r.failed === 0 && r.passed > 0);
for (const r of results) {
  console.log(`${r.compiled ? (r.failed === 0 ? 'PASS' : 'FAIL') : 'COMPILE'}  ${r.file}  ${r.compiled ? `${r.passed} passed, ${r.failed} failed` : (r.error ?? `status ${r.code}`)}`);
}
const causes = new Map();
for (const r of results) if (!r.compiled) causes.set(r.error ?? `status ${r.code}`, (causes.get(r.error ?? `status ${r.code}`) ?? 0) + 1);
console.log('');
console.log(`files: ${results.length}; compile: ${compiled.length}; every test passes: ${allPass.length} (${((100 * allPass.length) / results.length).toFixed(0)}%)`);
console.log(`tests in the files that compile: ${passed} passed, ${failed} failed`);
console.log('most common first errors of the files that do not compile:');
for (const [msg, n] of [...causes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${String(n).padStart(3)}  ${msg}`);
