/* mem_track.c — the debug tracking allocator (see mem_track.h for the design).
 *
 * Only compiled into the variants that define TML_DEBUG_MEMORY. Costs per allocation: one malloc of size + 32
 * (or a recycled block of its size class), one list insertion under a spinlock (skipped entirely while the process
 * is single-threaded); per free: one list removal and one quarantine push (and usually the oldest quarantined block
 * moved to its recycling list). No hashing and no stack walks: the allocation site is the constant TmlAllocSite the
 * compiler passes. */
#define _GNU_SOURCE
#include "mem_track.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "spinlock.h"

#ifndef TML_DEBUG_MEMORY
#error "mem_track.c is only built with TML_DEBUG_MEMORY"
#endif

/* Under AddressSanitizer, reading the header of a foreign pointer would itself be reported; ask first. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define TML_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(TML_ASAN)
#include <sanitizer/asan_interface.h>
#define TML_ASAN 1
#endif

/* Under Valgrind, quarantined user bytes are made inaccessible so a use after free is still reported. */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define TML_VALGRIND 1
#endif
#endif

/* The header is 32 bytes, so the user pointer keeps malloc's 16-byte alignment and a small node costs one
 * malloc size class more, not two: this is most of what keeps the tracker within 2x of plain malloc. The size
 * (40 bits: the tracker refuses blocks of 1 TiB or more) and a 24-bit magic share one word. */
typedef struct Hdr {
    struct Hdr *prev, *next; /* live list (circular, around `live`), in allocation order */
    const TmlAllocSite *site;
    uint64_t word; /* magic << 40 | size */
} Hdr;

#define SIZE_BITS 40
#define MAX_SIZE ((1ull << SIZE_BITS) - 1)
#define MAGIC_LIVE 0x5eedb1ull
#define MAGIC_INTENTIONAL 0x5eeda1ull /* live, allow-listed (tml_mem_mark_intentional) */
#define MAGIC_FREED 0xf4eed0ull

_Static_assert(sizeof(Hdr) % 16 == 0, "the user pointer must keep malloc's 16-byte alignment");

static inline uint64_t hdr_magic(const Hdr *h) { return h->word >> SIZE_BITS; }
static inline uint64_t hdr_size(const Hdr *h) { return h->word & MAX_SIZE; }
static inline void hdr_set(Hdr *h, uint64_t magic, uint64_t size) { h->word = magic << SIZE_BITS | size; }

static Hdr live = {&live, &live, NULL, 0};
static TmlSpinlock lock = TML_SPINLOCK_INIT;

static Hdr *quarantine[TML_TRACK_QUARANTINE_BLOCKS];
static unsigned q_head;  /* index of the oldest entry */
static unsigned q_count; /* entries in use */
static size_t q_bytes;   /* user bytes parked */
static int finished;     /* after tml_track_finish: frees release at once */

static int check_leaks = 1;
static int print_stats;

static struct {
    int64_t allocs, reallocs, bytes, peak_blocks, peak_bytes, live_blocks, live_bytes;
} st;

/* ---- locking: none while single-threaded ---- */

static inline int lock_take(void) {
    if (tml_rt_single_threaded()) return 0;
    tml_spin_lock(&lock);
    return 1;
}

static inline void lock_give(int taken) {
    if (taken) tml_spin_unlock(&lock);
}

/* ---- list and counters (called with the lock held) ---- */

static inline void link_tail(Hdr *h) {
    h->next = &live;
    h->prev = live.prev;
    live.prev->next = h;
    live.prev = h;
}

static inline void unlink_block(Hdr *h) {
    h->prev->next = h->next;
    h->next->prev = h->prev;
}

static inline void count_live(int64_t size) {
    st.live_blocks++;
    st.live_bytes += size;
    if (st.live_blocks > st.peak_blocks) st.peak_blocks = st.live_blocks;
    if (st.live_bytes > st.peak_bytes) st.peak_bytes = st.live_bytes;
}

