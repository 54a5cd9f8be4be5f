// What the command files share: the handlers they call (replaceable in tests), the context they report the exit
// status through, and the build options of TOOLCHAIN.md §3.
import { Command, Option } from 'commander';
import type { Output } from '../driver/pipeline.js';
import { warningList } from '../driver/warning_policy.js';
import { COLOR_CHOICES, EMITS, MESSAGE_FORMATS, MIR_PASSES, OPT_LEVELS, SANITIZERS, type PipelineOptions, type TestRunOptions } from '../driver/settings.js';

export interface Handlers {
  build(entry: string, out: string | null, o: PipelineOptions): Promise<number>;
  run(entry: string, args: readonly string[], o: PipelineOptions): Promise<number>;
  check(entry: string, o: PipelineOptions): Promise<number>;
  test(paths: readonly string[], o: TestRunOptions): Promise<number>;
}

export interface CliContext {
  readonly handlers: Handlers;
  readonly io: Output;
  /** exit status of the command that ran */
  status: number;
}

/** Commander's parsed build flags (attribute names as commander derives them). */
export interface BuildFlags {
  output?: string;
  release?: boolean;
  O?: string;
  g?: boolean;
  target?: string;
  sanitize?: string;
  checkLeaks?: boolean;
  emit?: string;
  mirAfter?: string;
  verbose?: boolean;
  time?: boolean;
  messageFormat?: string;
  color?: string;
  Z?: string[];
  A?: string[];
  W?: string[];
  denyWarnings?: boolean;
}

/** The build options; `run` leaves out -o and --emit. */
export function addBuildOptions(cmd: Command, which: { output: boolean; emit: boolean }): Command {
  if (which.output) cmd.option('-o, --output <OUT>', 'output path (default: the input\'s base name without .tml, in the current directory)');
  cmd
    .option('--release', 'optimised build (-O2): no overflow checks, no leak tracking')
    .addOption(new Option('-O <level>', 'clang optimisation level (default 0, or 2 with --release)').choices(OPT_LEVELS))
    .option('-g', 'emit debug line info (default in debug builds)')
    .option('--target <TRIPLE>', 'target triple (default: the host\'s, e.g. x86_64-pc-linux-gnu, aarch64-linux-gnu)')
    .addOption(new Option('--sanitize <kind>', 'build with a sanitizer').choices(SANITIZERS))
    .option('--check-leaks', 'report leaked memory at exit (default in debug builds)')
    .option('--no-check-leaks', 'do not report leaked memory at exit');
  if (which.emit) {
    cmd.addOption(new Option('--emit <kind>', 'write LLVM IR text, MIR, bitcode or an object file instead of an executable').choices(EMITS));
    cmd.addOption(new Option('--mir-after <pass>', 'with --emit=mir: the MIR as this pass leaves it (generic bodies before `mono`)').choices(MIR_PASSES));
  }
  cmd
    .option('--verbose', 'echo the external commands')
    .option('--time', 'print the time of each phase (each MIR pass too)')
    .option('-Z <option>', 'debugging option: mir-opt=0 turns the MIR optimizer off (default mir-opt=1)', collectZ)
    .addOption(new Option('--message-format <format>', 'diagnostics as text or as one JSON object per line').choices(MESSAGE_FORMATS))
    .addOption(colorOption());
  return addWarningOptions(cmd);
}

/** -A, -W, --deny-warnings (driver/warning_policy.ts); build, run, check and test take them. */
export function addWarningOptions(cmd: Command): Command {
  return cmd
    .option('-A <warning>', `allow a warning (code or name; repeatable): ${warningList()}`, collectZ)
    .option('-W <warning>', 'deny a warning: report it as an error (code or name; repeatable)', collectZ)
    .option('--deny-warnings', 'report every warning not allowed with -A as an error (exit status 1), e.g. in CI');
}

/** --color=auto|always|never (settings.ts colorEnabled says what auto means). */
export function colorOption(): Option {
  return new Option('--color <when>', 'colour the diagnostics: auto (on a terminal, unless NO_COLOR is set), always or never').choices(COLOR_CHOICES);
}

/** -Z may be given more than once. */
export function collectZ(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
