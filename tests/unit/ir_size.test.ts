// The IR that code generation makes smaller (issue 13, the IR-size goal): joins of Str pieces and aggregates of
// constants — what the IR must contain, what it must no longer contain, and the cases left as they were. The
// programs are tests/programs/run's (their output is checked there, with and without the optimizer).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../setup/temp_dir.js';
import { execaSync } from 'execa';
import { irFunction } from '../setup/ir_text.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const tmp = testTempDir('tmlc-irsize-');

/** The debug IR of a program (a file of tests/programs/run, or source text). */
function debugIr(name: string, source?: string): string {
  const file = source === undefined ? path.join(ROOT, 'tests/programs/run', `${name}.tml`) : path.join(tmp, `${name}.tml`);
  if (source !== undefined) fs.writeFileSync(file, source);
  const ll = path.join(tmp, `${name}.ll`);
  execaSync('node', [path.join(ROOT, 'bin/tmlc.js'), 'build', file, '--emit=ir', '-o', ll]);
  return fs.readFileSync(ll, 'utf8');
}

const count = (text: string, re: RegExp) => text.match(new RegExp(re.source, 'g'))?.length ?? 0;

describe('joins of Str pieces', () => {
  const SRC = `func describe(x: I64, y: U8, tag: Str) -> Str {
    "v=({x}, {y}) " + tag + "!"
}
func pair(a: Str, b: Str) -> Str {
    a + b
}
func one(x: I64) -> Str {
    "{x}"
}
func main() {
    println(describe(-3, 200, "t"))
    println(pair("a", "b"))
    println(one(7))
}
`;
  it('pushes every piece of an interpolation and a + chain into one join, integers without a Str of their own', () => {
    const d = irFunction(debugIr('join', SRC), 'tml.main.describe');
    expect(count(d, /call i8\* @tml_join_finish\(/)).toBe(1);
    // "v=(", x, ", ", y, ") ", tag, "!": seven pushes
    expect(count(d, /call void @tml_join_(str|i64|u64)\(/)).toBe(7);
    expect(count(d, /call void @tml_join_u64\(/)).toBe(1);
    expect(d).not.toContain('@tml_str_concat');
    expect(d).not.toContain('@tml_str_from_i64');
    // the buffer is zeroed by one store
    expect(count(d, /store \{ i8\*, i64, i64 \} zeroinitializer/)).toBe(1);
  });

  it('leaves a join of two pieces one tml_str_concat, and of one formatted value that value', () => {
    const ir = debugIr('join', SRC);
    const p = irFunction(ir, 'tml.main.pair');
    expect(count(p, /@tml_str_concat\(/)).toBe(1);
    expect(p).not.toContain('tml_join');
    const o = irFunction(ir, 'tml.main.one');
    expect(count(o, /@tml_str_from_i64\(/)).toBe(1);
    expect(o).not.toContain('tml_join');
    expect(o).not.toContain('tml_str_concat');
  });
});

describe('aggregates of constants', () => {
  it('passes constant enum values as LLVM constants and stores a constant array in one store', () => {
    const m = irFunction(debugIr('const_aggregate_values'), 'tml.main.main');
    expect(m).toContain('call i64 @tml.main.area(%main.Shape { i32 1, [3 x i64] [i64 -3, i64 5, i64 0] })');
    // Tri(-128, 100, false): the I8 is one byte, the I64 at offset 8, the Bool at 16
    expect(m).toContain('call i64 @tml.main.area(%main.Shape { i32 2, [3 x i64] [i64 128, i64 100, i64 0] })');
    // Mixed(255, -2, 7, -9000000000): U8 at 0, I32 at 4, U8 at 8, I64 at 16
    expect(m).toContain(`[i64 ${(0xfffffffen << 32n) | 255n}, i64 7, i64 -9000000000]`.replace(/\d{19,}/, (d) => String(BigInt.asIntN(64, BigInt(d)))));
    expect(m).toContain('call i64 @tml.main.hue(%main.Color { i32 2, [0 x i8] zeroinitializer })');
    expect(m).toContain('store [4 x i64] [i64 5, i64 -8, i64 1, i64 2], [4 x i64]* %arr');
  });

  it('builds an aggregate with a value that is not constant in memory, as before', () => {
    const m = irFunction(debugIr('const_aggregate_values'), 'tml.main.main');
    // Shape::Rect(w, 5): one temporary slot, its tag and fields stored one by one
    expect(count(m, /= alloca %main\.Shape,/)).toBe(1);
    expect(m).toMatch(/store i32 1, i32\* %\d+/);
  });
});

describe('constants and closure environments', () => {
  it('uses a literal constant as its value, and keeps the value function of a computed one', () => {
    const ir = debugIr('const_literal_uses');
    const defined = [...ir.matchAll(/^define [^@]*@"?([\w.$]+)"?\(/gm)].map((m) => m[1]);
    expect(defined).toContain('tml.main.H'); // H = A * 2
    for (const literal of ['A', 'B', 'C', 'D', 'E', 'F', 'G']) expect(defined).not.toContain(`tml.main.${literal}`);
  });

  it('gives a closure environment drop glue only when a capture needs dropping', () => {
    const ir = debugIr(
      'closures',
      `func apply(f: func(I64) -> I64, x: I64) -> I64 {
    f(x)
}
func main() {
    let k: I64 = 3
    let s = "held"
    println(apply(do(x) x * k, 2))
    println(apply(do(x) x + s.len(), 2))
}
`,
    );
    const envDrops = [...ir.matchAll(/^define [^@]*@"([\w.$]+\$envdrop)"\(/gm)].map((m) => m[1]);
    // the second closure captures a Str; the first only an I64
    expect(envDrops).toEqual(['tml.main.main$closure1$envdrop']);
    expect(ir).toMatch(/store i8\* null, i8\*\* %\d+/);
  });
});

describe('closure environments on the stack', () => {
  const file = path.join(ROOT, 'tests/mir_opt/closure_env_called.tml');
  const mir = (...flags: string[]) => {
    const out = path.join(tmp, `closure_env${flags.join('')}.mir`);
    execaSync('node', [path.join(ROOT, 'bin/tmlc.js'), 'build', file, '--emit=mir', '-o', out, ...flags]);
    const text = fs.readFileSync(out, 'utf8');
    return text.slice(text.indexOf('fn main [tml.main.main]'));
  };

  it('calls a closure only called where it is made directly, with its environment on the stack, in --release', () => {
    const m = mir('--release');
    expect(m).not.toMatch(/= closure tml\.main\.main\$closure/);
    expect(m).toMatch(/call tml\.main\.main\$closure1\(copy _\d+, const 2\)/);
    expect(m).toMatch(/call tml\.main\.main\$closure1\$envdrop\(copy _\d+\)/);
  });

  it('leaves a closure the program named as it is in a debug build (the debugger shows it)', () => {
    const m = mir();
    expect(m).toMatch(/= closure tml\.main\.main\$closure0 \[/);
    expect(m).toMatch(/= closure tml\.main\.main\$closure1 \[/);
  });
});

describe('printing one integer', () => {
  it('prints its digits without a Str, and a value shown through Display still makes one', () => {
    const m = irFunction(debugIr('print_integers'), 'tml.main.main');
    expect(count(m, /call void @tml_print_i64\(/)).toBe(9);
    expect(count(m, /call void @tml_print_u64\(/)).toBe(3);
    // the I128 goes through tml_str_from_i128 and tml_println as before
    expect(count(m, /@tml_str_from_i128\(/)).toBe(1);
    expect(count(m, /call void @tml_println\(/)).toBe(1);
    expect(m).not.toContain('@tml_str_from_i64');
  });
});
