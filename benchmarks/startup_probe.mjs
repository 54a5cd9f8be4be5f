// Preload for timing a tmlc run from the inside: `node --import ./benchmarks/startup_probe.mjs bin/tmlc.js build …
// --time` prints, to stderr at exit, when Node was ready to run the first user module, when tmlc printed its
// --time report (the end of the build) and when the process exited, in ms since the process started. With
// --time's `total` (the build itself) this splits a run into Node's start-up, loading tmlc's modules and parsing
// the command line, the build, and what happens after it.
const ready = performance.now();
let reported = null;
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => {
  if (reported === null && String(chunk).startsWith('time: ')) reported = performance.now();
  return write(chunk, ...rest);
};
process.on('exit', () => {
  const r = reported === null ? 'none' : `${reported.toFixed(1)} ms`;
  write(`probe: node ready ${ready.toFixed(1)} ms; report ${r}; exit ${performance.now().toFixed(1)} ms\n`);
});
