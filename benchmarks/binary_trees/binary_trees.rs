// binary-trees (the Computer Language Benchmarks Game), Rust twin of binary_trees.tml: every node, leaves
// included, is one `Box` (as TML's `Heap[Tree]`); dropping a tree frees it through Box's drop glue.
// Usage: binary_trees [MAX_DEPTH]   (default 16)

enum Tree {
    Node(Box<Tree>, Box<Tree>),
    Leaf,
}

fn bottom_up(depth: i32) -> Box<Tree> {
    if depth > 0 {
        Box::new(Tree::Node(bottom_up(depth - 1), bottom_up(depth - 1)))
    } else {
        Box::new(Tree::Leaf)
    }
}

impl Tree {
    /// The number of nodes.
    fn check(&self) -> i64 {
        match self {
            Tree::Node(l, r) => 1 + l.check() + r.check(),
            Tree::Leaf => 1,
        }
    }
}

fn stretch(depth: i32) {
    let t = bottom_up(depth);
    println!("stretch tree of depth {}\t check: {}", depth, t.check());
}

fn main() {
    let n: i32 = match std::env::args().nth(1) {
        Some(a) => a.parse().expect("usage: binary_trees [MAX_DEPTH]"),
        None => 16,
    };
    let min_depth = 4;
    let max_depth = if min_depth + 2 > n { min_depth + 2 } else { n };

    stretch(max_depth + 1);

    let long_lived = bottom_up(max_depth);

    let mut d = min_depth;
    while d <= max_depth {
        let iterations: i64 = 1i64 << (max_depth - d + min_depth);
        let mut chk: i64 = 0;
        for _ in 0..iterations {
            let t = bottom_up(d);
            chk += t.check();
        }
        println!("{}\t trees of depth {}\t check: {}", iterations, d, chk);
        d += 2;
    }
    println!("long lived tree of depth {}\t check: {}", max_depth, long_lived.check());
}
