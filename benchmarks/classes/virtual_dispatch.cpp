// virtual_dispatch: the C++ twin of virtual_dispatch.tml. N objects of 3 classes derived from an abstract Shape,
// created in index order, stored in a std::vector<Shape*> in an order shuffled by a deterministic LCG
// (Fisher-Yates), then PASSES passes summing s->area() through the base type (virtual calls).
#include <cstdint>
#include <memory>
#include <vector>

#include "print_f64.hpp"

struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
};

struct Circle : Shape {
  double r;
  explicit Circle(double r) : r(r) {}
  double area() const override { return 3.141592653589793 * r * r; }
};

struct Rect : Shape {
  double w, h;
  Rect(double w, double h) : w(w), h(h) {}
  double area() const override { return w * h; }
};

struct Triangle : Shape {
  double b, h;
  Triangle(double b, double h) : b(b), h(h) {}
  double area() const override { return 0.5 * b * h; }
};

constexpr int64_t N = 4096;
constexpr int64_t PASSES = 20000;

static std::unique_ptr<Shape> make_shape(int64_t k) {
  int64_t m = k % 3;
  if (m == 0) return std::make_unique<Circle>(0.5 + double(k % 7) * 0.25);
  if (m == 1) return std::make_unique<Rect>(1.0 + double(k % 5) * 0.5, 2.0 + double(k % 3) * 0.125);
  return std::make_unique<Triangle>(1.5 + double(k % 11) * 0.25, 0.75 + double(k % 4) * 0.5);
}

int main() {
  // the order: 0..N-1 shuffled (Fisher-Yates with a 31-bit LCG)
  int64_t order[N];
  for (int64_t i = 0; i < N; i++) order[i] = i;
  int64_t state = 12345;
  for (int64_t i = N - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    int64_t j = state % (i + 1);
    int64_t t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  std::vector<std::unique_ptr<Shape>> made;
  for (int64_t k = 0; k < N; k++) made.push_back(make_shape(k));
  std::vector<Shape *> shapes;
  for (int64_t i = 0; i < N; i++) shapes.push_back(made[order[i]].get());

  double sum = 0.0;
  for (int64_t pass = 0; pass < PASSES; pass++) {
    for (Shape *s : shapes) sum += s->area();
  }
  print_f64(sum);
  return 0;
}