static inline void count_dead(int64_t size) {
    st.live_blocks--;
    st.live_bytes -= size;
}

/* ---- errors ---- */

static const char *site_loc(char *buf, size_t cap, const TmlAllocSite *site) {
    return tml_rt_format_loc(buf, cap, site ? &site->loc : NULL);
}

TML_NORETURN static void report_double(const char *what, const TmlLoc *loc, uint64_t size, const TmlAllocSite *site) {
    char at[512], from[512];
    tml_rt_eprintf("tmlc: %s at %s (%llu bytes allocated at %s)\n", what, tml_rt_format_loc(at, sizeof at, loc),
                   (unsigned long long)size, site_loc(from, sizeof from, site));
    tml_rt_die(101);
}

TML_NORETURN static void report_invalid(const char *what, const TmlLoc *loc) {
    char at[512];
    tml_rt_eprintf("tmlc: %s at %s\n", what, tml_rt_format_loc(at, sizeof at, loc));
    tml_rt_die(101);
}

/* The header of p, or NULL when p cannot be one of our blocks (misaligned, or memory ASan says is not ours). */
static Hdr *header_of(void *p) {
    uintptr_t u = (uintptr_t)p;
    if (u % 16 != 0 || u < sizeof(Hdr)) return NULL;
    Hdr *h = (Hdr *)p - 1;
#ifdef TML_ASAN
    if (__asan_region_is_poisoned(h, sizeof *h)) return NULL;
#endif
    return h;
}

static inline int is_live_magic(uint64_t m) { return m == MAGIC_LIVE || m == MAGIC_INTENTIONAL; }

/* ---- quarantine (called with the lock held) ---- */

#ifdef TML_VALGRIND
/* Whether the process runs under Valgrind, asked once: a client request costs a dozen instructions even outside
 * Valgrind, and the quarantine makes two per free. -1: not asked yet. */
static int under_valgrind = -1;
static inline int on_valgrind(void) {
    if (__builtin_expect(under_valgrind < 0, 0)) under_valgrind = RUNNING_ON_VALGRIND ? 1 : 0;
    return under_valgrind;
}
#endif

/* Recycling. A small block leaving the quarantine is not handed back to malloc but kept, still marked FREED, on a
 * list per size class, and the next allocation of that class takes it: a pointer pop instead of malloc, and a push
 * instead of free (whose fast path glibc leaves as soon as a burst of frees fills its per-thread cache). The blocks
 * have left the quarantine, so what malloc would have done with them changes nothing the tracker promises; the
 * lists are bounded (TML_TRACK_RECYCLE_BYTES) and really freed at exit. Every small block is allocated with the
 * whole size of its class so that any block of the class can serve any request of it. Off under ASan and
 * Valgrind, whose own allocators track reuse (a use after free stays theirs to report). */
#define RECYCLE_CLASSES 17 /* classes 2..16: blocks of up to 264 bytes, header included */
static Hdr *recycled[RECYCLE_CLASSES]; /* linked through `next` */
static size_t recycled_bytes;

/* A block's size class c: a header and user bytes of up to 16c + 8 in all, allocated with exactly that much.
 * glibc's malloc gives a request of 16c + 8 bytes a chunk of 16c + 16 whose every byte but its size word is usable,
 * so a block fills its chunk: a 24-byte binary-trees node with its 32-byte header is 56 bytes in a 64-byte chunk
 * (with classes of 16c bytes it asked for 64 and got an 80-byte chunk; the debug build's trees were 25% bigger in
 * memory, and slower by their cache misses). */
static inline size_t size_class(size_t size) { return (size + sizeof(Hdr) + 7) >> 4; }
static inline size_t class_bytes(size_t c) { return (c << 4) + 8; }

static inline int may_recycle(void) {
#ifdef TML_ASAN
    return 0;
#elif defined(TML_VALGRIND)
    return !on_valgrind();
#else
    return 1;
#endif
}

