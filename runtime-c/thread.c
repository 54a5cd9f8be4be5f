/* thread.c — thread tasks (one OS thread each, MEMORY.md §8) and the deadlock detector that channels (channel.c)
 * and mutexes (mutex.c) report their blocked threads to.
 *
 * Tasks. A task is one tml_alloc'ed block: this header, then its result buffer (16-byte aligned). Two parties own
 * it: the handle (the TML `Task[R]` value) and the registry, which holds every task whose OS thread has not been
 * pthread_join'ed yet. Threads are never pthread_detach'ed: a thread keeps running code after its function
 * returns (thread-local destructors, e.g. object.c's thread_local pools), so the only way to know that it has
 * really ended is to join it. Whoever joins the OS thread ("reaps" it) takes the task off the registry; the task is
 * freed by the later of the reap and the end of the handle (tml_task_join, or tml_task_detach).
 *   - tml_task_join reaps the thread (or waits while another thread reaps it), copies the result out, frees.
 *   - tml_task_detach on a task still running marks it detached: when its function returns, the task's own thread
 *     drops the result (drop_result). On a task that has already ended it drops the result at once, reaps the
 *     thread (which is only finishing its exit path) and frees the task.
 *   - Ended threads are reaped lazily by the next tml_task_spawn (so detached tasks do not pile up as zombie
 *     threads), and tml_tasks_join_all (called by tml_runtime_exit before the leak check) reaps every thread still
 *     registered, waiting for running ones, detached ones included, and frees the detached tasks. A task whose
 *     handle is still held (never joined nor detached: the handle itself leaked) is reaped but left to its handle,
 *     so a debug build reports it as a leak.
 * A thread that is being reaped is "claimed" (by its reaper, or by the spawner until pthread_create has returned),
 * so no thread is ever joined twice.
 *
 * Before the first pthread_create the runtime sets its "threads started" flag (internal.h tml_rt_threads_starting):
 * from then on every refcount (Str, closures, objects) is atomic and the tracker and the pools take their locks. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "tml_async.h"
#include "tml_runtime.h"

typedef struct TmlTask {
    struct TmlTask *prev, *next; /* the registry list it is on (running or ended), while not reaped */
    struct TmlTask *reap_next;   /* a reaper's private batch */
    pthread_t thread;            /* written by the spawner while the task is claimed */
    void (*run)(void *env, void *out);
    void *env;
    void (*drop_result)(void *result);
    int64_t result_size;
    /* guarded by tasks_mu */
    int ended;       /* the thread will not touch the task again (it is on the `ended` list) */
    int done;        /* the function returned and the result is waiting for the handle */
    int detached;    /* tml_task_detach was called */
    int handle_gone; /* the handle's side has finished with the task */
    int claimed;     /* some thread is joining the OS thread (or the spawner has not published it yet) */
    int reaped;      /* the OS thread has been joined and the task is off the registry */
    int joiner_blocked; /* a tml_task_join waiting for this task is counted as blocked (deadlock detection) */
    TmlWaker *await_waker; /* an owned clone registered by tml_task_await while the task runs; woken at its end */
} TmlTask;

#define RESULT_OFFSET ((sizeof(TmlTask) + 15) & ~(size_t)15)

static inline void *task_result(TmlTask *t) { return (char *)t + RESULT_OFFSET; }

static const TmlAllocSite task_site = {{"<runtime>", 0, 0}, "Task"};

/* The registry: two circular lists around sentinels, tasks still running and tasks whose thread has ended (not yet
 * reaped). tasks_cv is broadcast whenever a task is reaped or a spawner releases its claim. */
static pthread_mutex_t tasks_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tasks_cv = PTHREAD_COND_INITIALIZER;
static TmlTask running = {.prev = &running, .next = &running};
static TmlTask ended = {.prev = &ended, .next = &ended};

