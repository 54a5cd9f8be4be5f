/* channel.c — channels (bounded FIFO queues, MEMORY.md §8), shared by thread tasks (blocking send/recv, which
 * take part in deadlock detection: thread.c) and async tasks (waiters, below).
 *
 * One tml_alloc'ed block: the header (atomic refcount, a mutex, two condition variables) and a ring buffer of
 * capacity × elem_size bytes. Elements are moved in and out as raw bytes; the TML side drops what is still
 * buffered before the last release.
 *
 * Async waiters (tml_async.h "async waits on a channel"). A ChanWaiter is the boxed state of a future that waits,
 * without blocking a thread, until the channel can be received from (kind 0) or sent to (kind 1). While pending it
 * is on the channel's list for its kind (doubly linked, guarded by the channel's lock) and holds a waker clone.
 * Whatever may make a kind's condition true (a put, a take, close) takes every waiter of that kind off the list
 * and wakes them all: the woken tasks poll again, re-check under the lock and re-register if they lost the race.
 * Wake-all rather than wake-one, because a woken task may be aborted before it polls: it would take with it the
 * one wakeup another waiter needed. The wakers are collected under the lock (WakeBatch) and woken after it is
 * released (beyond 8 at once, the rest are woken under the lock; waking only takes the executor's lock or a
 * parker's, never a channel's, so the lock order is: timers_mu, a channel's lock, tasks_mu, the executor's). The
 * waiter retains the channel from tml_chan_waiter_new until it completes or is dropped, so a channel is never
 * freed with a waiter on its lists. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tml_async.h"
#include "tml_runtime.h"

typedef struct TmlChan {
    int64_t rc; /* atomic, always (channels exist to be shared between threads) */
    TmlWaiter *senders, *receivers; /* guarded by mu */
    struct ChanWaiter *async_waiters[2]; /* guarded by mu: by kind, 0 receive, 1 send */
    void *timer; /* guarded by mu: the pending timer that will put the one element (after(ms), timer.c), or NULL */
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    int64_t capacity, elem_size;
    int64_t head, count; /* ring buffer: the oldest element is at index head */
    int32_t closed;
} TmlChan;

#define CHAN_BUF_OFFSET ((sizeof(TmlChan) + 15) & ~(size_t)15)

static const TmlAllocSite chan_site = {{"<runtime>", 0, 0}, "Channel"};

typedef struct ChanWaiter {
    struct TmlChan *ch; /* retained; NULL once the waiter has completed or been dropped */
    struct ChanWaiter *prev, *next; /* on ch->async_waiters[kind] while registered (ch->mu) */
    TmlWaker *waker; /* owned clone while registered (ch->mu) */
    int32_t kind;
    int32_t registered; /* ch->mu */
} ChanWaiter;

enum { WAIT_RECV = 0, WAIT_SEND = 1 };

/* Wakers taken off a channel's lists under its lock, woken once it is released. */
typedef struct WakeBatch {
    TmlWaker *w[8];
    int n;
} WakeBatch;

static inline unsigned char *chan_slot(TmlChan *c, int64_t i) {
    return (unsigned char *)c + CHAN_BUF_OFFSET + (size_t)(i % c->capacity) * (size_t)c->elem_size;
}

void *tml_chan_new(int64_t capacity, int64_t elem_size) {
    if (capacity < 1) tml_panic_cstr(NULL, "a channel needs a capacity of at least 1");
    if (elem_size < 0) tml_rt_out_of_memory(elem_size);
    int64_t bytes;
    if (__builtin_mul_overflow(capacity, elem_size, &bytes) ||
        __builtin_add_overflow(bytes, (int64_t)CHAN_BUF_OFFSET, &bytes))
        tml_rt_out_of_memory(-1);
    TmlChan *c = tml_alloc(bytes, &chan_site);
    memset(c, 0, sizeof *c);
    c->rc = 1;
    c->capacity = capacity;
    c->elem_size = elem_size;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->not_empty, NULL);
    pthread_cond_init(&c->not_full, NULL);
    return c;
}

void tml_chan_retain(void *ch) { __atomic_fetch_add(&((TmlChan *)ch)->rc, 1, __ATOMIC_RELAXED); }

void tml_chan_release(void *ch) {
    TmlChan *c = ch;
    if (__atomic_fetch_sub(&c->rc, 1, __ATOMIC_ACQ_REL) != 1) return;
    tml_rt_timer_cancel(c); /* a timer that has not fired yet ends with its channel */
    pthread_cond_destroy(&c->not_full);
    pthread_cond_destroy(&c->not_empty);
    pthread_mutex_destroy(&c->mu);
    tml_free(c, &tml_rt_runtime_loc);
}

static void chan_uncount(TmlWaiter *w, int kind) { tml_rt_waiters_wake(w, kind); }

