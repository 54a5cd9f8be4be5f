// docs/library.md is generated from the standard library's doc comments (ci/library_docs.mjs): it must be up to
// date, and every public item of stdlib/ must have a `///` doc comment.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
const script = path.join(root, 'ci/library_docs.mjs');

describe('docs/library.md', () => {
  it('is up to date (node ci/library_docs.mjs > docs/library.md)', () => {
    const now = execFileSync('node', [script], { encoding: 'utf8' });
    expect(fs.readFileSync(path.join(root, 'docs/library.md'), 'utf8')).toBe(now);
  });

  it('every public item of the standard library has a doc comment', () => {
    expect(execFileSync('node', [script, '--undocumented'], { encoding: 'utf8' })).toBe('');
  });

  it('the check names an undocumented public item, and documents what is documented', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-libdocs-'));
    try {
      fs.mkdirSync(path.join(dir, 'stdlib'));
      fs.writeFileSync(
        path.join(dir, 'stdlib', 'm.tml'),
        [
          '//! A module.',
          '',
          '/// Adds one.',
          '@track_caller',
          'pub func inc(x: I64) -> I64 { x + 1 }',
          '',
          'pub func bare() { }',
          '',
          'func private_helper() { }',
          '',
          'pub type P { x: I64 }',
          '',
          'impl P {',
          '    /// The x.',
          '    pub func x(this) -> I64 { this.x }',
          '    pub func y(this) -> I64 { 0 }',
          '    func hidden(this) { }',
          '}',
          '',
          'impl Display for P {',
          '    func to_string(this) -> Str { "p" }',
          '}',
          '',
        ].join('\n'),
      );
      const missing = execFileSync('node', [script, '--root', dir, '--undocumented'], { encoding: 'utf8' });
      expect(missing).toBe(['stdlib/m.tml:7: func bare()', 'stdlib/m.tml:11: type P { x: I64 }', 'stdlib/m.tml:16: impl P: func y(this) -> I64', ''].join('\n'));
      const md = execFileSync('node', [script, '--root', dir], { encoding: 'utf8' });
      expect(md).toContain('## `stdlib/m.tml`\n\nA module.\n\n- `func inc(x: I64) -> I64` — Adds one.\n- `func bare()`\n');
      expect(md).toContain('### `impl P`\n\n- `func x(this) -> I64` — The x.\n- `func y(this) -> I64`\n');
      expect(md).toContain('Behavior impls: `impl Display for P`.');
      expect(md).not.toContain('hidden');
      expect(md).not.toContain('private_helper');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
