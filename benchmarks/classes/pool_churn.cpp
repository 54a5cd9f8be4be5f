// pool_churn: the C++ twin of pool_churn.tml, with plain new/delete. A ring of RING live particles; ITER times, the
// particle in slot i % RING is read (with its neighbour in the next slot), a new particle computed from them
// replaces it, and the old one is deleted.
#include <cstdint>

#include "print_f64.hpp"

struct Particle {
  double x, y, vx, vy;
  Particle(double x, double y, double vx, double vy) : x(x), y(y), vx(vx), vy(vy) {}
};

constexpr int64_t RING = 64;
constexpr int64_t ITER = 10000000;

int main() {
  Particle *ring[RING];
  for (int64_t k = 0; k < RING; k++) ring[k] = new Particle(double(k), 0.0, 1.0, 0.5);
  double checksum = 0.0;
  for (int64_t i = 0; i < ITER; i++) {
    int64_t slot = i % RING;
    Particle *old = ring[slot];
    Particle *nb = ring[(i + 1) % RING];
    checksum += old->x + old->y;
    Particle *p = new Particle(old->x + old->vx * 0.5, (nb->y + old->y) * 0.5 + old->vy * 0.5, old->vy, -old->vx);
    delete old;
    ring[slot] = p;
  }
  for (int64_t k = 0; k < RING; k++) {
    checksum += ring[k]->x * ring[k]->vy;
    delete ring[k];
  }
  print_f64(checksum);
  return 0;
}
