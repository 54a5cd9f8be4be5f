// `tmlc fmt`: formats .tml files in place (each written atomically: a temp file beside it, renamed over it), or
// with --check lists the files that would change (status 1: for CI), or with --stdout prints the formatted text.
// A file with parse errors is left untouched and its diagnostics printed (status 1). The formatting itself is
// syntax/format/format.ts.
import { chmodSync, closeSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Tmp from 'tmp';
import { formatSource } from '../syntax/format/format.js';
import { SourceMap } from '../syntax/source.js';
import { EXIT_COMPILE_ERROR, EXIT_OK, EXIT_USAGE, printDiagnostics, type Output } from './pipeline.js';

export interface FmtOptions {
  /** list the files that would change; write nothing */
  readonly check: boolean;
  /** print the formatted text instead of writing it */
  readonly stdout: boolean;
}

/** Formats the .tml files at `paths` (files, or directories searched recursively); returns the exit status. */
export async function formatFiles(paths: readonly string[], o: FmtOptions, io: Output): Promise<number> {
  const files: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) {
      io.err(`error: no such file or directory: ${p}\n`);
      return EXIT_USAGE;
    }
    if (statSync(p).isDirectory()) collectTml(p, files);
    else files.push(p);
  }
  let status = EXIT_OK;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const result = formatSource(text, file);
    if ('diagnostics' in result) {
      const sources = new SourceMap();
      sources.add(file, text);
      await printDiagnostics(result.diagnostics, sources, 'human', io);
      status = EXIT_COMPILE_ERROR;
      continue;
    }
    if (o.stdout) io.out(result.text);
    else if (result.text !== text) {
      if (o.check) {
        io.out(file + '\n');
        status = EXIT_COMPILE_ERROR;
      } else {
        writeAtomically(file, result.text);
      }
    }
  }
  return status;
}

/** .tml files below `dir`, in name order; hidden directories and node_modules are skipped. */
function collectTml(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') collectTml(full, out);
    } else if (entry.name.endsWith('.tml')) {
      out.push(full);
    }
  }
}

/** Replaces `file` by `text` so that a reader sees the old or the new contents, never a part (same mode). */
function writeAtomically(file: string, text: string): void {
  const tmp = createRequire(import.meta.url)('tmp') as typeof Tmp;
  const temp = tmp.fileSync({ dir: path.dirname(file), prefix: '.' + path.basename(file) + '.', postfix: '.fmt', discardDescriptor: false });
  try {
    writeSync(temp.fd, text);
    closeSync(temp.fd);
    chmodSync(temp.name, statSync(file).mode & 0o7777);
    renameSync(temp.name, file);
  } catch (e) {
    temp.removeCallback();
    throw e;
  }
}
