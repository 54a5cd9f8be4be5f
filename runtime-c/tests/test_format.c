/* test_format.c — the format placeholder helpers of format.c (padding, radix, precision, truncation, Debug). */
#include "test_util.h"

static TmlStr *S(const char *c) { return tml_str_new(c, (int64_t)strlen(c)); }

/* pads a fresh Str and releases it */
static TmlStr *pad(const char *c, int32_t fill, int32_t align, int64_t width, int32_t flags) {
    TmlStr *s = S(c);
    TmlStr *r = tml_fmt_pad(s, fill, align, width, flags);
    tml_str_release(s);
    return r;
}

static TmlStr *trunc_(const char *c, int64_t n) {
    TmlStr *s = S(c);
    TmlStr *r = tml_fmt_truncate(s, n);
    tml_str_release(s);
    return r;
}

static TmlStr *debug(const char *c, int32_t quote) {
    TmlStr *s = S(c);
    TmlStr *r = tml_fmt_debug(s, quote);
    tml_str_release(s);
    return r;
}

static void test_pad(void) {
    CHECK_STR(pad("ab", ' ', TML_FMT_RIGHT, 5, 0), "   ab");
    CHECK_STR(pad("ab", ' ', TML_FMT_LEFT, 5, 0), "ab   ");
    CHECK_STR(pad("ab", '*', TML_FMT_CENTER, 5, 0), "*ab**"); /* the odd one goes after, as Rust */
    CHECK_STR(pad("abcdef", ' ', TML_FMT_RIGHT, 3, 0), "abcdef"); /* never truncates */
    CHECK_STR(pad("\xc3\xa9t\xc3\xa9", '-', TML_FMT_RIGHT, 5, 0), "--\xc3\xa9t\xc3\xa9"); /* characters, not bytes */
    CHECK_STR(pad("x", 0x2192, TML_FMT_LEFT, 3, 0), "x\xe2\x86\x92\xe2\x86\x92"); /* a multi-byte fill */
    CHECK_STR(pad("-5", ' ', TML_FMT_RIGHT, 5, TML_FMT_ZERO), "-0005");
    CHECK_STR(pad("5", ' ', TML_FMT_RIGHT, 5, TML_FMT_ZERO | TML_FMT_PLUS), "+0005");
    CHECK_STR(pad("5", ' ', TML_FMT_RIGHT, 0, TML_FMT_PLUS), "+5");
    CHECK_STR(pad("-5", ' ', TML_FMT_RIGHT, 0, TML_FMT_PLUS), "-5");
    CHECK_STR(pad("0xff", ' ', TML_FMT_RIGHT, 8, TML_FMT_ZERO | TML_FMT_ALT), "0x0000ff");
    CHECK_STR(pad("NaN", ' ', TML_FMT_RIGHT, 5, TML_FMT_ZERO | TML_FMT_PLUS), "  NaN");
    CHECK_STR(pad("", ' ', TML_FMT_LEFT, 2, 0), "  ");
}

static void test_radix(void) {
    CHECK_STR(tml_fmt_radix(255, 0, 16, 0, 0), "ff");
    CHECK_STR(tml_fmt_radix(255, 0, 16, 1, 1), "0xFF");
    CHECK_STR(tml_fmt_radix(5, 0, 2, 0, 1), "0b101");
    CHECK_STR(tml_fmt_radix(8, 0, 8, 0, 0), "10");
    CHECK_STR(tml_fmt_radix(0, 0, 2, 0, 0), "0");
    CHECK_STR(tml_fmt_radix(0xFF, 0, 16, 0, 0), "ff"); /* -1i8 after the compiler masks it to 8 bits */
    CHECK_STR(tml_fmt_radix(UINT64_MAX, UINT64_MAX, 16, 0, 0), "ffffffffffffffffffffffffffffffff");
}

static void test_float(void) {
    CHECK_STR(tml_fmt_float_prec(3.14159, 2), "3.14");
    CHECK_STR(tml_fmt_float_prec(2.5, 0), "2");   /* half to even */
    CHECK_STR(tml_fmt_float_prec(-1.0, 3), "-1.000");
    CHECK_STR(tml_fmt_float_prec(0.125, 2), "0.12");
    CHECK_STR(tml_fmt_float_prec(1.0 / 0.0, 2), "inf");
    CHECK_STR(tml_fmt_float_prec(0.0 / 0.0, 2), "NaN");
}

static void test_truncate_and_debug(void) {
    CHECK_STR(trunc_("hello", 3), "hel");
    CHECK_STR(trunc_("h\xc3\xa9llo", 2), "h\xc3\xa9");
    CHECK_STR(trunc_("hi", 5), "hi");
    CHECK_STR(trunc_("hi", 0), "");
    CHECK_STR(debug("a\"b\n\\'", '"'), "\"a\\\"b\\n\\\\'\"");
    CHECK_STR(debug("'", '\''), "'\\''");
    CHECK_STR(debug("\x1b\t\xc3\xa9", '"'), "\"\\u{1b}\\t\xc3\xa9\"");
}

static void test_concat(void) {
    TmlStr *a = S("a=");
    TmlStr *b = S("1");
    TmlStr *parts[] = {a, NULL, b, a};
    CHECK_STR(tml_fmt_concat(parts, 4), "a=1a=");
    CHECK_STR(tml_fmt_concat(parts, 0), "");
    tml_str_release(a);
    tml_str_release(b);
}

static void test_join(void) {
    TmlStr *a = S("a=");
    TmlJoin j = {0};
    tml_join_str(&j, a);
    tml_join_i64(&j, -9223372036854775807 - 1);
    tml_join_str(&j, NULL);
    tml_join_u64(&j, 18446744073709551615u);
    tml_join_str(&j, a);
    CHECK_STR(tml_join_finish(&j), "a=-922337203685477580818446744073709551615a=");
    TmlJoin empty = {0};
    CHECK_STR(tml_join_finish(&empty), "");
    tml_str_release(a);
}

int main(void) {
    test_join();
    test_pad();
    test_radix();
    test_float();
    test_truncate_and_debug();
    test_concat();
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);
    return tu_finish("test_format");
}
