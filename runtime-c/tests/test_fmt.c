/* test_fmt.c — integer and float formatting.
 *
 * float_cases.h was generated with a small Rust program printing `{:?}` of each value with its bit pattern; while
 * writing float_fmt.c it was also compared against Rust on ~1.2 million values (every power of two of F64 and F32,
 * 300,000 random bit patterns of each, 300,000 random short decimals) with no difference. */
#include "test_util.h"

#include <math.h>

#include "float_cases.h"

static void test_ints(void) {
    CHECK_STR(tml_str_from_i64(0), "0");
    CHECK_STR(tml_str_from_i64(7), "7");
    CHECK_STR(tml_str_from_i64(-1), "-1");
    CHECK_STR(tml_str_from_i64(1234567890), "1234567890");
    CHECK_STR(tml_str_from_i64(INT64_MAX), "9223372036854775807");
    CHECK_STR(tml_str_from_i64(INT64_MIN), "-9223372036854775808");
    CHECK_STR(tml_str_from_i64(-2147483648LL), "-2147483648");
    CHECK_STR(tml_str_from_u64(0), "0");
    CHECK_STR(tml_str_from_u64(UINT64_MAX), "18446744073709551615");
    CHECK_STR(tml_str_from_u64(10000000000000000000ull), "10000000000000000000");

    /* 128-bit: two's-complement halves (lo, hi) */
    CHECK_STR(tml_str_from_i128(0, 0), "0");
    CHECK_STR(tml_str_from_i128(42, 0), "42");
    CHECK_STR(tml_str_from_i128(UINT64_MAX, UINT64_MAX), "-1");
    CHECK_STR(tml_str_from_i128(0, 1), "18446744073709551616");
    CHECK_STR(tml_str_from_i128(UINT64_MAX, INT64_MAX), "170141183460469231731687303715884105727");
    CHECK_STR(tml_str_from_i128(0, (uint64_t)INT64_MIN), "-170141183460469231731687303715884105728");
    CHECK_STR(tml_str_from_i128((uint64_t)-5, UINT64_MAX), "-5");
    CHECK_STR(tml_str_from_u128(UINT64_MAX, UINT64_MAX), "340282366920938463463374607431768211455");
    CHECK_STR(tml_str_from_u128(UINT64_MAX, 0), "18446744073709551615");
    /* values around the 10^19 chunk boundary: inner chunks keep their leading zeros */
    unsigned __int128 e19 = 10000000000000000000ull;
    unsigned __int128 v = e19 * e19; /* 10^38 */
    CHECK_STR(tml_str_from_u128((uint64_t)v, (uint64_t)(v >> 64)), "100000000000000000000000000000000000000");
    v = e19 * 5 + 7;
    CHECK_STR(tml_str_from_u128((uint64_t)v, (uint64_t)(v >> 64)), "50000000000000000007");
    v = e19 * 3;
    CHECK_STR(tml_str_from_u128((uint64_t)v, (uint64_t)(v >> 64)), "30000000000000000000");
    v = e19 * e19 + 1;
    CHECK_STR(tml_str_from_u128((uint64_t)v, (uint64_t)(v >> 64)), "100000000000000000000000000000000000001");
}

static void test_float_examples(void) {
    /* the examples of LANGUAGE.md §3 and of the runtime brief */
    CHECK_STR(tml_str_from_f64(12.0), "12.0");
    CHECK_STR(tml_str_from_f64(0.1), "0.1");
    CHECK_STR(tml_str_from_f64(0.0001), "0.0001");
    CHECK_STR(tml_str_from_f64(3.5), "3.5");
    CHECK_STR(tml_str_from_f64(2.5e-7), "2.5e-7");
    CHECK_STR(tml_str_from_f64(1e16), "1e16");
    CHECK_STR(tml_str_from_f64(1.5e16), "1.5e16");
    CHECK_STR(tml_str_from_f64(1e-5), "1e-5");
    CHECK_STR(tml_str_from_f64(1e21), "1e21");
    CHECK_STR(tml_str_from_f64(0.1 + 0.2), "0.30000000000000004");
    CHECK_STR(tml_str_from_f64(100000000000000000.0), "1e17");
    CHECK_STR(tml_str_from_f64(NAN), "NaN");
    CHECK_STR(tml_str_from_f64(-NAN), "NaN");
    CHECK_STR(tml_str_from_f64(INFINITY), "inf");
    CHECK_STR(tml_str_from_f64(-INFINITY), "-inf");
    CHECK_STR(tml_str_from_f64(-0.0), "-0.0");
    CHECK_STR(tml_str_from_f64(0.0), "0.0");
    CHECK_STR(tml_str_from_f64(-42.0), "-42.0");
    CHECK_STR(tml_str_from_f64(9999999999999998.0), "9999999999999998.0");
    CHECK_STR(tml_str_from_f32(0.1f), "0.1");
    CHECK_STR(tml_str_from_f32(1.0f / 3.0f), "0.33333334");
    CHECK_STR(tml_str_from_f32(16777216.0f), "16777216.0");
    CHECK_STR(tml_str_from_f32(1e16f), "1e16");
    CHECK_STR(tml_str_from_f32(-0.0f), "-0.0");
    CHECK_STR(tml_str_from_f32(NAN), "NaN");
}

static void test_float_table(void) {
    for (size_t i = 0; i < sizeof f64_cases / sizeof *f64_cases; i++) {
        double x;
        memcpy(&x, &f64_cases[i].bits, sizeof x);
        TmlStr *s = tml_str_from_f64(x);
        tu_checks++;
        if (strcmp(s->bytes, f64_cases[i].want) != 0) {
            fprintf(stderr, "f64 %016llx: got %s, want %s\n", (unsigned long long)f64_cases[i].bits, s->bytes,
                    f64_cases[i].want);
            tu_failures++;
        }
        tml_str_release(s);
    }
    for (size_t i = 0; i < sizeof f32_cases / sizeof *f32_cases; i++) {
        float x;
        memcpy(&x, &f32_cases[i].bits, sizeof x);
        TmlStr *s = tml_str_from_f32(x);
        tu_checks++;
        if (strcmp(s->bytes, f32_cases[i].want) != 0) {
            fprintf(stderr, "f32 %08x: got %s, want %s\n", (unsigned)f32_cases[i].bits, s->bytes, f32_cases[i].want);
            tu_failures++;
        }
        tml_str_release(s);
    }
}

/* Round trip: what we print parses back (with tml_str_parse_f64) to the same value. */
static void test_float_round_trip(void) {
    uint64_t state = 88172645463325252ull;
    for (int i = 0; i < 20000; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        double x;
        memcpy(&x, &state, sizeof x);
        if (!isfinite(x)) continue;
        TmlStr *s = tml_str_from_f64(x);
        double back = 0;
        tu_checks++;
        if (!tml_str_parse_f64(s, &back) || back != x) {
            fprintf(stderr, "round trip of %a failed: %s\n", x, s->bytes);
            tu_failures++;
        }
        tml_str_release(s);
    }
}

int main(void) {
    test_ints();
    test_float_examples();
    test_float_table();
    test_float_round_trip();
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);
    return tu_finish("test_fmt");
}
