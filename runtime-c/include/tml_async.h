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
 *             tml_async_spawn_future: the same, for a boxed future (a TML Future[T] value), without copying it.
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

/* ---- boxed futures: the TML value Future[T] ----
 * A Future[T] value is laid out exactly as TmlFuture, with `state` a box allocated by tml_alloc and owned by the
 * value (NULL once the future has completed or been given away). The box never moves while the value lives (the
 * value may move: only the box's address is registered anywhere). Exactly one of these ends a Future value:
 *   tml_future_complete (after a tml_future_poll that returned 1), tml_future_drop (the value's Drop),
 *   tml_future_block_on, tml_async_spawn_future (both consume it). */
/* f->poll(f->state, waker, out): 1 = ready, the result (the future's T) was moved to out; 0 = pending, waker
 * (BORROWED) will be woken. Not after it returned 1. */
int32_t tml_future_poll(TmlFuture *f, TmlWaker *waker, void *out);
/* After tml_future_poll returned 1: frees the box with tml_free WITHOUT calling drop (nothing is live in a
 * completed future), sets f->state = NULL. A NULL state is a no-op. */
void tml_future_complete(TmlFuture *f);
/* The drop of an unfinished Future value (the library's Drop impl passes this.poll, this.drop, this.state): if
 * state is not NULL, drop(state) when drop is not NULL (drops the values live at its suspension point, which
 * unregisters its timers and channel waiters), then tml_free(state). poll is unused. */
void tml_future_drop(void *poll, void *drop, void *state);
/* Consumes the Future: runs it with tml_block_on on the calling thread (not a worker: a panic) until it completes,
 * moves the result to out, frees the box. */
void tml_future_block_on(void *poll, void *drop, void *state, void *out);
/* tml_block_on of a future whose state the caller holds (the compiler's `block_on(f(…))` of an async function: the
 * state is in the caller's frame, nothing is allocated for it); the state is neither dropped nor freed. */
void tml_block_on_state(void *poll, void *state, void *out);
/* Consumes the Future: a new async task (the Task[T] handle, a TmlAsyncTask *) that owns the box. The box is not
 * copied: the task block stores its address (tml_async_task_overhead() + 16 bytes + result_size, plus the box),
 * and frees it when the task completes (without drop) or when its state is dropped (abort, release of an
 * unfinished task at shutdown: drop(state), then free). result_size and drop_result as for tml_async_spawn. */
void *tml_async_spawn_future(void *poll, void *drop, void *state, int64_t result_size,
                             void (*drop_result)(void *result));

/* ---- delay(ms) as a boxed future: Future { poll: tml_delay_poll_fn(), drop: tml_delay_drop_fn(),
 * state: tml_delay_new(ms) } ---- */
void *tml_delay_new(int64_t ms);  /* a NEW tml_alloc'ed TmlDelay, initialised (tml_async_delay_init) */
void *tml_delay_poll_fn(void);    /* (void *)tml_async_delay_poll */
void *tml_delay_drop_fn(void);    /* (void *)tml_async_delay_drop */

/* ---- async waits on a channel (channel.c) ----
 * A waiter is the state of a future that completes when the channel is ready for a receive (kind 0: it holds an
 * element, or it is closed) or for a send (kind 1: it has room, or it is closed). It does not receive nor send:
 * the library's recv_async/send_async loop on `try_recv`/`try_send` and await a new waiter when that fails, so a
 * value is never lost nor duplicated, whoever is aborted when.
 *   new: a NEW tml_alloc'ed state; retains ch (tml_chan_retain).
 *   poll (a TmlPollFn; out unused, Unit): under the channel's lock, if the condition holds, unregisters and
 *     releases the channel (the waiter is finished: drop will not be called) and returns 1; else registers a clone
 *     of waker on the channel (replacing a previous clone unless tml_waker_will_wake) and returns 0.
 *   drop (a TmlDropFn, for a waiter that has not completed): unregisters, drops the waker clone, releases the
 *     channel. A no-op on a completed waiter.
 * Every change of a channel that can make a condition true — a value put (send, try_send, an after(ms) timer)
 * for kind 0, a value taken (recv, try_recv) for kind 1, close for both — wakes ALL the registered waiters of
 * that kind (and unregisters them: each re-registers when it is polled again). Wake-all, not wake-one: a woken
 * waiter that is then aborted must not swallow the wakeup another needs. A registered waiter holds a reference
 * on the channel, so the last release never finds one. Waiting async tasks are not blocked threads: the
 * deadlock detector does not count them, and reports nothing while any async task is live. */
void *tml_chan_waiter_new(void *ch, int32_t kind);
/* 1 once the channel is closed. Closing is final and a closed channel takes no more values, so recv_async reads:
 *   loop { if try_recv(out) → Just; if is_closed → (try_recv(out) ? Just : Nothing); await waiter(ch, 0) }
 * (the second try_recv catches a value put between the first and the close), and send_async:
 *   loop { if try_send(v) → done; if is_closed → panic; await waiter(ch, 1) }. */
int32_t tml_chan_is_closed(void *ch);
void *tml_chan_waiter_poll_fn(void); /* the TmlPollFn, as void * */
void *tml_chan_waiter_drop_fn(void); /* the TmlDropFn, as void * */

/* ---- thread tasks (thread.c) awaited from async code ----
 * task: a handle from tml_task_spawn (a thread task). 1 = the thread task has ended: its result was moved to out
 * (result_size bytes) and the handle consumed (as tml_task_join; the OS thread is joined, which at this point
 * only waits for its exit path). 0 = still running: a clone of waker (BORROWED) is registered (replacing a
 * previous one unless tml_waker_will_wake) and woken once the task's function has returned; the handle stays the
 * caller's, who must later consume it with tml_task_await, tml_task_join or tml_task_detach (both drop a
 * registered clone). Never blocks for long; callable from a worker or from a block_on poll. */
int32_t tml_task_await(void *task, TmlWaker *waker, void *out);

/* ---- the executor ---- */
/* Aborts every task still pending (newest first: their drop functions run on the calling thread), stops and joins
 * the workers, frees the run queue and the timer heap. Call from a non-worker thread with no tml_block_on in
 * progress. tml_runtime_exit calls it (if the executor ever started) after joining the thread tasks; generated
 * code need not. Tasks whose handle is still held stay allocated until the handle is consumed. A later spawn
 * starts a fresh executor. */
void tml_async_shutdown(void);
int64_t tml_async_workers(void);     /* worker threads running now (0 before the first spawn) */
int64_t tml_async_live_tasks(void);  /* tasks spawned and neither completed nor aborted */
int64_t tml_async_task_overhead(void); /* bytes a task block adds to its state and result */

#ifdef __cplusplus
}
#endif
#endif /* TML_ASYNC_H */
