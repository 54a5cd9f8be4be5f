// From command-line flags to BuildOptions (TOOLCHAIN.md §3): pure functions, shared by the CLI and the test
// runner, so the defaults of each mode live in one place.
import os from 'node:os';
import path from 'node:path';
import { PASS_NAMES } from '../mir/pass_manager.js';
import type { BuildOptions, FrontEndOptions, Sanitizer } from './options.js';
import { resolveWarningPolicy, type WarningPolicy } from './warning_policy.js';

export type Emit = 'ir' | 'mir' | 'bc' | 'obj';
export type MessageFormat = 'human' | 'json';
/** --color: when human-readable diagnostics are coloured */
export type ColorChoice = 'auto' | 'always' | 'never';

export const EMITS: readonly Emit[] = ['ir', 'mir', 'bc', 'obj'];
export const SANITIZERS: readonly Sanitizer[] = ['address', 'leak', 'undefined', 'thread'];
export const MESSAGE_FORMATS: readonly MessageFormat[] = ['human', 'json'];
export const COLOR_CHOICES: readonly ColorChoice[] = ['auto', 'always', 'never'];
export const OPT_LEVELS: readonly string[] = ['0', '1', '2', '3'];
/** the MIR passes, in order (for --mir-after) */
export const MIR_PASSES: readonly string[] = PASS_NAMES;

/** Bad usage: printed as one line, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Everything `build` needs beyond BuildOptions. */
export interface PipelineOptions extends BuildOptions {
  /** --emit: write this instead of linking an executable; null = executable */
  emit: Emit | null;
  /** --mir-after PASS (with --emit=mir): the MIR as that pass leaves it */
  mirAfter: string | null;
  messageFormat: MessageFormat;
  /** -A/-W/--deny-warnings (driver/warning_policy.ts); none: every warning is reported as a warning */
  warnings?: WarningPolicy;
  /** colour the human-readable diagnostics (--color, resolved against NO_COLOR and the terminal: colorEnabled) */
  color: boolean;
}

/**
 * --color=always colours, never does not; auto (the default) colours when diagnostics go to a terminal and the
 * NO_COLOR environment variable is unset or empty (no-color.org). JSON is never coloured.
 */
export function colorEnabled(choice: ColorChoice, format: MessageFormat, stderrIsTerminal: boolean, env: NodeJS.ProcessEnv): boolean {
  if (format === 'json' || choice === 'never') return false;
  if (choice === 'always') return true;
  return stderrIsTerminal && (env['NO_COLOR'] ?? '') === '';
}

/** Flags as the command line gives them (commander's attribute names); every field optional. */
export interface RawBuildFlags {
  release?: boolean;
  /** -O<n>, as the string after -O */
  O?: string;
  g?: boolean;
  target?: string;
  sanitize?: string;
  /** --check-leaks → true, --no-check-leaks → false, neither → undefined (the mode's default) */
  checkLeaks?: boolean;
  emit?: string;
  mirAfter?: string;
  verbose?: boolean;
  time?: boolean;
  messageFormat?: string;
  /** --color=auto|always|never */
  color?: string;
  /** -Z debugging options, e.g. `mir-opt=0` */
  Z?: string[];
  /** -A CODE|NAME: allow (drop) a warning; -W CODE|NAME: deny it (an error); --deny-warnings: deny them all */
  A?: string[];
  W?: string[];
  denyWarnings?: boolean;
}

/** `-Z` options: `mir-opt=0` turns the MIR optimizer off, `mir-opt=1` on (the default). */
export function mirOptFlag(z: readonly string[] | undefined): boolean | null {
  let on: boolean | null = null;
  for (const opt of z ?? []) {
    const m = /^mir-opt=(0|1)$/.exec(opt);
    if (!m) throw new UsageError(`unknown -Z option '${opt}' (expected mir-opt=0 or mir-opt=1)`);
    on = m[1] === '1';
  }
  return on;
}

