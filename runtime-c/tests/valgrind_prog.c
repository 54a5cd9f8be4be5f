/* valgrind_prog.c — a small, clean program run under Valgrind by ctest (valgrind_clean_<variant>): Valgrind must
 * report no errors and "All heap blocks were freed" (the quarantine is released at exit, stdout is a static
 * buffer, nothing else is kept). Also a plain test of its own. */
#include "test_util.h"

static const TmlAllocSite site = {{"vg.tml", 1, 1}, "raw alloc"};
static const TmlLoc loc = {"vg.tml", 2, 2};

int main(int argc, char **argv) {
    tml_runtime_init(argc, argv, 1);
    TU_LIT(sep, ",");
    TU_LIT(fmt, "{} + {} = {}");
    TmlStr *line = tu_str("a,,b,c");
    TmlStr **fields = NULL;
    int64_t n = tml_str_split(line, sep, &fields, &site);
    for (int64_t i = 0; i < n; i++) {
        tml_println(fields[i], 0);
        tml_str_release(fields[i]);
    }
    tml_free(fields, &loc);
    tml_str_release(line);

    TmlStr *args[3] = {tml_str_from_f64(0.1), tml_str_from_f64(0.2), tml_str_from_f64(0.1 + 0.2)};
    TmlStr *sum = tml_format(fmt, args, 3);
    tml_println(sum, 0);
    tml_str_release(sum);
    for (int i = 0; i < 3; i++) tml_str_release(args[i]);

    for (int64_t i = 0; i < tml_args_count(); i++) {
        TmlStr *a = tml_args_get(i);
        tml_println(a, 1);
        tml_str_release(a);
    }

    /* enough traffic to fill and cycle the quarantine */
    for (int i = 0; i < 10000; i++) {
        char *p = tml_alloc(16 + i % 64, &site);
        p[0] = 'x';
        p = tml_realloc(p, 128, &site);
        tml_free(p, &loc);
    }
    return tml_runtime_exit(0);
}
