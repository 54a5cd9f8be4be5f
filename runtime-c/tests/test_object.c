/* test_object.c — object.c: class instances (refcounts, destructor via vtable[0], no re-entry), @pool class pools
 * (chunk growth, LIFO reuse, double frees), @pool(thread_local) pools (one per thread, freed when the thread
 * ends, objects freed on another thread go home), and the exit hook (chunks freed, live pooled objects reported
 * as leaks in tracked builds). Runs against every variant. */
#include "test_util.h"

#include <pthread.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif

typedef struct Peer {
    TmlObject hdr;
    int64_t a, b;
    TmlStr *name;
} Peer; /* 40 bytes */

static const TmlAllocSite site_peer = {{"peer.tml", 3, 9}, "Peer"};
static const TmlAllocSite site_pooled = {{"peer.tml", 7, 9}, "Pooled"};
static const TmlAllocSite site_msg = {{"msg.tml", 12, 5}, "Msg"};

/* ---- heap objects ---- */

static int peer_drops;
static int64_t rc_seen_in_dtor;

static void peer_dtor(void *o) {
    Peer *p = o;
    peer_drops++;
    rc_seen_in_dtor = p->hdr.rc;
    tml_str_release(p->name);
    tml_obj_free(o);
}
static void *peer_vtable[] = {(void *)peer_dtor};

static void test_retain_release(void) {
    Peer *p = tml_obj_alloc(sizeof(Peer), peer_vtable, &site_peer);
    CHECK((uintptr_t)p % 16 == 0);
    CHECK_EQ_I64(p->hdr.rc, 1);
    CHECK(p->hdr.vtable == peer_vtable);
    CHECK(p->a == 0 && p->b == 0 && p->name == NULL); /* zeroed */
    CHECK_EQ_I64(tml_obj_refcount(p), 1);
    p->name = tu_str("peer");
    tml_obj_retain(p);
    tml_obj_retain(p);
    CHECK_EQ_I64(tml_obj_refcount(p), 3);
    tml_obj_release(p);
    CHECK_EQ_I64(tml_obj_refcount(p), 2);
    tml_obj_release(p);
    CHECK_EQ_I64(tml_obj_refcount(p), 1);
    CHECK_EQ_I64(peer_drops, 0);
    tml_obj_release(p); /* zero: the destructor runs, once */
    CHECK_EQ_I64(peer_drops, 1);
    CHECK_EQ_I64(rc_seen_in_dtor, TML_OBJ_RC_DYING);

    tml_obj_release(NULL); /* no-ops */
    tml_obj_retain(NULL);
    CHECK_EQ_I64(tml_obj_refcount(NULL), 0);
    CHECK_EQ_I64(peer_drops, 1);

    void *small = tml_obj_alloc(0, peer_vtable, &site_peer); /* never smaller than the header */
    CHECK_EQ_I64(tml_obj_refcount(small), 1);
    tml_obj_free(small);
}

/* A destructor that retains and releases its own object (e.g. passes `self` to a function) is not re-entered. */
static int reentrant_drops;

static void reentrant_dtor(void *o) {
    reentrant_drops++;
    tml_obj_retain(o);
    tml_obj_release(o);
    tml_obj_retain(o);
    tml_obj_retain(o);
    tml_obj_release(o);
    tml_obj_release(o);
    tml_obj_release(o); /* even one release too many stays far from zero */
    tml_obj_free(o);
}
static void *reentrant_vtable[] = {(void *)reentrant_dtor};

static void test_no_reentry(void) {
    void *o = tml_obj_alloc(sizeof(TmlObject), reentrant_vtable, &site_peer);
    tml_obj_retain(o);
    tml_obj_release(o);
    CHECK_EQ_I64(reentrant_drops, 0);
    tml_obj_release(o);
    CHECK_EQ_I64(reentrant_drops, 1);
}

/* Counts from several threads: the destructor runs exactly once, after the last release. */
static Peer *shared_peer;

static void *hammer(void *unused) {
    (void)unused;
    for (int i = 0; i < 100000; i++) {
        tml_obj_retain(shared_peer);
        tml_obj_retain(shared_peer);
        tml_obj_release(shared_peer);
        tml_obj_release(shared_peer);
    }
    tml_obj_release(shared_peer); /* this thread's own reference */
    return NULL;
}