/* ---- deadlock detection (docs/decisions.md "Runtime failures") ----
 * Every thread that waits for something only another TML thread can give (a channel's room or element, a task's
 * end, or, for main after it returned, the end of the remaining tasks) is counted as blocked, under tasks_mu, and
 * whoever makes its wait satisfiable uncounts it before waking it (a put uncounts the channel's receivers, a take
 * its senders, a close both, a task's end its joiner and main's exit wait). So "main is blocked and every running
 * task is blocked" can never change again: the thread that completes that picture reports it and ends the process
 * with status 104 (stdout flushed). Waits that something outside can end (reading stdin) are never counted. */
enum { BLOCK_NONE, BLOCK_SEND = TML_BLOCK_SEND, BLOCK_RECV = TML_BLOCK_RECV, BLOCK_JOIN, BLOCK_LOCK = TML_BLOCK_LOCK,
       BLOCK_EXIT };
static const char *const block_what[] = {"", "send on a full channel", "recv on an empty channel",
                                          "join of a blocked task", "lock of a held mutex", "the end of the other tasks"};
static int64_t blocked_tasks[5]; /* task threads blocked, by kind (BLOCK_SEND..BLOCK_LOCK) */
static int main_blocked;         /* what the main thread is blocked on (BLOCK_NONE while it runs) */
static _Thread_local int is_task_thread;
static _Thread_local int is_async_worker; /* never counted: see tml_rt_on_task_thread (internal.h) */

static void block_count_locked(int kind) {
    if (is_task_thread)
        blocked_tasks[kind]++;
    else
        main_blocked = kind;
}

static void block_uncount_locked(int kind, int task) {
    if (task)
        blocked_tasks[kind]--;
    else
        main_blocked = BLOCK_NONE;
}

static int64_t running_count_locked(void);

/* With tasks_mu held, after counting a thread blocked: if main and every running task are blocked, report and
 * end the process. */
static void deadlock_check_locked(void) {
    if (main_blocked == BLOCK_NONE) return;
    /* Async tasks may still send, receive, close or end what the threads wait for, unless the executor is
     * quiescent: no task queued or being polled, no delay pending, and no after(ms) timer pending that could wake
     * a task waiting on its channel. Then the suspended tasks can only be woken by a thread, and every thread is
     * blocked. (A block_on future runs on its own thread, which is then not counted blocked.) When the executor
     * becomes quiescent, a worker calls tml_rt_deadlock_recheck. Lock order: tasks_mu, then the executor's. */
    int64_t suspended = 0;
    if (!tml_rt_async_quiescent(&suspended)) return;
    if (suspended > 0 && tml_rt_timers_pending_unlocked() > 0) return;
    int64_t n = blocked_tasks[BLOCK_SEND] + blocked_tasks[BLOCK_RECV] + blocked_tasks[BLOCK_JOIN] + blocked_tasks[BLOCK_LOCK];
    if (n != running_count_locked()) return;
    char msg[512];
    size_t o = 0;
    if (main_blocked == BLOCK_EXIT)
        o += (size_t)snprintf(msg + o, sizeof msg - o, "tmlc: deadlock: main returned, but %lld task(s) are blocked forever",
                              (long long)n);
    else if (n == 0)
        o += (size_t)snprintf(msg + o, sizeof msg - o,
                              "tmlc: deadlock: main is blocked forever on %s (no other task can wake it)",
                              block_what[main_blocked]);
    else
        o += (size_t)snprintf(msg + o, sizeof msg - o,
                              "tmlc: deadlock: main is blocked on %s and %lld other task(s) are blocked forever",
                              block_what[main_blocked], (long long)n);
    const char *sep = " (";
    for (int k = BLOCK_SEND; k <= BLOCK_LOCK && o < sizeof msg; k++) {
        if (!blocked_tasks[k]) continue;
        o += (size_t)snprintf(msg + o, sizeof msg - o, "%s%lld on %s", sep, (long long)blocked_tasks[k], block_what[k]);
        sep = ", ";
    }
    if (o < sizeof msg) o += (size_t)snprintf(msg + o, sizeof msg - o, "%s", n ? ")" : "");
    if (suspended > 0 && o < sizeof msg)
        o += (size_t)snprintf(msg + o, sizeof msg - o, "; %lld async task(s) wait forever", (long long)suspended);
    if (o < sizeof msg) o += (size_t)snprintf(msg + o, sizeof msg - o, "\n");
    if (o >= sizeof msg) o = sizeof msg - 1;
    tml_rt_write_stderr(msg, o); /* flushes stdout first */
    _exit(104);
}

