// What the command line does with warnings (TOOLCHAIN.md §3): `-A CODE|NAME` drops a warning, `-W CODE|NAME` makes
// it an error, `--deny-warnings` makes every warning not allowed an error (for CI). An error made of a warning
// keeps its code and says which flag made it one; the build then fails with status 1 as for any error.
import type { Diagnostic } from '../syntax/diagnostics.js';
import { WARNING_CODES, type WarningCode } from '../syntax/codes/warnings.js';
import { warningCodeOf } from '../sema/lints/lint.js';
import { UsageError } from './settings.js';

export interface WarningPolicy {
  readonly allow: readonly WarningCode[];
  readonly deny: readonly WarningCode[];
  readonly denyAll: boolean;
}

export const DEFAULT_WARNINGS: WarningPolicy = { allow: [], deny: [], denyAll: false };

/** The policy of `-A`/`-W`/`--deny-warnings`; an unknown warning, or one both allowed and denied, is bad usage. */
export function resolveWarningPolicy(raw: { A?: readonly string[]; W?: readonly string[]; denyWarnings?: boolean }): WarningPolicy {
  const codes = (flag: string, names: readonly string[] | undefined): WarningCode[] =>
    (names ?? []).map((n) => {
      const c = warningCodeOf(n);
      if (c === null) throw new UsageError(`unknown warning '${n}' for ${flag} (expected one of ${warningList()})`);
      return c;
    });
  const allow = codes('-A', raw.A);
  const deny = codes('-W', raw.W);
  const both = allow.find((c) => deny.includes(c));
  if (both !== undefined) throw new UsageError(`warning ${both} (${WARNING_CODES[both].name}) is both allowed (-A) and denied (-W)`);
  return { allow, deny, denyAll: raw.denyWarnings === true };
}

/** `W0001 (unused_variables), …`: for messages and --help. */
export function warningList(): string {
  return Object.entries(WARNING_CODES)
    .map(([code, w]) => `${code} (${w.name})`)
    .join(', ');
}

/** The diagnostics with the policy applied: allowed warnings left out, denied ones turned into errors. */
export function applyWarningPolicy(diagnostics: readonly Diagnostic[], policy: WarningPolicy = DEFAULT_WARNINGS): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.severity !== 'warning' || !(d.code in WARNING_CODES)) {
      out.push(d);
      continue;
    }
    const code = d.code as WarningCode;
    if (policy.allow.includes(code)) continue;
    if (policy.deny.includes(code)) out.push(denied(d, `\`-W ${code}\` (${WARNING_CODES[code].name}) turns this warning into an error`));
    else if (policy.denyAll) out.push(denied(d, '`--deny-warnings` turns every warning into an error'));
    else out.push(d);
  }
  return out;
}

function denied(d: Diagnostic, why: string): Diagnostic {
  return { ...d, severity: 'error', notes: [...d.notes, why] };
}
