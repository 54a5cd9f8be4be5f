/* test_str.c — Str operations, printing, panics and the process functions of essential.c. */
#include "test_util.h"

#include <fcntl.h>
#include <math.h>

static const TmlLoc loc_t = {"t.tml", 3, 7};

/* ---- refcounts ---- */

static void test_static_literals(void) {
    TU_LIT(lit, "hello"); /* in read-only memory: any write would crash */
    for (int i = 0; i < 1000; i++) tml_str_retain(lit);
    for (int i = 0; i < 2000; i++) tml_str_release(lit);
    CHECK(lit->rc == TML_RC_STATIC);
    CHECK_EQ_I64(tml_str_len(lit), 5);
    TU_LIT(empty, "");
    TmlStr *same = tml_str_concat(lit, empty); /* concat with "" gives back the other operand, retained */
    CHECK(same == lit);
    tml_str_release(same);
    CHECK(lit->rc == TML_RC_STATIC);
    CHECK_EQ_I64(tml_rc_release(lit), 0);
}

static void test_dynamic_refcount(void) {
    TmlStr *s = tu_str("abc");
    CHECK_EQ_I64(s->rc, 1);
    tml_str_retain(s);
    CHECK_EQ_I64(s->rc, 2);
    tml_str_release(s);
    CHECK_EQ_I64(s->rc, 1);
    tml_str_release(s);
    tml_str_release(NULL); /* tolerated */
}

/* ---- basics ---- */

static void test_basics(void) {
    TU_LIT(abc, "abc");
    TU_LIT(def, "def");
    TU_LIT(b, "b");
    TU_LIT(a, "a");
    CHECK_STR(tml_str_concat(abc, def), "abcdef");
    TmlStr *c = tml_str_concat(abc, def);
    TmlStr *c2 = tu_str("abcdef");
    CHECK(tml_str_eq(c, c2));
    CHECK(!tml_str_eq(c, abc));
    CHECK_EQ_I64(tml_str_cmp(c, c2), 0);
    CHECK_EQ_I64(tml_str_cmp(b, a), 1);
    CHECK_EQ_I64(tml_str_cmp(a, b), -1);
    CHECK_EQ_I64(tml_str_cmp(abc, c), -1); /* prefix sorts first */
    CHECK_EQ_I64(tml_str_cmp(c, abc), 1);
    CHECK_EQ_I64(tml_str_len(c), 6);
    CHECK(c->bytes[6] == '\0');
    TU_LIT(empty, "");
    CHECK_EQ_I64(tml_str_hash(empty), (int64_t)0xcbf29ce484222325ull);
    CHECK_EQ_I64(tml_str_hash(a), (int64_t)0xaf63dc4c8601ec8cull);
    CHECK_EQ_I64(tml_str_hash(c), tml_str_hash(c2));
    tml_str_release(c);
    tml_str_release(c2);
    TmlStr *n = tml_str_new("x\0y", 3); /* embedded NUL is kept */
    CHECK_EQ_I64(n->len, 3);
    CHECK(n->bytes[2] == 'y');
    tml_str_release(n);
    CHECK_STR(tml_str_new(NULL, 0), "");
}

/* ---- slicing and characters ---- */

static void test_slice_ok(void) {
    TmlStr *s = tu_str("h\xC3\xA9llo"); /* "héllo": é is 2 bytes, len 6 */
    CHECK_STR(tml_str_slice(s, 0, 1, &loc_t), "h");
    CHECK_STR(tml_str_slice(s, 1, 3, &loc_t), "\xC3\xA9");
    CHECK_STR(tml_str_slice(s, 3, 6, &loc_t), "llo");
    CHECK_STR(tml_str_slice(s, 6, 6, &loc_t), "");
    TmlStr *whole = tml_str_slice(s, 0, 6, &loc_t);
    CHECK(whole == s);
    tml_str_release(whole);
    tml_str_release(s);
}

struct slice_args {
    const char *text;
    int64_t a, b;
};

