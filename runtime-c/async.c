/* async.c — the M:N executor for async functions (MEMORY.md §8.1); the ABI is include/tml_async.h.
 *
 * ABI. A future is { poll, drop, state }. poll(state, waker, out) returns 1 with the result written to out, or 0
 * after arranging (by cloning the borrowed waker into whatever it waits on) to be woken. drop(state) drops the
 * values live at the current suspension point and NEVER frees the state's memory: the memory belongs to whoever
 * holds the future — the task block for a spawned task, the caller's frame for tml_block_on, the parent future's
 * state for a nested one (the compiler embeds a callee's state in its caller's, as Rust does, so a future that
 * awaits nothing allocates nothing). A future completed (poll returned 1) is never polled nor dropped again.
 *
 * Memory. A task is ONE tml_alloc'ed block: TmlAsyncTask (96 bytes, rounded to 16), the state (moved in by
 * tml_async_spawn, rounded to 16), the result. Its first field is its waker, so a task waker costs nothing and the
 * task's refcount counts: the handle (1), the executor while the task is live i.e. neither completed nor aborted
 * (1), the run queue while it is queued or being polled (1), and every waker clone. The block is freed by the
 * last release, so a waker can never see a freed task, and a waker woken after the task finished just finds the
 * DONE/ABORT bits and does nothing. tml_block_on and tml_async_join wake through a Parker (a refcounted
 * mutex+condvar block, allocated per call, freed by its last reference). Timers (TmlDelay) live in the state of
 * the future that awaits them; the executor's timer heap only points at them, and a TmlDelay holds one waker
 * clone while it is in the heap. Everything is tml_alloc'ed, so the tracking allocator sees it all.
 *
 * Boxed futures (a TML Future[T] value, whose state is a tml_alloc'ed box): tml_async_spawn_future stores only the
 * box's address in the task's state area (`boxed`); task_state() follows it, and task_state_free() frees the box
 * where the state ends (after the completing poll, or after the drop in abort_pending). delay(ms) as a boxed future
 * is a tml_alloc'ed TmlDelay (tml_delay_new).
 *
 * Scheduling (one atomic word per task, CAS transitions): SCHEDULED (in the run queue), RUNNING (a worker is
 * polling it), NOTIFIED (woken while RUNNING: requeued when the poll returns pending), DONE (completed or its
 * state dropped: never polled again), ABORT (abort requested: wakes are ignored and no poll starts), DROPPED
 * (claims the one drop of the state). A wake only queues a task that is neither queued, running, done nor being
 * aborted, so a task is in the queue at most once and polled by one worker at a time; the worker's CAS from
 * SCHEDULED to RUNNING and the aborter's fetch-or of ABORT are ordered on the same word, so after abort has seen
 * RUNNING clear (waiting on abort_cv, broadcast by the worker that clears RUNNING and saw ABORT) no poll is running
 * and none will start: the aborter owns the state. Completion vs. the handle (join, await, release, abort) is
 * decided under the task's spinlock: `complete` and `handle_gone` are set in it, so exactly one side drops an
 * unclaimed result, and an awaiter either sees `complete` or leaves a waker the completer takes and wakes.
 *
 * Executor. One mutex (mu) guards the global run queue (a FIFO list through the tasks), the live list (every live
 * task, in spawn order, for shutdown) and the timer heap (a binary min-heap of TmlDelay pointers by deadline).
 * Workers (TML_WORKERS, default the number of online CPUs) are started by the first spawn or block_on. Idle workers
 * sleep on work_cv (CLOCK_MONOTONIC), with a timeout at the earliest deadline if there is one: no thread per timer,
 * no busy polling. A push signals work_cv only when more workers are idle than signals are pending
 * (signals_pending: sent, not yet woken from), since a woken worker looks at every queue before it sleeps again.
 * Two schedulers, chosen when the executor starts (TML_SCHED; measurements in docs/decisions.md "Async executor"):
 *
 * - steal (the default): each worker has a local queue (a spinlocked list plus a LIFO slot, Worker). A task woken
 *   on a worker goes into that worker's LIFO slot (the slot's previous task to the tail of its list); a task
 *   spawned on a worker, requeued after a wake during its own poll, or the awaiter woken by a completing task
 *   (wake_to_tail: a fan-out awaiting its children in turn) goes to the tail. Everything from other threads
 *   (spawns and wakes from main, block_on, thread tasks) goes to the global queue, here the injection queue. A
 *   worker fires expired timers (next_deadline: an atomic copy of the heap's top, so no lock to look), then runs
 *   its LIFO slot (its list's head instead after 3 LIFO-slot tasks in a row), its list's head, the injection queue (first, every 61st round, so a busy local queue cannot
 *   starve it), steals half of a random other worker's list (or its LIFO slot if the list is empty), and only then
 *   sleeps, after counting itself idle and looking at every queue again under mu (Dekker with local_push's
 *   seq_cst store of len and load of idle_workers: either the sleeper sees the task, or the pusher signals). A
 *   push into an empty LIFO slot signals nobody (as in Tokio: the worker runs it as soon as its poll returns; that
 *   keeps a ping-pong on one core); so that such a task cannot be stranded behind a poll that blocks, a worker
 *   about to block (channel send/recv, Mutex lock, thread join, sleep: tml_rt_async_worker_blocks) signals an idle
 *   worker if its own queue is not empty. Local queues are only pushed by their owner, so a worker never sleeps
 *   with a task of its own queued: a missed signal costs parallelism, never a lost task.
 * - global: one FIFO queue for everything. A worker fires expired timers (collecting their wakers under mu, waking
 *   them after unlocking), else pops a task and polls it without the lock, else sleeps. On 2 cores the
 *   signals_pending rule took spawn+join from 2.5 to 0.4 us per task.
 *
 * Shutdown (tml_async_shutdown, from a non-worker thread, no block_on running): 1. stop and join the workers (each
 * finishes the poll it is in); 2. abort every live task, newest first, on the calling thread (its drop function
 * drops the live values, which unregisters its timers and drops its waker clones; a task spawned by a drop
 * function is aborted too); 3. release the tasks left in the run queues (the global one, every worker's list and
 * LIFO slot); 4. free the worker arrays and the (then empty) timer heap. Tasks whose handle is still held stay allocated until the handle is consumed (a join returns
 * 0). A spawn after shutdown starts a fresh executor. tml_runtime_exit calls it after joining the thread tasks.
 *
 * Deadlock detection (thread.c) asks whether the executor is quiescent (tml_rt_async_quiescent: no task queued or
 * being polled, no timer); the last worker to go idle runs the check again, once per quiescent period
 * (quiet_checked, cleared by every push to the global queue or the timer heap: a local push needs no clearing, it
 * comes from a worker that is not idle, whose queue is drained before it is). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "spinlock.h"
#include "tml_async.h"
#include "tml_runtime.h"

enum { WK_TASK = 1, WK_PARK = 2 };

struct TmlWaker {
    int64_t rc; /* atomic */
    int32_t kind;
    int32_t pad_;
};

