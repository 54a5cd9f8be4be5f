// One run of the soundness fuzzer (issue 9), shared by the vitest test and the long run (run_soundness.ts).
//
// Each scenario is checked alone, in-process. Then:
// - sound mode: accepted scenarios are batched, K to a program (one function each, `main` calls them in turn),
//   built and run under the leak checker and AddressSanitizer (and every `valgrindEvery`-th batch under
//   Valgrind); stdout must be what the model predicts. A failing batch is re-run scenario by scenario to name the
//   culprit. A rejected sound scenario is a false positive (an ownership error) or a generator bug (any other).
// - mutation mode: the scenario must be rejected with an ownership error that names the inserted conflict. An
//   accepted one is a soundness failure; the first few are built with AddressSanitizer to show whether the run
//   actually reads freed memory.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expectedOutput, genScenario, renderProgram, type Mode, type Scenario } from './soundness_gen.js';
import { buildAndRun, describeErrors, namesConflict, OWNERSHIP_CODES, runVerdict, type Checker, type Flavor } from './soundness_oracle.js';

/** Scenario indices checked together in one program (the front end's fixed cost is the standard library). */
const CHECK_GROUP = 8;

export type FindingKind =
  | 'false-positive' // a sound scenario rejected with an ownership error
  | 'generator-bug' // a scenario rejected for a non-ownership reason, or the model would panic
  | 'wrong-rejection' // a mutation rejected, but not for the inserted conflict
  | 'missed-conflict' // a mutation accepted: the checker let a conflicting access through
  | 'unclean-run'; // an accepted sound program crashed, leaked, had a sanitizer report or printed something else

export interface Finding {
  kind: FindingKind;
  seed: number;
  index: number;
  mode: Mode;
  detail: string;
  program: string;
}

export interface Summary {
  scenarios: number;
  accepted: number;
  rejected: number;
  rejectedOwnership: number;
  rejectedWrong: number;
  falsePositives: number;
  generatorBugs: number;
  /** soundness failures: missed conflicts and unclean runs */
  failures: number;
  /** of the missed conflicts built with ASan, how many runs read freed memory */
  confirmedUseAfterFree: number;
  programsBuilt: number;
  checkMs: number;
  runMs: number;
}

export interface FuzzOptions {
  checker: Checker;
  seed: number;
  /** scenario indices start..start+count-1, each in every mode of `modes` */
  start: number;
  count: number;
  modes: readonly Mode[];
  /** scenarios per built program */
  batch: number;
  /** every n-th built program also runs under Valgrind (0: never) */
  valgrindEvery: number;
  /** ASan builds of accepted mutations, at most */
  confirmLimit: number;
  /** no builds at all: check only */
  checkOnly: boolean;
  dir: string;
  onFinding?: (f: Finding) => void;
}

export function emptySummary(): Summary {
  return {
    scenarios: 0,
    accepted: 0,
    rejected: 0,
    rejectedOwnership: 0,
    rejectedWrong: 0,
    falsePositives: 0,
    generatorBugs: 0,
    failures: 0,
    confirmedUseAfterFree: 0,
    programsBuilt: 0,
    checkMs: 0,
    runMs: 0,
  };
}

export function addSummary(a: Summary, b: Summary): Summary {
  const out = { ...a };
  for (const k of Object.keys(b) as (keyof Summary)[]) out[k] += b[k];
  return out;
}

export function summaryLine(s: Summary): string {
  const unclean = s.failures;
  return (
    `soundness fuzz: ${s.scenarios} programs, ${s.accepted} accepted (${unclean === 0 ? 'all clean' : `${unclean} failing`}), ` +
    `${s.rejected} rejected (${s.rejectedOwnership} for an ownership reason, ${s.rejectedWrong} wrong), ` +
    `${s.falsePositives} false positives, ${s.failures} failures` +
    (s.generatorBugs > 0 ? `, ${s.generatorBugs} generator bugs` : '') +
    (s.confirmedUseAfterFree > 0 ? ` (${s.confirmedUseAfterFree} confirmed use-after-free under ASan)` : '')
  );
}

