/* bench_async.c — the async executor (async.c) against pthread twins. Not a ctest test (timings are noisy); run by
 * hand: [TML_WORKERS=n] [TML_SCHED=global|steal] build/tests/bench_async [chan | --async-only] (`chan`: only part 4;
 * --async-only: without the pthread twins and part 4, for repeated rounds comparing the executor's schedulers, see
 * bench_async_sched.sh)
 *   1. spawn-and-join of 100,000 trivial tasks, in batches of 1,000 (spawn the batch, join it), vs. one pthread per
 *      task (pthread_create + pthread_join, same batches).
 *   2. ping-pong: 1,000,000 wakeups between two tasks passing a token through a waker-based mailbox, vs. two
 *      threads passing it through a mutex + two condition variables.
 *   3. scaling of the run queue(s): 200,000 tasks of ~1 us and of ~10 us of computation, spawned and
 *      joined with TML_WORKERS=1 and then 2 (the executor restarted in between): the speed-up 2 workers give.
 *   4. channel ping-pong: 1,000,000 round trips between two async tasks through two runtime channels of capacity
 *      1, with the library's recv_async/send_async loops (try_recv/try_send, then await a channel waiter), vs. two
 *      threads doing blocking tml_chan_send/tml_chan_recv on the same kind of channels.
 *   5. fan-out from a task: one task (on a worker) spawns 100 batches of 1,000 tasks of ~1 us and awaits each batch
 *      (with TML_SCHED=steal the children go to that worker's own queue and the others steal them). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tml_async.h"
#include "tml_runtime.h"

enum { TASKS = 100000, BATCH = 1000, WAKEUPS = 1000000 };

static double secs(int64_t ns) { return (double)ns / 1e9; }

/* ---- spawn and join ---- */

typedef struct Trivial {
    int64_t v;
} Trivial;
static int32_t trivial_poll(void *s, TmlWaker *w, void *out) {
    (void)w;
    int64_t r = ((Trivial *)s)->v + 1;
    memcpy(out, &r, sizeof r);
    return 1;
}
static void *trivial_thread(void *arg) { return (void *)((intptr_t)arg + 1); }

static int64_t bench_spawn_async(int64_t *sum) {
    static TmlAsyncTask *h[BATCH];
    int64_t t0 = tml_clock_ns();
    for (int b = 0; b < TASKS / BATCH; b++) {
        for (int i = 0; i < BATCH; i++) {
            Trivial st = {b * BATCH + i};
            h[i] = tml_async_spawn(trivial_poll, NULL, &st, sizeof st, sizeof(int64_t), NULL);
        }
        for (int i = 0; i < BATCH; i++) {
            int64_t r;
            tml_async_join(h[i], &r);
            *sum += r;
        }
    }
    return tml_clock_ns() - t0;
}

static int64_t bench_spawn_pthread(int64_t *sum) {
    static pthread_t th[BATCH];
    int64_t t0 = tml_clock_ns();
    for (int b = 0; b < TASKS / BATCH; b++) {
        for (int i = 0; i < BATCH; i++)
            if (pthread_create(&th[i], NULL, trivial_thread, (void *)(intptr_t)(b * BATCH + i)) != 0) abort();
        for (int i = 0; i < BATCH; i++) {
            void *r;
            pthread_join(th[i], &r);
            *sum += (intptr_t)r;
        }
    }
    return tml_clock_ns() - t0;
}

/* ---- ping-pong ---- */

typedef struct Mailbox {
    pthread_mutex_t m;
    int64_t turn;        /* whose turn: 0 or 1 */
    int64_t passes;      /* wakeups so far */
    TmlWaker *waiter[2]; /* owned clones */
} Mailbox;

typedef struct Player {
    Mailbox *mb;
    int64_t me;
} Player;