static void child_slice(void *p) {
    struct slice_args *x = p;
    TmlStr *s = tu_str(x->text);
    tml_print(s, 0); /* must be flushed before the panic */
    tml_str_slice(s, x->a, x->b, &loc_t);
}

static void check_slice_panic(const char *text, int64_t a, int64_t b, const char *want_err) {
    struct slice_args x = {text, a, b};
    TuChild *c = tu_run_child(child_slice, &x);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, want_err);
    CHECK_EQ_CSTR(c->out, text);
}

static void test_slice_errors(void) {
    /* in range but inside "é" (bytes 1..3): a boundary error, naming the offending offset */
    check_slice_panic("h\xC3\xA9llo", 2, 3,
                      "panic at t.tml:3:7: byte index 2 is not on a character boundary of a string of 6 bytes\n");
    check_slice_panic("h\xC3\xA9llo", 1, 2,
                      "panic at t.tml:3:7: byte index 2 is not on a character boundary of a string of 6 bytes\n");
    check_slice_panic("h\xC3\xA9llo", 0, 2,
                      "panic at t.tml:3:7: byte index 2 is not on a character boundary of a string of 6 bytes\n");
    check_slice_panic("h\xC3\xA9llo", 2, 6,
                      "panic at t.tml:3:7: byte index 2 is not on a character boundary of a string of 6 bytes\n");
    /* out of range wins over a boundary problem */
    check_slice_panic("h\xC3\xA9llo", 2, 7,
                      "panic at t.tml:3:7: byte index 2..7 is out of range for a string of length 6\n");
    check_slice_panic("abc", 2, 1, "panic at t.tml:3:7: byte index 2..1 is out of range for a string of length 3\n");
    check_slice_panic("abc", 1, 4, "panic at t.tml:3:7: byte index 1..4 is out of range for a string of length 3\n");
    check_slice_panic("abc", -1, 2,
                      "panic at t.tml:3:7: byte index -1..2 is out of range for a string of length 3\n");
}

static void child_char_at(void *p) {
    TmlStr *s = tu_str("h\xC3\xA9");
    tml_str_char_at(s, *(int64_t *)p, &loc_t);
}

static void test_char_at(void) {
    TmlStr *s = tu_str("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"); /* a é € 😀 */
    CHECK_EQ_I64(tml_str_char_at(s, 0, &loc_t), 'a');
    CHECK_EQ_I64(tml_str_char_at(s, 1, &loc_t), 0xE9);
    CHECK_EQ_I64(tml_str_char_at(s, 3, &loc_t), 0x20AC);
    CHECK_EQ_I64(tml_str_char_at(s, 6, &loc_t), 0x1F600);
    tml_str_release(s);
    TmlStr *bad = tu_str("\xFF\xC3"); /* malformed bytes decode as U+FFFD */
    CHECK_EQ_I64(tml_str_char_at(bad, 0, &loc_t), 0xFFFD);
    CHECK_EQ_I64(tml_str_char_at(bad, 1, &loc_t), 0xFFFD);
    tml_str_release(bad);

    int64_t i = 3;
    TuChild *c = tu_run_child(child_char_at, &i);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "panic at t.tml:3:7: index out of bounds: the len is 3 but the index is 3\n");
    i = -1;
    c = tu_run_child(child_char_at, &i);
    CHECK_EQ_CSTR(c->err, "panic at t.tml:3:7: index out of bounds: the len is 3 but the index is -1\n");
    i = 2;
    c = tu_run_child(child_char_at, &i);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "panic at t.tml:3:7: byte index 2 is not on a character boundary of a string of 3 bytes\n");
}

/* ---- searching and transformations ---- */

