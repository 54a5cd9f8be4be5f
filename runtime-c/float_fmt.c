/* float_fmt.c — F64/F32 to text exactly as Rust's `{:?}` prints them (LANGUAGE.md §3 "Printing").
 *
 * Digits: the shortest decimal that reads back as the same value (for F32: as the same F32). We ask printf for
 * the correctly rounded p-significant-digit decimal and find the smallest p that strtod/strtof maps back to the
 * value. The closest p-digit decimal round-trips whenever any p-digit decimal does, except just above
 * a power of two, where the interval of values that round to x is narrower below x than above it: there the
 * p-digit decimal one unit above the closest may round-trip when the closest does not, and Rust (Grisu/Dragon)
 * picks it, so we try it too.
 * Layout: plain decimal with at least one digit after the point when 1e-4 <= |x| < 1e16 or x == 0, otherwise
 * `<d>[.<ddd>]e<exp>`; and NaN, inf, -inf, -0.0. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tml_runtime.h"

/* Does the decimal text read back as v? */
static int round_trips(const char *text, double v, int is_f32) {
    if (is_f32) return strtof(text, NULL) == (float)v;
    return strtod(text, NULL) == v;
}

/* "d.ddde±XX" -> the next decimal up with the same number of digits ("9.99e+01" -> "1.00e+02"). */
static void increment_sci(char *text) {
    char *e = strchr(text, 'e');
    char *p = e - 1;
    for (;; p--) {
        if (*p == '.') continue;
        if (*p != '9') {
            (*p)++;
            return;
        }
        *p = '0';
        if (p == text) break;
    }
    /* every digit carried: 10.00...: renormalise to 1.00... with the exponent one higher */
    text[0] = '1';
    int exp = atoi(e + 1) + 1;
    sprintf(e, "e%+03d", exp);
}

/* If v lies exactly halfway between two p-digit decimals (its exact expansion is p digits, then a 5, then only
 * zeros), printf rounded the tie to even, but Rust takes the upper one (equally close, so it round-trips too):
 * writes that upper decimal to up and returns 1. The cheap test comes first: with p+1 digits the last must be 5. */
static int tie_up(double v, int p, char *up, size_t cap) {
    char text[800]; /* a double's exact decimal expansion has at most 767 significant digits */
    snprintf(text, 64, "%.*e", p, v); /* "d.ddd...e±XX" with p+1 digits: digit p+1 is at index p+1 */
    if (text[p + 1] != '5') return 0;
    snprintf(text, sizeof text, "%.*e", 770, v);
    if (text[p + 1] != '5') return 0;
    char *e = strchr(text, 'e');
    for (const char *d = text + p + 2; d < e; d++)
        if (*d != '0') return 0;
    /* truncate to p digits ("d" or "d.dd...") and step up by one unit in the last place */
    size_t keep = p == 1 ? 1 : (size_t)p + 1;
    snprintf(up, cap, "%.*s%s", (int)keep, text, e);
    increment_sci(up);
    return 1;
}

/* Writes to text (64 bytes) a p-significant-digit decimal that reads back as v, if there is one: the closest
 * (the upper one on an exact tie), or just above a power of two the one above the closest. */
static int candidate(double v, int p, int is_f32, int is_pow2, int resolve_ties, char *text) {
    snprintf(text, 64, "%.*e", p - 1, v);
    if (round_trips(text, v, is_f32)) {
        char up[64];
        if (resolve_ties && tie_up(v, p, up, sizeof up)) memcpy(text, up, sizeof up);
        return 1;
    }
    if (is_pow2) {
        char up[64];
        memcpy(up, text, sizeof up);
        increment_sci(up);
        if (round_trips(up, v, is_f32)) {
            memcpy(text, up, sizeof up);
            return 1;
        }
    }
    return 0;
}

/* Fills digits (no leading/trailing zeros, NUL-terminated) and the decimal exponent of the first digit, for a
 * finite v > 0. Whether some p-digit decimal round-trips is monotonic in p (every p-digit decimal is also a
 * (p+1)-digit one), so the shortest p is found by binary search: about 4 printf/strtod pairs instead of up to 17;
 * 17 digits (9 for F32) always suffice. */
static void shortest_digits(double v, int is_f32, int is_pow2, char *digits, int *exp10) {
    char text[64];
    int lo = 1, hi = is_f32 ? 9 : 17;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (candidate(v, mid, is_f32, is_pow2, 0, text))
            hi = mid;
        else
            lo = mid + 1;
    }
    candidate(v, lo, is_f32, is_pow2, 1, text);
    size_t n = 0;
    const char *s = text;
    for (; *s != 'e'; s++)
        if (*s != '.') digits[n++] = *s;
    while (n > 1 && digits[n - 1] == '0') n--;
    digits[n] = '\0';
    *exp10 = atoi(s + 1);
}

/* Lays out sign, digits and exponent; sci chooses the exponent form. */
static TmlStr *layout(int negative, const char *digits, int exp10, int sci) {
    char out[64];
    size_t o = 0, n = strlen(digits);
    if (negative) out[o++] = '-';
    if (sci) {
        out[o++] = digits[0];
        if (n > 1) {
            out[o++] = '.';
            memcpy(out + o, digits + 1, n - 1);
            o += n - 1;
        }
        o += (size_t)snprintf(out + o, sizeof out - o, "e%d", exp10);
    } else if (exp10 >= 0) {
        size_t int_digits = (size_t)exp10 + 1;
        if (n <= int_digits) {
            memcpy(out + o, digits, n);
            o += n;
            for (size_t i = n; i < int_digits; i++) out[o++] = '0';
            out[o++] = '.';
            out[o++] = '0';
        } else {
            memcpy(out + o, digits, int_digits);
            o += int_digits;
            out[o++] = '.';
            memcpy(out + o, digits + int_digits, n - int_digits);
            o += n - int_digits;
        }
    } else {
        out[o++] = '0';
        out[o++] = '.';
        for (int i = 0; i < -exp10 - 1; i++) out[o++] = '0';
        memcpy(out + o, digits, n);
        o += n;
    }
    return tml_str_new(out, (int64_t)o);
}

static TmlStr *special(double v) {
    if (isnan(v)) return tml_str_new("NaN", 3);
    if (isinf(v)) return v > 0 ? tml_str_new("inf", 3) : tml_str_new("-inf", 4);
    return signbit(v) ? tml_str_new("-0.0", 4) : tml_str_new("0.0", 3);
}

TmlStr *tml_str_from_f64(double v) {
    if (isnan(v) || isinf(v) || v == 0) return special(v);
    double a = fabs(v);
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int is_pow2 = (bits & ((1ull << 52) - 1)) == 0 && (bits >> 52) > 1;
    char digits[32];
    int exp10;
    shortest_digits(a, 0, is_pow2, digits, &exp10);
    return layout(v < 0, digits, exp10, a < 1e-4 || a >= 1e16);
}

TmlStr *tml_str_from_f32(float v) {
    if (isnan(v) || isinf(v) || v == 0) return special(v);
    float a = fabsf(v);
    uint32_t bits;
    memcpy(&bits, &a, sizeof bits);
    int is_pow2 = (bits & ((1u << 23) - 1)) == 0 && (bits >> 23) > 1;
    char digits[32];
    int exp10;
    shortest_digits(a, 1, is_pow2, digits, &exp10);
    /* the thresholds are compared as F32, as Rust does for f32 */
    return layout(v < 0, digits, exp10, a < 1e-4f || a >= 1e16f);
}
