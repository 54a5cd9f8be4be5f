// Diagnostics are values, collected in a bag; no layer throws for a user error.
import type { DiagnosticCode } from './codes/index.js';
import type { Span } from './source.js';

export type { DiagnosticCode } from './codes/index.js';

export type Severity = 'error' | 'warning' | 'note';

export interface Label {
  readonly span: Span;
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
}

/** Stop collecting after this many errors: one run reports everything up to a limit. */
export const MAX_ERRORS = 100;

export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  private errors = 0;

  error(code: DiagnosticCode, message: string, span: Span, extra: Partial<Pick<Diagnostic, 'label' | 'secondary' | 'notes'>> = {}): void {
    this.add({ severity: 'error', code, message, span, label: extra.label, secondary: extra.secondary ?? [], notes: extra.notes ?? [] });
  }

  warning(code: DiagnosticCode, message: string, span: Span, extra: Partial<Pick<Diagnostic, 'label' | 'secondary' | 'notes'>> = {}): void {
    this.add({ severity: 'warning', code, message, span, label: extra.label, secondary: extra.secondary ?? [], notes: extra.notes ?? [] });
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
