// C twin of escape.tml: the same loop with malloc/free per iteration.
#include <stdio.h>
#include <stdlib.h>

typedef struct { long x, y; } Point;

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 50000000;
    long sum = 0;
    for (long i = 0; i < n; i++) {
        Point *h = malloc(sizeof(Point));
        h->x = i;
        h->y = i & 7;
        h->x = h->x + h->y;
        long *g = malloc(sizeof(long));
        *g = h->x ^ sum;
        *g = *g & 1023;
        sum = sum + *g + h->y;
        free(g);
        free(h);
    }
    printf("sum %ld\n", sum);
    return 0;
}