static int32_t player_poll(void *s, TmlWaker *w, void *out) {
    Player *p = s;
    Mailbox *mb = p->mb;
    (void)out;
    for (;;) {
        TmlWaker *wake = NULL, *old = NULL;
        pthread_mutex_lock(&mb->m);
        if (mb->passes >= WAKEUPS) {
            wake = mb->waiter[1 - p->me];
            mb->waiter[1 - p->me] = NULL;
            pthread_mutex_unlock(&mb->m);
            if (wake) tml_waker_wake(wake);
            return 1;
        }
        if (mb->turn != p->me) {
            if (!mb->waiter[p->me] || !tml_waker_will_wake(mb->waiter[p->me], w)) {
                old = mb->waiter[p->me];
                mb->waiter[p->me] = tml_waker_clone(w);
            }
            pthread_mutex_unlock(&mb->m);
            tml_waker_drop(old);
            return 0;
        }
        mb->turn = 1 - p->me;
        mb->passes++;
        wake = mb->waiter[1 - p->me];
        mb->waiter[1 - p->me] = NULL;
        pthread_mutex_unlock(&mb->m);
        if (wake) tml_waker_wake(wake);
    }
}

static int64_t bench_pingpong_async(void) {
    Mailbox mb = {.m = PTHREAD_MUTEX_INITIALIZER};
    Player a = {&mb, 0}, b = {&mb, 1};
    int64_t t0 = tml_clock_ns();
    TmlAsyncTask *ta = tml_async_spawn(player_poll, NULL, &a, sizeof a, 0, NULL);
    TmlAsyncTask *tb = tml_async_spawn(player_poll, NULL, &b, sizeof b, 0, NULL);
    tml_async_join(ta, NULL);
    tml_async_join(tb, NULL);
    int64_t dt = tml_clock_ns() - t0;
    tml_waker_drop(mb.waiter[0]);
    tml_waker_drop(mb.waiter[1]);
    if (mb.passes != WAKEUPS) abort();
    return dt;
}

typedef struct TMailbox {
    pthread_mutex_t m;
    pthread_cond_t cv[2];
    int64_t turn, passes;
} TMailbox;
typedef struct TPlayer {
    TMailbox *mb;
    int64_t me;
} TPlayer;

static void *tplayer(void *arg) {
    TPlayer *p = arg;
    TMailbox *mb = p->mb;
    pthread_mutex_lock(&mb->m);
    for (;;) {
        while (mb->turn != p->me && mb->passes < WAKEUPS) pthread_cond_wait(&mb->cv[p->me], &mb->m);
        if (mb->passes >= WAKEUPS) break;
        mb->turn = 1 - p->me;
        mb->passes++;
        pthread_cond_signal(&mb->cv[1 - p->me]);
    }
    pthread_cond_signal(&mb->cv[1 - p->me]);
    pthread_mutex_unlock(&mb->m);
    return NULL;
}