static inline void list_unlink(TmlTask *t) {
    t->prev->next = t->next;
    t->next->prev = t->prev;
    t->prev = t->next = NULL;
}

static inline void list_push(TmlTask *head, TmlTask *t) {
    t->next = head;
    t->prev = head->prev;
    head->prev->next = t;
    head->prev = t;
}

/* Called with tasks_mu held and t claimed by the caller: joins the OS thread (without the lock) and takes the task
 * off the registry. Returns 1 when the handle's side is already finished, i.e. the caller must free the task. */
static int reap_claimed_locked(TmlTask *t) {
    pthread_mutex_unlock(&tasks_mu);
    int e = pthread_join(t->thread, NULL);
    pthread_mutex_lock(&tasks_mu);
    if (e != 0) {
        pthread_mutex_unlock(&tasks_mu);
        tml_rt_eprintf("tmlc: internal error: cannot join a task's thread (%s)\n", strerror(e));
        tml_rt_die(101);
    }
    t->reaped = 1;
    list_unlink(t);
    pthread_cond_broadcast(&tasks_cv);
    return t->handle_gone;
}

/* Called with tasks_mu held: returns once t's thread has been joined, by this thread or by another one. */
static void ensure_reaped_locked(TmlTask *t) {
    while (!t->reaped) {
        if (t->claimed) {
            pthread_cond_wait(&tasks_cv, &tasks_mu);
        } else {
            t->claimed = 1;
            reap_claimed_locked(t); /* the caller holds the handle: handle_gone is 0 */
        }
    }
}

/* Joins the threads of tasks that have ended and nobody is joining yet (they only have their exit path left), and
 * frees those whose handle is gone (detached ones). */
static void reap_ended(void) {
    pthread_mutex_lock(&tasks_mu);
    TmlTask *batch = NULL;
    for (TmlTask *t = ended.next; t != &ended; t = t->next) {
        if (t->claimed) continue;
        t->claimed = 1;
        t->reap_next = batch;
        batch = t;
    }
    while (batch) {
        TmlTask *t = batch;
        batch = t->reap_next;
        if (reap_claimed_locked(t)) {
            pthread_mutex_unlock(&tasks_mu);
            tml_free(t, &tml_rt_runtime_loc);
            pthread_mutex_lock(&tasks_mu);
        }
    }
    pthread_mutex_unlock(&tasks_mu);
}

static int64_t running_count_locked(void) {
    int64_t n = 0;
    for (TmlTask *c = running.next; c != &running; c = c->next) n++;
    return n;
}

/* Called with tasks_mu held by the task's own thread: it will not touch t after the caller unlocks. Returns the
 * awaiting async task's waker (owned), for the caller to wake after unlocking. */
static TmlWaker *task_end_locked(TmlTask *t) {
    TmlWaker *w = t->await_waker;
    t->await_waker = NULL;
    t->ended = 1;
    list_unlink(t);
    list_push(&ended, t);
    if (t->joiner_blocked) { /* its joiner can go on */
        block_uncount_locked(BLOCK_JOIN, t->joiner_blocked == 2);
        t->joiner_blocked = 0;
    }
    if (main_blocked == BLOCK_EXIT) main_blocked = BLOCK_NONE; /* main, at exit, looks again */
    pthread_cond_broadcast(&tasks_cv);
    return w;
}

static void *task_main(void *arg) {
    TmlTask *t = arg;
    is_task_thread = 1;
    tml_rt_stack_guard_thread_init(); /* a stack overflow in the task is a panic too */
    t->run(t->env, task_result(t)); /* run frees env */
    tml_rt_stack_guard_thread_end();
    pthread_mutex_lock(&tasks_mu);
    TmlWaker *w = NULL;
    int drop_here = t->detached; /* detached while running: nobody else will drop the result */
    void (*drop)(void *) = t->drop_result;
    if (!drop_here) {
        t->done = 1;
        w = task_end_locked(t);
    }
    pthread_mutex_unlock(&tasks_mu);
    if (w) tml_waker_wake(w); /* t may be freed by now: only the waker is touched */
    if (drop_here) {
        if (drop) drop(task_result(t)); /* t stays valid: it cannot be freed before this thread is joined */
        pthread_mutex_lock(&tasks_mu);
        w = task_end_locked(t); /* NULL: a detached task has no awaiter */
        pthread_mutex_unlock(&tasks_mu);
        tml_waker_drop(w);
    }
    return NULL;
}

