// A project's manifest, `tml.toml` (made by `tmlc new`): its name, version and entry file. `build`, `run`, `check`
// and `test` given no file look for it in the current directory and its parents, as cargo does.
import fs from 'node:fs';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { findManifest, MANIFEST_FILE } from './project_root.js';
import { UsageError } from './settings.js';

export { findManifest, MANIFEST_FILE, projectSourceDir } from './project_root.js';

export interface Manifest {
  /** the manifest's own path */
  readonly file: string;
  /** the directory holding it: the project's root */
  readonly root: string;
  readonly name: string;
  readonly version: string;
  /** the entry file, absolute (default `src/main.tml`) */
  readonly entry: string;
}

/** A project name: what `tmlc new` accepts and the executable is called. */
export const PROJECT_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Read and check a manifest. Every mistake is a UsageError naming the file, and the line and column when the
 * TOML parser or the field's position gives one. */
export function readManifest(file: string): Manifest {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) throw new UsageError(`${file}:${e.line}:${e.column}: ${firstLine(e.message)}`);
    throw e;
  }
  const at = (key: string): string => `${file}:${lineOf(text, key)}`;
  const pkg = doc['package'];
  if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) {
    throw new UsageError(`${file}:1:1: the manifest needs a [package] table with \`name\` (and optionally \`version\`, \`entry\`)`);
  }
  const fields = pkg as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!['name', 'version', 'entry'].includes(key)) throw new UsageError(`${at(key)}: unknown field \`${key}\` in [package] (expected name, version, entry)`);
  }
  const str = (key: string, fallback: string | null): string => {
    const v = fields[key];
    if (v === undefined && fallback !== null) return fallback;
    if (v === undefined) throw new UsageError(`${file}:1:1: [package] needs \`${key}\``);
    if (typeof v !== 'string') throw new UsageError(`${at(key)}: \`${key}\` must be a string`);
    return v;
  };
  const name = str('name', null);
  if (!PROJECT_NAME.test(name)) throw new UsageError(`${at('name')}: \`${name}\` is not a valid project name (letters, digits, '_' and '-', starting with a letter)`);
  const version = str('version', '0.1.0');
  const root = path.dirname(path.resolve(file));
  const entry = path.resolve(root, str('entry', 'src/main.tml'));
  if (!fs.existsSync(entry)) throw new UsageError(`${at('entry')}: the entry file ${path.relative(root, entry)} does not exist`);
  return { file, root, name, version, entry };
}

/** The manifest of the project around `cwd`; a UsageError saying what to do when there is none. */
export function projectManifest(cwd: string, command: string): Manifest {
  const file = findManifest(cwd);
  if (file === null) {
    throw new UsageError(`\`tmlc ${command}\` needs a FILE, or a ${MANIFEST_FILE} in this directory or a parent (make one with \`tmlc new NAME\`)`);
  }
  return readManifest(file);
}

/** Where a project's executable goes: `target/debug/NAME` or `target/release/NAME` under its root. */
export function projectOutput(m: Manifest, release: boolean): string {
  return path.join(m.root, 'target', release ? 'release' : 'debug', m.name);
}

/** "line:col" of a `key =` line in the text (1:1 when not found: the field came from an inline table). */
function lineOf(text: string, key: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const col = lines[i]!.search(new RegExp(`^\\s*${key}\\s*=`));
    if (col >= 0) return `${i + 1}:${lines[i]!.indexOf(key) + 1}`;
  }
  return '1:1';
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

/** What a command builds: FILE when given, else the entry of the project around `cwd` (and that project). */
export function commandEntry(file: string | undefined, command: string, cwd: string = process.cwd()): { entry: string; project: Manifest | null } {
  if (file !== undefined) return { entry: file, project: null };
  const project = projectManifest(cwd, command);
  return { entry: project.entry, project };
}

/** The output of `tmlc build` with no FILE: the project's `target/<mode>/NAME`, its directory made. */
export function projectBuildOutput(project: Manifest, release: boolean): string {
  const out = projectOutput(project, release);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  return out;
}
