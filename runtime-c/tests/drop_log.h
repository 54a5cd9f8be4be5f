/* drop_log.h — the drop log of the executor tests (test_async.c, test_async_integ.c): which drop functions ran, in
 * order, from any thread. */
#ifndef TML_TEST_DROP_LOG_H
#define TML_TEST_DROP_LOG_H

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static char drop_log[256];

static void log_drop(const char *what) {
    pthread_mutex_lock(&log_mu);
    strncat(drop_log, what, sizeof drop_log - strlen(drop_log) - 1);
    pthread_mutex_unlock(&log_mu);
}

static inline void log_reset(void) {
    pthread_mutex_lock(&log_mu);
    drop_log[0] = '\0';
    pthread_mutex_unlock(&log_mu);
}

/* The log so far into buf; with `reset`, the log starts empty again. */
static inline void log_read(char *buf, size_t cap, int reset) {
    pthread_mutex_lock(&log_mu);
    snprintf(buf, cap, "%s", drop_log);
    if (reset) drop_log[0] = '\0';
    pthread_mutex_unlock(&log_mu);
}

#endif
