// `tmlc test [PATHS…] [--filter TEXT] [--jobs N] [--release] [--valgrind] [--sanitize=…] [--no-check-leaks]
// [--message-format=human|json] [--color=auto|always|never] [--time]`: the work is done by the test runner
// (testing/runner.ts).
import path from 'node:path';
import { Option, type Command } from 'commander';
import { findManifest } from '../driver/project_root.js';
import { guarded } from '../driver/pipeline.js';
import { MESSAGE_FORMATS, resolveTestOptions, SANITIZERS } from '../driver/settings.js';
import { addWarningOptions, collectZ, colorOption, type CliContext } from './common.js';

interface TestFlags {
  filter?: string;
  jobs?: string;
  release?: boolean;
  valgrind?: boolean;
  sanitize?: string;
  /** only --no-check-leaks is defined, so commander defaults this to true: true means "not given" */
  checkLeaks?: boolean;
  messageFormat?: string;
  color?: string;
  time?: boolean;
  Z?: string[];
  A?: string[];
  W?: string[];
  denyWarnings?: boolean;
}

export function registerTest(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('test')
    .description('compile and run the tests (*.test.tml, and .tml files under tests/ folders) below the given paths')
    .argument('[PATHS...]', 'files or directories (default: the project around the current directory, else the directory)')
    .option('--filter <TEXT>', 'run only the tests whose name contains TEXT')
    .option('--jobs <N>', 'tests run in parallel (default: the number of cores)')
    .option('--release', 'optimised build: no overflow checks, no leak tracking')
    .option('--valgrind', 'run every test under valgrind')
    .addOption(new Option('--sanitize <kind>', 'build the tests with a sanitizer').choices(SANITIZERS))
    .option('--no-check-leaks', 'do not fail tests that leak')
    .addOption(new Option('--message-format <format>', 'diagnostics as text or as one JSON object per line').choices(MESSAGE_FORMATS))
    .addOption(colorOption())
    .option('--time', 'print the phases of each test file compiled (before its tests)')
    .option('-Z <option>', 'debugging option: mir-opt=0 turns the MIR optimizer off (default mir-opt=1)', collectZ);
  addWarningOptions(cmd).action(async (paths: string[], flags: TestFlags) => {
    ctx.status = await guarded(async () => {
      const o = resolveTestOptions({ ...flags, checkLeaks: flags.checkLeaks === false ? false : undefined });
      return ctx.handlers.test(paths.length > 0 ? paths : [defaultTestRoot()], o);
    }, ctx.io);
  });
}

/** `tmlc test` with no paths: the whole project (its root, where tml.toml is) when inside one, else `.`. */
function defaultTestRoot(): string {
  const manifest = findManifest(process.cwd());
  return manifest === null ? '.' : path.dirname(manifest);
}
