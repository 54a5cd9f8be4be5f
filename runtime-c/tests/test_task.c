/* test_task.c — thread.c and channel.c: spawn/join/detach (results, drops, the join of every task at exit, no
 * thread joined twice), channels (FIFO order, blocking with capacity 1, close waking waiters, try_send/try_recv,
 * refcounts, many producers and consumers), and the runtime state that tasks share: atomic refcounts once a task
 * exists, the tracking allocator under concurrent allocations, panics from a task. Runs against every variant. */
#include "test_util.h"

#include <pthread.h>
#include <time.h>

#ifdef TML_DEBUG_MEMORY
#include "mem_track.h"
#endif

static const TmlAllocSite env_site = {{"task.tml", 1, 1}, "TaskEnv"};
static const TmlAllocSite box_site = {{"task.tml", 2, 1}, "Box[I64]"};
static const TmlLoc loc = {"task.tml", 3, 3};

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* A run function as the compiler generates it: unpacks env, frees it, calls the function, stores the result. */
typedef struct Args {
    int64_t a, b;
    int sleep_ms;
    void *ch;    /* a channel, for the channel workers */
    void *other; /* another task's handle */
} Args;

static Args *args_new(int64_t a, int64_t b) {
    Args *e = tml_alloc_zeroed(sizeof(Args), &env_site);
    e->a = a;
    e->b = b;
    return e;
}

static void store_i64(void *out, int64_t v) { memcpy(out, &v, sizeof v); }

static void run_add(void *env, void *out) {
    Args e = *(Args *)env;
    tml_free(env, &loc);
    if (e.sleep_ms) sleep_ms(e.sleep_ms);
    store_i64(out, e.a + e.b);
}

static int64_t spawn_join_i64(void (*run)(void *, void *), Args *env) {
    void *t = tml_task_spawn(run, env, sizeof(int64_t), NULL);
    int64_t r = -1;
    tml_task_join(t, &r);
    return r;
}

/* ---- spawn and join ---- */

typedef struct Triple {
    int64_t x, y, z;
} Triple;

static void run_triple(void *env, void *out) {
    Args e = *(Args *)env;
    tml_free(env, &loc);
    Triple t = {e.a, e.b, e.a * e.b};
    memcpy(out, &t, sizeof t);
}

static int unit_ran;

static void run_unit(void *env, void *out) {
    (void)out; /* result_size 0: nothing to write */
    tml_free(env, &loc);
    __atomic_store_n(&unit_ran, 1, __ATOMIC_RELAXED);
}

static void test_spawn_join(void) {
    int64_t base = tml_mem_live_blocks();
    Args *e = args_new(40, 2);
    CHECK_EQ_I64(tml_rt_single_threaded(), 1); /* the first test: no thread yet, plain refcounts */
    void *t = tml_task_spawn(run_add, e, sizeof(int64_t), NULL);
    CHECK(t != NULL);
    CHECK_EQ_I64(tml_rt_single_threaded(), 0); /* a thread exists: refcounts are atomic from now on */
    int64_t r = 0;
    tml_task_join(t, &r);
    CHECK_EQ_I64(r, 42);

    Triple tr = {0, 0, 0};
    t = tml_task_spawn(run_triple, args_new(6, 7), sizeof(Triple), NULL);
    tml_task_join(t, &tr);
    CHECK(tr.x == 6 && tr.y == 7 && tr.z == 42);

    t = tml_task_spawn(run_unit, args_new(0, 0), 0, NULL); /* result_size 0 */
    tml_task_join(t, NULL);
    CHECK_EQ_I64(__atomic_load_n(&unit_ran, __ATOMIC_RELAXED), 1);

    Args *slow = args_new(1, 2);
    slow->sleep_ms = 30; /* join really waits */
    CHECK_EQ_I64(spawn_join_i64(run_add, slow), 3);
    CHECK_EQ_I64(tml_tasks_registered(), 0);
    CHECK_EQ_I64(tml_mem_live_blocks(), base);
}

