// C twins of escape.tml: the same loop with malloc/free per iteration (built with -fno-builtin, or clang removes
// the allocations, as it may for memory that never escapes), and, with -DSTACK, with stack variables instead (what
// the escape pass makes of the TML program).
#include <stdio.h>
#include <stdlib.h>

typedef struct { long x, y; } Point;

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 50000000;
    long sum = 0;
    for (long i = 0; i < n; i++) {
#ifdef STACK
        Point hv, *h = &hv;
        long gv, *g = &gv;
#else
        Point *h = malloc(sizeof(Point));
#endif
        h->x = i;
        h->y = i & 7;
        h->x = h->x + h->y;
#ifndef STACK
        long *g = malloc(sizeof(long));
#endif
        *g = h->x ^ sum;
        *g = *g & 1023;
        sum = sum + *g + h->y;
#ifndef STACK
        free(g);
        free(h);
#endif
    }
    printf("sum %ld\n", sum);
    return 0;
}
