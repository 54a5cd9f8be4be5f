// Finding the project a file or directory belongs to: the nearest `tml.toml` above it. Kept apart from the
// manifest's parsing (manifest.ts) so that every build can ask cheaply, without loading the TOML parser.
import fs from 'node:fs';
import path from 'node:path';

export const MANIFEST_FILE = 'tml.toml';

/** The nearest `tml.toml` at or above `dir`, or null. */
export function findManifest(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const f = path.join(d, MANIFEST_FILE);
    if (fs.existsSync(f)) return f;
    if (path.dirname(d) === d) return null;
  }
}

/** The `src/` directory of the project a file belongs to (the nearest tml.toml above it), or null. */
export function projectSourceDir(file: string): string | null {
  const m = findManifest(path.dirname(path.resolve(file)));
  return m === null ? null : path.join(path.dirname(m), 'src');
}

