/* test_mem.c — mem.c: allocation entry points, raw memory helpers, generic and closure refcounts.
 * Runs against every variant (plain malloc and tracked). */
#include "test_util.h"

#include <pthread.h>

static const TmlAllocSite site = {{"m.tml", 1, 1}, "raw alloc"};
static const TmlLoc loc = {"m.tml", 2, 2};

static void test_alloc(void) {
    unsigned char *p = tml_alloc(64, &site);
    CHECK(p != NULL);
    CHECK((uintptr_t)p % 16 == 0);
    tml_mem_set(p, 0xAB, 64);
    p = tml_realloc(p, 4096, &site);
    CHECK(p[0] == 0xAB && p[63] == 0xAB);
    p = tml_realloc(p, 8, &site);
    CHECK(p[7] == 0xAB);
    tml_free(p, &loc);

    unsigned char *z = tml_alloc_zeroed(1000, &site);
    int all_zero = 1;
    for (int i = 0; i < 1000; i++) all_zero &= z[i] == 0;
    CHECK(all_zero);
    tml_free(z, &loc);

    void *r = tml_realloc(NULL, 32, &site); /* realloc(NULL) allocates */
    CHECK(r != NULL);
    tml_free(r, &loc);
    void *e = tml_alloc(0, &site); /* a zero-byte block is still a block that must be freed */
    tml_free(e, &loc);
    tml_free(NULL, &loc); /* no-op */
}

static void test_mem_ops(void) {
    char a[16] = "abcdefgh", b[16] = {0};
    tml_mem_copy(b, a, 9);
    CHECK(strcmp(b, "abcdefgh") == 0);
    tml_mem_move(a + 2, a, 6); /* overlapping */
    CHECK(memcmp(a, "ababcdef", 8) == 0);
    tml_mem_set(b, 'z', 3);
    CHECK(memcmp(b, "zzzdefgh", 8) == 0);
    CHECK_EQ_I64(tml_mem_compare("abc", "abd", 3), -1);
    CHECK_EQ_I64(tml_mem_compare("abd", "abc", 3), 1);
    CHECK_EQ_I64(tml_mem_compare("abc", "abc", 3), 0);
    CHECK_EQ_I64(tml_mem_compare(NULL, NULL, 0), 0);
    tml_mem_copy(NULL, NULL, 0);
    tml_mem_move(NULL, NULL, 0);
    tml_mem_set(NULL, 0, 0);
    tml_mem_copy(b, a, -5); /* negative sizes do nothing */
}

static void test_rc(void) {
    static const int64_t immortal[2] = {TML_RC_STATIC, 99}; /* read-only: must never be written */
    tml_rc_retain((void *)immortal);
    CHECK_EQ_I64(tml_rc_release((void *)immortal), 0);
    CHECK_EQ_I64(immortal[0], TML_RC_STATIC);
    tml_rc_retain(NULL);
    CHECK_EQ_I64(tml_rc_release(NULL), 0);

    int64_t *block = tml_alloc(16, &site);
    block[0] = 1;
    tml_rc_retain(block);
    tml_rc_retain(block);
    CHECK_EQ_I64(block[0], 3);
    CHECK_EQ_I64(tml_rc_release(block), 0);
    CHECK_EQ_I64(tml_rc_release(block), 0);
    CHECK_EQ_I64(tml_rc_release(block), 1); /* reached zero: the caller frees */
    tml_free(block, &loc);
}

/* a closure environment { rc, drop_fn, captured Str } */
typedef struct Env {
    TmlClosureEnv head;
    TmlStr *captured;
} Env;

static int drops;

static void env_drop(TmlClosureEnv *env) {
    drops++;
    tml_str_release(((Env *)env)->captured);
}

