// Diagnostics are values, collected in a bag; no layer throws for a user error.
import type { DiagnosticCode } from './codes/index.js';
import type { Span } from './source.js';

export type { DiagnosticCode } from './codes/index.js';

export type Severity = 'error' | 'warning' | 'note';

export interface Label {
  readonly span: Span;
  readonly message: string;
}

/** A machine-applicable edit: replace the text of `span` with `replacement` (shown as a `help:` line). */
export interface Suggestion {
  readonly span: Span;
  readonly replacement: string;
  /** What the edit does, e.g. "TML spells this `func`"; it names the replacement. */
  readonly message: string;
}

export interface Diagnostic {
  readonly severity: Severity;
  /** e.g. "E0382": a key of the registry (codes/index.ts; docs/errors.md is generated from it) */
  readonly code: DiagnosticCode;
  readonly message: string;
  /** The primary span: the offending operation. */
  readonly span: Span;
  /** Text under the primary caret. */
  readonly label?: string;
  /** Related places (declaration, earlier move, borrow). */
  readonly secondary: readonly Label[];
  readonly notes: readonly string[];
  /** `help:` lines: what to do about it (after the notes). */
  readonly help?: readonly string[];
  /** Edits that fix it, for tools (`--message-format=json`); each is also shown as a `help:` line. */
  readonly suggestions?: readonly Suggestion[];
}

/** What `error(…)`/`warning(…)` take besides code, message and span. */
export type DiagnosticExtra = Partial<Pick<Diagnostic, 'label' | 'secondary' | 'notes' | 'help' | 'suggestions'>>;

/** Stop collecting after this many errors: one run reports everything up to a limit. */
export const MAX_ERRORS = 100;

export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  private errors = 0;

  error(code: DiagnosticCode, message: string, span: Span, extra: DiagnosticExtra = {}): void {
    this.add({ severity: 'error', code, message, span, ...withDefaults(extra) });
  }

  warning(code: DiagnosticCode, message: string, span: Span, extra: DiagnosticExtra = {}): void {
    this.add({ severity: 'warning', code, message, span, ...withDefaults(extra) });
  }

  add(d: Diagnostic): void {
    if (d.severity === 'error') {
      if (this.errors >= MAX_ERRORS) return;
      // the same error at the same place once, however many paths reach it
      if (this.items.some((x) => x.code === d.code && x.span.start === d.span.start && x.span.file === d.span.file && x.message === d.message)) return;
      this.errors++;
    }
    this.items.push(d);
  }

  get errorCount(): number {
    return this.errors;
  }
  hasErrors(): boolean {
    return this.errors > 0;
  }
  full(): boolean {
    return this.errors >= MAX_ERRORS;
  }
}

function withDefaults(extra: DiagnosticExtra): Pick<Diagnostic, 'label' | 'secondary' | 'notes' | 'help' | 'suggestions'> {
  return {
    label: extra.label,
    secondary: extra.secondary ?? [],
    notes: extra.notes ?? [],
    ...(extra.help === undefined || extra.help.length === 0 ? {} : { help: extra.help }),
    ...(extra.suggestions === undefined || extra.suggestions.length === 0 ? {} : { suggestions: extra.suggestions }),
  };
}
