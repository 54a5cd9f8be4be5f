// word_freq: the Rust twin of word_freq.tml. The map owns its keys (`String`, one allocation per word as the TML
// program makes a `Str` per word) and counts through the entry API. With `--cfg borrowed_keys` it keys the map by
// `&str` slices of the text instead (no allocation per word), for comparison.
use std::collections::HashMap;

fn main() {
    let path = std::env::args().nth(1).expect("usage: word_freq FILE");
    let text = std::fs::read_to_string(path).expect("cannot read the input");
    #[cfg(not(borrowed_keys))]
    let mut counts: HashMap<String, i64> = HashMap::new();
    #[cfg(borrowed_keys)]
    let mut counts: HashMap<&str, i64> = HashMap::new();
    let mut total: i64 = 0;
    for w in text.split_ascii_whitespace() {
        #[cfg(not(borrowed_keys))]
        let key = w.to_string();
        #[cfg(borrowed_keys)]
        let key = w;
        *counts.entry(key).or_insert(0) += 1;
        total += 1;
    }
    let mut best: &str = "";
    let mut best_n: i64 = 0;
    for (w, &n) in &counts {
        if n > best_n || (n == best_n && &w[..] < best) {
            best = &w[..];
            best_n = n;
        }
    }
    println!("{} words, {} distinct, most frequent: {} ({})", total, counts.len(), best, best_n);
}
