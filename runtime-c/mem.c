/* mem.c — allocation entry points, raw memory helpers and atomic reference counts.
 *
 * Without TML_DEBUG_MEMORY (the release, asan, lsan and msan variants) tml_alloc is malloc of exactly the
 * requested size and tml_free is free: no header, no quarantine, so AddressSanitizer sees the program's real
 * blocks and the release build pays nothing. With TML_DEBUG_MEMORY every call goes through mem_track.c. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mem_track.h"
#include "tml_runtime.h"

/* ---- allocation ---- */

static inline const TmlLoc *site_loc(const TmlAllocSite *site) { return site ? &site->loc : NULL; }

static size_t checked_size(int64_t size, const TmlAllocSite *site) {
    if (size < 0) tml_rt_out_of_memory_at(size, site_loc(site));
    return (size_t)size;
}

#ifdef TML_DEBUG_MEMORY

void *tml_alloc(int64_t size, const TmlAllocSite *site) { return tml_track_alloc(checked_size(size, site), site, 0); }

void *tml_alloc_zeroed(int64_t size, const TmlAllocSite *site) {
    return tml_track_alloc(checked_size(size, site), site, 1);
}

void *tml_realloc(void *p, int64_t size, const TmlAllocSite *site) {
    return tml_track_realloc(p, checked_size(size, site), site);
}

void tml_free(void *p, const TmlLoc *loc) {
    if (p) tml_track_free(p, loc);
}

#else /* plain malloc */

void *tml_alloc(int64_t size, const TmlAllocSite *site) {
    (void)site;
    void *p = malloc(checked_size(size, site));
    if (!p && size > 0) tml_rt_out_of_memory_at(size, site_loc(site));
    return p;
}

void *tml_alloc_zeroed(int64_t size, const TmlAllocSite *site) {
    (void)site;
    void *p = calloc(1, checked_size(size, site));
    if (!p && size > 0) tml_rt_out_of_memory_at(size, site_loc(site));
    return p;
}

void *tml_realloc(void *p, int64_t size, const TmlAllocSite *site) {
    size_t n = checked_size(size, site);
    if (!p) return tml_alloc(size, site);
    if (n == 0) { /* realloc(p, 0) is implementation-defined; keep "a valid block of the requested size" */
        free(p);
        return malloc(0);
    }
    void *q = realloc(p, n);
    if (!q) tml_rt_out_of_memory_at(size, site_loc(site));
    return q;
}

void tml_free(void *p, const TmlLoc *loc) {
    (void)loc;
    free(p);
}

void tml_mem_mark_intentional(void *p, const char *why) {
    (void)p;
    (void)why;
}

int64_t tml_mem_live_blocks(void) { return 0; }
int64_t tml_mem_live_bytes(void) { return 0; }

#endif

/* ---- raw memory helpers (n <= 0 does nothing: memcpy(NULL, NULL, 0) would be UB for UBSan) ---- */

void tml_mem_copy(void *dst, const void *src, int64_t n) {
    if (n > 0) memcpy(dst, src, (size_t)n);
}

void tml_mem_move(void *dst, const void *src, int64_t n) {
    if (n > 0) memmove(dst, src, (size_t)n);
}

void tml_mem_set(void *dst, int32_t byte, int64_t n) {
    if (n > 0) memset(dst, byte, (size_t)n);
}

int32_t tml_mem_compare(const void *a, const void *b, int64_t n) {
    if (n <= 0) return 0;
    int r = memcmp(a, b, (size_t)n);
    return (r > 0) - (r < 0);
}

/* ---- reference counts ----
 * The first word of a refcounted block is an int64 count. TML_RC_STATIC marks immortal constants (string
 * literals live in read-only memory): they are never written. Counts are atomic (MEMORY.md §4), except while the
 * process is single-threaded, where a plain increment is equivalent and much cheaper. */

static inline void rc_inc(int64_t *rc) {
    if (tml_rt_single_threaded())
        ++*rc;
    else
        __atomic_fetch_add(rc, 1, __ATOMIC_RELAXED);
}

/* Returns 1 when the count dropped to zero. Acquire-release so that the thread that frees sees every write made
 * through the other references. */
static inline int rc_dec(int64_t *rc) {
    if (tml_rt_single_threaded()) return --*rc == 0;
    return __atomic_fetch_sub(rc, 1, __ATOMIC_ACQ_REL) == 1;
}

static inline int rc_is_static(const int64_t *rc) { return __atomic_load_n(rc, __ATOMIC_RELAXED) == TML_RC_STATIC; }

void tml_rc_retain(void *block) {
    int64_t *rc = block;
    if (rc && !rc_is_static(rc)) rc_inc(rc);
}

int32_t tml_rc_release(void *block) {
    int64_t *rc = block;
    if (!rc || rc_is_static(rc)) return 0;
    return rc_dec(rc);
}

void tml_closure_retain(TmlClosureEnv *env) { tml_rc_retain(env); }

void tml_closure_release(TmlClosureEnv *env) {
    if (!tml_rc_release(env)) return;
    if (env->drop_fn) env->drop_fn(env);
    tml_free(env, &tml_rt_runtime_loc);
}

/* Sync[T]'s counts: always atomic (the value may be shared between tasks). */
int64_t tml_atomic_add_i64(int64_t *p, int64_t delta) { return __atomic_fetch_add(p, delta, __ATOMIC_SEQ_CST); }

int64_t tml_atomic_load_i64(int64_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
