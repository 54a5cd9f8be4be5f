/* test_fs.c — fs.c: reading, writing and appending files, file kinds, directories and their listings, and the
 * per-thread error number, with nothing left allocated. */
#include "test_util.h"

#include <errno.h>
#include <sys/stat.h>

static TmlStr *S(const char *c) { return tml_str_new(c, (int64_t)strlen(c)); }

/* the fs functions consume their Str arguments: R passes a new reference to one the test keeps */
static TmlStr *R(TmlStr *s) {
    tml_str_retain(s);
    return s;
}

static char base[256];

static TmlStr *P(const char *rel) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", base, rel);
    return S(buf);
}

static void test_files(void) {
    TmlStr *f = P("a.txt"), *hello = S("hello\n"), *more = S("more");
    CHECK_EQ_I64(tml_fs_kind(R(f)), 0);
    CHECK_EQ_I64(tml_fs_last_error(), ENOENT);
    CHECK_EQ_I64(tml_fs_write_file(R(f), R(hello), 0), 1);
    CHECK_EQ_I64(tml_fs_last_error(), 0);
    CHECK_EQ_I64(tml_fs_write_file(R(f), R(more), 1), 1);
    CHECK_STR(tml_fs_read_file(R(f)), "hello\nmore");
    CHECK_EQ_I64(tml_fs_last_error(), 0);
    CHECK_EQ_I64(tml_fs_kind(R(f)), 1);
    CHECK_EQ_I64(tml_fs_write_file(R(f), R(more), 0), 1); /* truncates */
    CHECK_STR(tml_fs_read_file(R(f)), "more");
    CHECK_EQ_I64(tml_fs_remove_file(R(f)), 1);
    CHECK_EQ_I64(tml_fs_remove_file(R(f)), 0);
    CHECK_EQ_I64(tml_fs_last_error(), ENOENT);
    CHECK_STR(tml_fs_read_file(R(f)), "");
    CHECK_EQ_I64(tml_fs_last_error(), ENOENT);
    CHECK_STR(tml_fs_strerror(ENOENT), "No such file or directory");
    TmlStr *nul = tml_str_new("a\0b", 3);
    CHECK_EQ_I64(tml_fs_write_file(R(nul), R(hello), 0), 0);
    CHECK_EQ_I64(tml_fs_last_error(), EINVAL);
    tml_str_release(nul);
    tml_str_release(f);
    tml_str_release(hello);
    tml_str_release(more);
}

/* reading a pipe (its size unknown: the buffer grows past its first 4096 bytes, then shrinks to fit) and an empty
 * regular file (the static empty string) */
static void test_read_sizes(void) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    char block[10000];
    for (size_t k = 0; k < sizeof block; k++) block[k] = (char)('a' + k % 26);
    CHECK(write(fds[1], block, sizeof block) == (ssize_t)sizeof block);
    close(fds[1]);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fds[0]);
    TmlStr *got = tml_fs_read_file(S(path));
    CHECK_EQ_I64(tml_fs_last_error(), 0);
    CHECK_EQ_I64(got->len, (int64_t)sizeof block);
    CHECK(memcmp(got->bytes, block, sizeof block) == 0);
    CHECK(got->bytes[got->len] == '\0');
    tml_str_release(got);
    close(fds[0]);
    TmlStr *f = P("empty.txt"), *none = S("");
    CHECK_EQ_I64(tml_fs_write_file(R(f), R(none), 0), 1);
    CHECK_STR(tml_fs_read_file(R(f)), "");
    CHECK_EQ_I64(tml_fs_last_error(), 0);
    CHECK_EQ_I64(tml_fs_remove_file(R(f)), 1);
    tml_str_release(f);
    tml_str_release(none);
}

static void test_dirs(void) {
    TmlStr *d = P("sub"), *x = P("sub/b"), *y = P("sub/a"), *z = P("sub/c"), *t = S("x");
    CHECK_EQ_I64(tml_fs_create_dir(R(d)), 1);
    CHECK_EQ_I64(tml_fs_create_dir(R(d)), 0);
    CHECK_EQ_I64(tml_fs_last_error(), EEXIST);
    CHECK_EQ_I64(tml_fs_kind(R(d)), 2);
    CHECK_STR(tml_fs_list_dir(R(d)), "");
    CHECK_EQ_I64(tml_fs_last_error(), 0);
    CHECK_STR(tml_fs_read_file(R(d)), "");
    CHECK_EQ_I64(tml_fs_last_error(), EISDIR);
    CHECK_EQ_I64(tml_fs_write_file(R(x), R(t), 0), 1);
    CHECK_EQ_I64(tml_fs_write_file(R(y), R(t), 0), 1);
    CHECK_EQ_I64(tml_fs_create_dir(R(z)), 1);
    TmlStr *l = tml_fs_list_dir(R(d));
    CHECK_EQ_I64(l->len, 6);
    CHECK(memcmp(l->bytes, "a\0b\0c\0", 6) == 0);
    tml_str_release(l);
    CHECK_EQ_I64(tml_fs_remove_dir(R(d)), 0);
    CHECK_EQ_I64(tml_fs_last_error(), ENOTEMPTY);
    CHECK_EQ_I64(tml_fs_remove_file(R(x)), 1);
    CHECK_EQ_I64(tml_fs_remove_file(R(y)), 1);
    CHECK_EQ_I64(tml_fs_remove_dir(R(z)), 1);
    CHECK_EQ_I64(tml_fs_remove_dir(R(d)), 1);
    CHECK_EQ_I64(tml_fs_kind(R(d)), 0);
    CHECK_STR(tml_fs_list_dir(R(d)), "");
    CHECK_EQ_I64(tml_fs_last_error(), ENOENT);
    tml_str_release(d);
    tml_str_release(x);
    tml_str_release(y);
    tml_str_release(z);
    tml_str_release(t);
}

int main(void) {
    char *argv[] = {"test_fs", NULL};
    tml_runtime_init(1, argv, 1);
    const char *tmp = getenv("TMPDIR");
    snprintf(base, sizeof base, "%s/tml_test_fs_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(base)) {
        perror("mkdtemp");
        return 1;
    }
    test_files();
    test_read_sizes();
    test_dirs();
    rmdir(base);
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);
    CHECK_EQ_I64(tml_runtime_exit(0), 0);
    return tu_finish("test_fs");
}
