/* internal.h — helpers shared by the runtime's own C files; not part of the ABI that generated code calls. */
#ifndef TML_INTERNAL_H
#define TML_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tml_runtime.h"

/* Set (for good) just before the runtime starts its first thread: a task, an async worker, the timer thread. Hidden,
 * so that in a --release program (which links the runtime's bitcode) a test of it is one compare with a
 * RIP-relative byte, where glibc's __libc_single_threaded costs a load of its address from the GOT first. */
/* A function or variable of the runtime that a function of the inline bitcode refers to (CMakeLists.txt,
 * TML_RT_INLINE_FUNCTIONS): a --release program gets a copy of such a function to inline, and the copy refers to
 * its helpers by name, so they cannot be static (the build of the inline bitcode fails if one is); hidden, so they
 * are not exported from a program or shared object. */
#define TML_RT_HIDDEN __attribute__((visibility("hidden")))

/* Defined in threads_flag.c, alone, so that a program can define it instead: a --release program that calls no
 * runtime function able to start a thread (codegen/single_threaded.ts) defines it as a constant 0, which the
 * runtime functions inlined into it fold away (no test of it left in a refcount or a pool's fast path); the
 * archive's copy is then not linked. */
extern TML_RT_HIDDEN int32_t tml_rt_threads_flag;

/* Defined (weak reference here) only by such a program, next to its constant flag: starting a thread there would
 * write read-only memory, so the runtime stops first with an internal error (the compiler's list of functions that
 * start threads missed one). Not hidden: a hidden undefined weak symbol's address is taken PC-relative, which only
 * some linkers turn into NULL (bfd does; gold, which debug builds link with, leaves a non-NULL address and every
 * thread start failed); through the GOT, every linker gives NULL. */
extern const char tml_rt_program_single_threaded __attribute__((weak));
TML_NORETURN void tml_rt_single_threaded_program_starts_thread(void);

/* Called before every pthread_create of the runtime (and by a test or embedder before it starts a thread of its own
 * that touches runtime objects): refcounts, pool and tracker locks are atomic from then on. The store precedes
 * pthread_create, which happens-before everything the new thread does, so no thread ever sees a plain update of a
 * count that another thread may also update. */
static inline void tml_rt_threads_starting(void) {
    if (&tml_rt_program_single_threaded != NULL) tml_rt_single_threaded_program_starts_thread();
    if (!__atomic_load_n(&tml_rt_threads_flag, __ATOMIC_RELAXED)) __atomic_store_n(&tml_rt_threads_flag, 1, __ATOMIC_RELAXED);
}

/* True while the runtime has never started a thread. Refcounts, the class pools and the tracker's lock use it to
 * skip atomic instructions in single-threaded programs, as libstdc++ does for shared_ptr (with glibc's
 * __libc_single_threaded, which this flag replaces: it costs one load less per test). A plain load, and no race:
 * the flag is written only while no other thread of the runtime exists (tml_rt_threads_starting, before
 * pthread_create, which orders the write before everything the new thread does). Being plain, LLVM may merge the
 * tests of one inlined sequence (a release followed by the pooled free of its destructor) into one. */
static inline int tml_rt_single_threaded(void) { return !tml_rt_threads_flag; }

/* Whether the global class pools (@pool, object.c) check every free: a second free of an object, or a free into
 * another pool, ends the process with "tmlc: double free of a pooled ..." / "invalid free ...". On in tracked
 * builds (debug, ubsan) and under AddressSanitizer, ThreadSanitizer and MemorySanitizer; off in the plain release
 * runtime that `tmlc --release` links, whose frees come from the compiler's reference counts and which links a
 * free slot through the object's own first word (see object.c). thread_local pools check in every build. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define TML_RT_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#ifndef TML_RT_SANITIZED
#define TML_RT_SANITIZED 1
#endif
#endif
#if defined(TML_DEBUG_MEMORY) || defined(TML_RT_SANITIZED)
#define TML_RT_POOL_CHECKS 1
#else
#define TML_RT_POOL_CHECKS 0
#endif

/* stdout is our own buffer (essential.c). Everything that writes to stderr flushes it first, so output that was
 * printed before a panic or a report is never lost or reordered when both streams go to one terminal. */
