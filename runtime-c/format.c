/* format.c — the run-time half of format placeholders (`{:>8}`, `{:08.3}`, `{:#x}`, `{:?}`; issue 11).
 *
 * The compiler parses every format string when it compiles (compiler/src/sema/format_string.ts); a placeholder
 * becomes a call to these helpers on the argument's Display string (or its value, for radix and precision), and
 * the pieces are joined by tml_fmt_concat. Nothing here parses a format string. Every function borrows its Str
 * arguments and returns a new (owned) Str. Widths count characters (UTF-8 code points), not bytes. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A growable byte buffer, turned into a Str at the end. */
typedef struct Buf {
    char *p;
    size_t len, cap;
} Buf;

static void buf_reserve(Buf *b, size_t extra) {
    if (b->len + extra <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) tml_rt_out_of_memory((int64_t)cap);
    b->p = p;
    b->cap = cap;
}

static void buf_put(Buf *b, const char *s, size_t n) {
    if (n == 0) return;
    buf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void buf_char(Buf *b, int32_t c) {
    char u[4];
    size_t n;
    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (c >> 18));
        u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    buf_put(b, u, n);
}

static void buf_repeat(Buf *b, int32_t c, int64_t n) {
    for (int64_t i = 0; i < n; i++) buf_char(b, c);
}

static TmlStr *buf_finish(Buf *b) {
    TmlStr *s = tml_str_new(b->p, (int64_t)b->len);
    free(b->p);
    return s;
}

/* Characters (code points) in n bytes of UTF-8: every byte that is not a continuation byte starts one. */
static int64_t char_count(const char *p, int64_t n) {
    int64_t c = 0;
    for (int64_t i = 0; i < n; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80) c++;
    return c;
}

TmlStr *tml_fmt_concat(TmlStr **parts, int64_t n) {
    int64_t len = 0;
    for (int64_t i = 0; i < n; i++)
        if (parts[i]) len += parts[i]->len;
    Buf b = {0};
    buf_reserve(&b, (size_t)len + 1);
    for (int64_t i = 0; i < n; i++)
        if (parts[i]) buf_put(&b, parts[i]->bytes, (size_t)parts[i]->len);
    return buf_finish(&b);
}

/* Joins (compiler/src/mir/lower_str_join.ts): an interpolation or a Str `+` chain of three or more pieces pushes
 * each piece into a zeroed TmlJoin on the caller's stack (one call per piece, integers without a Str of their own)
 * and finishes it into one new Str. */
_Static_assert(sizeof(TmlJoin) == sizeof(Buf), "TmlJoin is a Buf");

void tml_join_str(TmlJoin *j, TmlStr *s) {
    if (s) buf_put((Buf *)j, s->bytes, (size_t)s->len);
}

void tml_join_i64(TmlJoin *j, int64_t v) {
    char t[24];
    int n = snprintf(t, sizeof t, "%" PRId64, v);
    buf_put((Buf *)j, t, (size_t)n);
}

void tml_join_u64(TmlJoin *j, uint64_t v) {
    char t[24];
    int n = snprintf(t, sizeof t, "%" PRIu64, v);
    buf_put((Buf *)j, t, (size_t)n);
}

TmlStr *tml_join_finish(TmlJoin *j) {
    Buf *b = (Buf *)j;
    if (!b->p) return tml_str_new("", 0);
    return buf_finish(b);
}