enum {
    ST_SCHEDULED = 1u,
    ST_RUNNING = 2u,
    ST_NOTIFIED = 4u,
    ST_DONE = 8u,
    ST_ABORT = 16u,
    ST_DROPPED = 32u,
};

struct TmlAsyncTask {
    TmlWaker w;                   /* the task's waker; w.rc is the task's refcount */
    uint32_t st;                  /* ST_* (atomic) */
    TmlSpinlock lock;             /* guards join_waiter, complete, taken, handle_gone */
    struct TmlAsyncTask *qnext;   /* run queue: the injection queue (mu) or a worker's local queue (its lock) */
    struct TmlAsyncTask *lprev, *lnext; /* live list (mu) */
    TmlPollFn poll;
    TmlDropFn drop;
    void (*drop_result)(void *result);
    TmlWaker *join_waiter;        /* owned clone */
    uint32_t result_off, result_size;
    uint8_t complete, taken, handle_gone;
    uint8_t boxed; /* the state area holds a pointer to a tml_alloc'ed box (tml_async_spawn_future) */
    uint8_t pad_[4];
};

#define TASK_HDR ((sizeof(TmlAsyncTask) + 15) & ~(size_t)15)

typedef struct Parker {
    TmlWaker w;
    pthread_mutex_t m;
    pthread_cond_t c;
    int notified;
} Parker;

static const TmlAllocSite task_site = {{"<runtime>", 0, 0}, "AsyncTask"};
static const TmlAllocSite parker_site = {{"<runtime>", 0, 0}, "AsyncParker"};
static const TmlAllocSite exec_site = {{"<runtime>", 0, 0}, "AsyncExecutor"};

static inline void *task_state(TmlAsyncTask *t) {
    void *inline_state = (char *)t + TASK_HDR;
    return t->boxed ? *(void **)inline_state : inline_state;
}

/* The state has ended (completed or dropped): a boxed state's memory goes now. */
static inline void task_state_free(TmlAsyncTask *t) {
    if (t->boxed) {
        void **slot = (void **)((char *)t + TASK_HDR);
        tml_free(*slot, &tml_rt_runtime_loc);
        *slot = NULL;
    }
}
static inline void *task_result(TmlAsyncTask *t) { return (char *)t + t->result_off; }

/* ---- the executor's shared state (mu) ---- */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv;  /* CLOCK_MONOTONIC; initialised once */
static pthread_cond_t abort_cv = PTHREAD_COND_INITIALIZER;
static pthread_once_t cv_once = PTHREAD_ONCE_INIT;
static int started, stopping /* atomic: steal workers read it without mu */, shutting_down, ever_started;
static int64_t nworkers;
static pthread_t *threads;
static TmlAsyncTask *q_head, *q_tail; /* the global queue (TML_SCHED=global), or the injection queue (steal) */
static int64_t q_len;                 /* atomic (written under mu): steal workers look without mu */
static int64_t idle_workers;          /* atomic (written under mu): local pushes look without mu */
static int64_t signals_pending; /* work_cv signals sent that no worker has woken from yet (atomic, written under mu) */
static int quiet_checked; /* the deadlock detector has looked since the executor last became quiescent */
static TmlAsyncTask live = {.lprev = &live, .lnext = &live};
static int64_t live_count;
static TmlDelay **heap;
static int64_t heap_len, heap_cap;
static int64_t next_deadline = INT64_MAX; /* atomic copy of heap[0]->deadline (written under mu) */
static _Thread_local int is_worker;

/* TML_SCHED=steal: a worker's local run queue. The owner pushes (at the tail, or into the LIFO slot) and pops
 * (the LIFO slot first, then the head); other workers steal half of the list from the head, or the LIFO slot
 * when the list is empty. `len` (list + slot) is written under `lock` and read without it. */
