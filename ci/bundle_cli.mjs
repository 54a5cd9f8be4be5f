#!/usr/bin/env node
// `npm run build`'s second step: bundle the compiled CLI (dist/) into one CommonJS file, so that starting tmlc reads
// and resolves one file instead of about 130 modules and their dependencies, and bin/tmlc.js can keep a V8 code
// cache for it (Node 20 offers one only for scripts: vm.Script's cachedData). Measured in docs/decisions.md
// ("Start-up"). Writes dist/compiler/src/cli/tmlc.cjs and, for `tmlc test`'s compile workers,
// dist/compiler/src/cli/compile_worker.cjs: at the depth of the modules they replace, so that the paths the
// compiler finds relative to its own file (package.json, stdlib/) stay the same. llvm-bindings (a native addon)
// stays outside. Without esbuild (it comes with vitest, a dev dependency) nothing is bundled and bin/tmlc.js runs
// dist/ as it is; it does the same whenever a file the bundle was made from is newer than the bundle (a `tsc` after
// this step): tmlc.cjs.inputs lists them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'dist', 'compiler', 'src', 'cli');

const SNAPSHOT_OUTPUTS = ['tmlc_snapshot.cjs', 'tmlc.snapshot.inputs', 'tmlc.snapshot.blob', 'tmlc.snapshot.stamp'];
const outputs = ['tmlc.cjs', 'tmlc.cjs.cache', 'tmlc.cjs.cache.full', 'tmlc.cjs.inputs', 'compile_worker.cjs', ...SNAPSHOT_OUTPUTS].map((f) => path.join(cli, f));
for (const f of outputs) rmSync(f, { force: true });