/* ---- 8 tasks summing in parallel ---- */

#define SUM_N 8000000LL

static void run_sum(void *env, void *out) {
    Args e = *(Args *)env;
    tml_free(env, &loc);
    int64_t s = 0;
    for (int64_t i = e.a; i < e.b; i++) s += i;
    store_i64(out, s);
}

static void test_parallel_sum(void) {
    void *t[8];
    for (int k = 0; k < 8; k++) t[k] = tml_task_spawn(run_sum, args_new(SUM_N * k / 8, SUM_N * (k + 1) / 8), 8, NULL);
    int64_t total = 0;
    for (int k = 0; k < 8; k++) {
        int64_t r = 0;
        tml_task_join(t[k], &r);
        total += r;
    }
    CHECK_EQ_I64(total, SUM_N * (SUM_N - 1) / 2);
}

/* ---- detach: results dropped when the task ends, or at once when it has already ended ---- */

static int64_t drops;

/* The result owns a heap block, like a task returning a unique owner. */
static void run_boxed(void *env, void *out) {
    Args e = *(Args *)env;
    tml_free(env, &loc);
    if (e.sleep_ms) sleep_ms(e.sleep_ms);
    int64_t *box = tml_alloc(sizeof(int64_t), &box_site);
    *box = e.a;
    memcpy(out, &box, sizeof box);
}

static void drop_boxed(void *result) {
    int64_t *box;
    memcpy(&box, result, sizeof box);
    __atomic_fetch_add(&drops, *box, __ATOMIC_RELAXED);
    tml_free(box, &loc);
}

static void wait_ended(void *t) {
    while (!tml_task_ended(t)) sleep_ms(1);
}

static void test_detach(void) {
    int64_t base = tml_mem_live_blocks();
    __atomic_store_n(&drops, 0, __ATOMIC_RELAXED);
    /* detached while running: the task's own thread drops the result */
    for (int i = 0; i < 6; i++) {
        Args *e = args_new(1, 0);
        e->sleep_ms = 100 + 10 * i;
        tml_task_detach(tml_task_spawn(run_boxed, e, sizeof(int64_t *), drop_boxed));
    }
    CHECK(__atomic_load_n(&drops, __ATOMIC_RELAXED) < 6); /* they are still sleeping */
    /* detached after it ended: dropped (and freed) right now */
    void *t = tml_task_spawn(run_boxed, args_new(100, 0), sizeof(int64_t *), drop_boxed);
    wait_ended(t);
    int64_t before = __atomic_load_n(&drops, __ATOMIC_RELAXED);
    tml_task_detach(t);
    CHECK_EQ_I64(__atomic_load_n(&drops, __ATOMIC_RELAXED) - before, 100);
    /* a detached task with no drop function */
    tml_task_detach(tml_task_spawn(run_add, args_new(1, 1), 8, NULL));

    tml_tasks_join_all(); /* what tml_runtime_exit does first */
    CHECK_EQ_I64(__atomic_load_n(&drops, __ATOMIC_RELAXED), 106);
    CHECK_EQ_I64(tml_tasks_registered(), 0);
    CHECK_EQ_I64(tml_mem_live_blocks(), base);
}

/* Ended threads are joined by the next spawn: detaching many short tasks does not pile up threads. */
static int64_t quick_runs;

static void run_quick(void *env, void *out) {
    tml_free(env, &loc);
    store_i64(out, 1);
    __atomic_fetch_add(&quick_runs, 1, __ATOMIC_RELEASE);
}