typedef struct Worker {
    TmlSpinlock lock;
    TmlAsyncTask *head, *tail, *lifo;
    int64_t list_len;
    int64_t len; /* atomic */
    uint64_t rng;
    int64_t index;
    int64_t lifo_streak; /* LIFO-slot pops in a row (owner only) */
    char pad_[64];
} Worker;
#define SCHED_DEFAULT_STEAL 1 /* TML_SCHED unset or empty; TML_SCHED=global: the single queue, anything else: steal */
static int sched_steal;   /* chosen by ensure_started (TML_SCHED), under mu; constant while the workers run */
static Worker *workers;   /* steal: nworkers of them */
static _Thread_local Worker *cur_worker; /* steal: the calling worker's own queue; NULL off the workers */
/* steal: set while a completing task wakes its awaiter, which then goes to the tail of the queue and not into the
 * LIFO slot: an awaiter of many tasks in turn (a fan-out) would otherwise be polled once per completing child. */
static _Thread_local int wake_to_tail;

static void init_cv(void) {
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&work_cv, &a);
    pthread_condattr_destroy(&a);
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- refcounts ---- */

static void parker_free(Parker *p) {
    pthread_mutex_destroy(&p->m);
    pthread_cond_destroy(&p->c);
    tml_free(p, &tml_rt_runtime_loc);
}

TmlWaker *tml_waker_clone(TmlWaker *w) {
    __atomic_add_fetch(&w->rc, 1, __ATOMIC_RELAXED);
    return w;
}

void tml_waker_drop(TmlWaker *w) {
    if (!w) return;
    if (__atomic_sub_fetch(&w->rc, 1, __ATOMIC_ACQ_REL) != 0) return;
    if (w->kind == WK_PARK)
        parker_free((Parker *)w);
    else
        tml_free(w, &tml_rt_runtime_loc); /* the task block: every reference is gone, so it is DONE */
}

static inline void task_release(TmlAsyncTask *t) { tml_waker_drop(&t->w); }

int32_t tml_waker_will_wake(const TmlWaker *a, const TmlWaker *b) { return a == b; }

/* ---- run queue (mu) ---- */

#define LD(x) __atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define ST(x, v) __atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)

/* With mu held: wakes one sleeping worker unless enough are already on their way (a worker already woken drains
 * the queues before sleeping again). */
static void signal_idle_locked(void) {
    if (LD(idle_workers) > LD(signals_pending)) {
        ST(signals_pending, LD(signals_pending) + 1);
        pthread_cond_signal(&work_cv);
    }
}

static void q_push_locked(TmlAsyncTask *t) {
    quiet_checked = 0;
    t->qnext = NULL;
    if (q_tail)
        q_tail->qnext = t;
    else
        q_head = t;
    q_tail = t;
    ST(q_len, LD(q_len) + 1);
    signal_idle_locked();
}

static TmlAsyncTask *q_pop_locked(void) {
    TmlAsyncTask *t = q_head;
    if (t) {
        q_head = t->qnext;
        if (!q_head) q_tail = NULL;
        ST(q_len, LD(q_len) - 1);
    }
    return t;
}

/* ---- steal: per-worker queues ---- */

/* The owner pushes a task woken (lifo: into the LIFO slot, the slot's previous task to the tail) or requeued. */
static void notify_idle(void);

/* Returns 1 when nobody need be signalled (the task went into an empty LIFO slot). */
static int local_push_quiet(Worker *w, TmlAsyncTask *t, int lifo) {
    int quiet = 0;
    tml_spin_lock(&w->lock);
    if (lifo) {
        TmlAsyncTask *prev = w->lifo;
        w->lifo = t;
        t = prev;
        quiet = !prev;
    }
    if (t) {
        t->qnext = NULL;
        if (w->tail)
            w->tail->qnext = t;
        else
            w->head = t;
        w->tail = t;
        w->list_len++;
    }
    ST(w->len, LD(w->len) + 1);
    tml_spin_unlock(&w->lock);
    return quiet;
}

static void local_push(Worker *w, TmlAsyncTask *t, int lifo) {
    if (!local_push_quiet(w, t, lifo)) notify_idle();
}

/* After a local push: wakes an idle worker to come and steal. Not for correctness (the owner drains its own queue
 * before it sleeps) but for parallelism. Dekker with a worker going to sleep (it counts itself idle, then looks
 * at every len; both seq_cst): the push's seq_cst store of len comes before this seq_cst load of idle_workers in
 * the single total order, so either the sleeper sees the task, or this sees it idle and signals it. */
static void notify_idle(void) {
    if (LD(idle_workers) > LD(signals_pending)) {
        pthread_mutex_lock(&mu);
        signal_idle_locked();
        pthread_mutex_unlock(&mu);
    }
}

/* A steal worker is about to block in a poll (channel send/recv, Mutex lock, thread join, sleep): the task in its
 * LIFO slot, queued without a signal, may be what it waits for, so an idle worker comes to steal it. */
void tml_rt_async_worker_blocks(void) {
    Worker *w = cur_worker;
    if (w && LD(w->len)) notify_idle();
}

static TmlAsyncTask *local_pop(Worker *w) {
    if (!LD(w->len)) return NULL; /* only the owner pushes */
    tml_spin_lock(&w->lock);
    TmlAsyncTask *t = w->lifo;
    if (t && (w->lifo_streak < 3 || !w->head)) { /* after 3 in a row, the list's head: two tasks waking each other */
        w->lifo = NULL;                          /* through the slot must not starve the list (as in Tokio) */
        w->lifo_streak++;
    } else if ((t = w->head) != NULL) {
        w->lifo_streak = 0;
        w->head = t->qnext;
        if (!w->head) w->tail = NULL;
        w->list_len--;
    }
    if (t) __atomic_store_n(&w->len, w->len - 1, __ATOMIC_RELEASE); /* a stale larger len only delays a sleep */
    tml_spin_unlock(&w->lock);
    return t;
}

