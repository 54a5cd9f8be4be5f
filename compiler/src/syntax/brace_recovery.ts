// A missing `}`, found before parsing by indentation (as rustc does): when a file's braces do not balance because
// some `{` is never closed, the unclosed one is the `{` whose block a `}` (or the end of the file) skips over —
// a `}` that starts a line less indented than the innermost open `{`'s line, and as indented as an outer one's,
// closes that outer one. One error per unclosed `{` names where it opened and where it was noticed; a `}` is then put
// back where the block's indentation ends, so the rest of the file parses as written: no "expected `}`, found end
// of file", no "items inside function bodies", no false "`main` function not found", no type errors of a body that
// swallowed the next function. Balanced files are never touched, however they are indented.
import type { DiagnosticBag } from './diagnostics.js';
import type { SourceFile, Span } from './source.js';
import type { Token } from './tokens.js';

/** How many unclosed blocks get their end found by indentation and an error; the rest (only pathological inputs
 * open more) close where they were noticed, silently. */
const SCANNED = 8;

interface Open {
  readonly index: number;
  readonly indent: number;
}

/** `tokens` with a `}` put back for each unclosed `{` (each reported), or `tokens` itself. */
export function closeUnclosedBraces(file: SourceFile, tokens: Token[], diags: DiagnosticBag): Token[] {
  const missing = missingCloses(tokens);
  if (missing === 0) return tokens;
  const indentOf = lineIndents(file);
  const startsLine = (i: number): boolean => i === 0 || tokens[i]!.newlineBefore || tokens[i]!.kind === 'eof';
  const indentAt = (i: number): number => indentOf(file.position(tokens[i]!.span.start).line);
  const stack: Open[] = [];
  const unclosed: { open: Open; noticed: number }[] = [];
  tokens.forEach((t, i) => {
    if (t.kind === '{') stack.push({ index: i, indent: indentAt(i) });
    else if (t.kind === '}' || t.kind === 'eof') {
      const indent = t.kind === 'eof' ? 0 : indentAt(i);
      // skipped-over blocks: less indented than the innermost `{`, as indented as an outer one (or the file's end)
      if (t.kind === 'eof' || (startsLine(i) && stack.some((o) => o.indent === indent))) {
        while (unclosed.length < missing && stack.length > 0 && (t.kind === 'eof' || stack[stack.length - 1]!.indent > indent)) {
          unclosed.push({ open: stack.pop()!, noticed: i });
        }
      }
      if (t.kind === '}') stack.pop();
    }
  });
  if (unclosed.length === 0) return tokens;
  // (past a few, where each block ended is not worth a scan each: pathological inputs open thousands)
  const inserts = unclosed.map((u, n) => ({ at: n < SCANNED ? closeAt(tokens, u.open, u.noticed, indentAt, startsLine) : u.noticed, ...u }));
  // one error per unclosed `{` (each is a mistake of its own), in the order they opened
  for (const ins of inserts.slice(0, SCANNED).sort((a, b) => a.open.index - b.open.index)) report(file, tokens, diags, ins);
  const out = [...tokens];
  for (const ins of [...inserts].sort((a, b) => b.at - a.at)) {
    const before = tokens[ins.at]!.span.start;
    // put back at the end of the file, it is written as nothing, so what it cuts short is told "found end of file"
    const text = tokens[ins.at]!.kind === 'eof' ? '' : '}';
    out.splice(ins.at, 0, { kind: '}', text, span: { file: file.path, start: before, end: before }, newlineBefore: true });
  }
  return out;
}

/** How many `}` the file lacks (0 when a `}` comes before its `{`: that is a stray `}`, which the parser reports). */
function missingCloses(tokens: readonly Token[]): number {
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === '{') depth++;
    else if (t.kind === '}' && --depth < 0) return 0;
  }
  return depth;
}

/** Where the block of `open` ended: the first line inside it (between it and `noticed`) back at its indentation. */
function closeAt(tokens: readonly Token[], open: Open, noticed: number, indentAt: (i: number) => number, startsLine: (i: number) => boolean): number {
  let depth = 0;
  for (let i = open.index + 1; i < noticed; i++) {
    const k = tokens[i]!.kind;
    if (depth === 0 && startsLine(i) && indentAt(i) <= open.indent) return i;
    if (k === '{') depth++;
    else if (k === '}' && depth > 0) depth--;
  }
  return noticed;
}

function report(file: SourceFile, tokens: readonly Token[], diags: DiagnosticBag, first: { open: Open; noticed: number; at: number }): void {
  const open = tokens[first.open.index]!.span;
  const noticed = tokens[first.noticed]!;
  const noticedSpan: Span = noticed.kind === 'eof' ? { ...noticed.span, end: noticed.span.start } : noticed.span;
  const at = tokens[first.at]!;
  const line = file.position(at.span.start).line;
  const lineStart = at.span.start - (file.position(at.span.start).col - 1);
  const indent = file.lineText(file.position(open.start).line).match(/^[ \t]*/)![0];
  diags.error('E0017', 'unclosed delimiter `{`', open, {
    label: 'this `{` is never closed',
    secondary: [{ span: noticedSpan, message: noticed.kind === 'eof' ? 'the file ends here' : 'this `}` lines up with an earlier `{`, so it closes that one' }],
    suggestions: at.kind === 'eof'
      ? [{ span: { ...at.span, end: at.span.start }, replacement: `${indent}}\n`, message: 'add the missing `}` at the end of the file' }]
      : [{ span: { file: file.path, start: lineStart, end: lineStart }, replacement: `${indent}}\n`, message: `add the missing \`}\` before line ${line}` }],
  });
}

/** The indentation of each 1-based line (a tab counting 4). */
function lineIndents(file: SourceFile): (line: number) => number {
  const cache = new Map<number, number>();
  return (line) => {
    let n = cache.get(line);
    if (n === undefined) {
      n = 0;
      for (const c of file.lineText(line)) {
        if (c === ' ') n++;
        else if (c === '\t') n += 4;
        else break;
      }
      cache.set(line, n);
    }
    return n;
  };
}
