import { describe, it, expect } from 'vitest';
import { diagnosticToJson, renderDiagnostic, renderSummary } from '../../compiler/src/syntax/render.js';
import { SourceMap, type SourceFile, type Span } from '../../compiler/src/syntax/source.js';
import { DiagnosticBag, type Diagnostic } from '../../compiler/src/syntax/diagnostics.js';
import { parseModule } from '../../compiler/src/syntax/parser.js';

const MAIN = ['func main() {', '    let list = List[I32]::new()', '    list.push(1)', '', '    let b = list', '    // moved', '    println(list.len())', '}', ''].join('\n');

/** The span of the `nth` occurrence (from 0) of `needle` on 1-based `line`. */
function spanOf(file: SourceFile, line: number, needle: string, nth = 0): Span {
  const lineStart = file.text.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  let at = -1;
  for (let i = 0; i <= nth; i++) at = file.lineText(line).indexOf(needle, at + 1);
  return { file: file.path, start: lineStart + at, end: lineStart + at + needle.length };
}

function moveError(sources: SourceMap, file: SourceFile, notes: string[] = []): Diagnostic {
  return {
    severity: 'error',
    code: 'E0382',
    message: 'use of moved value `list`',
    span: spanOf(file, 7, 'list'),
    label: 'value used here after move',
    secondary: [{ span: spanOf(file, 5, 'list'), message: 'value moved here' }],
    notes,
  };
}

