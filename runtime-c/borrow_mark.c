/* borrow_mark.c — borrow marks of class instances (MEMORY.md §3, "References into class instances").
 *
 * While a TML reference into a class instance is live, the compiler keeps the instance marked (tml_obj_borrow /
 * tml_obj_unborrow) and calls tml_obj_check_mut before assigning or mutating one of its fields; a mutation of a
 * marked instance panics instead of invalidating the reference.
 *
 * The object layout stays { rc, vtable, fields… }: the marks live in a side table keyed by the object's address,
 * an open-addressing hash table (linear probing, backward-shift deletion, so no tombstones) with one entry per
 * marked object. An entry holds that object's marks oldest first (two inline, more in a malloc'ed array): the
 * oldest one names the site in the panic message, and an unborrow removes the newest mark with the same
 * `exclusive`, whatever its position (borrows normally end LIFO, but need not). The table grows at half full,
 * shrinks when an eighth full, and is freed by tml_rt_borrow_marks_shutdown (tml_runtime_exit).
 *
 * `tml_rt_live_marks` counts the marks of the whole process. tml_obj_check_mut reads it first (a relaxed load): when
 * it is zero, as in a program that holds no reference into an instance right now, that load and a branch are the
 * whole cost. The function is small so that it inlines into the program when the release runtime is linked in as bitcode;
 * the lookup is out of line. A thread always sees its own marks (program order), which is all the check needs:
 * a borrow and the mutations it must stop happen on one thread, or are ordered by whatever handed the object over.
 *
 * The table is runtime bookkeeping, not the program's memory: plain malloc, never tml_alloc, so the leak checker
 * never reports it. Like the pools, it takes a spinlock once the process has threads and none before. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "spinlock.h"
#include "tml_runtime.h"

typedef struct Mark {
    const TmlLoc *site;
    int32_t exclusive;
} Mark;

#define INLINE_MARKS 2

typedef struct Entry {
    void *obj;       /* NULL: an empty slot */
    uint32_t n, cap; /* marks held; capacity of `more` (0 while the inline array is used) */
    Mark *more;      /* malloc'ed when an object holds more than INLINE_MARKS marks */
    Mark inl[INLINE_MARKS];
} Entry;

#define MIN_CAP 64

static TmlSpinlock table_lock = TML_SPINLOCK_INIT;
static Entry *table;        /* cap entries, or NULL before the first mark (and after the shutdown) */
static size_t table_cap;    /* a power of two */
static size_t table_used;   /* entries in use (marked objects) */
/* marks in the whole table; written under the lock, read relaxed anywhere. Not static: tml_obj_check_mut is in the
 * inline bitcode (TML_RT_HIDDEN). */
TML_RT_HIDDEN int64_t tml_rt_live_marks;

static inline int table_lock_take(void) {
    if (tml_rt_single_threaded()) return 0;
    tml_spin_lock(&table_lock);
    return 1;
}

static inline void table_lock_drop(int taken) {
    if (taken) tml_spin_unlock(&table_lock);
}

static inline Mark *marks_of(Entry *e) { return e->cap ? e->more : e->inl; }

static inline size_t home_slot(const void *obj, size_t cap) {
    /* instances are 16-byte aligned: drop the zero bits, then Fibonacci hashing */
    uint64_t h = ((uint64_t)(uintptr_t)obj >> 4) * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> 32) & (cap - 1);
}

/* The entry of `obj`, or NULL. */
static Entry *find(const void *obj) {
    if (!table) return NULL;
    size_t mask = table_cap - 1;
    for (size_t i = home_slot(obj, table_cap);; i = (i + 1) & mask) {
        if (table[i].obj == obj) return &table[i];
        if (!table[i].obj) return NULL;
    }
}