static void test_search(void) {
    TU_LIT(s, "hello world");
    TU_LIT(o, "o");
    TU_LIT(wor, "wor");
    TU_LIT(he, "he");
    TU_LIT(ld, "ld");
    TU_LIT(xyz, "xyz");
    TU_LIT(empty, "");
    TU_LIT(longer, "hello world!");
    CHECK_EQ_I64(tml_str_find(s, o), 4);
    CHECK_EQ_I64(tml_str_find(s, wor), 6);
    CHECK_EQ_I64(tml_str_find(s, xyz), -1);
    CHECK_EQ_I64(tml_str_find(s, empty), 0);
    CHECK_EQ_I64(tml_str_find(empty, o), -1);
    CHECK(tml_str_contains(s, wor));
    CHECK(!tml_str_contains(s, xyz));
    CHECK(tml_str_contains(s, empty));
    CHECK(tml_str_starts_with(s, he));
    CHECK(!tml_str_starts_with(s, ld));
    CHECK(tml_str_ends_with(s, ld));
    CHECK(!tml_str_ends_with(s, he));
    CHECK(tml_str_starts_with(s, empty) && tml_str_ends_with(s, empty));
    CHECK(!tml_str_starts_with(s, longer) && !tml_str_ends_with(s, longer));
}

static void test_transform(void) {
    TU_LIT(padded, " \t\n trim me \r\n\v\f");
    TU_LIT(blank, "   ");
    TU_LIT(clean, "x");
    TU_LIT(mixed, "Hello, W\xC3\xB6rld 42");
    CHECK_STR(tml_str_trim(padded), "trim me");
    CHECK_STR(tml_str_trim(blank), "");
    TmlStr *t = tml_str_trim(clean);
    CHECK(t == clean);
    tml_str_release(t);
    CHECK_STR(tml_str_to_upper(mixed), "HELLO, W\xC3\xB6RLD 42"); /* ASCII only */
    CHECK_STR(tml_str_to_lower(mixed), "hello, w\xC3\xB6rld 42");
    TU_LIT(ab, "ab");
    CHECK_STR(tml_str_repeat(ab, 3), "ababab");
    CHECK_STR(tml_str_repeat(ab, 1), "ab");
    CHECK_STR(tml_str_repeat(ab, 0), "");
    CHECK_STR(tml_str_repeat(ab, -2), "");
}

/* ---- split ---- */

static const TmlAllocSite split_site = {{"t.tml", 9, 1}, "List[Str] buffer"};

static void check_split(const char *text, const char *sep, int64_t want_n, const char *const *want) {
    TmlStr *s = tu_str(text), *p = tu_str(sep), **fields = NULL;
    int64_t n = tml_str_split(s, p, &fields, &split_site);
    CHECK_EQ_I64(n, want_n);
    for (int64_t i = 0; i < n; i++) {
        if (i < want_n) CHECK_STR(fields[i], want[i]);
        else tml_str_release(fields[i]);
    }
    tml_free(fields, &loc_t);
    tml_str_release(s);
    tml_str_release(p);
}

static void test_split(void) {
    check_split("a,,b", ",", 3, (const char *const[]){"a", "", "b"});
    check_split("a,b,c", ",", 3, (const char *const[]){"a", "b", "c"});
    check_split("", ",", 1, (const char *const[]){""});
    check_split(",", ",", 2, (const char *const[]){"", ""});
    check_split(",a,", ",", 3, (const char *const[]){"", "a", ""});
    check_split("no separator", ",", 1, (const char *const[]){"no separator"});
    check_split("a::b::", "::", 3, (const char *const[]){"a", "b", ""});
    check_split("aaa", "aa", 2, (const char *const[]){"", "a"});
    check_split("x\xC3\xA9y", "\xC3\xA9", 2, (const char *const[]){"x", "y"});
    check_split("a\xC3\xA9", "", 4, (const char *const[]){"", "a", "\xC3\xA9", ""});
    check_split("", "", 2, (const char *const[]){"", ""});
}

/* ---- parsing ---- */

static void check_i64(const char *text, int ok, int64_t want) {
    TmlStr *s = tu_str(text);
    int64_t v = 12345;
    int32_t r = tml_str_parse_i64(s, &v);
    if (r != ok || (ok && v != want)) {
        fprintf(stderr, "parse_i64(\"%s\") = %d, %lld\n", text, r, (long long)v);
        tu_failures++;
    }
    tu_checks++;
    tml_str_release(s);
}

