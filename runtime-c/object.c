/* object.c — class instances: reference-counted objects with a vtable (TmlObject), on the heap or in the
 * per-class pools of @pool classes.
 *
 * Pool layout. A pool hands out slots carved from chunks (tml_alloc'ed, so the tracker sees them); a chunk holds
 * 64 slots, the next 128, and so on, doubling up to MAX_SLOTS. Every slot is
 *     [allocation site (tracked builds only)] [home word] [object: stride - HIDDEN bytes]
 * with the object 16-byte aligned like malloc's blocks. The home word of a live object is its pool's address
 * (for a thread_local pool, the thread's TlPool, whose first member is its TmlClassPool); a free slot's home word
 * is the next free object's address with bit 0 set (FREE_TAG), so a second free is recognised. Free slots form a
 * LIFO list through these words; never-used slots of the newest chunk are handed out by a bump pointer.
 * The plain release runtime (TML_RT_POOL_CHECKS off, internal.h) checks no frees of global pools, so there a free
 * slot of a global pool is linked through the object's first word (its refcount, dead once the object is freed,
 * as in a C free-list pool), and its home word keeps the pool's address from the slot's first use on: a churning
 * loop then writes no home word and reads none (global_pop, global_push).
 *
 * Global pools (@pool) take a spinlock, skipped while the process is single-threaded. A thread_local pool
 * (@pool(thread_local)) belongs to one thread: its owner allocates and frees without any lock; another thread that
 * frees one of its objects pushes it on the pool's `remote` list under the pool's small remote lock, and the owner
 * takes that list over when its own free list runs dry. When a thread ends (pthread key destructor) each of its
 * pools is freed at once if it has no live objects, else it is marked orphaned and freed by the last free of one
 * of its objects (or at exit).
 *
 * Every pool is registered on first use; tml_class_pools_shutdown, called by tml_runtime_exit before the leak
 * check, frees all chunks. In tracked builds it first hands every object still live in a pool to the leak report
 * (tml_track_add_external_leak), named by the site of its allocation, which each slot records. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mem_track.h"
#include "spinlock.h"
#include "tml_runtime.h"

/* Freed slots are made inaccessible for AddressSanitizer (and, in tracked builds, Valgrind), so a use of a pooled
 * object after its free is still reported although its memory stays in the pool. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TML_OBJ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(TML_OBJ_ASAN)
#define TML_OBJ_ASAN 1
#endif
#ifdef TML_OBJ_ASAN
#include <sanitizer/asan_interface.h>
#define SLOT_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (size_t)(n))
#define SLOT_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (size_t)(n))
#elif defined(TML_DEBUG_MEMORY) && defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define SLOT_POISON(p, n) ((void)VALGRIND_MAKE_MEM_NOACCESS((p), (size_t)(n)))
#define SLOT_UNPOISON(p, n) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (size_t)(n)))
#endif
#endif
#ifndef SLOT_POISON
#define SLOT_POISON(p, n) ((void)(p), (void)(n))
#define SLOT_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

_Static_assert(sizeof(TmlClassPool) <= 64, "the compiler reserves 64 bytes per pool");
_Static_assert(_Alignof(TmlClassPool) <= 8, "the compiler aligns pools to 8 bytes");
_Static_assert(sizeof(TmlSpinlock) == sizeof(int32_t), "TmlClassPool.lock holds a TmlSpinlock");
_Static_assert(sizeof(TmlObject) == 16, "the object header is { rc, vtable }");

/* ======================================================================================================
 * Objects
 * ====================================================================================================== */

void *tml_obj_alloc(int64_t size, void **vtable, const TmlAllocSite *site) {
    if (size >= 0 && size < (int64_t)sizeof(TmlObject)) size = sizeof(TmlObject);
    TmlObject *o = tml_alloc_zeroed(size, site);
    o->rc = 1;
    o->vtable = vtable;
    return o;
}

/* Like the other refcounts (mem.c): plain arithmetic while the process is single-threaded, atomic afterwards. The
 * single-threaded path is the expected one (__builtin_expect): inlined into a --release loop, it is the straight
 * line and the atomic path is laid out of line. */
