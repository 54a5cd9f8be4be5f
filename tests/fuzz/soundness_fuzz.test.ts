// The soundness fuzzer, bounded for CI (issue 9; soundness_gen.ts says what it generates): a program the
// checker accepts must run clean (leak checker, AddressSanitizer, a Valgrind sample, the predicted output), and
// a program with one inserted conflicting access must be rejected with an ownership error that names it.
//
// Knobs: TML_SOUNDNESS_SEED, TML_SOUNDNESS_COUNT (scenario indices checked, each in both modes; default 300),
// TML_SOUNDNESS_BUILD (sound scenarios built and run; default 96), TML_SOUNDNESS_ROOT (the tmlc checkout to
// test, built; default this one). The long run is tests/fuzz/run_soundness.sh.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedOutput, genScenario, renderProgram } from './soundness_gen.js';
import { Checker, OWNERSHIP_CODES } from './soundness_oracle.js';
import { fuzz, summaryLine, type Finding, type FindingKind } from './soundness_run.js';

const SEED = Number(process.env['TML_SOUNDNESS_SEED'] ?? 0x5eed);
const COUNT = Number(process.env['TML_SOUNDNESS_COUNT'] ?? 300);
const BUILD = Number(process.env['TML_SOUNDNESS_BUILD'] ?? 96);
const SHOWN = 5;

let checker: Checker;
let dir: string;

beforeAll(async () => {
  checker = await Checker.load();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tml-soundness-'));
});

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function show(findings: readonly Finding[], kinds: readonly FindingKind[]): string {
  const fs = findings.filter((f) => kinds.includes(f.kind));
  return [
    `${fs.length} finding(s) (seed ${SEED}; indices ${[...new Set(fs.map((f) => f.index))].join(',')})`,
    ...fs.slice(0, SHOWN).map((f) => `--- ${f.kind}: scenario ${f.index} (${f.mode})\n${f.detail}\n${f.program}`),
  ].join('\n\n');
}

describe('the soundness generator', () => {
  it('is deterministic per seed and index', () => {
    for (const i of [0, 1, 17, 123]) {
      for (const mode of ['sound', 'mutation'] as const) {
        const a = renderProgram([genScenario(SEED, i, mode)]).text;
        const b = renderProgram([genScenario(SEED, i, mode)]).text;
        expect(a).toBe(b);
      }
    }
    expect(renderProgram([genScenario(SEED, 1, 'sound')]).text).not.toBe(renderProgram([genScenario(SEED + 1, 1, 'sound')]).text);
  });

  it('emits programs that parse and type-check, and whose output the model can predict', () => {
    const scenarios = Array.from({ length: 60 }, (_, i) => genScenario(SEED + 7, i, i % 2 === 0 ? 'sound' : 'mutation'));
    const r = checker.check(renderProgram(scenarios).text, path.join(dir, 'gen.tml'));
    const notOwnership = r.errors.filter((e) => !OWNERSHIP_CODES.has(e.code));
    expect(notOwnership, JSON.stringify(notOwnership, null, 1)).toEqual([]);
    const sound = scenarios.filter((s) => s.mode === 'sound');
    expect(expectedOutput(sound).bad).toBe('');
  });

  it('puts a conflict into most mutation-mode scenarios', () => {
    const withConflict = Array.from({ length: 50 }, (_, i) => genScenario(SEED, i, 'mutation')).filter((s) => s.conflict !== null);
    expect(withConflict.length).toBeGreaterThan(35);
  });
});

describe('the soundness fuzzer', () => {
  let findings: Finding[] = [];
  let line = '';
  /** missed conflicts whose run read freed memory under ASan */
  let asan: string[] = [];

  beforeAll(async () => {
    const checked = await fuzz({
      checker,
      seed: SEED,
      start: 0,
      count: COUNT,
      modes: ['sound', 'mutation'],
      batch: 12,
      valgrindEvery: 0,
      confirmLimit: 0,
      checkOnly: true,
      dir,
    });
    // build and run the first BUILD sound scenarios, a Valgrind run among them, and confirm a few missed
    // conflicts under ASan
    const built = await fuzz({
      checker,
      seed: SEED,
      start: COUNT,
      count: BUILD,
      modes: ['sound'],
      batch: 12,
      valgrindEvery: 4,
      confirmLimit: 0,
      checkOnly: false,
      dir,
    });
    const confirmed = await fuzz({
      checker,
      seed: SEED,
      start: 0,
      count: 24,
      modes: ['mutation'],
      batch: 12,
      valgrindEvery: 0,
      confirmLimit: 4,
      checkOnly: false,
      dir,
    });
    findings = [...checked.findings, ...built.findings];
    asan = confirmed.findings.filter((f) => f.detail.includes('ASan run:')).map((f) => `scenario ${f.index}: ${f.detail}`);
    line = [summaryLine(checked.summary), summaryLine(built.summary), ...asan].join('\n');
    console.log(line);
  }, 600_000);

  it('generates only well-typed programs', () => {
    expect(findings.filter((f) => f.kind === 'generator-bug').length, show(findings, ['generator-bug'])).toBe(0);
  });

  it('accepted programs run clean (leak checker, ASan, Valgrind, predicted output)', () => {
    expect(findings.filter((f) => f.kind === 'unclean-run').length, show(findings, ['unclean-run'])).toBe(0);
  });

  it('rejects every inserted conflicting access, naming it', () => {
    const bad = findings.filter((f) => f.kind === 'missed-conflict' || f.kind === 'wrong-rejection');
    expect(bad.length, `${line}\n${show(findings, ['missed-conflict', 'wrong-rejection'])}`).toBe(0);
  });

  it('accepts the sound programs (no false positives)', () => {
    expect(findings.filter((f) => f.kind === 'false-positive').length, show(findings, ['false-positive'])).toBe(0);
  });
});
