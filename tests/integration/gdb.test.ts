// The debugger sees TML values (issue 15, part 4): a `-g` build of tests/programs/debugger/values.tml, built once,
// driven by gdb in batch mode. Locals of every kind (Str, struct, List, Maybe, Outcome, tuple, Heap, Shared, HashMap,
// a user enum, an array, a class instance, a closure) appear in `info locals`, printed by the pretty-printers the
// executable carries in its .debug_gdb_scripts section; a struct parameter appears in `info args`; `break dist2` and
// `break Point::dist` find the functions. gdb runs inline scripts only from files under its `auto-load safe-path`,
// so the sessions add the build directory to it (`-iex add-auto-load-safe-path DIR`, README "Debugging"); one
// session leaves it out and sees the raw DWARF values instead. Addresses are replaced by `0x…` before comparing.
// The compiler must be built first (`npx tsc -p tsconfig.json`).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');
const PROGRAM = path.join(ROOT, 'tests', 'programs', 'debugger', 'values.tml');
let work = '';
let exe = '';

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-gdb-'));
  exe = path.join(work, 'values');
  await execa('node', [TMLC, 'build', PROGRAM, '-o', exe], { cwd: ROOT });
}, 120_000);
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** gdb's output for `commands` (each an -ex), run in batch mode without any gdbinit, with the printers allowed to
 * load unless `printers` is false; the inferior's own output goes to /dev/null. */
async function gdb(commands: string[], printers = true, target = exe): Promise<string> {
  const args = ['-batch', '-nx'];
  if (printers) args.push('-iex', `add-auto-load-safe-path ${work}`);
  for (const c of commands) args.push('-ex', c);
  const r = await execa('gdb', [...args, target], { cwd: work, reject: false, all: true });
  expect(r.exitCode, r.all).toBe(0);
  return normalise(r.all ?? '');
}

/** Addresses differ from run to run and machine to machine; libthread_db's two lines say nothing about TML. */
function normalise(out: string): string {
  return out
    .split('\n')
    .filter((l) => !l.startsWith('[Thread debugging using libthread_db') && !l.startsWith('Using host libthread_db'))
    .join('\n')
    .replace(/0x[0-9a-f]+/g, '0x…')
    .trimEnd();
}

const PRINTLN_LINE = '55\t    println("{s}{c} {dist2(p, Point { x: 0, y: 0 })} {p.dist()} {first(ref xs)} {f(1)} {d.legs} {arr[0]} {names.len()}")';

