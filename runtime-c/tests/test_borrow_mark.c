/* test_borrow_mark.c — borrow_mark.c: marks and unmarks of class instances (nested, shared and exclusive, LIFO and
 * not, many objects so the side table grows and shrinks, a random walk against a model), tml_obj_check_mut passing
 * on unmarked objects and panicking with the exact message (the oldest live mark's site), the free-time check of
 * tracked builds, the exit hook, and four threads marking at once. Runs against every variant. */
#include "test_util.h"

#include <pthread.h>
#include <signal.h>

static const TmlLoc site_a = {"bag.tml", 4, 13};
static const TmlLoc site_b = {"bag.tml", 9, 21};
static const TmlLoc site_c = {"bag.tml", 17, 5};
static const TmlLoc loc_mut = {"bag.tml", 30, 9};
static const TmlAllocSite site_bag = {{"bag.tml", 2, 15}, "Bag"};

/* keys only: the functions never touch the object's memory */
typedef struct Fake {
    TmlObject hdr;
    int64_t field;
} Fake;
static _Alignas(16) Fake objs[8];

static const TmlLoc *oldest_of(void *obj) {
    const TmlLoc *site = NULL;
    return tml_rt_borrow_marks_of(obj, &site) ? site : NULL;
}

/* ---- marks and unmarks ---- */

static void test_unmarked(void) {
    CHECK_EQ_I64(tml_rt_borrow_marks_live(), 0);
    CHECK_EQ_I64(tml_rt_borrow_table_capacity(), 0); /* nothing allocated before the first mark */
    tml_obj_check_mut(&objs[0], "Bag", &loc_mut);     /* no mark anywhere: returns */
    tml_obj_check_mut(NULL, NULL, NULL);
    tml_obj_unborrow(NULL, 0);                        /* a mark not taken on this path: nothing to end */
    tml_obj_unborrow(NULL, 1);
    CHECK_EQ_I64(tml_rt_borrow_marks_live(), 0);
    CHECK_EQ_I64(tml_rt_borrow_marks_of(&objs[0], NULL), 0);
}

static void test_nested(void) {
    void *o = &objs[0];
    tml_obj_borrow(o, 0, &site_a);
    tml_obj_borrow(o, 0, &site_b);
    tml_obj_borrow(o, 1, &site_c);
    CHECK_EQ_I64(tml_rt_borrow_marks_live(), 3);
    CHECK_EQ_I64(tml_rt_borrow_marks_of(o, NULL), 3);
    CHECK(oldest_of(o) == &site_a);
    CHECK(tml_rt_borrow_table_capacity() > 0);
    tml_obj_check_mut(&objs[1], "Bag", &loc_mut); /* another object: marks elsewhere do not matter */
    tml_obj_unborrow(o, 1);                        /* LIFO */
    tml_obj_unborrow(o, 0);                        /* the newest shared one: site_b */
    CHECK_EQ_I64(tml_rt_borrow_marks_of(o, NULL), 1);
    CHECK(oldest_of(o) == &site_a);
    tml_obj_unborrow(o, 0);
    CHECK_EQ_I64(tml_rt_borrow_marks_of(o, NULL), 0);
    CHECK_EQ_I64(tml_rt_borrow_marks_live(), 0);
    tml_obj_check_mut(o, "Bag", &loc_mut);

    /* non-LIFO: the older shared mark ends while the newer exclusive one stays */
    tml_obj_borrow(o, 0, &site_a);
    tml_obj_borrow(o, 1, &site_b);
    tml_obj_unborrow(o, 0);
    CHECK_EQ_I64(tml_rt_borrow_marks_of(o, NULL), 1);
    CHECK(oldest_of(o) == &site_b);
    tml_obj_unborrow(o, 1);
    CHECK_EQ_I64(tml_rt_borrow_marks_live(), 0);

    /* an exclusive mark in the middle goes, the order of the others stays */
    tml_obj_borrow(o, 0, &site_a);
    tml_obj_borrow(o, 1, &site_b);
    tml_obj_borrow(o, 0, &site_c);
    tml_obj_unborrow(o, 1);
    CHECK(oldest_of(o) == &site_a);
    tml_obj_unborrow(o, 0); /* site_c */
    CHECK(oldest_of(o) == &site_a);
    tml_obj_unborrow(o, 0);
    CHECK_EQ_I64(tml_rt_borrow_marks_live(), 0);
}

