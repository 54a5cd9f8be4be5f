// The registry of diagnostic codes: every code a layer may pass to DiagnosticBag.error/warning is a key of CODES, so
// a misspelt or undocumented code is a type error. The tables live in the syntax layer, the lowest, so that every
// layer can import them.
import { CLASS_CODES } from './classes.js';
import type { CodeInfo } from './code_info.js';
import { ITEM_CODES } from './items.js';
import { OWNERSHIP_CODES } from './ownership.js';
import { PATTERN_CODES } from './patterns.js';
import { SYNTAX_CODES } from './syntax.js';
import { TYPE_CODES } from './types.js';
import { WARNING_CODES } from './warnings.js';

export type { CodeInfo } from './code_info.js';

export const CODES = {
  ...SYNTAX_CODES,
  ...PATTERN_CODES,
  ...ITEM_CODES,
  ...TYPE_CODES,
  ...CLASS_CODES,
  ...OWNERSHIP_CODES,
  ...WARNING_CODES,
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;

/** Is `code` in the registry (for user input such as `tmlc explain CODE`)? */
export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.hasOwn(CODES, code);
}
