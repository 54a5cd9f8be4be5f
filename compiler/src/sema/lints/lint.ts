// What every lint gets: where to report, and which warnings an `@allow(…)` on the function turns off.
import type * as ast from '../../syntax/ast.js';
import type { DiagnosticBag, Label } from '../../syntax/diagnostics.js';
import type { SourceMap } from '../../syntax/source.js';
import { WARNING_CODES, type WarningCode } from '../../syntax/codes/warnings.js';
import type { FuncDef, ProgramDefs } from '../defs.js';
import type { TypedBody } from '../typed.js';
import type { BodyNodes } from './walk.js';

export interface WarningExtra {
  readonly label?: string;
  readonly secondary?: readonly Label[];
  readonly notes?: readonly string[];
}

export type Warn = (code: WarningCode, message: string, span: ast.Attribute['span'], extra?: WarningExtra) => void;

/** One checked function body of the user's program, and how to report on it. */
export interface BodyLint {
  readonly defs: ProgramDefs;
  readonly sources: SourceMap;
  readonly fn: FuncDef;
  readonly decl: ast.FuncDecl & { body: ast.Block };
  readonly body: TypedBody;
  /** the nodes the lints look at, collected in one walk */
  readonly nodes: BodyNodes;
  readonly warn: Warn;
}

/** The code of a warning named by its code (`W0001`, any case) or its name (`unused_variables`), or null. */
export function warningCodeOf(text: string): WarningCode | null {
  const upper = text.toUpperCase();
  if (upper in WARNING_CODES) return upper as WarningCode;
  for (const [code, w] of Object.entries(WARNING_CODES)) if (w.name === text) return code as WarningCode;
  return null;
}

/** The warnings an item's `@allow(a, b)` names (unknown names are reported by sema/lints/index.ts). */
export function allowedBy(attrs: readonly ast.Attribute[]): Set<WarningCode> {
  const out = new Set<WarningCode>();
  for (const a of attrs) {
    if (a.name !== 'allow') continue;
    for (const arg of a.args) {
      const name = arg.kind === 'Path' && arg.segments.length === 1 ? arg.segments[0]!.name : null;
      const code = name === null ? null : warningCodeOf(name);
      if (code !== null) out.add(code);
    }
  }
  return out;
}

/** A reporter that drops what `allowed` names. */
export function warner(diags: DiagnosticBag, allowed: ReadonlySet<WarningCode>): Warn {
  return (code, message, span, extra = {}) => {
    if (allowed.has(code)) return;
    diags.warning(code, message, span, { label: extra.label, secondary: extra.secondary ? [...extra.secondary] : [], notes: extra.notes ? [...extra.notes] : [] });
  };
}