describe('gdb on a -g build', () => {
  it('shows every local, through the pretty-printers', async () => {
    const out = await gdb(['break values.tml:55', 'run > /dev/null', 'info locals', 'print s', 'print xs', 'print m', 'print *d', 'print p.x + xs.data[2]', 'ptype p']);
    expect(out).toBe(
      [
        'Breakpoint 1 at 0x…: file values.tml, line 55.',
        '',
        'Breakpoint 1, main () at values.tml:55',
        PRINTLN_LINE,
        's = "hello"',
        "c = 'x'",
        'p = {x = 3, y = 4}',
        'xs = List(len=3) = {1, 2, 3}',
        'm = Just(3)',
        'none = Nothing',
        'o = Err("no")',
        't = (1, "two")',
        'h = Heap(7)',
        'sh = Shared("shared")',
        'ages = HashMap(len=1) = {["ann"] = 31}',
        'shape = Rect { w: 2, h: 5 }',
        'arr = {10, 20, 30}',
        'd = 0x…',
        'f = {fn = 0x… <closure in main((I64, *U8, Point) *, I64)>, env = 0x…}',
        'names = List(len=1) = {"a"}',
        '$1 = "hello"',
        '$2 = List(len=3) = {1, 2, 3}',
        '$3 = Just(3)',
        // a class instance points to its object, whose first part is its base class's
        '$4 = {<Animal> = {rc = 1, vtable = 0x… <vtable$main[Dog]>, legs = 4}, name = "rex"}',
        '$5 = 6',
        'type = struct Point {',
        '    I64 x;',
        '    I64 y;',
        '}',
      ].join('\n'),
    );
  });

  it('breaks on functions, methods and generic functions by their source names and shows struct parameters', async () => {
    const out = await gdb(['break dist2', 'break Point::dist', 'break first', 'run > /dev/null', 'info args', 'bt 2', 'continue', 'info args', 'print *this', 'continue', 'info args', 'print xs.len']);
    expect(out).toBe(
      [
        'Breakpoint 1 at 0x…: file values.tml, line 24.',
        'Breakpoint 2 at 0x…: file values.tml, line 6.',
        // a generic function's instances are named as C++ template instances, so the bare name finds them all
        'Breakpoint 3 at 0x…: file values.tml, line 30.',
        '',
        // the breakpoint is after the prologue: the parameters are already in their slots
        'Breakpoint 1, dist2 (p=..., q=...) at values.tml:24',
        '24\t    let dx = p.x - q.x',
        'p = {x = 3, y = 4}',
        'q = {x = 0, y = 0}',
        '#0  dist2 (p=..., q=...) at values.tml:24',
        '#1  0x… in main () at values.tml:55',
        '',
        'Breakpoint 2, Point::dist (this=0x…) at values.tml:6',
        '6\t        let d = this.x * this.x + this.y * this.y',
        'this = 0x…',
        '$1 = {x = 3, y = 4}',
        '',
        'Breakpoint 3, first<I64>(List[I64] *) (xs=0x…) at values.tml:30',
        '30\t    xs[0].duplicate()',
        'xs = 0x…',
        '$2 = 3',
      ].join('\n'),
    );
  });

  it('without the auto-load permission, gdb declines the printers and shows the raw DWARF values', async () => {
    const out = await gdb(['break values.tml:55', 'run > /dev/null', 'print s', 'print m', 'print *s'], false);
    expect(out).toContain(`warning: File "${exe}" auto-loading has been declined by your \`auto-load safe-path'`);
    expect(out.slice(out.indexOf('Breakpoint 1, '))).toBe(
      [
        'Breakpoint 1, main () at values.tml:55',
        PRINTLN_LINE,
        // Str is a pointer to the runtime's string header; an enum is its tag and its active variant
        '$1 = (Str) 0x…',
        '$2 = {tag = 0, Just = {__0 = 3}}',
        // a string literal's header: a static string (the lowest reference count), five bytes
        '$3 = {rc = -9223372036854775808, len = 5, bytes = 0x… "hello"}',
      ].join('\n'),
    );
  });

  // (a build without -g links no script: tests/unit/cli.test.ts checks the link command lines)
  it('the executable carries the printers as an inline script', async () => {
    const out = await gdb(['info auto-load python-scripts']);
    expect(out).toBe(['Loaded  Script                                                                 ', 'Yes     gdb.inlined-script.tml_printers'].join('\n'));
  });
});

describe('a one-line function in a debug build', () => {
  // the MIR optimizer inlines small functions, but not the program's own in a debuggable build (mir/opt/inline.ts):
  // with it `dist2` would not exist, and `break dist2` would say 'Function "dist2" not defined'
  it("stays a function that gdb breaks on, and the caller's locals are one frame up", async () => {
    const src = path.join(work, 'small.tml');
    fs.writeFileSync(
      src,
      'type Point { x: F64, y: F64 }\n\nfunc dist2(p: Point) -> F64 {\n    p.x * p.x + p.y * p.y\n}\n\nfunc main() {\n' +
        '    let s = "hello"\n    var xs = List[I32]::new()\n    xs.push(1)\n    xs.push(2)\n    let m: Maybe[I32] = Just(3)\n' +
        '    let p = Point { x: 3.0, y: 4.0 }\n    println("{s} {xs.len()} {m.unwrap()} {dist2(p)}")\n}\n',
    );
    const small = path.join(work, 'small');
    await execa('node', [TMLC, 'build', src, '-o', small], { cwd: work });
    const out = await gdb(['break dist2', 'run > /dev/null', 'info args', 'up', 'info locals'], true, small);
    expect(out).toBe(
      [
        'Breakpoint 1 at 0x…: file small.tml, line 4.',
        '',
        'Breakpoint 1, dist2 (p=...) at small.tml:4',
        '4\t    p.x * p.x + p.y * p.y',
        'p = {x = 3, y = 4}',
        '#1  0x… in main () at small.tml:14',
        '14\t    println("{s} {xs.len()} {m.unwrap()} {dist2(p)}")',
        's = "hello"',
        'xs = List(len=2) = {1, 2}',
        'm = Just(3)',
        'p = {x = 3, y = 4}',
      ].join('\n'),
    );
  }, 120_000);
});