void tml_obj_retain(void *o) {
    if (!o) return;
    TmlObject *obj = o;
    if (__builtin_expect(tml_rt_single_threaded(), 1))
        obj->rc++;
    else
        __atomic_fetch_add(&obj->rc, 1, __ATOMIC_RELAXED);
}

void tml_obj_release(void *o) {
    if (!o) return;
    TmlObject *obj = o;
    if (__builtin_expect(tml_rt_single_threaded(), 1)) {
        if (obj->rc != 1) { /* the last reference's release stores only the dying mark below */
            obj->rc--;
            return;
        }
    } else if (__atomic_fetch_sub(&obj->rc, 1, __ATOMIC_ACQ_REL) != 1) {
        return;
    }
    /* Dying: whatever the destructor does with its own object cannot bring the count to zero a second time. The
     * only reference is ours now, so a plain store, which a --release program's free of a pooled object (writing
     * the same word, see the class pools below) makes dead. */
    obj->rc = TML_OBJ_RC_DYING;
    ((void (*)(void *))obj->vtable[0])(o);
}

/* tml_obj_release for an object whose class is known exactly (no class derives from its static class): the same
 * count, then `destroy` (its vtable[0]) called directly, which a release build can inline. */
void tml_obj_release_final(void *o, void (*destroy)(void *)) {
    if (!o) return;
    TmlObject *obj = o;
    if (__builtin_expect(tml_rt_single_threaded(), 1)) {
        if (obj->rc != 1) { /* the last reference's release stores only the dying mark below */
            obj->rc--;
            return;
        }
    } else if (__atomic_fetch_sub(&obj->rc, 1, __ATOMIC_ACQ_REL) != 1) {
        return;
    }
    obj->rc = TML_OBJ_RC_DYING;
    destroy(o);
}

void tml_obj_free(void *o) {
    TML_RT_BORROW_CHECK_FREE(o);
    tml_free(o, &tml_rt_runtime_loc);
}

int64_t tml_obj_refcount(void *o) { return o ? __atomic_load_n(&((TmlObject *)o)->rc, __ATOMIC_RELAXED) : 0; }

/* ======================================================================================================
 * Pools
 * ====================================================================================================== */

#ifdef TML_DEBUG_MEMORY
#define HIDDEN 16 /* [allocation site][home word] before each object */
#else
#define HIDDEN 8 /* [home word] */
#endif
#define FIRST_SLOTS 64
#define MAX_SLOTS 65536 /* 64 << 10: chunks stop doubling there */
#define FREE_TAG ((uintptr_t)1)

#define F_REGISTERED 1u   /* on a registry list (freed by tml_class_pools_shutdown) */
#define F_THREAD_LOCAL 2u /* the pool of one thread: the `base` of a TlPool */
#define F_KEY 4u          /* the key of a thread_local class (holds no objects) */

typedef struct TmlPoolChunk {
    struct TmlPoolChunk *next; /* older chunk */
    char *slots;               /* the first slot's object address */
    int64_t nslots;
    int64_t obj_size;          /* the class's size (for the leak report) */
} Chunk;

/* A thread's pool for one thread_local class. */
typedef struct TlPool {
    TmlClassPool base;         /* first: the home words of its objects point here */
    TmlSpinlock remote_lock;   /* guards `remote` and `remote_frees` until the pool is orphaned */
    int32_t orphaned;          /* the owner has ended with objects live (set under reg_mu and remote_lock) */
    void *remote;              /* objects freed by other threads (same list format as base.free_list) */
    int64_t remote_frees;      /* how many objects other threads have freed; live = base.live - remote_frees */
    uint64_t owner;            /* the owning thread's serial number; 0 once it has ended */
    TmlClassPool *key;
    struct TlPool *prev, *next; /* registry (reg_mu) */
} TlPool;

/* A thread's thread_local pools, indexed by their key's class number. */
typedef struct TlState {
    uint64_t id; /* serial number of the thread, never reused */
    int64_t cap;
    TlPool **pools;
} TlState;

/* The registry of pools that tml_class_pools_shutdown frees; it also serialises thread ends and orphaned pools. */
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static TmlClassPool *reg_global, *reg_global_tail; /* global pools in order of first use, linked by `next` */
static TlPool reg_tl = {.prev = &reg_tl, .next = &reg_tl}; /* thread_local pools (circular) */
static int64_t next_key_id;     /* reg_mu */
static uint64_t next_thread_id; /* reg_mu */
static int64_t live_chunks;     /* atomic */

