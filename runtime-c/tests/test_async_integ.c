/* test_async_integ.c — what connects the executor (async.c) to TML values and to the rest of the runtime: boxed
 * futures (a TML Future[T] value), delay as a boxed future, async waits on channels (channel.c) mixed with
 * blocking threads, thread tasks awaited from async code (thread.c), the deadlock detector with async tasks
 * live, and tml_runtime_exit aborting pending async tasks. The state machines are hand-written in the shape the
 * compiler generates (a step, the values live there, a poll and a drop), with nested futures as boxed values. */
#include "test_util.h"

#include <pthread.h>
#include <time.h>

#include "tml_async.h"

static const TmlAllocSite box_site = {{"test.tml", 1, 1}, "FutureState"};

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static void put_i64(void *out, int64_t v) { memcpy(out, &v, sizeof v); }

/* A check made on a worker or a task thread (tu_checks is not atomic): counted here, checked by main at the end. */
static int bg_failures;
#define BG_CHECK(cond)                                                                                         \
    do {                                                                                                       \
        if (!(cond)) {                                                                                         \
            fprintf(stderr, "%s:%d: CHECK failed (on another thread): %s\n", __FILE__, __LINE__, #cond);        \
            __atomic_add_fetch(&bg_failures, 1, __ATOMIC_RELAXED);                                             \
        }                                                                                                      \
    } while (0)

#include "drop_log.h"

static void log_get(char *buf, size_t cap) { log_read(buf, cap, 1); }

static void end_test(int64_t base_blocks) {
    tml_async_shutdown();
    tml_tasks_join_all();
    CHECK_EQ_I64(tml_async_live_tasks(), 0);
    CHECK_EQ_I64(tml_async_workers(), 0);
    CHECK_EQ_I64(tml_mem_live_blocks(), base_blocks);
}

/* ---- `async func outer(id, ms, v) -> I64 { await delay(ms)  v * 2 }`, the delay a nested boxed Future ---- */

typedef struct Outer {
    int32_t step; /* 0 start, 1 awaiting inner, 2 done */
    int32_t id;
    int64_t ms, v;
    TmlFuture inner;
} Outer;

static void *outer_new(int32_t id, int64_t ms, int64_t v) {
    Outer *o = tml_alloc(sizeof(Outer), &box_site);
    memset(o, 0, sizeof *o);
    o->id = id;
    o->ms = ms;
    o->v = v;
    return o;
}

static int32_t outer_poll(void *s, TmlWaker *w, void *out) {
    Outer *o = s;
    if (o->step == 0) {
        o->inner = (TmlFuture){(TmlPollFn)tml_delay_poll_fn(), (TmlDropFn)tml_delay_drop_fn(), tml_delay_new(o->ms)};
        o->step = 1;
    }
    if (!tml_future_poll(&o->inner, w, NULL)) return 0;
    tml_future_complete(&o->inner);
    BG_CHECK(o->inner.state == NULL);
    o->step = 2;
    put_i64(out, o->v * 2);
    return 1;
}

static void outer_drop(void *s) {
    Outer *o = s;
    if (o->step == 1) tml_future_drop((void *)o->inner.poll, (void *)o->inner.drop, o->inner.state);
    char b[8];
    snprintf(b, sizeof b, "O%d", o->id);
    log_drop(b);
}

static void test_boxed_futures(void) {
    int64_t base = tml_mem_live_blocks();
    char log[256];
    int64_t r = 0;
    int64_t t0 = tml_clock_ns();
    tml_future_block_on((void *)outer_poll, (void *)outer_drop, outer_new(1, 10, 21), &r);
    CHECK_EQ_I64(r, 42);
    CHECK(tml_clock_ns() - t0 >= 10 * 1000000LL);
    /* spawned: the task owns the box */
    void *t = tml_async_spawn_future((void *)outer_poll, (void *)outer_drop, outer_new(2, 5, 4), sizeof r, NULL);
    r = 0;
    CHECK_EQ_I64(tml_async_join(t, &r), 1);
    CHECK_EQ_I64(r, 8);
    /* a Future value dropped before its first poll: its drop runs (nothing awaited yet), the box is freed */
    tml_future_drop((void *)outer_poll, (void *)outer_drop, outer_new(3, 5, 0));
    tml_future_drop((void *)outer_poll, (void *)outer_drop, NULL); /* a moved-out value: nothing */
    log_get(log, sizeof log);
    CHECK_EQ_CSTR(log, "O3");
    /* aborted while awaiting its delay: the nested delay is unregistered, both boxes freed */
    t = tml_async_spawn_future((void *)outer_poll, (void *)outer_drop, outer_new(4, 60000, 0), sizeof r, NULL);
    sleep_ms(20);
    tml_async_abort(t);
    log_get(log, sizeof log);
    CHECK_EQ_CSTR(log, "O4");
    /* a delay on its own, as a boxed future; and one dropped while registered in the timer heap */
    t0 = tml_clock_ns();
    tml_future_block_on(tml_delay_poll_fn(), tml_delay_drop_fn(), tml_delay_new(15), NULL);
    CHECK(tml_clock_ns() - t0 >= 15 * 1000000LL);
    t = tml_async_spawn_future(tml_delay_poll_fn(), tml_delay_drop_fn(), tml_delay_new(60000), 0, NULL);
    sleep_ms(10);
    tml_async_abort(t);
    TmlFuture none = {NULL, NULL, NULL};
    tml_future_complete(&none); /* a future that needed no state */
    end_test(base);
}

/* Memory per suspended task: a boxed future costs the task block (overhead + 16 bytes for the box's address +
 * result) plus the box, i.e. exactly 16 bytes more than the same state moved into the block by tml_async_spawn.
 * Exact in tracked builds (tml_mem_live_bytes counts requested bytes; 0 elsewhere). */
static void test_boxed_memory(void) {
    enum { N = 1000 };
    int64_t base = tml_mem_live_blocks();
    static void *ts[N];
    int64_t b0 = tml_mem_live_bytes();
    for (int i = 0; i < N; i++) {
        Outer o = {.id = 9, .ms = 60000, .v = 0};
        ts[i] = tml_async_spawn(outer_poll, outer_drop, &o, sizeof o, sizeof(int64_t), NULL);
    }
    sleep_ms(50);
    int64_t inline_bytes = tml_mem_live_bytes() - b0;
    for (int i = 0; i < N; i++) tml_async_release(ts[i]);
    tml_async_shutdown();
    b0 = tml_mem_live_bytes();
    for (int i = 0; i < N; i++)
        ts[i] = tml_async_spawn_future((void *)outer_poll, (void *)outer_drop, outer_new(9, 60000, 0),
                                       sizeof(int64_t), NULL);
    sleep_ms(50);
    int64_t boxed_bytes = tml_mem_live_bytes() - b0;
    for (int i = 0; i < N; i++) tml_async_release(ts[i]);
    if (inline_bytes) {
        fprintf(stderr, "bytes per suspended task awaiting a delay: inline state %lld, boxed future %lld\n",
                (long long)(inline_bytes / N), (long long)(boxed_bytes / N));
        /* the executor's own blocks (worker array, timer heap) are the same in both runs */
        CHECK_EQ_I64(boxed_bytes - inline_bytes, 16 * N);
        CHECK(boxed_bytes / N <= 256);
    }
    end_test(base);
    log_get((char[256]){0}, 256); /* 2N drops of O9 */
}

/* ---- channels: recv_async / send_async loops as the library writes them (tml_async.h) ---- */

typedef struct Consumer {
    int32_t step; /* 0 trying, 1 awaiting a waiter */
    int32_t id;
    void *ch; /* owned (retained) */
    int64_t sum, n;
    TmlFuture w;
} Consumer;

typedef struct Sums {
    int64_t sum, n;
} Sums;

static int32_t consumer_poll(void *s, TmlWaker *wk, void *out) {
    Consumer *c = s;
    for (;;) {
        if (c->step == 1) {
            if (!tml_future_poll(&c->w, wk, NULL)) return 0;
            tml_future_complete(&c->w);
            c->step = 0;
        }
        int64_t v;
        int got = tml_chan_try_recv(c->ch, &v);
        if (!got && tml_chan_is_closed(c->ch)) {
            got = tml_chan_try_recv(c->ch, &v);
            if (!got) {
                Sums r = {c->sum, c->n};
                memcpy(out, &r, sizeof r);
                tml_chan_release(c->ch); /* completion: the state's values are dropped here */
                return 1;
            }
        }
        if (got) {
            c->sum += v;
            c->n++;
            continue;
        }
        c->w = (TmlFuture){(TmlPollFn)tml_chan_waiter_poll_fn(), (TmlDropFn)tml_chan_waiter_drop_fn(),
                           tml_chan_waiter_new(c->ch, 0)};
        c->step = 1;
    }
}

static int64_t aborted_n, aborted_sum; /* what aborted consumers had received */

static void consumer_drop(void *s) {
    Consumer *c = s;
    __atomic_add_fetch(&aborted_n, c->n, __ATOMIC_RELAXED);
    __atomic_add_fetch(&aborted_sum, c->sum, __ATOMIC_RELAXED);
    if (c->step == 1) tml_future_drop((void *)c->w.poll, (void *)c->w.drop, c->w.state);
    tml_chan_release(c->ch);
    log_drop("C");
}

static void *consumer_spawn(void *ch, int32_t id) {
    Consumer *c = tml_alloc(sizeof(Consumer), &box_site);
    memset(c, 0, sizeof *c);
    tml_chan_retain(ch);
    c->ch = ch;
    c->id = id;
    return tml_async_spawn_future((void *)consumer_poll, (void *)consumer_drop, c, sizeof(Sums), NULL);
}

typedef struct Producer {
    int32_t step;
    int32_t pad_;
    void *ch;
    int64_t from, i, end;
    TmlFuture w;
} Producer;

static int32_t producer_poll(void *s, TmlWaker *wk, void *out) {
    Producer *p = s;
    for (;;) {
        if (p->step == 1) {
            if (!tml_future_poll(&p->w, wk, NULL)) return 0;
            tml_future_complete(&p->w);
            p->step = 0;
        }
        if (p->i == p->end) {
            tml_chan_release(p->ch);
            put_i64(out, p->end - p->from);
            return 1;
        }
        if (tml_chan_try_send(p->ch, &p->i)) {
            p->i++;
            continue;
        }
        if (tml_chan_is_closed(p->ch)) tml_rt_panic_at(NULL, "send_async on a closed channel");
        p->w = (TmlFuture){(TmlPollFn)tml_chan_waiter_poll_fn(), (TmlDropFn)tml_chan_waiter_drop_fn(),
                           tml_chan_waiter_new(p->ch, 1)};
        p->step = 1;
    }
}

static void producer_drop(void *s) {
    Producer *p = s;
    if (p->step == 1) tml_future_drop((void *)p->w.poll, (void *)p->w.drop, p->w.state);
    tml_chan_release(p->ch);
}

static void *producer_spawn(void *ch, int64_t from, int64_t to) {
    Producer *p = tml_alloc(sizeof(Producer), &box_site);
    memset(p, 0, sizeof *p);
    tml_chan_retain(ch);
    p->ch = ch;
    p->from = p->i = from;
    p->end = to;
    return tml_async_spawn_future((void *)producer_poll, (void *)producer_drop, p, sizeof(int64_t), NULL);
}

/* thread tasks with blocking send / recv on the same channel */
typedef struct ThreadArgs {
    void *ch;
    int64_t from, to;
} ThreadArgs;

static void run_thread_send(void *env, void *out) {
    ThreadArgs a = *(ThreadArgs *)env;
    tml_free(env, &tml_rt_runtime_loc);
    for (int64_t i = a.from; i < a.to; i++) BG_CHECK(tml_chan_send(a.ch, &i));
    tml_chan_release(a.ch);
    put_i64(out, a.to - a.from);
}

static void run_thread_recv(void *env, void *out) {
    ThreadArgs a = *(ThreadArgs *)env;
    tml_free(env, &tml_rt_runtime_loc);
    Sums s = {0, 0};
    int64_t v;
    while (tml_chan_recv(a.ch, &v)) {
        s.sum += v;
        s.n++;
    }
    tml_chan_release(a.ch);
    memcpy(out, &s, sizeof s);
}

static void *thread_spawn(void (*run)(void *, void *), void *ch, int64_t from, int64_t to, int64_t result_size) {
    ThreadArgs *a = tml_alloc(sizeof(ThreadArgs), &box_site);
    tml_chan_retain(ch);
    a->ch = ch;
    a->from = from;
    a->to = to;
    return tml_task_spawn(run, a, result_size, NULL);
}

/* Two async producers, one blocking thread producer, two async consumers and one blocking thread consumer on one
 * small channel: every value arrives exactly once (the sums), whichever side blocks or suspends. */
static void test_channel_mixed(void) {
    enum { N = 20000 };
    int64_t base = tml_mem_live_blocks();
    void *ch = tml_chan_new(4, sizeof(int64_t));
    void *c1 = consumer_spawn(ch, 1), *c2 = consumer_spawn(ch, 2);
    void *tc = thread_spawn(run_thread_recv, ch, 0, 0, sizeof(Sums));
    void *p1 = producer_spawn(ch, 0, N), *p2 = producer_spawn(ch, N, 2 * N);
    void *tp = thread_spawn(run_thread_send, ch, 2 * N, 3 * N, sizeof(int64_t));
    int64_t sent = 0, k = 0;
    CHECK_EQ_I64(tml_async_join(p1, &k), 1);
    sent += k;
    CHECK_EQ_I64(tml_async_join(p2, &k), 1);
    sent += k;
    tml_task_join(tp, &k);
    sent += k;
    CHECK_EQ_I64(sent, 3 * N);
    tml_chan_close(ch);
    Sums a = {0, 0}, b = {0, 0}, c = {0, 0};
    CHECK_EQ_I64(tml_async_join(c1, &a), 1);
    CHECK_EQ_I64(tml_async_join(c2, &b), 1);
    tml_task_join(tc, &c);
    CHECK_EQ_I64(a.n + b.n + c.n, 3 * N);
    CHECK_EQ_I64(a.sum + b.sum + c.sum, (int64_t)3 * N * (3 * N - 1) / 2);
    CHECK_EQ_I64(tml_chan_len(ch), 0);
    tml_chan_release(ch);
    end_test(base);
}

/* Receivers aborted while waiting (after being woken, or not) swallow no wakeup: the ones left receive everything
 * the aborted ones had not taken, so no value is lost nor duplicated. main's blocking sends fill the channel while
 * async tasks are live (no deadlock report). */
static void test_channel_aborted_receivers(void) {
    enum { K = 8, N = 2000 };
    int64_t base = tml_mem_live_blocks();
    char log[256];
    for (int round = 0; round < 3; round++) {
        void *ch = tml_chan_new(2, sizeof(int64_t));
        void *cs[K];
        for (int i = 0; i < K; i++) cs[i] = consumer_spawn(ch, i);
        sleep_ms(10); /* all registered on the empty channel */
        if (round == 1) {
            int64_t v = 0; /* one value: every receiver is woken, the aborted ones may be mid-poll */
            CHECK(tml_chan_send(ch, &v));
        }
        aborted_n = aborted_sum = 0;
        for (int i = 0; i < K; i += 2) tml_async_abort(cs[i]);
        log_get(log, sizeof log);
        CHECK_EQ_CSTR(log, "CCCC");
        int64_t first = round == 1 ? 1 : 0;
        for (int64_t v = first; v < N; v++) CHECK(tml_chan_send(ch, &v));
        tml_chan_close(ch);
        Sums total = {0, 0};
        for (int i = 1; i < K; i += 2) {
            Sums s = {0, 0};
            CHECK_EQ_I64(tml_async_join(cs[i], &s), 1);
            total.sum += s.sum;
            total.n += s.n;
        }
        CHECK_EQ_I64(tml_chan_len(ch), 0);
        CHECK_EQ_I64(total.n + aborted_n, N);
        CHECK_EQ_I64(total.sum + aborted_sum, (int64_t)N * (N - 1) / 2);
        tml_chan_release(ch);
    }
    end_test(base);
}

/* A waiter future on its own: ready at once on a closed channel; dropped while registered. */
static void test_waiter_direct(void) {
    int64_t base = tml_mem_live_blocks();
    void *ch = tml_chan_new(1, sizeof(int64_t));
    int64_t v = 3;
    CHECK(tml_chan_try_send(ch, &v));
    /* room: not ready; have a value: ready (block_on returns at once) */
    tml_future_block_on(tml_chan_waiter_poll_fn(), tml_chan_waiter_drop_fn(), tml_chan_waiter_new(ch, 0), NULL);
    /* a send waiter on the full channel, in a task aborted while registered */
    void *w = tml_chan_waiter_new(ch, 1);
    void *t = tml_async_spawn_future(tml_chan_waiter_poll_fn(), tml_chan_waiter_drop_fn(), w, 0, NULL);
    sleep_ms(10);
    tml_async_abort(t);
    /* a send waiter woken by a blocking recv */
    t = tml_async_spawn_future(tml_chan_waiter_poll_fn(), tml_chan_waiter_drop_fn(), tml_chan_waiter_new(ch, 1), 0,
                               NULL);
    sleep_ms(10);
    CHECK(tml_chan_recv(ch, &v));
    CHECK_EQ_I64(v, 3);
    CHECK_EQ_I64(tml_async_join(t, NULL), 1);
    /* a receive waiter woken by close */
    t = tml_async_spawn_future(tml_chan_waiter_poll_fn(), tml_chan_waiter_drop_fn(), tml_chan_waiter_new(ch, 0), 0,
                               NULL);
    sleep_ms(10);
    CHECK(!tml_chan_is_closed(ch));
    tml_chan_close(ch);
    CHECK(tml_chan_is_closed(ch));
    CHECK_EQ_I64(tml_async_join(t, NULL), 1);
    tml_chan_release(ch); /* the last reference: every waiter released its own */
    end_test(base);
}

/* ---- thread tasks awaited from async code ---- */

/* A thread task made gated (ms < 0) ends only after an awaiter has returned pending once (awaiter_poll opens
 * the gate), so "suspended, then woken by the task's end" is what is tested however loaded the machine is. */
static int gate;

static void run_slow_seven(void *env, void *out) {
    int ms = *(int *)env;
    tml_free(env, &tml_rt_runtime_loc);
    if (ms < 0)
        while (!__atomic_load_n(&gate, __ATOMIC_ACQUIRE)) sleep_ms(1);
    else
        sleep_ms(ms);
    put_i64(out, 7);
}

static void *slow_seven(int ms) {
    int *e = tml_alloc(sizeof(int), &box_site);
    *e = ms;
    return tml_task_spawn(run_slow_seven, e, sizeof(int64_t), NULL);
}

typedef struct Awaiter {
    int32_t step; /* 0: awaiting the thread task; 1: done */
    int32_t polls;
    void *task; /* the handle, owned while step 0 */
} Awaiter;

static int32_t awaiter_poll(void *s, TmlWaker *w, void *out) {
    Awaiter *a = s;
    a->polls++;
    int64_t v = 0;
    if (!tml_task_await(a->task, w, &v)) {
        __atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
        return 0;
    }
    a->step = 1;
    put_i64(out, v * 10 + (a->polls > 1));
    return 1;
}

static void awaiter_drop(void *s) {
    Awaiter *a = s;
    if (a->step == 0) tml_task_detach(a->task); /* a Task handle dropped: detached */
    log_drop("A");
}

static void *awaiter_new(void *task) {
    Awaiter *a = tml_alloc(sizeof(Awaiter), &box_site);
    memset(a, 0, sizeof *a);
    a->task = task;
    return a;
}

static void test_task_await(void) {
    int64_t base = tml_mem_live_blocks();
    char log[256];
    int64_t r = 0;
    /* running when first polled: suspends, woken by the task's end (71 = 7, polled more than once) */
    gate = 0;
    void *t = tml_async_spawn_future((void *)awaiter_poll, (void *)awaiter_drop, awaiter_new(slow_seven(-1)),
                                     sizeof r, NULL);
    CHECK_EQ_I64(tml_async_join(t, &r), 1);
    CHECK_EQ_I64(r, 71);
    /* already ended: ready at the first poll (70), from block_on (a parker's waker) */
    void *th = slow_seven(0);
    while (!tml_task_ended(th)) sleep_ms(1);
    tml_future_block_on((void *)awaiter_poll, (void *)awaiter_drop, awaiter_new(th), &r);
    CHECK_EQ_I64(r, 70);
    gate = 0;
    tml_future_block_on((void *)awaiter_poll, (void *)awaiter_drop, awaiter_new(slow_seven(-1)), &r);
    CHECK_EQ_I64(r, 71);
    /* aborted while awaiting: the handle is detached, its waker clone dropped; the thread runs to its end */
    t = tml_async_spawn_future((void *)awaiter_poll, (void *)awaiter_drop, awaiter_new(slow_seven(40)), sizeof r,
                               NULL);
    sleep_ms(10);
    tml_async_abort(t);
    log_get(log, sizeof log);
    CHECK_EQ_CSTR(log, "A");
    /* awaited, then joined by the thread side instead (the registered clone is dropped by join) */
    th = slow_seven(30);
    Awaiter *a = awaiter_new(th);
    t = tml_async_spawn(awaiter_poll, NULL, a, sizeof *a, sizeof r, NULL); /* a copied into the task */
    sleep_ms(10);
    tml_async_abort(t); /* no drop function: the handle stays ours */
    tml_free(a, &tml_rt_runtime_loc);
    tml_task_join(th, &r);
    CHECK_EQ_I64(r, 7);
    tml_tasks_join_all();
    end_test(base);
}

/* ---- the deadlock detector with async tasks (children: 104 ends the process) ---- */

typedef struct LateSender {
    TmlFuture d;
    void *ch, *other;
    int32_t mode;
    int32_t step;
} LateSender;

/* mode 0: await delay(30), end; 1: await delay(30), send 5 on ch; 2: await a receive on a channel nobody sends on
 * (forever); 3: await a receive on an after(40) channel, send 5 on ch. */
static int32_t late_poll(void *s, TmlWaker *w, void *out) {
    (void)out;
    LateSender *l = s;
    if (l->step == 0) {
        if (l->mode <= 1) {
            l->d = (TmlFuture){(TmlPollFn)tml_delay_poll_fn(), (TmlDropFn)tml_delay_drop_fn(), tml_delay_new(30)};
        } else {
            l->other = tml_chan_new(1, sizeof(int64_t));
            if (l->mode == 3) tml_timer_after(l->other, 40);
            l->d = (TmlFuture){(TmlPollFn)tml_chan_waiter_poll_fn(), (TmlDropFn)tml_chan_waiter_drop_fn(),
                               tml_chan_waiter_new(l->other, 0)};
        }
        l->step = 1;
    }
    if (!tml_future_poll(&l->d, w, NULL)) return 0;
    tml_future_complete(&l->d);
    l->step = 2;
    int64_t v = 5;
    if (l->mode == 1 || l->mode == 3) BG_CHECK(tml_chan_try_send(l->ch, &v));
    if (l->other) tml_chan_release(l->other);
    tml_chan_release(l->ch);
    return 1;
}

static void late_drop(void *s) {
    LateSender *l = s;
    if (l->step == 1) tml_future_drop((void *)l->d.poll, (void *)l->d.drop, l->d.state);
    if (l->other) tml_chan_release(l->other);
    tml_chan_release(l->ch);
}

/* main blocks on recv while an async task (detached) is live; see late_poll for the modes. */
static void child_async_deadlock(void *arg) {
    int mode = *(int *)arg;
    tu_failures = bg_failures = 0; /* the child's own */
    tml_runtime_init(0, NULL, 1);
    void *ch = tml_chan_new(1, sizeof(int64_t));
    LateSender *l = tml_alloc(sizeof(LateSender), &box_site);
    memset(l, 0, sizeof *l);
    tml_chan_retain(ch);
    l->ch = ch;
    l->mode = mode;
    tml_async_release(tml_async_spawn_future((void *)late_poll, (void *)late_drop, l, 0, NULL));
    int64_t v = 0;
    CHECK(tml_chan_recv(ch, &v));
    tml_chan_release(ch);
    int32_t status = tml_runtime_exit(0);
    dprintf(1, "received %lld, status %d, checks failed %d\n", (long long)v, (int)status, tu_failures + bg_failures);
    _exit(0);
}

/* Blocked threads are reported only once the executor is quiescent (nothing queued nor polled, no delay nor
 * after(ms) timer pending): then the suspended async tasks can only be woken by a thread, and all are blocked. */
static void test_deadlock_with_async(void) {
    static const char *const blocked =
        "tmlc: deadlock: main is blocked forever on recv on an empty channel (no other task can wake it)";
    char want[256];
    for (int mode = 0; mode < 4; mode++) {
        TuChild *c = tu_run_child(child_async_deadlock, &mode);
        if (mode == 1 || mode == 3) {
            CHECK_EQ_I64(c->status, 0);
            CHECK_EQ_CSTR(c->out, "received 5, status 0, checks failed 0\n");
            CHECK_EQ_CSTR(c->err, "");
        } else {
            CHECK_EQ_I64(c->status, 104);
            CHECK_EQ_CSTR(c->out, "");
            snprintf(want, sizeof want, "%s%s\n", blocked, mode == 2 ? "; 1 async task(s) wait forever" : "");
            CHECK_EQ_CSTR(c->err, want);
        }
    }
}

/* ---- process exit: thread tasks joined while the executor runs, then pending async tasks aborted ---- */

static void run_join_async(void *env, void *out) {
    void *t = *(void **)env;
    tml_free(env, &tml_rt_runtime_loc);
    int64_t r = 0;
    BG_CHECK(tml_async_join(t, &r) == 1);
    dprintf(1, "thread joined %lld\n", (long long)r);
    put_i64(out, r);
}

static void child_exit(void *arg) {
    (void)arg;
    tu_failures = bg_failures = 0; /* the child's own */
    tml_runtime_init(0, NULL, 1);
    /* two async tasks that never finish (detached), spawned in this order: aborted newest first */
    tml_async_release(
        tml_async_spawn_future((void *)outer_poll, (void *)outer_drop, outer_new(1, 3600000, 0), 8, NULL));
    tml_async_release(
        tml_async_spawn_future((void *)outer_poll, (void *)outer_drop, outer_new(2, 3600000, 0), 8, NULL));
    /* a detached thread task waiting for an async task that ends after 30 ms: exit waits for both */
    void **env = tml_alloc(sizeof(void *), &box_site);
    *env = tml_async_spawn_future((void *)outer_poll, (void *)outer_drop, outer_new(3, 30, 21), 8, NULL);
    tml_task_detach(tml_task_spawn(run_join_async, env, 8, NULL));
    sleep_ms(5);
    int32_t status = tml_runtime_exit(0);
    char log[256];
    log_get(log, sizeof log);
    dprintf(1, "drops %s, status %d, live %lld, workers %lld, checks failed %d\n", log, (int)status,
            (long long)tml_async_live_tasks(), (long long)tml_async_workers(), tu_failures + bg_failures);
    _exit(0);
}

static void test_runtime_exit(void) {
    TuChild *c = tu_run_child(child_exit, NULL);
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_CSTR(c->out, "thread joined 42\ndrops O2O1, status 0, live 0, workers 0, checks failed 0\n");
    CHECK_EQ_CSTR(c->err, "");
}

/* ---- a poll that wakes a task, then blocks waiting for it (TML_SCHED=steal's quiet LIFO slot) ----
 * A sends on a capacity-1 channel, wakes B, and sends again: the second send blocks until B receives. On a steal
 * worker B went to A's worker's LIFO slot without a signal; the blocking send must wake the idle worker to steal
 * it (tml_rt_async_worker_blocks), or A's worker waits forever. Run with 2 workers, both schedulers. */
typedef struct LifoShared {
    void *ch;
    TmlWaker *b_waker; /* B's clone (set under mu) */
    int go;            /* B may receive (atomic) */
    int64_t got;
    pthread_mutex_t mu;
} LifoShared;

static int32_t lifo_b_poll(void *s, TmlWaker *w, void *out) {
    (void)out;
    LifoShared *sh = *(LifoShared **)s;
    if (__atomic_load_n(&sh->go, __ATOMIC_ACQUIRE)) {
        int64_t v = 0;
        BG_CHECK(tml_chan_recv(sh->ch, &v) == 1);
        sh->got = v;
        return 1;
    }
    pthread_mutex_lock(&sh->mu);
    TmlWaker *old = sh->b_waker;
    sh->b_waker = tml_waker_clone(w);
    pthread_mutex_unlock(&sh->mu);
    tml_waker_drop(old);
    return 0;
}

static int32_t lifo_a_poll(void *s, TmlWaker *w, void *out) {
    (void)w;
    (void)out;
    LifoShared *sh = *(LifoShared **)s;
    int64_t one = 1, two = 2;
    BG_CHECK(tml_chan_send(sh->ch, &one) == 1);
    __atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
    pthread_mutex_lock(&sh->mu);
    TmlWaker *b = sh->b_waker;
    sh->b_waker = NULL;
    pthread_mutex_unlock(&sh->mu);
    if (b) tml_waker_wake(b);
    BG_CHECK(tml_chan_send(sh->ch, &two) == 1); /* blocks until B has received `one` */
    return 1;
}

static void test_wake_then_block(void) {
    const char *scheds[2] = {"steal", "global"};
    for (int k = 0; k < 2; k++) {
        tml_async_shutdown();
        setenv("TML_WORKERS", "2", 1);
        setenv("TML_SCHED", scheds[k], 1);
        for (int round = 0; round < 20; round++) {
            LifoShared sh = {.ch = tml_chan_new(1, sizeof(int64_t))};
            pthread_mutex_init(&sh.mu, NULL);
            LifoShared *p = &sh;
            TmlAsyncTask *b = tml_async_spawn(lifo_b_poll, NULL, &p, sizeof p, 0, NULL);
            for (;;) { /* B has registered its waker */
                pthread_mutex_lock(&sh.mu);
                int ready = sh.b_waker != NULL;
                pthread_mutex_unlock(&sh.mu);
                if (ready) break;
                sleep_ms(1);
            }
            sleep_ms(2); /* both workers asleep */
            TmlAsyncTask *a = tml_async_spawn(lifo_a_poll, NULL, &p, sizeof p, 0, NULL);
            CHECK_EQ_I64(tml_async_join(a, NULL), 1);
            CHECK_EQ_I64(tml_async_join(b, NULL), 1);
            CHECK_EQ_I64(sh.got, 1);
            int64_t v = 0;
            CHECK_EQ_I64(tml_chan_try_recv(sh.ch, &v), 1);
            CHECK_EQ_I64(v, 2);
            tml_chan_release(sh.ch);
            pthread_mutex_destroy(&sh.mu);
        }
        tml_async_shutdown();
        unsetenv("TML_SCHED");
        unsetenv("TML_WORKERS");
    }
}

/* ---- two tasks waking each other through the LIFO slot do not starve the worker's list ----
 * With one worker: A and B wake each other until C has run; A spawns C (the tail of the worker's list) after 100
 * bounces, when they already go through the slot. */
typedef struct Starve {
    pthread_mutex_t mu;
    TmlWaker *w[2]; /* owned clones */
    int stop;       /* atomic */
    int64_t bounces;
    int64_t c_at; /* bounces when C ran */
    int spawned;
} Starve;
typedef struct StarveArg {
    Starve *sh;
    int64_t me;
} StarveArg;

static int32_t starve_c_poll(void *s, TmlWaker *w, void *out) {
    (void)w;
    (void)out;
    Starve *sh = *(Starve **)s;
    pthread_mutex_lock(&sh->mu);
    sh->c_at = sh->bounces;
    pthread_mutex_unlock(&sh->mu);
    __atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
    return 1;
}

static int32_t starve_poll(void *s, TmlWaker *w, void *out) {
    (void)out;
    StarveArg *a = s;
    Starve *sh = a->sh;
    if (a->me == 0 && sh->bounces >= 100 && !sh->spawned) { /* only A touches spawned */
        sh->spawned = 1;
        tml_async_release(tml_async_spawn(starve_c_poll, NULL, &sh, sizeof sh, 0, NULL));
    }
    pthread_mutex_lock(&sh->mu);
    sh->bounces++;
    TmlWaker *other = sh->w[1 - a->me];
    sh->w[1 - a->me] = NULL;
    int stop = __atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE) || sh->bounces > 1000000;
    TmlWaker *old = sh->w[a->me];
    sh->w[a->me] = stop ? NULL : tml_waker_clone(w);
    pthread_mutex_unlock(&sh->mu);
    tml_waker_drop(old);
    if (other) tml_waker_wake(other);
    return stop;
}