/* With c->mu held: every async waiter of `kind` goes off the list; their wakers go to the batch. */
static void wake_async_locked(TmlChan *c, int kind, WakeBatch *b) {
    ChanWaiter *w = c->async_waiters[kind];
    c->async_waiters[kind] = NULL;
    for (; w; w = w->next) {
        w->registered = 0;
        w->prev = NULL;
        TmlWaker *k = w->waker;
        w->waker = NULL;
        if (b->n < (int)(sizeof b->w / sizeof b->w[0]))
            b->w[b->n++] = k;
        else
            tml_waker_wake(k);
    }
}

static void chan_unlock_and_wake(TmlChan *c, WakeBatch *b) {
    pthread_mutex_unlock(&c->mu);
    for (int i = 0; i < b->n; i++) tml_waker_wake(b->w[i]);
}

/* With c->mu held, before waiting on `cv`: every waiter on list `w` (the condition is false for all of them) is
 * blocked, unless a pending timer will put an element (then the receivers are only waiting); then a deadlock
 * check. */
static void chan_wait(TmlChan *c, TmlWaiter *w, int kind, pthread_cond_t *cv) {
    if (!(kind == TML_BLOCK_RECV && c->timer)) tml_rt_waiters_block(w, kind);
    tml_rt_async_worker_blocks();
    pthread_cond_wait(cv, &c->mu);
}

static void chan_waiter_remove(TmlWaiter **list, TmlWaiter *me, int kind) { tml_rt_waiter_remove(list, me, kind); }

/* With c->mu held and room in the queue. */
static void chan_put_locked(TmlChan *c, const void *elem, WakeBatch *b) {
    if (c->elem_size > 0) memcpy(chan_slot(c, c->head + c->count), elem, (size_t)c->elem_size);
    c->count++;
    chan_uncount(c->receivers, TML_BLOCK_RECV);
    pthread_cond_signal(&c->not_empty);
    wake_async_locked(c, WAIT_RECV, b);
}

/* With c->mu held and an element in the queue. */
static void chan_take_locked(TmlChan *c, void *out, WakeBatch *b) {
    if (c->elem_size > 0) memcpy(out, chan_slot(c, c->head), (size_t)c->elem_size);
    c->head = (c->head + 1) % c->capacity;
    c->count--;
    chan_uncount(c->senders, TML_BLOCK_SEND);
    pthread_cond_signal(&c->not_full);
    wake_async_locked(c, WAIT_SEND, b);
}

int32_t tml_chan_send(void *ch, const void *elem) {
    TmlChan *c = ch;
    pthread_mutex_lock(&c->mu);
    if (c->count == c->capacity && !c->closed) {
        TmlWaiter me = {c->senders, tml_rt_on_task_thread(), 0};
        c->senders = &me;
        while (c->count == c->capacity && !c->closed) chan_wait(c, c->senders, TML_BLOCK_SEND, &c->not_full);
        chan_waiter_remove(&c->senders, &me, TML_BLOCK_SEND);
    }
    int32_t ok = !c->closed;
    WakeBatch b = {.n = 0};
    if (ok) chan_put_locked(c, elem, &b);
    chan_unlock_and_wake(c, &b);
    return ok;
}

int32_t tml_chan_try_send(void *ch, const void *elem) {
    TmlChan *c = ch;
    pthread_mutex_lock(&c->mu);
    int32_t ok = !c->closed && c->count < c->capacity;
    WakeBatch b = {.n = 0};
    if (ok) chan_put_locked(c, elem, &b);
    chan_unlock_and_wake(c, &b);
    return ok;
}

int32_t tml_chan_recv(void *ch, void *out) {
    TmlChan *c = ch;
    pthread_mutex_lock(&c->mu);
    if (c->count == 0 && !c->closed) {
        TmlWaiter me = {c->receivers, tml_rt_on_task_thread(), 0};
        c->receivers = &me;
        while (c->count == 0 && !c->closed) chan_wait(c, c->receivers, TML_BLOCK_RECV, &c->not_empty);
        chan_waiter_remove(&c->receivers, &me, TML_BLOCK_RECV);
    }
    int32_t ok = c->count > 0; /* a closed channel still gives what it holds */
    WakeBatch b = {.n = 0};
    if (ok) chan_take_locked(c, out, &b);
    chan_unlock_and_wake(c, &b);
    return ok;
}

int32_t tml_chan_try_recv(void *ch, void *out) {
    TmlChan *c = ch;
    pthread_mutex_lock(&c->mu);
    int32_t ok = c->count > 0;
    WakeBatch b = {.n = 0};
    if (ok) chan_take_locked(c, out, &b);
    chan_unlock_and_wake(c, &b);
    return ok;
}