/* A recycled block of `size`'s class, or NULL. */
static inline Hdr *recycled_take(size_t size) {
    size_t c = size_class(size);
    if (c >= RECYCLE_CLASSES) return NULL;
    Hdr *h = recycled[c];
    if (h) {
        recycled[c] = h->next;
        recycled_bytes -= class_bytes(c);
    }
    return h;
}

static void recycled_flush(void) {
    for (size_t c = 0; c < RECYCLE_CLASSES; c++) {
        for (Hdr *h = recycled[c], *next; h; h = next) {
            next = h->next;
            free(h);
        }
        recycled[c] = NULL;
    }
    recycled_bytes = 0;
}

static void release_block(Hdr *h) {
    size_t c = size_class(hdr_size(h));
    if (c < RECYCLE_CLASSES && !finished && recycled_bytes + class_bytes(c) <= TML_TRACK_RECYCLE_BYTES && may_recycle()) {
        h->next = recycled[c];
        recycled[c] = h;
        recycled_bytes += class_bytes(c);
        return;
    }
#ifdef TML_VALGRIND
    if (on_valgrind()) VALGRIND_MAKE_MEM_UNDEFINED(h + 1, hdr_size(h));
#endif
    free(h);
}

static Hdr *quarantine_pop(void) {
    Hdr *h = quarantine[q_head];
    q_head = (q_head + 1) % TML_TRACK_QUARANTINE_BLOCKS;
    q_count--;
    q_bytes -= hdr_size(h);
    /* the next block to leave was freed thousands of frees ago: start fetching its header (which free() reads
     * too) now, so that the next free does not wait for it */
    if (q_count > 0) __builtin_prefetch(quarantine[q_head], 1);
    return h;
}

static void quarantine_push(Hdr *h) {
    size_t size = hdr_size(h);
    while (q_count > 0 && (q_count == TML_TRACK_QUARANTINE_BLOCKS || q_bytes + size > TML_TRACK_QUARANTINE_BYTES))
        release_block(quarantine_pop());
    quarantine[(q_head + q_count) % TML_TRACK_QUARANTINE_BLOCKS] = h;
    q_count++;
    q_bytes += size;
#ifdef TML_VALGRIND
    if (on_valgrind()) VALGRIND_MAKE_MEM_NOACCESS(h + 1, hdr_size(h));
#endif
}

/* ---- the allocator ---- */

void *tml_track_alloc(size_t size, const TmlAllocSite *site, int zeroed) {
    const TmlLoc *at = site ? &site->loc : NULL;
    if (size > MAX_SIZE) tml_rt_out_of_memory_at((int64_t)size, at);
    int t = lock_take();
    Hdr *h = recycled_take(size);
    lock_give(t);
    if (h) {
        if (zeroed) memset(h + 1, 0, size);
    } else {
        size_t bytes = class_bytes(size_class(size)); /* the whole class (see recycling) */
        h = zeroed ? calloc(1, bytes) : malloc(bytes);
        if (!h) tml_rt_out_of_memory_at((int64_t)size, at);
    }
    h->site = site;
    hdr_set(h, MAGIC_LIVE, size);
    t = lock_take();
    link_tail(h);
    st.allocs++;
    st.bytes += (int64_t)size;
    count_live((int64_t)size);
    lock_give(t);
    return h + 1;
}

void tml_track_free(void *p, const TmlLoc *loc) {
    Hdr *h = header_of(p);
    if (!h) report_invalid("invalid free", loc);
    int t = lock_take();
    uint64_t magic = hdr_magic(h), size = hdr_size(h);
    if (!is_live_magic(magic)) {
        const TmlAllocSite *site = h->site;
        lock_give(t);
        if (magic == MAGIC_FREED) report_double("double free", loc, size, site);
        report_invalid("invalid free", loc);
    }
    unlink_block(h);
    if (magic == MAGIC_LIVE) count_dead((int64_t)size);
    hdr_set(h, MAGIC_FREED, size);
    if (finished || size > TML_TRACK_QUARANTINE_BYTES)
        release_block(h);
    else
        quarantine_push(h);
    lock_give(t);
}