static void test_threaded_rc(void) {
    int drops0 = peer_drops;
    shared_peer = tml_obj_alloc(sizeof(Peer), peer_vtable, &site_peer);
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        tml_obj_retain(shared_peer);
        tml_rt_threads_starting(); /* raw threads: the runtime must know */
        pthread_create(&t[i], NULL, hammer, NULL);
    }
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    CHECK_EQ_I64(tml_obj_refcount(shared_peer), 1);
    CHECK_EQ_I64(peer_drops, drops0);
    tml_obj_release(shared_peer);
    CHECK_EQ_I64(peer_drops, drops0 + 1);
}

/* ---- global pools ---- */

static TmlClassPool pool_peer;   /* as the compiler emits them: zeroed globals */
static TmlClassPool pool_growth;
static TmlClassPool pool_shared;

static int pooled_drops;

static void pooled_dtor(void *o) {
    pooled_drops++;
    tml_str_release(((Peer *)o)->name);
    tml_class_pool_free(&pool_peer, o);
}
static void *pooled_vtable[] = {(void *)pooled_dtor};

static void test_pool_basics(void) {
    CHECK(sizeof(TmlClassPool) <= 64);
    CHECK_EQ_I64(tml_class_pool_live(&pool_peer), 0); /* all-zero: a valid empty pool */
    CHECK_EQ_I64(tml_class_pool_chunks(&pool_peer), 0);

    Peer *p = tml_class_pool_alloc(&pool_peer, sizeof(Peer), pooled_vtable, &site_pooled);
    CHECK((uintptr_t)p % 16 == 0);
    CHECK_EQ_I64(p->hdr.rc, 1);
    CHECK(p->hdr.vtable == pooled_vtable);
    CHECK(p->a == 0 && p->b == 0 && p->name == NULL);
    CHECK(tml_class_pool_home(p) == &pool_peer);
    CHECK_EQ_I64(tml_class_pool_live(&pool_peer), 1);
    CHECK_EQ_I64(tml_class_pool_chunks(&pool_peer), 1);
    p->a = 7;
    p->b = -1;
    p->name = tu_str("pooled");
    tml_obj_retain(p);
    tml_obj_release(p);
    CHECK_EQ_I64(pooled_drops, 0);
    tml_obj_release(p); /* destructor -> tml_class_pool_free */
    CHECK_EQ_I64(pooled_drops, 1);
    CHECK_EQ_I64(tml_class_pool_live(&pool_peer), 0);
#if TML_RT_POOL_CHECKS
    CHECK(tml_class_pool_home(p) == NULL); /* a free slot: its home word links the free list */
#else
    CHECK(tml_class_pool_home(p) == &pool_peer); /* the release runtime links free slots through their first word */
#endif

    Peer *q = tml_class_pool_alloc(&pool_peer, sizeof(Peer), pooled_vtable, &site_pooled);
    CHECK(q == p);                                    /* the freed slot comes back */
    CHECK(q->a == 0 && q->b == 0 && q->name == NULL); /* zeroed again */
    CHECK_EQ_I64(q->hdr.rc, 1);
    tml_obj_release(q);
    tml_class_pool_free(&pool_peer, NULL); /* no-op */
}

static void test_pool_cycles(void) {
    for (int i = 0; i < 1000000; i++) {
        Peer *p = tml_class_pool_alloc(&pool_peer, sizeof(Peer), pooled_vtable, &site_pooled);
        p->a = i;
        if (i % 2)
            tml_obj_release(p);
        else
            tml_class_pool_free(&pool_peer, p);
    }
    CHECK_EQ_I64(tml_class_pool_chunks(&pool_peer), 1);
    CHECK_EQ_I64(tml_class_pool_live(&pool_peer), 0);
}

