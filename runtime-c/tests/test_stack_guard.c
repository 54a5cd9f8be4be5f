/* test_stack_guard.c — stack_guard.c: a stack overflow on the main thread or on another thread is
 * "panic: stack overflow in `NAME`" with status 101 and stdout flushed; the name is the innermost TML function
 * (a symbol `tml.…`), found at the faulting instruction or as a return address on the stack; other SIGSEGVs keep
 * their default behaviour. Registered for the release and debug variants (sanitizers handle SIGSEGV themselves). */
#include "test_util.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>

static volatile int64_t limit = INT64_MAX; /* a base case the compiler cannot see through */

/* A "TML function": its symbol has the shape the compiler gives `deep` in module `test`. */
__attribute__((noinline)) static int64_t tml_deep(int64_t n) __asm__("tml.test.deep$I64");
__attribute__((noinline)) static int64_t tml_deep(int64_t n) {
    volatile char pad[128];
    pad[n % 128] = (char)n;
    if (n == limit) return 0;
    return tml_deep(n + 1) + pad[n % 128];
}

/* A plain C recursion: no TML function anywhere, so no name. */
__attribute__((noinline)) static int64_t c_deep(int64_t n) {
    volatile char pad[128];
    pad[n % 128] = (char)n;
    if (n == limit) return 0;
    return c_deep(n + 1) + pad[n % 128];
}

static void child_main_thread(void *arg) {
    (void)arg;
    tml_rt_stack_guard_install();
    TmlStr *s = tml_str_new("before", 6);
    tml_println(s, 0); /* buffered (stdout is a file): the report must flush it */
    tml_deep(0);
}

static void child_plain_c(void *arg) {
    (void)arg;
    tml_rt_stack_guard_install();
    c_deep(0);
}

static void *thread_body(void *arg) {
    (void)arg;
    CHECK_EQ_I64(tml_rt_stack_guard_thread_init(), 1);
    tml_deep(0);
    return NULL;
}

static void child_thread(void *arg) {
    (void)arg;
    tml_rt_stack_guard_install();
    TmlStr *s = tml_str_new("spawned", 7);
    tml_println(s, 0);
    pthread_t t;
    pthread_create(&t, NULL, thread_body, NULL);
    pthread_join(t, NULL);
}

static void child_null_pointer(void *arg) {
    (void)arg;
    tml_rt_stack_guard_install();
    volatile int *p = (volatile int *)(uintptr_t)arg; /* NULL */
    *p = 1;
}

static void child_raise(void *arg) {
    (void)arg;
    tml_rt_stack_guard_install();
    raise(SIGSEGV);
}

static void *thread_init_end(void *arg) {
    (void)arg;
    int made = tml_rt_stack_guard_thread_init();
    int again = tml_rt_stack_guard_thread_init(); /* once per thread */
    tml_rt_stack_guard_thread_end();
    return (void *)(intptr_t)(made * 10 + again);
}

int main(void) {
    TuChild *c = tu_run_child(child_main_thread, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->out, "before\n");
    CHECK_EQ_CSTR(c->err, "panic: stack overflow in `test::deep`\n");

    c = tu_run_child(child_plain_c, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "panic: stack overflow\n");

    c = tu_run_child(child_thread, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->out, "spawned\n");
    CHECK_EQ_CSTR(c->err, "panic: stack overflow in `test::deep`\n");

    c = tu_run_child(child_null_pointer, NULL);
    CHECK_EQ_I64(c->status, 128 + SIGSEGV);
    CHECK_EQ_CSTR(c->err, "");

    c = tu_run_child(child_raise, NULL);
    CHECK_EQ_I64(c->status, 128 + SIGSEGV);
    CHECK_EQ_CSTR(c->err, "");

    /* before install, thread_init does nothing; afterwards once per thread */
    pthread_t t;
    void *r = NULL;
    pthread_create(&t, NULL, thread_init_end, NULL);
    pthread_join(t, &r);
    CHECK_EQ_I64((intptr_t)r, 0);
    tml_rt_stack_guard_install();
    pthread_create(&t, NULL, thread_init_end, NULL);
    pthread_join(t, &r);
    CHECK_EQ_I64((intptr_t)r, 10);
    return tu_finish("test_stack_guard");
}
