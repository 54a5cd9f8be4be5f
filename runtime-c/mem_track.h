/* mem_track.h — the debug tracking allocator (mem_track.c), compiled in when TML_DEBUG_MEMORY is defined
 * (the `debug` and `ubsan` runtime variants). mem.c routes tml_alloc/tml_realloc/tml_free here.
 *
 * Every block carries a 32-byte header in front of the user pointer (so the user pointer keeps malloc's 16-byte
 * alignment): the links of an intrusive doubly-linked list of live blocks (kept in allocation order), the
 * allocation site, and the size packed with a magic word (LIVE, allow-listed or FREED). A free marks the header
 * FREED and parks the block in a bounded FIFO quarantine (TML_TRACK_QUARANTINE_BLOCKS blocks /
 * TML_TRACK_QUARANTINE_BYTES bytes) so that a second free of a recent block is recognised. A small block leaving the
 * quarantine is recycled (kept, still FREED, for the next allocation of its size class) instead of freed. */
#ifndef TML_MEM_TRACK_H
#define TML_MEM_TRACK_H

#include <stddef.h>
#include <stdint.h>

#include "tml_runtime.h"

#define TML_TRACK_QUARANTINE_BLOCKS 4096
#define TML_TRACK_QUARANTINE_BYTES (8u << 20)
/* Small blocks (up to 256 bytes with the header) leaving the quarantine are kept for reuse by the next allocation
 * of their size class, up to this many bytes (not under ASan or Valgrind); see mem_track.c. */
#define TML_TRACK_RECYCLE_BYTES (4u << 20)

/* Allow-list of runtime blocks that intentionally live until exit (MEMORY.md §9): a marked block is left out of
 * the leak report and the live counters. Declared for every variant (a no-op without TML_DEBUG_MEMORY) so that
 * runtime files can call it unconditionally; `why` is the justification, kept for the reader of the call site.
 * Today no runtime block is marked: every entry added later must also be listed, with the same justification, in
 * runtime-c/valgrind.supp if Valgrind would report it. */
void tml_mem_mark_intentional(void *p, const char *why);

#ifdef TML_DEBUG_MEMORY
void *tml_track_alloc(size_t size, const TmlAllocSite *site, int zeroed);
void *tml_track_realloc(void *p, size_t size, const TmlAllocSite *site);
void tml_track_free(void *p, const TmlLoc *loc);

/* Called by tml_runtime_init: leak checking on/off (the TML_CHECK_LEAKS=0 override is applied by the caller),
 * statistics on/off (TML_MEM_STATS=1). */
void tml_track_configure(int check_leaks, int print_stats);
/* Called by tml_runtime_exit: releases the quarantine, prints the statistics and the leak report as configured,
 * and returns 102 when status is 0 and something leaked (and leak checking is on), else status. Frees made after
 * this bypass the quarantine. */
int32_t tml_track_finish(int32_t status);

/* Writes the leak report for the live (non-allow-listed) blocks to fd, in the TOOLCHAIN.md §4 format; writes
 * nothing when nothing is live. Returns the number of leaked blocks. Exposed for the unit tests. */
int64_t tml_track_write_report(int fd);
/* A leak that is not a tracker block: a live object of an @pool class, handed over by tml_class_pools_shutdown
 * (object.c) just before it frees the pool's chunks, i.e. before tml_track_finish writes the report. The report
 * counts and groups these like blocks (by site and type), after the blocks. */
void tml_track_add_external_leak(const TmlAllocSite *site, uint64_t size);
/* Really frees every quarantined block now (exit, and the tests). */
void tml_track_flush_quarantine(void);
int64_t tml_track_quarantine_blocks(void);
/* The bytes of the blocks kept for reuse now (0 under ASan and Valgrind, which never recycle). */
int64_t tml_track_recycled_bytes(void);

typedef struct TmlTrackStats {
    int64_t allocs;      /* tml_alloc, tml_alloc_zeroed and tml_realloc(NULL, ...) calls */
    int64_t reallocs;    /* tml_realloc calls on an existing block */
    int64_t bytes;       /* bytes requested by all of those calls together */
    int64_t peak_blocks; /* highest number of live blocks at any time */
    int64_t peak_bytes;  /* highest number of live bytes at any time */
    int64_t live_blocks; /* now (allow-listed blocks excluded) */
    int64_t live_bytes;
} TmlTrackStats;
void tml_track_get_stats(TmlTrackStats *out);
/* The TML_MEM_STATS line: "tmlc mem: allocs=N reallocs=N bytes=N peak_blocks=N peak_bytes=N live_blocks=N
 * live_bytes=N\n" */
void tml_track_write_stats(int fd);
#endif

#endif /* TML_MEM_TRACK_H */
