// Completion after `.`: the members of the receiver's type. The receiver is the expression just before the dot in
// the document's tree — the parser keeps `p.` (no name yet) as a Field with an empty name (syntax/parse_expr.ts),
// and the checker types its object — so a half-typed member access still has a typed receiver.
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import { functionAt, type Analysis } from './analysis.js';
import { membersOf } from './members.js';
import { innermost, nodesAt, type SyntaxObject } from './node_at.js';
import { functionSignature } from './signature.js';
import { typeToString } from '../sema/types.js';

export function completionAt(a: Analysis, offset: number): CompletionItem[] {
  if (!a.checked) return [];
  const text = a.doc.getText();
  let start = offset;
  while (start > 0 && /[A-Za-z0-9_]/.test(text[start - 1]!)) start--;
  const dot = start - 1;
  if (text[dot] !== '.') return [];
  // the member access whose object ends at this dot (`a.b.`: the outer one, whose object is `a.b`)
  const member = innermost(nodesAt(a.module, a.file, dot), (n) => {
    const obj = receiverOf(n);
    return obj !== null && obj.span.end <= dot && text.slice(obj.span.end, dot).trim() === '';
  });
  const obj = member ? receiverOf(member) : null;
  const body = functionAt(a, dot)?.body;
  const ty = obj?.id !== undefined ? body?.exprTypes.get(obj.id) : undefined;
  if (!ty) return [];
  return membersOf(a.checked.defs, ty, a.scope).map((m): CompletionItem => {
    if (m.kind === 'field') return { label: m.name, kind: CompletionItemKind.Field, detail: typeToString(m.ty!) };
    return { label: m.name, kind: CompletionItemKind.Method, detail: m.fn ? functionSignature(m.fn, a.sources) : `${m.name}${m.builtin}` };
  });
}

function receiverOf(n: SyntaxObject): SyntaxObject | null {
  if (n.kind === 'Field') return n['object'] as SyntaxObject;
  if (n.kind === 'MethodCall') return n['receiver'] as SyntaxObject;
  return null;
}
