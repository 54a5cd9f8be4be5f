// The soundness fuzzer's oracle (issue 9): asks one tmlc checkout whether it accepts a program (its front end
// in-process: parse, check, MIR, no clang), and runs accepted programs under the leak checker, AddressSanitizer
// or Valgrind. Verdicts are strings (null = clean) so the test and the long run report them the same way.
//
// The checkout is TML_SOUNDNESS_ROOT (default: the repository holding this file); it must be built
// (`npm run build`, `cmake --build build`), since both the in-process checker and `bin/tmlc.js` use `dist/`.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConflictLines } from './soundness_gen.js';

export const DEFAULT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function tmlcRoot(): string {
  return path.resolve(process.env['TML_SOUNDNESS_ROOT'] ?? DEFAULT_ROOT);
}

/** The codes of move, borrow and initialisation errors (docs/errors.md). */
export const OWNERSHIP_CODES = new Set(['E0381', 'E0382', 'E0499', 'E0502', 'E0503', 'E0505', 'E0506', 'E0507', 'E0508', 'E0596', 'E0597']);

export interface CheckError {
  code: string;
  message: string;
  line: number;
  /** lines of the secondary labels */
  labels: number[];
}

export interface CheckResult {
  accepted: boolean;
  errors: CheckError[];
  ms: number;
}

interface Span {
  file: string;
  start: number;
}
interface FrontEnd {
  runFrontEnd(
    entry: string,
    opts: { overflowChecks: boolean; tests: boolean },
  ): {
    program: unknown;
    diagnostics: { severity: string; code: string; message: string; span: Span; secondary: readonly { span: Span }[] }[];
    sources: { get(file: string): { position(offset: number): { line: number } } | undefined };
  };
}

/** The front end of one checkout, run in this process. */
export class Checker {
  private constructor(
    readonly root: string,
    private readonly fe: FrontEnd,
  ) {}

  static async load(root: string = tmlcRoot()): Promise<Checker> {
    const file = path.join(root, 'dist', 'compiler', 'src', 'driver', 'frontend.js');
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` in ${root}`);
    return new Checker(root, (await import(pathToFileURL(file).href)) as FrontEnd);
  }

  /** Checks `text`, written to `file` (diagnostics name that path). */
  check(text: string, file: string): CheckResult {
    writeFileSync(file, text);
    const t0 = performance.now();
    const r = this.fe.runFrontEnd(file, { overflowChecks: true, tests: false });
    const lineOf = (s: Span): number => r.sources.get(s.file)?.position(s.start).line ?? 0;
    const errors = r.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => ({ code: d.code, message: d.message, line: lineOf(d.span), labels: d.secondary.map((l) => lineOf(l.span)) }));
    return { accepted: errors.length === 0 && r.program !== null, errors, ms: performance.now() - t0 };
  }
}

/**
 * Does the rejection name the inserted conflict? An ownership error whose primary line is an inserted line, or
 * one of whose labels points at the borrow or an inserted line.
 */
export function namesConflict(errors: readonly CheckError[], c: ConflictLines): boolean {
  return errors.some(
    (e) => OWNERSHIP_CODES.has(e.code) && (c.inserted.includes(e.line) || e.labels.some((l) => l === c.borrow || c.inserted.includes(l))),
  );
}

export function describeErrors(errors: readonly CheckError[]): string {
  return errors.map((e) => `  error[${e.code}] line ${e.line}${e.labels.length > 0 ? ` (labels at ${e.labels.join(', ')})` : ''}: ${e.message}`).join('\n');
}

export type Flavor = 'leak' | 'asan' | 'valgrind';

export interface RunOutcome {
  /** build failed: its status and stderr */
  buildStatus: number;
  buildErr: string;
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

const BUILD_FLAGS: Record<Flavor, string[]> = { leak: [], asan: ['--sanitize=address'], valgrind: [] };

/** Builds `src` (a .tml file) with the checkout's `bin/tmlc.js` and runs it under `flavor`. */
export function buildAndRun(root: string, src: string, flavor: Flavor): RunOutcome {
  const exe = src.replace(/\.tml$/, `.${flavor}`);
  const b = spawnSync('node', [path.join(root, 'bin', 'tmlc.js'), 'build', src, '-o', exe, ...BUILD_FLAGS[flavor]], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const none = { status: null, signal: null, stdout: '', stderr: '' };
  if (b.status !== 0) return { buildStatus: b.status ?? -1, buildErr: (b.stderr ?? '') + (b.error?.message ?? ''), ...none };
  const [cmd, args] =
    flavor === 'valgrind' ? ['valgrind', ['-q', '--error-exitcode=99', '--leak-check=full', '--errors-for-leak-kinds=definite', exe]] : [exe, []];
  const env = { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0' };
  const r = spawnSync(cmd as string, args as string[], { encoding: 'utf8', timeout: 60_000, env, maxBuffer: 64 << 20 });
  return { buildStatus: 0, buildErr: '', status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Why a run of an accepted program is not clean, or null. `expected`: the predicted stdout lines, if known. */
export function runVerdict(flavor: Flavor, r: RunOutcome, expected: readonly string[] | null): string | null {
  if (r.buildStatus !== 0) return `build failed (status ${r.buildStatus}):\n${r.buildErr.slice(0, 2000)}`;
  const tail = r.stderr.slice(0, 3000);
  if (r.signal !== null) return `${flavor} run killed by ${r.signal}\n${tail}`;
  if (/AddressSanitizer|LeakSanitizer|==\d+==\s*(Invalid|ERROR)|tmlc: (double|invalid) free|leak/i.test(r.stderr))
    return `${flavor} run reported an error (status ${r.status})\n${tail}`;
  if (r.status !== 0) return `${flavor} run exited with status ${r.status}\n${tail}`;
  if (expected !== null) {
    const got = r.stdout.split('\n');
    if (got[got.length - 1] === '') got.pop();
    const i = got.findIndex((l, k) => l !== expected[k]);
    if (i >= 0 || got.length !== expected.length) {
      const k = i >= 0 ? i : Math.min(got.length, expected.length);
      return `${flavor} run printed something else from output line ${k + 1}: got ${JSON.stringify(got[k])}, expected ${JSON.stringify(expected[k])}`;
    }
  }
  return null;
}
