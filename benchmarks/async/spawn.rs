// Spawn-and-await, thread per task: the Rust twin of spawn.tml (std only). Each task is a std::thread returning
// i * 2; the main thread joins the handles in spawn order and sums the results.
//
// Usage: spawn_rust [N] [BATCH]   (defaults 100000 and 10000)
//
// Batches: as in spawn_threads.c, 100,000 unjoined threads cannot exist at once on Linux (vm.max_map_count,
// `ulimit -u`), so BATCH threads are spawned, then joined, then the next batch.
use std::thread;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: i64 = args.get(1).map(|s| s.parse().expect("usage: spawn_rust [N] [BATCH]")).unwrap_or(100_000);
    let mut batch: i64 = args.get(2).map(|s| s.parse().expect("usage: spawn_rust [N] [BATCH]")).unwrap_or(10_000);
    if batch <= 0 || batch > n {
        batch = n.max(1);
    }
    let mut total: i64 = 0;
    let mut start = 0;
    while start < n {
        let end = (start + batch).min(n);
        let handles: Vec<thread::JoinHandle<i64>> = (start..end).map(|i| thread::spawn(move || i * 2)).collect();
        for h in handles {
            total += h.join().unwrap();
        }
        start = end;
    }
    println!("tasks {} total {}", n, total);
}
