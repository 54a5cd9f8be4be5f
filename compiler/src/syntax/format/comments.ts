// The comments of a file, re-attached by position: a list printer (items, statements, arms, fields, members)
// takes the comments before each element as its leading lines and a comment on the element's last line as its
// trailing comment. A comment anywhere else (inside an expression or a signature) is not placed by the printer;
// the element that holds it is then written as it was (see `verbatim` in printer.ts), so no comment is ever lost.
import type { Comment } from '../lexer.js';

export class Comments {
  private readonly used: boolean[];

  constructor(
    readonly all: readonly Comment[],
    private readonly src: string,
  ) {
    this.used = all.map(() => false);
  }

  /** Unused comments that end at or before `pos` and start at or after `from`, in order; marks them used. */
  takeBefore(from: number, pos: number): Comment[] {
    const out: Comment[] = [];
    for (let i = this.firstAt(from); i < this.all.length && this.all[i]!.start < pos; i++) {
      if (!this.used[i] && this.all[i]!.end <= pos) {
        this.used[i] = true;
        out.push(this.all[i]!);
      }
    }
    return out;
  }

  /** Unused comments that start after `pos` on the same source line (a trailing `// …`), before `limit`. */
  takeTrailing(pos: number, limit: number): Comment[] {
    const out: Comment[] = [];
    for (let i = this.firstAt(pos); i < this.all.length; i++) {
      const c = this.all[i]!;
      if (c.start >= limit || this.src.slice(pos, c.start).includes('\n')) break;
      if (!this.used[i]) {
        this.used[i] = true;
        out.push(c);
      }
      pos = c.end;
    }
    return out;
  }

  /** Whether every comment inside [start, end) has been placed. */
  allUsedIn(start: number, end: number): boolean {
    for (let i = this.firstAt(start); i < this.all.length && this.all[i]!.start < end; i++) if (!this.used[i]) return false;
    return true;
  }

  /** Whether any comment lies inside [start, end). */
  anyIn(start: number, end: number): boolean {
    const i = this.firstAt(start);
    return i < this.all.length && this.all[i]!.start < end;
  }

  /** Marks every comment inside [start, end) used (the range is written verbatim). */
  useAll(start: number, end: number): void {
    for (let i = this.firstAt(start); i < this.all.length && this.all[i]!.start < end; i++) this.used[i] = true;
  }

  /** The placement state, to print something twice (flat, then broken) and keep the second attempt's. */
  save(): boolean[] {
    return [...this.used];
  }
  restore(state: readonly boolean[]): void {
    for (let i = 0; i < state.length; i++) this.used[i] = state[i]!;
  }

  /** Index of the first comment starting at or after `pos` (binary search: comments are in source order). */
  private firstAt(pos: number): number {
    let lo = 0;
    let hi = this.all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.all[mid]!.start < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