void *tml_track_realloc(void *p, size_t size, const TmlAllocSite *site) {
    if (!p) return tml_track_alloc(size, site, 0);
    const TmlLoc *loc = site ? &site->loc : NULL;
    if (size > MAX_SIZE) tml_rt_out_of_memory_at((int64_t)size, loc);
    Hdr *h = header_of(p);
    if (!h) report_invalid("invalid realloc", loc);
    int t = lock_take();
    uint64_t magic = hdr_magic(h), old_size = hdr_size(h);
    if (!is_live_magic(magic)) {
        const TmlAllocSite *old_site = h->site;
        lock_give(t);
        if (magic == MAGIC_FREED) report_double("realloc of freed memory", loc, old_size, old_site);
        report_invalid("invalid realloc", loc);
    }
    unlink_block(h);
    if (magic == MAGIC_LIVE) count_dead((int64_t)old_size);
    lock_give(t);

    Hdr *n = realloc(h, class_bytes(size_class(size))); /* the whole class (see recycling) */
    if (!n) tml_rt_out_of_memory_at((int64_t)size, loc);
    hdr_set(n, magic, size);
    if (site) n->site = site; /* the most recent owner knows best what the block now is */

    t = lock_take();
    link_tail(n); /* a reallocated block counts as allocated now, for the report's order */
    st.reallocs++;
    st.bytes += (int64_t)size;
    if (magic == MAGIC_LIVE) count_live((int64_t)size);
    lock_give(t);
    return n + 1;
}

void tml_mem_mark_intentional(void *p, const char *why) {
    (void)why; /* the justification lives at the call site (and in valgrind.supp) */
    Hdr *h = p ? header_of(p) : NULL;
    if (!h) return;
    int t = lock_take();
    if (hdr_magic(h) == MAGIC_LIVE) {
        hdr_set(h, MAGIC_INTENTIONAL, hdr_size(h));
        count_dead((int64_t)hdr_size(h));
    }
    lock_give(t);
}

int64_t tml_mem_live_blocks(void) {
    int t = lock_take();
    int64_t n = st.live_blocks;
    lock_give(t);
    return n;
}

int64_t tml_mem_live_bytes(void) {
    int t = lock_take();
    int64_t n = st.live_bytes;
    lock_give(t);
    return n;
}

void tml_track_flush_quarantine(void) {
    int t = lock_take();
    while (q_count > 0) release_block(quarantine_pop());
    recycled_flush();
    lock_give(t);
}

int64_t tml_track_recycled_bytes(void) {
    int t = lock_take();
    int64_t n = (int64_t)recycled_bytes;
    lock_give(t);
    return n;
}

int64_t tml_track_quarantine_blocks(void) {
    int t = lock_take();
    int64_t n = q_count;
    lock_give(t);
    return n;
}

void tml_track_get_stats(TmlTrackStats *out) {
    int t = lock_take();
    out->allocs = st.allocs;
    out->reallocs = st.reallocs;
    out->bytes = st.bytes;
    out->peak_blocks = st.peak_blocks;
    out->peak_bytes = st.peak_bytes;
    out->live_blocks = st.live_blocks;
    out->live_bytes = st.live_bytes;
    lock_give(t);
}

/* ---- output ---- */

static void write_all(int fd, const char *p, size_t n) {
    if (fd == 2) {
        tml_rt_write_stderr(p, n);
        return;
    }
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return;
        p += w;
        n -= (size_t)w;
    }
}