static pthread_key_t tl_key; /* its destructor frees an ending thread's pools */
static pthread_once_t tl_once = PTHREAD_ONCE_INIT;
/* The runtime is only ever linked into executables, so the cheapest TLS model is safe. */
static _Thread_local TlState *tl_state __attribute__((tls_model("initial-exec")));

static inline uintptr_t *home_word(void *o) { return (uintptr_t *)o - 1; }
#ifdef TML_DEBUG_MEMORY
static inline const TmlAllocSite **site_word(void *o) { return (const TmlAllocSite **)o - 2; }
#endif

/* `live` (thread_local pools only) and `nchunks` are read by the statistics from any thread: relaxed atomic
 * accesses (plain moves). */
static inline void add_live(TmlClassPool *p, int64_t d) {
    __atomic_store_n(&p->live, __atomic_load_n(&p->live, __ATOMIC_RELAXED) + d, __ATOMIC_RELAXED);
}

static inline int64_t tl_live(TlPool *tl) {
    return __atomic_load_n(&tl->base.live, __ATOMIC_RELAXED) - __atomic_load_n(&tl->remote_frees, __ATOMIC_RELAXED);
}

static inline int pool_lock(TmlClassPool *p) {
    if (tml_rt_single_threaded()) return 0;
    tml_spin_lock((TmlSpinlock *)(void *)&p->lock);
    return 1;
}

static inline void pool_unlock(TmlClassPool *p, int taken) {
    if (taken) tml_spin_unlock((TmlSpinlock *)(void *)&p->lock);
}

/* "tmlc: double free of a pooled Peer (allocated at FILE:LINE:COL)" (tracked builds; a freed slot keeps the site of
 * its last allocation), "tmlc: double free of a pooled object", "tmlc: invalid free of a pooled object" (a pointer
 * that is no live object of this pool). */
TML_RT_HIDDEN TML_NORETURN void tml_rt_bad_free(int is_double, void *o) {
#ifdef TML_DEBUG_MEMORY
    if (is_double) {
        const TmlAllocSite *site = *site_word(o);
        char at[512];
        tml_rt_eprintf("tmlc: double free of a pooled %s (allocated at %s)\n",
                       site && site->type_name ? site->type_name : "<unknown type>",
                       tml_rt_format_loc(at, sizeof at, site ? &site->loc : NULL));
        tml_rt_die(101);
    }
#else
    (void)o;
#endif
    tml_rt_eprintf("tmlc: %s of a pooled object\n", is_double ? "double free" : "invalid free");
    tml_rt_die(101);
}

/* The first allocation fixes the slot size; every later one must fit (a class always passes the same size). */
static void pool_set_size(TmlClassPool *p, int64_t size) {
    if (size < 0) tml_rt_out_of_memory(size);
    if (p->stride == 0) {
        uint64_t stride = ((uint64_t)size + HIDDEN + 15) & ~(uint64_t)15;
        if (stride > UINT32_MAX) tml_rt_out_of_memory(size);
        p->stride = (uint32_t)stride;
    } else if (size > (int64_t)p->stride - HIDDEN) {
        tml_rt_eprintf("tmlc: internal error: a pooled object of %lld bytes does not fit the pool's %lld-byte slots\n",
                       (long long)size, (long long)p->stride - HIDDEN);
        tml_rt_die(101);
    }
}

static void register_global(TmlClassPool *p) {
    pthread_mutex_lock(&reg_mu);
    p->next = NULL;
    if (reg_global_tail)
        reg_global_tail->next = p;
    else
        reg_global = p;
    reg_global_tail = p;
    __atomic_fetch_or(&p->flags, F_REGISTERED, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&reg_mu);
}

