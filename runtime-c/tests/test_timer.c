/* test_timer.c — timer.c: after(ms) puts one element into its channel no sooner than ms later; timers fire in due
 * order; a channel released before its timer fires frees the timer at once (nothing left allocated, and the timer
 * thread never touches the freed channel); a receiver waiting on a timer is no deadlock; the timer thread is
 * joined by the shutdown. Runs against every variant (ASan: use after free; tracked: leaks). */
#include "test_util.h"

#include <time.h>

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_fires_once_after(void) {
    void *ch = tml_chan_new(1, 1);
    int64_t t0 = now_ms();
    tml_timer_after(ch, 30);
    CHECK_EQ_I64(tml_timers_pending(), 1);
    unsigned char x = 7;
    /* not yet, unless this thread was descheduled for 30 ms (a loaded machine): then it fired in time */
    if (tml_chan_try_recv(ch, &x) == 1)
        CHECK(now_ms() - t0 >= 30);
    else
        CHECK_EQ_I64(tml_chan_recv(ch, &x), 1); /* main alone waits on a timer: no deadlock */
    CHECK(now_ms() - t0 >= 30);
    CHECK_EQ_I64(x, 0);
    CHECK_EQ_I64(tml_timers_pending(), 0);
    CHECK_EQ_I64(tml_chan_try_recv(ch, &x), 0); /* exactly one element */
    tml_chan_release(ch);
}

static void test_order(void) {
    void *late = tml_chan_new(1, 1), *soon = tml_chan_new(1, 1), *now = tml_chan_new(1, 1);
    int64_t t0 = now_ms();
    tml_timer_after(late, 60);
    tml_timer_after(soon, 20);
    CHECK_EQ_I64(tml_timers_pending(), 2);
    tml_timer_after(now, -5); /* at once */
    unsigned char x;
    CHECK_EQ_I64(tml_chan_recv(now, &x), 1);
    CHECK_EQ_I64(tml_chan_recv(soon, &x), 1);
    if (tml_chan_try_recv(late, &x) == 1) /* not yet, unless the machine is so loaded that 60 ms went by */
        CHECK(now_ms() - t0 >= 60);
    else
        CHECK_EQ_I64(tml_chan_recv(late, &x), 1);
    CHECK(now_ms() - t0 >= 60);
    CHECK_EQ_I64(tml_timers_pending(), 0);
    tml_chan_release(late);
    tml_chan_release(soon);
    tml_chan_release(now);
}

static void test_released_before_firing(void) {
    for (int i = 0; i < 50; i++) {
        void *ch = tml_chan_new(1, 1);
        tml_timer_after(ch, i % 3); /* some fire while others are being released */
        tml_chan_release(ch);
    }
    void *ch = tml_chan_new(1, 1);
    tml_timer_after(ch, 10000);
    CHECK(tml_timers_pending() >= 1);
    tml_chan_release(ch); /* the timer goes with it, long before it would fire */
    struct timespec ts = {0, 20 * 1000000L};
    nanosleep(&ts, NULL);
    CHECK_EQ_I64(tml_timers_pending(), 0);
}

static void test_closed_or_full(void) {
    void *ch = tml_chan_new(1, 1);
    tml_chan_close(ch);
    tml_timer_after(ch, 0); /* the timer finds it closed: nothing is put */
    struct timespec ts = {0, 20 * 1000000L};
    nanosleep(&ts, NULL);
    unsigned char x;
    CHECK_EQ_I64(tml_timers_pending(), 0);
    CHECK_EQ_I64(tml_chan_recv(ch, &x), 0);
    tml_chan_release(ch);
}

int main(void) {
    test_fires_once_after();
    test_order();
    test_released_before_firing();
    test_closed_or_full();
    tml_rt_timers_shutdown();
    tml_rt_timers_shutdown(); /* twice: harmless */
    CHECK_EQ_I64(tml_mem_live_blocks(), 0);
    return tu_finish("test_timer");
}
