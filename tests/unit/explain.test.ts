// `tmlc explain CODE`: the registry's title, explanation and example; an unknown code is a usage error.
import { describe, expect, it } from 'vitest';
import { wrap } from '../../compiler/src/cli/explain.js';
import { runCli } from '../../compiler/src/cli/program.js';
import { CODES } from '../../compiler/src/syntax/codes/index.js';

async function explain(...args: string[]) {
  let out = '';
  let err = '';
  const status = await runCli(['explain', ...args], { io: { out: (t) => void (out += t), err: (t) => void (err += t) } });
  return { status, out, err };
}

describe('tmlc explain', () => {
  it('prints the title, the explanation (wrapped) and the example (indented)', async () => {
    const r = await explain('E0382');
    expect(r.status).toBe(0);
    expect(r.err).toBe('');
    const info = CODES.E0382;
    const example = info.example.trimEnd().split('\n').map((l) => (l === '' ? '' : `    ${l}`));
    expect(r.out).toBe([`E0382: ${info.title}`, '', ...wrap(info.explanation, 100), '', 'Example:', '', ...example, ''].join('\n'));
    expect(r.out).toContain('E0382: use of a moved value\n');
    expect(r.out).toContain('\n    func main() {\n');
  });

  it('accepts a lower-case code', async () => {
    expect((await explain('e0499')).out.startsWith('E0499: two mutable borrows at once\n')).toBe(true);
  });

  it('an unknown code: a clear error, exit 2, nothing on stdout', async () => {
    const r = await explain('E9999');
    expect(r.status).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('error: `E9999` is not a tmlc diagnostic code (codes look like E0382; docs/errors.md lists them all)\n');
    expect((await explain('toString')).status).toBe(2);
  });

  it('wrap breaks between words at the width', () => {
    expect(wrap('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrap('a-very-long-word x', 4)).toEqual(['a-very-long-word', 'x']);
  });
});