/* A new chunk becomes the bump region (the free list is empty whenever this is called). */
static void pool_grow(TmlClassPool *p, int64_t size, const TmlAllocSite *site) {
    int64_t nslots = p->nchunks >= 10 ? MAX_SLOTS : (int64_t)FIRST_SLOTS << p->nchunks;
    int64_t bytes = (int64_t)sizeof(Chunk) + HIDDEN + 15 + nslots * (int64_t)p->stride;
    Chunk *c = tml_alloc(bytes, site); /* named after the class in a leak report, should one ever show it */
    c->slots = (char *)(((uintptr_t)(c + 1) + HIDDEN + 15) & ~(uintptr_t)15);
    c->nslots = nslots;
    c->obj_size = size;
    c->next = p->chunks;
    p->chunks = c;
    __atomic_store_n(&p->nchunks, p->nchunks + 1, __ATOMIC_RELAXED);
    p->bump = c->slots;
    p->bump_end = c->slots + nslots * (int64_t)p->stride;
    __atomic_fetch_add(&live_chunks, 1, __ATOMIC_RELAXED);
    if (!(p->flags & (F_REGISTERED | F_THREAD_LOCAL))) register_global(p);
}

/* The free list of a global pool: through the home words (tagged) where frees are checked, else through the
 * objects' first words (see the top of the file). */
static inline char *global_next(char *o) {
#if TML_RT_POOL_CHECKS
    return (char *)(*home_word(o) & ~FREE_TAG);
#else
    /* through the refcount field itself (not a char * at its address), so that the link and the refcount are one
     * type to LLVM's type-based alias analysis and never reordered against each other */
    return (char *)(uintptr_t)((TmlObject *)(void *)o)->rc;
#endif
}

static inline char *global_pop(TmlClassPool *p) {
    char *o = p->free_list;
    if (o) p->free_list = global_next(o);
    return o;
}

static inline void global_push(TmlClassPool *p, char *o) {
#if TML_RT_POOL_CHECKS
    *home_word(o) = (uintptr_t)p->free_list | FREE_TAG;
#else
    ((TmlObject *)(void *)o)->rc = (int64_t)(uintptr_t)p->free_list;
#endif
    p->free_list = o;
}

static inline char *pool_pop_free(TmlClassPool *p) {
    char *o = p->free_list;
    if (o) p->free_list = (void *)(*home_word(o) & ~FREE_TAG);
    return o;
}

static inline char *pool_pop_bump(TmlClassPool *p) {
    char *o = NULL;
    if (p->bump != p->bump_end) {
        o = p->bump;
        p->bump += p->stride;
    }
    return o;
}

/* A slot never handed out before: the next of the bump region, after a new chunk when the region is used up. */
static char *pool_pop_new(TmlClassPool *p, int64_t size, const TmlAllocSite *site) {
    char *o = pool_pop_bump(p);
    if (!o) {
        pool_grow(p, size, site);
        o = pool_pop_bump(p);
    }
    return o;
}

static inline void *slot_init(TmlClassPool *home, char *o, int64_t size, void **vtable, const TmlAllocSite *site) {
    SLOT_UNPOISON(o, size);
    /* the fields are zeroed (the header is written just below) */
    memset(o + sizeof(TmlObject), 0, (size_t)size - sizeof(TmlObject));
    *home_word(o) = (uintptr_t)home;
#ifdef TML_DEBUG_MEMORY
    *site_word(o) = site;
#else
    (void)site;
#endif
    TmlObject *obj = (TmlObject *)(void *)o;
    obj->rc = 1;
    obj->vtable = vtable;
    return o;
}

/* Frees every chunk and empties the pool (it stays usable; its slot size is kept). */
static void pool_free_chunks(TmlClassPool *p) {
    for (Chunk *c = p->chunks, *next; c; c = next) {
        next = c->next;
        SLOT_UNPOISON(c->slots, c->nslots * (int64_t)p->stride);
        tml_free(c, &tml_rt_runtime_loc);
        __atomic_fetch_sub(&live_chunks, 1, __ATOMIC_RELAXED);
    }
    p->chunks = NULL;
    p->free_list = NULL;
    p->bump = p->bump_end = NULL;
    __atomic_store_n(&p->nchunks, 0, __ATOMIC_RELAXED);
}

