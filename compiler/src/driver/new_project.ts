// `tmlc new NAME`: a project directory with a manifest, an entry file, a module it uses and a test of that module,
// so that `tmlc build`, `tmlc run` and `tmlc test` work in it at once.
import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, PROJECT_NAME } from './manifest.js';
import { UsageError } from './settings.js';

/** The files of a new project, by path relative to its directory. */
export function projectFiles(name: string): Map<string, string> {
  return new Map([
    [MANIFEST_FILE, `[package]\nname = "${name}"\nversion = "0.1.0"\nentry = "src/main.tml"\n`],
    ['src/main.tml', `use greeting\n\nfunc main() {\n    println(greeting::hello("${name}"))\n}\n`],
    [
      'src/greeting.tml',
      '// A module of the project: `use greeting` finds src/greeting.tml from src/ and from tests/.\n' +
        '// Only `pub` items can be used from other modules.\n\n' +
        'pub func hello(name: Str) -> Str {\n    "Hello from {name}!"\n}\n',
    ],
    [
      'tests/greeting_test.tml',
      'use test\nuse greeting\n\n@test\nfunc says_hello() {\n    assert_eq(greeting::hello("tml"), "Hello from tml!", "the greeting")\n}\n',
    ],
    ['.gitignore', 'target/\n'],
  ]);
}

/** Create project NAME in `parent`; returns its directory. Refuses a bad name or an existing path. */
export function createProject(name: string, parent: string = process.cwd()): string {
  if (!PROJECT_NAME.test(name)) {
    throw new UsageError(`\`${name}\` is not a valid project name (letters, digits, '_' and '-', starting with a letter)`);
  }
  const dir = path.resolve(parent, name);
  if (fs.existsSync(dir)) throw new UsageError(`destination \`${dir}\` already exists`);
  for (const [rel, text] of projectFiles(name)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}
