/* essential.c — Str, formatting, printing, panics and the process hooks (TOOLCHAIN.md §4, LANGUAGE.md §3, §6).
 * Floats are formatted in float_fmt.c; allocation and refcount primitives live in mem.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "mem_track.h"
#include "tml_async.h"
#include "tml_runtime.h"

/* ======================================================================================================
 * Static strings: same layout as TmlStr, refcount TML_RC_STATIC, so retain/release never touch them.
 * ====================================================================================================== */

#define STATIC_STR(name, text)                                                                                 \
    static const struct {                                                                                      \
        int64_t rc, len;                                                                                       \
        char bytes[sizeof(text)];                                                                              \
    } name##_lit = {TML_RC_STATIC, sizeof(text) - 1, text};                                                     \
    static TmlStr *const name = (TmlStr *)&name##_lit;

STATIC_STR(str_empty, "")
STATIC_STR(str_true, "true")
STATIC_STR(str_false, "false")

const TmlLoc tml_rt_runtime_loc = {"<runtime>", 0, 0};
/* Every Str the runtime allocates is attributed to this site in the leak report. */
static const TmlAllocSite str_site = {{"<runtime>", 0, 0}, "Str"};

/* The TML source site of the runtime call in progress (debug builds set it before every call that makes strings),
 * so a leaked string names the line that made it. Thread-local: tasks make strings concurrently. */
static _Thread_local const TmlAllocSite *current_site;

void tml_here(const TmlAllocSite *site) { current_site = site; }

/* ======================================================================================================
 * Low-level output: stdout is our own buffer (line-buffered on a terminal, block-buffered otherwise); stderr is
 * unbuffered and always preceded by a flush of stdout.
 * ====================================================================================================== */

#define OUT_CAP 8192
static char out_buf[OUT_CAP];
static size_t out_len;
static int out_line_buffered;
static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t out_once = PTHREAD_ONCE_INIT;

static void write_fd_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return; /* nothing sensible to do: the reader is gone */
        p += w;
        n -= (size_t)w;
    }
}

static void flush_locked(void) {
    write_fd_all(1, out_buf, out_len);
    out_len = 0;
}

void tml_rt_flush_stdout(void) {
    pthread_mutex_lock(&out_mu);
    flush_locked();
    pthread_mutex_unlock(&out_mu);
}

void tml_rt_flush_stdout_try(void) {
    if (pthread_mutex_trylock(&out_mu) != 0) return;
    flush_locked();
    pthread_mutex_unlock(&out_mu);
}

/* Output printed by a program that ends through exit() or a return from main without tml_runtime_exit. */
static void flush_at_exit(void) { tml_rt_flush_stdout(); }

static void out_init(void) {
    out_line_buffered = isatty(1);
    atexit(flush_at_exit);
}

static void out_append_locked(const char *p, size_t n) {
    if (n > OUT_CAP - out_len) flush_locked();
    if (n >= OUT_CAP) {
        write_fd_all(1, p, n);
        return;
    }
    memcpy(out_buf + out_len, p, n);
    out_len += n;
}

void tml_rt_write_stderr(const char *p, size_t n) {
    tml_rt_flush_stdout();
    write_fd_all(2, p, n);
}