/* Tracked builds: hands the pool's live objects to the leak report, oldest chunk first, in slot order. */
static void report_live(TmlClassPool *p, int64_t live) {
#ifdef TML_DEBUG_MEMORY
    if (live <= 0) return;
    size_t n = 0;
    for (Chunk *c = p->chunks; c; c = c->next) n++;
    Chunk **order = malloc(n * sizeof *order);
    if (!order) tml_rt_out_of_memory((int64_t)(n * sizeof *order));
    size_t i = n;
    for (Chunk *c = p->chunks; c; c = c->next) order[--i] = c;
    for (i = 0; i < n; i++) {
        Chunk *c = order[i];
        int64_t used = c == p->chunks ? (p->bump - c->slots) / (int64_t)p->stride : c->nslots;
        for (int64_t k = 0; k < used; k++) {
            char *o = c->slots + k * (int64_t)p->stride;
            if (*home_word(o) == (uintptr_t)p) tml_track_add_external_leak(*site_word(o), (uint64_t)c->obj_size);
        }
    }
    free(order);
#else
    (void)p;
    (void)live;
#endif
}

/* ---- global pools (@pool) ----
 * The fast paths (single-threaded, a slot on the free list) are a few instructions with no call, so that in a
 * --release program, which links the runtime's bitcode, they inline into the generated code (where `size` is a
 * constant and the memset becomes a few stores); everything else is in the out-of-line slow functions. A global
 * pool counts no live objects: a counter updated by every allocation and free is a chain of read-modify-writes
 * through memory from one iteration of a churning loop to the next, which would cost more than the rest of the
 * fast paths; global_live counts them when asked. */

/* The live objects of a global pool: the slots handed out (all but the bump region's) less the free ones. */
static int64_t global_live(TmlClassPool *p) {
    int t = pool_lock(p);
    int64_t n = 0;
    for (Chunk *c = p->chunks; c; c = c->next) n += c->nslots;
    if (p->chunks) n -= (p->bump_end - p->bump) / (int64_t)p->stride;
    for (char *o = p->free_list; o; o = global_next(o)) n--;
    pool_unlock(p, t);
    return n;
}

TML_RT_HIDDEN __attribute__((noinline)) void *tml_rt_pool_alloc_slow(TmlClassPool *pool, int64_t size, void **vtable,
                                                                   const TmlAllocSite *site) {
    int t = pool_lock(pool);
    if (pool->stride == 0 || size > (int64_t)pool->stride - HIDDEN) pool_set_size(pool, size);
    char *o = global_pop(pool);
    if (!o) o = pool_pop_new(pool, size, site);
    pool_unlock(pool, t);
    return slot_init(pool, o, size, vtable, site);
}

/* Single-threaded only: puts one initialised slot on the empty free list (from the bump region, growing the pool if
 * need be), for tml_class_pool_alloc to pop. Tracked builds also come here when `size` does not fit the slots
 * (pool_set_size fixes the size on the first allocation and stops the program on a misfit). */
TML_RT_HIDDEN __attribute__((noinline)) void tml_rt_pool_refill(TmlClassPool *pool, int64_t size, void **vtable,
                                                               const TmlAllocSite *site) {
    if (pool->stride == 0 || size > (int64_t)pool->stride - HIDDEN) pool_set_size(pool, size);
    if (pool->free_list) return;
    char *o = pool_pop_new(pool, size, site);
    slot_init(pool, o, size, vtable, site);
    global_push(pool, o);
}

void *tml_class_pool_alloc(TmlClassPool *pool, int64_t size, void **vtable, const TmlAllocSite *site) {
    if (size >= 0 && size < (int64_t)sizeof(TmlObject)) size = sizeof(TmlObject);
    /* A free slot implies a slot size fixed by an earlier allocation of the class, which always passes the same
     * size; tracked builds still check it on every allocation. */
    char *o;
    if (__builtin_expect(tml_rt_single_threaded(), 1)) {
        /* The refill is out of line and the pop is after it, on both paths: in a --release loop the list head then
         * has one value after the allocation (the popped slot's link), which LLVM keeps in a register up to the
         * next free, as a C free list's head is; a pop on the fast path only would leave the slow path's head
         * unknown, to be loaded again. */
        if (__builtin_expect(pool->free_list == NULL
#ifdef TML_DEBUG_MEMORY
                                 || size > (int64_t)pool->stride - HIDDEN
#endif
                             ,
                             0))
            tml_rt_pool_refill(pool, size, vtable, site);
        o = global_pop(pool);
#if TML_RT_POOL_CHECKS
        SLOT_UNPOISON(o, size);
        *home_word(o) = (uintptr_t)pool;
#ifdef TML_DEBUG_MEMORY
        *site_word(o) = site;
#endif
        /* the vtable: a pool holds the instances of one class (the compiler's pool$C goes with vtable$C), so in
         * the release runtime a reused slot still has it (its free wrote only the first word; a refilled slot has
         * it from slot_init) */
        ((TmlObject *)(void *)o)->vtable = vtable;
#endif
    } else {
        o = tml_rt_pool_alloc_slow(pool, size, vtable, site);
    }
    /* after the join of both paths, where the zeroing meets the constructor's stores once this is inlined into a
     * --release program, and LLVM drops the bytes the constructor writes anyway (the slow path zeroed them too) */
    memset(o + sizeof(TmlObject), 0, (size_t)size - sizeof(TmlObject));
    ((TmlObject *)(void *)o)->rc = 1;
    return o;
}

