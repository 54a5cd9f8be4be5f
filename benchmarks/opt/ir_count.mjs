// Counts what is inside the function bodies of LLVM IR text files (.ll): instructions (not labels, blank lines,
// comments, declarations, metadata or globals), `alloca`s, and calls to a panic function (`@tml_panic…`, or the C
// twin's `abort`/`__assert_fail`), and the number of defined functions. Prints one JSON object per file:
//   node benchmarks/opt/ir_count.mjs A.ll [B.ll...]
import { readFileSync } from 'node:fs';

const PANIC = /\bcall\b.*@(tml_panic\w*|abort|__assert_fail)\(/;
for (const file of process.argv.slice(2)) {
  const counts = { file, functions: 0, instructions: 0, allocas: 0, panics: 0 };
  let inBody = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!inBody) {
      if (line.startsWith('define ')) { inBody = true; counts.functions++; }
      continue;
    }
    if (line === '}') { inBody = false; continue; }
    // an instruction line is indented; a label is `name:` at column 0, a comment starts with ';'
    if (!line.startsWith('  ')) continue;
    const t = line.trim();
    if (t === '' || t.startsWith(';')) continue;
    counts.instructions++;
    if (/^%\S+ = alloca\b/.test(t)) counts.allocas++;
    if (PANIC.test(t)) counts.panics++;
  }
  console.log(JSON.stringify(counts));
}
