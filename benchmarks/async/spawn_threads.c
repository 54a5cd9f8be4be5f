/* Spawn-and-await, thread per task: the C twin of spawn.tml. Each task is a pthread (default attributes) that
 * computes i * 2 into its slot; the main thread joins them in spawn order and sums the results.
 *
 * Usage: spawn_threads [N] [BATCH]   (defaults 100000 and 10000)
 *
 * Batches: the TML program has all N tasks alive before it awaits the first. A joinable thread keeps its stack
 * mapping (stack + guard page: 2 memory maps) until it is joined, and Linux limits a process to vm.max_map_count
 * maps (65530 here) and a user to `ulimit -u` threads, so 100,000 unjoined threads cannot exist at once. The
 * program creates BATCH threads, joins them, and goes on with the next batch. BATCH = N (no batches) works up to
 * about 30,000 threads on this machine. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t *results;

static void *work(void *arg) {
    int64_t i = (int64_t)(intptr_t)arg;
    results[i] = i * 2;
    return NULL;
}

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? atoll(argv[1]) : 100000;
    int64_t batch = argc > 2 ? atoll(argv[2]) : 10000;
    if (batch <= 0 || batch > n) batch = n > 0 ? n : 1;
    results = malloc(sizeof(int64_t) * (size_t)(n > 0 ? n : 1));
    pthread_t *threads = malloc(sizeof(pthread_t) * (size_t)batch);
    int64_t total = 0;
    for (int64_t start = 0; start < n; start += batch) {
        int64_t end = start + batch < n ? start + batch : n;
        for (int64_t i = start; i < end; i++) {
            int err = pthread_create(&threads[i - start], NULL, work, (void *)(intptr_t)i);
            if (err != 0) {
                fprintf(stderr, "spawn_threads: pthread_create of thread %lld failed: %s (try a smaller BATCH)\n",
                        (long long)i, strerror(err));
                return 1;
            }
        }
        for (int64_t i = start; i < end; i++) {
            pthread_join(threads[i - start], NULL);
            total += results[i];
        }
    }
    printf("tasks %lld total %lld\n", (long long)n, (long long)total);
    free(threads);
    free(results);
    return 0;
}
