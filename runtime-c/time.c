/* time.c — sleeping (the monotonic clock itself is tml_clock_ns in essential.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <time.h>

#include "internal.h"
#include "tml_runtime.h"

/* Sleeps at least ms milliseconds (nothing for ms <= 0), resuming after signals. Flushes stdout first, so output
 * printed before a pause is seen during it. */
void tml_sleep_ms(int64_t ms) {
    tml_rt_flush_stdout();
    if (ms <= 0) return;
    tml_rt_async_worker_blocks();
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}
