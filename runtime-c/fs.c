/* fs.c — files and directories for `use std::fs` (stdlib/std/fs.tml).
 *
 * Every function records the outcome in a per-thread error number (0 on success, else the errno of the failing
 * call), which `tml_fs_last_error` returns; the TML side turns it into a message with `tml_fs_strerror`. Functions
 * that produce a Str return the empty string on failure. Paths containing a NUL byte fail with EINVAL.
 *
 * Ownership: every Str argument is consumed (released before returning), because TML passes a new reference to
 * each Str argument of an `@extern` function (stdlib/std/fs.tml declares these functions that way). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tml_runtime.h"

static _Thread_local int32_t fs_err;

int32_t tml_fs_last_error(void) { return fs_err; }

TmlStr *tml_fs_strerror(int32_t err) {
    char buf[256];
    const char *r = strerror_r(err, buf, sizeof buf);
    return tml_str_new(r, (int64_t)strlen(r));
}

/* the path as a C string, or NULL (fs_err = EINVAL) when it holds a NUL byte */
static const char *c_path(const TmlStr *path) {
    if (memchr(path->bytes, '\0', (size_t)path->len)) {
        fs_err = EINVAL;
        return NULL;
    }
    return path->bytes;
}

static TmlStr *empty(void) { return tml_str_new("", 0); }

static TmlStr *fs_read_file(TmlStr *path) {
    const char *p = c_path(path);
    if (!p) return empty();
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fs_err = errno;
        return empty();
    }
    int err = 0;
    TmlStr *s = tml_rt_read_fd(fd, &err);
    fs_err = err;
    return s ? s : empty();
}

/* writes text to path, truncating it (append = 0) or at its end (append != 0); creates it with mode 0666 & umask */
static int32_t fs_write_file(TmlStr *path, TmlStr *text, int32_t append) {
    const char *p = c_path(path);
    if (!p) return 0;
    int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0666);
    if (fd < 0) {
        fs_err = errno;
        return 0;
    }
    const char *b = text->bytes;
    size_t n = (size_t)text->len;
    int err = 0;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) {
            err = errno;
            break;
        }
        b += w;
        n -= (size_t)w;
    }
    if (close(fd) != 0 && !err) err = errno;
    fs_err = err;
    return err == 0;
}

/* 0: nothing there (or not reachable), 1: a regular file, 2: a directory, 3: something else; follows symlinks */
static int32_t fs_kind(TmlStr *path) {
    const char *p = c_path(path);
    if (!p) return 0;
    struct stat st;
    if (stat(p, &st) != 0) {
        fs_err = errno;
        return 0;
    }
    fs_err = 0;
    return S_ISREG(st.st_mode) ? 1 : S_ISDIR(st.st_mode) ? 2 : 3;
}

static int32_t fs_remove_file(TmlStr *path) {
    const char *p = c_path(path);
    if (!p) return 0;
    fs_err = unlink(p) == 0 ? 0 : errno;
    return fs_err == 0;
}

static int32_t fs_create_dir(TmlStr *path) {
    const char *p = c_path(path);
    if (!p) return 0;
    fs_err = mkdir(p, 0777) == 0 ? 0 : errno;
    return fs_err == 0;
}

static int32_t fs_remove_dir(TmlStr *path) {
    const char *p = c_path(path);
    if (!p) return 0;
    fs_err = rmdir(p) == 0 ? 0 : errno;
    return fs_err == 0;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The names in the directory, without "." and "..", sorted by bytes, each followed by a NUL byte ("a\0b\0"; "" for
 * an empty directory or on failure). */
static TmlStr *fs_list_dir(TmlStr *path) {
    const char *p = c_path(path);
    if (!p) return empty();
    DIR *d = opendir(p);
    if (!d) {
        fs_err = errno;
        return empty();
    }
    char **names = NULL;
    size_t n = 0, cap = 0, total = 0;
    int err = 0;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            err = errno;
            break;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown) {
                err = ENOMEM;
                break;
            }
            names = grown;
        }
        char *copy = strdup(e->d_name);
        if (!copy) {
            err = ENOMEM;
            break;
        }
        names[n++] = copy;
        total += strlen(copy) + 1;
    }
    closedir(d);
    TmlStr *out = NULL;
    if (!err) {
        if (n > 1) qsort(names, n, sizeof *names, cmp_names);
        char *buf = malloc(total ? total : 1);
        if (!buf) {
            err = ENOMEM;
        } else {
            size_t at = 0;
            for (size_t i = 0; i < n; i++) {
                size_t l = strlen(names[i]) + 1;
                memcpy(buf + at, names[i], l);
                at += l;
            }
            out = tml_str_new(buf, (int64_t)total);
            free(buf);
        }
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    fs_err = err;
    return out ? out : empty();
}

/* ---- the exported entry points: the implementations above, then the arguments released ---- */

/* `RET tml_fs_NAME(path)`: fs_NAME(path), then the path released (generated code hands its strings over) */
#define CONSUMING_PATH_ENTRY(RET, NAME)   \
    RET tml_fs_##NAME(TmlStr *path) {     \
        RET r = fs_##NAME(path);          \
        tml_str_release(path);            \
        return r;                         \
    }

CONSUMING_PATH_ENTRY(TmlStr *, read_file)

int32_t tml_fs_write_file(TmlStr *path, TmlStr *text, int32_t append) {
    int32_t r = fs_write_file(path, text, append);
    tml_str_release(path);
    tml_str_release(text);
    return r;
}

CONSUMING_PATH_ENTRY(int32_t, kind)

CONSUMING_PATH_ENTRY(int32_t, remove_file)

CONSUMING_PATH_ENTRY(int32_t, create_dir)

CONSUMING_PATH_ENTRY(int32_t, remove_dir)

CONSUMING_PATH_ENTRY(TmlStr *, list_dir)