void tml_track_write_stats(int fd) {
    TmlTrackStats s;
    tml_track_get_stats(&s);
    char line[256];
    int n = snprintf(line, sizeof line,
                     "tmlc mem: allocs=%lld reallocs=%lld bytes=%lld peak_blocks=%lld peak_bytes=%lld "
                     "live_blocks=%lld live_bytes=%lld\n",
                     (long long)s.allocs, (long long)s.reallocs, (long long)s.bytes, (long long)s.peak_blocks,
                     (long long)s.peak_bytes, (long long)s.live_blocks, (long long)s.live_bytes);
    write_all(fd, line, (size_t)n);
}

/* ---- the leak report ----
 * Live blocks are grouped by allocation site and type (by content, not by pointer: two identical site constants
 * form one group). Rows are ordered by the first allocation of each group (the earliest of its live blocks in the
 * live list, which is in allocation order; a reallocated block counts as allocated at its last realloc), so the
 * report reads in program order. A group whose blocks all have one size prints
 * "COUNT × SIZE bytes"; a group of mixed sizes (e.g. a buffer reallocated to different sizes) prints
 * "COUNT blocks, TOTAL bytes total". */

typedef struct Leak {
    const TmlAllocSite *site;
    uint64_t size;
    uint64_t seq;
} Leak;

typedef struct Group {
    const TmlAllocSite *site;
    int64_t count, total;
    uint64_t min_size, max_size, first_seq;
} Group;

static int cmp_str(const char *a, const char *b) {
    if (a == b) return 0;
    if (!a) return -1;
    if (!b) return 1;
    return strcmp(a, b);
}

static int cmp_site(const TmlAllocSite *a, const TmlAllocSite *b) {
    if (a == b) return 0;
    if (!a) return -1;
    if (!b) return 1;
    int c = cmp_str(a->loc.file, b->loc.file);
    if (c) return c;
    if (a->loc.line != b->loc.line) return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col) return a->loc.col < b->loc.col ? -1 : 1;
    return cmp_str(a->type_name, b->type_name);
}

