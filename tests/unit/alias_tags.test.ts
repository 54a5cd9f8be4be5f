// The `!tbaa` tags of optimised builds (codegen/alias_tags.ts, docs/decisions.md "Alias tags"): what is tagged (a class
// instance's number fields by their type, a class reference wherever it is loaded or stored), what is not (Bool and
// Str fields, struct fields, the header), and that a debug build has none. The program's output is checked too, built
// with `--release`, so the tags are there when it runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execaSync } from 'execa';
import { testTempDir } from '../setup/temp_dir.js';
import { irFunction } from '../setup/ir_text.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const TMLC = path.join(ROOT, 'bin/tmlc.js');
const tmp = testTempDir('tmlc-tbaa-');

const SRC = `class Tag {
    id: I64
    new(id: I64) { this.id = id }
}

class Body {
    x: F64
    n: I64
    k: I32
    on: Bool
    name: Str
    peer: Tag
    new(x: F64, n: I64, k: I32, peer: Tag) {
        this.x = x
        this.n = n
        this.k = k
        this.on = true
        this.name = "b"
        this.peer = peer
    }
}

type Point { x: F64, y: F64 }

func main() {
    let b = Body::new(1.5, 2, 3, Tag::new(7))
    var bodies = List[Body]::new()
    bodies.push(b)
    var pts = List[Point]::new()
    pts.push(Point { x: 1.0, y: 2.0 })
    let s = bodies[0].x + pts[0].y
    println("{s} {bodies[0].n} {bodies[0].k} {bodies[0].on} {bodies[0].name} {bodies[0].peer.id}")
}
`;
const file = path.join(tmp, 'tags.tml');
fs.writeFileSync(file, SRC);

function ir(...flags: string[]): string {
  const out = path.join(tmp, `tags${flags.join('')}.ll`);
  execaSync('node', [TMLC, 'build', file, '--emit=ir', ...flags, '-o', out]);
  return fs.readFileSync(out, 'utf8');
}

/** The scalar type name of each access tag (`!0` → "tml class reference"), read from the module's metadata. */
function tagNames(text: string): Map<string, string> {
  const nodes = new Map<string, string>();
  for (const m of text.matchAll(/^(!\d+) = !\{(.*)\}$/gm)) nodes.set(m[1]!, m[2]!);
  const names = new Map<string, string>();
  for (const [id, body] of nodes) {
    const access = /^(!\d+), \1, i64 0$/.exec(body);
    const scalar = access && /^!"([^"]+)", (!\d+), i64 0$/.exec(nodes.get(access[1]!) ?? '');
    if (scalar) names.set(id, scalar[1]!);
  }
  return names;
}

/** Each store in `fnBody` to field `index` of `%main.<cls>.object`: its value type and tag name (or 'none'). */
function fieldStores(text: string, fnBody: string, cls: string): string[] {
  const names = tagNames(text);
  const geps = new Map<string, number>();
  for (const m of fnBody.matchAll(new RegExp(`(%\\d+) = getelementptr inbounds %main\\.${cls}\\.object, [^\\n]*, i32 0, i32 (\\d+)`, 'g'))) {
    geps.set(m[1]!, Number(m[2]));
  }
  const out: string[] = [];
  for (const m of fnBody.matchAll(/store (\S+) [^,]+, \S+ (%\d+), align \d+(?:, !tbaa (!\d+))?/g)) {
    const field = geps.get(m[2]!);
    if (field !== undefined) out.push(`${field}: ${m[1]} ${m[3] ? names.get(m[3]) : 'none'}`);
  }
  return out;
}

describe('alias tags in an optimised build', () => {
  const release = ir('--release');

  it('tags a class instance number fields by type and its class-typed field as a class reference; Bool and Str fields are not tagged', () => {
    expect(fieldStores(release, irFunction(release, 'tml.main.Body.new$4'), 'Body')).toEqual([
      '2: double double',
      '3: i64 long',
      '4: i32 int',
      '5: i1 none',
      '6: i8* none',
      '7: i8* tml class reference',
    ]);
  });

  it('tags the load of a class reference from a list element and in the drop glue', () => {
    const names = tagNames(release);
    const glue = irFunction(release, 'drop$main.Body');
    const load = /load i8\*, i8\*\* %\d+, align 8, !tbaa (!\d+)/.exec(glue);
    expect(load && names.get(load[1]!)).toBe('tml class reference');
    const push = irFunction(release, 'tml.core.collections.List.push$main.Body');
    const element = /store i8\* %\d+, i8\*\* %\d+, align 8, !tbaa (!\d+)/.exec(push);
    expect(element && names.get(element[1]!)).toBe('tml class reference');
  });

  it('leaves struct fields untagged: a Point in a list is only ever read and written without a tag', () => {
    const main = irFunction(release, 'tml.main.main');
    const pointGeps = [...main.matchAll(/(%\d+) = getelementptr inbounds %main\.Point, /g)].map((m) => m[1]!);
    expect(pointGeps.length).toBeGreaterThan(0);
    for (const g of pointGeps) expect(main).not.toMatch(new RegExp(`double\\* ${g}, align 8, !tbaa`));
  });

  it('uses one metadata root, the C one, so the tags compare with the runtime inline bitcode', () => {
    expect(release.match(/!\{!"Simple C\/C\+\+ TBAA"\}/g)).toHaveLength(1);
    expect([...new Set(tagNames(release).values())].sort()).toEqual(['double', 'int', 'long', 'tml class reference']);
  });

  it('the program runs with them', () => {
    const exe = path.join(tmp, 'tags');
    execaSync('node', [TMLC, 'build', '--release', file, '-o', exe]);
    expect(execaSync(exe).stdout).toBe('3.5 2 3 true b 7');
  });
});

describe('alias tags in a debug build', () => {
  it('there are none (-O0 does not use them, and tagging costs compile time)', () => {
    expect(ir()).not.toContain('!tbaa');
    expect(ir('-O1')).toContain('!tbaa');
  });
});
