// `npm ci`'s postinstall (after `patch-package` has applied patches/llvm-bindings+0.4.2.patch): build llvm-bindings'
// native addon from its now patched sources with cmake-js, as its own install script would (package.json's
// allowScripts keeps npm from running that script, which would build the unpatched sources first and so build
// twice). Skipped when the addon was already built from the same patch. Usage: node ci/build_llvm_bindings.mjs [--force]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = path.join(root, 'node_modules', 'llvm-bindings');
const addon = path.join(pkg, 'build', 'Release', 'llvm-bindings.node');
const stampFile = path.join(pkg, 'build', 'tmlc-patch.sha256');

const patches = readdirSync(path.join(root, 'patches'))
  .filter((f) => f.startsWith('llvm-bindings+'))
  .sort();
const hash = createHash('sha256');
for (const f of patches) hash.update(readFileSync(path.join(root, 'patches', f)));
const stamp = hash.digest('hex');

if (!process.argv.includes('--force') && existsSync(addon) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.log('llvm-bindings: the addon is already built with this patch');
  process.exit(0);
}

// cmake-js takes Node's headers from npm's `nodedir` (the machine's npmrc sets /usr); without one it would download
// them, which these machines cannot: default to the headers installed beside this node binary
const env = { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}` };
const nodePrefix = path.resolve(path.dirname(process.execPath), '..');
if (!env.npm_config_nodedir && existsSync(path.join(nodePrefix, 'include', 'node', 'node.h'))) env.npm_config_nodedir = nodePrefix;

console.log('llvm-bindings: building the patched addon with cmake-js (about 2.5 minutes)');
// llvm-bindings' own cmake-js (its dependency), wherever npm placed it
const cmakeJs = createRequire(path.join(pkg, 'package.json')).resolve('cmake-js/bin/cmake-js');
execFileSync(process.execPath, [cmakeJs, 'compile'], { cwd: pkg, env, stdio: 'inherit' });
if (!existsSync(addon)) {
  console.error(`llvm-bindings: cmake-js finished but ${addon} is missing`);
  process.exit(1);
}
writeFileSync(stampFile, stamp);
