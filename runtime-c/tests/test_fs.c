/* test_fs.c — fs.c: reading, writing and appending files, file kinds, directories and their listings, and the
 * per-thread error number, with nothing left allocated. */
#include "test_util.h"

#include <errno.h>
#include <sys/stat.h>

static TmlStr *S(const char *c) { return tml_str_new(c, (int64_t)strlen(c)); }

static char base[256];

static TmlStr *P(const char *rel) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", base, rel);
    return S(buf);
}

static void test_files(void) {
    TmlStr *f = P("a.txt"), *hello = S("hello\n"), *more = S("more");
    CHECK_EQ_I64(tml_fs_kind(f), 0);
    CHECK_EQ_I64(tml_fs_last_error(), ENOENT);
    CHECK_EQ_I64(tml_fs_write_file(f, hello, 0), 1);
    CHECK_EQ_I64(tml_fs_last_error(), 0);
    CHECK_EQ_I64(tml_fs_write_file(f, more, 1), 1);
    CHECK_STR(tml_fs_read_file(f), "hello\nmore");
    CHECK_EQ_I64(tml_fs_last_error(), 0);
    CHECK_EQ_I64(tml_fs_kind(f), 1);
    CHECK_EQ_I64(tml_fs_write_file(f, more, 0), 1); /* truncates */
    CHECK_STR(tml_fs_read_file(f), "more");
    CHECK_EQ_I64(tml_fs_remove_file(f), 1);
    CHECK_EQ_I64(tml_fs_remove_file(f), 0);
    CHECK_EQ_I64(tml_fs_last_error(), ENOENT);
    CHECK_STR(tml_fs_read_file(f), "");
    CHECK_EQ_I64(tml_fs_last_error(), ENOENT);
    CHECK_STR(tml_fs_strerror(ENOENT), "No such file or directory");
    TmlStr *nul = tml_str_new("a\0b", 3);
    CHECK_EQ_I64(tml_fs_write_file(nul, hello, 0), 0);
    CHECK_EQ_I64(tml_fs_last_error(), EINVAL);
    tml_str_release(nul);
    tml_str_release(f);
    tml_str_release(hello);
    tml_str_release(more);
}

static void test_dirs(void) {
    TmlStr *d = P("sub"), *x = P("sub/b"), *y = P("sub/a"), *z = P("sub/c"), *t = S("x");
    CHECK_EQ_I64(tml_fs_create_dir(d), 1);
    CHECK_EQ_I64(tml_fs_create_dir(d), 0);
    CHECK_EQ_I64(tml_fs_last_error(), EEXIST);
    CHECK_EQ_I64(tml_fs_kind(d), 2);
    CHECK_STR(tml_fs_list_dir(d), "");
    CHECK_EQ_I64(tml_fs_last_error(), 0);
    CHECK_STR(tml_fs_read_file(d), "");
    CHECK_EQ_I64(tml_fs_last_error(), EISDIR);
    CHECK_EQ_I64(tml_fs_write_file(x, t, 0), 1);
    CHECK_EQ_I64(tml_fs_write_file(y, t, 0), 1);
    CHECK_EQ_I64(tml_fs_create_dir(z), 1);
    TmlStr *l = tml_fs_list_dir(d);
    CHECK_EQ_I64(l->len, 6);
    CHECK(memcmp(l->bytes, "a\0b\0c\0", 6) == 0);
    tml_str_release(l);
    CHECK_EQ_I64(tml_fs_remove_dir(d), 0);
    CHECK_EQ_I64(tml_fs_last_error(), ENOTEMPTY);
    CHECK_EQ_I64(tml_fs_remove_file(x), 1);
    CHECK_EQ_I64(tml_fs_remove_file(y), 1);
    CHECK_EQ_I64(tml_fs_remove_dir(z), 1);
    CHECK_EQ_I64(tml_fs_remove_dir(d), 1);
    CHECK_EQ_I64(tml_fs_kind(d), 0);
    CHECK_STR(tml_fs_list_dir(d), "");
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
    test_dirs();
    rmdir(base);
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);
    CHECK_EQ_I64(tml_runtime_exit(0), 0);
    return tu_finish("test_fs");
}
