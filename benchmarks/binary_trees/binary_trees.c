/* binary-trees (the Computer Language Benchmarks Game), C twin of binary_trees.tml: every node, leaves included,
 * is one malloc; a tree is freed node by node with free (post-order, as TML's drop glue does).
 * Usage: binary_trees [MAX_DEPTH]   (default 16) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ALLOC/FREE are malloc/free. Built with -DVIA_TML_RUNTIME (investigate.sh only), they call the TML runtime's
 * tml_alloc/tml_free from libtml_runtime_release.a instead, the non-inlined wrappers a TML --release build calls. */
#ifdef VIA_TML_RUNTIME
void *tml_alloc(int64_t size, const void *site);
void tml_free(void *p, const void *loc);
#define ALLOC(n) tml_alloc((int64_t)(n), NULL)
#define FREE(p) tml_free((p), NULL)
#else
#define ALLOC(n) malloc(n)
#define FREE(p) free(p)
#endif

typedef struct Node {
    struct Node *left, *right; /* both NULL for a leaf */
} Node;

static Node *new_node(Node *left, Node *right) {
    Node *n = ALLOC(sizeof *n);
    if (!n) {
        fputs("out of memory\n", stderr);
        exit(1);
    }
    n->left = left;
    n->right = right;
    return n;
}

static Node *bottom_up(int depth) {
    if (depth > 0) {
        Node *l = bottom_up(depth - 1); /* left before right, as TML evaluates arguments */
        Node *r = bottom_up(depth - 1);
        return new_node(l, r);
    }
    return new_node(NULL, NULL);
}

static int64_t check(const Node *t) {
    if (t->left) return 1 + check(t->left) + check(t->right);
    return 1;
}

static void free_tree(Node *t) {
    if (t->left) {
        free_tree(t->left);
        free_tree(t->right);
    }
    FREE(t);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 16;
    int min_depth = 4;
    int max_depth = min_depth + 2 > n ? min_depth + 2 : n;

    {
        int depth = max_depth + 1;
        Node *t = bottom_up(depth);
        printf("stretch tree of depth %d\t check: %lld\n", depth, (long long)check(t));
        free_tree(t);
    }

    Node *long_lived = bottom_up(max_depth);

    for (int d = min_depth; d <= max_depth; d += 2) {
        int64_t iterations = (int64_t)1 << (max_depth - d + min_depth);
        int64_t chk = 0;
        for (int64_t i = 0; i < iterations; i++) {
            Node *t = bottom_up(d);
            chk += check(t);
            free_tree(t);
        }
        printf("%lld\t trees of depth %d\t check: %lld\n", (long long)iterations, d, (long long)chk);
    }
    printf("long lived tree of depth %d\t check: %lld\n", max_depth, (long long)check(long_lived));
    free_tree(long_lived);
    return 0;
}