static void test_closures(void) {
    Env *env = tml_alloc(sizeof(Env), &site);
    env->head.rc = 1;
    env->head.drop_fn = env_drop;
    env->captured = tu_str("captured");
    tml_closure_retain(&env->head);
    tml_closure_release(&env->head);
    CHECK_EQ_I64(drops, 0);
    tml_closure_release(&env->head); /* drops the captures, then frees the block */
    CHECK_EQ_I64(drops, 1);
    tml_closure_retain(NULL);
    tml_closure_release(NULL);

    Env *bare = tml_alloc(sizeof(TmlClosureEnv), &site); /* no drop_fn: only freed */
    bare->head.rc = 1;
    bare->head.drop_fn = NULL;
    tml_closure_release(&bare->head);
}

/* Refcounts from several threads: the count must come out exact. */
static TmlStr *shared_str;

static void *hammer(void *unused) {
    (void)unused;
    for (int i = 0; i < 100000; i++) {
        tml_str_retain(shared_str);
        tml_str_release(shared_str);
        tml_str_retain(shared_str);
    }
    return NULL;
}

static void test_atomic_rc(void) {
    shared_str = tu_str("shared");
    pthread_t t[4];
    tml_rt_threads_starting(); /* raw threads: the runtime must know */
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, hammer, NULL);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    CHECK_EQ_I64(shared_str->rc, 1 + 4 * 100000);
    shared_str->rc = 1;
    tml_str_release(shared_str);
}

static int64_t counter;

static void *add_many(void *arg) {
    (void)arg;
    for (int i = 0; i < 100000; i++) tml_atomic_add_i64(&counter, 1);
    return NULL;
}

/* Sync[T]'s counters: concurrent increments are never lost, and the result is the value before the addition */
static void test_atomic_counters(void) {
    counter = 5;
    CHECK_EQ_I64(tml_atomic_add_i64(&counter, -2), 5);
    CHECK_EQ_I64(tml_atomic_load_i64(&counter), 3);
    counter = 0;
    pthread_t t[4];
    tml_rt_threads_starting(); /* raw threads: the runtime must know */
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, add_many, NULL);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    CHECK_EQ_I64(tml_atomic_load_i64(&counter), 400000);
}

/* ---- running out of memory: a panic (101) naming the size and the allocation's TML line ---- */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_UNDER_ASAN 1 /* ASan's allocator reports an impossible size itself (allocator_may_return_null=0) */
#endif
#endif

#define HUGE ((int64_t)1 << 50) /* 1 PiB: more than a process can map */

#ifndef TEST_UNDER_ASAN
static void child_huge_alloc(void *arg) {
    (void)arg;
    TmlStr *s = tml_str_new("before", 6);
    tml_println(s, 0); /* buffered: the panic must flush it */
    tml_alloc(HUGE, &site);
}

static void child_huge_realloc(void *arg) {
    (void)arg;
    void *p = tml_alloc(16, &site);
    tml_realloc(p, HUGE, &site);
}

static void child_huge_runtime(void *arg) {
    (void)arg;
    static const TmlAllocSite rt = {{"<runtime>", 0, 0}, "Str"};
    tml_alloc(HUGE, &rt);
}
#endif

static void child_negative(void *arg) {
    (void)arg;
    tml_alloc(-5, &site);
}

static void test_out_of_memory(void) {
#ifndef TEST_UNDER_ASAN
    TuChild *c = tu_run_child(child_huge_alloc, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->out, "before\n");
    CHECK_EQ_CSTR(c->err, "panic at m.tml:1:1: out of memory (allocating 1125899906842624 bytes)\n");
    c = tu_run_child(child_huge_realloc, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "panic at m.tml:1:1: out of memory (allocating 1125899906842624 bytes)\n");
    c = tu_run_child(child_huge_runtime, NULL); /* the runtime's own site has no TML line */
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "panic: out of memory (allocating 1125899906842624 bytes)\n");
#endif
    TuChild *n = tu_run_child(child_negative, NULL);
    CHECK_EQ_I64(n->status, 101);
    CHECK_EQ_CSTR(n->err, "panic at m.tml:1:1: invalid allocation size -5\n");
}

int main(void) {
    test_out_of_memory();
    test_atomic_counters();
    test_alloc();
    test_mem_ops();
    test_rc();
    test_closures();
    test_atomic_rc();
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);
    CHECK_EQ_I64(tml_mem_live_bytes(), 0);
    return tu_finish("test_mem");
}