static void check_f64(const char *text, int ok, double want) {
    TmlStr *s = tu_str(text);
    double v = 0;
    int32_t r = tml_str_parse_f64(s, &v);
    int same = isnan(want) ? isnan(v) : (v == want && signbit(v) == signbit(want));
    if (r != ok || (ok && !same)) {
        fprintf(stderr, "parse_f64(\"%s\") = %d, %.17g\n", text, r, v);
        tu_failures++;
    }
    tu_checks++;
    tml_str_release(s);
}

static void test_parse(void) {
    check_i64("42", 1, 42);
    check_i64("-7", 1, -7);
    check_i64("+5", 1, 5);
    check_i64("0", 1, 0);
    check_i64("007", 1, 7);
    check_i64("9223372036854775807", 1, INT64_MAX);
    check_i64("-9223372036854775808", 1, INT64_MIN);
    check_i64("9223372036854775808", 0, 0);
    check_i64("-9223372036854775809", 0, 0);
    check_i64("99999999999999999999", 0, 0);
    check_i64("", 0, 0);
    check_i64("-", 0, 0);
    check_i64("+", 0, 0);
    check_i64("12a", 0, 0);
    check_i64(" 1", 0, 0);
    check_i64("1 ", 0, 0);
    check_i64("1_000", 0, 0);
    check_i64("0x10", 0, 0);

    check_f64("3.14", 1, 3.14);
    check_f64("-2.5", 1, -2.5);
    check_f64("+2", 1, 2.0);
    check_f64("1e5", 1, 1e5);
    check_f64("1E-3", 1, 1e-3);
    check_f64("2.5e+10", 1, 2.5e10);
    check_f64(".5", 1, 0.5);
    check_f64("5.", 1, 5.0);
    check_f64("-0", 1, -0.0);
    check_f64("0.30000000000000004", 1, 0.30000000000000004);
    check_f64("inf", 1, INFINITY);
    check_f64("-inf", 1, -INFINITY);
    check_f64("Infinity", 1, INFINITY);
    check_f64("NaN", 1, NAN);
    check_f64("nan", 1, NAN);
    check_f64("1e400", 1, INFINITY);
    check_f64("", 0, 0);
    check_f64(".", 0, 0);
    check_f64("-", 0, 0);
    check_f64("e5", 0, 0);
    check_f64("1e", 0, 0);
    check_f64("1e+", 0, 0);
    check_f64(" 1", 0, 0);
    check_f64("1 ", 0, 0);
    check_f64("0x1p3", 0, 0);
    check_f64("1.2.3", 0, 0);
    check_f64("infinit", 0, 0);
    check_f64("nan(1)", 0, 0);
}

/* ---- formatting helpers ---- */

static void test_format(void) {
    TU_LIT(fmt, "a={} b={}!");
    TmlStr *args[2] = {tu_str("1"), tu_str("two")};
    CHECK_STR(tml_format(fmt, args, 2), "a=1 b=two!");
    CHECK_STR(tml_format(fmt, args, 1), "a=1 b={}!"); /* missing args leave the placeholder */
    CHECK_STR(tml_format(fmt, args, 0), "a={} b={}!");
    TU_LIT(braces, "{{}} {");
    CHECK_STR(tml_format(braces, args, 2), "{1} {"); /* "{{" and "}}" are not escapes */
    TU_LIT(plain, "none");
    CHECK_STR(tml_format(plain, args, 2), "none");
    TmlStr *with_null[1] = {NULL};
    TU_LIT(one, "[{}]");
    CHECK_STR(tml_format(one, with_null, 1), "[]");
    tml_str_release(args[0]);
    tml_str_release(args[1]);

    CHECK_STR(tml_str_from_bool(1), "true");
    CHECK_STR(tml_str_from_bool(0), "false");
    CHECK_STR(tml_str_from_char('A'), "A");
    CHECK_STR(tml_str_from_char(0xE9), "\xC3\xA9");
    CHECK_STR(tml_str_from_char(0x20AC), "\xE2\x82\xAC");
    CHECK_STR(tml_str_from_char(0x1F600), "\xF0\x9F\x98\x80");
    CHECK_STR(tml_str_from_char(0xD800), "\xEF\xBF\xBD");
    CHECK_STR(tml_str_from_char(0x110000), "\xEF\xBF\xBD");
}