static void test_reap_on_spawn(void) {
    int64_t max_registered = 0;
    for (int i = 0; i < 200; i++) {
        while (__atomic_load_n(&quick_runs, __ATOMIC_ACQUIRE) < i) sleep_ms(1); /* the previous one has returned */
        tml_task_detach(tml_task_spawn(run_quick, args_new(i, 0), 8, NULL));
        int64_t n = tml_tasks_registered();
        if (n > max_registered) max_registered = n;
    }
    CHECK(max_registered <= 8); /* not 200: each spawn joined the threads that had ended */
    tml_tasks_join_all();
    CHECK_EQ_I64(tml_tasks_registered(), 0);
    CHECK_EQ_I64(__atomic_load_n(&quick_runs, __ATOMIC_ACQUIRE), 200);
}

/* A task joined by tml_tasks_join_all (its thread) is not joined again by its handle, and a handle joined by a task
 * while join_all joins the same thread waits for it. */
static void run_join_other(void *env, void *out) {
    Args e = *(Args *)env;
    tml_free(env, &loc);
    sleep_ms(e.sleep_ms);
    int64_t r = 0;
    tml_task_join(e.other, &r);
    store_i64(out, r + 1000);
}

static void test_no_double_join(void) {
    int64_t base = tml_mem_live_blocks();
    void *t = tml_task_spawn(run_add, args_new(5, 6), 8, NULL);
    tml_tasks_join_all(); /* joins its thread but leaves the task to its handle */
    CHECK_EQ_I64(tml_tasks_registered(), 0);
    int64_t r = 0;
    tml_task_join(t, &r);
    CHECK_EQ_I64(r, 11);

    Args *eb = args_new(20, 3);
    eb->sleep_ms = 40;
    void *b = tml_task_spawn(run_add, eb, 8, NULL);
    Args *ea = args_new(0, 0);
    ea->sleep_ms = 5;
    ea->other = b;
    void *a = tml_task_spawn(run_join_other, ea, 8, NULL);
    tml_tasks_join_all(); /* takes b first (a wants it too), then a */
    r = 0;
    tml_task_join(a, &r);
    CHECK_EQ_I64(r, 1023);
    CHECK_EQ_I64(tml_tasks_registered(), 0);
    CHECK_EQ_I64(tml_mem_live_blocks(), base);
}

/* ---- channels ---- */

typedef struct Msg {
    int64_t id;
    int32_t tag;
    char text[12];
} Msg; /* 24 bytes */

static void test_chan_fifo(void) {
    int64_t base = tml_mem_live_blocks();
    void *ch = tml_chan_new(8, sizeof(int64_t));
    for (int64_t i = 1; i <= 8; i++) CHECK_EQ_I64(tml_chan_try_send(ch, &i), 1);
    CHECK_EQ_I64(tml_chan_len(ch), 8);
    int64_t nine = 9, v = -1;
    CHECK_EQ_I64(tml_chan_try_send(ch, &nine), 0); /* full */
    CHECK_EQ_I64(tml_chan_len(ch), 8);
    int order_ok = 1;
    for (int64_t i = 1; i <= 8; i++) order_ok &= tml_chan_recv(ch, &v) == 1 && v == i;
    CHECK(order_ok);
    v = -1;
    CHECK_EQ_I64(tml_chan_try_recv(ch, &v), 0); /* empty */
    CHECK_EQ_I64(v, -1);                         /* nothing written */
    CHECK_EQ_I64(tml_chan_len(ch), 0);
    tml_chan_release(ch);

    /* around the ring many times, with an odd-sized element */
    ch = tml_chan_new(3, sizeof(Msg));
    int64_t next_in = 0, next_out = 0;
    order_ok = 1;
    for (int round = 0; round < 100; round++) {
        int k = 1 + round % 3;
        for (int j = 0; j < k; j++) {
            Msg m = {next_in, (int32_t)(next_in * 7), "msg"};
            snprintf(m.text, sizeof m.text, "m%d", (int)(next_in % 1000));
            next_in++;
            order_ok &= tml_chan_send(ch, &m) == 1;
        }
        for (int j = 0; j < k; j++) {
            Msg m;
            char want[12];
            snprintf(want, sizeof want, "m%d", (int)(next_out % 1000));
            order_ok &= tml_chan_try_recv(ch, &m) == 1 && m.id == next_out && m.tag == next_out * 7 &&
                        strcmp(m.text, want) == 0;
            next_out++;
        }
    }
    CHECK(order_ok);
    CHECK_EQ_I64(next_in, 199);
    CHECK_EQ_I64(next_out, 199);
    tml_chan_release(ch);
    CHECK_EQ_I64(tml_mem_live_blocks(), base);
}

