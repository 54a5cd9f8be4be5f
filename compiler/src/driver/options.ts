// Options shared by the driver's commands (TOOLCHAIN.md §3).

export type Sanitizer = 'address' | 'leak' | 'undefined' | 'thread';
export type RuntimeVariant = 'release' | 'debug' | 'asan' | 'ubsan' | 'tsan';

export interface BuildOptions {
  /** -O level for clang; debug builds are -O0 */
  optLevel: 0 | 1 | 2 | 3;
  /** --release: no overflow checks, no leak tracking */
  release: boolean;
  /** -g: debug line info (default on in debug builds) */
  debugInfo: boolean;
  /** target triple; default the host's */
  triple: string;
  sanitize: Sanitizer | null;
  /** leak checker: default on in debug builds, off in --release and sanitizer builds */
  checkLeaks: boolean;
  verbose: boolean;
  time: boolean;
  /** the MIR optimizer (`-Z mir-opt=0|1`; without it, on unless TMLC_MIR_OPT=0) */
  mirOpt?: boolean;
}

/** What the front end needs to know of the build (it shapes the MIR: checks are explicit MIR). */
export interface FrontEndOptions {
  /** overflow and shift checks (off in --release) */
  overflowChecks: boolean;
  /** compile `@test` functions and their harness shims */
  tests: boolean;
  /** --mir-after: stop after this MIR pass and keep its MIR as text */
  mirAfter?: string | null;
  /** the MIR optimizer; null/undefined: on unless TMLC_MIR_OPT=0 */
  mirOpt?: boolean | null;
  /** an executable with `main` is being built: a test file without `main` is an error then, not only skipped */
  needsMain?: boolean;
  /** a debug build with debug info: the MIR inliner leaves the program's own functions alone (mir/opt/inline.ts) */
  debuggable?: boolean;
  /** `tmlc check`: stop after the MIR's last check (nothing later reports a diagnostic); no optimizer */
  checkOnly?: boolean;
  /** file path → text to compile instead of the file's (the language server's unsaved editor buffers) */
  overlay?: ReadonlyMap<string, string>;
  /** called after the checker and after each MIR pass: a large build collects its garbage there */
  afterPhase?: () => void;
  /** --time: the timings carry the resident set at each phase's end (else null: not read) */
  time?: boolean;
}

/** The runtime library variant a build links (TOOLCHAIN.md §4). */
export function runtimeVariant(o: BuildOptions): RuntimeVariant {
  if (o.sanitize === 'address' || o.sanitize === 'leak') return 'asan';
  if (o.sanitize === 'undefined') return 'ubsan';
  if (o.sanitize === 'thread') return 'tsan';
  // the tracking runtime is the leak checker (MEMORY.md §9): without it (--release, --no-check-leaks) allocation
  // is plain malloc, with zero tracking overhead, and Valgrind sees leaked blocks as lost
  return o.release || !o.checkLeaks ? 'release' : 'debug';
}
