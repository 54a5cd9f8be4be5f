// The C twin of sort.tml: the same quicksort (insertion sort below 16 elements) over a malloc'd int64_t array.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void insertion(int64_t *xs, int64_t lo, int64_t hi) {
  for (int64_t i = lo + 1; i <= hi; i++) {
    int64_t v = xs[i];
    int64_t j = i - 1;
    while (j >= lo && xs[j] > v) {
      xs[j + 1] = xs[j];
      j--;
    }
    xs[j + 1] = v;
  }
}

static void quick(int64_t *xs, int64_t lo, int64_t hi) {
  if (hi - lo < 16) {
    insertion(xs, lo, hi);
    return;
  }
  int64_t p = xs[lo + (hi - lo) / 2];
  int64_t i = lo, j = hi;
  while (i <= j) {
    while (xs[i] < p) i++;
    while (xs[j] > p) j--;
    if (i <= j) {
      int64_t t = xs[i];
      xs[i] = xs[j];
      xs[j] = t;
      i++;
      j--;
    }
  }
  if (lo < j) quick(xs, lo, j);
  if (i < hi) quick(xs, i, hi);
}

static int64_t round_(int64_t seed) {
  const int64_t n = 3000000;
  int64_t *xs = malloc((size_t)n * sizeof *xs);
  int64_t x = seed;
  for (int64_t k = 0; k < n; k++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    xs[k] = x;
  }
  quick(xs, 0, n - 1);
  int64_t sum = 0;
  int sorted = 1;
  for (int64_t i = 0; i < n; i++) {
    sum += xs[i];
    if (i > 0 && xs[i] < sum - sum) sorted = 0;
  }
  for (int64_t i = 1; i < n; i++)
    if (xs[i - 1] > xs[i]) sorted = 0;
  free(xs);
  return sorted ? sum : -1;
}

int main(void) {
  for (int r = 0; r < 3; r++) printf("%lld\n", (long long)round_(r + 1));
  return 0;
}
