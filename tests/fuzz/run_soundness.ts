// The long run of the soundness fuzzer (issue 9). Run through run_soundness.sh:
//
//   tests/fuzz/run_soundness.sh --count 100000 --seed 1 --jobs 2 [--start 0] [--check-only] [--out DIR]
//                               [--batch 12] [--valgrind-every 20] [--confirm 20] [--modes sound,mutation]
//
// Scenario indices start..start+count-1 are split into chunks handed to `jobs` worker processes (this script
// with --worker). Every finding is written to OUT/<kind>/<seed>-<index>-<mode>.tml (the program, with the
// finding as a comment on top); OUT/progress.json records the finished chunks and the running summary, so a run
// stopped half-way resumes where it was when started again with the same --out, --seed, --start and --count.
// The checkout under test is TML_SOUNDNESS_ROOT (default: this repository).
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Mode } from './soundness_gen.js';
import { Checker, tmlcRoot } from './soundness_oracle.js';
import { addSummary, emptySummary, fuzz, summaryLine, type Finding, type Summary } from './soundness_run.js';

interface Args {
  count: number;
  seed: number;
  start: number;
  jobs: number;
  checkOnly: boolean;
  out: string;
  batch: number;
  valgrindEvery: number;
  confirm: number;
  modes: Mode[];
  chunk: number;
}

function parseArgs(argv: readonly string[]): Args & { worker: boolean } {
  const a = {
    count: 1000,
    seed: 1,
    start: 0,
    jobs: 2,
    checkOnly: false,
    out: 'soundness-findings',
    batch: 12,
    valgrindEvery: 20,
    confirm: 20,
    modes: ['sound', 'mutation'] as Mode[],
    chunk: 48,
    worker: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = (): string => argv[++i] ?? '';
    if (k === '--count') a.count = Number(v());
    else if (k === '--seed') a.seed = Number(v());
    else if (k === '--start') a.start = Number(v());
    else if (k === '--jobs') a.jobs = Number(v());
    else if (k === '--check-only') a.checkOnly = true;
    else if (k === '--out') a.out = v();
    else if (k === '--batch') a.batch = Number(v());
    else if (k === '--valgrind-every') a.valgrindEvery = Number(v());
    else if (k === '--confirm') a.confirm = Number(v());
    else if (k === '--modes') a.modes = v().split(',') as Mode[];
    else if (k === '--chunk') a.chunk = Number(v());
    else if (k === '--worker') a.worker = true;
    else if (k !== '--') throw new Error(`run_soundness: unknown argument ${k}`);
  }
  return a;
}

interface ChunkRequest {
  start: number;
  count: number;
  confirm: number;
}
interface ChunkResult {
  start: number;
  summary: Summary;
  findings: Finding[];
}

/** Worker: fuzzes the chunks it is sent, one at a time. */
async function worker(args: Args): Promise<void> {
  const checker = await Checker.load();
  const dir = path.join(path.resolve(args.out), 'work', String(process.pid));
  process.on('message', (req: ChunkRequest) => {
    void fuzz({
      checker,
      seed: args.seed,
      start: req.start,
      count: req.count,
      modes: args.modes,
      batch: args.batch,
      valgrindEvery: args.valgrindEvery,
      confirmLimit: req.confirm,
      checkOnly: args.checkOnly,
      dir,
    }).then((r) => process.send!({ start: req.start, summary: r.summary, findings: r.findings } satisfies ChunkResult));
  });
  process.send!({ ready: true });
}

interface Progress {
  key: string;
  done: number[];
  summary: Summary;
}

function saveFinding(out: string, f: Finding): void {
  const dir = path.join(out, f.kind);
  mkdirSync(dir, { recursive: true });
  const note = `// ${f.kind}: seed ${f.seed}, scenario ${f.index}, ${f.mode} mode\n${f.detail.replace(/^/gm, '// ')}\n`;
  writeFileSync(path.join(dir, `${f.seed}-${f.index}-${f.mode}.tml`), note + f.program);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.worker) return worker(args);
  const out = path.resolve(args.out);
  mkdirSync(out, { recursive: true });
  const progressFile = path.join(out, 'progress.json');
  const key = `${args.seed}:${args.start}:${args.count}:${args.chunk}:${args.modes.join(',')}:${args.checkOnly}`;
  let progress: Progress = { key, done: [], summary: emptySummary() };
  if (existsSync(progressFile)) {
    const p = JSON.parse(readFileSync(progressFile, 'utf8')) as Progress;
    if (p.key === key) progress = p;
  }
  const todo: number[] = [];
  for (let s = args.start; s < args.start + args.count; s += args.chunk) if (!progress.done.includes(s)) todo.push(s);
  console.log(`soundness fuzz of ${tmlcRoot()}: ${todo.length} chunks to do (${progress.done.length} done before), ${args.jobs} jobs`);

  const t0 = performance.now();
  let confirmLeft = args.confirm;
  const script = fileURLToPath(import.meta.url);
  const viteNode = path.join(path.dirname(script), '..', '..', 'node_modules', 'vite-node', 'vite-node.mjs');
  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = fork(viteNode, [script, '--', ...process.argv.slice(2), '--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const next = (): void => {
        const s = todo.shift();
        if (s === undefined) {
          child.kill();
          return resolve();
        }
        const confirm = Math.min(confirmLeft, 2);
        confirmLeft -= confirm;
        child.send({ start: s, count: Math.min(args.chunk, args.start + args.count - s), confirm } satisfies ChunkRequest);
      };
      child.on('message', (m: ChunkResult | { ready: true }) => {
        if ('ready' in m) return next();
        for (const f of m.findings) saveFinding(out, f);
        progress.done.push(m.start);
        progress.summary = addSummary(progress.summary, m.summary);
        writeFileSync(progressFile, JSON.stringify(progress));
        const secs = (performance.now() - t0) / 1000;
        console.log(`${summaryLine(progress.summary)} [${secs.toFixed(0)} s]`);
        next();
      });
      child.on('exit', (code) => (todo.length > 0 ? reject(new Error(`worker exited with ${code}`)) : resolve()));
    });
  await Promise.all(Array.from({ length: Math.max(1, args.jobs) }, runWorker));
  const secs = (performance.now() - t0) / 1000;
  const s = progress.summary;
  console.log(
    `throughput: ${(s.scenarios / secs).toFixed(1)} programs/s overall; check ${(s.scenarios / (s.checkMs / 1000)).toFixed(1)} programs/s per job` +
      (s.programsBuilt > 0 ? `; ${s.programsBuilt} programs built in ${(s.runMs / 1000).toFixed(0)} job-seconds` : ''),
  );
  console.log(`findings in ${out}`);
  console.log(summaryLine(s));
  process.exitCode = s.failures + s.falsePositives + s.generatorBugs + s.rejectedWrong > 0 ? 1 : 0;
}

await main();