/** The default target triple for a Node `process.arch`. */
export function hostTriple(arch: string = process.arch): string {
  if (arch === 'x64') return 'x86_64-pc-linux-gnu';
  if (arch === 'arm64') return 'aarch64-linux-gnu';
  throw new UsageError(`unsupported host architecture '${arch}'; pass --target x86_64-pc-linux-gnu or --target aarch64-linux-gnu`);
}

/** The architecture part of a supported triple, or null for an unsupported one. */
export function tripleArch(triple: string): 'x86_64' | 'aarch64' | null {
  const m = /^(x86_64|aarch64)-[A-Za-z0-9_.-]+$/.exec(triple);
  return m ? (m[1] as 'x86_64' | 'aarch64') : null;
}

function oneOf<T extends string>(what: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`invalid value '${value}' for ${what} (expected ${allowed.join(', ')})`);
  }
  return value as T;
}

/**
 * The options of one build. The mode is debug unless --release; -O<n> only sets clang's optimisation level
 * (so `-O2` without `--release` is an optimised build that keeps overflow checks and leak checking).
 *
 * - debug (default): -O0, -g, overflow checks, leak checking
 * - --release: -O2, no -g, no overflow checks, no leak tracking (the `release` runtime has none)
 * - --sanitize=address|leak: the `asan` runtime, TML leak checker off (LeakSanitizer reports leaks)
 * - --sanitize=undefined: the `ubsan` runtime, which keeps the tracker (TOOLCHAIN.md §4)
 * - --sanitize=thread: the `tsan` runtime, TML leak checker off: the tracker's lock, taken by every allocation and
 *   free, would be a happens-before edge between any two threads that allocate, and hide their races from TSan
 */
export function resolveBuildOptions(
  raw: RawBuildFlags,
  arch: string = process.arch,
  terminal: { stderrIsTerminal: boolean; env: NodeJS.ProcessEnv } = { stderrIsTerminal: process.stderr.isTTY === true, env: process.env },
): PipelineOptions {
  const release = raw.release === true;
  const sanitize = oneOf('--sanitize', raw.sanitize, SANITIZERS) ?? null;
  const level = oneOf('-O', raw.O, OPT_LEVELS);
  const optLevel = (level !== undefined ? Number(level) : release ? 2 : 0) as 0 | 1 | 2 | 3;
  const emit = oneOf('--emit', raw.emit, EMITS) ?? null;
  const mirAfter = oneOf('--mir-after', raw.mirAfter, MIR_PASSES) ?? null;
  if (mirAfter !== null && emit !== 'mir') throw new UsageError('--mir-after needs --emit=mir');
  const messageFormat = oneOf('--message-format', raw.messageFormat, MESSAGE_FORMATS) ?? 'human';
  const color = colorEnabled(oneOf('--color', raw.color, COLOR_CHOICES) ?? 'auto', messageFormat, terminal.stderrIsTerminal, terminal.env);

  let triple: string;
  if (raw.target !== undefined) {
    if (tripleArch(raw.target) === null) {
      throw new UsageError(`unsupported target '${raw.target}' (tmlc targets x86_64 and aarch64 Linux, e.g. x86_64-pc-linux-gnu, aarch64-linux-gnu)`);
    }
    triple = raw.target;
  } else {
    triple = hostTriple(arch);
  }

  let checkLeaks: boolean;
  if (sanitize === 'address' || sanitize === 'leak') {
    if (raw.checkLeaks === true) {
      throw new UsageError(`--check-leaks cannot be combined with --sanitize=${sanitize} (LeakSanitizer reports the leaks)`);
    }
    checkLeaks = false;
  } else if (sanitize === 'thread') {
    if (raw.checkLeaks === true) {
      throw new UsageError('--check-leaks cannot be combined with --sanitize=thread (the tsan runtime tracks nothing: the tracker\'s lock would hide races)');
    }
    checkLeaks = false;
  } else if (release) {
    if (raw.checkLeaks === true) {
      throw new UsageError('--check-leaks cannot be combined with --release (the release runtime tracks nothing); use -O2 without --release');
    }
    checkLeaks = false;
  } else {
    checkLeaks = raw.checkLeaks ?? true;
  }

  return {
    optLevel,
    release,
    debugInfo: raw.g ?? !release,
    triple,
    sanitize,
    checkLeaks,
    verbose: raw.verbose === true,
    time: raw.time === true,
    // resolved here, so that the test cache's key tells the two apart
    mirOpt: mirOptFlag(raw.Z) ?? process.env.TMLC_MIR_OPT !== '0',
    emit,
    mirAfter,
    messageFormat,
    warnings: resolveWarningPolicy(raw),
    color,
  };
}