void *tml_task_spawn(void (*run)(void *env, void *out), void *env, int64_t result_size,
                     void (*drop_result)(void *result)) {
    if (result_size < 0 || (uint64_t)result_size > (uint64_t)INT64_MAX - RESULT_OFFSET)
        tml_rt_out_of_memory(result_size < 0 ? result_size : -1);
    reap_ended();
    TmlTask *t = tml_alloc((int64_t)RESULT_OFFSET + result_size, &task_site);
    memset(t, 0, sizeof *t);
    t->run = run;
    t->env = env;
    t->drop_result = drop_result;
    t->result_size = result_size;
    t->claimed = 1; /* until t->thread is written: no reaper may read it before */
    pthread_mutex_lock(&tasks_mu);
    list_push(&running, t);
    pthread_mutex_unlock(&tasks_mu);

    tml_rt_threads_starting(); /* before the new thread starts: refcounts become atomic */
    pthread_t thread;
    int e = pthread_create(&thread, NULL, task_main, t);
    if (e != 0) {
        tml_rt_eprintf("tmlc: cannot start a task (%s)\n", strerror(e));
        tml_rt_die(101);
    }
    pthread_mutex_lock(&tasks_mu);
    t->thread = thread;
    t->claimed = 0;
    pthread_cond_broadcast(&tasks_cv);
    pthread_mutex_unlock(&tasks_mu);
    return t;
}

void tml_task_join(void *task, void *out) {
    TmlTask *t = task;
    pthread_mutex_lock(&tasks_mu);
    while (!t->ended) { /* blocked until the task ends (task_end_locked uncounts us) */
        if (!t->joiner_blocked && !is_async_worker) {
            t->joiner_blocked = is_task_thread ? 2 : 1;
            block_count_locked(BLOCK_JOIN);
            deadlock_check_locked();
        }
        if (is_async_worker) tml_rt_async_worker_blocks(); /* lock order: tasks_mu, then async.c's mu */
        pthread_cond_wait(&tasks_cv, &tasks_mu);
    }
    ensure_reaped_locked(t);
    TmlWaker *w = t->await_waker; /* NULL: the task's end took it (it is only set while the task runs) */
    t->await_waker = NULL;
    pthread_mutex_unlock(&tasks_mu);
    tml_waker_drop(w);
    if (t->result_size > 0) memcpy(out, task_result(t), (size_t)t->result_size);
    tml_free(t, &tml_rt_runtime_loc);
}

int32_t tml_task_await(void *task, TmlWaker *waker, void *out) {
    TmlTask *t = task;
    TmlWaker *old = NULL;
    pthread_mutex_lock(&tasks_mu);
    if (!t->ended) {
        if (!t->await_waker || !tml_waker_will_wake(t->await_waker, waker)) {
            old = t->await_waker;
            t->await_waker = tml_waker_clone(waker);
        }
        pthread_mutex_unlock(&tasks_mu);
        tml_waker_drop(old);
        return 0;
    }
    ensure_reaped_locked(t); /* the thread is at most finishing its exit path */
    pthread_mutex_unlock(&tasks_mu);
    if (t->result_size > 0) memcpy(out, task_result(t), (size_t)t->result_size);
    tml_free(t, &tml_rt_runtime_loc);
    return 1;
}

