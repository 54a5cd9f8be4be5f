// pool_freelist: the C twin of pool_t.tml, pool_class.tml and ../classes/pool_churn.tml, written the C way (C++
// only for print_f64): a free-list pool of Particle slots, the free list linked through the freed slots, chunks
// that double (the first of RING slots), the fast paths inlined and the growth out of line. A ring of RING live
// particles; ITER times, the particle in slot i % RING is read (with its neighbour), a new one from the pool
// replaces it, and the old one goes back on the free list.
#include <cstdint>
#include <cstdlib>

#include "../classes/print_f64.hpp"

struct Particle { double x, y, vx, vy; };
union Slot { Particle p; Slot *next; };

struct Chunk { Chunk *next; Slot slots[]; };
struct Pool { Slot *free; Chunk *chunks; int64_t capacity; };

static __attribute__((noinline)) void pool_grow(Pool *pl, int64_t n) {
  Chunk *c = (Chunk *)malloc(sizeof(Chunk) + n * sizeof(Slot));
  if (!c) abort();
  c->next = pl->chunks;
  pl->chunks = c;
  for (int64_t i = n - 1; i >= 0; i--) { c->slots[i].next = pl->free; pl->free = &c->slots[i]; }
  pl->capacity += n;
}

static inline Particle *pool_acquire(Pool *pl, Particle v) {
  if (!pl->free) pool_grow(pl, pl->capacity);
  Slot *s = pl->free;
  pl->free = s->next;
  s->p = v;
  return &s->p;
}

static inline void pool_release(Pool *pl, Particle *p) {
  Slot *s = (Slot *)p;
  s->next = pl->free;
  pl->free = s;
}

static void pool_drop(Pool *pl) {
  for (Chunk *c = pl->chunks, *next; c; c = next) { next = c->next; free(c); }
}

constexpr int64_t RING = 64;
constexpr int64_t ITER = 10000000;

int main() {
  Pool pool = {nullptr, nullptr, 0};
  pool_grow(&pool, RING);
  Particle *ring[RING];
  for (int64_t k = 0; k < RING; k++) ring[k] = pool_acquire(&pool, Particle{double(k), 0.0, 1.0, 0.5});
  double checksum = 0.0;
  for (int64_t i = 0; i < ITER; i++) {
    int64_t slot = i % RING;
    Particle *old = ring[slot];
    Particle *nb = ring[(i + 1) % RING];
    checksum += old->x + old->y;
    Particle *p = pool_acquire(&pool, Particle{old->x + old->vx * 0.5, (nb->y + old->y) * 0.5 + old->vy * 0.5, old->vy, -old->vx});
    pool_release(&pool, old);
    ring[slot] = p;
  }
  for (int64_t k = 0; k < RING; k++) {
    checksum += ring[k]->x * ring[k]->vy;
    pool_release(&pool, ring[k]);
  }
  pool_drop(&pool);
  print_f64(checksum);
  return 0;
}
