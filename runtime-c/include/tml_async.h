/* tml_async.h — the async executor's ABI (runtime-c/async.c, MEMORY.md §8.1). Design and ownership rules: the
 * header comment of async.c and docs/decisions.md "Async executor". Summary for the code generator:
 *
 *   Future    { poll, drop, state }. poll(state, waker, out) returns 1 and writes the result to out when ready,
 *             0 when pending (after arranging for waker to be woken: it clones it). drop(state) drops the values
 *             live at the current suspension point; it never frees the state's memory, which belongs to whoever
 *             holds the future (the task block for a spawned task, the caller's frame for tml_block_on, the
 *             parent's state for a nested future). A future is polled by one thread at a time; after poll returned
 *             1 it is neither polled nor dropped again. drop may be NULL (nothing to drop). A state must not
 *             move after its first poll (it may be registered by address, e.g. a TmlDelay in the timer heap):
 *             Rust's Pin, for free here, since a task's state stays in its block and a nested future's state
 *             inside its parent's.
 *   Waker     borrowed during poll; tml_waker_clone makes an owned reference, consumed by tml_waker_wake or
 *             tml_waker_drop. Waking is always harmless (twice, after the task finished or was aborted). Every
 *             function here may be called from any thread (join and block_on: not from a worker).
 *   Task      tml_async_spawn moves state_size bytes of state into a new task (one allocation: header, state,
 *             result). The handle is consumed by exactly one of tml_async_join, a ready tml_async_await,
 *             tml_async_abort or tml_async_release (= detach: the task runs on, its result is dropped).
 */
#ifndef TML_ASYNC_H
#define TML_ASYNC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct TmlWaker TmlWaker;       /* opaque; refcounted */
typedef struct TmlAsyncTask TmlAsyncTask; /* opaque; the Task[T] handle of an async task */

typedef int32_t (*TmlPollFn)(void *state, TmlWaker *waker, void *out);
typedef void (*TmlDropFn)(void *state);

typedef struct TmlFuture {
    TmlPollFn poll;
    TmlDropFn drop; /* NULL: nothing to drop */
    void *state;
} TmlFuture;

/* ---- wakers ---- */
TmlWaker *tml_waker_clone(TmlWaker *w);  /* a new owned reference to the same waker */
void tml_waker_wake(TmlWaker *w);        /* wakes and consumes an owned reference */
void tml_waker_wake_by_ref(TmlWaker *w); /* wakes; the reference stays the caller's */
void tml_waker_drop(TmlWaker *w);        /* consumes an owned reference without waking; NULL is a no-op */
/* 1 when both wake the same task (or the same block_on), so a registration can keep its old clone */
int32_t tml_waker_will_wake(const TmlWaker *a, const TmlWaker *b);

/* ---- tasks ----
 * spawn: copies (moves) state_size bytes from state into the task; the caller must not drop its copy.
 * drop_result: NULL when the result needs no drop. Starts the worker threads on first use. */
TmlAsyncTask *tml_async_spawn(TmlPollFn poll, TmlDropFn drop, const void *state, int64_t state_size,
                              int64_t result_size, void (*drop_result)(void *result));
/* From a non-worker thread: blocks until the task completes, moves its result to out, consumes the handle.
 * Returns 1; 0 only if tml_async_shutdown aborted the task meanwhile (out untouched). */
int32_t tml_async_join(TmlAsyncTask *t, void *out);
/* From a poll function: 1 = the task completed, its result was moved to out and the handle is consumed;
 * 0 = pending, the waker will be woken when it completes (the handle stays the caller's). */
int32_t tml_async_await(TmlAsyncTask *t, TmlWaker *waker, void *out);
/* Consumes the handle. When it returns the task will never be polled again and its live values (or its result,
 * if it had completed) have been dropped; if a worker is polling it right now, waits for that poll to return. */
void tml_async_abort(TmlAsyncTask *t);
/* Consumes the handle without waiting (detach): the task runs on; its result is dropped when it completes. */
void tml_async_release(TmlAsyncTask *t);

/* Runs fut on the calling thread (not a worker) until it completes, writes the result to out; spawned tasks keep
 * running on the workers meanwhile. Does not drop fut's state (it completed; nothing is live). */
void tml_block_on(TmlFuture fut, void *out);

/* ---- timers: delay(ms) as a future whose state the caller embeds (no allocation) ---- */
typedef struct TmlDelay {
    int64_t ms;       /* set by tml_async_delay_init */
    int64_t deadline; /* CLOCK_MONOTONIC ns, once registered */
    int64_t heap_index; /* -1 when not in the timer heap */
    TmlWaker *waker;  /* owned clone while registered */
    int32_t state;    /* 0 not yet polled, 1 registered, 2 elapsed */
    int32_t pad_;
} TmlDelay;
void tml_async_delay_init(TmlDelay *d, int64_t ms);
int32_t tml_async_delay_poll(void *delay_state, TmlWaker *waker, void *out); /* a TmlPollFn; out unused (Unit) */
void tml_async_delay_drop(void *delay_state);                                 /* a TmlDropFn: unregisters */

/* ---- the executor ---- */
/* Aborts every task still pending (newest first: their drop functions run on the calling thread), stops and joins
 * the workers, frees the run queue and the timer heap. Call from a non-worker thread with no tml_block_on in
 * progress (the generated main calls it before tml_runtime_exit). Tasks whose handle is still held stay allocated
 * until the handle is consumed. A later spawn starts a fresh executor. */
void tml_async_shutdown(void);
int64_t tml_async_workers(void);     /* worker threads running now (0 before the first spawn) */
int64_t tml_async_live_tasks(void);  /* tasks spawned and neither completed nor aborted */
int64_t tml_async_task_overhead(void); /* bytes a task block adds to its state and result */

#ifdef __cplusplus
}
#endif
#endif /* TML_ASYNC_H */