static void test_pool_growth_and_lifo(void) {
    enum { N = 100, SIZE = 56 };
    unsigned char *objs[N];
    for (int i = 0; i < N; i++) {
        objs[i] = tml_class_pool_alloc(&pool_growth, SIZE, pooled_vtable, &site_pooled);
        CHECK_EQ_I64(tml_class_pool_chunks(&pool_growth), i < 64 ? 1 : 2);
        memset(objs[i] + sizeof(TmlObject), i, SIZE - sizeof(TmlObject)); /* fill the whole object */
    }
    CHECK_EQ_I64(tml_class_pool_chunks(&pool_growth), 2); /* 64 + 128 slots */
    CHECK_EQ_I64(tml_class_pool_live(&pool_growth), N);
    int intact = 1, aligned = 1;
    for (int i = 0; i < N; i++) {
        aligned &= (uintptr_t)objs[i] % 16 == 0;
        for (int k = sizeof(TmlObject); k < SIZE; k++) intact &= objs[i][k] == (unsigned char)i; /* no overlap */
    }
    CHECK(intact);
    CHECK(aligned);

    for (int i = 0; i < N; i++) tml_class_pool_free(&pool_growth, objs[i]);
    CHECK_EQ_I64(tml_class_pool_live(&pool_growth), 0);
    int lifo = 1;
    for (int i = N - 1; i >= 0; i--) { /* last freed, first reused */
        void *o = tml_class_pool_alloc(&pool_growth, SIZE, pooled_vtable, &site_pooled);
        lifo &= o == objs[i];
    }
    CHECK(lifo);
    CHECK_EQ_I64(tml_class_pool_chunks(&pool_growth), 2);
    for (int i = 0; i < N; i++) tml_class_pool_free(&pool_growth, objs[i]);

    /* the third chunk (256 slots) starts at object 193 */
    unsigned char **many = malloc(200 * sizeof *many);
    for (int i = 0; i < 200; i++) {
        many[i] = tml_class_pool_alloc(&pool_growth, SIZE, pooled_vtable, &site_pooled);
        if (i == 191) CHECK_EQ_I64(tml_class_pool_chunks(&pool_growth), 2);
        if (i == 192) CHECK_EQ_I64(tml_class_pool_chunks(&pool_growth), 3);
    }
    for (int i = 0; i < 200; i++) tml_class_pool_free(&pool_growth, many[i]);
    free(many);
    CHECK_EQ_I64(tml_class_pool_live(&pool_growth), 0);
}

/* A global pool shared by threads (spinlock once the process has threads). */
static void *pool_worker(void *unused) {
    (void)unused;
    void *held[32];
    for (int round = 0; round < 2000; round++) {
        for (int i = 0; i < 32; i++) {
            held[i] = tml_class_pool_alloc(&pool_shared, 32, pooled_vtable, &site_pooled);
            ((int64_t *)held[i])[2] = round;
        }
        for (int i = 0; i < 32; i++) {
            if (((int64_t *)held[i])[2] != round) return (void *)1; /* someone else wrote our object */
            tml_class_pool_free(&pool_shared, held[i]);
        }
    }
    return NULL;
}

static void test_pool_threads(void) {
    pthread_t t[4];
    tml_rt_threads_starting(); /* raw threads: the runtime must know */
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, pool_worker, NULL);
    int ok = 1;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        ok &= r == NULL;
    }
    CHECK(ok);
    CHECK_EQ_I64(tml_class_pool_live(&pool_shared), 0);
    CHECK(tml_class_pool_chunks(&pool_shared) <= 2); /* at most 4 x 32 = 128 objects live at once */
}

/* ---- thread_local pools ---- */

static TmlClassPool key_msg; /* the global key of a @pool(thread_local) class */

static void msg_dtor(void *o) { tml_class_tlpool_free(o); }
static void *msg_vtable[] = {(void *)msg_dtor};

static pthread_barrier_t barrier;

typedef struct TlWork {
    TmlClassPool *pool; /* the thread's pool, as seen by the thread */
    int64_t chunks, live_after;
    int homes_ok;
} TlWork;