static void test_several_objects(void) {
    for (int i = 0; i < 8; i++) tml_obj_borrow(&objs[i], i % 2, i % 3 == 0 ? &site_a : &site_b);
    for (int i = 0; i < 8; i++) tml_obj_borrow(&objs[i], 0, &site_c);
    CHECK_EQ_I64(tml_rt_borrow_marks_live(), 16);
    for (int i = 0; i < 8; i++) {
        CHECK_EQ_I64(tml_rt_borrow_marks_of(&objs[i], NULL), 2);
        CHECK(oldest_of(&objs[i]) == (i % 3 == 0 ? &site_a : &site_b));
    }
    for (int i = 0; i < 8; i += 2) tml_obj_unborrow(&objs[i], 0); /* every other object: back to one mark */
    for (int i = 0; i < 8; i++) CHECK_EQ_I64(tml_rt_borrow_marks_of(&objs[i], NULL), i % 2 ? 2 : 1);
    for (int i = 7; i >= 0; i--) tml_obj_unborrow(&objs[i], i % 2);
    for (int i = 1; i < 8; i += 2) {
        CHECK(oldest_of(&objs[i]) == &site_c);
        tml_obj_unborrow(&objs[i], 0);
    }
    CHECK_EQ_I64(tml_rt_borrow_marks_live(), 0);
}

/* Many marks on one object: past the inline marks into a grown array and back. */
static void test_deep_nesting(void) {
    void *o = &objs[2];
    static TmlLoc sites[100];
    for (int i = 0; i < 100; i++) sites[i] = (TmlLoc){"deep.tml", i + 1, 1};
    for (int i = 0; i < 100; i++) tml_obj_borrow(o, i % 2, &sites[i]);
    CHECK_EQ_I64(tml_rt_borrow_marks_of(o, NULL), 100);
    CHECK(oldest_of(o) == &sites[0]);
    for (int i = 0; i < 50; i++) tml_obj_unborrow(o, 1); /* every exclusive mark, newest first */
    CHECK_EQ_I64(tml_rt_borrow_marks_of(o, NULL), 50);
    CHECK(oldest_of(o) == &sites[0]);
    tml_obj_unborrow(o, 0);
    CHECK(oldest_of(o) == &sites[0]); /* the newest shared one went */
    for (int i = 0; i < 48; i++) tml_obj_unborrow(o, 0);
    CHECK_EQ_I64(tml_rt_borrow_marks_of(o, NULL), 1);
    CHECK(oldest_of(o) == &sites[0]);
    tml_obj_unborrow(o, 0);
    CHECK_EQ_I64(tml_rt_borrow_marks_live(), 0);
}

/* Enough objects that the table doubles many times, then shrinks back when they are unmarked (in two orders). */
static void test_many_objects(void) {
    enum { N = 20000 };
    Fake *many = aligned_alloc(16, N * sizeof *many);
    int64_t cap0 = tml_rt_borrow_table_capacity();
    CHECK(cap0 > 0);
    for (int i = 0; i < N; i++) tml_obj_borrow(&many[i], i % 2, &site_a);
    for (int i = 0; i < N; i += 3) tml_obj_borrow(&many[i], 0, &site_b);
    CHECK(tml_rt_borrow_table_capacity() >= 2 * N);
    int ok = 1;
    for (int i = 0; i < N; i++) {
        const TmlLoc *old = NULL;
        ok &= tml_rt_borrow_marks_of(&many[i], &old) == (i % 3 == 0 ? 2 : 1) && old == &site_a;
    }
    CHECK(ok);
    for (int i = 0; i < N; i += 3) tml_obj_unborrow(&many[i], i % 2); /* the older mark of some: non-LIFO */
    for (int i = 0; i < N; i += 3) ok &= oldest_of(&many[i]) == (i % 2 ? &site_b : &site_a);
    CHECK(ok);
    for (int i = 0; i < N; i += 3) tml_obj_unborrow(&many[i], 0); /* what is left of those is shared */
    /* the rest from the middle outwards */
    for (int d = 0; d < N; d++) {
        int i = d % 2 ? N / 2 + d / 2 : N / 2 - 1 - d / 2;
        if (i % 3 == 0) continue;
        tml_obj_unborrow(&many[i], i % 2);
        if (d % 1000 == 0)
            for (int j = 0; j < N; j += 97) ok &= tml_rt_borrow_marks_of(&many[j], NULL) <= 2;
    }
    CHECK(ok);
    CHECK_EQ_I64(tml_rt_borrow_marks_live(), 0);
    CHECK_EQ_I64(tml_rt_borrow_table_capacity(), cap0); /* shrunk back */
    free(many);
}

