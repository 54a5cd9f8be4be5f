// The formatter tests' corpus: every .tml file of the repository's stdlib/, tests/ and examples/, and of the
// shared conformance programs when present.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CONFORMANCE = '/work/shared/conformance';

function collect(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) collect(full, out);
    } else if (entry.name.endsWith('.tml')) {
      out.push(full);
    }
  }
}

export function corpusFiles(): string[] {
  const files: string[] = [];
  for (const dir of ['stdlib', 'tests', 'examples']) collect(path.join(ROOT, dir), files);
  if (existsSync(CONFORMANCE)) collect(CONFORMANCE, files);
  return files;
}