/* The consumer: receives until the channel is closed and drained; returns the sum, counts into b. */
static int64_t consumed_count;

static void run_consumer(void *env, void *out) {
    Args e = *(Args *)env;
    tml_free(env, &loc);
    int64_t v, s = 0, n = 0;
    while (tml_chan_recv(e.ch, &v)) {
        s += v;
        n++;
    }
    __atomic_fetch_add(&consumed_count, n, __ATOMIC_RELAXED);
    tml_chan_release(e.ch); /* the task's reference */
    store_i64(out, s);
}

static void test_chan_blocking(void) {
    int64_t base = tml_mem_live_blocks();
    __atomic_store_n(&consumed_count, 0, __ATOMIC_RELAXED);
    void *ch = tml_chan_new(1, sizeof(int64_t));
    Args *e = args_new(0, 0);
    tml_chan_retain(ch);
    e->ch = ch;
    void *t = tml_task_spawn(run_consumer, e, 8, NULL);
    int all_sent = 1;
    for (int64_t i = 1; i <= 10000; i++) all_sent &= tml_chan_send(ch, &i) == 1; /* blocks while full */
    CHECK(all_sent);
    tml_chan_close(ch);
    int64_t sum = 0;
    tml_task_join(t, &sum);
    CHECK_EQ_I64(sum, 10000LL * 10001 / 2);
    CHECK_EQ_I64(__atomic_load_n(&consumed_count, __ATOMIC_RELAXED), 10000);
    tml_chan_release(ch);
    CHECK_EQ_I64(tml_mem_live_blocks(), base);
}

static void run_recv_once(void *env, void *out) {
    Args e = *(Args *)env;
    tml_free(env, &loc);
    int64_t v = -1;
    int32_t got = tml_chan_recv(e.ch, &v);
    int64_t r = got ? v : -100; /* -100: woken empty-handed */
    store_i64(out, r);
}

static void run_send_once(void *env, void *out) {
    Args e = *(Args *)env;
    tml_free(env, &loc);
    store_i64(out, tml_chan_send(e.ch, &e.a));
}

