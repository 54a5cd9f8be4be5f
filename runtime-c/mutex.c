/* mutex.c — the lock of a `Mutex[T]` (MEMORY.md §8; stdlib/core/sync.tml keeps the value and the guard).
 *
 * A mutex is one tml_alloc'ed block: a pthread mutex guarding the state, a condition variable, whether it is held
 * and by which thread, and the list of threads waiting for it. It is not a bare pthread mutex so that a thread
 * waiting for it takes part in deadlock detection like a channel's receiver (thread.c): a waiter is counted blocked
 * while the mutex is held, and uncounted by the unlock that lets it go on. Locking a mutex that the calling thread
 * already holds can never succeed (the guard that would unlock it belongs to the same thread, which is now
 * waiting): that is reported at once as a deadlock, status 104. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "tml_runtime.h"

typedef struct TmlMutex {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int locked;            /* guarded by mu */
    const void *holder;    /* guarded by mu: the holding thread's identity (the address of its thread_self) */
    TmlWaiter *waiters;    /* guarded by mu */
} TmlMutex;

static const TmlAllocSite mutex_site = {{"<runtime>", 0, 0}, "Mutex"};

/* A per-thread address: the identity of the calling thread. */
static _Thread_local char thread_self;

void *tml_mutex_new(void) {
    TmlMutex *m = tml_alloc((int64_t)sizeof(TmlMutex), &mutex_site);
    memset(m, 0, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->cv, NULL);
    return m;
}

void tml_mutex_free(void *mutex) {
    TmlMutex *m = mutex;
    pthread_cond_destroy(&m->cv);
    pthread_mutex_destroy(&m->mu);
    tml_free(m, &tml_rt_runtime_loc);
}

TML_NORETURN static void relock_deadlock(TmlMutex *m) {
    pthread_mutex_unlock(&m->mu);
    char msg[160];
    int n = snprintf(msg, sizeof msg,
                     "tmlc: deadlock: %s locks a mutex it already holds (its guard is still live)\n",
                     tml_rt_on_task_thread() ? "a task" : "main");
    tml_rt_write_stderr(msg, (size_t)n); /* flushes stdout first */
    _exit(104);
}

void tml_mutex_lock(void *mutex) {
    TmlMutex *m = mutex;
    pthread_mutex_lock(&m->mu);
    if (m->locked && m->holder == &thread_self) relock_deadlock(m);
    if (m->locked) {
        TmlWaiter me = {m->waiters, tml_rt_on_task_thread(), 0};
        m->waiters = &me;
        while (m->locked) {
            tml_rt_waiters_block(m->waiters, TML_BLOCK_LOCK);
            tml_rt_async_worker_blocks();
            pthread_cond_wait(&m->cv, &m->mu);
        }
        tml_rt_waiter_remove(&m->waiters, &me, TML_BLOCK_LOCK);
    }
    m->locked = 1;
    m->holder = &thread_self;
    pthread_mutex_unlock(&m->mu);
}

int32_t tml_mutex_try_lock(void *mutex) {
    TmlMutex *m = mutex;
    pthread_mutex_lock(&m->mu);
    int32_t ok = !m->locked;
    if (ok) {
        m->locked = 1;
        m->holder = &thread_self;
    }
    pthread_mutex_unlock(&m->mu);
    return ok;
}

void tml_mutex_unlock(void *mutex) {
    TmlMutex *m = mutex;
    pthread_mutex_lock(&m->mu);
    m->locked = 0;
    m->holder = NULL;
    /* every waiter can try again: uncounted, woken (the ones that lose the race count themselves again) */
    tml_rt_waiters_wake(m->waiters, TML_BLOCK_LOCK);
    pthread_cond_broadcast(&m->cv);
    pthread_mutex_unlock(&m->mu);
}

int32_t tml_mutex_is_locked(void *mutex) {
    TmlMutex *m = mutex;
    pthread_mutex_lock(&m->mu);
    int32_t l = m->locked;
    pthread_mutex_unlock(&m->mu);
    return l;
}