export async function fuzz(o: FuzzOptions): Promise<{ summary: Summary; findings: Finding[] }> {
  mkdirSync(o.dir, { recursive: true });
  const s = emptySummary();
  const findings: Finding[] = [];
  const report = (f: Finding): void => {
    findings.push(f);
    o.onFinding?.(f);
  };
  const file = path.join(o.dir, 'check.tml');
  const pending: Scenario[] = [];
  let confirmations = 0;

  const flush = (): void => {
    if (pending.length === 0) return;
    const batch = pending.splice(0);
    const t0 = performance.now();
    const bad = runBatch(o, batch, s.programsBuilt);
    s.programsBuilt++;
    if (bad !== null) {
      // name the culprit(s): each scenario alone (a batch with one scenario is its own culprit)
      for (const sc of batch) {
        const why = runBatch(o, [sc], s.programsBuilt);
        s.programsBuilt++;
        if (why === null) continue;
        s.failures++;
        report({ kind: 'unclean-run', seed: sc.seed, index: sc.index, mode: sc.mode, detail: why, program: renderProgram([sc]).text });
      }
    }
    s.runMs += performance.now() - t0;
  };

  for (let g = o.start; g < o.start + o.count; g += CHECK_GROUP) {
    // both modes of every index are checked, CHECK_GROUP indices to a program: a mutation counts only when its
    // sound base was accepted (otherwise the rejection could be the base's)
    const group: Scenario[] = [];
    for (let i = g; i < Math.min(g + CHECK_GROUP, o.start + o.count); i++) {
      group.push(genScenario(o.seed, i, 'sound'));
      const m = genScenario(o.seed, i, 'mutation');
      if (m.conflict !== null) group.push(m);
    }
    const prog = renderProgram(group);
    const r = o.checker.check(prog.text, file);
    s.checkMs += r.ms;
    // let the event loop breathe (vitest's worker RPC times out otherwise)
    await new Promise<void>((resolve) => setImmediate(resolve));
    const baseAccepted = new Set<number>();
    group.forEach((sc, k) => {
      const range = prog.ranges[k]!;
      const errors = r.errors.filter((e) => e.line >= range.first && e.line <= range.last);
      const accepted = errors.length === 0;
      if (sc.mode === 'sound' && accepted) baseAccepted.add(sc.index);
      if (!o.modes.includes(sc.mode)) return;
      if (sc.mode === 'mutation' && !baseAccepted.has(sc.index)) return;
      s.scenarios++;
      const single = (): string => renderProgram([sc]).text;
      const finding = (kind: FindingKind, detail: string): void =>
        report({ kind, seed: o.seed, index: sc.index, mode: sc.mode, detail: `${detail}\n(lines as in the program below)`, program: single() });
      // line numbers of the program with this scenario alone, for the reports
      const shift = renderProgram([sc]).ranges[0]!.first - range.first;
      const local = errors.map((e) => ({ ...e, line: e.line + shift, labels: e.labels.map((l) => l + shift) }));
      if (!accepted) s.rejected++;
      if (sc.mode === 'sound') {
        if (!accepted) {
          if (errors.some((e) => OWNERSHIP_CODES.has(e.code))) {
            s.rejectedOwnership++;
            s.falsePositives++;
            finding('false-positive', describeErrors(local));
          } else {
            s.rejectedWrong++;
            s.generatorBugs++;
            finding('generator-bug', `ill-typed:\n${describeErrors(local)}`);
          }
          return;
        }
        s.accepted++;
        const model = expectedOutput([sc]);
        if (model.bad !== '') {
          s.generatorBugs++;
          finding('generator-bug', `the model would panic: ${model.bad}`);
          return;
        }
        if (o.checkOnly) return;
        pending.push(sc);
        if (pending.length >= o.batch) flush();
        return;
      }
      const c = prog.conflicts[k]!;
      const lc = renderProgram([sc]).conflicts[0]!;
      const what = `${sc.conflict!.what}; inserted at line ${lc.inserted.join(',')}, borrow at line ${lc.borrow}`;
      if (!accepted) {
        if (namesConflict(errors, c)) s.rejectedOwnership++;
        else {
          s.rejectedWrong++;
          finding('wrong-rejection', `${what}\n${describeErrors(local)}`);
        }
        return;
      }
      s.accepted++;
      s.failures++;
      let detail = `accepted a conflicting access: ${what}`;
      if (!o.checkOnly && confirmations < o.confirmLimit) {
        confirmations++;
        const t0 = performance.now();
        const src = path.join(o.dir, `mut${sc.index}.tml`);
        writeFileSync(src, single());
        const run = buildAndRun(o.checker.root, src, 'asan');
        s.runMs += performance.now() - t0;
        const why = runVerdict('asan', run, null);
        if (why !== null && /AddressSanitizer/.test(run.stderr)) s.confirmedUseAfterFree++;
        detail += why === null ? '\n(ASan run was clean: the conflict did not free what the reference reads)' : `\nASan run: ${why.split('\n').slice(0, 4).join('\n')}`;
      }
      finding('missed-conflict', detail);
    });
  }
  flush();
  return { summary: s, findings };
}

/** Builds and runs accepted sound scenarios as one program under each tool; the first failure, or null. */
function runBatch(o: FuzzOptions, batch: readonly Scenario[], serial: number): string | null {
  const prog = renderProgram(batch);
  const expected = expectedOutput(batch).lines;
  const src = path.join(o.dir, `batch${serial}.tml`);
  writeFileSync(src, prog.text);
  const flavors: Flavor[] = ['leak', 'asan'];
  if (o.valgrindEvery > 0 && serial % o.valgrindEvery === 0) flavors.push('valgrind');
  for (const f of flavors) {
    const why = runVerdict(f, buildAndRun(o.checker.root, src, f), expected);
    if (why !== null) return why;
  }
  return null;
}