void tml_rt_flush_stdout(void);
/* Best effort for signal handlers and sanitizer callbacks: flushes only if no other thread holds the buffer. */
void tml_rt_flush_stdout_try(void);
/* Flushes stdout, then writes all n bytes to fd 2. */
void tml_rt_write_stderr(const char *p, size_t n);
/* printf-style variant of tml_rt_write_stderr (one write for the whole message). */
void tml_rt_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "FILE:LINE:COL", or "<unknown>" for a NULL loc / file. Returns buf. */
const char *tml_rt_format_loc(char *buf, size_t cap, const TmlLoc *loc);
/* Reads fd to its end and closes it: a new string, or NULL with *err set (EISDIR for a directory, ENOMEM, or
 * read's errno). Shared by `read_file` (essential.c) and `fs::read_to_string` (fs.c). */
TmlStr *tml_rt_read_fd(int fd, int *err);
/* Flushes stdout and ends the process at once (no atexit handlers, no leak report). */
TML_NORETURN void tml_rt_die(int32_t status);
/* Out of memory or an impossible size: a panic (status 101), "panic at FILE:L:C: out of memory (allocating N
 * bytes)" when loc names a TML source line, "panic: out of memory (allocating N bytes)" otherwise (a negative size
 * says "invalid allocation size N"). Reached from the allocator, so it allocates nothing on the way. */
TML_NORETURN void tml_rt_out_of_memory_at(int64_t size, const TmlLoc *loc);
/* tml_rt_out_of_memory_at without a location. */
TML_NORETURN void tml_rt_out_of_memory(int64_t size);
/* A panic raised by the runtime itself: "panic at FILE:L:C: MSG" when loc names a TML source line (not NULL nor
 * the runtime's own "<runtime>" location), else "panic: MSG"; stdout flushed first, status 101. Allocates nothing. */
TML_NORETURN void tml_rt_panic_at(const TmlLoc *loc, const char *msg);

/* object.c: frees the chunks of every @pool class pool, global and thread_local (the calling thread's pools and
 * bookkeeping included; other threads that use thread_local pools must have ended). In tracked builds each object
 * still live in a pool is first handed to the leak report (tml_track_add_external_leak). Called by
 * tml_runtime_exit before the leak check; the pools are empty and usable again afterwards. */
void tml_class_pools_shutdown(void);
/* The number of pool chunks allocated right now, all pools together (for the tests). */
int64_t tml_class_pools_live_chunks(void);

/* thread.c: joins the thread of every task still registered (running or ended, detached ones included), waiting for
 * the running ones, and frees the detached tasks (their results have been dropped by their threads). Called by
 * tml_runtime_exit first, before the pools are shut down and the leak check runs; usable again afterwards. */
void tml_tasks_join_all(void);
/* For the tests: the number of tasks whose thread has not been joined yet; whether a task's thread has finished
 * with it (its function returned and, if it was detached while running, its result was dropped). */
int64_t tml_tasks_registered(void);
int32_t tml_task_ended(void *task);

/* borrow_mark.c. Tracked builds (debug, ubsan) check every free of a class instance (tml_obj_free and the pool
 * frees in object.c): an instance destroyed while it still holds a borrow mark is a compiler bug, reported as
 * "tmlc: internal error: a class instance is destroyed while a reference into it is live (object 0x…, borrowed at
 * FILE:L:C)" followed by abort(). The check costs a relaxed load while no mark is live, and a locked lookup
 * otherwise, which is why release builds leave it out. */
#ifdef TML_DEBUG_MEMORY
#define TML_BORROW_CHECK_FREES 1
void tml_rt_borrow_check_free(void *obj);
#define TML_RT_BORROW_CHECK_FREE(obj) tml_rt_borrow_check_free(obj)
#else
#define TML_RT_BORROW_CHECK_FREE(obj) ((void)(obj))
#endif
/* For the tests: the marks live in the whole process; the side table's capacity in entries (0 before any mark). */
int64_t tml_rt_borrow_marks_live(void);
int64_t tml_rt_borrow_table_capacity(void);
/* For the tests: how many marks `obj` holds, and (when it holds any and oldest is not NULL) the oldest one's site. */
int64_t tml_rt_borrow_marks_of(void *obj, const TmlLoc **oldest);
/* Frees the side table (and forgets any marks still live). Called by tml_runtime_exit after the tasks are joined;
 * marking again afterwards starts a new table. */
