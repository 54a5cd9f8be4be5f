// External tools (TOOLCHAIN.md §3): located by a PATH lookup of our own, run with execa and argument arrays,
// never through a shell. A missing tool is one line naming the Debian package that installs it.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export type ToolName = 'clang' | 'opt' | 'llvm-link' | 'valgrind' | 'cmake' | 'qemu-aarch64';

/** Executable name and the Debian package that provides it. */
export const TOOLS: Readonly<Record<ToolName, { readonly exe: string; readonly pkg: string }>> = {
  clang: { exe: 'clang-14', pkg: 'clang-14' },
  opt: { exe: 'opt-14', pkg: 'llvm-14' },
  'llvm-link': { exe: 'llvm-link-14', pkg: 'llvm-14' },
  valgrind: { exe: 'valgrind', pkg: 'valgrind' },
  cmake: { exe: 'cmake', pkg: 'cmake' },
  'qemu-aarch64': { exe: 'qemu-aarch64', pkg: 'qemu-user' },
};

/** An error the user can act on (missing tool, failing tool): printed as one message, never as an ICE. */
export class ToolError extends Error {
  constructor(
    message: string,
    /** extra text printed after the message (e.g. the tool's own stderr) */
    readonly detail: string = '',
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

/** The one-line message for a tool that is not on PATH. */
export function missingToolMessage(tool: ToolName): string {
  const { exe, pkg } = TOOLS[tool];
  return `error: \`${exe}\` not found on PATH; install the Debian package \`${pkg}\` (apt-get install ${pkg})`;
}

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** PATH lookup without a shell: the first executable file named `exe` in `pathVar`'s directories. */
export function findExecutable(exe: string, pathVar: string | undefined = process.env['PATH']): string | null {
  if (exe.includes('/')) return isExecutableFile(exe) ? path.resolve(exe) : null;
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, exe);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

const located = new Map<string, string>();

/** Absolute path of a tool; throws a ToolError with the one-line message when it is missing. */
export function locateTool(tool: ToolName, pathVar: string | undefined = process.env['PATH']): string {
  const key = `${tool}\0${pathVar ?? ''}`;
  const hit = located.get(key);
  if (hit !== undefined) return hit;
  const found = findExecutable(TOOLS[tool].exe, pathVar);
  if (found === null) throw new ToolError(missingToolMessage(tool));
  located.set(key, found);
  return found;
}

/** How a command is shown for --verbose: shell-quoted for reading only, never executed that way. */
export function formatCommand(exe: string, args: readonly string[]): string {
  const q = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [exe, ...args].map(q).join(' ');
}

export interface RunToolOptions {
  /** echo the command to stderr first */
  verbose?: boolean;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** sink for --verbose lines (default: process.stderr) */
  log?: (line: string) => void;
}

export interface ToolResult {
  stdout: string;
  stderr: string;
}

/**
 * Run a tool to completion and capture its output. A non-zero exit or a signal is a ToolError carrying the
 * tool's output; on success the caller decides what to do with stderr (e.g. forward clang's warnings).
 */
export async function runTool(tool: ToolName, args: readonly string[], opts: RunToolOptions = {}): Promise<ToolResult> {
  const exe = locateTool(tool, opts.env?.['PATH'] ?? process.env['PATH']);
  return runExecutable(exe, TOOLS[tool].exe, args, opts);
}

/** Like runTool, for an executable already located (shown as `display` in messages). */
export async function runExecutable(
  exe: string,
  display: string,
  args: readonly string[],
  opts: RunToolOptions = {},
): Promise<ToolResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  if (opts.verbose) log(formatCommand(display, args));
  // imported here, not at the top: loading execa costs more than any other dependency, and `tmlc check`,
  // `--version` and `--help` run no tool
  const { execa } = await import('execa');
  const r = await execa(exe, [...args], {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: true,
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
  });
  const stdout = String(r.stdout ?? '');
  const stderr = String(r.stderr ?? '');
  if (r.failed) {
    const how = r.signal ? `was killed by ${r.signal}` : r.exitCode !== undefined ? `failed with exit status ${r.exitCode}` : `could not be started (${r.shortMessage})`;
    throw new ToolError(`error: \`${display}\` ${how}`, (stderr + stdout).trimEnd());
  }
  return { stdout, stderr };
}