static void test_chan_close(void) {
    int64_t base = tml_mem_live_blocks();
    /* close wakes a blocked recv, which returns 0 */
    void *ch = tml_chan_new(4, sizeof(int64_t));
    Args *e = args_new(0, 0);
    e->ch = ch;
    void *t = tml_task_spawn(run_recv_once, e, 8, NULL);
    sleep_ms(50); /* let it block */
    CHECK_EQ_I64(tml_task_ended(t), 0);
    tml_chan_close(ch);
    int64_t r = 0;
    tml_task_join(t, &r);
    CHECK_EQ_I64(r, -100);

    /* send after close returns 0 and moves nothing; try_send too; try_recv on a closed empty channel is 0 */
    int64_t v = 7;
    CHECK_EQ_I64(tml_chan_send(ch, &v), 0);
    CHECK_EQ_I64(tml_chan_try_send(ch, &v), 0);
    CHECK_EQ_I64(tml_chan_len(ch), 0);
    CHECK_EQ_I64(tml_chan_try_recv(ch, &v), 0);
    CHECK_EQ_I64(tml_chan_recv(ch, &v), 0);
    tml_chan_release(ch);

    /* a closed channel still gives what it holds, then 0 */
    ch = tml_chan_new(4, sizeof(int64_t));
    for (int64_t i = 1; i <= 3; i++) tml_chan_send(ch, &i);
    tml_chan_close(ch);
    CHECK_EQ_I64(tml_chan_send(ch, &v), 0);
    CHECK_EQ_I64(tml_chan_len(ch), 3);
    CHECK(tml_chan_recv(ch, &v) == 1 && v == 1);
    CHECK(tml_chan_try_recv(ch, &v) == 1 && v == 2);
    CHECK(tml_chan_recv(ch, &v) == 1 && v == 3);
    CHECK_EQ_I64(tml_chan_recv(ch, &v), 0);
    CHECK_EQ_I64(tml_chan_try_recv(ch, &v), 0);
    tml_chan_release(ch);

    /* close wakes a send blocked on a full channel, which returns 0 (its element not moved in) */
    ch = tml_chan_new(1, sizeof(int64_t));
    v = 1;
    CHECK_EQ_I64(tml_chan_try_send(ch, &v), 1);
    CHECK_EQ_I64(tml_chan_try_send(ch, &v), 0); /* full */
    e = args_new(99, 0);
    e->ch = ch;
    t = tml_task_spawn(run_send_once, e, 8, NULL);
    sleep_ms(50);
    CHECK_EQ_I64(tml_task_ended(t), 0);
    tml_chan_close(ch);
    r = -1;
    tml_task_join(t, &r);
    CHECK_EQ_I64(r, 0);
    CHECK_EQ_I64(tml_chan_len(ch), 1);
    CHECK(tml_chan_recv(ch, &v) == 1 && v == 1); /* not 99 */
    CHECK_EQ_I64(tml_chan_recv(ch, &v), 0);
    tml_chan_release(ch);
    CHECK_EQ_I64(tml_mem_live_blocks(), base);
}

static void run_retain_release(void *env, void *out) {
    Args e = *(Args *)env;
    tml_free(env, &loc);
    for (int i = 0; i < 20000; i++) {
        tml_chan_retain(e.ch);
        tml_chan_release(e.ch);
    }
    tml_chan_release(e.ch); /* the reference it was given */
    store_i64(out, 0);
}

static void test_chan_refcount(void) {
    int64_t base = tml_mem_live_blocks();
    void *ch = tml_chan_new(2, 16);
#ifdef TML_DEBUG_MEMORY
    CHECK_EQ_I64(tml_mem_live_blocks(), base + 1);
#endif
    tml_chan_retain(ch);
    tml_chan_retain(ch);
    tml_chan_release(ch);
    tml_chan_release(ch);
#ifdef TML_DEBUG_MEMORY
    CHECK_EQ_I64(tml_mem_live_blocks(), base + 1); /* still referenced */
#endif
    void *t[4];
    for (int i = 0; i < 4; i++) {
        Args *e = args_new(0, 0);
        tml_chan_retain(ch);
        e->ch = ch;
        t[i] = tml_task_spawn(run_retain_release, e, 8, NULL);
    }
    for (int i = 0; i < 4; i++) {
        int64_t r;
        tml_task_join(t[i], &r);
    }
#ifdef TML_DEBUG_MEMORY
    CHECK_EQ_I64(tml_mem_live_blocks(), base + 1);
#endif
    CHECK_EQ_I64(*(int64_t *)ch, 1); /* the count is the first word */
    tml_chan_release(ch);            /* zero: freed (a second free would end a tracked build with 101) */
    CHECK_EQ_I64(tml_mem_live_blocks(), base);
}

/* ---- 4 producers, 4 consumers, 100,000 items ---- */

#define MPMC_ITEMS 100000
#define MPMC_PER_PRODUCER (MPMC_ITEMS / 4)
static int32_t seen[MPMC_ITEMS + 1];

