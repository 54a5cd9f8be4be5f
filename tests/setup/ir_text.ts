// Reading LLVM assembly in tests: the text of one function.
import { expect } from 'vitest';

/** The text of the function whose symbol is `symbol` in `ir`, from its `define` line to before its closing brace;
 * a missing function fails the test, naming it. */
export function irFunction(ir: string, symbol: string): string {
  const start = ir.search(new RegExp(`^define [^\\n]*@"?${symbol.replace(/[.$]/g, '\\$&')}"?\\(`, 'm'));
  expect(start, `no function ${symbol}`).toBeGreaterThanOrEqual(0);
  return ir.slice(start, ir.indexOf('\n}\n', start));
}
