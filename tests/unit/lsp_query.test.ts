// What hover and go-to-definition find (lsp/query.ts) for each kind of name, in process over the real front end:
// variants (qualified, unqualified, in patterns), constants, class constructors and methods, declarations'
// members, the prelude's types; and nothing on a keyword or between items.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../compiler/src/lsp/analysis.js';
import { definitionAt } from '../../compiler/src/lsp/definition.js';
import { hoverText } from '../../compiler/src/lsp/hover.js';
import { textDocument } from '../../compiler/src/lsp/positions.js';
import { targetAt } from '../../compiler/src/lsp/query.js';

const file = '/nonexistent/query.tml';
const text = `const LIMIT: I32 = 3
type Shape { Circle(F64), Empty, Rect { w: F64 } }
class Animal {
    legs: I32
    new(legs: I32) { this.legs = legs }
    func walk(this) -> I32 { this.legs }
}
func main() {
    let s = Shape::Circle(1.0)
    let a = Animal::new(LIMIT)
    let m: Maybe[I32] = Just(a.walk())
    when s {
        Circle(r) => println("{r}"),
        Shape::Empty => println("e"),
        Rect { w } => println("{w}"),
    }
    println("{m.unwrap_or(0)}")
}
`;
// the file is never on disk: the analysis reads the overlay
const a = analyze(file, textDocument('file://' + file, text), new Map([[file, text]]));

/** Hover text and the definition's line at the `index`-th character of the `nth` occurrence of `needle`. */
function at(needle: string, index = 0, nth = 0): [string | null, number | null] {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  const found = targetAt(a, offset + index);
  const def = definitionAt(a, offset + index);
  return [found ? hoverText(a, found.target) : null, def ? def.range.start.line : null];
}

describe('hover and definition targets', () => {
  it('checks the program without errors', () => {
    expect(a.diagnostics).toEqual([]);
  });

  it('finds variants written qualified, unqualified and in patterns', () => {
    expect(at('Circle(1.0)')).toEqual(['Shape::Circle', 1]);
    expect(at('Circle(r)')).toEqual(['Shape::Circle', 1]);
    expect(at('Empty =>')).toEqual(['Shape::Empty', 1]);
    expect(at('Shape::Empty')).toEqual(['type Shape', 1]);
    expect(at('Rect { w }')).toEqual(['Shape::Rect', 1]);
    expect(at('(r)', 1)).toEqual(['let r: F64', 12]);
    expect(at('{w}', 1)).toEqual(['let w: F64', 14]);
  });

  it('finds constants, constructors, methods and the prelude', () => {
    expect(at('LIMIT)')).toEqual(['const LIMIT: I32', 0]);
    expect(at('new(LIMIT')).toEqual(['func Animal::new(legs: I32)', 4]);
    expect(at('walk())')).toEqual(['func Animal::walk(this) -> I32', 5]);
    expect(at('Just(')[0]).toBe('Maybe::Just');
    expect(at('Maybe[I32]')[0]).toBe('type Maybe[T]');
  });

  it('finds a declaration\'s own members', () => {
    expect(at('Rect {')).toEqual(['Shape::Rect', 1]);
    expect(at('legs: I32')).toEqual(['legs: I32', 3]);
    expect(at('w: F64')).toEqual(['w: F64', 1]);
  });

  it('finds nothing on a keyword or outside every item (an expression\'s keyword gives its type)', () => {
    expect(at('when')).toEqual(['Unit', null]);
    expect(at('class')).toEqual([null, null]);
    expect(at('\n}\n', 3)).toEqual([null, null]);
  });
});
