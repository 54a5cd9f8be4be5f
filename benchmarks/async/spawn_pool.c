/* Spawn-and-await on a thread pool: the "best case" C twin of spawn.tml, for an honest comparison next to the
 * thread-per-task twins. A fixed pool of worker threads (the number of online CPUs, or POOL_WORKERS) takes tasks
 * from one FIFO queue guarded by a mutex + condvar. A task is one malloc'ed block {next, i, result, done} (the
 * handle); main submits N of them, then waits for each in submission order (on a second condvar, signalled only
 * when main is waiting for that task), sums the results and frees the blocks.
 *
 * Usage: spawn_pool [N]   (default 100000) */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct Task {
    struct Task *next;
    int64_t i;
    int64_t result;
    int done;
} Task;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER; /* workers wait for tasks */
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER; /* main waits for the task it joins */
static Task *head, *tail;
static Task *awaited; /* the task main is waiting for, or NULL */
static int idle, shutting_down;

static void *worker(void *arg) {
    (void)arg;
    pthread_mutex_lock(&mu);
    for (;;) {
        while (!head && !shutting_down) {
            idle++;
            pthread_cond_wait(&work_cv, &mu);
            idle--;
        }
        if (!head) break;
        Task *t = head;
        head = t->next;
        if (!head) tail = NULL;
        pthread_mutex_unlock(&mu);
        int64_t r = t->i * 2; /* the work */
        pthread_mutex_lock(&mu);
        t->result = r;
        t->done = 1;
        if (awaited == t) pthread_cond_signal(&done_cv);
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

static Task *spawn(int64_t i) {
    Task *t = malloc(sizeof *t);
    t->next = NULL;
    t->i = i;
    t->done = 0;
    pthread_mutex_lock(&mu);
    if (tail) tail->next = t; else head = t;
    tail = t;
    if (idle > 0) pthread_cond_signal(&work_cv);
    pthread_mutex_unlock(&mu);
    return t;
}

static int64_t join(Task *t) {
    pthread_mutex_lock(&mu);
    while (!t->done) {
        awaited = t;
        pthread_cond_wait(&done_cv, &mu);
    }
    awaited = NULL;
    pthread_mutex_unlock(&mu);
    int64_t r = t->result;
    free(t);
    return r;
}

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? atoll(argv[1]) : 100000;
    long workers = getenv("POOL_WORKERS") ? atol(getenv("POOL_WORKERS")) : sysconf(_SC_NPROCESSORS_ONLN);
    if (workers < 1) workers = 1;
    pthread_t *pool = malloc(sizeof(pthread_t) * (size_t)workers);
    for (long w = 0; w < workers; w++) pthread_create(&pool[w], NULL, worker, NULL);
    Task **tasks = malloc(sizeof(Task *) * (size_t)(n > 0 ? n : 1));
    for (int64_t i = 0; i < n; i++) tasks[i] = spawn(i);
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++) total += join(tasks[i]);
    pthread_mutex_lock(&mu);
    shutting_down = 1;
    pthread_cond_broadcast(&work_cv);
    pthread_mutex_unlock(&mu);
    for (long w = 0; w < workers; w++) pthread_join(pool[w], NULL);
    printf("tasks %lld total %lld\n", (long long)n, (long long)total);
    free(tasks);
    free(pool);
    return 0;
}
