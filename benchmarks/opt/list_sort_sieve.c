// list_sort_sieve: the C twin of list_sort_sieve.tml, over malloc'd arrays (int64_t and bool).
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void quicksort(int64_t *xs, int64_t lo, int64_t hi) {
    while (lo < hi) {
        int64_t pivot = xs[lo + (hi - lo) / 2];
        int64_t i = lo - 1, j = hi + 1;
        for (;;) {
            i++;
            while (xs[i] < pivot) i++;
            j--;
            while (xs[j] > pivot) j--;
            if (i >= j) break;
            int64_t t = xs[i];
            xs[i] = xs[j];
            xs[j] = t;
        }
        if (j - lo < hi - j) {
            quicksort(xs, lo, j);
            lo = j + 1;
        } else {
            quicksort(xs, j + 1, hi);
            hi = j;
        }
    }
}

static int64_t sort_checksum(int64_t n, int64_t seed) {
    int64_t *xs = malloc((size_t)n * sizeof *xs);
    int64_t x = seed;
    for (int64_t k = 0; k < n; k++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        xs[k] = x;
    }
    quicksort(xs, 0, n - 1);
    int64_t sum = 0;
    for (int64_t k = 0; k < n; k++) sum = (sum * 31 + xs[k]) % 1000000007;
    free(xs);
    return sum;
}

static int64_t sieve_count(int64_t limit) {
    bool *composite = malloc((size_t)(limit + 1));
    for (int64_t k = 0; k <= limit; k++) composite[k] = false;
    for (int64_t i = 2; i * i <= limit; i++)
        if (!composite[i])
            for (int64_t j = i * i; j <= limit; j += i) composite[j] = true;
    int64_t count = 0;
    for (int64_t k = 2; k <= limit; k++)
        if (!composite[k]) count++;
    free(composite);
    return count;
}

int main(void) {
    for (int64_t round = 0; round < 3; round++) {
        printf("sort %ld: %ld\n", (long)round, (long)sort_checksum(3000000, round + 1));
        printf("sieve %ld: %ld\n", (long)round, (long)sieve_count(30000000 + round));
    }
    return 0;
}
