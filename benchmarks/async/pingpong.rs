// Ping-pong: the Rust twin of pingpong.tml (std only). Two threads and two std::sync::mpsc::sync_channel(1);
// ping sends i on `a` and waits for the reply on `b`; pong replies i + 1 until `a` is closed (its sender dropped).
//
// Usage: pingpong_rust [N]   (default 1000000; PINGPONG_CAP=0 makes both channels rendezvous channels)
use std::sync::mpsc::sync_channel;
use std::thread;

fn main() {
    let n: i64 = std::env::args().nth(1).map(|s| s.parse().expect("usage: pingpong_rust [N]")).unwrap_or(1_000_000);
    let cap: usize = std::env::var("PINGPONG_CAP").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let (a_tx, a_rx) = sync_channel::<i64>(cap);
    let (b_tx, b_rx) = sync_channel::<i64>(cap);
    let echo = thread::spawn(move || {
        let mut count: i64 = 0;
        while let Ok(v) = a_rx.recv() {
            if b_tx.send(v + 1).is_err() {
                break;
            }
            count += 1;
        }
        count
    });
    let sender = thread::spawn(move || {
        let mut sum: i64 = 0;
        for i in 0..n {
            a_tx.send(i).unwrap();
            match b_rx.recv() {
                Ok(v) => sum += v,
                Err(_) => break,
            }
        }
        drop(a_tx);
        sum
    });
    let sum = sender.join().unwrap();
    let count = echo.join().unwrap();
    println!("messages {}", count);
    println!("checksum {}", sum);
}