/* Moves every entry into a fresh table of `cap` slots (entries are plain values: no pointer into them survives). */
static void rehash(size_t cap) {
    Entry *fresh = calloc(cap, sizeof *fresh);
    if (!fresh) tml_rt_out_of_memory((int64_t)(cap * sizeof *fresh));
    for (size_t i = 0; i < table_cap; i++) {
        if (!table[i].obj) continue;
        size_t j = home_slot(table[i].obj, cap);
        while (fresh[j].obj) j = (j + 1) & (cap - 1);
        fresh[j] = table[i];
    }
    free(table);
    table = fresh;
    table_cap = cap;
}

/* The entry of `obj`, made (with no marks) if there is none. */
static Entry *find_or_add(void *obj) {
    if (!table) {
        table = calloc(MIN_CAP, sizeof *table);
        if (!table) tml_rt_out_of_memory((int64_t)(MIN_CAP * sizeof *table));
        table_cap = MIN_CAP;
    } else if ((table_used + 1) * 2 > table_cap) {
        rehash(table_cap * 2);
    }
    size_t mask = table_cap - 1;
    size_t i = home_slot(obj, table_cap);
    for (; table[i].obj; i = (i + 1) & mask)
        if (table[i].obj == obj) return &table[i];
    table_used++;
    table[i] = (Entry){.obj = obj};
    return &table[i];
}

/* Empties slot `e` (its marks are gone) and shifts the entries of its probe run back over it. */
static void remove_entry(Entry *e) {
    if (e->cap) free(e->more);
    size_t mask = table_cap - 1;
    size_t hole = (size_t)(e - table);
    for (size_t j = (hole + 1) & mask; table[j].obj; j = (j + 1) & mask) {
        size_t home = home_slot(table[j].obj, table_cap);
        /* entry j may move to the hole unless its home lies cyclically in (hole, j] */
        int stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (stays) continue;
        table[hole] = table[j];
        hole = j;
    }
    table[hole] = (Entry){0};
    table_used--;
    if (table_cap > MIN_CAP && table_used * 8 < table_cap) rehash(table_cap / 2);
}

static void push_mark(Entry *e, Mark m) {
    if (e->n == (e->cap ? e->cap : INLINE_MARKS)) {
        uint32_t cap = e->cap ? e->cap * 2 : INLINE_MARKS * 4;
        Mark *more = e->cap ? realloc(e->more, cap * sizeof *more) : malloc(cap * sizeof *more);
        if (!more) tml_rt_out_of_memory((int64_t)(cap * sizeof *more));
        if (!e->cap) memcpy(more, e->inl, sizeof e->inl);
        e->more = more;
        e->cap = cap;
    }
    marks_of(e)[e->n++] = m;
}

/* A compiler bug (unbalanced marks, an instance freed while marked): message, then abort(). */
TML_NORETURN static void internal_error(const char *what, void *obj, int with_site, const TmlLoc *site) {
    char at[512];
    if (with_site)
        tml_rt_eprintf("tmlc: internal error: %s (object %p, borrowed at %s)\n", what, obj,
                       tml_rt_format_loc(at, sizeof at, site));
    else
        tml_rt_eprintf("tmlc: internal error: %s (object %p)\n", what, obj);
    abort();
}

/* ======================================================================================================
 * The ABI
 * ====================================================================================================== */

void tml_obj_borrow(void *obj, int32_t exclusive, const TmlLoc *site) {
    int t = table_lock_take();
    push_mark(find_or_add(obj), (Mark){site, exclusive != 0});
    __atomic_store_n(&tml_rt_live_marks, tml_rt_live_marks + 1, __ATOMIC_RELAXED);
    table_lock_drop(t);
}

