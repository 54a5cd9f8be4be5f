/* bench_check_mut.c — the cost of tml_obj_check_mut, which the compiler emits before every field mutation of a
 * class instance that might be borrowed (borrow_mark.c). With no mark live in the process it must be one relaxed
 * load and a branch. Not a ctest test (timings are noisy); run by hand:
 *   build/tests/bench_check_mut_release  the call into the static library (what a debug program pays, plus -O2)
 *   build/tests/bench_check_mut_bc       linked with lib/tml_runtime_release.bc like `tmlc --release`: inlined
 * Also times the slow path (a mark live on some other object: a lookup under the table's lock). */
#include <stdio.h>
#include <stdlib.h>

#include "tml_runtime.h"

typedef struct Bag {
    TmlObject hdr;
    int64_t n;
} Bag;

static const TmlLoc loc = {"bench.tml", 1, 1};
static const TmlLoc site = {"bench.tml", 2, 2};

/* check then mutate, as generated code does; returns the sum so that nothing is optimised away */
static int64_t run(Bag *bags, int64_t calls) {
    int64_t sum = 0;
    for (int64_t i = 0; i < calls; i++) {
        Bag *b = &bags[i & 15];
        tml_obj_check_mut(b, "Bag", &loc);
        b->n += i;
        sum += b->n;
    }
    return sum;
}

int main(int argc, char **argv) {
    int64_t calls = argc > 1 ? atoll(argv[1]) : 100000000;
    tml_runtime_init(argc, argv, 1);
    static _Alignas(16) Bag bags[16], other;

    int64_t t0 = tml_clock_ns();
    int64_t sum = run(bags, calls);
    int64_t t1 = tml_clock_ns();
    fprintf(stderr, "tml_obj_check_mut, no mark live: %lld calls in %.3f s, %.2f ns/call (checksum %lld)\n",
            (long long)calls, (double)(t1 - t0) / 1e9, (double)(t1 - t0) / (double)calls, (long long)sum);

    int64_t slow_calls = calls / 10;
    tml_obj_borrow(&other, 0, &site);
    t0 = tml_clock_ns();
    sum = run(bags, slow_calls);
    t1 = tml_clock_ns();
    tml_obj_unborrow(&other, 0);
    fprintf(stderr, "tml_obj_check_mut, a mark live elsewhere: %lld calls in %.3f s, %.2f ns/call (checksum %lld)\n",
            (long long)slow_calls, (double)(t1 - t0) / 1e9, (double)(t1 - t0) / (double)slow_calls, (long long)sum);
    return tml_runtime_exit(0);
}
