/* test_track.c — the tracking allocator (mem_track.c): live counts, double/invalid free, quarantine, the leak
 * report and its exit status, statistics, the allow-list, thread safety. Only built for tracked variants. */
#include "test_util.h"

#include <pthread.h>

#include "mem_track.h"

#ifndef TML_DEBUG_MEMORY
#error "test_track.c needs a TML_DEBUG_MEMORY runtime variant"
#endif

static const TmlAllocSite site_node = {{"examples/leak.tml", 12, 17}, "Heap[Node]"};
static const TmlAllocSite site_raw = {{"examples/leak.tml", 20, 21}, "raw alloc"};
static const TmlAllocSite site_raw_copy = {{"examples/leak.tml", 20, 21}, "raw alloc"}; /* same content */
static const TmlAllocSite site_list = {{"lib/list.tml", 40, 9}, "List[I64] buffer"};
static const TmlLoc free_loc = {"t.tml", 5, 9};

/* The leak report written to a temp file, as a string (static buffer). */
static const char *report_text(int64_t *count) {
    static char buf[8192];
    FILE *f = tmpfile();
    *count = tml_track_write_report(fileno(f));
    rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_live_counts(void) {
    int64_t b0 = tml_mem_live_blocks(), y0 = tml_mem_live_bytes();
    void *a = tml_alloc(100, &site_raw);
    void *b = tml_alloc_zeroed(28, &site_node);
    CHECK((uintptr_t)a % 16 == 0 && (uintptr_t)b % 16 == 0);
    CHECK_EQ_I64(tml_mem_live_blocks(), b0 + 2);
    CHECK_EQ_I64(tml_mem_live_bytes(), y0 + 128);
    a = tml_realloc(a, 1000, &site_raw);
    CHECK((uintptr_t)a % 16 == 0);
    CHECK_EQ_I64(tml_mem_live_bytes(), y0 + 1028);
    tml_free(a, &free_loc);
    tml_free(b, &free_loc);
    CHECK_EQ_I64(tml_mem_live_blocks(), b0);
    CHECK_EQ_I64(tml_mem_live_bytes(), y0);
}

/* ---- double and invalid frees (each in a child: they end the process) ---- */

static void child_double_free(void *unused) {
    (void)unused;
    TU_LIT(out, "before");
    tml_println(out, 0);
    void *p = tml_alloc(16, &(TmlAllocSite){{"double_free.tml", 3, 17}, "raw alloc"});
    tml_free(p, &(TmlLoc){"double_free.tml", 4, 9});
    tml_free(p, &(TmlLoc){"double_free.tml", 5, 9});
    tml_println(out, 0);
}

static void child_double_free_after_traffic(void *unused) {
    (void)unused;
    void *p = tml_alloc(24, &site_node);
    tml_free(p, &free_loc);
    for (int i = 0; i < 4000; i++) tml_free(tml_alloc(32, &site_raw), &free_loc); /* still within quarantine */
    tml_free(p, &(TmlLoc){"t.tml", 77, 3});
}

static _Alignas(16) unsigned char foreign[256];

static void child_invalid_free_static(void *unused) {
    (void)unused;
    tml_free(foreign + 64, &(TmlLoc){"t.tml", 9, 5});
}

static void child_invalid_free_misaligned(void *unused) {
    (void)unused;
    char *p = tml_alloc(32, &site_raw);
    tml_free(p + 1, &(TmlLoc){"t.tml", 10, 5});
}

static void child_invalid_free_interior(void *unused) {
    (void)unused;
    char *p = tml_alloc(256, &site_raw);
    tml_free(p + 64, &(TmlLoc){"t.tml", 11, 5});
}

static void child_invalid_free_malloc(void *unused) {
    (void)unused;
    char *p = malloc(64);
    tml_free(p, &(TmlLoc){"t.tml", 12, 5});
}

static void child_realloc_freed(void *unused) {
    (void)unused;
    void *p = tml_alloc(40, &site_raw);
    tml_free(p, &free_loc);
    tml_realloc(p, 80, &site_list);
}

static void child_free_null_loc(void *unused) {
    (void)unused;
    void *p = tml_alloc(8, NULL);
    tml_free(p, NULL);
    tml_free(p, NULL);
}

static void test_bad_frees(void) {
    TuChild *c = tu_run_child(child_double_free, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "tmlc: double free at double_free.tml:5:9 (16 bytes allocated at double_free.tml:3:17)\n");
    CHECK_EQ_CSTR(c->out, "before\n"); /* stdout flushed before the report */

    c = tu_run_child(child_double_free_after_traffic, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "tmlc: double free at t.tml:77:3 (24 bytes allocated at examples/leak.tml:12:17)\n");

    c = tu_run_child(child_invalid_free_static, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "tmlc: invalid free at t.tml:9:5\n");

    c = tu_run_child(child_invalid_free_misaligned, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "tmlc: invalid free at t.tml:10:5\n");

    c = tu_run_child(child_invalid_free_interior, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "tmlc: invalid free at t.tml:11:5\n");

    c = tu_run_child(child_invalid_free_malloc, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "tmlc: invalid free at t.tml:12:5\n");

    c = tu_run_child(child_realloc_freed, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err,
                  "tmlc: realloc of freed memory at lib/list.tml:40:9 (40 bytes allocated at examples/leak.tml:20:21)\n");

    c = tu_run_child(child_free_null_loc, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "tmlc: double free at <unknown> (8 bytes allocated at <unknown>)\n");
}

/* ---- quarantine ---- */

static void test_quarantine(void) {
    tml_track_flush_quarantine();
    CHECK_EQ_I64(tml_track_quarantine_blocks(), 0);
    for (int i = 0; i < 10; i++) tml_free(tml_alloc(8, &site_raw), &free_loc);
    CHECK_EQ_I64(tml_track_quarantine_blocks(), 10);
    for (int i = 0; i < TML_TRACK_QUARANTINE_BLOCKS + 500; i++) tml_free(tml_alloc(8, &site_raw), &free_loc);
    CHECK_EQ_I64(tml_track_quarantine_blocks(), TML_TRACK_QUARANTINE_BLOCKS); /* bounded by count */
    tml_track_flush_quarantine();
    CHECK_EQ_I64(tml_track_quarantine_blocks(), 0);
    for (int i = 0; i < 12; i++) tml_free(tml_alloc(1 << 20, &site_raw), &free_loc);
    CHECK_EQ_I64(tml_track_quarantine_blocks(), 8); /* bounded by bytes: 8 x 1 MiB */
    tml_free(tml_alloc(TML_TRACK_QUARANTINE_BYTES + 1, &site_raw), &free_loc); /* too big: released at once */
    CHECK_EQ_I64(tml_track_quarantine_blocks(), 8);
    tml_track_flush_quarantine();
    CHECK_EQ_I64(tml_track_quarantine_blocks(), 0);
}

/* ---- recycling: small blocks leaving the quarantine serve the next allocation of their size class ---- */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif

static void push_out_of_quarantine(void) { /* 256-byte blocks: another size class than the blocks under test */
    for (int i = 0; i < TML_TRACK_QUARANTINE_BLOCKS; i++) tml_free(tml_alloc(200, &site_list), &free_loc);
}

static void child_double_free_recycled(void *unused) {
    (void)unused;
    void *p = tml_alloc(24, &site_node);
    tml_free(p, &free_loc);
    push_out_of_quarantine(); /* p has left the quarantine: recycled, still marked freed */
    tml_free(p, &(TmlLoc){"t.tml", 88, 3});
}

static void test_recycling(void) {
    tml_track_flush_quarantine();
    CHECK_EQ_I64(tml_track_recycled_bytes(), 0);
    int64_t b0 = tml_mem_live_blocks();
    unsigned char *p = tml_alloc(24, &site_node); /* 24 + 32 bytes: the 56-byte class (a 64-byte malloc chunk) */
    memset(p, 0xAB, 24);
    tml_free(p, &free_loc);
    push_out_of_quarantine();
#ifdef TEST_ASAN
    CHECK_EQ_I64(tml_track_recycled_bytes(), 0); /* ASan keeps reuse to itself */
#else
    CHECK(tml_track_recycled_bytes() >= 56);
    CHECK(tml_track_recycled_bytes() <= TML_TRACK_RECYCLE_BYTES); /* bounded, though 4096 blocks went through */
    unsigned char *q = tml_alloc_zeroed(20, &site_raw); /* 20 + 32: the same class */
    CHECK(q == p);
    int zero = 1;
    for (int i = 0; i < 20; i++) zero &= q[i] == 0;
    CHECK(zero);
    CHECK_EQ_I64(tml_mem_live_blocks(), b0 + 1);
    int64_t n;
    CHECK_EQ_CSTR(report_text(&n), "tmlc: 1 leak (20 bytes) at exit\n"
                                   "  1 \xC3\x97 20 bytes  raw alloc   allocated at examples/leak.tml:20:21\n");
    tml_free(q, &free_loc);
#endif
    CHECK_EQ_I64(tml_mem_live_blocks(), b0);
#ifndef TEST_ASAN
    /* the class's edge: a block of 56 bytes in all never serves 25 user bytes (57), and still serves 24 */
    void *r = tml_alloc(24, &site_node);
    tml_free(r, &free_loc);
    push_out_of_quarantine();
    void *bigger = tml_alloc(25, &site_node);
    CHECK(bigger != r);
    void *same = tml_alloc(24, &site_node);
    CHECK(same == r);
    tml_free(bigger, &free_loc);
    tml_free(same, &free_loc);
#endif
    tml_track_flush_quarantine(); /* the recycled blocks are really freed too */
    CHECK_EQ_I64(tml_track_recycled_bytes(), 0);

    TuChild *c = tu_run_child(child_double_free_recycled, NULL);
    CHECK_EQ_I64(c->status, 101);
#ifdef TEST_ASAN
    CHECK_EQ_CSTR(c->err, "tmlc: invalid free at t.tml:88:3\n"); /* really freed: ASan's memory now */
#else
    CHECK_EQ_CSTR(c->err, "tmlc: double free at t.tml:88:3 (24 bytes allocated at examples/leak.tml:12:17)\n");
#endif
}

/* ---- the leak report ---- */

static void test_report_format(void) {
    int64_t n = -1;
    CHECK_EQ_CSTR(report_text(&n), ""); /* nothing live: nothing printed */
    CHECK_EQ_I64(n, 0);

    /* the example of TOOLCHAIN.md §4 */
    void *node = tml_alloc(32, &site_node);
    void *raw = tml_alloc(16, &site_raw);
    CHECK_EQ_CSTR(report_text(&n), "tmlc: 2 leaks (48 bytes) at exit\n"
                                   "  1 \xC3\x97 32 bytes  Heap[Node]   allocated at examples/leak.tml:12:17\n"
                                   "  1 \xC3\x97 16 bytes  raw alloc    allocated at examples/leak.tml:20:21\n");
    CHECK_EQ_I64(n, 2);
    tml_free(node, &free_loc);
    CHECK_EQ_CSTR(report_text(&n), "tmlc: 1 leak (16 bytes) at exit\n"
                                   "  1 \xC3\x97 16 bytes  raw alloc   allocated at examples/leak.tml:20:21\n");
    tml_free(raw, &free_loc);

    /* grouping by site content, ordering by first allocation, mixed sizes, wider columns */
    void *blocks[8];
    blocks[0] = tml_alloc(8, &site_list);      /* group 1 (first) */
    blocks[1] = tml_alloc(24, &site_raw);      /* group 2 */
    blocks[2] = tml_alloc(24, &site_raw_copy); /* same content as site_raw: same group */
    blocks[3] = tml_alloc(32, &site_list);     /* group 1 again: mixed sizes */
    blocks[4] = tml_alloc(24, &site_raw);
    blocks[5] = tml_alloc(5, NULL); /* unknown site */
    blocks[6] = tml_alloc(1, &site_node);
    blocks[6] = tml_realloc(blocks[6], 64, &site_node); /* reported with its new size */
    for (int i = 0; i < 10; i++) tml_free(tml_alloc(8, &site_node), &free_loc); /* freed: not reported */
    CHECK_EQ_CSTR(report_text(&n),
                  "tmlc: 7 leaks (181 bytes) at exit\n"
                  "  2 blocks, 40 bytes total  List[I64] buffer   allocated at lib/list.tml:40:9\n"
                  "  3 \xC3\x97 24 bytes              raw alloc          allocated at examples/leak.tml:20:21\n"
                  "  1 \xC3\x97 5 bytes               <unknown type>     allocated at <unknown>\n"
                  "  1 \xC3\x97 64 bytes              Heap[Node]         allocated at examples/leak.tml:12:17\n");
    CHECK_EQ_I64(n, 7);

    /* allow-listed blocks are not leaks */
    tml_mem_mark_intentional(blocks[5], "test: lives until exit");
    tml_mem_mark_intentional(blocks[6], "test: lives until exit");
    report_text(&n);
    CHECK_EQ_I64(n, 5);
    for (int i = 0; i <= 6; i++) tml_free(blocks[i], &free_loc);
    CHECK_EQ_CSTR(report_text(&n), "");
}

/* ---- the exit hook: status 102, TML_CHECK_LEAKS, TML_MEM_STATS, no report on panic or tml_exit ---- */

struct exit_case {
    int leak;
    int32_t check_leaks;
    int32_t status;
    int how; /* 0: tml_runtime_exit, 1: panic, 2: tml_exit */
};

static void child_exit(void *p) {
    struct exit_case *x = p;
    char *argv[] = {"prog", NULL};
    tml_runtime_init(1, argv, x->check_leaks);
    TU_LIT(out, "done");
    static const TmlAllocSite leak_site = {{"leak_raw.tml", 3, 20}, "raw alloc"}; /* must outlive the report */
    if (x->leak) tml_alloc(64, &leak_site);
    tml_free(tml_alloc(32, &site_raw), &free_loc);
    tml_println(out, 0);
    if (x->how == 1) tml_panic_cstr(&free_loc, "boom");
    if (x->how == 2) tml_exit(x->status);
    exit(tml_runtime_exit(x->status));
}

static void test_exit_hook(void) {
    unsetenv("TML_CHECK_LEAKS");
    unsetenv("TML_MEM_STATS");
    struct exit_case x = {1, 1, 0, 0};
    TuChild *c = tu_run_child(child_exit, &x);
    CHECK_EQ_I64(c->status, 102);
    CHECK_EQ_CSTR(c->out, "done\n");
    CHECK_EQ_CSTR(c->err, "tmlc: 1 leak (64 bytes) at exit\n"
                          "  1 \xC3\x97 64 bytes  raw alloc   allocated at leak_raw.tml:3:20\n");

    x = (struct exit_case){1, 1, 3, 0}; /* a failing status is kept, the report is still printed */
    c = tu_run_child(child_exit, &x);
    CHECK_EQ_I64(c->status, 3);
    CHECK(strstr(c->err, "1 leak (64 bytes)") != NULL);

    x = (struct exit_case){0, 1, 0, 0}; /* clean */
    c = tu_run_child(child_exit, &x);
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_CSTR(c->err, "");

    x = (struct exit_case){1, 0, 0, 0}; /* check_leaks off */
    c = tu_run_child(child_exit, &x);
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_CSTR(c->err, "");

    setenv("TML_CHECK_LEAKS", "0", 1); /* env override */
    x = (struct exit_case){1, 1, 0, 0};
    c = tu_run_child(child_exit, &x);
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_CSTR(c->err, "");
    unsetenv("TML_CHECK_LEAKS");

    x = (struct exit_case){1, 1, 0, 1}; /* panic: no report */
    c = tu_run_child(child_exit, &x);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "panic at t.tml:5:9: boom\n");

    x = (struct exit_case){1, 1, 4, 2}; /* tml_exit: no report */
    c = tu_run_child(child_exit, &x);
    CHECK_EQ_I64(c->status, 4);
    CHECK_EQ_CSTR(c->out, "done\n");
    CHECK_EQ_CSTR(c->err, "");

    setenv("TML_MEM_STATS", "1", 1);
    x = (struct exit_case){1, 1, 0, 0};
    c = tu_run_child(child_exit, &x);
    CHECK_EQ_I64(c->status, 102);
    /* the child's own counters also include what this test process allocated before the fork */
    CHECK(strncmp(c->err, "tmlc mem: allocs=", 17) == 0);
    CHECK(strstr(c->err, " live_blocks=1 live_bytes=64\ntmlc: 1 leak (64 bytes) at exit\n") != NULL);
    unsetenv("TML_MEM_STATS");
}

