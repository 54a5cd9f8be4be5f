// Writes a deterministic English-like text for word_freq: WORDS words (default 600,000, about 4 MB) drawn from a
// vocabulary of 20,000 made-up words with a Zipf-like skew (a few very common words, a long tail), 12 words a line.
//   node benchmarks/opt/gen_words.mjs OUT_FILE [WORDS]
import { writeFileSync } from 'node:fs';

const [out, nArg] = process.argv.slice(2);
if (!out) throw new Error('usage: gen_words.mjs OUT_FILE [WORDS]');
const total = Number(nArg ?? 600000);
let seed = 12345;
// xorshift32 (exact in 32-bit integer arithmetic), so the text is the same on every machine; 24 bits out
const next = () => {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed >>> 8;
};
const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'shi', 'po', 'ven', 'dra', 'qui', 'ber', 'tol', 'an', 'es', 'or'];
const vocab = [];
const seen = new Set();
while (vocab.length < 20000) {
  let w = '';
  const len = 1 + (next() % 4);
  for (let i = 0; i < len; i++) w += syllables[next() % syllables.length];
  if (!seen.has(w)) { seen.add(w); vocab.push(w); }
}
const lines = [];
let line = [];
for (let i = 0; i < total; i++) {
  // the product of two uniform draws favours small indices: word 0 is the most common
  const a = next() / 16777216, b = next() / 16777216;
  line.push(vocab[Math.floor(a * b * vocab.length)]);
  if (line.length === 12) { lines.push(line.join(' ')); line = []; }
}
if (line.length) lines.push(line.join(' '));
writeFileSync(out, lines.join('\n') + '\n');
