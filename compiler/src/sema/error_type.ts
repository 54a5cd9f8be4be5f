// The error type `{error}` is what sema gives a name, type or expression it has already reported as wrong. Every
// diagnostic a body's checker writes goes through one gate, `TypeDiagnostics`: a diagnostic about a type that is or
// contains the error type (`{error}`, `List[{error}]`, `({error}, I32)`, a variable bound to it) is a follow-on of
// the first error and is dropped, so one mistake is reported once (docs/decisions.md, "Error cascades").
//
// The gate knows a diagnostic is about an erroneous type in two ways: the checker names the types it is about
// (`about`, for diagnostics that do not print them: non-exhaustive `when`, E0282), or the diagnostic prints one —
// `{error}` is only ever written by `typeToString` of an error type, so a message or label showing it is a follow-on
// by construction. New diagnostics that print their types get the gate for free.
import type { DiagnosticBag, DiagnosticCode, DiagnosticExtra } from '../syntax/diagnostics.js';
import type { Span } from '../syntax/source.js';
import type { InferCtx } from './infer.js';
import { typeSome, typeToString, T, type Type } from './types.js';

/** Where sema writes errors: the program's bag, or a body checker's gate in front of it. */
export type DiagSink = Pick<DiagnosticBag, 'error'>;

export type DiagExtra = DiagnosticExtra & {
  /** the types the diagnostic is about: when any is erroneous, it is not reported */
  readonly about?: readonly Type[];
};

const ERROR_TEXT = typeToString(T.error);

/** Is `t` the error type, or does it contain it (with inference variables followed through `infer`)? A type
 * parameter whose bound could not be resolved (`T: Nope`) counts as erroneous when its id is in `params`. */
export function isErrorish(t: Type, infer: InferCtx | null = null, params: ReadonlySet<number> = NONE): boolean {
  return typeSome(infer ? infer.resolve(t) : t, (x) => x.k === 'error' || (x.k === 'param' && params.has(x.id)));
}

const NONE: ReadonlySet<number> = new Set();

/** The gate in front of the diagnostic bag for one body's checks. */
export class TypeDiagnostics implements DiagSink {
  /** follow-on errors dropped (they still count as errors of the body: see `errorCount`) */
  private dropped: { code: DiagnosticCode; message: string; span: Span; extra: DiagExtra }[] = [];

  constructor(
    private readonly bag: DiagnosticBag,
    private readonly infer: InferCtx,
    /** type parameters with an unresolved bound (ProgramDefs.erroneousParams) */
    private readonly params: ReadonlySet<number>,
  ) {}

  error(code: DiagnosticCode, message: string, span: Span, extra: DiagExtra = {}): void {
    const { about, ...rest } = extra;
    if (this.followsFromError(message, rest.label, about)) {
      this.dropped.push({ code, message, span, extra: rest });
      return;
    }
    this.bag.error(code, message, span, rest);
  }

  followsFromError(message: string, label: string | undefined, about: readonly Type[] | undefined): boolean {
    if (about?.some((t) => isErrorish(t, this.infer, this.params))) return true;
    return message.includes(ERROR_TEXT) || (label ?? '').includes(ERROR_TEXT);
  }

  /** Errors so far, the dropped follow-ons included: a body with any error skips its end-of-body E0282. */
  get errorCount(): number {
    return this.bag.errorCount + this.dropped.length;
  }

  /** At the end of a body: an erroneous type always follows a reported error (in the signatures, checked first, or in
   * this body). Should one have come from nowhere, what was dropped is reported after all, so a program with an
   * erroneous type never passes the checks silently. */
  flushIfRootless(): void {
    if (this.bag.errorCount > 0) return;
    for (const d of this.dropped) this.bag.error(d.code, d.message, d.span, d.extra);
  }
}