/** What the front end needs of a build. */
export function frontEndOptions(o: BuildOptions & Partial<Pick<PipelineOptions, 'mirAfter'>>, tests = false): FrontEndOptions {
  return { overflowChecks: !o.release, tests, mirAfter: o.mirAfter ?? null, mirOpt: o.mirOpt ?? null, debuggable: o.debugInfo && !o.release };
}

const EMIT_EXTENSION: Record<Emit, string> = { ir: '.ll', mir: '.mir', bc: '.bc', obj: '.o' };

/**
 * The default output path: the input's base name without `.tml`, in the current directory (plus `.ll`, `.bc`,
 * `.o` for --emit; `-` = stdout for --emit=mir). Refuses a name that would overwrite the input itself.
 */
export function defaultOutput(entry: string, emit: Emit | null, cwd: string = process.cwd()): string {
  if (emit === 'mir') return '-';
  const base = path.basename(entry).replace(/\.tml$/, '');
  const out = emit === null ? base : base + EMIT_EXTENSION[emit];
  if (out === '' || out === '.' || out === '..' || path.resolve(cwd, out) === path.resolve(cwd, entry)) {
    throw new UsageError(`cannot derive an output name from '${entry}'; pass -o OUT`);
  }
  return out;
}

/** Options of `tmlc test` as the test runner receives them. */
export interface TestRunOptions {
  build: PipelineOptions;
  /** run only tests whose name contains this text */
  filter: string | null;
  /** tests run in parallel (default: the number of cores) */
  jobs: number;
  /** run each test under valgrind */
  valgrind: boolean;
  messageFormat: MessageFormat;
}

export interface RawTestFlags {
  filter?: string;
  jobs?: string;
  release?: boolean;
  valgrind?: boolean;
  sanitize?: string;
  checkLeaks?: boolean;
  messageFormat?: string;
  color?: string;
  verbose?: boolean;
  time?: boolean;
  Z?: string[];
  A?: string[];
  W?: string[];
  denyWarnings?: boolean;
}

export function resolveTestOptions(raw: RawTestFlags, arch: string = process.arch): TestRunOptions {
  const build = resolveBuildOptions(
    {
      release: raw.release,
      sanitize: raw.sanitize,
      checkLeaks: raw.checkLeaks,
      messageFormat: raw.messageFormat,
      color: raw.color,
      verbose: raw.verbose,
      time: raw.time,
      Z: raw.Z,
      A: raw.A,
      W: raw.W,
      denyWarnings: raw.denyWarnings,
    },
    arch,
  );
  let jobs = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  if (raw.jobs !== undefined) {
    if (!/^[1-9][0-9]*$/.test(raw.jobs)) throw new UsageError(`invalid value '${raw.jobs}' for --jobs (expected a positive integer)`);
    jobs = Number(raw.jobs);
  }
  const valgrind = raw.valgrind === true;
  // Valgrind cannot run a program under ASan's or TSan's runtime (both reserve huge shadow mappings)
  if (valgrind && (build.sanitize === 'address' || build.sanitize === 'leak' || build.sanitize === 'thread')) {
    throw new UsageError(`--valgrind cannot be combined with --sanitize=${build.sanitize}`);
  }
  return { build, filter: raw.filter ?? null, jobs: Math.max(1, jobs), valgrind, messageFormat: build.messageFormat };
}