static void run_producer(void *env, void *out) {
    Args e = *(Args *)env;
    tml_free(env, &loc);
    int64_t ok = 1;
    for (int64_t i = 0; i < MPMC_PER_PRODUCER; i++) {
        int64_t v = e.a * MPMC_PER_PRODUCER + i + 1;
        ok &= tml_chan_send(e.ch, &v);
    }
    tml_chan_release(e.ch);
    store_i64(out, ok);
}

typedef struct Tally {
    int64_t count, sum, squares;
} Tally;

static void run_mpmc_consumer(void *env, void *out) {
    Args e = *(Args *)env;
    tml_free(env, &loc);
    Tally t = {0, 0, 0};
    int64_t v;
    while (tml_chan_recv(e.ch, &v)) {
        t.count++;
        t.sum += v;
        t.squares += v * v;
        if (v >= 1 && v <= MPMC_ITEMS) __atomic_fetch_add(&seen[v], 1, __ATOMIC_RELAXED);
    }
    tml_chan_release(e.ch);
    memcpy(out, &t, sizeof t);
}

static void test_mpmc(void) {
    int64_t base = tml_mem_live_blocks();
    void *ch = tml_chan_new(16, sizeof(int64_t));
    void *prod[4], *cons[4];
    for (int i = 0; i < 4; i++) {
        Args *e = args_new(0, 0);
        tml_chan_retain(ch);
        e->ch = ch;
        cons[i] = tml_task_spawn(run_mpmc_consumer, e, sizeof(Tally), NULL);
    }
    for (int i = 0; i < 4; i++) {
        Args *e = args_new(i, 0);
        tml_chan_retain(ch);
        e->ch = ch;
        prod[i] = tml_task_spawn(run_producer, e, 8, NULL);
    }
    int64_t all_ok = 1;
    for (int i = 0; i < 4; i++) {
        int64_t ok = 0;
        tml_task_join(prod[i], &ok);
        all_ok &= ok;
    }
    CHECK_EQ_I64(all_ok, 1);
    tml_chan_close(ch);
    Tally total = {0, 0, 0};
    for (int i = 0; i < 4; i++) {
        Tally t;
        tml_task_join(cons[i], &t);
        total.count += t.count;
        total.sum += t.sum;
        total.squares += t.squares;
    }
    int64_t n = MPMC_ITEMS;
    CHECK_EQ_I64(total.count, n);
    CHECK_EQ_I64(total.sum, n * (n + 1) / 2);
    CHECK_EQ_I64(total.squares, n * (n + 1) * (2 * n + 1) / 6);
    int once = 1;
    for (int64_t v = 1; v <= n; v++) once &= seen[v] == 1;
    CHECK(once); /* every item received exactly once */
    CHECK_EQ_I64(tml_chan_len(ch), 0);
    tml_chan_release(ch);
    CHECK_EQ_I64(tml_mem_live_blocks(), base);
}

/* ---- shared runtime state under tasks ---- */

#define ALLOC_ROUNDS 10000

static void run_alloc_churn(void *env, void *out) {
    Args e = *(Args *)env;
    tml_free(env, &loc);
    char buf[32];
    for (int i = 0; i < ALLOC_ROUNDS; i++) {
        int n = snprintf(buf, sizeof buf, "t%lld-%d", (long long)e.a, i);
        TmlStr *s = tml_str_new(buf, n);  /* 1 allocation */
        TmlStr *d = tml_str_concat(s, s); /* 1 allocation */
        tml_str_retain(e.other);          /* a Str shared by every task */
        tml_str_release(e.other);
        char *p = tml_alloc(1 + i % 200, &box_site); /* 1 allocation */
        p[0] = 'x';
        tml_free(p, &loc);
        tml_str_release(d);
        tml_str_release(s);
    }
    store_i64(out, 0);
}