describe('renderDiagnostic', () => {
  it('renders the example of LANGUAGE.md §8 exactly', () => {
    const sources = new SourceMap();
    const file = sources.add('src/main.tml', MAIN);
    expect(renderDiagnostic(moveError(sources, file), sources)).toBe(
      [
        'error[E0382]: use of moved value `list`',
        '  --> src/main.tml:7:13',
        '   |',
        ' 5 |     let b = list',
        '   |             ---- value moved here',
        ' 7 |     println(list.len())',
        '   |             ^^^^ value used here after move',
        '',
        '',
      ].join('\n'),
    );
  });

  it('adds notes after an empty gutter line', () => {
    const sources = new SourceMap();
    const file = sources.add('src/main.tml', MAIN);
    const text = renderDiagnostic(moveError(sources, file, ['move occurs because `list` has type `List[I32]`']), sources);
    expect(text.split('\n').slice(-4)).toEqual(['   |', '   = note: move occurs because `list` has type `List[I32]`', '', '']);
  });

  it('widens the gutter for longer line numbers and marks several labels on one line', () => {
    const sources = new SourceMap();
    const text = Array.from({ length: 11 }, (_, i) => (i === 10 ? 'let t = a + b' : '')).join('\n');
    const file = sources.add('m.tml', text);
    const d: Diagnostic = {
      severity: 'error', code: 'E0308', message: 'mismatched types', span: spanOf(file, 11, 'b'), label: 'expected `I32`',
      secondary: [{ span: spanOf(file, 11, 'a'), message: 'this is `I32`' }], notes: [],
    };
    expect(renderDiagnostic(d, sources)).toBe(
      ['error[E0308]: mismatched types', '   --> m.tml:11:13', '    |', ' 11 | let t = a + b', '    |         - this is `I32`', '    |             ^ expected `I32`', '', ''].join('\n'),
    );
  });

  it('underlines a span that runs onto later lines to the end of its first line, and expands tabs', () => {
    const sources = new SourceMap();
    const file = sources.add('t.tml', '\tfoo(a,\n\t    b)');
    const d: Diagnostic = { severity: 'warning', code: 'W0001', message: 'long call', span: { file: 't.tml', start: 1, end: 15 }, secondary: [], notes: [] };
    expect(renderDiagnostic(d, sources)).toBe(['warning[W0001]: long call', '  --> t.tml:1:2', '   |', ' 1 |     foo(a,', '   |     ^^^^^^', '', ''].join('\n'));
    expect(file.path).toBe('t.tml');
  });

  it('gives labels in another file their own section', () => {
    const sources = new SourceMap();
    const main = sources.add('main.tml', 'use lib\nfunc main() { lib::f(1) }');
    const lib = sources.add('lib.tml', 'pub func f() {}');
    const d: Diagnostic = {
      severity: 'error', code: 'E0061', message: 'this function takes 0 arguments but 1 was supplied', span: spanOf(main, 2, 'lib::f(1)'),
      secondary: [{ span: spanOf(lib, 1, 'f'), message: 'defined here' }], notes: [],
    };
    expect(renderDiagnostic(d, sources)).toBe(
      [
        'error[E0061]: this function takes 0 arguments but 1 was supplied',
        '  --> main.tml:2:15',
        '   |',
        ' 2 | func main() { lib::f(1) }',
        '   |               ^^^^^^^^^',
        '  ::: lib.tml:1:5',
        '   |',
        ' 1 | pub func f() {}',
        '   |     - defined here',
        '',
        '',
      ].join('\n'),
    );
  });

  it('renders a parse error with its caret at the end of the file', () => {
    const sources = new SourceMap();
    const file = sources.add('bad.tml', 'func main() {\n    let x = (1 +\n');
    const diags = new DiagnosticBag();
    parseModule(file, diags);
    expect(diags.items.map((d) => renderDiagnostic(d, sources)).join('')).toBe(
      [
        'error[E0017]: unclosed delimiter `{`',
        '  --> bad.tml:1:13',
        '   |',
        ' 1 | func main() {',
        '   |             ^ this `{` is never closed',
        ' 3 |',
        '   | - the file ends here',
        '   |',
        '   = help: add the missing `}` at the end of the file',
        '',
        'error[E0010]: expected expression, found end of file',
        '  --> bad.tml:3:1',
        '   |',
        ' 3 |',
        '   | ^ expected expression',
        '',
        '',
      ].join('\n'),
    );
  });

  it('adds help lines after the notes: its own, then one per suggestion', () => {
    const sources = new SourceMap();
    const file = sources.add('src/main.tml', MAIN);
    const d: Diagnostic = {
      ...moveError(sources, file, ['a note']),
      help: ['borrow it instead'],
      suggestions: [{ span: spanOf(file, 5, 'list'), replacement: 'list.clone()', message: 'clone it: `list.clone()`' }],
    };
    expect(renderDiagnostic(d, sources).split('\n').slice(-6)).toEqual(['   |', '   = note: a note', '   = help: borrow it instead', '   = help: clone it: `list.clone()`', '', '']);
  });

  it('puts help lines after an empty gutter line when there is no note', () => {
    const sources = new SourceMap();
    const file = sources.add('src/main.tml', MAIN);
    const d: Diagnostic = { ...moveError(sources, file), help: ['borrow it instead'] };
    expect(renderDiagnostic(d, sources).split('\n').slice(-4)).toEqual(['   |', '   = help: borrow it instead', '', '']);
  });

  it('renders a diagnostic without a known file as its header and notes', () => {
    const d: Diagnostic = { severity: 'error', code: 'E0601', message: '`main` function not found', span: { file: '<builtin>', start: 0, end: 0 }, secondary: [], notes: ['add `func main()`'] };
    expect(renderDiagnostic(d, new SourceMap())).toBe('error[E0601]: `main` function not found\n   = note: add `func main()`\n\n');
  });
});

describe('renderSummary', () => {
  it('counts the errors, singular for one', () => {
    expect(renderSummary(1)).toBe('error: aborting due to 1 previous error');
    expect(renderSummary(3)).toBe('error: aborting due to 3 previous errors');
  });
});

describe('diagnosticToJson', () => {
  it('gives positions of the span, its end, the label, secondary labels and notes', () => {
    const sources = new SourceMap();
    const file = sources.add('src/main.tml', MAIN);
    expect(diagnosticToJson(moveError(sources, file, ['a note']), sources)).toEqual({
      severity: 'error',
      code: 'E0382',
      message: 'use of moved value `list`',
      file: 'src/main.tml',
      line: 7,
      col: 13,
      endLine: 7,
      endCol: 17,
      label: 'value used here after move',
      secondary: [{ file: 'src/main.tml', line: 5, col: 13, message: 'value moved here' }],
      notes: ['a note'],
      help: [],
      suggestions: [],
    });
  });
});
