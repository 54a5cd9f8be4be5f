/* test_time.c — tml_sleep_ms sleeps at least as long as asked on the monotonic clock; tml_read_all_stdin takes
 * what tml_read_line left, bytes unchanged. */
#include "test_util.h"

static void test_sleep(void) {
    int64_t t0 = tml_clock_ns();
    tml_sleep_ms(20);
    int64_t t1 = tml_clock_ns();
    CHECK(t1 - t0 >= 20 * 1000000LL);
    tml_sleep_ms(0);
    tml_sleep_ms(-5);
    CHECK(tml_clock_ns() >= t1);
}

static void child_rest(void *unused) {
    (void)unused;
    TmlStr *line;
    if (tml_read_line(&line)) {
        tml_print(line, 0);
        tml_str_release(line);
    }
    TmlStr *rest = tml_read_all_stdin();
    TmlStr *bar = tml_str_new("|", 1);
    tml_print(bar, 0);
    tml_print(rest, 0);
    tml_print(bar, 0);
    tml_str_release(rest);
    rest = tml_read_all_stdin();
    tml_print(rest, 0); /* nothing more */
    tml_str_release(rest);
    tml_str_release(bar);
    tml_exit(0);
}

static void test_read_all(void) {
    TuChild *c = tu_run_child_ex(child_rest, NULL, 0, "first\r\nsecond\r\nthird");
    CHECK_EQ_I64(c->status, 0);
    CHECK_EQ_CSTR(c->out, "first|second\r\nthird|");
    c = tu_run_child_ex(child_rest, NULL, 0, "");
    CHECK_EQ_CSTR(c->out, "||");
}

int main(void) {
    char *argv[] = {"test_time", NULL};
    tml_runtime_init(1, argv, 1);
    test_sleep();
    test_read_all();
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);
    CHECK_EQ_I64(tml_runtime_exit(0), 0);
    return tu_finish("test_time");
}
