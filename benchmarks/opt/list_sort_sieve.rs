// list_sort_sieve: the Rust twin of list_sort_sieve.tml, line for line: a Vec<i64> and a Vec<bool> built by push,
// indexed with bounds checks (i64 indices cast to usize, as TML's I64 indices), Hoare quicksort and the sieve.
// Timed next to the C twin to show what the same bounds-checked program costs in a language whose compiler has
// LLVM and rustc's own MIR optimisations behind it (rustc -O).
use std::io::Write;

fn quicksort(xs: &mut Vec<i64>, lo: i64, hi: i64) {
    let mut lo = lo;
    let mut hi = hi;
    while lo < hi {
        let pivot = xs[(lo + (hi - lo) / 2) as usize];
        let mut i = lo - 1;
        let mut j = hi + 1;
        loop {
            i += 1;
            while xs[i as usize] < pivot {
                i += 1;
            }
            j -= 1;
            while xs[j as usize] > pivot {
                j -= 1;
            }
            if i >= j {
                break;
            }
            let t = xs[i as usize];
            xs[i as usize] = xs[j as usize];
            xs[j as usize] = t;
        }
        // recurse into the smaller half, loop on the larger (bounded stack)
        if j - lo < hi - j {
            quicksort(xs, lo, j);
            lo = j + 1;
        } else {
            quicksort(xs, j + 1, hi);
            hi = j;
        }
    }
}

fn sort_checksum(n: i64, seed: i64) -> i64 {
    let mut xs: Vec<i64> = Vec::with_capacity(n as usize);
    let mut x = seed;
    for _ in 0..n {
        x = (x * 1103515245 + 12345) % 2147483648;
        xs.push(x);
    }
    quicksort(&mut xs, 0, n - 1);
    let mut sum: i64 = 0;
    for i in 0..n {
        sum = (sum * 31 + xs[i as usize]) % 1000000007;
    }
    sum
}

fn sieve_count(limit: i64) -> i64 {
    let mut composite: Vec<bool> = Vec::with_capacity((limit + 1) as usize);
    for _ in 0..=limit {
        composite.push(false);
    }
    let mut i: i64 = 2;
    while i * i <= limit {
        if !composite[i as usize] {
            let mut j = i * i;
            while j <= limit {
                composite[j as usize] = true;
                j += i;
            }
        }
        i += 1;
    }
    let mut count: i64 = 0;
    for k in 2..=limit {
        if !composite[k as usize] {
            count += 1;
        }
    }
    count
}

fn main() {
    let out = std::io::stdout();
    let mut out = out.lock();
    for round in 0..3 {
        writeln!(out, "sort {}: {}", round, sort_checksum(3000000, round + 1)).unwrap();
        writeln!(out, "sieve {}: {}", round, sieve_count(30000000 + round)).unwrap();
    }
}
