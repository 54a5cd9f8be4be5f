/* arena_alloc: the C twin of arena_alloc.tml. A bump allocator over malloc'd chunks of CHUNK_BYTES (the same
 * chunk size, alignment rounding and chunk reuse as the TML Arena in stdlib/core/pool.tml), reset every PER_ROUND
 * allocations. Item has no destructor, so the C reset only rewinds (TML's Arena also keeps a destructor list). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { int64_t id, val; int32_t tag; } Item; /* 24 bytes, like the TML type */

enum { ROUNDS = 20000, PER_ROUND = 1000, CHUNK_BYTES = 4096 };

#ifdef ARENA_DTORS
/* -DARENA_DTORS: also what the TML Arena does for every value, a destructor record per allocation (its address and
 * its drop function, here a no-op like Item's drop glue) and their calls, newest first, at reset */
typedef struct { void *at; void (*run)(void *); } ArenaDtor;
static void drop_item(void *p) { (void)p; }
#endif

typedef struct {
  uint8_t **chunks;
  int64_t *sizes;
  int64_t nchunks, cap;
  int64_t chunk_bytes, current, used;
#ifdef ARENA_DTORS
  ArenaDtor *dtors;
  int64_t ndtors, dtors_cap;
#endif
} Arena;

static Arena arena_new(int64_t chunk_bytes) {
  Arena a = {NULL, NULL, 0, 0, chunk_bytes, 0, 0
#ifdef ARENA_DTORS
               , NULL, 0, 0
#endif
  };
  return a;
}

/* size bytes aligned to align: from the current chunk, the next one, or a new one (the TML Arena's `bump`). The
 * common case (room in the current chunk) is inlined, the rest is out of line, as a C programmer would write it. */
static __attribute__((noinline)) void *arena_bump_slow(Arena *a, int64_t size, int64_t align) {
  for (;;) {
    if (a->current < a->nchunks) {
      int64_t start = (a->used + align - 1) / align * align;
      if (start + size <= a->sizes[a->current]) {
        a->used = start + size;
        return a->chunks[a->current] + start;
      }
      a->current += 1;
      a->used = 0;
    } else {
      int64_t n = size > a->chunk_bytes ? size : a->chunk_bytes;
      if (a->nchunks == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 4;
        a->chunks = realloc(a->chunks, a->cap * sizeof *a->chunks);
        a->sizes = realloc(a->sizes, a->cap * sizeof *a->sizes);
        if (!a->chunks || !a->sizes) abort();
      }
      a->chunks[a->nchunks] = malloc(n);
      if (!a->chunks[a->nchunks]) abort();
      a->sizes[a->nchunks] = n;
      a->nchunks += 1;
    }
  }
}

static inline void *arena_bump(Arena *a, int64_t size, int64_t align) {
  if (a->current < a->nchunks) {
    int64_t start = (a->used + align - 1) / align * align;
    if (start + size <= a->sizes[a->current]) {
      a->used = start + size;
      return a->chunks[a->current] + start;
    }
  }
  return arena_bump_slow(a, size, align);
}

static inline Item *arena_alloc_item(Arena *a, Item value) {
  Item *p = arena_bump(a, sizeof(Item), _Alignof(Item));
  *p = value;
#ifdef ARENA_DTORS
  if (a->ndtors == a->dtors_cap) {
    a->dtors_cap = a->dtors_cap ? a->dtors_cap * 2 : 4;
    a->dtors = realloc(a->dtors, a->dtors_cap * sizeof *a->dtors);
    if (!a->dtors) abort();
  }
  a->dtors[a->ndtors++] = (ArenaDtor){p, drop_item};
#endif
  return p;
}

static void arena_reset(Arena *a) {
#ifdef ARENA_DTORS
  for (int64_t i = a->ndtors - 1; i >= 0; i--) a->dtors[i].run(a->dtors[i].at);
  a->ndtors = 0;
#endif
  a->current = 0;
  a->used = 0;
}

static void arena_free(Arena *a) {
  for (int64_t i = 0; i < a->nchunks; i++) free(a->chunks[i]);
  free(a->chunks);
  free(a->sizes);
#ifdef ARENA_DTORS
  free(a->dtors);
#endif
}

int main(void) {
  Arena arena = arena_new(CHUNK_BYTES);
  int64_t checksum = 0, tags = 0;
  for (int64_t round = 0; round < ROUNDS; round++) {
    Item *prev = arena_alloc_item(&arena, (Item){round, round & 1023, 1});
    for (int64_t i = 1; i < PER_ROUND; i++) {
      Item *r = arena_alloc_item(&arena, (Item){i, (prev->val * 31 + i) & 0xFFFFF, (prev->tag * 5 + 3) & 255});
      checksum += r->val ^ prev->id;
      prev = r;
    }
    tags += prev->tag;
    checksum = (checksum + prev->val) & 0xFFFFFFFFFFFF;
    arena_reset(&arena);
  }
  arena_free(&arena);
  printf("%lld\n%lld\n", (long long)checksum, (long long)tags);
  return 0;
}
