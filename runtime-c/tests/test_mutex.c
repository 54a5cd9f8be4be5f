/* test_mutex.c — mutex.c: lock/unlock, try_lock, mutual exclusion under contention from several tasks, a relock by
 * the holding thread reported as a deadlock (status 104), a lock wait taking part in deadlock detection, and
 * nothing left allocated. Runs against every variant. */
#include "test_util.h"

#include <pthread.h>

static const TmlAllocSite env_site = {{"mutex.tml", 1, 1}, "TaskEnv"};
static const TmlLoc loc = {"mutex.tml", 2, 2};

typedef struct Shared {
    void *m;
    int64_t counter; /* guarded by m */
} Shared;

typedef struct Env {
    Shared *s;
    int64_t rounds;
} Env;

static void run_increment(void *env, void *out) {
    Env e = *(Env *)env;
    tml_free(env, &loc);
    (void)out;
    for (int64_t i = 0; i < e.rounds; i++) {
        tml_mutex_lock(e.s->m);
        int64_t v = e.s->counter; /* a read-modify-write that loses updates without the lock */
        if ((i & 63) == 0) sched_yield();
        e.s->counter = v + 1;
        tml_mutex_unlock(e.s->m);
    }
}

static void test_lock_unlock(void) {
    void *m = tml_mutex_new();
    CHECK_EQ_I64(tml_mutex_is_locked(m), 0);
    tml_mutex_lock(m);
    CHECK_EQ_I64(tml_mutex_is_locked(m), 1);
    CHECK_EQ_I64(tml_mutex_try_lock(m), 0); /* held (by this thread): try_lock never waits */
    tml_mutex_unlock(m);
    CHECK_EQ_I64(tml_mutex_try_lock(m), 1);
    CHECK_EQ_I64(tml_mutex_is_locked(m), 1);
    tml_mutex_unlock(m);
    CHECK_EQ_I64(tml_mutex_is_locked(m), 0);
    tml_mutex_free(m);
}

static void test_contention(void) {
    Shared s = {tml_mutex_new(), 0};
    enum { N = 6, ROUNDS = 5000 };
    void *tasks[N];
    for (int i = 0; i < N; i++) {
        Env *e = tml_alloc_zeroed(sizeof(Env), &env_site);
        e->s = &s;
        e->rounds = ROUNDS;
        tasks[i] = tml_task_spawn(run_increment, e, 0, NULL);
    }
    /* main takes part too */
    for (int i = 0; i < ROUNDS; i++) {
        tml_mutex_lock(s.m);
        s.counter++;
        tml_mutex_unlock(s.m);
    }
    for (int i = 0; i < N; i++) tml_task_join(tasks[i], NULL);
    CHECK_EQ_I64(s.counter, (int64_t)(N + 1) * ROUNDS);
    tml_mutex_free(s.m);
}

static void child_relock(void *arg) {
    (void)arg;
    void *m = tml_mutex_new();
    tml_mutex_lock(m);
    TU_LIT(once, "locked once");
    tml_println(once, 0);
    tml_mutex_lock(m); /* never returns */
}

static void run_hold_and_recv(void *env, void *out) {
    Env e = *(Env *)env;
    tml_free(env, &loc);
    (void)out;
    tml_mutex_lock(e.s->m);
    void *ch = tml_chan_new(1, 8);
    int64_t x;
    tml_chan_recv(ch, &x); /* nobody ever sends: blocked forever, holding the mutex */
}

static void child_lock_held_by_blocked_task(void *arg) {
    (void)arg;
    static Shared s;
    s.m = tml_mutex_new();
    Env *e = tml_alloc_zeroed(sizeof(Env), &env_site);
    e->s = &s;
    tml_task_spawn(run_hold_and_recv, e, 0, NULL);
    while (!tml_mutex_is_locked(s.m)) sched_yield();
    tml_mutex_lock(s.m); /* held by a task that is blocked forever */
}

static void test_deadlocks(void) {
    TuChild *c = tu_run_child(child_relock, NULL);
    CHECK_EQ_I64(c->status, 104);
    CHECK_EQ_CSTR(c->out, "locked once\n");
    CHECK_EQ_CSTR(c->err, "tmlc: deadlock: main locks a mutex it already holds (its guard is still live)\n");
    c = tu_run_child(child_lock_held_by_blocked_task, NULL);
    CHECK_EQ_I64(c->status, 104);
    CHECK_EQ_CSTR(c->err, "tmlc: deadlock: main is blocked on lock of a held mutex and 1 other task(s) are blocked "
                          "forever (1 on recv on an empty channel)\n");
}

int main(void) {
    test_deadlocks(); /* forks: before this process has threads */
    test_lock_unlock();
    test_contention();
    tml_tasks_join_all();
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);
    return tu_finish("test_mutex");
}