static void *tl_worker(void *arg) {
    TlWork *w = arg;
    void *objs[200];
    w->homes_ok = 1;
    for (int i = 0; i < 200; i++) objs[i] = tml_class_tlpool_alloc(&key_msg, 24, msg_vtable, &site_msg);
    w->pool = tml_class_tlpool_current(&key_msg);
    for (int i = 0; i < 200; i++) w->homes_ok &= tml_class_pool_home(objs[i]) == w->pool;
    w->chunks = tml_class_pool_chunks(&key_msg); /* the key gives this thread's pool */
    for (int i = 0; i < 200; i++) {
        if (i % 2)
            tml_obj_release(objs[i]);
        else
            tml_class_tlpool_free(objs[i]);
    }
    w->live_after = tml_class_pool_live(w->pool);
    pthread_barrier_wait(&barrier); /* both threads alive: main compares the pools */
    pthread_barrier_wait(&barrier);
    return NULL;
}

static void test_tlpool_per_thread(void) {
    int64_t chunks0 = tml_class_pools_live_chunks(), blocks0 = tml_mem_live_blocks();
    void *mine = tml_class_tlpool_alloc(&key_msg, 24, msg_vtable, &site_msg);
    TmlClassPool *main_pool = tml_class_tlpool_current(&key_msg);
    CHECK(main_pool != NULL && tml_class_pool_home(mine) == main_pool);

    TlWork w[2];
    memset(w, 0, sizeof w);
    pthread_barrier_init(&barrier, NULL, 3);
    pthread_t t[2];
    tml_rt_threads_starting(); /* raw threads: the runtime must know */
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, tl_worker, &w[i]);
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < 2; i++) {
        CHECK(w[i].pool != NULL);
        CHECK(w[i].homes_ok);
        CHECK_EQ_I64(w[i].chunks, 3); /* 64 + 128 + 256 slots for 200 objects */
        CHECK_EQ_I64(w[i].live_after, 0);
        CHECK_EQ_I64(tml_class_pool_chunks(w[i].pool), 3);
    }
    CHECK(w[0].pool != w[1].pool); /* one pool per thread */
    CHECK(w[0].pool != main_pool && w[1].pool != main_pool);
    CHECK_EQ_I64(tml_class_pool_chunks(&key_msg), 1); /* main's own pool */
    CHECK_EQ_I64(tml_class_pool_live(&key_msg), 1);
    CHECK_EQ_I64(tml_class_pools_live_chunks(), chunks0 + 1 + 2 * 3);
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    pthread_barrier_destroy(&barrier);

    /* the threads have ended: their pools' chunks are gone, main's pool is untouched */
    CHECK_EQ_I64(tml_class_pools_live_chunks(), chunks0 + 1);
#ifdef TML_DEBUG_MEMORY
    CHECK_EQ_I64(tml_mem_live_blocks(), blocks0 + 1);
#endif
    CHECK(tml_class_tlpool_current(&key_msg) == main_pool);
    tml_obj_release(mine);
    CHECK_EQ_I64(tml_class_pool_live(main_pool), 0);
    (void)blocks0;
}

/* An object allocated on thread A and freed on the main thread goes back to A's pool. */
typedef struct CrossWork {
    void *obj;
    TmlClassPool *pool;
    void *again;
    int64_t live_before_again, live_after_again, chunks;
} CrossWork;

static void *cross_worker(void *arg) {
    CrossWork *w = arg;
    w->obj = tml_class_tlpool_alloc(&key_msg, 24, msg_vtable, &site_msg);
    w->pool = tml_class_tlpool_current(&key_msg);
    pthread_barrier_wait(&barrier); /* main frees w->obj */
    pthread_barrier_wait(&barrier);
    w->live_before_again = tml_class_pool_live(w->pool);
    w->again = tml_class_tlpool_alloc(&key_msg, 24, msg_vtable, &site_msg); /* reuses the slot main gave back */
    w->live_after_again = tml_class_pool_live(w->pool);
    w->chunks = tml_class_pool_chunks(w->pool);
    tml_class_tlpool_free(w->again);
    return NULL;
}

