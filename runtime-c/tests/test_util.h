/* test_util.h — a minimal harness for the runtime's C unit tests: CHECK macros, and running code that must end
 * the process (panics, double frees, tml_exit) in a forked child whose status, stdout and stderr are captured. */
#ifndef TML_TEST_UTIL_H
#define TML_TEST_UTIL_H

#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "tml_runtime.h"

static int tu_failures;
static int tu_checks;

#define CHECK(cond)                                                                                            \
    do {                                                                                                       \
        tu_checks++;                                                                                           \
        if (!(cond)) {                                                                                         \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);                           \
            tu_failures++;                                                                                     \
        }                                                                                                      \
    } while (0)

#define CHECK_EQ_I64(actual, expected)                                                                         \
    do {                                                                                                       \
        long long a_ = (long long)(actual), e_ = (long long)(expected);                                        \
        tu_checks++;                                                                                           \
        if (a_ != e_) {                                                                                        \
            fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", __FILE__, __LINE__, #actual, a_, e_);        \
            tu_failures++;                                                                                     \
        }                                                                                                      \
    } while (0)

#define CHECK_EQ_CSTR(actual, expected)                                                                        \
    do {                                                                                                       \
        const char *a_ = (actual), *e_ = (expected);                                                           \
        tu_checks++;                                                                                           \
        if (strcmp(a_, e_) != 0) {                                                                             \
            fprintf(stderr, "%s:%d: %s is\n  \"%s\"\nexpected\n  \"%s\"\n", __FILE__, __LINE__, #actual, a_,   \
                    e_);                                                                                       \
            tu_failures++;                                                                                     \
        }                                                                                                      \
    } while (0)

/* Checks a NEW Str reference against a C string and releases it. */
#define CHECK_STR(str_expr, expected)                                                                          \
    do {                                                                                                       \
        TmlStr *s_ = (str_expr);                                                                               \
        const char *e_ = (expected);                                                                           \
        tu_checks++;                                                                                           \
        if ((size_t)s_->len != strlen(e_) || memcmp(s_->bytes, e_, strlen(e_)) != 0 || s_->bytes[s_->len]) {  \
            fprintf(stderr, "%s:%d: %s is \"%.*s\", expected \"%s\"\n", __FILE__, __LINE__, #str_expr,       \
                    (int)s_->len, s_->bytes, e_);                                                              \
            tu_failures++;                                                                                     \
        }                                                                                                      \
        tml_str_release(s_);                                                                                   \
    } while (0)

/* A Str literal as the compiler emits it: a constant (read-only) global with the static refcount. */
#define TU_LIT(name, text)                                                                                     \
    static const struct {                                                                                      \
        int64_t rc, len;                                                                                       \
        char bytes[sizeof(text)];                                                                              \
    } name##_lit = {TML_RC_STATIC, sizeof(text) - 1, text};                                                     \
    TmlStr *name = (TmlStr *)&name##_lit

static inline TmlStr *tu_str(const char *s) { return tml_str_new(s, (int64_t)strlen(s)); }

typedef struct TuChild {
    int status; /* exit status, or 128 + signal number */
    char out[16384]; /* the first 16 KiB of each stream */
    char err[16384];
    long out_total; /* the full sizes */
    long err_total;
} TuChild;

static inline long tu_slurp(FILE *f, char *buf, size_t cap) {
    fflush(f);
    fseek(f, 0, SEEK_END);
    long total = ftell(f);
    rewind(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
    return total;
}

/* Runs fn(arg) in a child. merged: stdout and stderr go to one file (captured in out) to check their order.
 * stdin_text: what the child reads on stdin (NULL: /dev/null-like empty input). If fn returns, the child
 * flushes its stdout and exits 0. */
static inline TuChild *tu_run_child_ex(void (*fn)(void *), void *arg, int merged, const char *stdin_text) {
    static TuChild c;
    memset(&c, 0, sizeof c);
    FILE *out = tmpfile(), *err = tmpfile(), *in = tmpfile();
    if (!out || !err || !in) {
        perror("tmpfile");
        exit(2);
    }
    if (stdin_text) fputs(stdin_text, in);
    fflush(in);
    rewind(in);
    tml_rt_flush_stdout();
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        dup2(fileno(in), 0);
        dup2(fileno(out), 1);
        dup2(fileno(merged ? out : err), 2);
        fn(arg);
        tml_rt_flush_stdout();
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    c.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    fclose(in);
    c.out_total = tu_slurp(out, c.out, sizeof c.out);
    c.err_total = tu_slurp(err, c.err, sizeof c.err);
    return &c;
}

static inline TuChild *tu_run_child(void (*fn)(void *), void *arg) { return tu_run_child_ex(fn, arg, 0, NULL); }

static inline int tu_finish(const char *name) {
    if (tu_failures) {
        fprintf(stderr, "%s: %d of %d checks failed\n", name, tu_failures, tu_checks);
        return 1;
    }
    fprintf(stderr, "%s: all %d checks passed\n", name, tu_checks);
    return 0;
}

#endif /* TML_TEST_UTIL_H */