TML_RT_HIDDEN __attribute__((noinline)) void tml_rt_pool_free_locked(TmlClassPool *pool, void *o) {
    int t = pool_lock(pool);
#if TML_RT_POOL_CHECKS
    uintptr_t w = *home_word(o);
    if (w != (uintptr_t)pool) {
        pool_unlock(pool, t);
        tml_rt_bad_free(w & FREE_TAG, o);
    }
#endif
    SLOT_POISON(o, pool->stride - HIDDEN); /* before it is back on the list: another thread may take it then */
    global_push(pool, o);
    pool_unlock(pool, t);
}

void tml_class_pool_free(TmlClassPool *pool, void *o) {
    if (!o) return;
    TML_RT_BORROW_CHECK_FREE(o);
    if (__builtin_expect(!tml_rt_single_threaded(), 0)) {
        tml_rt_pool_free_locked(pool, o);
        return;
    }
#if TML_RT_POOL_CHECKS
    uintptr_t w = *home_word(o);
    if (__builtin_expect(w != (uintptr_t)pool, 0)) tml_rt_bad_free(w & FREE_TAG, o);
#endif
    SLOT_POISON(o, pool->stride - HIDDEN);
    global_push(pool, o);
}

/* ---- thread_local pools (@pool(thread_local)) ---- */

/* Called with reg_mu held: the pool has no live objects, or the process is exiting. */
static void tl_destroy(TlPool *tl) {
    if (tl->base.flags & F_REGISTERED) {
        tl->prev->next = tl->next;
        tl->next->prev = tl->prev;
        __atomic_fetch_and(&tl->base.flags, ~F_REGISTERED, __ATOMIC_RELAXED);
    }
    pool_free_chunks(&tl->base);
    free(tl);
}

/* pthread key destructor: the thread is ending. */
static void tl_state_dtor(void *arg) {
    TlState *s = arg;
    pthread_mutex_lock(&reg_mu);
    for (int64_t i = 0; i < s->cap; i++) {
        TlPool *tl = s->pools[i];
        if (!tl) continue;
        tml_spin_lock(&tl->remote_lock); /* waits for a remote free in progress */
        if (tl_live(tl) == 0) {
            tml_spin_unlock(&tl->remote_lock);
            tl_destroy(tl);
        } else { /* objects are still out there: their last free (or the exit) frees the pool */
            __atomic_store_n(&tl->owner, 0, __ATOMIC_RELAXED);
            __atomic_store_n(&tl->orphaned, 1, __ATOMIC_RELEASE);
            tml_spin_unlock(&tl->remote_lock);
        }
    }
    pthread_mutex_unlock(&reg_mu);
    if (tl_state == s) tl_state = NULL;
    free(s->pools);
    free(s);
}

static void tl_key_init(void) {
    if (pthread_key_create(&tl_key, tl_state_dtor) != 0) {
        tml_rt_eprintf("tmlc: cannot create the thread-local key of @pool(thread_local) classes\n");
        abort();
    }
}

static void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n, size);
    if (!p) tml_rt_out_of_memory((int64_t)(n * size));
    return p;
}

/* The calling thread's pool for `key`, or NULL. */
static inline TlPool *tl_find(TmlClassPool *key) {
    TlState *s = tl_state;
    int64_t id = __atomic_load_n(&key->key_id, __ATOMIC_ACQUIRE);
    return s && id > 0 && id < s->cap ? s->pools[id] : NULL;
}

