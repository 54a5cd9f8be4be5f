// Prints the code-placement table of benchmarks/opt/run.sh from measure()'s JSON files (lib.sh), one file per
// placement (NAME_atK.json: every program linked after K bytes of padding):
//   node placements.mjs OUT NAME TWIN_LABEL OFFSET... -- [NAME TWIN_LABEL]...
// A hot loop's speed can change by up to 40% when only its address does (the same machine code 16 bytes further
// on: branch prediction and instruction fetch work on address bits). One layout compares one program's luck with
// another's; the distribution over placements compares the code. For each program: its CPU time (user + sys, the
// mean of the placement's runs) at the best, median and worst placement, and its median's and mean's ratio to the
// twin's over the same placements.
import { readFileSync } from 'node:fs';

const [out, ...rest] = process.argv.slice(2);
const sep = rest.indexOf('--');
const offsets = rest.slice(2, sep);
const benches = [rest.slice(0, 2), ...chunks(rest.slice(sep + 1), 2)];

function chunks(xs, n) {
  const r = [];
  for (let i = 0; i < xs.length; i += n) r.push(xs.slice(i, i + n));
  return r;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ms = (s) => (s * 1000).toFixed(1);
const x = (r) => r.toFixed(2) + 'x';

console.log(`| benchmark | program | CPU over ${offsets.length} placements: best / median / worst | / twin: median | / twin: mean |`);
console.log('|---|---|---:|---:|---:|');
for (const [name, twinLabel] of benches) {
  // command label -> CPU time per placement
  const cpu = new Map();
  for (const k of offsets) {
    for (const r of JSON.parse(readFileSync(`${out}/${name}_at${k}.json`, 'utf8')).results) {
      if (!cpu.has(r.command)) cpu.set(r.command, []);
      cpu.get(r.command).push(r.user + r.system);
    }
  }
  const twin = cpu.get(twinLabel);
  if (twin === undefined) throw new Error(`placements.mjs: no '${twinLabel}' in ${name}_at*.json`);
  const row = (ts) => `${ms(Math.min(...ts))} / ${ms(median(ts))} / ${ms(Math.max(...ts))} ms`;
  console.log(`| ${name} | ${twinLabel} | ${row(twin)} | | |`);
  for (const [label, ts] of cpu) {
    if (label === twinLabel) continue;
    console.log(`| | ${label} | ${row(ts)} | **${x(median(ts) / median(twin))}** | ${x(mean(ts) / mean(twin))} |`);
  }
}
