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
// primary span, `-` the secondary ones; labels in another file get their own `:::` section. With a colour palette
// (palette.ts) the parts are coloured as rustc colours them; the text is the same.
import type { Diagnostic, Severity } from './diagnostics.js';
import { PLAIN, type Palette } from './palette.js';
import type { SourceFile, SourceMap, Span } from './source.js';

interface Annotation {
  readonly span: Span;
  readonly label: string | undefined;
  readonly primary: boolean;
}

const TAB = '    ';

/** The text of one diagnostic; it ends with an empty line, which separates it from the next as rustc does. */
export function renderDiagnostic(d: Diagnostic, sources: SourceMap, palette: Palette = PLAIN): string {
  const message = escapeControls(d.message);
  const out: string[] = [palette.severity(d.severity, `${d.severity}[${d.code}]`) + palette.message(`: ${message}`)];
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
    out.push(palette.accent(`${pad}${first && anchor.primary ? '-->' : ':::'}`) + ` ${path}:${pos.line}:${pos.col}`);
    out.push(palette.accent(`${pad} |`));
    out.push(...renderSnippet(file, list, width, d.severity, palette));
    first = false;
  }
  if (byFile.size === 0 && d.span.file !== '' && d.span.file !== '<builtin>') {
    out.push(palette.accent(`${pad}-->`) + ` ${d.span.file}`);
  }
  if (d.notes.length > 0) {
    if (byFile.size > 0) out.push(palette.accent(`${pad} |`));
    for (const note of d.notes) out.push(`${palette.accent(`${pad} =`)} ${palette.severity('note', 'note')}: ${escapeControls(note)}`);
  }
  const help = helpLines(d);
  if (help.length > 0) {
    if (byFile.size > 0 && d.notes.length === 0) out.push(`${pad} |`);
    for (const h of help) out.push(`${pad} = help: ${escapeControls(h)}`);
  }
  return out.join('\n') + '\n\n';
}

/** The `help:` lines: the diagnostic's own, then one per suggestion (its message, which names the replacement). */
export function helpLines(d: Diagnostic): string[] {
  return [...(d.help ?? []), ...(d.suggestions ?? []).map((s) => s.message)];
}

/** The source lines that carry annotations, each followed by one marker line per annotation. */
function renderSnippet(file: SourceFile, annotations: readonly Annotation[], width: number, severity: Severity, palette: Palette): string[] {
  const pad = ' '.repeat(width);
  const byLine = new Map<number, Annotation[]>();
  for (const a of annotations) {
    const line = file.position(a.span.start).line;
    byLine.set(line, [...(byLine.get(line) ?? []), a]);
  }
  const out: string[] = [];
  for (const line of [...byLine.keys()].sort((x, y) => x - y)) {
    const text = file.lineText(line);
    const onLine = byLine.get(line)!.sort((x, y) => x.span.start - y.span.start);
    // display columns of each mark: [first, past-the-end)
    const marks = onLine.map((a) => {
      const startCol = file.position(a.span.start).col;
      const end = file.position(a.span.end);
      // a span running onto later lines is underlined to the end of its first line
      const endCol = end.line === line ? end.col : text.length + 1;
      const from = displayWidth(text.slice(0, startCol - 1));
      return { a, from, to: from + Math.max(1, displayWidth(text.slice(startCol - 1, endCol - 1))) };
    });
    const shown = clipLine(displayText(text), marks[0]!.from, Math.max(...marks.map((m) => m.to)));
    const gutter = `${String(line).padStart(width)} |`;
    out.push(palette.accent(gutter) + `${gutter} ${shown.text}`.trimEnd().slice(gutter.length));
    for (const m of marks) {
      const from = Math.max(0, m.from - shown.shift);
      const to = Math.min(shown.text.length + 1, m.to - shown.shift);
      const label = m.a.label === undefined || m.a.label === '' ? '' : ' ' + escapeControls(m.a.label);
      const mark = `${(m.a.primary ? '^' : '-').repeat(Math.max(1, to - from))}${label}`;
      out.push(`${palette.accent(`${pad} |`)} ${' '.repeat(from)}${m.a.primary ? palette.severity(severity, mark) : palette.accent(mark)}`);
    }
  }
  return out;
}

/** Widest source line shown; longer lines are cut to a window around their marks, with `...` at the cuts. */
export const MAX_SHOWN_LINE = 120;
const CONTEXT = 40;

/** `text` cut to at most about MAX_SHOWN_LINE columns around [from, to); `shift` is how far columns moved left. */
function clipLine(text: string, from: number, to: number): { text: string; shift: number } {
  if (text.length <= MAX_SHOWN_LINE) return { text, shift: 0 };
  const left = Math.max(0, from - CONTEXT);
  const right = Math.min(text.length, Math.max(to, from + 1) + CONTEXT, left + MAX_SHOWN_LINE);
  const head = left > 0 ? '...' : '';
  const tail = right < text.length ? '...' : '';
  return { text: head + text.slice(left, right) + tail, shift: left - head.length };
}

/**
 * A source line as shown: tabs widened, and every control or bidirectional-formatting character replaced by one
 * visible stand-in (U+2400-style control pictures, or U+FFFD), so the source can never drive the terminal and
 * the marks below stay aligned.
 */
function displayText(text: string): string {
  return text.replace(/\t/g, TAB).replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => {
    const cp = c.charCodeAt(0);
    if (cp < 0x20) return String.fromCharCode(0x2400 + cp);
    if (cp === 0x7f) return '\u2421';
    return '\ufffd';
  });
}

function displayWidth(text: string): number {
  return displayText(text).length;
}

/** Message text with control characters written as `\u{…}` escapes (a newline stays a newline). */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** `error: aborting due to N previous errors` (no trailing newline). */
export function renderSummary(errorCount: number, palette: Palette = PLAIN): string {
  return palette.severity('error', 'error') + palette.message(`: aborting due to ${errorCount} previous error${errorCount === 1 ? '' : 's'}`);
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
  help: string[];
  /** machine-applicable edits: replace [line:col, endLine:endCol) of `file` with `replacement` */
  suggestions: { file: string; line: number; col: number; endLine: number; endCol: number; replacement: string; message: string }[];
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
    help: [...(d.help ?? [])],
    suggestions: (d.suggestions ?? []).map((s) => {
      const from = positionOf(sources, s.span.file, s.span.start);
      const to = positionOf(sources, s.span.file, s.span.end);
      return { file: s.span.file, line: from.line, col: from.col, endLine: to.line, endCol: to.col, replacement: s.replacement, message: s.message };
    }),
  };
}

function positionOf(sources: SourceMap, path: string, offset: number): { line: number; col: number } {
  const file = sources.get(path);
  return file === undefined ? { line: 0, col: 0 } : file.position(offset);
}
