// Projects (issue 15, part 8): `tmlc new`, the tml.toml manifest, `build`/`run`/`check`/`test` with no FILE, modules
// under src/ reachable from tests/, and `pub` enforced across modules — each rejected program with its exact
// diagnostic next to the accepted neighbour with its exact output.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');
let dir = '';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-projects-'));
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function tmlc(args: string[], cwd: string = dir) {
  const r = await execa('node', [TMLC, ...args], { cwd, reject: false, stdin: 'ignore', timeout: 120_000, stripFinalNewline: false });
  return { status: r.exitCode, out: String(r.stdout), err: String(r.stderr) };
}

function write(rel: string, text: string): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

function filesUnder(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

describe('tmlc new and a project with no FILE', () => {
  it('creates the project, which builds, runs, checks and tests as it is', async () => {
    const made = await tmlc(['new', 'demo']);
    const proj = path.join(dir, 'demo');
    expect(made).toEqual({ status: 0, out: `created project \`demo\` in ${proj}\n`, err: '' });
    expect(filesUnder(proj)).toEqual(['.gitignore', 'src/greeting.tml', 'src/main.tml', 'tests/greeting_test.tml', 'tml.toml']);
    expect(fs.readFileSync(path.join(proj, 'tml.toml'), 'utf8')).toBe('[package]\nname = "demo"\nversion = "0.1.0"\nentry = "src/main.tml"\n');

    expect(await tmlc(['run'], proj)).toEqual({ status: 0, out: 'Hello from demo!\n', err: '' });
    // from a subdirectory the manifest is found in a parent, as cargo does
    expect(await tmlc(['check'], path.join(proj, 'src'))).toEqual({ status: 0, out: '', err: '' });

    expect((await tmlc(['build'], proj)).status).toBe(0);
    const exe = path.join(proj, 'target', 'debug', 'demo');
    expect((await execa(exe, [], { reject: false })).stdout).toBe('Hello from demo!');
    expect((await tmlc(['build', '--release'], proj)).status).toBe(0);
    expect(fs.existsSync(path.join(proj, 'target', 'release', 'demo'))).toBe(true);

    const t = await tmlc(['test'], path.join(proj, 'tests'));
    expect(t.status).toBe(0);
    expect(t.out).toContain('says_hello ... ok\n');
    expect(t.out).toContain('1 passed, 0 failed');
  });

  it('`run` with no FILE gives every operand to the program; an operand ending in .tml is the FILE', async () => {
    write('args/tml.toml', '[package]\nname = "args"\n');
    write('args/src/main.tml', 'func main() {\n    for a in args() {\n        println(a)\n    }\n}\n');
    write('args/other.tml', 'func main() {\n    println("other")\n}\n');
    const proj = path.join(dir, 'args');
    expect(await tmlc(['run', '--', 'x', 'y z'], proj)).toEqual({ status: 0, out: 'x\ny z\n', err: '' });
    expect(await tmlc(['run', 'other.tml'], proj)).toEqual({ status: 0, out: 'other\n', err: '' });
  });

  it('refuses an existing destination and a bad name', async () => {
    fs.mkdirSync(path.join(dir, 'taken'));
    expect(await tmlc(['new', 'taken'])).toEqual({ status: 2, out: '', err: `error: destination \`${path.join(dir, 'taken')}\` already exists\n` });
    expect(await tmlc(['new', '9lives'])).toEqual({
      status: 2,
      out: '',
      err: "error: `9lives` is not a valid project name (letters, digits, '_' and '-', starting with a letter)\n",
    });
  });

  it('with no FILE and no manifest, says what to do', async () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    for (const cmd of ['build', 'run', 'check']) {
      expect(await tmlc([cmd], empty)).toEqual({
        status: 2,
        out: '',
        err: `error: \`tmlc ${cmd}\` needs a FILE, or a tml.toml in this directory or a parent (make one with \`tmlc new NAME\`)\n`,
      });
    }
  });
});

describe('manifest errors name the file, line and column', () => {
  const cases: [string, string, string][] = [
    ['syntax', '[package]\nname = \n', 'tml.toml:2:8: Invalid TOML document: incomplete key-value declaration: no value specified'],
    ['no-package', 'name = "x"\n', 'tml.toml:1:1: the manifest needs a [package] table with `name` (and optionally `version`, `entry`)'],
    ['unknown-field', '[package]\nname = "x"\nedition = "2024"\n', 'tml.toml:3:1: unknown field `edition` in [package] (expected name, version, entry)'],
    ['bad-name', '[package]\nname = "a b"\n', "tml.toml:2:1: `a b` is not a valid project name (letters, digits, '_' and '-', starting with a letter)"],
    ['name-type', '[package]\n  name = 3\n', 'tml.toml:2:3: `name` must be a string'],
    ['no-entry', '[package]\nname = "x"\nentry = "src/app.tml"\n', 'tml.toml:3:1: the entry file src/app.tml does not exist'],
  ];
  for (const [name, manifest, message] of cases) {
    it(name, async () => {
      write(`bad-${name}/tml.toml`, manifest);
      write(`bad-${name}/src/main.tml`, 'func main() {}\n');
      const proj = path.join(dir, `bad-${name}`);
      expect(await tmlc(['build'], proj)).toEqual({ status: 2, out: '', err: `error: ${path.join(proj, message)}\n` });
    });
  }
});