/* A random walk over 300 objects checked against a model (the per-object mark lists, oldest first). */
static void test_random_against_model(void) {
    enum { NOBJ = 300, MAXM = 16 };
    static _Alignas(16) Fake keys[NOBJ];
    static struct {
        int n;
        int excl[MAXM];
        const TmlLoc *site[MAXM];
    } model[NOBJ];
    static const TmlLoc *const sites[3] = {&site_a, &site_b, &site_c};
    uint64_t rng = 0x2545F4914F6CDD1DULL;
    int64_t total = 0;
    int ok = 1;
    for (int step = 0; step < 200000; step++) {
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        int k = (int)(rng % NOBJ), excl = (int)(rng >> 20) & 1;
        const TmlLoc *site = sites[(rng >> 30) % 3];
        int grow = model[k].n == 0 || (model[k].n < MAXM && ((rng >> 40) % 100) < 55);
        if (grow) {
            tml_obj_borrow(&keys[k], excl, site);
            model[k].excl[model[k].n] = excl;
            model[k].site[model[k].n++] = site;
            total++;
        } else {
            int j = model[k].n - 1;
            while (j >= 0 && model[k].excl[j] != excl) j--;
            if (j < 0) excl = !excl, j = model[k].n - 1; /* end the newest mark of the other kind */
            tml_obj_unborrow(&keys[k], excl);
            for (; j + 1 < model[k].n; j++) {
                model[k].excl[j] = model[k].excl[j + 1];
                model[k].site[j] = model[k].site[j + 1];
            }
            model[k].n--;
            total--;
        }
        const TmlLoc *old = NULL;
        ok &= tml_rt_borrow_marks_of(&keys[k], &old) == model[k].n;
        ok &= model[k].n == 0 || old == model[k].site[0];
        ok &= tml_rt_borrow_marks_live() == total;
    }
    CHECK(ok);
    for (int k = 0; k < NOBJ; k++)
        while (model[k].n > 0) tml_obj_unborrow(&keys[k], model[k].excl[--model[k].n]); /* newest first */
    CHECK_EQ_I64(tml_rt_borrow_marks_live(), 0);
}

/* ---- the panic (children: it ends the process) ---- */

static void child_check_mut(void *arg) {
    int which = (int)(intptr_t)arg;
    void *o = &objs[3];
    tml_obj_borrow(&objs[4], 0, &site_c); /* another object's mark never shows */
    switch (which) {
    case 0: /* one shared mark */
        tml_obj_borrow(o, 0, &site_a);
        tml_obj_check_mut(&objs[5], "Bag", &loc_mut); /* not marked: passes */
        tml_obj_check_mut(o, "Bag", &loc_mut);
        break;
    case 1: /* one exclusive mark */
        tml_obj_borrow(o, 1, &site_b);
        tml_obj_check_mut(o, "Bag", &loc_mut);
        break;
    case 2: /* two marks, the newest released: the oldest is named */
        tml_obj_borrow(o, 0, &site_a);
        tml_obj_borrow(o, 0, &site_b);
        tml_obj_unborrow(o, 0);
        tml_obj_check_mut(o, "Bag", &loc_mut);
        break;
    case 3: /* two marks, the oldest released: the one left is named */
        tml_obj_borrow(o, 0, &site_a);
        tml_obj_borrow(o, 1, &site_b);
        tml_obj_unborrow(o, 0);
        tml_obj_check_mut(o, "Bag", &loc_mut);
        break;
    case 4: /* three marks: the oldest of them */
        tml_obj_borrow(o, 1, &site_b);
        tml_obj_borrow(o, 0, &site_a);
        tml_obj_borrow(o, 0, &site_c);
        tml_obj_check_mut(o, "Bag", &loc_mut);
        break;
    case 5: /* all marks released: no panic */
        tml_obj_borrow(o, 0, &site_a);
        tml_obj_borrow(o, 1, &site_b);
        tml_obj_unborrow(o, 0);
        tml_obj_unborrow(o, 1);
        tml_obj_check_mut(o, "Bag", &loc_mut);
        TU_LIT(ok, "no panic");
        tml_println(ok, 0);
        break;
    case 6: /* no class name, no locations */
        tml_obj_borrow(o, 0, NULL);
        tml_obj_check_mut(o, NULL, NULL);
        break;
    case 7: { /* a class name longer than any fixed buffer */
        static char name[3001];
        memset(name, 'N', 3000);
        tml_obj_borrow(o, 0, &site_a);
        tml_obj_check_mut(o, name, &loc_mut);
        break;
    }
    }
}