/* ---- printing ---- */

static void child_print_order(void *unused) {
    (void)unused;
    TU_LIT(out1, "out1");
    TU_LIT(err1, "err1");
    TU_LIT(tail, "tail");
    tml_println(out1, 0);
    tml_println(err1, 1); /* stdout is flushed first */
    tml_print(tail, 0);
    tml_println(NULL, 0);
    tml_print(tail, 1);
    tml_println(NULL, 1);
    tml_print(out1, 0); /* no newline: still delivered at exit */
    exit(tml_runtime_exit(0));
}

static void child_big_print(void *unused) {
    (void)unused;
    TU_LIT(x, "x");
    TmlStr *big = tml_str_repeat(x, 100000);
    tml_println(big, 0);
    tml_str_release(big);
    for (int i = 0; i < 20000; i++) tml_print(x, 0);
    tml_exit(0);
}

static void test_printing(void) {
    TuChild *c = tu_run_child_ex(child_print_order, NULL, 1, NULL);
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_CSTR(c->out, "out1\nerr1\ntail\ntail\nout1");
    c = tu_run_child(child_big_print, NULL);
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_I64(c->out_total, 100000 + 1 + 20000);
    CHECK_EQ_I64(strspn(c->out, "x"), sizeof c->out - 1);
}

/* ---- panics ---- */

static void child_panic(void *p) {
    int which = *(int *)p;
    TU_LIT(out, "partial output");
    tml_print(out, 0);
    TU_LIT(msg, "boom");
    TU_LIT(m, "math is broken");
    TU_LIT(l, "4");
    TU_LIT(r, "5");
    switch (which) {
    case 0: tml_panic(&loc_t, msg);
    case 1: tml_panic_cstr(&loc_t, "called unwrap on Nothing");
    case 2: tml_panic_bounds(&loc_t, 3, 5);
    case 3: tml_panic_overflow(&loc_t, "add");
    case 4: tml_panic_overflow(&loc_t, "shift left");
    case 5: tml_assert_failed(&loc_t, NULL);
    case 6: tml_assert_failed(&loc_t, m);
    case 7: tml_assert_cmp_failed(&loc_t, m, l, r, "==");
    case 8: tml_assert_cmp_failed(&loc_t, NULL, l, r, "==");
    case 9: tml_assert_cmp_failed(&loc_t, m, l, l, "!=");
    case 10: tml_panic_cstr(NULL, "no location");
    default: tml_exit(7);
    }
}

static void test_panics(void) {
    static const char *want[] = {
        "panic at t.tml:3:7: boom\n",
        "panic at t.tml:3:7: called unwrap on Nothing\n",
        "panic at t.tml:3:7: index out of bounds: the len is 3 but the index is 5\n",
        "panic at t.tml:3:7: attempt to add with overflow\n",
        "panic at t.tml:3:7: attempt to shift left with overflow\n",
        "panic at t.tml:3:7: assertion failed\n",
        "panic at t.tml:3:7: assertion failed: math is broken\n",
        "panic at t.tml:3:7: assertion failed: math is broken: left: 4, right: 5\n",
        "panic at t.tml:3:7: assertion failed: left: 4, right: 5\n",
        "panic at t.tml:3:7: assertion failed: math is broken: left != right: left: 4, right: 4\n",
        "panic at <unknown>: no location\n",
    };
    for (int i = 0; i < (int)(sizeof want / sizeof *want); i++) {
        TuChild *c = tu_run_child(child_panic, &i);
        CHECK_EQ_I64(c->status, 101);
        CHECK_EQ_CSTR(c->err, want[i]);
        CHECK_EQ_CSTR(c->out, "partial output");
    }
    int exit_case = 99;
    TuChild *c = tu_run_child(child_panic, &exit_case);
    CHECK_EQ_I64(c->status, 7);
    CHECK_EQ_CSTR(c->out, "partial output");
    CHECK_EQ_CSTR(c->err, "");
}

