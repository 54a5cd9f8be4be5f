/* timer.c — `after(ms)` (MEMORY.md §8): one runtime thread puts one element into a channel when its time comes.
 *
 * A timer is one tml_alloc'ed node on a list kept in due order; the channel records its pending timer (channel.c).
 * Ownership: the list owns the node until it fires; firing (on the timer thread, with timers_mu held) puts the
 * element, clears the channel's record and frees the node. A channel released before its timer fires cancels it
 * (tml_rt_timer_cancel, from tml_chan_release): the node is unlinked and freed at once, with timers_mu held, so the
 * timer thread never touches a freed channel and nothing waits for a timer nobody can receive from. The lock order
 * is timers_mu, then the channel's lock.
 *
 * The timer thread starts with the first timer and is stopped and joined by tml_runtime_exit (after the tasks),
 * so it is never a leak. A receiver waiting on a channel whose timer is pending is not counted as blocked (the
 * timer will wake it), so `after(10).recv()` in main alone is no deadlock. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "tml_runtime.h"

typedef struct TmlTimer {
    struct TmlTimer *next;
    struct timespec due; /* CLOCK_MONOTONIC */
    void *chan;
} TmlTimer;

static const TmlAllocSite timer_site = {{"<runtime>", 0, 0}, "Timer"};

static pthread_mutex_t timers_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t timers_cv; /* on CLOCK_MONOTONIC; initialised with the thread */
static TmlTimer *pending;        /* in due order, earliest first */
static int64_t pending_count; /* written under timers_mu, atomically: the deadlock detector reads it without */
static int thread_started, stopping;
static pthread_t timer_thread;

static int before(const struct timespec *a, const struct timespec *b) {
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* With timers_mu held: fires every timer that is due. */
static void fire_due_locked(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    while (pending && !before(&now, &pending->due)) {
        TmlTimer *t = pending;
        pending = t->next;
        tml_rt_chan_timer_fire(t->chan); /* wakes its async waiters (queues their tasks) before the count drops */
        __atomic_sub_fetch(&pending_count, 1, __ATOMIC_ACQ_REL);
        tml_free(t, &tml_rt_runtime_loc);
    }
}

static void *timer_main(void *arg) {
    (void)arg;
    pthread_mutex_lock(&timers_mu);
    while (!stopping) {
        fire_due_locked();
        if (stopping) break;
        if (pending)
            pthread_cond_timedwait(&timers_cv, &timers_mu, &pending->due);
        else
            pthread_cond_wait(&timers_cv, &timers_mu);
    }
    pthread_mutex_unlock(&timers_mu);
    return NULL;
}

/* With timers_mu held. */
static void start_thread_locked(void) {
    if (thread_started) return;
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&timers_cv, &a);
    pthread_condattr_destroy(&a);
    tml_rt_threads_starting();
    int e = pthread_create(&timer_thread, NULL, timer_main, NULL);
    if (e != 0) {
        pthread_mutex_unlock(&timers_mu);
        tml_rt_eprintf("tmlc: cannot start the timer thread (%s)\n", strerror(e));
        tml_rt_die(101);
    }
    thread_started = 1;
}

void tml_timer_after(void *ch, int64_t ms) {
    if (ms < 0) ms = 0;
    if (ms > (int64_t)1000 * 1000 * 1000 * 1000) ms = (int64_t)1000 * 1000 * 1000 * 1000; /* ~31 years */
    TmlTimer *t = tml_alloc((int64_t)sizeof(TmlTimer), &timer_site);
    memset(t, 0, sizeof *t);
    t->chan = ch;
    clock_gettime(CLOCK_MONOTONIC, &t->due);
    t->due.tv_sec += (time_t)(ms / 1000);
    t->due.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t->due.tv_nsec >= 1000000000L) {
        t->due.tv_sec++;
        t->due.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&timers_mu);
    start_thread_locked();
    tml_rt_chan_set_timer(ch, t);
    TmlTimer **p = &pending;
    while (*p && !before(&t->due, &(*p)->due)) p = &(*p)->next; /* equal due times fire in creation order */
    t->next = *p;
    *p = t;
    __atomic_add_fetch(&pending_count, 1, __ATOMIC_ACQ_REL);
    pthread_cond_signal(&timers_cv);
    pthread_mutex_unlock(&timers_mu);
}

void tml_rt_timer_cancel(void *ch) {
    pthread_mutex_lock(&timers_mu);
    TmlTimer *t = tml_rt_chan_timer(ch);
    if (t) {
        for (TmlTimer **p = &pending; *p; p = &(*p)->next)
            if (*p == t) {
                *p = t->next;
                break;
            }
        __atomic_sub_fetch(&pending_count, 1, __ATOMIC_ACQ_REL);
        tml_rt_chan_set_timer(ch, NULL);
        tml_free(t, &tml_rt_runtime_loc);
    }
    pthread_mutex_unlock(&timers_mu);
}

int64_t tml_timers_pending(void) {
    pthread_mutex_lock(&timers_mu); /* after a fire's receiver has woken, once its timer has been counted out */
    int64_t n = pending_count;
    pthread_mutex_unlock(&timers_mu);
    return n;
}

/* For the deadlock detector, which cannot take timers_mu (the lock order is timers_mu, a channel's, tasks_mu). */
int64_t tml_rt_timers_pending_unlocked(void) { return __atomic_load_n(&pending_count, __ATOMIC_ACQUIRE); }

void tml_rt_timers_shutdown(void) {
    pthread_mutex_lock(&timers_mu);
    if (!thread_started) {
        pthread_mutex_unlock(&timers_mu);
        return;
    }
    stopping = 1;
    pthread_cond_signal(&timers_cv);
    pthread_mutex_unlock(&timers_mu);
    pthread_join(timer_thread, NULL);
    pthread_mutex_lock(&timers_mu);
    thread_started = 0;
    stopping = 0;
    pthread_cond_destroy(&timers_cv);
    pthread_mutex_unlock(&timers_mu);
}
