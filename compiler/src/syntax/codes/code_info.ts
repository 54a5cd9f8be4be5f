// What the registry says about one diagnostic code: `tmlc explain CODE` prints it and docs/errors.md is generated
// from it, so a code's documentation lives beside the code's definition rather than being scraped from its uses.
export interface CodeInfo {
  /** what is wrong, in a few words (the emitted message may be more specific) */
  readonly title: string;
  /** a paragraph: what the rule is, why, and how to fix the program */
  readonly explanation: string;
  /** a minimal TML program that reports exactly this code (tests/unit/code_registry.test.ts checks it) */
  readonly example: string;
}