static TmlAsyncTask *inject_pop(void) {
    if (!LD(q_len)) return NULL;
    pthread_mutex_lock(&mu);
    TmlAsyncTask *t = q_pop_locked();
    pthread_mutex_unlock(&mu);
    return t;
}

/* Takes half of a random other worker's list (or its LIFO slot when the list is empty); returns one task to run
 * and keeps the rest in w's list. */
static TmlAsyncTask *steal(Worker *w) {
    int64_t n = nworkers;
    if (n < 2) return NULL;
    w->rng ^= w->rng << 13;
    w->rng ^= w->rng >> 7;
    w->rng ^= w->rng << 17;
    int64_t start = (int64_t)(w->rng % (uint64_t)n);
    for (int64_t i = 0; i < n; i++) {
        Worker *v = &workers[(start + i) % n];
        if (v == w || !LD(v->len)) continue;
        tml_spin_lock(&v->lock);
        TmlAsyncTask *first = NULL, *last = NULL;
        int64_t k = (v->list_len + 1) / 2;
        if (k) {
            first = last = v->head;
            for (int64_t j = 1; j < k; j++) last = last->qnext;
            v->head = last->qnext;
            if (!v->head) v->tail = NULL;
            v->list_len -= k;
            last->qnext = NULL;
        } else if (v->lifo) {
            first = last = v->lifo;
            first->qnext = NULL;
            v->lifo = NULL;
            k = 1;
        }
        if (k) __atomic_store_n(&v->len, v->len - k, __ATOMIC_RELEASE);
        tml_spin_unlock(&v->lock);
        if (!first) continue;
        TmlAsyncTask *rest = first->qnext;
        if (rest) {
            tml_spin_lock(&w->lock);
            if (w->tail)
                w->tail->qnext = rest;
            else
                w->head = rest;
            w->tail = last;
            w->list_len += k - 1;
            ST(w->len, LD(w->len) + k - 1);
            tml_spin_unlock(&w->lock);
        }
        first->qnext = NULL;
        return first;
    }
    return NULL;
}

/* Any task queued anywhere (mu held; seq_cst loads, see local_push). */
static int work_visible_locked(void) {
    if (q_head) return 1;
    for (int64_t i = 0; sched_steal && i < nworkers; i++)
        if (LD(workers[i].len)) return 1;
    return 0;
}

/* A task woken, spawned or requeued: on a steal worker, into its own queue; else into the global queue. */
static void enqueue(TmlAsyncTask *t, int lifo) {
    Worker *w = cur_worker;
    if (w) {
        local_push(w, t, lifo);
        return;
    }
    pthread_mutex_lock(&mu);
    q_push_locked(t);
    pthread_mutex_unlock(&mu);
}

/* ---- waking ---- */

