/* bench_alloc.c — binary-trees (depth 18, as in the Benchmarks Game) allocating every node with tml_alloc:
 * compares the tracked allocator (bench_alloc_debug) with plain malloc (bench_alloc_release). The goal for the
 * tracker is to stay within 2x. Not a ctest test (timings are noisy); run by hand:
 *   build/tests/bench_alloc_release; build/tests/bench_alloc_debug */
#include <stdio.h>
#include <stdlib.h>

#include "tml_runtime.h"

typedef struct Node {
    struct Node *left, *right;
} Node;

static const TmlAllocSite node_site = {{"bench.tml", 1, 1}, "Heap[Node]"};
static const TmlLoc free_loc = {"bench.tml", 2, 2};

static Node *make(int depth) {
    Node *n = tml_alloc(sizeof(Node), &node_site);
    n->left = depth > 0 ? make(depth - 1) : NULL;
    n->right = depth > 0 ? make(depth - 1) : NULL;
    return n;
}

static long check(const Node *n) { return 1 + (n->left ? check(n->left) + check(n->right) : 0); }

static void drop(Node *n) {
    if (n->left) {
        drop(n->left);
        drop(n->right);
    }
    tml_free(n, &free_loc);
}

int main(int argc, char **argv) {
    int max_depth = argc > 1 ? atoi(argv[1]) : 18;
    tml_runtime_init(argc, argv, 1);
    int64_t t0 = tml_clock_ns();
    Node *stretch = make(max_depth + 1);
    long total = check(stretch);
    drop(stretch);
    Node *long_lived = make(max_depth);
    for (int d = 4; d <= max_depth; d += 2) {
        long iterations = 1L << (max_depth - d + 4);
        for (long i = 0; i < iterations; i++) {
            Node *t = make(d);
            total += check(t);
            drop(t);
        }
    }
    total += check(long_lived);
    drop(long_lived);
    int64_t t1 = tml_clock_ns();
    fprintf(stderr, "binary-trees %d: %ld nodes checked in %.3f s\n", max_depth, total, (double)(t1 - t0) / 1e9);
    return tml_runtime_exit(0);
}
