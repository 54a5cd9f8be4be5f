// print_f64: prints an F64 the way TML's println does (LANGUAGE.md §3: Rust's `{:?}`): the shortest digits that
// read back as the same value, in plain decimal with at least one digit after the `.` when 1e-4 <= |x| < 1e16 or
// x == 0, otherwise as <digits>e<exp>. Used by the C++ twins so that their output can be compared byte for byte.
#pragma once
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

inline void print_f64(double x) {
  char buf[400];
  if (std::isnan(x)) { std::puts("NaN"); return; }
  if (std::isinf(x)) { std::puts(x < 0 ? "-inf" : "inf"); return; }
  double a = std::fabs(x);
  if (a == 0.0 || (a >= 1e-4 && a < 1e16)) {
    auto r = std::to_chars(buf, buf + sizeof buf - 3, x, std::chars_format::fixed);
    *r.ptr = '\0';
    if (!std::strchr(buf, '.')) std::strcat(buf, ".0");
  } else {
    // to_chars writes "2.5e-07" / "1e+16"; Rust writes "2.5e-7" / "1e16"
    auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    *r.ptr = '\0';
    char *e = std::strchr(buf, 'e');
    char *d = e + 1;
    bool neg = *d == '-';
    if (*d == '+' || *d == '-') d++;
    while (*d == '0' && d[1]) d++;
    char exp[16];
    std::snprintf(exp, sizeof exp, "%s%s", neg ? "-" : "", d);
    std::strcpy(e + 1, exp);
  }
  std::puts(buf);
}