static void test_stats(void) {
    TmlTrackStats before, after;
    tml_track_get_stats(&before);
    void *a = tml_alloc(1000, &site_raw);
    void *b = tml_alloc(24, &site_raw);
    a = tml_realloc(a, 2000, &site_raw);
    tml_free(a, &free_loc);
    tml_free(b, &free_loc);
    tml_track_get_stats(&after);
    CHECK_EQ_I64(after.allocs - before.allocs, 2);
    CHECK_EQ_I64(after.reallocs - before.reallocs, 1);
    CHECK_EQ_I64(after.bytes - before.bytes, 3024);
    CHECK(after.peak_bytes >= before.live_bytes + 2024);
    CHECK(after.peak_blocks >= before.live_blocks + 2);
    CHECK_EQ_I64(after.live_blocks, before.live_blocks);

    FILE *f = tmpfile();
    tml_track_write_stats(fileno(f));
    char line[512] = {0};
    rewind(f);
    CHECK(fgets(line, sizeof line, f) != NULL);
    fclose(f);
    char want[512];
    snprintf(want, sizeof want,
             "tmlc mem: allocs=%lld reallocs=%lld bytes=%lld peak_blocks=%lld peak_bytes=%lld live_blocks=%lld "
             "live_bytes=%lld\n",
             (long long)after.allocs, (long long)after.reallocs, (long long)after.bytes, (long long)after.peak_blocks,
             (long long)after.peak_bytes, (long long)after.live_blocks, (long long)after.live_bytes);
    CHECK_EQ_CSTR(line, want);
}