/* First use of `key` on this thread: numbers the key (first use anywhere), makes the thread's state and pool.
 * The bookkeeping (state, table, TlPool) is plain malloc: only the chunks are the program's memory. */
static TlPool *tl_create(TmlClassPool *key) {
    pthread_once(&tl_once, tl_key_init);
    pthread_mutex_lock(&reg_mu);
    int64_t id = key->key_id;
    if (id == 0) {
        id = ++next_key_id;
        __atomic_fetch_or(&key->flags, F_KEY, __ATOMIC_RELAXED);
        __atomic_store_n(&key->key_id, id, __ATOMIC_RELEASE);
    }
    TlState *s = tl_state;
    if (!s) {
        s = xcalloc(1, sizeof *s);
        s->id = ++next_thread_id;
        tl_state = s;
        pthread_setspecific(tl_key, s);
    }
    if (id >= s->cap) {
        int64_t cap = s->cap ? s->cap : 8;
        while (cap <= id) cap *= 2;
        TlPool **grown = realloc(s->pools, (size_t)cap * sizeof *grown);
        if (!grown) tml_rt_out_of_memory((int64_t)((size_t)cap * sizeof *grown));
        memset(grown + s->cap, 0, (size_t)(cap - s->cap) * sizeof *grown);
        s->pools = grown;
        s->cap = cap;
    }
    TlPool *tl = xcalloc(1, sizeof *tl);
    tl->base.flags = F_THREAD_LOCAL | F_REGISTERED;
    tl->owner = s->id;
    tl->key = key;
    tl->next = &reg_tl;
    tl->prev = reg_tl.prev;
    reg_tl.prev->next = tl;
    reg_tl.prev = tl;
    s->pools[id] = tl;
    pthread_mutex_unlock(&reg_mu);
    return tl;
}

void *tml_class_tlpool_alloc(TmlClassPool *key, int64_t size, void **vtable, const TmlAllocSite *site) {
    if (size >= 0 && size < (int64_t)sizeof(TmlObject)) size = sizeof(TmlObject);
    TlPool *tl = tl_find(key);
    if (!tl) tl = tl_create(key);
    TmlClassPool *p = &tl->base;
    if (p->stride == 0 || size > (int64_t)p->stride - HIDDEN) pool_set_size(p, size);
    char *o = pool_pop_free(p);
    if (!o && __atomic_load_n(&tl->remote, __ATOMIC_RELAXED)) { /* take over what other threads gave back */
        tml_spin_lock(&tl->remote_lock);
        p->free_list = tl->remote;
        tl->remote = NULL;
        tml_spin_unlock(&tl->remote_lock);
        o = pool_pop_free(p);
    }
    if (!o) o = pool_pop_new(p, size, site);
    add_live(p, 1);
    return slot_init(p, o, size, vtable, site);
}

/* An object freed by a thread that is not its pool's owner. */
static void tl_remote_free(TlPool *tl, char *o) {
    if (!__atomic_load_n(&tl->orphaned, __ATOMIC_ACQUIRE)) {
        tml_spin_lock(&tl->remote_lock);
        if (!__atomic_load_n(&tl->orphaned, __ATOMIC_RELAXED)) {
            *home_word(o) = (uintptr_t)tl->remote | FREE_TAG;
            __atomic_store_n(&tl->remote, o, __ATOMIC_RELAXED);
            __atomic_store_n(&tl->remote_frees, tl->remote_frees + 1, __ATOMIC_RELAXED);
            tml_spin_unlock(&tl->remote_lock);
            return;
        }
        tml_spin_unlock(&tl->remote_lock);
    }
    /* The owner has ended: nobody allocates from the pool any more, and its last object frees it. */
    pthread_mutex_lock(&reg_mu);
    *home_word(o) = FREE_TAG;
    __atomic_store_n(&tl->remote_frees, tl->remote_frees + 1, __ATOMIC_RELAXED);
    if (tl_live(tl) == 0) tl_destroy(tl);
    pthread_mutex_unlock(&reg_mu);
}

