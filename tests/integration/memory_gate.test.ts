// The CI memory gate can fail: the project's TML tests plus one test file that leaks and one with a data race make
// ci/memory_gate.sh exit non-zero, and name the leak and the race; the same tests without them pass.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../setup/temp_dir.js';

const root = path.resolve(new URL('../../', import.meta.url).pathname);

// two tasks, released by one start signal, increment one I64 through a raw pointer: a race only TSan sees
const RACE = `use test
func bump(addr: I64, go: Channel[Bool]) {
    go.recv()
    lowlevel {
        let p = addr as *I64
        for i in 0 to 1000 { p.write(p.read() + 1) }
    }
}
@test
func races() {
    let go: Channel[Bool] = channel(2)
    lowlevel {
        let p = alloc(8) as *I64
        p.write(0)
        let a = spawn(bump, p as I64, go)
        let b = spawn(bump, p as I64, go)
        go.send(true)
        go.send(true)
        join(a)
        join(b)
        free(p as *Unit)
    }
}
`;

const tmp = testTempDir('tmlc-gate-');

describe('ci/memory_gate.sh', () => {
  it('fails when a leaking and a racy test file are added', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'gate-'));
    fs.writeFileSync(
      path.join(dir, 'ok.test.tml'),
      'use test\n@test\nfunc fine() { var l = List[I32]::new()  l.push(1)  assert_eq(l.len(), 1, "one") }\n',
    );
    const ok = await execa('bash', [path.join(root, 'ci/memory_gate.sh'), dir], { reject: false });
    expect(ok.exitCode, String(ok.stdout)).toBe(0);
    expect(String(ok.stdout)).toContain('== memory gate: --sanitize=thread (1 test paths, 0 programs)\ntest ok.test.tml::fine ... ok\n');
    expect(String(ok.stdout)).toContain('== memory gate: ok');
    fs.writeFileSync(path.join(dir, 'leak.test.tml'), 'use test\n@test\nfunc leaks() { lowlevel { let p = alloc(32) } }\n');
    fs.writeFileSync(path.join(dir, 'race.test.tml'), RACE);
    const bad = await execa('bash', [path.join(root, 'ci/memory_gate.sh'), dir], { reject: false });
    expect(bad.exitCode).not.toBe(0);
    const out = String(bad.stdout);
    expect(out).toContain('leak.test.tml::leaks ... FAILED');
    expect(out).toContain('leaked memory');
    expect(out).toContain('== memory gate: FAILED (leak checker)');
    expect(out).toContain('== memory gate: FAILED (--sanitize=address)');
    expect(out).toContain('== memory gate: FAILED (--valgrind)');
    expect(out).toContain('test race.test.tml::races ... FAILED');
    expect(out).toContain('---- race.test.tml::races ----\nThreadSanitizer reported a data race\n');
    expect(out).toContain('== memory gate: FAILED (--sanitize=thread)');
  }, 300_000);
});