/* ---- threads: the live list and quarantine stay consistent ---- */

static void *churn(void *arg) {
    void *keep[64] = {0};
    unsigned seed = (unsigned)(uintptr_t)arg;
    for (int i = 0; i < 200000; i++) {
        seed = seed * 1103515245u + 12345u;
        int slot = (int)((seed >> 16) % 64);
        if (keep[slot]) {
            tml_free(keep[slot], &free_loc);
            keep[slot] = NULL;
        } else {
            keep[slot] = tml_alloc(8 + (seed >> 24) % 200, &site_raw);
            if (seed & 1) keep[slot] = tml_realloc(keep[slot], 300, &site_raw);
        }
    }
    for (int s = 0; s < 64; s++) tml_free(keep[s], &free_loc);
    return NULL;
}

static void test_threads(void) {
    int64_t b0 = tml_mem_live_blocks();
    pthread_t t[4];
    tml_rt_threads_starting(); /* raw threads: the runtime must know */
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, churn, (void *)(uintptr_t)(i + 1));
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    CHECK_EQ_I64(tml_mem_live_blocks(), b0);
    int64_t n;
    CHECK_EQ_CSTR(report_text(&n), "");
}

int main(void) {
    test_live_counts();
    test_bad_frees();
    test_quarantine();
    test_recycling();
    test_report_format();
    test_exit_hook();
    test_stats();
    test_threads();
    tml_track_flush_quarantine();
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);
    return tu_finish("test_track");
}