static void test_tlpool_cross_thread_free(void) {
    int64_t chunks0 = tml_class_pools_live_chunks();
    int64_t main_live0 = tml_class_pool_live(&key_msg);
    CrossWork w;
    memset(&w, 0, sizeof w);
    pthread_barrier_init(&barrier, NULL, 2);
    pthread_t t;
    tml_rt_threads_starting(); /* raw threads: the runtime must know */
    pthread_create(&t, NULL, cross_worker, &w);
    pthread_barrier_wait(&barrier);
    CHECK(tml_class_pool_home(w.obj) == w.pool);
    CHECK(w.pool != tml_class_tlpool_current(&key_msg));
    CHECK_EQ_I64(tml_class_pool_live(w.pool), 1);
    tml_obj_release(w.obj); /* destructor on the main thread -> back to A's pool */
    CHECK_EQ_I64(tml_class_pool_live(w.pool), 0);
    CHECK_EQ_I64(tml_class_pool_live(&key_msg), main_live0); /* main's pool is not involved */
    pthread_barrier_wait(&barrier);
    pthread_join(t, NULL);
    pthread_barrier_destroy(&barrier);
    CHECK_EQ_I64(w.live_before_again, 0);
    CHECK(w.again == w.obj); /* A took the slot back from its remote list */
    CHECK_EQ_I64(w.live_after_again, 1);
    CHECK_EQ_I64(w.chunks, 1);
    CHECK_EQ_I64(tml_class_pools_live_chunks(), chunks0);
}

/* A thread that ends while one of its objects lives on: the pool waits for that object's free. */
static void *orphan_worker(void *arg) {
    *(void **)arg = tml_class_tlpool_alloc(&key_msg, 24, msg_vtable, &site_msg);
    tml_class_tlpool_free(tml_class_tlpool_alloc(&key_msg, 24, msg_vtable, &site_msg));
    return NULL;
}

static void test_tlpool_orphan(void) {
    int64_t chunks0 = tml_class_pools_live_chunks(), blocks0 = tml_mem_live_blocks();
    void *survivor = NULL;
    pthread_t t;
    tml_rt_threads_starting(); /* raw threads: the runtime must know */
    pthread_create(&t, NULL, orphan_worker, &survivor);
    pthread_join(t, NULL);
    CHECK(survivor != NULL);
    CHECK_EQ_I64(tml_class_pools_live_chunks(), chunks0 + 1); /* kept: an object is live */
    CHECK_EQ_I64(tml_class_pool_live(tml_class_pool_home(survivor)), 1);
    tml_obj_release(survivor); /* its last object: the pool goes */
    CHECK_EQ_I64(tml_class_pools_live_chunks(), chunks0);
    CHECK_EQ_I64(tml_mem_live_blocks(), blocks0);
}

/* Threads free each other's objects, round after round: the slots keep going home and are reused. */
enum { XT = 4, XN = 500, XROUNDS = 50 };
static void *xfer[XT][XN];

static void *exchange_worker(void *arg) {
    int me = (int)(intptr_t)arg, next = (me + 1) % XT;
    int64_t chunks_first = -1;
    int ok = 1;
    for (int round = 0; round < XROUNDS; round++) {
        for (int i = 0; i < XN; i++) {
            xfer[me][i] = tml_class_tlpool_alloc(&key_msg, 40, msg_vtable, &site_msg);
            ((int64_t *)xfer[me][i])[2] = me * 1000000 + round * 1000 + i;
        }
        if (chunks_first < 0) chunks_first = tml_class_pool_chunks(&key_msg);
        ok &= tml_class_pool_chunks(&key_msg) == chunks_first; /* no growth: remote frees came back */
        pthread_barrier_wait(&barrier);
        for (int i = 0; i < XN; i++) {
            ok &= ((int64_t *)xfer[next][i])[2] == next * 1000000 + round * 1000 + i;
            tml_obj_release(xfer[next][i]);
        }
        pthread_barrier_wait(&barrier);
        ok &= tml_class_pool_live(&key_msg) == 0;
        pthread_barrier_wait(&barrier);
    }
    return ok ? NULL : (void *)1;
}

static void test_tlpool_exchange(void) {
    int64_t chunks0 = tml_class_pools_live_chunks();
    pthread_barrier_init(&barrier, NULL, XT);
    pthread_t t[XT];
    tml_rt_threads_starting(); /* raw threads: the runtime must know */
    for (int i = 0; i < XT; i++) pthread_create(&t[i], NULL, exchange_worker, (void *)(intptr_t)i);
    int ok = 1;
    for (int i = 0; i < XT; i++) {
        void *r;
        pthread_join(t[i], &r);
        ok &= r == NULL;
    }
    pthread_barrier_destroy(&barrier);
    CHECK(ok);
    CHECK_EQ_I64(tml_class_pools_live_chunks(), chunks0);
}