void tml_rt_borrow_marks_shutdown(void);

/* stack_guard.c: a stack overflow becomes "panic: stack overflow in `NAME`" (status 101). install (from
 * tml_runtime_init) sets the SIGSEGV/SIGBUS handler once and prepares the calling thread; every other thread that
 * runs TML code calls thread_init when it starts (returns 1 when it made an alternate signal stack) and
 * thread_end before it returns (frees that stack). Both are no-ops before install. */
void tml_rt_stack_guard_install(void);
int tml_rt_stack_guard_thread_init(void);
void tml_rt_stack_guard_thread_end(void);

/* The location used for frees the runtime itself performs (Str release, closure environments, split arrays). */
extern const TmlLoc tml_rt_runtime_loc;

/* ---- blocked threads (thread.c), for the deadlock detector ----
 * A thread waiting for something only another TML thread can give puts a TmlWaiter (on its own stack) on the
 * list of what it waits for, and, with that object's lock held, calls tml_rt_waiters_block before each wait:
 * every waiter on the list is counted blocked and the deadlock check runs. Whoever makes the wait satisfiable
 * calls tml_rt_waiters_wake on the list (uncounts them) before waking them. */
enum { TML_BLOCK_SEND = 1, TML_BLOCK_RECV = 2, TML_BLOCK_LOCK = 4 };
typedef struct TmlWaiter {
    struct TmlWaiter *next;
    int task;    /* tml_rt_on_task_thread() of the waiter */
    int counted; /* counted as blocked (guarded by the task registry's lock) */
} TmlWaiter;
/* 1 on a thread task's thread, 0 on main (or another thread), 2 on an async worker: a worker's waits are never
 * counted (a worker blocked in a poll keeps the executor from being quiescent, so nothing is reported). */
int tml_rt_on_task_thread(void);
void tml_rt_thread_is_async_worker(void); /* async.c's workers call it when they start */
/* Runs the deadlock check again (thread.c): async.c calls it when the executor becomes quiescent, since blocked
 * threads are not reported while an async task could still wake them. */
void tml_rt_deadlock_recheck(void);
/* async.c, for the deadlock detector: 1 when no task is queued or being polled and no delay is pending (or the
 * executor is not running); *suspended = the live (suspended) tasks. */
int tml_rt_async_quiescent(int64_t *suspended);
/* async.c: called before a blocking wait (channel, Mutex, thread join, sleep): on an async worker with tasks in
 * its own queue (TML_SCHED=steal), wakes an idle worker to take them, since the task a quiet LIFO-slot push left
 * there may be what the wait needs. A no-op elsewhere. */
void tml_rt_async_worker_blocks(void);
/* async.c: whether the executor was ever started (tml_runtime_exit shuts it down only then). */
int tml_rt_async_ever_started(void);
void tml_rt_waiters_block(TmlWaiter *w, int kind);
void tml_rt_waiters_wake(TmlWaiter *w, int kind);
void tml_rt_waiter_remove(TmlWaiter **list, TmlWaiter *me, int kind); /* off the list (uncounted if need be) */

/* ---- timers (timer.c) and the channel side of them (channel.c) ---- */
void tml_rt_chan_set_timer(void *ch, void *timer); /* under the channel's lock */
void *tml_rt_chan_timer(void *ch);                 /* the pending timer, NULL once fired */
void tml_rt_chan_timer_fire(void *ch);             /* clears the timer, puts one zeroed element if there is room */
void tml_rt_timer_cancel(void *ch);                /* the channel is being freed: its pending timer is freed too */
void tml_rt_timers_shutdown(void);                 /* stops and joins the timer thread (tml_runtime_exit) */
int64_t tml_rt_timers_pending_unlocked(void);      /* tml_timers_pending without the lock (deadlock detector) */

#endif /* TML_INTERNAL_H */