void tml_class_tlpool_free(void *o) {
    if (!o) return;
    TML_RT_BORROW_CHECK_FREE(o);
    uintptr_t w = *home_word(o);
    if (w & FREE_TAG) tml_rt_bad_free(1, o);
    TlPool *tl = (TlPool *)w;
    if (!(__atomic_load_n(&tl->base.flags, __ATOMIC_RELAXED) & F_THREAD_LOCAL)) tml_rt_bad_free(0, o);
    SLOT_POISON(o, tl->base.stride - HIDDEN);
    TlState *s = tl_state;
    if (s && __atomic_load_n(&tl->owner, __ATOMIC_RELAXED) == s->id) { /* the owner: no lock */
        *home_word(o) = (uintptr_t)tl->base.free_list | FREE_TAG;
        tl->base.free_list = o;
        add_live(&tl->base, -1);
        return;
    }
    tl_remote_free(tl, o);
}

/* ---- statistics ---- */

int64_t tml_class_pool_live(TmlClassPool *pool) {
    if (!pool) return 0;
    uint32_t f = __atomic_load_n(&pool->flags, __ATOMIC_RELAXED);
    if (f & F_KEY) {
        TlPool *tl = tl_find(pool);
        return tl ? tl_live(tl) : 0;
    }
    if (f & F_THREAD_LOCAL) return tl_live((TlPool *)pool);
    return global_live(pool);
}

int64_t tml_class_pool_chunks(TmlClassPool *pool) {
    if (!pool) return 0;
    if (__atomic_load_n(&pool->flags, __ATOMIC_RELAXED) & F_KEY) {
        TlPool *tl = tl_find(pool);
        pool = tl ? &tl->base : NULL;
        if (!pool) return 0;
    }
    return __atomic_load_n(&pool->nchunks, __ATOMIC_RELAXED);
}

TmlClassPool *tml_class_tlpool_current(TmlClassPool *key) {
    TlPool *tl = tl_find(key);
    return tl ? &tl->base : NULL;
}

TmlClassPool *tml_class_pool_home(void *o) {
    if (!o) return NULL;
    uintptr_t w = *home_word(o);
    return w & FREE_TAG ? NULL : (TmlClassPool *)w;
}

int64_t tml_class_pools_live_chunks(void) { return __atomic_load_n(&live_chunks, __ATOMIC_RELAXED); }

/* ---- exit ---- */

void tml_class_pools_shutdown(void) {
    /* global pools first (in order of first use), then thread_local pools (in order of creation): the order of
     * the pooled rows in the leak report. reg_mu is not held while a global pool's lock is (lock order). */
    pthread_mutex_lock(&reg_mu);
    TmlClassPool *globals = reg_global;
    reg_global = reg_global_tail = NULL;
    pthread_mutex_unlock(&reg_mu);
    for (TmlClassPool *p = globals, *next; p; p = next) {
        int t = pool_lock(p);
        next = p->next;
        report_live(p, 1); /* a global pool counts no live objects: look at every slot */
        pool_free_chunks(p);
        p->next = NULL;
        p->live = 0;
        __atomic_fetch_and(&p->flags, ~F_REGISTERED, __ATOMIC_RELAXED);
        pool_unlock(p, t);
    }

    pthread_mutex_lock(&reg_mu);
    TlState *me = tl_state;
    while (reg_tl.next != &reg_tl) {
        TlPool *tl = reg_tl.next;
        report_live(&tl->base, tl_live(tl));
        uint64_t owner = __atomic_load_n(&tl->owner, __ATOMIC_RELAXED);
        if (owner != 0 && (!me || owner != me->id)) {
            /* Its thread has not ended (it should have): empty the pool but leave the struct, which that thread's
             * table still points to, for the thread's end to free. */
            tl->prev->next = tl->next;
            tl->next->prev = tl->prev;
            tl->prev = tl->next = NULL;
            __atomic_fetch_and(&tl->base.flags, ~F_REGISTERED, __ATOMIC_RELAXED);
            pool_free_chunks(&tl->base);
            tl->remote = NULL;
            tl->base.live = tl->remote_frees = 0;
        } else {
            tl_destroy(tl);
        }
    }
    if (me) { /* the calling thread's table pointed at pools freed above */
        tl_state = NULL;
        pthread_setspecific(tl_key, NULL);
        free(me->pools);
        free(me);
    }
    pthread_mutex_unlock(&reg_mu);
}