static void wake_task(TmlAsyncTask *t) {
    uint32_t s = __atomic_load_n(&t->st, __ATOMIC_ACQUIRE), n;
    do {
        if (s & (ST_DONE | ST_ABORT)) return;
        if (s & ST_RUNNING) {
            if (s & ST_NOTIFIED) return;
            n = s | ST_NOTIFIED;
        } else if (s & ST_SCHEDULED) {
            return;
        } else {
            n = s | ST_SCHEDULED;
        }
    } while (!__atomic_compare_exchange_n(&t->st, &s, n, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    if (!(s & ST_RUNNING)) {
        tml_waker_clone(&t->w); /* the queue's reference */
        enqueue(t, !wake_to_tail);
    }
}

static void parker_wake(Parker *p) {
    pthread_mutex_lock(&p->m);
    p->notified = 1;
    pthread_cond_signal(&p->c);
    pthread_mutex_unlock(&p->m);
}

void tml_waker_wake_by_ref(TmlWaker *w) {
    if (w->kind == WK_PARK)
        parker_wake((Parker *)w);
    else
        wake_task((TmlAsyncTask *)w);
}

void tml_waker_wake(TmlWaker *w) {
    tml_waker_wake_by_ref(w);
    tml_waker_drop(w);
}

static Parker *parker_new(void) {
    Parker *p = tml_alloc(sizeof(Parker), &parker_site);
    p->w.rc = 1;
    p->w.kind = WK_PARK;
    p->w.pad_ = 0;
    pthread_mutex_init(&p->m, NULL);
    pthread_cond_init(&p->c, NULL);
    p->notified = 0;
    return p;
}

static void parker_park(Parker *p) {
    pthread_mutex_lock(&p->m);
    while (!p->notified) pthread_cond_wait(&p->c, &p->m);
    p->notified = 0;
    pthread_mutex_unlock(&p->m);
}

/* ---- timer heap (mu) ---- */

static void heap_set(int64_t i, TmlDelay *d) {
    heap[i] = d;
    d->heap_index = i;
}

static void heap_up(int64_t i) {
    TmlDelay *d = heap[i];
    while (i > 0) {
        int64_t p = (i - 1) / 2;
        if (heap[p]->deadline <= d->deadline) break;
        heap_set(i, heap[p]);
        i = p;
    }
    heap_set(i, d);
}

static void heap_down(int64_t i) {
    TmlDelay *d = heap[i];
    for (;;) {
        int64_t c = 2 * i + 1;
        if (c >= heap_len) break;
        if (c + 1 < heap_len && heap[c + 1]->deadline < heap[c]->deadline) c++;
        if (d->deadline <= heap[c]->deadline) break;
        heap_set(i, heap[c]);
        i = c;
    }
    heap_set(i, d);
}

static void heap_push_locked(TmlDelay *d) {
    quiet_checked = 0;
    if (heap_len == heap_cap) {
        heap_cap = heap_cap ? heap_cap * 2 : 64;
        heap = tml_realloc(heap, heap_cap * (int64_t)sizeof(TmlDelay *), &exec_site);
    }
    heap_set(heap_len++, d);
    heap_up(heap_len - 1);
    ST(next_deadline, heap[0]->deadline);
}

static void heap_remove_locked(TmlDelay *d) {
    int64_t i = d->heap_index;
    d->heap_index = -1;
    TmlDelay *last = heap[--heap_len];
    if (i != heap_len) {
        heap_set(i, last);
        heap_up(i);
        heap_down(last->heap_index);
    }
    ST(next_deadline, heap_len ? heap[0]->deadline : INT64_MAX);
}

/* With mu held and timers due: takes up to 64 of them out of the heap, wakes them without the lock. Returns with
 * mu held; 0 if nothing was due. */
static int fire_timers_locked(void) {
    TmlWaker *ws[64];
    int n = 0;
    int64_t now = now_ns();
    while (heap_len && heap[0]->deadline <= now && n < 64) {
        TmlDelay *d = heap[0];
        heap_remove_locked(d);
        d->state = 2;
        ws[n++] = d->waker;
        d->waker = NULL;
    }
    if (!n) return 0;
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < n; i++) tml_waker_wake(ws[i]);
    pthread_mutex_lock(&mu);
    return 1;
}

void tml_async_delay_init(TmlDelay *d, int64_t ms) {
    d->ms = ms;
    d->deadline = 0;
    d->heap_index = -1;
    d->waker = NULL;
    d->state = 0;
    d->pad_ = 0;
}

int32_t tml_async_delay_poll(void *delay_state, TmlWaker *waker, void *out) {
    (void)out;
    TmlDelay *d = delay_state;
    TmlWaker *old = NULL;
    pthread_mutex_lock(&mu);
    if (d->state == 0) {
        d->deadline = now_ns() + (d->ms > 0 ? d->ms : 0) * 1000000;
        if (d->ms <= 0) {
            d->state = 2;
        } else {
            d->state = 1;
            d->waker = tml_waker_clone(waker);
            heap_push_locked(d);
            if (d->heap_index == 0) signal_idle_locked(); /* a new earliest deadline */
        }
    } else if (d->state == 1 && !tml_waker_will_wake(d->waker, waker)) {
        old = d->waker;
        d->waker = tml_waker_clone(waker);
    }
    int32_t ready = d->state == 2;
    pthread_mutex_unlock(&mu);
    tml_waker_drop(old);
    return ready;
}

void tml_async_delay_drop(void *delay_state) {
    TmlDelay *d = delay_state;
    TmlWaker *w = NULL;
    pthread_mutex_lock(&mu);
    if (d->state == 1) {
        heap_remove_locked(d);
        w = d->waker;
        d->waker = NULL;
        d->state = 2;
    }
    pthread_mutex_unlock(&mu);
    tml_waker_drop(w);
}

/* ---- tasks ---- */

/* Called once per task by whoever set DONE: off the live list, and the executor's reference goes. */
static void task_finish(TmlAsyncTask *t) {
    pthread_mutex_lock(&mu);
    t->lprev->lnext = t->lnext;
    t->lnext->lprev = t->lprev;
    t->lprev = t->lnext = NULL;
    live_count--;
    pthread_mutex_unlock(&mu);
    task_release(t);
}

static void broadcast_abort(void) {
    pthread_mutex_lock(&mu);
    pthread_cond_broadcast(&abort_cv);
    pthread_mutex_unlock(&mu);
}

/* A worker runs a task it popped (it holds the queue's reference). */
static void run_task(TmlAsyncTask *t) {
    uint32_t s = __atomic_load_n(&t->st, __ATOMIC_ACQUIRE);
    do {
        if (s & (ST_DONE | ST_ABORT)) {
            task_release(t);
            return;
        }
    } while (!__atomic_compare_exchange_n(&t->st, &s, (s & ~ST_SCHEDULED) | ST_RUNNING, 0, __ATOMIC_ACQ_REL,
                                          __ATOMIC_ACQUIRE));
    if (t->poll(task_state(t), &t->w, task_result(t))) {
        task_state_free(t);
        tml_spin_lock(&t->lock);
        t->complete = 1;
        int gone = t->handle_gone;
        TmlWaker *w = t->join_waiter;
        t->join_waiter = NULL;
        tml_spin_unlock(&t->lock);
        uint32_t old = __atomic_fetch_or(&t->st, ST_DONE | ST_DROPPED, __ATOMIC_ACQ_REL);
        __atomic_fetch_and(&t->st, ~(uint32_t)(ST_RUNNING | ST_NOTIFIED), __ATOMIC_ACQ_REL);
        if (old & ST_ABORT) broadcast_abort();
        if (gone && t->drop_result) t->drop_result(task_result(t));
        task_finish(t); /* before the joiner wakes: a joined task is no longer live */
        if (w) {
            wake_to_tail = 1;
            tml_waker_wake(w);
            wake_to_tail = 0;
        }
        task_release(t); /* the queue's */
        return;
    }
    s = __atomic_load_n(&t->st, __ATOMIC_ACQUIRE);
    uint32_t n;
    do {
        if ((s & ST_NOTIFIED) && !(s & ST_ABORT))
            n = (s & ~(ST_RUNNING | ST_NOTIFIED)) | ST_SCHEDULED;
        else
            n = s & ~(ST_RUNNING | ST_NOTIFIED);
    } while (!__atomic_compare_exchange_n(&t->st, &s, n, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    if (n & ST_SCHEDULED) {
        enqueue(t, 0); /* keeps the queue's reference */
        return;
    }
    if (s & ST_ABORT) broadcast_abort();
    task_release(t);
}

static void idle_sleep_locked(void);

static void *worker_main(void *arg) {
    (void)arg;
    is_worker = 1;
    tml_rt_thread_is_async_worker(); /* its blocking waits (if any) are not counted by the deadlock detector */
    tml_rt_stack_guard_thread_init(); /* a stack overflow in a poll function is a panic too */
    pthread_mutex_lock(&mu);
    while (!LD(stopping)) {
        if (heap_len && fire_timers_locked()) continue;
        TmlAsyncTask *t = q_pop_locked();
        if (t) {
            pthread_mutex_unlock(&mu);
            run_task(t);
            pthread_mutex_lock(&mu);
            continue;
        }
        idle_sleep_locked();
    }
    pthread_mutex_unlock(&mu);
    tml_rt_stack_guard_thread_end();
    return NULL;
}

/* With mu held and nothing to run: counts the worker idle, sleeps (to the earliest deadline, or until signalled,
 * or not at all if a task has appeared meanwhile), and returns with mu held. */
static void idle_sleep_locked(void) {
    __atomic_add_fetch(&idle_workers, 1, __ATOMIC_SEQ_CST);
    if (work_visible_locked()) {
        /* steal: a local push that saw this worker busy (see local_push) */
    } else if (LD(idle_workers) == nworkers && !quiet_checked && !heap_len) {
        /* The executor is quiescent: only a thread (or an after(ms) timer) can wake a task now. Threads counted
         * blocked earlier were not reported while it was busy: the detector looks again (without mu: the lock
         * order is tasks_mu, then mu). This worker stays counted idle meanwhile, and goes round as after a
         * spurious wakeup. */
        quiet_checked = 1;
        pthread_mutex_unlock(&mu);
        tml_rt_deadlock_recheck();
        pthread_mutex_lock(&mu);
    } else if (heap_len) {
        int64_t d = heap[0]->deadline;
        struct timespec ts = {(time_t)(d / 1000000000), (long)(d % 1000000000)};
        pthread_cond_timedwait(&work_cv, &mu, &ts);
    } else {
        pthread_cond_wait(&work_cv, &mu);
    }
    __atomic_sub_fetch(&idle_workers, 1, __ATOMIC_SEQ_CST);
    if (LD(signals_pending)) ST(signals_pending, LD(signals_pending) - 1);
}

/* TML_SCHED=steal: its own queue, the injection queue (first every 61st round, for fairness), then stealing,
 * then sleeping as the global workers do. Expired timers are fired first (next_deadline: no lock to look). */
static void *worker_main_steal(void *arg) {
    Worker *w = arg;
    is_worker = 1;
    cur_worker = w;
    tml_rt_thread_is_async_worker();
    tml_rt_stack_guard_thread_init();
    uint32_t tick = 0;
    while (!LD(stopping)) {
        int64_t nd = LD(next_deadline);
        if (nd != INT64_MAX && nd <= now_ns()) {
            pthread_mutex_lock(&mu);
            if (heap_len) fire_timers_locked();
            pthread_mutex_unlock(&mu);
        }
        TmlAsyncTask *t = NULL;
        if (++tick % 61 == 0) t = inject_pop();
        if (!t) t = local_pop(w);
        if (!t) t = inject_pop();
        if (!t) t = steal(w);
        if (t) {
            run_task(t);
            continue;
        }
        pthread_mutex_lock(&mu);
        if (!LD(stopping) && !(heap_len && fire_timers_locked())) idle_sleep_locked();
        pthread_mutex_unlock(&mu);
    }
    cur_worker = NULL;
    tml_rt_stack_guard_thread_end();
    return NULL;
}

static void ensure_started(void) {
    pthread_once(&cv_once, init_cv);
    pthread_mutex_lock(&mu);
    if (started || shutting_down) {
        pthread_mutex_unlock(&mu);
        return;
    }
    int64_t n = 0;
    const char *env = getenv("TML_WORKERS");
    if (env && *env) n = strtoll(env, NULL, 10);
    if (n <= 0) n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n <= 0) n = 1;
    if (n > 1024) n = 1024;
    const char *sched = getenv("TML_SCHED");
    sched_steal = sched && *sched ? strcmp(sched, "global") != 0 : SCHED_DEFAULT_STEAL;
    threads = tml_alloc(n * (int64_t)sizeof(pthread_t), &exec_site);
    if (sched_steal) {
        workers = tml_alloc(n * (int64_t)sizeof(Worker), &exec_site);
        memset(workers, 0, (size_t)n * sizeof(Worker));
        for (int64_t i = 0; i < n; i++) {
            workers[i].index = i;
            workers[i].rng = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1);
        }
    }
    ST(stopping, 0);
    nworkers = n; /* before the workers start: steal() reads it */
    tml_rt_threads_starting();
    for (int64_t i = 0; i < n; i++) {
        if (pthread_create(&threads[i], NULL, sched_steal ? worker_main_steal : worker_main,
                           sched_steal ? (void *)&workers[i] : NULL) != 0) {
            pthread_mutex_unlock(&mu);
            tml_rt_panic_at(NULL, "cannot start the async executor's worker threads");
        }
    }
    started = 1;
    ever_started = 1;
    pthread_mutex_unlock(&mu);
}

static TmlAsyncTask *spawn_impl(TmlPollFn poll, TmlDropFn drop, const void *state, int64_t state_size,
                                int64_t result_size, void (*drop_result)(void *result), int boxed) {
    if (state_size < 0 || result_size < 0 || state_size > (1 << 30) || result_size > (1 << 30))
        tml_rt_panic_at(NULL, "invalid async task size");
    size_t roff = TASK_HDR + (((size_t)state_size + 15) & ~(size_t)15);
    TmlAsyncTask *t = tml_alloc((int64_t)(roff + (size_t)result_size), &task_site);
    memset(t, 0, sizeof *t);
    t->w.rc = 3; /* the handle, the executor (live), the run queue */
    t->w.kind = WK_TASK;
    t->st = ST_SCHEDULED;
    t->poll = poll;
    t->drop = drop;
    t->drop_result = drop_result;
    t->result_off = (uint32_t)roff;
    t->result_size = (uint32_t)result_size;
    t->boxed = (uint8_t)boxed;
    if (state_size) memcpy((char *)t + TASK_HDR, state, (size_t)state_size);
    ensure_started();
    pthread_mutex_lock(&mu);
    t->lnext = &live;
    t->lprev = live.lprev;
    live.lprev->lnext = t;
    live.lprev = t;
    live_count++;
    Worker *w = cur_worker;
    if (w) { /* spawned on a steal worker: the tail of its own queue (lock order: mu, then a worker's lock) */
        local_push_quiet(w, t, 0);
        signal_idle_locked();
    } else {
        q_push_locked(t);
    }
    pthread_mutex_unlock(&mu);
    return t;
}

TmlAsyncTask *tml_async_spawn(TmlPollFn poll, TmlDropFn drop, const void *state, int64_t state_size,
                              int64_t result_size, void (*drop_result)(void *result)) {
    return spawn_impl(poll, drop, state, state_size, result_size, drop_result, 0);
}

/* ---- boxed futures (a TML Future[T] value: { poll, drop, box }) ---- */

void *tml_async_spawn_future(void *poll, void *drop, void *state, int64_t result_size,
                             void (*drop_result)(void *result)) {
    /* the task's state area holds only the box's address: the box is not copied, and freed when the state ends */
    return spawn_impl((TmlPollFn)poll, (TmlDropFn)drop, &state, (int64_t)sizeof state, result_size, drop_result, 1);
}

int32_t tml_future_poll(TmlFuture *f, TmlWaker *waker, void *out) { return f->poll(f->state, waker, out); }

void tml_future_complete(TmlFuture *f) {
    tml_free(f->state, &tml_rt_runtime_loc);
    f->state = NULL;
}

void tml_future_drop(void *poll, void *drop, void *state) {
    (void)poll;
    if (!state) return;
    if (drop) ((TmlDropFn)drop)(state);
    tml_free(state, &tml_rt_runtime_loc);
}

void tml_future_block_on(void *poll, void *drop, void *state, void *out) {
    tml_block_on((TmlFuture){(TmlPollFn)poll, (TmlDropFn)drop, state}, out);
    tml_free(state, &tml_rt_runtime_loc);
}

void tml_block_on_state(void *poll, void *state, void *out) {
    tml_block_on((TmlFuture){(TmlPollFn)poll, NULL, state}, out);
}

static const TmlAllocSite delay_site = {{"<runtime>", 0, 0}, "Delay"};

void *tml_delay_new(int64_t ms) {
    TmlDelay *d = tml_alloc((int64_t)sizeof(TmlDelay), &delay_site);
    tml_async_delay_init(d, ms);
    return d;
}

void *tml_delay_poll_fn(void) { return (void *)tml_async_delay_poll; }
void *tml_delay_drop_fn(void) { return (void *)tml_async_delay_drop; }

/* 1: completed (result moved to out, handle consumed); 0: pending (waker registered); -1: aborted by shutdown. */
static int await_impl(TmlAsyncTask *t, TmlWaker *waker, void *out) {
    TmlWaker *old = NULL;
    tml_spin_lock(&t->lock);
    if (t->complete) {
        t->taken = 1;
        t->handle_gone = 1;
        old = t->join_waiter;
        t->join_waiter = NULL;
        tml_spin_unlock(&t->lock);
        if (t->result_size) memcpy(out, task_result(t), t->result_size);
        tml_waker_drop(old);
        task_release(t);
        return 1;
    }
    if (__atomic_load_n(&t->st, __ATOMIC_ACQUIRE) & ST_DONE) {
        tml_spin_unlock(&t->lock);
        return -1;
    }
    if (!t->join_waiter || !tml_waker_will_wake(t->join_waiter, waker)) {
        old = t->join_waiter;
        t->join_waiter = tml_waker_clone(waker);
    }
    tml_spin_unlock(&t->lock);
    tml_waker_drop(old);
    return 0;
}

int32_t tml_async_await(TmlAsyncTask *t, TmlWaker *waker, void *out) {
    int r = await_impl(t, waker, out);
    if (r < 0) tml_rt_panic_at(NULL, "await of an async task aborted by shutdown");
    return r;
}

void tml_async_release(TmlAsyncTask *t) {
    tml_spin_lock(&t->lock);
    t->handle_gone = 1;
    int drop_now = t->complete && !t->taken;
    TmlWaker *w = t->join_waiter;
    t->join_waiter = NULL;
    tml_spin_unlock(&t->lock);
    tml_waker_drop(w);
    if (drop_now && t->drop_result) t->drop_result(task_result(t));
    task_release(t);
}

int32_t tml_async_join(TmlAsyncTask *t, void *out) {
    if (is_worker) tml_rt_panic_at(NULL, "join of an async task on an executor worker (use await)");
    Parker *p = parker_new();
    int r;
    while ((r = await_impl(t, &p->w, out)) == 0) parker_park(p);
    tml_waker_drop(&p->w);
    if (r < 0) {
        tml_async_release(t);
        return 0;
    }
    return 1;
}

/* The caller has set ABORT and no poll is running: drops the state once, marks the task DONE, wakes a joiner. */
static void abort_pending(TmlAsyncTask *t) {
    uint32_t s = __atomic_fetch_or(&t->st, ST_DROPPED, __ATOMIC_ACQ_REL);
    if (s & ST_DROPPED) return; /* completed, or dropped by another aborter */
    if (t->drop) t->drop(task_state(t));
    task_state_free(t);
    __atomic_fetch_or(&t->st, ST_DONE, __ATOMIC_ACQ_REL);
    tml_spin_lock(&t->lock);
    TmlWaker *w = t->join_waiter;
    t->join_waiter = NULL;
    tml_spin_unlock(&t->lock);
    if (w) tml_waker_wake(w);
    task_finish(t);
}

void tml_async_abort(TmlAsyncTask *t) {
    uint32_t s = __atomic_fetch_or(&t->st, ST_ABORT, __ATOMIC_ACQ_REL);
    if (s & ST_RUNNING) {
        pthread_mutex_lock(&mu);
        while (__atomic_load_n(&t->st, __ATOMIC_ACQUIRE) & ST_RUNNING) pthread_cond_wait(&abort_cv, &mu);
        pthread_mutex_unlock(&mu);
    }
    /* no poll is running and none will start */
    tml_spin_lock(&t->lock);
    int completed = t->complete;
    tml_spin_unlock(&t->lock);
    if (!completed) abort_pending(t);
    tml_async_release(t); /* drops the result if it completed */
}

void tml_block_on(TmlFuture fut, void *out) {
    if (is_worker) tml_rt_panic_at(NULL, "block_on on an executor worker");
    ensure_started(); /* the workers service the timers */
    Parker *p = parker_new();
    while (!fut.poll(fut.state, &p->w, out)) parker_park(p);
    tml_waker_drop(&p->w);
}

void tml_async_shutdown(void) {
    pthread_once(&cv_once, init_cv);
    pthread_mutex_lock(&mu);
    shutting_down = 1;
    ST(stopping, 1);
    pthread_cond_broadcast(&work_cv);
    int64_t n = started ? nworkers : 0;
    pthread_mutex_unlock(&mu);
    for (int64_t i = 0; i < n; i++) pthread_join(threads[i], NULL);
    /* no poll runs from here on: abort the live tasks, newest first */
    for (;;) {
        pthread_mutex_lock(&mu);
        TmlAsyncTask *t = live.lprev;
        if (t == &live) {
            pthread_mutex_unlock(&mu);
            break;
        }
        tml_waker_clone(&t->w);
        pthread_mutex_unlock(&mu);
        __atomic_fetch_or(&t->st, ST_ABORT, __ATOMIC_ACQ_REL);
        abort_pending(t);
        task_release(t);
    }
    pthread_mutex_lock(&mu);
    TmlAsyncTask *q = q_head;
    q_head = q_tail = NULL;
    ST(q_len, 0);
    Worker *ws = workers;
    int64_t nws = sched_steal ? nworkers : 0;
    workers = NULL;
    TmlDelay **h = heap_len ? NULL : heap;
    if (h) {
        heap = NULL;
        heap_cap = 0;
    }
    pthread_t *th = threads;
    threads = NULL;
    started = 0;
    nworkers = 0;
    ST(stopping, 0);
    shutting_down = 0;
    ST(signals_pending, 0);
    pthread_mutex_unlock(&mu);
    while (q) {
        TmlAsyncTask *next = q->qnext;
        task_release(q);
        q = next;
    }
    for (int64_t i = 0; i < nws; i++) { /* the local queues (the workers are joined) */
        Worker *w = &ws[i];
        if (w->lifo) task_release(w->lifo);
        for (TmlAsyncTask *t = w->head; t;) {
            TmlAsyncTask *next = t->qnext;
            task_release(t);
            t = next;
        }
    }
    tml_free(ws, &tml_rt_runtime_loc);
    tml_free(h, &tml_rt_runtime_loc);
    tml_free(th, &tml_rt_runtime_loc);
}

int64_t tml_async_workers(void) {
    pthread_mutex_lock(&mu);
    int64_t n = started ? nworkers : 0;
    pthread_mutex_unlock(&mu);
    return n;
}

int64_t tml_async_live_tasks(void) {
    pthread_mutex_lock(&mu);
    int64_t n = live_count;
    pthread_mutex_unlock(&mu);
    return n;
}

int64_t tml_async_task_overhead(void) { return (int64_t)TASK_HDR; }

int tml_rt_async_quiescent(int64_t *suspended) {
    pthread_mutex_lock(&mu);
    int q = !started || (LD(idle_workers) == nworkers && !work_visible_locked() && !heap_len);
    *suspended = live_count;
    pthread_mutex_unlock(&mu);
    return q;
}

int tml_rt_async_ever_started(void) {
    pthread_mutex_lock(&mu);
    int e = ever_started;
    pthread_mutex_unlock(&mu);
    return e;
}
