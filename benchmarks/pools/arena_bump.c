/* arena_bump: a second C twin of ../classes/arena_alloc.tml, the plain C bump arena: a current pointer and an end
 * pointer into malloc'd chunks of CHUNK_BYTES (kept on a list and reused after a reset), the fast path a round-up,
 * a compare and a store, inlined; the chunk change out of line. ROUNDS rounds of PER_ROUND 24-byte Items, each
 * computed from the one allocated before it, then a reset. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { int64_t id, val; int32_t tag; } Item; /* 24 bytes, like the TML type */

enum { ROUNDS = 20000, PER_ROUND = 1000, CHUNK_BYTES = 4096 };

typedef struct Chunk { struct Chunk *next; int64_t size; } Chunk; /* the chunk's bytes follow */
typedef struct { char *ptr, *end; Chunk *first, *current; int64_t chunk_bytes; } Arena;

static Arena arena_new(int64_t chunk_bytes) { return (Arena){NULL, NULL, NULL, NULL, chunk_bytes}; }

/* the next chunk (a reused one, or a new one) */
static __attribute__((noinline)) void *arena_slow(Arena *a, int64_t size, int64_t align) {
  for (;;) {
    Chunk *c = a->current ? a->current->next : a->first;
    if (!c) {
      int64_t n = size + align > a->chunk_bytes ? size + align : a->chunk_bytes;
      c = malloc(sizeof(Chunk) + (size_t)n);
      if (!c) abort();
      c->next = NULL;
      c->size = n;
      if (a->current) a->current->next = c; else a->first = c;
    }
    a->current = c;
    a->ptr = (char *)(c + 1);
    a->end = a->ptr + c->size;
    char *p = (char *)(((uintptr_t)a->ptr + (uintptr_t)align - 1) & ~((uintptr_t)align - 1));
    if (p + size <= a->end) {
      a->ptr = p + size;
      return p;
    }
  }
}

static inline void *arena_alloc(Arena *a, int64_t size, int64_t align) {
  char *p = (char *)(((uintptr_t)a->ptr + (uintptr_t)align - 1) & ~((uintptr_t)align - 1));
  if (a->ptr && p + size <= a->end) {
    a->ptr = p + size;
    return p;
  }
  return arena_slow(a, size, align);
}

static void arena_reset(Arena *a) {
  a->current = a->first;
  a->ptr = a->first ? (char *)(a->first + 1) : NULL;
  a->end = a->first ? a->ptr + a->first->size : NULL;
}

static void arena_free(Arena *a) {
  for (Chunk *c = a->first, *next; c; c = next) { next = c->next; free(c); }
}

int main(void) {
  Arena arena = arena_new(CHUNK_BYTES);
  int64_t checksum = 0, tags = 0;
  for (int64_t round = 0; round < ROUNDS; round++) {
    Item *prev = arena_alloc(&arena, sizeof(Item), _Alignof(Item));
    *prev = (Item){round, round & 1023, 1};
    for (int64_t i = 1; i < PER_ROUND; i++) {
      Item *r = arena_alloc(&arena, sizeof(Item), _Alignof(Item));
      *r = (Item){i, (prev->val * 31 + i) & 0xFFFFF, (prev->tag * 5 + 3) & 255};
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
