// Linking a debug build without clang's driver. At -O0 the object file is made in-process (backend.ts), so clang
// would only start, work out the system linker's command line (crt files, GCC's library directory, the dynamic
// linker) and run `ld`: half of a small program's link time was the driver's own start-up (docs/decisions.md,
// "Linking with ld directly"). That command line depends only on clang, the target and the link flags, so it is
// asked for once (`clang-14 -###` on the first link's paths, which then become placeholders), kept in the cache
// directory, and `ld` is run directly with each link's real paths put in. Sanitizer and optimised builds keep the driver (it adds the sanitizer runtimes, and
// compiles bitcode first).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageVersion, runtimeCacheDir } from './runtime_lib.js';
import { findExecutable, locateTool } from './toolchain.js';

/** Placeholder paths standing for the object file, the runtime library and the output in the asked-for command. */
export const LINK_PLACEHOLDERS = {
  input: '/tmlc-link-template/input.o',
  runtime: '/tmlc-link-template/runtime.a',
  output: '/tmlc-link-template/output',
} as const;

export type LinkPaths = { [K in keyof typeof LINK_PLACEHOLDERS]: string };

/**
 * The commands in `clang -###` output (stderr): one per line that starts with a space and a double quote, each
 * argument double-quoted with `"`, `\` and `$` escaped by a backslash (llvm::sys::printArg).
 */
export function parseDriverCommands(text: string): string[][] {
  const commands: string[][] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(' "')) continue;
    const args: string[] = [];
    const re = /"((?:[^"\\]|\\.)*)"/g;
    for (let m = re.exec(line); m !== null; m = re.exec(line)) args.push(m[1]!.replace(/\\(.)/g, '$1'));
    commands.push(args);
  }
  return commands;
}

/**
 * The linker command template from `clang -###` output for a link of `paths` (which must exist: the driver leaves
 * out inputs it cannot find), with the paths replaced by the placeholders; null when it is not one command naming
 * an absolute linker and each path exactly once (then the driver keeps linking).
 */
export function linkTemplate(driverOutput: string, paths: LinkPaths): string[] | null {
  const commands = parseDriverCommands(driverOutput);
  if (commands.length !== 1) return null;
  const cmd = commands[0]!;
  if (cmd.length < 2 || !path.isAbsolute(cmd[0]!)) return null;
  const placeholderOf = new Map<string, string>();
  for (const [k, p] of Object.entries(paths)) {
    if (cmd.filter((a) => a === p).length !== 1 || placeholderOf.has(p)) return null;
    placeholderOf.set(p, LINK_PLACEHOLDERS[k as keyof LinkPaths]);
  }
  return cmd.map((a) => placeholderOf.get(a) ?? a);
}

/** The template with the real paths put in: [linker, ...arguments]. */
export function instantiateLink(template: readonly string[], paths: LinkPaths): string[] {
  const byPlaceholder = new Map<string, string>(Object.entries(LINK_PLACEHOLDERS).map(([k, p]) => [p, paths[k as keyof LinkPaths]]));
  return template.map((a) => byPlaceholder.get(a) ?? a);
}

/** Whether a template can still be run: its linker and the startup objects it names (crt1.o, crtbeginS.o, …, which
 * a GCC upgrade moves) exist. */
function templateUsable(template: readonly string[]): boolean {
  const named = template.filter((a, i) => i === 0 || (path.isAbsolute(a) && a.endsWith('.o') && !Object.values<string>(LINK_PLACEHOLDERS).includes(a)));
  return named.every((f) => {
    try {
      return statSync(f).isFile();
    } catch {
      return false;
    }
  });
}

/** Where templates are kept: `$XDG_CACHE_HOME/tmlc/<version>/link/` (else `~/.cache/…`), next to the runtime cache. */
export function linkTemplateDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(path.dirname(runtimeCacheDir(packageVersion(), null, env)), 'link');
}

/**
 * The driver flag that makes the direct link use gold: `-fuse-ld=gold` for a link for the host when `ld.gold` is on
 * the PATH (binutils has it on Debian), else none (bfd). gold links hello in 60% of bfd's CPU time (docs/decisions.md,
 * "Hello within 2x of clang"). TMLC_LINKER=bfd keeps bfd. A gold link that fails is retried through the driver
 * without this flag (backend.ts `linkObject`).
 */
export function goldFlags(forHost: boolean, env: NodeJS.ProcessEnv = process.env): string[] {
  if (!forHost || env['TMLC_LINKER'] === 'bfd') return [];
  return findExecutable('ld.gold', env['PATH']) === null ? [] : ['-fuse-ld=gold'];
}

/** TMLC_LINK_DRIVER=1 links every build through clang's driver (to compare, or to rule this out). */
export function directLinkEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['TMLC_LINK_DRIVER'] !== '1';
}

/** Templates found in this process (the test runner's workers link many programs), by their file's path. */
const remembered = new Map<string, string[] | null>();

export interface LinkTemplateSource {
  /** the driver's link arguments (backend.ts `clangLinkArgs`) for `paths`, and for the placeholders */
  driverArgs: (paths: LinkPaths) => string[];
  /** this link's paths; the object file and the runtime library exist */
  paths: LinkPaths;
  /** directory of the kept templates (one JSON file each) */
  cacheDir: string;
  /** runs `clang-14 <args>` and returns its stderr */
  askDriver: (args: readonly string[]) => Promise<string>;
}

/**
 * The linker command template for a driver link with these arguments: from this process's memory, the cache
 * directory, or a fresh `clang -###`. The key is the clang executable (its resolved path, size and mtime: an
 * upgraded clang asks again) and the arguments. Null: link through the driver.
 */
export async function findLinkTemplate(src: LinkTemplateSource): Promise<LinkTemplate | null> {
  const clang = locateTool('clang');
  const st = statSync(clang);
  const key = createHash('sha256')
    .update(JSON.stringify([clang, st.size, st.mtimeMs, src.driverArgs(LINK_PLACEHOLDERS)]))
    .digest('hex')
    .slice(0, 24);
  const file = path.join(src.cacheDir, `${key}.json`);
  const found = (template: string[] | null): LinkTemplate | null =>
    template === null
      ? null
      : {
          template,
          forget: () => {
            remembered.delete(file);
            rmSync(file, { force: true });
          },
        };
  if (remembered.has(file)) return found(remembered.get(file)!);
  // kept: a template, or null when the driver's command could not be made one (then the driver links, without
  // asking it again in every process)
  let kept: unknown;
  try {
    kept = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    kept = undefined; // not kept yet, or unreadable: ask the driver
  }
  let template: string[] | null;
  if (kept === null) template = null;
  else if (Array.isArray(kept) && kept.every((a) => typeof a === 'string') && templateUsable(kept)) template = kept;
  else {
    template = linkTemplate(await src.askDriver([...src.driverArgs(src.paths), '-###']), src.paths);
    if (template !== null && !templateUsable(template)) template = null;
    keep(file, template);
  }
  remembered.set(file, template);
  return found(template);
}

export interface LinkTemplate {
  template: string[];
  /** drop it (from memory and the cache directory): it failed where the driver succeeded, so ask again next time */
  forget(): void;
}

function keep(file: string, template: readonly string[] | null): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, JSON.stringify(template));
    renameSync(tmp, file); // concurrent compilers never read half a file
  } catch {
    // a read-only cache: asked again next time
    rmSync(tmp, { force: true });
  }
}
