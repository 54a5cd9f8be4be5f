// The test-executable cache (TOOLCHAIN.md §5): a test file's executable is reused when nothing it was built from
// changed — the content of every source file it read, the compiler build, and the build options. A manifest per
// (file, options, compiler) lists those inputs with their content hash, so a warm run hashes files and compiles
// nothing; it never parses.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot, packageVersion } from '../driver/runtime_lib.js';
import type { MirTest } from '../mir/mir.js';

export interface CachedBuild {
  readonly exe: string;
  readonly tests: readonly MirTest[];
}

interface Manifest {
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
  private readonly dir: string;

  constructor(options: unknown, root = cacheRoot()) {
    this.dir = root;
    this.optionsKey = createHash('sha256').update(JSON.stringify(options)).update(compilerIdentity()).digest('hex');
  }
  private readonly optionsKey: string;

  private entryKey(file: string): string {
    return createHash('sha256').update(path.resolve(file)).update(this.optionsKey).digest('hex').slice(0, 32);
  }

  /** The cached executable for `file`, if every input is unchanged. */
  lookup(file: string): CachedBuild | null {
    const key = this.entryKey(file);
    const exe = path.join(this.dir, key);
    let m: Manifest;
    try {
      m = JSON.parse(fs.readFileSync(`${exe}.json`, 'utf8')) as Manifest;
    } catch {
      return null;
    }
    if (!fs.existsSync(exe) || hashFiles(m.files) !== m.contentHash) return null;
    return { exe, tests: m.tests.map((t) => ({ ...t, span: { file, start: 0, end: 0 } })) };
  }

  /** Where to build `file`'s executable; call `store` once it is built. */
  exePath(file: string): string {
    fs.mkdirSync(this.dir, { recursive: true });
    return path.join(this.dir, this.entryKey(file));
  }

  store(file: string, sources: readonly string[], tests: readonly MirTest[]): void {
    const contentHash = hashFiles(sources);
    if (!contentHash) return;
    const m: Manifest = { files: [...sources], contentHash, tests: tests.map((t) => ({ ...t, span: null })) };
    const tmp = `${this.exePath(file)}.json.${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(m));
    fs.renameSync(tmp, `${this.exePath(file)}.json`);
  }
}
