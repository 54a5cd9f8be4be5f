// Source files and spans. A span is a half-open byte range of one file; line/column are computed on demand
// (1-based, columns count UTF-16 code units of the line, which equals bytes for ASCII sources).

export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export class SourceFile {
  private lineStarts: number[] | null = null;
  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  private starts(): number[] {
    if (this.lineStarts === null) {
      const starts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; col: number } {
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  }

  /** Text of a 1-based line, without its newline. */
  lineText(line: number): string {
    const starts = this.starts();
    const s = starts[line - 1];
    if (s === undefined) return '';
    let e = starts[line] ?? this.text.length;
    if (e > s && this.text.charCodeAt(e - 1) === 10) e--;
    if (e > s && this.text.charCodeAt(e - 1) === 13) e--;
    return this.text.slice(s, e);
  }
}

/** Every source file of one compilation, by path. */
export class SourceMap {
  private files = new Map<string, SourceFile>();
  add(path: string, text: string): SourceFile {
    const f = new SourceFile(path, text);
    this.files.set(path, f);
    return f;
  }
  get(path: string): SourceFile | undefined {
    return this.files.get(path);
  }
  /** Every file read, in the order it was added. */
  paths(): string[] {
    return [...this.files.keys()];
  }
  position(span: Span): { line: number; col: number } {
    const f = this.files.get(span.file);
    return f ? f.position(span.start) : { line: 0, col: 0 };
  }
}

export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

export const NO_SPAN: Span = { file: '<builtin>', start: 0, end: 0 };