void tml_rt_eprintf(const char *fmt, ...) {
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        tml_rt_write_stderr(small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        tml_rt_write_stderr(small, sizeof small - 1);
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    tml_rt_write_stderr(big, (size_t)n);
    free(big);
}

const char *tml_rt_format_loc(char *buf, size_t cap, const TmlLoc *loc) {
    if (!loc || !loc->file)
        snprintf(buf, cap, "<unknown>");
    else
        snprintf(buf, cap, "%s:%d:%d", loc->file, (int)loc->line, (int)loc->col);
    return buf;
}

TML_NORETURN void tml_rt_die(int32_t status) {
    tml_rt_flush_stdout();
    _exit(status);
}

/* internal.h, tml_rt_threads_starting: not in threads_flag.c, whose only definition must be the flag */
TML_NORETURN void tml_rt_single_threaded_program_starts_thread(void) {
    tml_rt_eprintf("tmlc: internal error: this program was compiled as single-threaded (it calls no runtime function "
                   "that starts a thread), but it is starting one; please report it\n");
    tml_rt_die(101);
}

TML_NORETURN void tml_rt_out_of_memory_at(int64_t size, const TmlLoc *loc) {
    char msg[96];
    if (size < 0)
        snprintf(msg, sizeof msg, "invalid allocation size %lld", (long long)size);
    else
        snprintf(msg, sizeof msg, "out of memory (allocating %lld bytes)", (long long)size);
    tml_rt_panic_at(loc, msg);
}

TML_NORETURN void tml_rt_out_of_memory(int64_t size) { tml_rt_out_of_memory_at(size, NULL); }

/* A SIGABRT (from C code, libc, or our own out-of-memory path) still delivers what was printed. */
static void on_abort(int sig) {
    tml_rt_flush_stdout_try();
    signal(sig, SIG_DFL);
    raise(sig);
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TML_ASAN_BUILD 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TML_ASAN_BUILD 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(undefined_behavior_sanitizer) || \
    __has_feature(thread_sanitizer)
#define TML_SANITIZER_BUILD 1
#endif
#endif
#ifdef TML_ASAN_BUILD
#define TML_SANITIZER_BUILD 1
#endif

#ifdef TML_ASAN_BUILD
/* AddressSanitizer calls this hook before it prints a report: the program's output so far comes first. */
void __asan_on_error(void);
void __asan_on_error(void) { tml_rt_flush_stdout_try(); }
#endif

/* ======================================================================================================
 * Str basics
 * ====================================================================================================== */

/* A new Str of len bytes (contents to be filled by the caller) with its NUL terminator set; len 0 gives the
 * static empty string, which the caller must not write to. */
static TmlStr *str_alloc(int64_t len) {
    if (len == 0) return str_empty;
    if (len < 0 || (uint64_t)len > (uint64_t)INT64_MAX - sizeof(TmlStr) - 1) tml_rt_out_of_memory(len);
    TmlStr *s = tml_alloc((int64_t)sizeof(TmlStr) + len + 1, current_site ? current_site : &str_site);
    s->rc = 1;
    s->len = len;
    s->bytes[len] = '\0';
    return s;
}

static TmlStr *retained(TmlStr *s) {
    tml_str_retain(s);
    return s;
}

void tml_str_retain(TmlStr *s) { tml_rc_retain(s); }

void tml_str_release(TmlStr *s) {
    if (tml_rc_release(s)) tml_free(s, &tml_rt_runtime_loc);
}

TmlStr *tml_str_new(const char *bytes, int64_t len) {
    TmlStr *s = str_alloc(len);
    if (len > 0) memcpy(s->bytes, bytes, (size_t)len);
    return s;
}

TmlStr *tml_str_concat(TmlStr *a, TmlStr *b) {
    if (a->len == 0) return retained(b);
    if (b->len == 0) return retained(a);
    if (a->len > INT64_MAX - b->len) tml_rt_out_of_memory(-1);
    TmlStr *s = str_alloc(a->len + b->len);
    memcpy(s->bytes, a->bytes, (size_t)a->len);
    memcpy(s->bytes + a->len, b->bytes, (size_t)b->len);
    return s;
}

int32_t tml_str_eq(TmlStr *a, TmlStr *b) {
    if (a == b) return 1;
    return a->len == b->len && memcmp(a->bytes, b->bytes, (size_t)a->len) == 0;
}

int32_t tml_str_cmp(TmlStr *a, TmlStr *b) {
    int64_t n = a->len < b->len ? a->len : b->len;
    int c = n > 0 ? memcmp(a->bytes, b->bytes, (size_t)n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return (a->len > b->len) - (a->len < b->len);
}

int64_t tml_str_len(TmlStr *s) { return s->len; }

int64_t tml_str_hash(TmlStr *s) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (int64_t i = 0; i < s->len; i++) {
        h ^= (unsigned char)s->bytes[i];
        h *= 0x100000001b3ull;
    }
    return (int64_t)h;
}

/* ======================================================================================================
 * UTF-8 and slicing
 * ====================================================================================================== */

static int is_char_boundary(const TmlStr *s, int64_t i) {
    if (i == 0 || i == s->len) return 1;
    return i > 0 && i < s->len && ((unsigned char)s->bytes[i] & 0xC0) != 0x80;
}

/* Decodes the scalar at p (n bytes available); malformed input gives U+FFFD (strings read from files or the
 * environment are not validated). */
static int32_t utf8_decode(const unsigned char *p, int64_t n) {
    unsigned c = p[0];
    if (c < 0x80) return (int32_t)c;
    int more;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        more = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        more = 2;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        more = 3;
        cp = c & 0x07;
    } else {
        return 0xFFFD;
    }
    if (n <= more) return 0xFFFD;
    for (int k = 1; k <= more; k++) {
        if ((p[k] & 0xC0) != 0x80) return 0xFFFD;
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    if ((more == 2 && cp < 0x800) || (more == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0xFFFD;
    return (int32_t)cp;
}

/* Encodes c (invalid scalars become U+FFFD) into out; returns the byte count. */
static int utf8_encode(int32_t c, char *out) {
    uint32_t u = (uint32_t)c;
    if (c < 0 || u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF)) u = 0xFFFD;
    if (u < 0x80) {
        out[0] = (char)u;
        return 1;
    }
    if (u < 0x800) {
        out[0] = (char)(0xC0 | (u >> 6));
        out[1] = (char)(0x80 | (u & 0x3F));
        return 2;
    }
    if (u < 0x10000) {
        out[0] = (char)(0xE0 | (u >> 12));
        out[1] = (char)(0x80 | ((u >> 6) & 0x3F));
        out[2] = (char)(0x80 | (u & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (u >> 18));
    out[1] = (char)(0x80 | ((u >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((u >> 6) & 0x3F));
    out[3] = (char)(0x80 | (u & 0x3F));
    return 4;
}

TmlStr *tml_str_slice(TmlStr *s, int64_t a, int64_t b, const TmlLoc *loc) {
    if (a < 0 || a > b || b > s->len) {
        char msg[160];
        snprintf(msg, sizeof msg, "byte index %lld..%lld is out of range for a string of length %lld", (long long)a,
                 (long long)b, (long long)s->len);
        tml_panic_cstr(loc, msg);
    }
    if (!is_char_boundary(s, a) || !is_char_boundary(s, b)) { /* in range, but inside a multi-byte character */
        char msg[160];
        snprintf(msg, sizeof msg, "byte index %lld is not on a character boundary of a string of %lld bytes",
                 (long long)(is_char_boundary(s, a) ? b : a), (long long)s->len);
        tml_panic_cstr(loc, msg);
    }
    if (a == 0 && b == s->len) return retained(s);
    return tml_str_new(s->bytes + a, b - a);
}

int32_t tml_str_char_at(TmlStr *s, int64_t i, const TmlLoc *loc) {
    if (i < 0 || i >= s->len) tml_panic_bounds(loc, s->len, i);
    if (!is_char_boundary(s, i)) {
        char msg[128];
        snprintf(msg, sizeof msg, "byte index %lld is not on a character boundary of a string of %lld bytes",
                 (long long)i, (long long)s->len);
        tml_panic_cstr(loc, msg);
    }
    return utf8_decode((const unsigned char *)s->bytes + i, s->len - i);
}

/* ======================================================================================================
 * Searching
 * ====================================================================================================== */

int64_t tml_str_find(TmlStr *s, TmlStr *needle) {
    if (needle->len == 0) return 0;
    const char *p = memmem(s->bytes, (size_t)s->len, needle->bytes, (size_t)needle->len);
    return p ? (int64_t)(p - s->bytes) : -1;
}

int32_t tml_str_contains(TmlStr *s, TmlStr *needle) { return tml_str_find(s, needle) >= 0; }

int32_t tml_str_starts_with(TmlStr *s, TmlStr *prefix) {
    return prefix->len <= s->len && memcmp(s->bytes, prefix->bytes, (size_t)prefix->len) == 0;
}

int32_t tml_str_ends_with(TmlStr *s, TmlStr *suffix) {
    return suffix->len <= s->len &&
           memcmp(s->bytes + s->len - suffix->len, suffix->bytes, (size_t)suffix->len) == 0;
}

/* ======================================================================================================
 * Transformations
 * ====================================================================================================== */

static int is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

TmlStr *tml_str_trim(TmlStr *s) {
    int64_t a = 0, b = s->len;
    while (a < b && is_ascii_space(s->bytes[a])) a++;
    while (b > a && is_ascii_space(s->bytes[b - 1])) b--;
    if (a == 0 && b == s->len) return retained(s);
    return tml_str_new(s->bytes + a, b - a);
}

/* ASCII case mapping; returns s itself (retained) when nothing changes. */
static TmlStr *map_case(TmlStr *s, char lo, char hi, int delta) {
    int64_t i = 0;
    while (i < s->len && !(s->bytes[i] >= lo && s->bytes[i] <= hi)) i++;
    if (i == s->len) return retained(s);
    TmlStr *r = tml_str_new(s->bytes, s->len);
    for (; i < r->len; i++)
        if (r->bytes[i] >= lo && r->bytes[i] <= hi) r->bytes[i] = (char)(r->bytes[i] + delta);
    return r;
}

TmlStr *tml_str_to_upper(TmlStr *s) { return map_case(s, 'a', 'z', 'A' - 'a'); }
TmlStr *tml_str_to_lower(TmlStr *s) { return map_case(s, 'A', 'Z', 'a' - 'A'); }

TmlStr *tml_str_repeat(TmlStr *s, int64_t n) {
    if (n <= 0 || s->len == 0) return str_empty;
    if (n == 1) return retained(s);
    if (s->len > INT64_MAX / n) tml_panic_cstr(NULL, "capacity overflow");
    TmlStr *r = str_alloc(s->len * n);
    for (int64_t i = 0; i < n; i++) memcpy(r->bytes + i * s->len, s->bytes, (size_t)s->len);
    return r;
}

/* Every field, empty ones included ("a,,b" -> "a", "", "b"; "" -> ""). An empty separator splits between
 * characters with an empty field at each end, as Rust's str::split("") does ("ab" -> "", "a", "b", ""). */
int64_t tml_str_split(TmlStr *s, TmlStr *sep, TmlStr ***out, const TmlAllocSite *site) {
    int64_t n = 0;
    if (sep->len == 0) {
        for (int64_t i = 0; i < s->len; i++)
            if (((unsigned char)s->bytes[i] & 0xC0) != 0x80) n++;
        n += 2;
    } else {
        n = 1;
        const char *p = s->bytes, *end = s->bytes + s->len;
        while ((p = memmem(p, (size_t)(end - p), sep->bytes, (size_t)sep->len))) {
            n++;
            p += sep->len;
        }
    }
    TmlStr **fields = tml_alloc(n * (int64_t)sizeof(TmlStr *), site);
    int64_t k = 0;
    if (sep->len == 0) {
        fields[k++] = str_empty;
        for (int64_t i = 0; i < s->len;) {
            int64_t j = i + 1;
            while (j < s->len && ((unsigned char)s->bytes[j] & 0xC0) == 0x80) j++;
            fields[k++] = tml_str_new(s->bytes + i, j - i);
            i = j;
        }
        fields[k++] = str_empty;
    } else {
        const char *start = s->bytes, *end = s->bytes + s->len, *p;
        while ((p = memmem(start, (size_t)(end - start), sep->bytes, (size_t)sep->len))) {
            fields[k++] = tml_str_new(start, p - start);
            start = p + sep->len;
        }
        fields[k++] = tml_str_new(start, end - start);
    }
    *out = fields;
    return n;
}

/* ======================================================================================================
 * Parsing (the whole string must match: no surrounding whitespace, as Rust's str::parse)
 * ====================================================================================================== */

int32_t tml_str_parse_i64(TmlStr *s, int64_t *out) {
    const char *p = s->bytes, *end = s->bytes + s->len;
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
    if (p == end) return 0;
    /* accumulate negatively so INT64_MIN parses */
    int64_t v = 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9') return 0;
        int d = *p - '0';
        if (v < (INT64_MIN + d) / 10) return 0;
        v = v * 10 - d;
    }
    if (!neg) {
        if (v == INT64_MIN) return 0;
        v = -v;
    }
    *out = v;
    return 1;
}

static int ieq(const char *p, const char *end, const char *word) {
    size_t n = strlen(word);
    return (size_t)(end - p) == n && strncasecmp(p, word, n) == 0;
}

/* Rust's f64 grammar: [+-] (inf | infinity | nan | digits [. digits] | . digits) [(e|E) [+-] digits]. */
int32_t tml_str_parse_f64(TmlStr *s, double *out) {
    const char *p = s->bytes, *end = s->bytes + s->len;
    const char *start = p;
    if (p < end && (*p == '+' || *p == '-')) p++;
    if (ieq(p, end, "inf") || ieq(p, end, "infinity") || ieq(p, end, "nan")) {
        double v = (*p == 'n' || *p == 'N') ? NAN : INFINITY;
        *out = *start == '-' ? -v : v;
        return 1;
    }
    int digits = 0;
    while (p < end && *p >= '0' && *p <= '9') p++, digits++;
    if (p < end && *p == '.') {
        p++;
        while (p < end && *p >= '0' && *p <= '9') p++, digits++;
    }
    if (digits == 0) return 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-')) p++;
        int exp_digits = 0;
        while (p < end && *p >= '0' && *p <= '9') p++, exp_digits++;
        if (exp_digits == 0) return 0;
    }
    if (p != end) return 0;
    *out = strtod(start, NULL); /* the Str is NUL-terminated right after the validated text */
    return 1;
}

/* ======================================================================================================
 * Formatting of integers, Bool and Char (floats: float_fmt.c)
 * ====================================================================================================== */

/* Writes the decimal digits of v ending at end; returns the first digit. */
static char *u64_digits(uint64_t v, char *end) {
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

static TmlStr *from_magnitude(int negative, unsigned __int128 mag) {
    char buf[48], *end = buf + sizeof buf, *p = end;
    const uint64_t chunk = 10000000000000000000ull; /* 10^19: 128-bit values print in 19-digit chunks */
    while (mag >= chunk) {
        uint64_t part = (uint64_t)(mag % chunk);
        mag /= chunk;
        char *q = u64_digits(part, p);
        while (q > p - 19) *--q = '0';
        p = q;
    }
    p = u64_digits((uint64_t)mag, p);
    if (negative) *--p = '-';
    return tml_str_new(p, end - p);
}

TmlStr *tml_str_from_i64(int64_t v) {
    char buf[24], *end = buf + sizeof buf;
    uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
    char *p = u64_digits(mag, end);
    if (v < 0) *--p = '-';
    return tml_str_new(p, end - p);
}

TmlStr *tml_str_from_u64(uint64_t v) {
    char buf[24], *end = buf + sizeof buf;
    char *p = u64_digits(v, end);
    return tml_str_new(p, end - p);
}

TmlStr *tml_str_from_i128(uint64_t lo, uint64_t hi) {
    unsigned __int128 u = ((unsigned __int128)hi << 64) | lo;
    int negative = (hi >> 63) != 0;
    return from_magnitude(negative, negative ? -u : u);
}

TmlStr *tml_str_from_u128(uint64_t lo, uint64_t hi) {
    return from_magnitude(0, ((unsigned __int128)hi << 64) | lo);
}

TmlStr *tml_str_from_bool(int32_t v) { return v ? str_true : str_false; }

TmlStr *tml_str_from_char(int32_t c) {
    char buf[4];
    return tml_str_new(buf, utf8_encode(c, buf));
}

/* "{}" placeholders take args in order; extra placeholders stay as "{}", extra args are ignored; NULL args
 * print as nothing. */
TmlStr *tml_format(TmlStr *fmt, TmlStr **args, int64_t nargs) {
    int64_t len = 0, used = 0;
    for (int64_t i = 0; i < fmt->len; i++) {
        if (fmt->bytes[i] == '{' && i + 1 < fmt->len && fmt->bytes[i + 1] == '}' && used < nargs) {
            len += args[used] ? args[used]->len : 0;
            used++;
            i++;
        } else {
            len++;
        }
    }
    TmlStr *r = str_alloc(len);
    int64_t o = 0;
    used = 0;
    for (int64_t i = 0; i < fmt->len; i++) {
        if (fmt->bytes[i] == '{' && i + 1 < fmt->len && fmt->bytes[i + 1] == '}' && used < nargs) {
            TmlStr *a = args[used++];
            if (a && a->len) {
                memcpy(r->bytes + o, a->bytes, (size_t)a->len);
                o += a->len;
            }
            i++;
        } else {
            r->bytes[o++] = fmt->bytes[i];
        }
    }
    return r;
}

/* ======================================================================================================
 * Printing
 * ====================================================================================================== */

static void print_bytes(const char *p, size_t n, int newline, int to_stderr) {
    if (to_stderr) {
        tml_rt_flush_stdout();
        if (!newline) {
            write_fd_all(2, p, n);
        } else if (n < 1024) { /* one write, so concurrent lines do not interleave */
            char line[1024];
            memcpy(line, p, n);
            line[n] = '\n';
            write_fd_all(2, line, n + 1);
        } else {
            write_fd_all(2, p, n);
            write_fd_all(2, "\n", 1);
        }
        return;
    }
    pthread_once(&out_once, out_init);
    pthread_mutex_lock(&out_mu);
    out_append_locked(p, n);
    if (newline) out_append_locked("\n", 1);
    if (out_line_buffered && (newline || memchr(p, '\n', n))) flush_locked();
    pthread_mutex_unlock(&out_mu);
}

void tml_print(TmlStr *s, int32_t to_stderr) {
    if (s) print_bytes(s->bytes, (size_t)s->len, 0, to_stderr);
}

void tml_println(TmlStr *s, int32_t to_stderr) {
    print_bytes(s ? s->bytes : "", s ? (size_t)s->len : 0, 1, to_stderr);
}

/* `print(n)`/`println(n)` of an integer: its digits printed straight from a stack buffer, without a Str (as
 * tml_str_from_i64 and tml_str_from_u64 write them). */
void tml_print_i64(int64_t v, int32_t newline, int32_t to_stderr) {
    char buf[24], *end = buf + sizeof buf;
    uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
    char *p = u64_digits(mag, end);
    if (v < 0) *--p = '-';
    print_bytes(p, (size_t)(end - p), newline, to_stderr);
}

void tml_print_u64(uint64_t v, int32_t newline, int32_t to_stderr) {
    char buf[24], *end = buf + sizeof buf;
    char *p = u64_digits(v, end);
    print_bytes(p, (size_t)(end - p), newline, to_stderr);
}

/* ======================================================================================================
 * Panics: "panic at FILE:LINE:COL: MESSAGE" on stderr, stdout flushed first, status 101.
 * ====================================================================================================== */

static int panicking;

TML_NORETURN static void panic_bytes(const TmlLoc *loc, const char *msg, size_t n) {
    /* A second thread that panics while the first is reporting waits for the first to end the process. */
    if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL))
        for (;;) pause();
    char at[512];
    tml_rt_format_loc(at, sizeof at, loc);
    size_t head = strlen("panic at ") + strlen(at) + 2;
    char *line = malloc(head + n + 1);
    if (line) {
        snprintf(line, head + 1, "panic at %s: ", at);
        memcpy(line + head, msg, n);
        line[head + n] = '\n';
        tml_rt_write_stderr(line, head + n + 1);
        free(line);
    } else {
        tml_rt_eprintf("panic at %s: ", at);
        write_fd_all(2, msg, n);
        write_fd_all(2, "\n", 1);
    }
    tml_rt_die(101);
}

TML_NORETURN void tml_rt_panic_at(const TmlLoc *loc, const char *msg) {
    if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL))
        for (;;) pause();
    char line[1024]; /* on the stack: this also reports running out of memory */
    int n;
    if (loc && loc->file && strcmp(loc->file, tml_rt_runtime_loc.file) != 0)
        n = snprintf(line, sizeof line, "panic at %s:%d:%d: %s\n", loc->file, (int)loc->line, (int)loc->col, msg);
    else
        n = snprintf(line, sizeof line, "panic: %s\n", msg);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof line) {
        n = (int)sizeof line - 1;
        line[n - 1] = '\n';
    }
    tml_rt_write_stderr(line, (size_t)n);
    tml_rt_die(101);
}

TML_NORETURN void tml_panic(const TmlLoc *loc, TmlStr *msg) {
    panic_bytes(loc, msg ? msg->bytes : "", msg ? (size_t)msg->len : 0);
}

TML_NORETURN void tml_panic_cstr(const TmlLoc *loc, const char *msg) {
    panic_bytes(loc, msg ? msg : "", msg ? strlen(msg) : 0);
}

TML_NORETURN void tml_panic_bounds(const TmlLoc *loc, int64_t len, int64_t index) {
    char msg[128];
    snprintf(msg, sizeof msg, "index out of bounds: the len is %lld but the index is %lld", (long long)len,
             (long long)index);
    tml_panic_cstr(loc, msg);
}

TML_NORETURN void tml_panic_overflow(const TmlLoc *loc, const char *op) {
    char msg[128];
    snprintf(msg, sizeof msg, "attempt to %s with overflow", op ? op : "compute");
    tml_panic_cstr(loc, msg);
}

/* Concatenates NULL-terminated pieces into a malloc'ed message (plain malloc: it never outlives the panic). */
static char *join_pieces(size_t *len_out, const char *first, ...) {
    va_list ap;
    size_t len = 0;
    va_start(ap, first);
    for (const char *p = first; p; p = va_arg(ap, const char *)) len += strlen(p);
    va_end(ap);
    char *buf = malloc(len + 1);
    if (!buf) tml_rt_out_of_memory((int64_t)len);
    size_t o = 0;
    va_start(ap, first);
    for (const char *p = first; p; p = va_arg(ap, const char *)) {
        size_t n = strlen(p);
        memcpy(buf + o, p, n);
        o += n;
    }
    va_end(ap);
    buf[o] = '\0';
    *len_out = o;
    return buf;
}

/* Message Strs are NUL-terminated, so their bytes can be used as C strings (an embedded NUL truncates). */
TML_NORETURN void tml_assert_failed(const TmlLoc *loc, TmlStr *msg) {
    if (!msg || msg->len == 0) tml_panic_cstr(loc, "assertion failed");
    size_t n;
    char *text = join_pieces(&n, "assertion failed: ", msg->bytes, (const char *)NULL);
    panic_bytes(loc, text, n);
}

/* op "==" (assert_eq): "assertion failed: MSG: left: A, right: B";
 * any other op, e.g. "!=" (assert_ne): "assertion failed: MSG: left != right: left: A, right: B".
 * Without a message the "MSG: " part is left out. */
TML_NORETURN void tml_assert_cmp_failed(const TmlLoc *loc, TmlStr *msg, TmlStr *left, TmlStr *right,
                                        const char *op) {
    int has_msg = msg && msg->len > 0;
    int is_eq = !op || strcmp(op, "==") == 0;
    size_t n;
    char *text = join_pieces(&n, "assertion failed: ", has_msg ? msg->bytes : "", has_msg ? ": " : "",
                             is_eq ? "" : "left ", is_eq ? "" : op, is_eq ? "" : " right: ", "left: ",
                             left ? left->bytes : "", ", right: ", right ? right->bytes : "", (const char *)NULL);
    panic_bytes(loc, text, n);
}

/* ======================================================================================================
 * Process: entry and exit hooks, arguments, environment, files, clock
 * ====================================================================================================== */

static int32_t g_argc;
static char **g_argv;

void tml_runtime_init(int32_t argc, char **argv, int32_t check_leaks) {
    g_argc = argc;
    g_argv = argv;
    pthread_once(&out_once, out_init);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_abort;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGABRT, &sa, NULL);
#ifndef TML_SANITIZER_BUILD
    tml_rt_stack_guard_install(); /* sanitizers report stack overflows themselves */
#endif
#ifdef TML_DEBUG_MEMORY
    const char *env_leaks = getenv("TML_CHECK_LEAKS");
    const char *env_stats = getenv("TML_MEM_STATS");
    int leaks = check_leaks && !(env_leaks && strcmp(env_leaks, "0") == 0);
    tml_track_configure(leaks, env_stats && strcmp(env_stats, "1") == 0);
#else
    (void)check_leaks;
#endif
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TML_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TML_UNDER_ASAN 1
#endif

#ifdef TML_UNDER_ASAN
/* LeakSanitizer scans the stack conservatively when the process exits, and the exit path's frames reuse the stack
 * that the TML program's frames used: a stale pointer left there makes a leaked block look reachable. Zeroing that
 * region before returning to exit() removes such false negatives. */
__attribute__((noinline, no_sanitize("address"))) static void scrub_stack(void) {
    volatile char region[64 * 1024];
    memset((char *)region, 0, sizeof region);
    __asm__ __volatile__("" : : "r"(region) : "memory");
}
#endif

/* The exit order (docs/decisions.md "Async integration: process exit"): 1. join the thread tasks while the executor
 * still runs, since a thread task may wait for an async task (a join, a channel an async task feeds); 2. abort the
 * async tasks still pending (MEMORY.md §8.1: their live values are dropped, newest first, on this thread), which
 * also stops the workers and frees the run queue and timer heap; 3. join the thread tasks again: async tasks may
 * have spawned some after step 1, or their drops may have (nothing async is left for them to wait for); 4. the
 * timer thread of after(ms), which channels dropped by steps 2-3 may have used; then the pools, the leak check. */
static __attribute__((noinline)) int32_t runtime_exit_steps(int32_t status) {
    tml_tasks_join_all(); /* detached tasks run to their end (and drop their results) before anything is checked */
    if (tml_rt_async_ever_started()) {
        tml_async_shutdown();
        tml_tasks_join_all();
    }
    tml_rt_timers_shutdown(); /* the timer thread (after(ms)) is joined; pending timers belong to their channels */
    tml_rt_flush_stdout();
    tml_class_pools_shutdown(); /* before the leak check: pooled objects still live are reported, chunks are not */
    tml_rt_borrow_marks_shutdown(); /* the borrow marks' side table (plain malloc, never a leak) */
#ifdef TML_DEBUG_MEMORY
    status = tml_track_finish(status);
#endif
    return status;
}

/* The steps run in a frame of their own, so that the scrub starts right below this small frame, where the program's
 * `main` had its frame: nothing it left there survives (no sanitizer redzones in the scrub either). */
int32_t tml_runtime_exit(int32_t status) {
    status = runtime_exit_steps(status);
#ifdef TML_UNDER_ASAN
    scrub_stack();
#endif
    return status;
}

TML_NORETURN void tml_exit(int32_t status) { tml_rt_die(status); }

/* The program's arguments without the program name (LANGUAGE.md §6 `args()`): index 0 is argv[1]. */
int64_t tml_args_count(void) { return g_argc > 1 ? g_argc - 1 : 0; }

TmlStr *tml_args_get(int64_t i) {
    if (i < 0 || i >= tml_args_count()) return str_empty;
    const char *a = g_argv[i + 1];
    return tml_str_new(a, (int64_t)strlen(a));
}

static int has_nul(const TmlStr *s) { return memchr(s->bytes, '\0', (size_t)s->len) != NULL; }

int32_t tml_env_get(TmlStr *name, TmlStr **out) {
    if (has_nul(name)) return 0;
    const char *v = getenv(name->bytes);
    if (!v) return 0;
    *out = tml_str_new(v, (int64_t)strlen(v));
    return 1;
}

/* stdin is read through our own buffer; stdout is flushed before every blocking read so prompts appear. */
static char in_buf[65536];
static size_t in_pos, in_len;
static int in_eof;
static pthread_mutex_t in_mu = PTHREAD_MUTEX_INITIALIZER;

static int in_fill(void) {
    if (in_eof) return 0;
    tml_rt_flush_stdout();
    for (;;) {
        ssize_t r = read(0, in_buf, sizeof in_buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            in_eof = 1;
            return 0;
        }
        in_pos = 0;
        in_len = (size_t)r;
        return 1;
    }
}

/* One line without its "\n" (and without a "\r" before it); a last line without a newline counts. */
int32_t tml_read_line(TmlStr **out) {
    pthread_mutex_lock(&in_mu);
    char *line = NULL;
    size_t len = 0, cap = 0;
    int got = 0, done = 0;
    while (!done) {
        if (in_pos == in_len && !in_fill()) break;
        got = 1;
        const char *start = in_buf + in_pos;
        const char *nl = memchr(start, '\n', in_len - in_pos);
        size_t n = nl ? (size_t)(nl - start) : in_len - in_pos;
        if (len + n > cap) {
            cap = (len + n) * 2 + 64;
            char *grown = realloc(line, cap);
            if (!grown) {
                free(line);
                pthread_mutex_unlock(&in_mu);
                tml_rt_out_of_memory((int64_t)cap);
            }
            line = grown;
        }
        if (n > 0) memcpy(line + len, start, n);
        len += n;
        in_pos += n + (nl ? 1 : 0);
        done = nl != NULL;
    }
    pthread_mutex_unlock(&in_mu);
    if (!got) {
        free(line);
        return 0;
    }
    if (len > 0 && line[len - 1] == '\r') len--;
    *out = tml_str_new(line, (int64_t)len);
    free(line);
    return 1;
}

/* Everything left on stdin (after what tml_read_line has taken), bytes unchanged; "" at EOF. */
TmlStr *tml_read_all_stdin(void) {
    pthread_mutex_lock(&in_mu);
    char *all = NULL;
    size_t len = 0, cap = 0;
    while (in_pos < in_len || in_fill()) {
        size_t n = in_len - in_pos;
        if (len + n > cap) {
            cap = (len + n) * 2 + 64;
            char *grown = realloc(all, cap);
            if (!grown) {
                free(all);
                pthread_mutex_unlock(&in_mu);
                tml_rt_out_of_memory((int64_t)cap);
            }
            all = grown;
        }
        memcpy(all + len, in_buf + in_pos, n);
        len += n;
        in_pos = in_len;
    }
    pthread_mutex_unlock(&in_mu);
    TmlStr *s = tml_str_new(all ? all : "", (int64_t)len);
    free(all);
    return s;
}

/* "PATH: REASON", e.g. "data.txt: No such file or directory" */
static TmlStr *io_error(const TmlStr *path, int err) {
    char reason[256];
    const char *r = strerror_r(err, reason, sizeof reason);
    size_t rl = strlen(r);
    TmlStr *m = str_alloc(path->len + 2 + (int64_t)rl);
    memcpy(m->bytes, path->bytes, (size_t)path->len);
    memcpy(m->bytes + path->len, ": ", 2);
    memcpy(m->bytes + path->len + 2, r, rl);
    return m;
}

TmlStr *tml_rt_read_fd(int fd, int *err) {
    struct stat st;
    int have_stat = fstat(fd, &st) == 0;
    if (have_stat && S_ISDIR(st.st_mode)) {
        close(fd);
        *err = EISDIR;
        return NULL;
    }
    /* a regular file's size is a good first guess (+1 so that the read seeing EOF needs no regrowth). The bytes go
     * straight into the Str (no second copy of the file); out of memory ends the program, as for any Str. */
    size_t cap = (have_stat && S_ISREG(st.st_mode) && st.st_size > 0) ? (size_t)st.st_size + 1 : 4096;
    const TmlAllocSite *site = current_site ? current_site : &str_site;
    TmlStr *s = tml_alloc((int64_t)(sizeof(TmlStr) + cap + 1), site);
    size_t len = 0;
    int e = 0;
    for (;;) {
        if (len == cap) {
            if (cap > (size_t)INT64_MAX / 2 - sizeof(TmlStr) - 1) tml_rt_out_of_memory(-1);
            cap *= 2;
            s = tml_realloc(s, (int64_t)(sizeof(TmlStr) + cap + 1), site);
        }
        ssize_t r = read(fd, s->bytes + len, cap - len);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) e = errno;
        if (r <= 0) break;
        len += (size_t)r;
    }
    close(fd);
    if (e || len == 0) {
        tml_free(s, &tml_rt_runtime_loc);
        if (!e) return str_empty;
        *err = e;
        return NULL;
    }
    /* a pipe's doubled buffer may be mostly empty: give the rest back */
    if (len < cap / 2) s = tml_realloc(s, (int64_t)(sizeof(TmlStr) + len + 1), site);
    s->rc = 1;
    s->len = (int64_t)len;
    s->bytes[len] = '\0';
    return s;
}

int32_t tml_read_file(TmlStr *path, TmlStr **out) {
    if (has_nul(path)) {
        *out = io_error(path, EINVAL);
        return 0;
    }
    int fd = open(path->bytes, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *out = io_error(path, errno);
        return 0;
    }
    int err = 0;
    TmlStr *s = tml_rt_read_fd(fd, &err);
    *out = s ? s : io_error(path, err);
    return s != NULL;
}

/* *err is written only on failure. */
int32_t tml_write_file(TmlStr *path, TmlStr *text, TmlStr **err) {
    if (has_nul(path)) {
        *err = io_error(path, EINVAL);
        return 0;
    }
    int fd = open(path->bytes, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        *err = io_error(path, errno);
        return 0;
    }
    const char *p = text->bytes;
    size_t n = (size_t)text->len;
    int e = 0;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) {
            e = errno;
            break;
        }
        p += w;
        n -= (size_t)w;
    }
    if (close(fd) != 0 && !e) e = errno;
    if (e) {
        *err = io_error(path, e);
        return 0;
    }
    return 1;
}

int64_t tml_clock_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