static void test_shared_runtime_state(void) {
    int64_t base = tml_mem_live_blocks();
#ifdef TML_DEBUG_MEMORY
    TmlTrackStats s0, s1;
    tml_track_get_stats(&s0);
#endif
    TmlStr *shared = tu_str("shared by every task");
    void *t[8];
    for (int i = 0; i < 8; i++) {
        Args *e = args_new(i, 0);
        e->other = shared;
        t[i] = tml_task_spawn(run_alloc_churn, e, 8, NULL);
    }
    for (int i = 0; i < 8; i++) {
        int64_t r;
        tml_task_join(t[i], &r);
    }
    CHECK_EQ_I64(shared->rc, 1); /* 80,000 concurrent retain/release pairs, none lost */
    tml_str_release(shared);
#ifdef TML_DEBUG_MEMORY
    tml_track_get_stats(&s1);
    /* the tasks' allocations (3 per round), their envs and task blocks, the shared Str: no count lost */
    CHECK_EQ_I64(s1.allocs - s0.allocs, 8 * 3 * ALLOC_ROUNDS + 8 * 2 + 1);
#endif
    CHECK_EQ_I64(tml_mem_live_blocks(), base);
}

/* class instances shared between tasks: atomic counts, the destructor runs once */
static int obj_drops;
static void obj_dtor(void *o) {
    __atomic_fetch_add(&obj_drops, 1, __ATOMIC_RELAXED);
    tml_obj_free(o);
}
static void *obj_vtable[] = {(void *)obj_dtor};
static const TmlAllocSite obj_site = {{"task.tml", 4, 4}, "Peer"};

static void run_obj_churn(void *env, void *out) {
    Args e = *(Args *)env;
    tml_free(env, &loc);
    for (int i = 0; i < 50000; i++) {
        tml_obj_retain(e.other);
        tml_obj_release(e.other);
    }
    tml_obj_release(e.other); /* the reference it was given */
    store_i64(out, 0);
}

static void test_shared_objects(void) {
    void *o = tml_obj_alloc(32, obj_vtable, &obj_site);
    void *t[4];
    for (int i = 0; i < 4; i++) {
        Args *e = args_new(0, 0);
        tml_obj_retain(o);
        e->other = o;
        t[i] = tml_task_spawn(run_obj_churn, e, 8, NULL);
    }
    for (int i = 0; i < 4; i++) {
        int64_t r;
        tml_task_join(t[i], &r);
    }
    CHECK_EQ_I64(tml_obj_refcount(o), 1);
    CHECK_EQ_I64(obj_drops, 0);
    tml_obj_release(o);
    CHECK_EQ_I64(obj_drops, 1);
}

/* ---- in a child process: panics from a task, the exit hook ---- */

static void run_panic(void *env, void *out) {
    (void)out;
    tml_free(env, &loc);
    TU_LIT(before, "printed before the panic");
    tml_println(before, 0);
    static const TmlLoc at = {"task.tml", 9, 5};
    tml_panic_cstr(&at, "boom from a task");
}

static void child_panic(void *arg) {
    (void)arg;
    tml_runtime_init(0, NULL, 1);
    void *t = tml_task_spawn(run_panic, args_new(0, 0), 0, NULL);
    tml_task_join(t, NULL); /* never returns: the panic ends the whole process */
    dprintf(1, "joined\n");
    tml_exit(0);
}

static void child_exit_joins(void *arg) {
    int leak_handle = *(int *)arg;
    tml_runtime_init(0, NULL, 1);
    for (int i = 0; i < 3; i++) {
        Args *e = args_new(1, 0);
        e->sleep_ms = 30;
        tml_task_detach(tml_task_spawn(run_boxed, e, sizeof(int64_t *), drop_boxed));
    }
    if (leak_handle) (void)tml_task_spawn(run_add, args_new(1, 1), 8, NULL); /* neither joined nor detached */
    int32_t status = tml_runtime_exit(0);
    dprintf(1, "drops=%lld registered=%lld status=%d\n", (long long)__atomic_load_n(&drops, __ATOMIC_RELAXED),
            (long long)tml_tasks_registered(), (int)status);
    _exit(0);
}