void tml_chan_close(void *ch) {
    TmlChan *c = ch;
    pthread_mutex_lock(&c->mu);
    c->closed = 1;
    chan_uncount(c->receivers, TML_BLOCK_RECV);
    chan_uncount(c->senders, TML_BLOCK_SEND);
    pthread_cond_broadcast(&c->not_empty);
    pthread_cond_broadcast(&c->not_full);
    WakeBatch b = {.n = 0};
    wake_async_locked(c, WAIT_RECV, &b);
    wake_async_locked(c, WAIT_SEND, &b);
    chan_unlock_and_wake(c, &b);
}

int64_t tml_chan_len(void *ch) {
    TmlChan *c = ch;
    pthread_mutex_lock(&c->mu);
    int64_t n = c->count;
    pthread_mutex_unlock(&c->mu);
    return n;
}

int32_t tml_chan_is_closed(void *ch) {
    TmlChan *c = ch;
    pthread_mutex_lock(&c->mu);
    int32_t closed = c->closed;
    pthread_mutex_unlock(&c->mu);
    return closed;
}

/* ---- timers (timer.c): a channel with a pending timer ---- */

void tml_rt_chan_set_timer(void *ch, void *timer) {
    TmlChan *c = ch;
    pthread_mutex_lock(&c->mu);
    c->timer = timer;
    pthread_mutex_unlock(&c->mu);
}

void *tml_rt_chan_timer(void *ch) {
    TmlChan *c = ch;
    pthread_mutex_lock(&c->mu);
    void *t = c->timer;
    pthread_mutex_unlock(&c->mu);
    return t;
}

void tml_rt_chan_timer_fire(void *ch) {
    TmlChan *c = ch;
    static const unsigned char unit[16] = {0};
    pthread_mutex_lock(&c->mu);
    c->timer = NULL;
    WakeBatch b = {.n = 0};
    if (!c->closed && c->count < c->capacity && c->elem_size <= (int64_t)sizeof unit) chan_put_locked(c, unit, &b);
    pthread_cond_broadcast(&c->not_empty); /* receivers look again (and count as blocked if nothing came) */
    chan_unlock_and_wake(c, &b);
}

/* ---- async waiters ---- */

static const TmlAllocSite waiter_site = {{"<runtime>", 0, 0}, "ChannelWaiter"};

void *tml_chan_waiter_new(void *ch, int32_t kind) {
    if (kind != WAIT_RECV && kind != WAIT_SEND) tml_rt_panic_at(NULL, "invalid channel waiter kind");
    ChanWaiter *w = tml_alloc((int64_t)sizeof(ChanWaiter), &waiter_site);
    memset(w, 0, sizeof *w);
    tml_chan_retain(ch);
    w->ch = ch;
    w->kind = kind;
    return w;
}

/* With c->mu held and w registered. */
static void waiter_unlink_locked(TmlChan *c, ChanWaiter *w) {
    if (w->prev)
        w->prev->next = w->next;
    else
        c->async_waiters[w->kind] = w->next;
    if (w->next) w->next->prev = w->prev;
    w->prev = w->next = NULL;
    w->registered = 0;
}

/* The drop of a waiter that has not completed: off the list, its waker clone dropped, the channel released. */
static void chan_waiter_drop(void *state) {
    ChanWaiter *w = state;
    if (!w->ch) return; /* completed */
    TmlChan *c = w->ch;
    pthread_mutex_lock(&c->mu);
    if (w->registered) waiter_unlink_locked(c, w);
    TmlWaker *old = w->waker;
    w->waker = NULL;
    pthread_mutex_unlock(&c->mu);
    tml_waker_drop(old);
    w->ch = NULL;
    tml_chan_release(c);
}

static int32_t chan_waiter_poll(void *state, TmlWaker *waker, void *out) {
    (void)out;
    ChanWaiter *w = state;
    TmlChan *c = w->ch;
    if (!c) return 1; /* defensive: polled again after completing */
    TmlWaker *old = NULL;
    pthread_mutex_lock(&c->mu);
    int ready = c->closed || (w->kind == WAIT_RECV ? c->count > 0 : c->count < c->capacity);
    if (!ready) {
        if (!w->registered) {
            w->prev = NULL;
            w->next = c->async_waiters[w->kind];
            if (w->next) w->next->prev = w;
            c->async_waiters[w->kind] = w;
            w->registered = 1;
            w->waker = tml_waker_clone(waker);
        } else if (!tml_waker_will_wake(w->waker, waker)) {
            old = w->waker;
            w->waker = tml_waker_clone(waker);
        }
    } else { /* completion: drop will not be called, so the waiter ends here */
        if (w->registered) waiter_unlink_locked(c, w);
        old = w->waker;
        w->waker = NULL;
    }
    pthread_mutex_unlock(&c->mu);
    tml_waker_drop(old);
    if (!ready) return 0;
    w->ch = NULL;
    tml_chan_release(c);
    return 1;
}

void *tml_chan_waiter_poll_fn(void) { return (void *)chan_waiter_poll; }
void *tml_chan_waiter_drop_fn(void) { return (void *)chan_waiter_drop; }
