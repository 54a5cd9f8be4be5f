// The test-executable cache (TOOLCHAIN.md §5): a test file's executable is reused when nothing it was built from
// changed — the content of every source file it read, the compiler build, and the options that shape the
// executable. A manifest per entry lists those inputs with their content hash, so a warm run hashes files and
// compiles nothing; it never parses.
//
// An entry is two files named `<slot>-<compiler>` and `<slot>-<compiler>.json`: the slot says which test file,
// options and compiler installation (its package root) the executable is for, the compiler part which build of
// that compiler made it. A rebuilt compiler makes new entries in the same slots, which is how the cleaning
// (cache_clean.ts) tells a superseded entry from a current one without reading any manifest.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot, packageVersion } from '../driver/runtime_lib.js';
import type { PipelineOptions } from '../driver/settings.js';
import type { MirTest } from '../mir/mir.js';

export interface CachedBuild {
  readonly exe: string;
  readonly tests: readonly MirTest[];
}

interface Manifest {
  /** the test file, absolute (for people reading the cache; the slot is what identifies it) */
  readonly source: string;
  readonly files: string[];
  readonly contentHash: string;
  readonly tests: (Omit<MirTest, 'span'> & { span: null })[];
}

export function cacheRoot(): string {
  const base = process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(base, 'tmlc', packageVersion(), 'tests');
}

/** Identifies this build of the compiler: its version and the sizes and times of its compiled files. */
let compilerId: string | null = null;
function compilerIdentity(): string {
  if (compilerId) return compilerId;
  const h = createHash('sha256').update(packageVersion());
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js') || e.name.endsWith('.tml') || e.name.endsWith('.a')) {
        const st = fs.statSync(p);
        h.update(`${p}:${st.size}:${st.mtimeMs}\n`);
      }
    }
  };
  const root = packageRoot();
  for (const d of ['dist', 'stdlib', 'build/lib']) walk(path.join(root, d));
  compilerId = h.digest('hex');
  return compilerId;
}

/** The options that shape the executable: not how the build reports (--verbose, --time, --message-format). */
function executableOptions(o: PipelineOptions): unknown {
  const { verbose: _v, time: _t, messageFormat: _m, color: _c, emit: _e, mirAfter: _a, ...shaping } = o;
  return shaping;
}

function hashFiles(files: readonly string[]): string | null {
  const h = createHash('sha256');
  for (const f of files) {
    try {
      h.update(f).update('\0').update(fs.readFileSync(f)).update('\0');
    } catch {
      return null;
    }
  }
  return h.digest('hex');
}

export class TestCache {
  readonly dir: string;
  private readonly optionsKey: string;
  private readonly compilerTag: string;

  constructor(options: PipelineOptions, root = cacheRoot(), compiler: string = compilerIdentity()) {
    this.dir = root;
    this.optionsKey = createHash('sha256').update(JSON.stringify(executableOptions(options))).update(packageRoot()).digest('hex');
    this.compilerTag = compiler.slice(0, 16);
  }

  /** The entry's name: `<slot>-<compiler>` (see the top of this file). */
  private entryName(file: string): string {
    const slot = createHash('sha256').update(path.resolve(file)).update('\0').update(this.optionsKey).digest('hex').slice(0, 32);
    return `${slot}-${this.compilerTag}`;
  }

  /** The cached executable for `file`, if every input is unchanged. A hit marks the entry as used now. */
  lookup(file: string): CachedBuild | null {
    const exe = path.join(this.dir, this.entryName(file));
    let m: Manifest;
    try {
      m = JSON.parse(fs.readFileSync(`${exe}.json`, 'utf8')) as Manifest;
    } catch {
      return null;
    }
    if (!fs.existsSync(exe) || hashFiles(m.files) !== m.contentHash) return null;
    try {
      // the manifest's time is the entry's last use, which the cleaning's age and size limits go by
      const now = new Date();
      fs.utimesSync(`${exe}.json`, now, now);
    } catch {
      // a read-only cache still works; it is only cleaned less well
    }
    return { exe, tests: m.tests.map((t) => ({ ...t, span: { file, start: 0, end: 0 } })) };
  }

  /** Where to build `file`'s executable; call `store` once it is built. */
  exePath(file: string): string {
    fs.mkdirSync(this.dir, { recursive: true });
    return path.join(this.dir, this.entryName(file));
  }

  store(file: string, sources: readonly string[], tests: readonly MirTest[]): void {
    const contentHash = hashFiles(sources);
    if (!contentHash) return;
    const m: Manifest = { source: path.resolve(file), files: [...sources], contentHash, tests: tests.map((t) => ({ ...t, span: null })) };
    const tmp = `${this.exePath(file)}.json.${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(m));
    fs.renameSync(tmp, `${this.exePath(file)}.json`);
  }

  /** Drop `file`'s entry (its compile failed: an older executable must not stand in for it). */
  forget(file: string): void {
    const exe = path.join(this.dir, this.entryName(file));
    fs.rmSync(`${exe}.json`, { force: true });
    fs.rmSync(exe, { force: true });
  }
}