/** The CLI stays unbundled (bin/tmlc.js runs dist/), which is slower to start but correct: say why, fail nothing. */
function unbundled(why) {
  for (const f of outputs) rmSync(f, { force: true });
  console.error(`bundle_cli: ${why}; bin/tmlc.js will run dist/ unbundled`);
  process.exit(0);
}

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  unbundled('esbuild is not installed');
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['llvm-bindings'],
  // import() of an external module would stay import(), which a vm.Script cannot run on Node 20 (it needs
  // --experimental-vm-modules): make esbuild turn it into require()
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
  // import.meta.url in a CommonJS bundle: the bundle's own URL
  define: { 'import.meta.url': '__tmlc_bundle_url' },
  banner: { js: "const __tmlc_bundle_url = require('node:url').pathToFileURL(__filename).href;" },
};
try {
  const made = await esbuild.build({ ...common, metafile: true, entryPoints: [path.join(cli, 'main.js')], outfile: path.join(cli, 'tmlc.cjs') });
  // bin/tmlc.js could not run an import() that is left
  if (/\bimport\(/.test(readFileSync(path.join(cli, 'tmlc.cjs'), 'utf8'))) unbundled('the bundle still contains import()');
  await esbuild.build({ ...common, entryPoints: [path.join(root, 'dist', 'compiler', 'src', 'testing', 'compile_worker.js')], outfile: path.join(cli, 'compile_worker.cjs') });
  // last: the list of inputs is what makes bin/tmlc.js use the bundle
  writeFileSync(path.join(cli, 'tmlc.cjs.inputs'), JSON.stringify(Object.keys(made.metafile.inputs).map((f) => path.resolve(f))));
} catch (e) {
  unbundled(`esbuild failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
}

// The start-up snapshot (compiler/src/cli/snapshot.ts; docs/decisions.md, "A start-up snapshot"): the CLI bundled
// once more from snapshot.js, run under `node --build-snapshot` with the flags bin/tmlc.js gives V8 (a blob only
// loads under the flags it was made with), and the stamp bin/tmlc checks before it uses the blob. Without one, bin/tmlc
// runs bin/tmlc.js: a failure here costs start-up time only, so it is reported and the build goes on.
// Two things make the blob start faster (docs/decisions.md, "Hello within 2x of clang"):
// - the bundle is minified (whitespace and syntax, names kept): the heap holds its source, and every megabyte of blob
//   costs start-up time (Node copies the blob twice before V8 deserialises it);
// - it is compiled with --no-lazy, so the heap holds bytecode for every function, also those the warm-up cannot run
//   (code generation, linking, execa): a build compiled them from source on first call, a fifth of hello's CPU time.
//   The banner turns --lazy back on before anything runs, so the blob's flags are bin/tmlc's.
function noSnapshot(why) {
  for (const f of SNAPSHOT_OUTPUTS) rmSync(path.join(cli, f), { force: true });
  console.error(`bundle_cli: no start-up snapshot (${why}); bin/tmlc will run bin/tmlc.js`);
}
/**
 * The files whose modification times tell whether the snapshot is older than what it was made from (snapshot.ts
 * `snapshotIsCurrent` stats each, on every command): not all 360 inputs, which took 2 ms, but one file of dist/,
 * since tsc writes every file of dist/ on every run (a `tsc` after `npm run build` makes them all newer), and the
 * package.json of each npm package, which npm writes whenever it installs the package. Other inputs stay.
 */
function stalenessProbes(inputs) {
  const dist = path.join(root, 'dist') + path.sep;
  const probes = new Set();
  for (const f of inputs) {
    const pkg = /^(.*[/\\]node_modules[/\\](?:@[^/\\]+[/\\])?[^/\\]+)[/\\]/.exec(f);
    if (pkg) probes.add(path.join(pkg[1], 'package.json'));
    else if (!f.startsWith(dist)) probes.add(f);
  }
  return [path.join(cli, 'snapshot.js'), ...probes];
}
// `tmlc lsp` never starts from the snapshot (bin/tmlc and snapshot.ts's main run it through bin/tmlc.js, keeping
// TurboFan), so the snapshot leaves out the language server and vscode-languageserver, a fifth of the bundle
const STUB_NAMESPACE = 'tmlc-snapshot-stub';
const withoutLanguageServer = {
  name: 'without-language-server',
  setup(b) {
    b.onResolve({ filter: /[/\\]lsp[/\\]server\.js$/ }, () => ({ path: 'lsp/server.js', namespace: STUB_NAMESPACE }));
    b.onLoad({ filter: /.*/, namespace: STUB_NAMESPACE }, () => ({
      contents: "export function startServer() { throw new Error('the start-up snapshot has no language server: tmlc lsp runs through bin/tmlc.js'); }",
      loader: 'js',
    }));
  },
};
try {
  const entry = path.join(cli, 'tmlc_snapshot.cjs');
  const made = await esbuild.build({
    ...common,
    metafile: true,
    entryPoints: [path.join(cli, 'snapshot.js')],
    outfile: entry,
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [withoutLanguageServer],
    // the script `node --build-snapshot` runs gets a require() for Node's built-in modules only; llvm-bindings,
    // the one module left outside the bundle, is loaded after the snapshot is restored, from beside the bundle
    banner: {
      js: [
        // compiled under --no-lazy (below); what runs from here on, the warm-up included, compiles lazily again
        "require('node:v8').setFlagsFromString('--lazy');",
        'var require = ((builtin) => { let outside = null; return (id) => {',
        "  if (builtin('node:module').isBuiltin(id)) return builtin(id);",
        "  outside ??= builtin('node:module').createRequire(__filename);",
        '  return outside(id);',
        '}; })(require);',
        // nor a module object: the bundle's exports (snapshot.ts's functions, for its tests) go nowhere
        "var module = typeof module === 'object' ? module : { exports: {} };",
        'var exports = module.exports;',
        common.banner.js,
      ].join('\n'),
    },
  });
  const flags = JSON.parse(readFileSync(path.join(root, 'bin', 'one_shot_v8_flags.json'), 'utf8'));
  const blob = path.join(cli, 'tmlc.snapshot.blob');
  const built = spawnSync(process.execPath, [...flags, '--no-lazy', '--no-warnings', '--snapshot-blob', blob, '--build-snapshot', entry], { encoding: 'utf8' });
  if (built.status !== 0 || !existsSync(blob)) {
    noSnapshot(`node --build-snapshot failed: ${(built.stderr || built.error?.message || `status ${built.status}`).trim().split('\n').slice(-3).join(' / ')}`);
  } else {
    // files only: the language server's stand-in is no file
    const files = Object.keys(made.metafile.inputs).filter((f) => !f.startsWith(`${STUB_NAMESPACE}:`));
    writeFileSync(path.join(cli, 'tmlc.snapshot.inputs'), JSON.stringify(stalenessProbes(files.map((f) => path.resolve(f)))));
    // The Node the blob is for (for people: its path and version) and the V8 flags to start it with. bin/tmlc knows
    // that Node by the stamp's modification time, which is the binary's to the nanosecond (`touch -r`; `[ -nt ]`
    // and `[ -ot ]` compare it without starting a process).
    const stamp = path.join(cli, 'tmlc.snapshot.stamp');
    writeFileSync(stamp, `${process.execPath} ${process.version}\n${flags.join(' ')}\n`);
    const touched = spawnSync('touch', ['-r', process.execPath, stamp], { encoding: 'utf8' });
    const mtime = (f) => statSync(f, { bigint: true }).mtimeNs;
    if (touched.status !== 0 || mtime(stamp) !== mtime(process.execPath)) {
      noSnapshot(`cannot give the stamp the modification time of ${process.execPath}: ${(touched.stderr || touched.error?.message || 'the times differ').trim()}`);
    }
  }
} catch (e) {
  noSnapshot(e instanceof Error ? e.message.split('\n')[0] : String(e));
}