static int cmp_leak(const void *x, const void *y) {
    const Leak *a = x, *b = y;
    int c = cmp_site(a->site, b->site);
    if (c) return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_group(const void *x, const void *y) {
    const Group *a = x, *b = y;
    return a->first_seq < b->first_seq ? -1 : a->first_seq > b->first_seq;
}

static const char *type_of(const TmlAllocSite *site) {
    return site && site->type_name ? site->type_name : "<unknown type>";
}

/* Display width of a UTF-8 string: code points (good enough for type names and the × sign). */
static size_t utf8_width(const char *s) {
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

static void put_padded(FILE *f, const char *s, size_t width) {
    fputs(s, f);
    for (size_t w = utf8_width(s); w < width; w++) fputc(' ', f);
}

/* Leaks handed over by tml_track_add_external_leak (pooled objects), in the order given (plain malloc). */
static Leak *external;
static size_t n_external, cap_external;

void tml_track_add_external_leak(const TmlAllocSite *site, uint64_t size) {
    int t = lock_take();
    if (n_external == cap_external) {
        size_t cap = cap_external ? 2 * cap_external : 64;
        Leak *grown = realloc(external, cap * sizeof *grown);
        if (!grown) {
            lock_give(t);
            tml_rt_out_of_memory((int64_t)(cap * sizeof *grown));
        }
        external = grown;
        cap_external = cap;
    }
    external[n_external++] = (Leak){site, size, 0};
    lock_give(t);
}

int64_t tml_track_write_report(int fd) {
    /* Snapshot the live list; the report itself uses plain malloc so it does not disturb what it reports. */
    int t = lock_take();
    size_t n = n_external;
    for (Hdr *h = live.next; h != &live; h = h->next)
        if (hdr_magic(h) == MAGIC_LIVE) n++;
    Leak *leaks = n ? malloc(n * sizeof *leaks) : NULL;
    if (n && !leaks) {
        lock_give(t);
        tml_rt_out_of_memory((int64_t)(n * sizeof *leaks));
    }
    size_t i = 0;
    for (Hdr *h = live.next; h != &live; h = h->next) /* the list is in allocation order: the index is the seq */
        if (hdr_magic(h) == MAGIC_LIVE) leaks[i] = (Leak){h->site, hdr_size(h), i}, i++;
    for (size_t k = 0; k < n_external; k++, i++) leaks[i] = (Leak){external[k].site, external[k].size, i};
    lock_give(t);
    if (n == 0) return 0;

    qsort(leaks, n, sizeof *leaks, cmp_leak);
    Group *groups = malloc(n * sizeof *groups);
    if (!groups) tml_rt_out_of_memory((int64_t)(n * sizeof *groups));
    size_t ng = 0;
    uint64_t total = 0;
    for (i = 0; i < n; i++) {
        total += leaks[i].size;
        if (ng > 0 && cmp_site(groups[ng - 1].site, leaks[i].site) == 0) {
            Group *g = &groups[ng - 1];
            g->count++;
            g->total += (int64_t)leaks[i].size;
            if (leaks[i].size < g->min_size) g->min_size = leaks[i].size;
            if (leaks[i].size > g->max_size) g->max_size = leaks[i].size;
            if (leaks[i].seq < g->first_seq) g->first_seq = leaks[i].seq;
        } else {
            groups[ng++] = (Group){leaks[i].site, 1, (int64_t)leaks[i].size, leaks[i].size, leaks[i].size,
                                   leaks[i].seq};
        }
    }
    free(leaks);
    qsort(groups, ng, sizeof *groups, cmp_group);

    /* Column widths: "COUNT × SIZE bytes" and the type name are padded to their longest entry. */
    char(*amounts)[96] = malloc(ng * sizeof *amounts);
    if (!amounts) tml_rt_out_of_memory((int64_t)(ng * sizeof *amounts));
    size_t amount_w = 0, type_w = 0;
    for (i = 0; i < ng; i++) {
        Group *g = &groups[i];
        if (g->min_size == g->max_size)
            snprintf(amounts[i], sizeof amounts[i], "%lld \xC3\x97 %llu bytes", (long long)g->count,
                     (unsigned long long)g->min_size);
        else
            snprintf(amounts[i], sizeof amounts[i], "%lld blocks, %lld bytes total", (long long)g->count,
                     (long long)g->total);
        size_t aw = utf8_width(amounts[i]), tw = utf8_width(type_of(g->site));
        if (aw > amount_w) amount_w = aw;
        if (tw > type_w) type_w = tw;
    }

    char *text = NULL;
    size_t text_len = 0;
    FILE *f = open_memstream(&text, &text_len);
    if (!f) tml_rt_out_of_memory(0);
    fprintf(f, "tmlc: %zu leak%s (%llu bytes) at exit\n", n, n == 1 ? "" : "s", (unsigned long long)total);
    for (i = 0; i < ng; i++) {
        char at[512];
        fputs("  ", f);
        put_padded(f, amounts[i], amount_w + 2);
        put_padded(f, type_of(groups[i].site), type_w + 3);
        fprintf(f, "allocated at %s\n", site_loc(at, sizeof at, groups[i].site));
    }
    fclose(f);
    write_all(fd, text, text_len);
    free(text);
    free(amounts);
    free(groups);
    return (int64_t)n;
}

/* ---- process hooks ---- */

void tml_track_configure(int leaks, int stats) {
    check_leaks = leaks;
    print_stats = stats;
}

int32_t tml_track_finish(int32_t status) {
    tml_track_flush_quarantine();
    int t = lock_take();
    finished = 1;
    lock_give(t);
    if (print_stats) tml_track_write_stats(2);
    if (check_leaks && tml_track_write_report(2) > 0 && status == 0) status = 102;
    t = lock_take();
    free(external); /* reported (or not asked for): nothing else reads them */
    external = NULL;
    n_external = cap_external = 0;
    lock_give(t);
    return status;
}