TmlStr *tml_fmt_pad(TmlStr *s, int32_t fill, int32_t align, int64_t width, int32_t flags) {
    const char *p = s->bytes;
    int64_t n = s->len;
    Buf b = {0};
    /* `+`: a sign on numbers that have none (not on NaN, as Rust) */
    int plus = (flags & TML_FMT_PLUS) && !(n > 0 && p[0] == '-') && !(n == 3 && memcmp(p, "NaN", 3) == 0);
    int64_t chars = char_count(p, n) + plus;
    int64_t pad = width > chars ? width - chars : 0;
    if ((flags & TML_FMT_ZERO) && !(n == 3 && memcmp(p, "NaN", 3) == 0) && !(n >= 3 && memcmp(p + (p[0] == '-'), "inf", 3) == 0)) {
        /* sign-aware: sign, then the 0x/0b/0o prefix, then the zeros, then the digits; fill and align do not apply */
        int64_t head = 0;
        if (plus) buf_put(&b, "+", 1);
        else if (n > 0 && (p[0] == '-' || p[0] == '+')) head = 1;
        if ((flags & TML_FMT_ALT) && n - head >= 2 && p[head] == '0' && p[head + 1] && strchr("xbo", p[head + 1])) head += 2;
        buf_put(&b, p, (size_t)head);
        buf_repeat(&b, '0', pad);
        buf_put(&b, p + head, (size_t)(n - head));
        return buf_finish(&b);
    }
    int64_t before = align == TML_FMT_RIGHT ? pad : align == TML_FMT_CENTER ? pad / 2 : 0;
    buf_repeat(&b, fill, before);
    if (plus) buf_put(&b, "+", 1);
    buf_put(&b, p, (size_t)n);
    buf_repeat(&b, fill, pad - before);
    return buf_finish(&b);
}

TmlStr *tml_fmt_radix(uint64_t lo, uint64_t hi, int32_t radix, int32_t upper, int32_t alt) {
    unsigned __int128 v = ((unsigned __int128)hi << 64) | lo;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[130];
    int n = 0;
    do {
        tmp[n++] = digits[(unsigned)(v % (unsigned)radix)];
        v /= (unsigned)radix;
    } while (v != 0);
    Buf b = {0};
    if (alt) buf_put(&b, radix == 16 ? "0x" : radix == 2 ? "0b" : "0o", 2);
    while (n > 0) buf_put(&b, &tmp[--n], 1);
    return buf_finish(&b);
}

TmlStr *tml_fmt_float_prec(double v, int64_t precision) {
    if (isnan(v)) return tml_str_new("NaN", 3);
    if (isinf(v)) return v < 0 ? tml_str_new("-inf", 4) : tml_str_new("inf", 3);
    /* printf rounds the exact binary value half-to-even, as Rust's `{:.N}` does */
    int n = snprintf(NULL, 0, "%.*f", (int)precision, v);
    char *s = malloc((size_t)n + 1);
    if (!s) tml_rt_out_of_memory(n + 1);
    snprintf(s, (size_t)n + 1, "%.*f", (int)precision, v);
    TmlStr *r = tml_str_new(s, n);
    free(s);
    return r;
}

TmlStr *tml_fmt_truncate(TmlStr *s, int64_t chars) {
    int64_t i = 0, c = 0;
    while (i < s->len) {
        if (((unsigned char)s->bytes[i] & 0xC0) != 0x80) {
            if (c == chars) break;
            c++;
        }
        i++;
    }
    return tml_str_new(s->bytes, i);
}

/* Decodes one code point of valid UTF-8 at p (Str contents are always valid); *len gets its byte count. */
static int32_t decode(const unsigned char *p, int *len) {
    if (p[0] < 0x80) {
        *len = 1;
        return p[0];
    }
    if (p[0] < 0xE0) {
        *len = 2;
        return ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    }
    if (p[0] < 0xF0) {
        *len = 3;
        return ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    *len = 4;
    return ((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

TmlStr *tml_fmt_debug(TmlStr *s, int32_t quote) {
    Buf b = {0};
    buf_char(&b, quote);
    for (int64_t i = 0; i < s->len;) {
        int len;
        int32_t c = decode((const unsigned char *)s->bytes + i, &len);
        switch (c) {
        case '\n': buf_put(&b, "\\n", 2); break;
        case '\r': buf_put(&b, "\\r", 2); break;
        case '\t': buf_put(&b, "\\t", 2); break;
        case '\\': buf_put(&b, "\\\\", 2); break;
        case '\0': buf_put(&b, "\\0", 2); break;
        default:
            if (c == quote) {
                buf_put(&b, "\\", 1);
                buf_char(&b, c);
            } else if (c < 0x20 || c == 0x7F) {
                char esc[16];
                int n = snprintf(esc, sizeof esc, "\\u{%" PRIx32 "}", (uint32_t)c);
                buf_put(&b, esc, (size_t)n);
            } else {
                buf_put(&b, s->bytes + i, (size_t)len);
            }
        }
        i += len;
    }
    buf_char(&b, quote);
    return buf_finish(&b);
}