/* ---- double and invalid frees (children: they end the process) ---- */

#if TML_RT_POOL_CHECKS
static void child_pool_double_free(void *unused) {
    (void)unused;
    void *p = tml_class_pool_alloc(&pool_peer, sizeof(Peer), pooled_vtable, &site_pooled);
    tml_class_pool_free(&pool_peer, p);
    tml_class_pool_free(&pool_peer, p);
}
#endif

static void child_tlpool_double_free(void *unused) {
    (void)unused;
    void *p = tml_class_tlpool_alloc(&key_msg, 24, msg_vtable, &site_msg);
    tml_class_tlpool_free(p);
    tml_class_tlpool_free(p);
}

#if TML_RT_POOL_CHECKS
static void child_pool_wrong_pool(void *unused) {
    (void)unused;
    void *p = tml_class_pool_alloc(&pool_peer, sizeof(Peer), pooled_vtable, &site_pooled);
    tml_class_pool_free(&pool_growth, p);
}
#endif

static void child_tlpool_global_object(void *unused) {
    (void)unused;
    void *p = tml_class_pool_alloc(&pool_peer, sizeof(Peer), pooled_vtable, &site_pooled);
    tml_class_tlpool_free(p);
}

static void test_bad_frees(void) {
    TuChild *c;
#if TML_RT_POOL_CHECKS /* the plain release runtime checks no frees of global pools (internal.h) */
    c = tu_run_child(child_pool_double_free, NULL);
    CHECK_EQ_I64(c->status, 101);
#ifdef TML_DEBUG_MEMORY
    CHECK_EQ_CSTR(c->err, "tmlc: double free of a pooled Pooled (allocated at peer.tml:7:9)\n");
#else
    CHECK_EQ_CSTR(c->err, "tmlc: double free of a pooled object\n");
#endif
#endif
    c = tu_run_child(child_tlpool_double_free, NULL);
    CHECK_EQ_I64(c->status, 101);
#ifdef TML_DEBUG_MEMORY
    CHECK_EQ_CSTR(c->err, "tmlc: double free of a pooled Msg (allocated at msg.tml:12:5)\n");
#else
    CHECK_EQ_CSTR(c->err, "tmlc: double free of a pooled object\n");
#endif
#if TML_RT_POOL_CHECKS
    c = tu_run_child(child_pool_wrong_pool, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "tmlc: invalid free of a pooled object\n");
#endif
    c = tu_run_child(child_tlpool_global_object, NULL);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "tmlc: invalid free of a pooled object\n");
}

#ifdef TEST_ASAN
/* AddressSanitizer still sees a use of a pooled object after its free: the free slot is poisoned. */
static void child_use_after_free(void *unused) {
    (void)unused;
    Peer *p = tml_class_pool_alloc(&pool_peer, sizeof(Peer), pooled_vtable, &site_pooled);
    tml_class_pool_free(&pool_peer, p);
    ((volatile Peer *)p)->a = 1;
}

static void test_asan_poison(void) {
    TuChild *c = tu_run_child(child_use_after_free, NULL);
    CHECK(c->status != 0);
    CHECK(strstr(c->err, "use-after-poison") != NULL);
}
#endif

/* ---- the exit hook ---- */

static TmlClassPool pool_exit;
static TmlClassPool key_exit;

struct exit_case {
    int leak;
    int32_t check_leaks;
};

