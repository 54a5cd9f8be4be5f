// Generates docs/library.md, the reference of the standard library, from the library's TML sources: each module's
// `//!` header, and every public item with its `///` doc comment (node ci/library_docs.mjs > docs/library.md; a
// test checks the file is up to date and that no public item lacks a doc comment). The built-in methods of the
// primitive types, which the compiler provides (compiler/src/sema/builtins.ts), are listed at the end by name.
import fs from 'node:fs';
import path from 'node:path';

// --root DIR reads another tree (the test uses it to prove the undocumented-item check can fail)
const rootArg = process.argv.indexOf('--root');
const root = rootArg > 0 ? path.resolve(process.argv[rootArg + 1]) : path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** The stdlib's .tml files, prelude first, then by path. */
function libraryFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.tml')) out.push(path.relative(root, p));
    }
  };
  walk(path.join(root, 'stdlib'));
  const first = (f) => (f.endsWith('prelude.tml') ? 0 : 1);
  return out.sort((a, b) => first(a) - first(b) || a.localeCompare(b));
}

const ITEM = /^(?:pub\s+)?(?:lowlevel\s+)?(func|type|behavior|class|const|enum|union)\b/;

/** The signature of a declaration: its text up to the body's `{` (or the whole line for a one-line item). */
function signature(line) {
  let s = line.trim();
  // a one-line body `{ ... }` or an opening `{` ends the signature (but not `{` inside a type's field list)
  const m = /^(.*?)\s*\{/.exec(s);
  if (m && !/^(?:pub\s+)?type\b/.test(s)) s = m[1];
  return s.replace(/^pub\s+/, '');
}

/** One module: its header and its documented items, grouped under the impl or behavior block they are in. */
function parseModule(file) {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  const isPrelude = file.endsWith('prelude.tml');
  const header = [];
  const sections = []; // { title, items: [{ sig, doc }] }
  const undocumented = [];
  let top = { title: null, items: [] };
  sections.push(top);
  let block = null; // the impl/behavior block we are in, or null at top level
  let doc = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    const t = line.trim();
    if (t.startsWith('//!')) {
      if (block === null && sections.length === 1 && top.items.length === 0) header.push(t.replace(/^\/\/!\s?/, ''));
      return;
    }
    if (t.startsWith('///')) {
      doc.push(t.replace(/^\/\/\/\s?/, ''));
      return;
    }
    if (t.startsWith('@') || t === '' || t.startsWith('//')) {
      if (t === '') doc = [];
      return; // attributes keep the doc comment for the item below
    }
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      block = null;
      const implM = /^impl\b(.*?)\s*\{\s*(\}\s*)?$/.exec(t);
      if (implM) {
        const head = `impl${implM[1]}`;
        const forBehavior = /\bfor\b/.test(head);
        block = { title: head, items: [], forBehavior };
        sections.push(block);
        if (implM[2] !== undefined) block = null;
        doc = [];
        return;
      }
      const km = ITEM.exec(t);
      if (km) {
        const isPublic = isPrelude || t.startsWith('pub ');
        if (isPublic) {
          top.items.push({ sig: signature(t), doc: doc.join(' ') });
          if (doc.length === 0) undocumented.push(`${file}:${i + 1}: ${signature(t)}`);
        }
        if (km[1] === 'behavior' && /\{\s*$/.test(t)) block = { title: null, items: [], inBehavior: true };
        if (km[1] === 'class' && /\{\s*$/.test(t) && isPublic) {
          block = { title: signature(t), items: [], isClass: true };
          sections.push(block);
        }
      }
      doc = [];
      return;
    }
    if (block !== null && !block.inBehavior && indent === 4) {
      const km = /^(?:pub\s+)?(?:lowlevel\s+)?(func|const)\b/.exec(t) ?? (block.isClass ? /^(new)\(/.exec(t) : null);
      if (km) {
        // behavior impls document the behavior, not each method; inherent methods are public when `pub` (or in the prelude)
        const isPublic = !block.forBehavior && (t.startsWith('pub ') || isPrelude || km[1] === 'new');
        if (isPublic) {
          block.items.push({ sig: signature(t), doc: doc.join(' ') });
          if (doc.length === 0) undocumented.push(`${file}:${i + 1}: ${block.title}: ${signature(t)}`);
        }
      }
    }
    doc = [];
  });
  return { file, header, sections: sections.filter((s) => s.items.length > 0 || (s.forBehavior && s.title)), undocumented };
}

/** `NAME_METHODS` tables of compiler/src/sema/builtins.ts: the primitive type and its method names. */
function builtinMethods() {
  const file = path.join(root, 'compiler/src/sema/builtins.ts');
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  const out = [];
  for (const m of text.matchAll(/export const ([A-Z0-9_]+)_METHODS\b[^=]*=\s*\{([\s\S]*?)\n\};/g)) {
    const names = [...m[2].matchAll(/^\s+([a-z_][a-z0-9_]*)\s*:/gm)].map((x) => x[1]);
    out.push({ table: m[1], names });
  }
  return out;
}

const modules = libraryFiles().map(parseModule);
const out = [];
out.push('# The standard library');
out.push('');
out.push('Generated by `node ci/library_docs.mjs > docs/library.md` from the doc comments of `stdlib/` (a test checks');
out.push('that it is up to date and that every public item has a doc comment). The prelude is visible everywhere; the');
out.push('other `core` modules are re-exported by it. Behavior impls are listed by their header.');
for (const m of modules) {
  out.push('');
  out.push(`## \`${m.file}\``);
  if (m.header.length > 0) {
    out.push('');
    out.push(m.header.join('\n'));
  }
  for (const s of m.sections.filter((x) => !x.forBehavior)) {
    out.push('');
    if (s.title !== null) out.push(`### \`${s.title}\``, '');
    for (const it of s.items) out.push(`- \`${it.sig.replace(/`/g, "'")}\`${it.doc ? ` — ${it.doc}` : ''}`);
  }
  const behaviorImpls = m.sections.filter((x) => x.forBehavior).map((x) => `\`${x.title}\``);
  if (behaviorImpls.length > 0) out.push('', `Behavior impls: ${behaviorImpls.join(', ')}.`);
}
out.push('');
out.push('## Built-in methods of primitive types');
out.push('');
out.push('Provided by the compiler (`compiler/src/sema/builtins.ts`, lowered in `compiler/src/mir/lower_builtins.ts`);');
out.push('LANGUAGE.md §3 describes them. A library method of the same name is not reachable: the built-in wins.');
out.push('');
for (const b of builtinMethods()) out.push(`- **${b.table}**: ${b.names.map((n) => `\`${n}\``).join(', ')}`);

if (process.argv.includes('--undocumented')) {
  for (const m of modules) for (const u of m.undocumented) console.log(u);
} else {
  console.log(out.join('\n'));
}