/* Deadlocks (status 104): kind 0, main returns while a task waits on an empty channel nobody can fill; kind 1, a
 * task blocked on a full channel; kind 2, main itself blocks on recv while the only task waits on another channel;
 * kind 3, a task joins a task that is blocked, main returns. */
static void child_deadlock(void *arg) {
    int kind = *(int *)arg;
    tml_runtime_init(0, NULL, 0);
    TU_LIT(before, "printed before");
    tml_println(before, 0); /* buffered: the report flushes it */
    void *ch = tml_chan_new(1, sizeof(int64_t));
    Args *e = args_new(7, 0);
    e->ch = ch;
    if (kind == 1) {
        int64_t v = 1;
        tml_chan_send(ch, &v); /* full: the task's send blocks */
    }
    void *t = tml_task_spawn(kind == 1 ? run_send_once : run_recv_once, e, 8, NULL);
    if (kind == 2) {
        void *other = tml_chan_new(1, sizeof(int64_t));
        int64_t v;
        tml_chan_recv(other, &v);
    }
    if (kind == 3) {
        Args *j = args_new(0, 0);
        j->other = t; /* run_join_other joins it */
        (void)tml_task_spawn(run_join_other, j, 8, NULL);
    }
    tml_runtime_exit(0);
    dprintf(1, "not reached\n");
    _exit(0);
}

static void test_deadlock(void) {
    static const char *const want[] = {
        "tmlc: deadlock: main returned, but 1 task(s) are blocked forever (1 on recv on an empty channel)\n",
        "tmlc: deadlock: main returned, but 1 task(s) are blocked forever (1 on send on a full channel)\n",
        "tmlc: deadlock: main is blocked on recv on an empty channel and 1 other task(s) are blocked forever (1 on "
        "recv on an empty channel)\n",
        "tmlc: deadlock: main returned, but 2 task(s) are blocked forever (1 on recv on an empty channel, 1 on join "
        "of a blocked task)\n",
    };
    for (int kind = 0; kind < 4; kind++) {
        TuChild *c = tu_run_child(child_deadlock, &kind);
        CHECK_EQ_I64(c->status, 104);
        CHECK_EQ_CSTR(c->out, "printed before\n");
        CHECK_EQ_CSTR(c->err, want[kind]);
    }
}

static void test_in_child(void) {
    test_deadlock();
    TuChild *c = tu_run_child(child_panic, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "panic at task.tml:9:5: boom from a task\n");
    CHECK_EQ_CSTR(c->out, "printed before the panic\n");

    int leak_handle = 0;
    c = tu_run_child(child_exit_joins, &leak_handle);
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_CSTR(c->out, "drops=3 registered=0 status=0\n"); /* detached tasks joined, results dropped, no leak */
    CHECK_EQ_CSTR(c->err, "");

#ifdef TML_DEBUG_MEMORY
    leak_handle = 1; /* a task handle that is never joined nor dropped is reported like any other leak */
    c = tu_run_child(child_exit_joins, &leak_handle);
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_CSTR(c->out, "drops=3 registered=0 status=102\n");
    CHECK(strstr(c->err, "tmlc: 1 leak (") != NULL);
    CHECK(strstr(c->err, "Task") != NULL);
#endif
}

int main(void) {
    test_in_child(); /* forks: before this process has threads */
    test_spawn_join();
    test_parallel_sum();
    test_detach();
    test_reap_on_spawn();
    test_no_double_join();
    test_chan_fifo();
    test_chan_blocking();
    test_chan_close();
    test_chan_refcount();
    test_mpmc();
    test_shared_runtime_state();
    test_shared_objects();
    tml_tasks_join_all();
    CHECK_EQ_I64(tml_tasks_registered(), 0);
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);
    CHECK_EQ_I64(tml_mem_live_bytes(), 0);
    return tu_finish("test_task");
}