void tml_obj_unborrow(void *obj, int32_t exclusive) {
    if (obj == NULL) return; /* the compiler's "not marked on this path" */
    int t = table_lock_take();
    Entry *e = find(obj);
    int32_t want = exclusive != 0;
    Mark *m = e ? marks_of(e) : NULL;
    uint32_t k = e ? e->n : 0;
    while (k > 0 && m[k - 1].exclusive != want) k--;
    if (k == 0) {
        table_lock_drop(t);
        internal_error(want ? "tml_obj_unborrow of an object holding no exclusive borrow mark"
                            : "tml_obj_unborrow of an object holding no shared borrow mark",
                       obj, 0, NULL);
    }
    memmove(&m[k - 1], &m[k], (e->n - k) * sizeof *m); /* keeps the others oldest first */
    if (--e->n == 0) {
        remove_entry(e);
    } else if (e->cap && e->n <= INLINE_MARKS) { /* back to the inline array */
        Mark *more = e->more;
        memcpy(e->inl, more, e->n * sizeof *more);
        e->cap = 0;
        e->more = NULL;
        free(more);
    }
    __atomic_store_n(&tml_rt_live_marks, tml_rt_live_marks - 1, __ATOMIC_RELAXED);
    table_lock_drop(t);
}

/* Some mark is live somewhere: the lookup, and the panic if `obj` holds one. */
TML_RT_HIDDEN __attribute__((noinline, cold)) void tml_rt_check_mut_slow(void *obj, const char *class_name, const TmlLoc *loc) {
    int t = table_lock_take();
    Entry *e = find(obj);
    const TmlLoc *oldest = e ? marks_of(e)[0].site : NULL;
    table_lock_drop(t);
    if (!e) return;
    char at[512], small[768];
    tml_rt_format_loc(at, sizeof at, oldest);
    const char *cls = class_name ? class_name : "class instance";
    const char *fmt = "cannot modify a %s while a reference into it is live (borrowed at %s)";
    int n = snprintf(small, sizeof small, fmt, cls, at);
    if (n >= 0 && (size_t)n >= sizeof small) { /* a very long class name (plain malloc: the process ends now) */
        char *big = malloc((size_t)n + 1);
        if (big) {
            snprintf(big, (size_t)n + 1, fmt, cls, at);
            tml_panic_cstr(loc, big);
        }
    }
    tml_panic_cstr(loc, small);
}

void tml_obj_check_mut(void *obj, const char *class_name, const TmlLoc *loc) {
    if (__builtin_expect(__atomic_load_n(&tml_rt_live_marks, __ATOMIC_RELAXED) == 0, 1)) return;
    tml_rt_check_mut_slow(obj, class_name, loc);
}

/* ======================================================================================================
 * Runtime-internal hooks (internal.h)
 * ====================================================================================================== */

#ifdef TML_BORROW_CHECK_FREES
void tml_rt_borrow_check_free(void *obj) {
    if (__atomic_load_n(&tml_rt_live_marks, __ATOMIC_RELAXED) == 0) return;
    int t = table_lock_take();
    Entry *e = find(obj);
    const TmlLoc *oldest = e ? marks_of(e)[0].site : NULL;
    table_lock_drop(t);
    if (e) internal_error("a class instance is destroyed while a reference into it is live", obj, 1, oldest);
}
#endif

int64_t tml_rt_borrow_marks_live(void) { return __atomic_load_n(&tml_rt_live_marks, __ATOMIC_RELAXED); }

int64_t tml_rt_borrow_marks_of(void *obj, const TmlLoc **oldest) {
    int t = table_lock_take();
    Entry *e = find(obj);
    int64_t n = e ? e->n : 0;
    if (e && oldest) *oldest = marks_of(e)[0].site;
    table_lock_drop(t);
    return n;
}

int64_t tml_rt_borrow_table_capacity(void) {
    int t = table_lock_take();
    int64_t cap = (int64_t)table_cap;
    table_lock_drop(t);
    return cap;
}

void tml_rt_borrow_marks_shutdown(void) {
    int t = table_lock_take();
    for (size_t i = 0; i < table_cap; i++)
        if (table[i].obj && table[i].cap) free(table[i].more);
    free(table);
    table = NULL;
    table_cap = table_used = 0;
    __atomic_store_n(&tml_rt_live_marks, 0, __ATOMIC_RELAXED);
    table_lock_drop(t);
}