describe('`pub` across modules', () => {
  const UTIL = 'func helper() -> I32 {\n    3\n}\npub func shown() -> I32 {\n    helper() + 1\n}\ntype Secret {\n    x: I32\n}\npub type Open {\n    x: I32\n}\n';

  it('accepts pub items by path, by import and by glob, and a private item used inside its own module', async () => {
    write('pub_ok/util.tml', UTIL);
    write('pub_ok/main.tml', 'use util\nuse util::Open\n\nfunc main() {\n    let o = Open { x: util::shown() }\n    println("{o.x}")\n}\n');
    expect(await tmlc(['run', 'pub_ok/main.tml'])).toEqual({ status: 0, out: '4\n', err: '' });
  });

  it('rejects a private function called by path', async () => {
    write('pub_fn/util.tml', UTIL);
    write('pub_fn/main.tml', 'use util\n\nfunc main() {\n    println("{util::helper()}")\n}\n');
    expect(await tmlc(['check', 'pub_fn/main.tml'])).toEqual({
      status: 1,
      out: '',
      err: [
        'error[E0603]: function `helper` is private to module `util`',
        '  --> pub_fn/main.tml:4:15',
        '   |',
        ' 4 |     println("{util::helper()}")',
        '   |               ^^^^^^^^^^^^ private item',
        '  ::: pub_fn/util.tml:1:6',
        '   |',
        ' 1 | func helper() -> I32 {',
        '   |      ------ `helper` is defined here without `pub`',
        '   |',
        '   = note: mark it `pub` in util.tml to use it from other modules',
        '',
        'error: aborting due to 1 previous error',
        '',
      ].join('\n'),
    });
  });

  it('rejects importing a private struct, once (no cascade at its uses)', async () => {
    write('pub_ty/util.tml', UTIL);
    write('pub_ty/main.tml', 'use util::Secret\n\nfunc main() {\n    let s = Secret { x: 1 }\n    println("{s.x}")\n}\n');
    const r = await tmlc(['check', 'pub_ty/main.tml']);
    expect(r.status).toBe(1);
    expect(r.err.split('\n').filter((l) => l.startsWith('error'))).toEqual([
      'error[E0603]: struct `Secret` is private to module `util`',
      'error: aborting due to 1 previous error',
    ]);
    expect(r.err).toContain(' --> pub_ty/main.tml:1:1\n');
  });

  it('a glob import brings only the pub items', async () => {
    write('pub_glob/util.tml', UTIL);
    write('pub_glob/main.tml', 'use util::*\n\nfunc main() {\n    println("{shown()} {helper()}")\n}\n');
    const r = await tmlc(['check', 'pub_glob/main.tml']);
    expect(r.status).toBe(1);
    expect(r.err.split('\n')[0]).toBe('error[E0425]: cannot find value `helper` in this scope');
  });

  it('a plain `use` is not re-exported; `pub use` is', async () => {
    write('reexport/util.tml', UTIL);
    write('reexport/facade.tml', 'pub use util::shown\nuse util::Open\n');
    write('reexport/main.tml', 'use facade\n\nfunc main() {\n    println("{facade::shown()}")\n}\n');
    // the plain `use` is still the facade's own, unused there
    expect(await tmlc(['run', 'reexport/main.tml'])).toEqual({
      status: 0,
      out: '4\n',
      err: [
        'warning[W0007]: unused import: `util::Open`',
        '  --> reexport/facade.tml:2:1',
        '   |',
        ' 2 | use util::Open',
        '   | ^^^^^^^^^^^^^^ help: remove this import',
        '',
        '',
      ].join('\n'),
    });
    write('reexport/bad.tml', 'use facade\n\nfunc main() {\n    let o = facade::Open { x: 1 }\n    println("{o.x}")\n}\n');
    const r = await tmlc(['check', 'reexport/bad.tml']);
    expect(r.status).toBe(1);
    expect(r.err.split('\n')[0]).toBe('error[E0603]: struct `Open` is private to module `facade`');
  });

  it('a test file under tests/ reaches the project modules in src/, and their privacy holds there too', async () => {
    write('reach/tml.toml', '[package]\nname = "reach"\n');
    write('reach/src/main.tml', 'use util\n\nfunc main() {\n    println("{util::shown()}")\n}\n');
    write('reach/src/util.tml', UTIL);
    write('reach/tests/util_test.tml', 'use test\nuse util\n\n@test\nfunc shown_is_four() {\n    assert_eq(util::shown(), 4, "shown")\n}\n');
    const proj = path.join(dir, 'reach');
    const ok = await tmlc(['test'], proj);
    expect(ok.status).toBe(0);
    expect(ok.out).toContain('shown_is_four ... ok\n');
    write('reach/tests/private_test.tml', 'use test\nuse util\n\n@test\nfunc peeks() {\n    assert_eq(util::helper(), 3, "helper")\n}\n');
    const bad = await tmlc(['check', 'tests/private_test.tml'], proj);
    expect(bad.status).toBe(1);
    expect(bad.err.split('\n')[0]).toBe('error[E0603]: function `helper` is private to module `util`');
  });
});
