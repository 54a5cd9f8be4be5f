#!/usr/bin/env node
// Generates the large compile-speed benchmark: a deterministic TML program of about 10,000 lines and its C twin
// (the same functions, written the way C writes them), for benchmarks/compile_speed.sh.
//
//   node benchmarks/gen_large.mjs [--lines N] [--out DIR] [--check]
//
// Writes DIR/large.tml and DIR/large.c (default DIR: benchmarks/out). The TML program is made of "units": each has
// a const, a struct with an impl (static constructor, `this` and `mut this` methods), a payload enum and a unit
// enum matched with `when` (guards, qualified variants), integer `when` with ranges, recursion, a tuple return,
// loops of every kind (`for … to`, `while`, `loop` with break/continue) over integers and a fixed array, bitwise
// operators, closures (capturing, passed to a higher-order function), string interpolation and concatenation.
// Only features the compiler supports today (no List/HashMap/Heap/classes/dyn). Every number stays small, so the
// debug build's overflow checks never fire and the C twin has no undefined behaviour. `main` prints one line per
// unit and a checksum; the two programs print the same text.
//
// --check builds both (tmlc build, clang-14 -O0), runs them and fails unless their outputs are identical.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);

function parseArgs(argv) {
  const o = { lines: 10_000, out: path.join(here, 'out'), check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--lines') o.lines = Number.parseInt(argv[++i], 10);
    else if (a === '--out') o.out = path.resolve(argv[++i]);
    else if (a === '--check') o.check = true;
    else {
      process.stderr.write(`usage: gen_large.mjs [--lines N] [--out DIR] [--check]\n(unknown argument ${a})\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(o.lines) || o.lines < 200) {
    process.stderr.write('gen_large.mjs: --lines must be an integer >= 200\n');
    process.exit(2);
  }
  return o;
}

/** A small deterministic generator (LCG), so the program is the same on every run. */
function rng(seed) {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s % (hi - lo + 1));
  };
}

/** The constants that make unit `k` differ from the others. */
function unitParams(k) {
  const r = rng(0x5eed + k * 7919);
  return {
    k,
    base: r(1, 50), // the const
    vx: r(-20, 20),
    vy: r(-20, 20),
    d: r(1, 9), // shift amount
    wx: r(-9, 9),
    r: r(1, 9), // circle radius
    sq: r(1, 9), // square side
    rw: r(1, 9),
    rh: r(10, 19), // never a square
    t1: r(1, 9),
    t2: r(1, 9),
    t3: r(1, 9),
    mod: r(3, 7), // loops: skip every mod-th
    mul: r(2, 9),
    m2: r(7, 13),
    step: r(1, 3),
    kstep: r(3, 9),
    mask: [15, 31, 63, 127, 255][r(0, 4)],
    n: r(20, 60), // loop bound
    arr: Array.from({ length: 8 }, () => r(0, 9)),
    factor: r(2, 6),
    add: r(0, 9),
    cn: r(10, 30), // closure loop bound
    lim: r(100, 1000),
    fib: r(5, 12),
    cls: r(0, 120), // classify argument
    color: r(0, 2),
  };
}

const COLORS = ['Red', 'Green', 'Blue'];

function tmlUnit(p) {
  const k = p.k;
  const V = `Vec${k}`;
  const S = `Shape${k}`;
  const C = `Color${k}`;
  return `// ---- unit ${k} ----
const BASE${k}: I64 = ${p.base}

type ${V} { x: I64, y: I64 }

impl ${V} {
    func new(x: I64, y: I64) -> ${V} { ${V} { x, y } }

    func dot(this, o: ${V}) -> I64 {
        this.x * o.x + this.y * o.y
    }

    func shift(mut this, d: I64) {
        this.x += d
        this.y -= d
    }
}

type ${S} { Circle(I64), Rect(I64, I64), Tri(I64, I64, I64), Empty }

type ${C} { Red, Green, Blue }

func area${k}(s: ${S}) -> I64 {
    when s {
        ${S}::Circle(r) => 3 * r * r,
        ${S}::Rect(w, h) if w == h => w * w + 1,
        ${S}::Rect(w, h) => w * h,
        ${S}::Tri(a, b, c) => a + b + c,
        ${S}::Empty => 0,
    }
}

func hue${k}(c: ${C}) -> I64 {
    when c {
        ${C}::Red => 1,
        ${C}::Green => 2,
        ${C}::Blue => 3,
    }
}

func classify${k}(n: I64) -> I64 {
    when n {
        0 => 1,
        1 through 9 => n * 2,
        10 to 100 => n + BASE${k},
        _ => n % ${p.mod + 10},
    }
}

func fib${k}(n: I64) -> I64 {
    if n < 2 then n else fib${k}(n - 1) + fib${k}(n - 2)
}

func minmax${k}(a: I64, b: I64) -> (I64, I64) {
    if a < b then (a, b) else (b, a)
}

func loops${k}(n: I64) -> I64 {
    var total: I64 = 0
    for i in 0 to n {
        if i % ${p.mod} == 0 then continue
        total += i * ${p.mul} % ${p.m2}
    }
    var j: I64 = 0
    while j < n {
        total += j ^ ((j << 1) & ${p.mask})
        j += ${p.step}
    }
    var k: I64 = 0
    loop {
        k += ${p.kstep}
        if k > n then break
    }
    let arr = [${p.arr.join(', ')}]
    for i in 0 to 8 {
        total += arr[i] as I64
    }
    total + k
}

func apply${k}(f: func(I64) -> I64, x: I64) -> I64 {
    f(f(x))
}

func closures${k}(n: I64) -> I64 {
    let factor: I64 = ${p.factor}
    let scale = do(x: I64) -> I64 { x * factor + ${p.add} }
    var acc: I64 = 0
    for i in 0 to n {
        acc += scale(i) % ${p.lim}
    }
    acc + apply${k}(do(x) x + factor, ${p.add})
}

func describe${k}(v: ${V}, t: I64) -> Str {
    let tag = if t % 2 == 0 then "even" else "odd"
    "unit ${k}: v=({v.x}, {v.y}) total={t} " + tag
}

func run${k}() -> I64 {
    var v = ${V}::new(${p.vx}, ${p.vy})
    v.shift(${p.d})
    let w = ${V} { x: ${p.wx}, ..v }
    let a = area${k}(${S}::Circle(${p.r})) + area${k}(${S}::Rect(${p.sq}, ${p.sq})) + area${k}(${S}::Rect(${p.rw}, ${p.rh}))
        + area${k}(${S}::Tri(${p.t1}, ${p.t2}, ${p.t3})) + area${k}(${S}::Empty)
    let (lo, hi) = minmax${k}(v.x, w.y)
    let t = v.dot(w) + a + classify${k}(${p.cls}) + loops${k}(${p.n}) + closures${k}(${p.cn})
        + fib${k}(${p.fib}) + hue${k}(${C}::${COLORS[p.color]}) + hi - lo
    let s = describe${k}(v, t)
    println(s)
    println(s.len())
    t
}

`;
}

function cUnit(p) {
  const k = p.k;
  const V = `Vec${k}`;
  const S = `Shape${k}`;
  const C = `Color${k}`;
  return `/* ---- unit ${k} ---- */
static const int64_t BASE${k} = ${p.base};

typedef struct { int64_t x, y; } ${V};

static ${V} ${V}_new(int64_t x, int64_t y) { ${V} v = { x, y }; return v; }

static int64_t ${V}_dot(const ${V} *self, ${V} o) {
    return self->x * o.x + self->y * o.y;
}

static void ${V}_shift(${V} *self, int64_t d) {
    self->x += d;
    self->y -= d;
}

typedef enum { ${S}_Circle, ${S}_Rect, ${S}_Tri, ${S}_Empty } ${S}Tag;
typedef struct { ${S}Tag tag; int64_t a, b, c; } ${S};

typedef enum { ${C}_Red, ${C}_Green, ${C}_Blue } ${C};

static int64_t area${k}(${S} s) {
    switch (s.tag) {
    case ${S}_Circle: return 3 * s.a * s.a;
    case ${S}_Rect: return s.a == s.b ? s.a * s.a + 1 : s.a * s.b;
    case ${S}_Tri: return s.a + s.b + s.c;
    case ${S}_Empty: return 0;
    }
    abort();
}

static int64_t hue${k}(${C} c) {
    switch (c) {
    case ${C}_Red: return 1;
    case ${C}_Green: return 2;
    case ${C}_Blue: return 3;
    }
    abort();
}

static int64_t classify${k}(int64_t n) {
    if (n == 0) return 1;
    if (n >= 1 && n <= 9) return n * 2;
    if (n >= 10 && n < 100) return n + BASE${k};
    return n % ${p.mod + 10};
}

static int64_t fib${k}(int64_t n) {
    return n < 2 ? n : fib${k}(n - 1) + fib${k}(n - 2);
}

static Pair minmax${k}(int64_t a, int64_t b) {
    Pair r;
    if (a < b) { r.a = a; r.b = b; } else { r.a = b; r.b = a; }
    return r;
}

static int64_t loops${k}(int64_t n) {
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++) {
        if (i % ${p.mod} == 0) continue;
        total += i * ${p.mul} % ${p.m2};
    }
    int64_t j = 0;
    while (j < n) {
        total += j ^ ((j << 1) & ${p.mask});
        j += ${p.step};
    }
    int64_t k = 0;
    for (;;) {
        k += ${p.kstep};
        if (k > n) break;
    }
    const int32_t arr[8] = { ${p.arr.join(', ')} };
    for (int i = 0; i < 8; i++) {
        total += (int64_t)arr[i];
    }
    return total + k;
}

static int64_t apply${k}(Fn f, int64_t x) {
    return f.fn(f.env, f.fn(f.env, x));
}

typedef struct { int64_t factor; } Closure${k}Env;

static int64_t scale${k}(const void *env, int64_t x) {
    return x * ((const Closure${k}Env *)env)->factor + ${p.add};
}

static int64_t plus${k}(const void *env, int64_t x) {
    return x + ((const Closure${k}Env *)env)->factor;
}

static int64_t closures${k}(int64_t n) {
    Closure${k}Env env = { ${p.factor} };
    Fn scale = { scale${k}, &env };
    int64_t acc = 0;
    for (int64_t i = 0; i < n; i++) {
        acc += scale.fn(scale.env, i) % ${p.lim};
    }
    Fn plus = { plus${k}, &env };
    return acc + apply${k}(plus, ${p.add});
}

static char *describe${k}(${V} v, int64_t t) {
    const char *tag = t % 2 == 0 ? "even" : "odd";
    return format("unit ${k}: v=(%lld, %lld) total=%lld %s", (long long)v.x, (long long)v.y, (long long)t, tag);
}

static int64_t run${k}(void) {
    ${V} v = ${V}_new(${p.vx}, ${p.vy});
    ${V}_shift(&v, ${p.d});
    ${V} w = v;
    w.x = ${p.wx};
    int64_t a = area${k}((${S}){ ${S}_Circle, ${p.r}, 0, 0 }) + area${k}((${S}){ ${S}_Rect, ${p.sq}, ${p.sq}, 0 })
        + area${k}((${S}){ ${S}_Rect, ${p.rw}, ${p.rh}, 0 }) + area${k}((${S}){ ${S}_Tri, ${p.t1}, ${p.t2}, ${p.t3} })
        + area${k}((${S}){ ${S}_Empty, 0, 0, 0 });
    Pair mm = minmax${k}(v.x, w.y);
    int64_t t = ${V}_dot(&v, w) + a + classify${k}(${p.cls}) + loops${k}(${p.n}) + closures${k}(${p.cn})
        + fib${k}(${p.fib}) + hue${k}(${C}_${COLORS[p.color]}) + mm.b - mm.a;
    char *s = describe${k}(v, t);
    puts(s);
    printf("%zu\\n", strlen(s));
    free(s);
    return t;
}

`;
}

const TML_HEADER = (units, lines) => `// Generated by benchmarks/gen_large.mjs (${units} units, ${lines} lines): the large compile-speed benchmark.
// Its C twin is large.c. Do not edit; regenerate.

`;

const C_HEADER = (units) => `/* Generated by benchmarks/gen_large.mjs (${units} units): the C twin of large.tml. Do not edit; regenerate. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { int64_t a, b; } Pair;
typedef struct { int64_t (*fn)(const void *env, int64_t x); const void *env; } Fn;

/* A heap string, as TML's interpolation builds one. */
static char *format(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    if (s == NULL) abort();
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

`;

function countLines(s) {
  return s.split('\n').length - 1;
}

export function generate(targetLines) {
  const tmlUnits = [];
  const cUnits = [];
  const mainLines = (n) => 5 + n; // func main() {, var sum, n calls, println, }
  let lines = countLines(TML_HEADER(0, 0));
  for (let k = 0; ; k++) {
    // add units until the program reaches the target (so it is at least that long)
    if (k > 0 && lines + mainLines(k) >= targetLines) break;
    const u = tmlUnit(unitParams(k));
    tmlUnits.push(u);
    cUnits.push(cUnit(unitParams(k)));
    lines += countLines(u);
  }
  const n = tmlUnits.length;
  const calls = Array.from({ length: n }, (_, k) => `    sum += run${k}()\n`).join('');
  const tmlMain = `func main() {\n    var sum: I64 = 0\n${calls}    println("checksum {sum}")\n}\n`;
  const cCalls = Array.from({ length: n }, (_, k) => `    sum += run${k}();\n`).join('');
  const cMain = `int main(void) {\n    int64_t sum = 0;\n${cCalls}    printf("checksum %lld\\n", (long long)sum);\n    return 0;\n}\n`;
  let body = tmlUnits.join('') + tmlMain;
  const total = countLines(TML_HEADER(n, 0)) + countLines(body);
  const tml = TML_HEADER(n, total) + body;
  const c = C_HEADER(n) + cUnits.join('') + cMain;
  return { tml, c, units: n };
}

function run(cmd, args) {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
}

const o = parseArgs(process.argv.slice(2));
const g = generate(o.lines);
mkdirSync(o.out, { recursive: true });
const tmlPath = path.join(o.out, 'large.tml');
const cPath = path.join(o.out, 'large.c');
writeFileSync(tmlPath, g.tml);
writeFileSync(cPath, g.c);
process.stdout.write(`wrote ${path.relative(process.cwd(), tmlPath) || tmlPath} (${countLines(g.tml)} lines, ${g.units} units) and ${path.relative(process.cwd(), cPath) || cPath} (${countLines(g.c)} lines)\n`);

if (o.check) {
  const tmlExe = path.join(o.out, 'large_tml');
  const cExe = path.join(o.out, 'large_c');
  run('node', [path.join(root, 'bin', 'tmlc.js'), 'build', tmlPath, '-o', tmlExe]);
  run('clang-14', ['-O0', '-std=c11', '-Wall', '-Werror', cPath, '-o', cExe]);
  const a = run(tmlExe, []);
  const b = run(cExe, []);
  if (a !== b) {
    const al = a.split('\n');
    const bl = b.split('\n');
    const i = al.findIndex((l, j) => l !== bl[j]);
    process.stderr.write(`check FAILED: the outputs differ at line ${i + 1}:\n  tml: ${al[i]}\n  c:   ${bl[i]}\n`);
    process.exit(1);
  }
  const last = a.trimEnd().split('\n').pop();
  process.stdout.write(`check ok: both print the same ${countLines(a)} lines (${last})\n`);
}