static void test_lifo_no_starvation(void) {
    tml_async_shutdown();
    setenv("TML_WORKERS", "1", 1);
    Starve sh = {.mu = PTHREAD_MUTEX_INITIALIZER};
    StarveArg a = {&sh, 0}, b = {&sh, 1};
    TmlAsyncTask *ta = tml_async_spawn(starve_poll, NULL, &a, sizeof a, 0, NULL);
    TmlAsyncTask *tb = tml_async_spawn(starve_poll, NULL, &b, sizeof b, 0, NULL);
    CHECK_EQ_I64(tml_async_join(ta, NULL), 1);
    CHECK_EQ_I64(tml_async_join(tb, NULL), 1);
    while (!__atomic_load_n(&sh.stop, __ATOMIC_ACQUIRE)) sleep_ms(1); /* C has run (it may run after A and B) */
    pthread_mutex_lock(&sh.mu);
    int64_t c_at = sh.c_at;
    pthread_mutex_unlock(&sh.mu);
    CHECK(c_at < 1000); /* C ran soon after it was spawned, not once the bounce limit stopped A and B */
    tml_waker_drop(sh.w[0]);
    tml_waker_drop(sh.w[1]);
    tml_async_shutdown();
    unsetenv("TML_WORKERS");
}

int main(void) {
    test_boxed_futures();
    test_boxed_memory();
    test_channel_mixed();
    test_channel_aborted_receivers();
    test_waiter_direct();
    test_task_await();
    test_wake_then_block();
    test_lifo_no_starvation();
    if (!getenv("TML_TEST_NO_FORK")) { /* set under Valgrind */
        test_deadlock_with_async();
        test_runtime_exit();
    }
    CHECK_EQ_I64(__atomic_load_n(&bg_failures, __ATOMIC_RELAXED), 0);
    return tu_finish("test_async_integ");
}