static void test_check_mut_panics(void) {
    static const char *const want[] = {
        "panic at bag.tml:30:9: cannot modify a Bag while a reference into it is live (borrowed at bag.tml:4:13)\n",
        "panic at bag.tml:30:9: cannot modify a Bag while a reference into it is live (borrowed at bag.tml:9:21)\n",
        "panic at bag.tml:30:9: cannot modify a Bag while a reference into it is live (borrowed at bag.tml:4:13)\n",
        "panic at bag.tml:30:9: cannot modify a Bag while a reference into it is live (borrowed at bag.tml:9:21)\n",
        "panic at bag.tml:30:9: cannot modify a Bag while a reference into it is live (borrowed at bag.tml:9:21)\n",
        "",
        ("panic at <unknown>: cannot modify a class instance while a reference into it is live (borrowed at "
         "<unknown>)\n"),
    };
    for (int i = 0; i < 7; i++) {
        TuChild *c = tu_run_child(child_check_mut, (void *)(intptr_t)i);
        CHECK_EQ_I64(c->status, i == 5 ? 0 : 101);
        CHECK_EQ_CSTR(c->err, want[i]);
        CHECK_EQ_CSTR(c->out, i == 5 ? "no panic\n" : "");
    }
    TuChild *c = tu_run_child(child_check_mut, (void *)(intptr_t)7);
    CHECK_EQ_I64(c->status, 101);
    const char *head = "panic at bag.tml:30:9: cannot modify a NNNN";
    const char *tail = "NNN while a reference into it is live (borrowed at bag.tml:4:13)\n";
    CHECK(strncmp(c->err, head, strlen(head)) == 0);
    CHECK_EQ_I64(c->err_total, (long)(strlen("panic at bag.tml:30:9: cannot modify a ") + 3000 + strlen(tail) - 3));
    CHECK(c->err_total < (long)sizeof c->err && strcmp(c->err + c->err_total - strlen(tail), tail) == 0);
}

/* ---- compiler bugs: an unbalanced unborrow (every build), a marked instance freed (tracked builds) ---- */

static void bag_dtor(void *o) { tml_obj_free(o); }
static void *bag_vtable[] = {(void *)bag_dtor};
static TmlClassPool bag_pool;
static void pooled_bag_dtor(void *o) { tml_class_pool_free(&bag_pool, o); }
static void *pooled_bag_vtable[] = {(void *)pooled_bag_dtor};

static void child_bug(void *arg) {
    int which = (int)(intptr_t)arg;
    switch (which) {
    case 0: /* nothing marked */
        tml_obj_unborrow(&objs[6], 0);
        break;
    case 1: /* a shared mark, an exclusive unborrow */
        tml_obj_borrow(&objs[6], 0, &site_a);
        tml_obj_unborrow(&objs[6], 1);
        break;
    case 2: { /* freed while marked */
        void *bag = tml_obj_alloc(32, bag_vtable, &site_bag);
        tml_obj_borrow(bag, 0, &site_b);
        tml_obj_release(bag);
        break;
    }
    case 3: { /* a pooled instance freed while marked */
        void *bag = tml_class_pool_alloc(&bag_pool, 32, pooled_bag_vtable, &site_bag);
        tml_obj_borrow(bag, 1, &site_a);
        tml_obj_release(bag);
        break;
    }
    case 4: { /* unmarked before the release: fine */
        void *bag = tml_obj_alloc(32, bag_vtable, &site_bag);
        tml_obj_borrow(&objs[7], 0, &site_c); /* another object stays marked */
        tml_obj_borrow(bag, 0, &site_b);
        tml_obj_unborrow(bag, 0);
        tml_obj_release(bag);
        break;
    }
    }
}

static void test_compiler_bugs(void) {
    TuChild *c = tu_run_child(child_bug, (void *)0);
    CHECK_EQ_I64(c->status, 128 + SIGABRT);
    CHECK(strstr(c->err,
                 "tmlc: internal error: tml_obj_unborrow of an object holding no shared borrow mark (object ") == c->err);
    c = tu_run_child(child_bug, (void *)1);
    CHECK_EQ_I64(c->status, 128 + SIGABRT);
    CHECK(strstr(c->err, "tmlc: internal error: tml_obj_unborrow of an object holding no exclusive borrow mark") ==
          c->err);
    for (int i = 2; i <= 3; i++) {
        c = tu_run_child(child_bug, (void *)(intptr_t)i);
#ifdef TML_BORROW_CHECK_FREES
        CHECK_EQ_I64(c->status, 128 + SIGABRT);
        CHECK(strstr(c->err, "tmlc: internal error: a class instance is destroyed while a reference into it is live "
                             "(object ") == c->err);
        CHECK(strstr(c->err, i == 2 ? ", borrowed at bag.tml:9:21)\n" : ", borrowed at bag.tml:4:13)\n") != NULL);
#else
        CHECK_EQ_I64(c->status, 0); /* not checked in untracked builds */
        CHECK_EQ_CSTR(c->err, "");
#endif
    }
    c = tu_run_child(child_bug, (void *)4);
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_CSTR(c->err, "");
}