static int64_t bench_pingpong_pthread(void) {
    TMailbox mb = {.m = PTHREAD_MUTEX_INITIALIZER, .cv = {PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER}};
    TPlayer a = {&mb, 0}, b = {&mb, 1};
    pthread_t ta, tb;
    int64_t t0 = tml_clock_ns();
    pthread_create(&ta, NULL, tplayer, &a);
    pthread_create(&tb, NULL, tplayer, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    int64_t dt = tml_clock_ns() - t0;
    if (mb.passes != WAKEUPS) abort();
    return dt;
}

/* ---- scaling: CPU-bound tasks ---- */

typedef struct Work {
    int64_t iters, seed;
} Work;
static int32_t work_poll(void *s, TmlWaker *w, void *out) {
    (void)w;
    Work *k = s;
    uint64_t x = (uint64_t)k->seed | 1;
    for (int64_t i = 0; i < k->iters; i++) x = x * 6364136223846793005ull + 1442695040888963407ull;
    int64_t r = (int64_t)(x >> 40);
    memcpy(out, &r, sizeof r);
    return 1;
}

static int64_t bench_scaling(const char *workers, int64_t iters, int64_t *sum) {
    enum { WTASKS = 200000 };
    static TmlAsyncTask *h[WTASKS];
    tml_async_shutdown();
    setenv("TML_WORKERS", workers, 1);
    int64_t t0 = tml_clock_ns();
    for (int i = 0; i < WTASKS; i++) {
        Work k = {iters, i};
        h[i] = tml_async_spawn(work_poll, NULL, &k, sizeof k, sizeof(int64_t), NULL);
    }
    for (int i = 0; i < WTASKS; i++) {
        int64_t r;
        tml_async_join(h[i], &r);
        *sum += r;
    }
    int64_t dt = tml_clock_ns() - t0;
    tml_async_shutdown();
    unsetenv("TML_WORKERS");
    return dt;
}

/* ---- channel ping-pong (channel.c waiters) ---- */

enum { ROUND_TRIPS = 1000000 };

typedef struct ChanPlayer {
    int32_t phase; /* 0: sending, 1: receiving */
    int32_t first; /* the phase a round trip starts with */
    int32_t waiting;
    int32_t pad_;
    void *out, *in;
    int64_t i, n;
    TmlFuture w;
} ChanPlayer;

static int32_t chan_player_poll(void *s, TmlWaker *wk, void *res) {
    ChanPlayer *p = s;
    for (;;) {
        if (p->waiting) {
            if (!tml_future_poll(&p->w, wk, NULL)) return 0;
            tml_future_complete(&p->w);
            p->waiting = 0;
        }
        if (p->i == p->n) {
            memcpy(res, &p->i, sizeof p->i);
            return 1;
        }
        void *ch = p->phase == 0 ? p->out : p->in;
        int64_t v = p->i;
        if (p->phase == 0 ? tml_chan_try_send(ch, &v) : tml_chan_try_recv(ch, &v)) {
            if (p->phase != p->first) p->i++; /* the round trip's second half */
            p->phase ^= 1;
            continue;
        }
        p->w = (TmlFuture){(TmlPollFn)tml_chan_waiter_poll_fn(), (TmlDropFn)tml_chan_waiter_drop_fn(),
                           tml_chan_waiter_new(ch, p->phase == 0 ? 1 : 0)};
        p->waiting = 1;
    }
}

static int64_t bench_chan_pingpong_async(void) {
    void *a = tml_chan_new(1, sizeof(int64_t)), *b = tml_chan_new(1, sizeof(int64_t));
    int64_t t0 = tml_clock_ns();
    ChanPlayer ping = {.phase = 0, .first = 0, .out = a, .in = b, .n = ROUND_TRIPS};
    ChanPlayer pong = {.phase = 1, .first = 1, .out = b, .in = a, .n = ROUND_TRIPS};
    TmlAsyncTask *t1 = tml_async_spawn(chan_player_poll, NULL, &ping, sizeof ping, sizeof(int64_t), NULL);
    TmlAsyncTask *t2 = tml_async_spawn(chan_player_poll, NULL, &pong, sizeof pong, sizeof(int64_t), NULL);
    int64_t r1 = 0, r2 = 0;
    tml_async_join(t1, &r1);
    tml_async_join(t2, &r2);
    int64_t dt = tml_clock_ns() - t0;
    if (r1 != ROUND_TRIPS || r2 != ROUND_TRIPS) abort();
    tml_chan_release(a);
    tml_chan_release(b);
    return dt;
}

typedef struct ChanThreadArgs {
    void *out, *in;
    int first;
} ChanThreadArgs;

static void chan_thread(void *arg, void *out) {
    (void)out;
    ChanThreadArgs *a = arg;
    for (int64_t i = 0; i < ROUND_TRIPS; i++) {
        int64_t v = i;
        if (a->first) {
            tml_chan_send(a->out, &v);
            tml_chan_recv(a->in, &v);
        } else {
            tml_chan_recv(a->in, &v);
            tml_chan_send(a->out, &v);
        }
    }
}

static int64_t bench_chan_pingpong_threads(void) {
    void *a = tml_chan_new(1, sizeof(int64_t)), *b = tml_chan_new(1, sizeof(int64_t));
    ChanThreadArgs x = {a, b, 1}, y = {b, a, 0};
    int64_t t0 = tml_clock_ns();
    /* thread tasks (not bare pthreads: the deadlock detector would take them for main) */
    void *p = tml_task_spawn(chan_thread, &x, 0, NULL), *q = tml_task_spawn(chan_thread, &y, 0, NULL);
    tml_task_join(p, NULL);
    tml_task_join(q, NULL);
    int64_t dt = tml_clock_ns() - t0;
    tml_chan_release(a);
    tml_chan_release(b);
    return dt;
}

static void report_chan_pingpong(void) {
    int64_t ca = bench_chan_pingpong_async();
    int64_t ct = bench_chan_pingpong_threads();
    printf("channel ping-pong %d round trips: async (waiters) %.3f s (%.0f ns/round trip), threads (blocking "
           "send/recv) %.3f s (%.0f ns/round trip): ratio async/threads %.2f\n",
           ROUND_TRIPS, secs(ca), (double)ca / ROUND_TRIPS, secs(ct), (double)ct / ROUND_TRIPS,
           (double)ca / (double)ct);
}

/* ---- fan-out from a task ---- */

enum { FAN_BATCH = 1000, FAN_BATCHES = 100 };
typedef struct FanOut {
    int64_t iters, done_batches, batch, next_await, sum;
    TmlAsyncTask *h[FAN_BATCH];
} FanOut;

static int32_t fanout_poll(void *s, TmlWaker *w, void *out) {
    FanOut *f = *(FanOut **)s;
    for (;;) {
        if (f->next_await == f->batch) {
            if (f->done_batches == FAN_BATCHES) {
                memcpy(out, &f->sum, sizeof f->sum);
                return 1;
            }
            for (int i = 0; i < FAN_BATCH; i++) {
                Work k = {f->iters, f->done_batches * FAN_BATCH + i};
                f->h[i] = tml_async_spawn(work_poll, NULL, &k, sizeof k, sizeof(int64_t), NULL);
            }
            f->batch = FAN_BATCH;
            f->next_await = 0;
            f->done_batches++;
        }
        int64_t r;
        if (!tml_async_await(f->h[f->next_await], w, &r)) return 0;
        f->sum += r;
        f->next_await++;
    }
}

static int64_t bench_fanout(int64_t iters, int64_t *sum) {
    static FanOut f;
    memset(&f, 0, sizeof f);
    f.iters = iters;
    FanOut *p = &f;
    int64_t t0 = tml_clock_ns();
    TmlAsyncTask *t = tml_async_spawn(fanout_poll, NULL, &p, sizeof p, sizeof(int64_t), NULL);
    tml_async_join(t, sum);
    return tml_clock_ns() - t0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "chan") == 0) { /* only part 4 */
        report_chan_pingpong();
        tml_async_shutdown();
        return 0;
    }
    int twins = !(argc > 1 && strcmp(argv[1], "--async-only") == 0);
    int64_t s1 = 0, s2 = 0;
    bench_spawn_async(&s1); /* warm-up: starts the workers */
    s1 = 0;
    int64_t a = bench_spawn_async(&s1);
    int64_t p = 1;
    if (twins) {
        p = bench_spawn_pthread(&s2);
        if (s1 != s2) abort();
    }
    printf("spawn+join %d tasks: async %.3f s (%.0f ns/task), pthread %.3f s (%.0f ns/task): async %.1fx faster\n",
           TASKS, secs(a), (double)a / TASKS, secs(p), (double)p / TASKS, (double)p / (double)a);
    int64_t pa = bench_pingpong_async();
    int64_t pp = twins ? bench_pingpong_pthread() : 1;
    printf("ping-pong %d wakeups: async %.3f s (%.0f ns/wakeup), pthread mutex+condvar %.3f s (%.0f ns/wakeup): "
           "ratio async/pthread %.2f\n",
           WAKEUPS, secs(pa), (double)pa / WAKEUPS, secs(pp), (double)pp / WAKEUPS, (double)pa / (double)pp);
    const char *sched = getenv("TML_SCHED");
    printf("workers: %lld, scheduler: %s, task overhead: %lld bytes\n", (long long)tml_async_workers(),
           sched && *sched ? sched : "default", (long long)tml_async_task_overhead());
    int64_t fsum = 0;
    int64_t fo = bench_fanout(300, &fsum);
    printf("fan-out from a task, %d tasks of 300 iterations: %.3f s (%.0f ns/task)\n", FAN_BATCH * FAN_BATCHES,
           secs(fo), (double)fo / (FAN_BATCH * FAN_BATCHES));
    const int64_t iters[2] = {300, 3000}; /* about 1 us and 10 us */
    for (int k = 0; k < 2; k++) {
        int64_t a1 = 0, a2 = 0;
        int64_t w1 = bench_scaling("1", iters[k], &a1);
        int64_t w2 = bench_scaling("2", iters[k], &a2);
        if (a1 != a2) abort();
        printf("scaling, 200000 tasks of %lld iterations: 1 worker %.3f s, 2 workers %.3f s: speed-up %.2fx\n",
               (long long)iters[k], secs(w1), secs(w2), (double)w1 / (double)w2);
    }
    if (twins) report_chan_pingpong();
    tml_async_shutdown();
    return 0;
}
