// Prints the timing lines of benchmarks/opt/run.sh from measure()'s JSON files (lib.sh):
//   node report.mjs OUT NAME TWIN_LABEL [NAME TWIN_LABEL]...
// For each NAME: the twin's median (min) wall time and mean CPU time, then every other command of that file with
// its ratios to the twin: of the medians, of the minima and of the CPU times (user + sys). The CPU ratio is the
// one to quote on a shared machine.
import { readFileSync } from 'node:fs';

const [out, ...pairs] = process.argv.slice(2);
const ms = (s) => (s * 1000).toFixed(1);
const x = (r) => r.toFixed(2) + 'x';
const cpu = (r) => r.user + r.system;
console.log('| benchmark | program | wall median (min) | CPU mean | / twin: median (min) | / twin: CPU |');
console.log('|---|---|---:|---:|---:|---:|');
for (let i = 0; i < pairs.length; i += 2) {
  const name = pairs[i], twinLabel = pairs[i + 1];
  const results = JSON.parse(readFileSync(`${out}/${name}.json`, 'utf8')).results;
  const twin = results.find((r) => r.command === twinLabel);
  console.log(`| ${name} | ${twin.command} | ${ms(twin.median)} (${ms(twin.min)}) ms | ${ms(cpu(twin))} ms | | |`);
  for (const r of results) {
    if (r === twin) continue;
    console.log(`| | ${r.command} | ${ms(r.median)} (${ms(r.min)}) ms | ${ms(cpu(r))} ms | ${x(r.median / twin.median)} (${x(r.min / twin.min)}) | **${x(cpu(r) / cpu(twin))}** |`);
  }
}