void tml_task_detach(void *task) {
    TmlTask *t = task;
    pthread_mutex_lock(&tasks_mu);
    t->detached = 1;
    TmlWaker *w = t->await_waker; /* an awaiter that gave up (an aborted async task): nobody waits any more */
    t->await_waker = NULL;
    if (!t->done) { /* still running: its thread drops the result, its reaper frees the task */
        t->handle_gone = 1;
        pthread_mutex_unlock(&tasks_mu);
        tml_waker_drop(w);
        return;
    }
    pthread_mutex_unlock(&tasks_mu);
    tml_waker_drop(w);
    /* already ended: the result is dropped now, the thread joined (it is at most finishing its exit path), freed */
    if (t->drop_result) t->drop_result(task_result(t));
    pthread_mutex_lock(&tasks_mu);
    ensure_reaped_locked(t);
    pthread_mutex_unlock(&tasks_mu);
    tml_free(t, &tml_rt_runtime_loc);
}

void tml_tasks_join_all(void) {
    pthread_mutex_lock(&tasks_mu);
    for (;;) {
        TmlTask *t = NULL;
        for (TmlTask *c = ended.next; !t && c != &ended; c = c->next)
            if (!c->claimed) t = c;
        if (!t && running.next != &running && !is_task_thread) {
            /* main waits for running tasks to end, as a blocked thread: if they are all blocked, nobody ever will */
            main_blocked = BLOCK_EXIT;
            deadlock_check_locked();
            pthread_cond_wait(&tasks_cv, &tasks_mu);
            main_blocked = BLOCK_NONE;
            continue;
        }
        for (TmlTask *c = running.next; !t && c != &running; c = c->next)
            if (!c->claimed) t = c;
        if (t) {
            t->claimed = 1;
            if (reap_claimed_locked(t)) {
                pthread_mutex_unlock(&tasks_mu);
                tml_free(t, &tml_rt_runtime_loc);
                pthread_mutex_lock(&tasks_mu);
            }
            continue;
        }
        if (running.next == &running && ended.next == &ended) break;
        pthread_cond_wait(&tasks_cv, &tasks_mu); /* the rest are being joined by other threads */
    }
    pthread_mutex_unlock(&tasks_mu);
}

int64_t tml_tasks_registered(void) {
    int64_t n = 0;
    pthread_mutex_lock(&tasks_mu);
    for (TmlTask *c = running.next; c != &running; c = c->next) n++;
    for (TmlTask *c = ended.next; c != &ended; c = c->next) n++;
    pthread_mutex_unlock(&tasks_mu);
    return n;
}

int32_t tml_task_ended(void *task) {
    pthread_mutex_lock(&tasks_mu);
    int32_t e = ((TmlTask *)task)->ended;
    pthread_mutex_unlock(&tasks_mu);
    return e;
}

/* ======================================================================================================
 * Waiters (internal.h): a channel's senders and receivers, a mutex's lockers
 * ====================================================================================================== */

int tml_rt_on_task_thread(void) { return is_async_worker ? 2 : is_task_thread; }

void tml_rt_thread_is_async_worker(void) { is_async_worker = 1; }

void tml_rt_deadlock_recheck(void) {
    pthread_mutex_lock(&tasks_mu);
    deadlock_check_locked();
    pthread_mutex_unlock(&tasks_mu);
}

void tml_rt_waiters_wake(TmlWaiter *w, int kind) {
    if (!w) return;
    pthread_mutex_lock(&tasks_mu);
    for (; w; w = w->next)
        if (w->counted) {
            w->counted = 0;
            block_uncount_locked(kind, w->task);
        }
    pthread_mutex_unlock(&tasks_mu);
}

void tml_rt_waiters_block(TmlWaiter *w, int kind) {
    pthread_mutex_lock(&tasks_mu);
    for (; w; w = w->next)
        if (!w->counted && w->task != 2) { /* an async worker's wait is not counted */
            w->counted = 1;
            if (w->task)
                blocked_tasks[kind]++;
            else
                main_blocked = kind;
        }
    deadlock_check_locked();
    pthread_mutex_unlock(&tasks_mu);
}

void tml_rt_waiter_remove(TmlWaiter **list, TmlWaiter *me, int kind) {
    for (TmlWaiter **p = list; *p; p = &(*p)->next)
        if (*p == me) {
            *p = me->next;
            break;
        }
    if (me->counted) { /* defensive: a satisfied wait has been uncounted already */
        me->next = NULL;
        tml_rt_waiters_wake(me, kind);
    }
}
