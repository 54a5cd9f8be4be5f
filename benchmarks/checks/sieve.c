// The C twin of sieve.tml: the same sieve over a malloc'd array of 20,000,000 bools, 5 rounds.
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int64_t sieve(int64_t n) {
  bool *flags = malloc((size_t)n);
  for (int64_t k = 0; k < n; k++) flags[k] = true;
  for (int64_t i = 2; i * i < n; i++) {
    if (flags[i]) {
      for (int64_t j = i * i; j < n; j += i) flags[j] = false;
    }
  }
  int64_t count = 0;
  for (int64_t k = 2; k < n; k++) if (flags[k]) count++;
  free(flags);
  return count;
}

int main(void) {
  for (int r = 0; r < 5; r++) printf("%lld\n", (long long)sieve(20000000));
  return 0;
}