/* ---- process: args, env, files, stdin, clock ---- */

static void test_args_env(void) {
    char *argv[] = {"prog", "first", "s\xC3\xA9" "cond", NULL};
    tml_runtime_init(3, argv, 1);
    CHECK_EQ_I64(tml_args_count(), 2);
    CHECK_STR(tml_args_get(0), "first");
    CHECK_STR(tml_args_get(1), "s\xC3\xA9" "cond");
    CHECK_STR(tml_args_get(2), "");
    CHECK_STR(tml_args_get(-1), "");

    setenv("TML_TEST_VAR", "value 1", 1);
    TU_LIT(name, "TML_TEST_VAR");
    TU_LIT(missing, "TML_TEST_SURELY_UNSET");
    TmlStr *v = NULL;
    CHECK_EQ_I64(tml_env_get(name, &v), 1);
    if (v) CHECK_STR(v, "value 1");
    CHECK_EQ_I64(tml_env_get(missing, &v), 0);

    int64_t t0 = tml_clock_ns(), t1 = tml_clock_ns();
    CHECK(t0 > 0 && t1 >= t0);
}

static void test_files(void) {
    char path[] = "/tmp/tml_test_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    TmlStr *p = tu_str(path), *err = NULL, *got = NULL;
    TmlStr *text = tml_str_new("line 1\nline 2\n\0bin", 18);
    CHECK_EQ_I64(tml_write_file(p, text, &err), 1);
    CHECK(err == NULL);
    CHECK_EQ_I64(tml_read_file(p, &got), 1);
    if (got) {
        CHECK(tml_str_eq(got, text));
        tml_str_release(got);
    }
    unlink(path);
    tml_str_release(text);
    tml_str_release(p);

    TU_LIT(missing, "/nonexistent-dir/x.txt");
    CHECK_EQ_I64(tml_read_file(missing, &got), 0);
    CHECK_STR(got, "/nonexistent-dir/x.txt: No such file or directory");
    TU_LIT(small, "x");
    CHECK_EQ_I64(tml_write_file(missing, small, &err), 0);
    CHECK_STR(err, "/nonexistent-dir/x.txt: No such file or directory");
    TU_LIT(dir, "/tmp");
    CHECK_EQ_I64(tml_read_file(dir, &got), 0);
    CHECK_STR(got, "/tmp: Is a directory");
}

static void child_read_lines(void *unused) {
    (void)unused;
    TmlStr *line;
    TU_LIT(bar, "|");
    while (tml_read_line(&line)) {
        tml_print(line, 0);
        tml_print(bar, 0);
        tml_str_release(line);
    }
    tml_exit(0);
}

static void test_read_line(void) {
    TuChild *c = tu_run_child_ex(child_read_lines, NULL, 0, "l1\nl2\r\n\n\xC3\xA9 last");
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_CSTR(c->out, "l1|l2||\xC3\xA9 last|");
    c = tu_run_child_ex(child_read_lines, NULL, 0, "");
    CHECK_EQ_CSTR(c->out, "");
    c = tu_run_child_ex(child_read_lines, NULL, 0, "only\n");
    CHECK_EQ_CSTR(c->out, "only|");
}

int main(void) {
    test_static_literals();
    test_dynamic_refcount();
    test_basics();
    test_slice_ok();
    test_slice_errors();
    test_char_at();
    test_search();
    test_transform();
    test_split();
    test_parse();
    test_format();
    test_printing();
    test_panics();
    test_args_env();
    test_files();
    test_read_line();
    /* every Str made above was released: in tracked builds nothing may be live */
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);
    CHECK_EQ_I64(tml_runtime_exit(0), 0);
    return tu_finish("test_str");
}
