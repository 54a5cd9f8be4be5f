// Diagnostics as text, in the style of rustc (LANGUAGE.md §8), and as JSON for `--message-format=json`.
//
//   error[E0382]: use of moved value `list`
//     --> src/main.tml:7:13
//      |
//    5 |     let b = list
//      |             ---- value moved here
//    7 |     println(list.len())
//      |             ^^^^ value used here after move
//      |
//      = note: …
//
// The gutter is one column wider than the largest line number shown. Lines appear in order; `^` marks the
// primary span, `-` the secondary ones; labels in another file get their own `:::` section.
import type { Diagnostic } from './diagnostics.js';
import type { SourceFile, SourceMap, Span } from './source.js';

interface Annotation {
  readonly span: Span;
  readonly label: string | undefined;
  readonly primary: boolean;
}

const TAB = '    ';

/** The text of one diagnostic; it ends with an empty line, which separates it from the next as rustc does. */
export function renderDiagnostic(d: Diagnostic, sources: SourceMap): string {
  const out: string[] = [d.code === '' ? `${d.severity}: ${d.message}` : `${d.severity}[${d.code}]: ${d.message}`];
  const annotations: Annotation[] = [
    { span: d.span, label: d.label, primary: true },
    ...d.secondary.map((l) => ({ span: l.span, label: l.message, primary: false })),
  ];
  // files in order of first mention, the primary's first; annotations in unknown files are left out
  const byFile = new Map<string, Annotation[]>();
  for (const a of annotations) {
    if (sources.get(a.span.file) === undefined) continue;
    const list = byFile.get(a.span.file) ?? [];
    list.push(a);
    byFile.set(a.span.file, list);
  }
  let maxLine = 1;
  for (const [path, list] of byFile) {
    const file = sources.get(path)!;
    for (const a of list) maxLine = Math.max(maxLine, file.position(a.span.start).line);
  }
  const width = String(maxLine).length + 1;
  const pad = ' '.repeat(width);
  let first = true;
  for (const [path, list] of byFile) {
    const file = sources.get(path)!;
    const anchor = list.find((a) => a.primary) ?? list[0]!;
    const pos = file.position(anchor.span.start);
    out.push(`${pad}${first && anchor.primary ? '-->' : ':::'} ${path}:${pos.line}:${pos.col}`);
    out.push(`${pad} |`);
    out.push(...renderSnippet(file, list, width));
    first = false;
  }
  if (byFile.size === 0 && d.span.file !== '' && d.span.file !== '<builtin>') {
    out.push(`${pad}--> ${d.span.file}`);
  }
  if (d.notes.length > 0) {
    if (byFile.size > 0) out.push(`${pad} |`);
    for (const note of d.notes) out.push(`${pad} = note: ${note}`);
  }
  return out.join('\n') + '\n\n';
}

/** The source lines that carry annotations, each followed by one marker line per annotation. */
function renderSnippet(file: SourceFile, annotations: readonly Annotation[], width: number): string[] {
  const pad = ' '.repeat(width);
  const byLine = new Map<number, Annotation[]>();
  for (const a of annotations) {
    const line = file.position(a.span.start).line;
    byLine.set(line, [...(byLine.get(line) ?? []), a]);
  }
  const out: string[] = [];
  for (const line of [...byLine.keys()].sort((x, y) => x - y)) {
    const text = file.lineText(line);
    out.push(`${String(line).padStart(width)} | ${text.replace(/\t/g, TAB)}`.trimEnd());
    const onLine = byLine.get(line)!.sort((x, y) => x.span.start - y.span.start);
    for (const a of onLine) {
      const startCol = file.position(a.span.start).col;
      const end = file.position(a.span.end);
      // a span running onto later lines is underlined to the end of its first line
      const endCol = end.line === line ? end.col : text.length + 1;
      const before = displayWidth(text.slice(0, startCol - 1));
      const marked = Math.max(1, displayWidth(text.slice(startCol - 1, endCol - 1)));
      const marks = (a.primary ? '^' : '-').repeat(marked);
      const label = a.label === undefined || a.label === '' ? '' : ' ' + a.label;
      out.push(`${pad} | ${' '.repeat(before)}${marks}${label}`);
    }
  }
  return out;
}

function displayWidth(text: string): number {
  return text.replace(/\t/g, TAB).length;
}

/** `error: aborting due to N previous errors` (no trailing newline). */
export function renderSummary(errorCount: number): string {
  return `error: aborting due to ${errorCount} previous error${errorCount === 1 ? '' : 's'}`;
}

/** One diagnostic as a plain object (lines and columns 1-based; endLine/endCol point just past the span). */
export interface DiagnosticJson {
  severity: string;
  code: string;
  message: string;
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  label: string | null;
  secondary: { file: string; line: number; col: number; message: string }[];
  notes: string[];
}

export function diagnosticToJson(d: Diagnostic, sources: SourceMap): DiagnosticJson {
  const start = positionOf(sources, d.span.file, d.span.start);
  const end = positionOf(sources, d.span.file, d.span.end);
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    file: d.span.file,
    line: start.line,
    col: start.col,
    endLine: end.line,
    endCol: end.col,
    label: d.label ?? null,
    secondary: d.secondary.map((l) => ({ file: l.span.file, ...positionOf(sources, l.span.file, l.span.start), message: l.message })),
    notes: [...d.notes],
  };
}

function positionOf(sources: SourceMap, path: string, offset: number): { line: number; col: number } {
  const file = sources.get(path);
  return file === undefined ? { line: 0, col: 0 } : file.position(offset);
}