static void child_exit(void *arg) {
    struct exit_case *x = arg;
    char *argv[] = {"prog", NULL};
    tml_runtime_init(1, argv, x->check_leaks);
    TU_LIT(out, "done");
    void *heap = tml_obj_alloc(sizeof(Peer), peer_vtable, &site_peer);
    void *p1 = tml_class_pool_alloc(&pool_exit, 48, pooled_vtable, &site_pooled);
    void *p2 = tml_class_pool_alloc(&pool_exit, 48, pooled_vtable, &site_pooled);
    void *p3 = tml_class_pool_alloc(&pool_exit, 48, pooled_vtable, &site_pooled);
    void *m1 = tml_class_tlpool_alloc(&key_exit, 24, msg_vtable, &site_msg);
    void *m2 = tml_class_tlpool_alloc(&key_exit, 24, msg_vtable, &site_msg);
    tml_class_pool_free(&pool_exit, p2);
    tml_class_tlpool_free(m1);
    if (!x->leak) {
        tml_obj_free(heap);
        tml_class_pool_free(&pool_exit, p1);
        tml_class_pool_free(&pool_exit, p3);
        tml_class_tlpool_free(m2);
    }
    tml_println(out, 0);
    int32_t status = tml_runtime_exit(0);
    /* every chunk is gone, leaked objects or not */
    if (tml_class_pools_live_chunks() != 0 || tml_class_pool_chunks(&pool_exit) != 0) status = 50;
    _exit(status); /* (no LeakSanitizer pass: the heap object is leaked on purpose) */
}

static void test_exit_hook(void) {
    unsetenv("TML_CHECK_LEAKS");
    unsetenv("TML_MEM_STATS");
    struct exit_case x = {1, 1};
    TuChild *c = tu_run_child(child_exit, &x);
    CHECK_EQ_CSTR(c->out, "done\n");
#ifdef TML_DEBUG_MEMORY
    CHECK_EQ_I64(c->status, 102);
    CHECK_EQ_CSTR(c->err, "tmlc: 4 leaks (160 bytes) at exit\n"
                          "  1 \xC3\x97 40 bytes  Peer     allocated at peer.tml:3:9\n"
                          "  2 \xC3\x97 48 bytes  Pooled   allocated at peer.tml:7:9\n"
                          "  1 \xC3\x97 24 bytes  Msg      allocated at msg.tml:12:5\n");
#else
    CHECK_EQ_I64(c->status, 0); /* freed silently */
    CHECK_EQ_CSTR(c->err, "");
#endif

    x = (struct exit_case){0, 1}; /* everything freed: the chunks themselves are not leaks */
    c = tu_run_child(child_exit, &x);
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_CSTR(c->err, "");

    x = (struct exit_case){1, 0}; /* leak checking off */
    c = tu_run_child(child_exit, &x);
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_CSTR(c->err, "");
}

/* tml_class_pools_shutdown frees every chunk; the pools stay usable. */
static void test_shutdown(void) {
    void *p = tml_class_pool_alloc(&pool_peer, sizeof(Peer), pooled_vtable, &site_pooled);
    void *m = tml_class_tlpool_alloc(&key_msg, 24, msg_vtable, &site_msg);
    tml_obj_release(p);
    tml_obj_release(m);
    CHECK(tml_class_pools_live_chunks() > 0);
    tml_class_pools_shutdown();
    CHECK_EQ_I64(tml_class_pools_live_chunks(), 0);
    CHECK_EQ_I64(tml_class_pool_chunks(&pool_peer), 0);
    CHECK_EQ_I64(tml_class_pool_chunks(&pool_growth), 0);
    CHECK(tml_class_tlpool_current(&key_msg) == NULL);
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);

    p = tml_class_pool_alloc(&pool_peer, sizeof(Peer), pooled_vtable, &site_pooled);
    m = tml_class_tlpool_alloc(&key_msg, 24, msg_vtable, &site_msg);
    CHECK_EQ_I64(tml_class_pool_chunks(&pool_peer), 1);
    CHECK_EQ_I64(tml_class_pool_chunks(&key_msg), 1);
    tml_obj_release(p);
    tml_obj_release(m);
    tml_class_pools_shutdown();
    CHECK_EQ_I64(tml_class_pools_live_chunks(), 0);
}

int main(void) {
    test_retain_release();
    test_no_reentry();
    test_pool_basics();
    test_pool_cycles();
    test_pool_growth_and_lifo();
    test_bad_frees();
#ifdef TEST_ASAN
    test_asan_poison();
#endif
    test_exit_hook(); /* forks: before the first thread (the pools are empty here) */
    test_threaded_rc();
    test_pool_threads();
    test_tlpool_per_thread();
    test_tlpool_cross_thread_free();
    test_tlpool_orphan();
    test_tlpool_exchange();
    test_shutdown();
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);
    CHECK_EQ_I64(tml_mem_live_bytes(), 0);
    return tu_finish("test_object");
}