/* ---- the exit hook frees the table, marks still live or not ---- */

static void child_exit(void *unused) {
    (void)unused;
    char *argv[] = {"prog", NULL};
    tml_runtime_init(1, argv, 1);
    for (int i = 0; i < 5; i++) tml_obj_borrow(&objs[0], 0, &site_a); /* a grown mark array too */
    tml_obj_borrow(&objs[1], 1, &site_b);
    int32_t status = tml_runtime_exit(0);
    if (tml_rt_borrow_table_capacity() != 0 || tml_rt_borrow_marks_live() != 0) status = 50;
    tml_obj_check_mut(&objs[0], "Bag", &loc_mut); /* forgotten */
    _exit(status);
}

static void test_exit_hook(void) {
    unsetenv("TML_CHECK_LEAKS");
    TuChild *c = tu_run_child(child_exit, NULL);
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_CSTR(c->err, "");
}

/* ---- threads: each marks and unmarks its own objects, all at once ---- */

enum { NTHREADS = 4, ITERS = 100000, PER_THREAD = 64 };
static _Alignas(16) Fake thread_objs[NTHREADS][PER_THREAD];
static _Alignas(16) Fake never_marked[NTHREADS];
static pthread_barrier_t start;

static void *marker(void *arg) {
    int me = (int)(intptr_t)arg;
    Fake *mine = thread_objs[me];
    int ok = 1;
    pthread_barrier_wait(&start);
    for (int i = 0; i < ITERS; i++) {
        int k = i % PER_THREAD;
        tml_obj_borrow(&mine[k], i % 3 == 0, i % 2 ? &site_a : &site_b);
        tml_obj_borrow(&mine[k], 0, &site_c); /* nested */
        tml_obj_unborrow(&mine[k], 0);
        if (k == PER_THREAD - 1) { /* all 64 marked: others' tables grow and shrink meanwhile; unmark in a stride */
            for (int j = 0; j < PER_THREAD; j++) {
                int x = (j * 37) % PER_THREAD, first = i - (PER_THREAD - 1) + x;
                ok &= tml_rt_borrow_marks_of(&mine[x], NULL) == 1;
                tml_obj_unborrow(&mine[x], first % 3 == 0);
            }
        }
        if (i % 64 == 7) {
            ok &= tml_rt_borrow_marks_of(&mine[k], NULL) == 1;
            ok &= oldest_of(&mine[k]) == (i % 2 ? &site_a : &site_b);
        }
        tml_obj_check_mut(&never_marked[me], "Bag", &loc_mut); /* the slow path (marks live), no panic */
    }
    for (int i = ITERS - ITERS % PER_THREAD; i < ITERS; i++) tml_obj_unborrow(&mine[i % PER_THREAD], i % 3 == 0);
    return ok ? NULL : (void *)1;
}

static void test_threads(void) {
    CHECK_EQ_I64(tml_rt_borrow_marks_live(), 0);
    pthread_barrier_init(&start, NULL, NTHREADS);
    pthread_t t[NTHREADS];
    tml_rt_threads_starting(); /* raw threads: the runtime must know */
    for (int i = 0; i < NTHREADS; i++) pthread_create(&t[i], NULL, marker, (void *)(intptr_t)i);
    int ok = 1;
    for (int i = 0; i < NTHREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        ok &= r == NULL;
    }
    pthread_barrier_destroy(&start);
    CHECK(ok);
    CHECK_EQ_I64(tml_rt_borrow_marks_live(), 0);
    for (int i = 0; i < NTHREADS; i++)
        for (int k = 0; k < PER_THREAD; k++) CHECK_EQ_I64(tml_rt_borrow_marks_of(&thread_objs[i][k], NULL), 0);
}

int main(void) {
    test_unmarked();
    test_nested();
    test_several_objects();
    test_deep_nesting();
    test_many_objects();
    test_random_against_model();
    test_check_mut_panics(); /* forks: before the first thread */
    test_compiler_bugs();
    test_exit_hook();
    test_threads();
    tml_rt_borrow_marks_shutdown();
    CHECK_EQ_I64(tml_rt_borrow_table_capacity(), 0);
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);
    return tu_finish("test_borrow_mark");
}
