// The CI memory gate can fail: the project's TML tests plus one test file that leaks make ci/memory_gate.sh exit
// non-zero, and name the leak; the same tests without it pass.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const root = path.resolve(new URL('../../', import.meta.url).pathname);

describe('ci/memory_gate.sh', () => {
  it('fails when one leaking test file is added', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-gate-'));
    fs.writeFileSync(
      path.join(dir, 'ok.test.tml'),
      'use test\n@test\nfunc fine() { var l = List[I32]::new()  l.push(1)  assert_eq(l.len(), 1, "one") }\n',
    );
    const ok = await execa('bash', [path.join(root, 'ci/memory_gate.sh'), dir], { reject: false });
    expect(ok.exitCode, String(ok.stdout)).toBe(0);
    expect(String(ok.stdout)).toContain('== memory gate: ok');
    fs.writeFileSync(path.join(dir, 'leak.test.tml'), 'use test\n@test\nfunc leaks() { lowlevel { let p = alloc(32) } }\n');
    const bad = await execa('bash', [path.join(root, 'ci/memory_gate.sh'), dir], { reject: false });
    expect(bad.exitCode).not.toBe(0);
    const out = String(bad.stdout);
    expect(out).toContain('leak.test.tml::leaks ... FAILED');
    expect(out).toContain('leaked memory');
    expect(out).toContain('== memory gate: FAILED (leak checker)');
    expect(out).toContain('== memory gate: FAILED (--sanitize=address)');
    expect(out).toContain('== memory gate: FAILED (--valgrind)');
  }, 300_000);
});
