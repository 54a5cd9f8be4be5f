/* Ping-pong: the C twin of pingpong.tml. Two threads and two bounded queues of capacity 1 (CAP), each a ring
 * buffer guarded by a mutex with two condvars (not empty, not full) and a closed flag, like a blocking channel.
 * ping sends i on `a` and waits for the reply on `b`; pong replies i + 1 until `a` is closed.
 *
 * Usage: pingpong_c [N]   (default 1000000) */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef CAP
#define CAP 1
#endif

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    int64_t buf[CAP];
    int head, len, closed;
} Queue;

static void queue_init(Queue *q) {
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    pthread_cond_init(&q->not_full, NULL);
    q->head = q->len = q->closed = 0;
}

static void queue_send(Queue *q, int64_t v) {
    pthread_mutex_lock(&q->mu);
    while (q->len == CAP) pthread_cond_wait(&q->not_full, &q->mu);
    q->buf[(q->head + q->len) % CAP] = v;
    q->len++;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
}

/* 1 and *v set, or 0 once closed and drained */
static int queue_recv(Queue *q, int64_t *v) {
    pthread_mutex_lock(&q->mu);
    while (q->len == 0 && !q->closed) pthread_cond_wait(&q->not_empty, &q->mu);
    int ok = q->len > 0;
    if (ok) {
        *v = q->buf[q->head];
        q->head = (q->head + 1) % CAP;
        q->len--;
        pthread_cond_signal(&q->not_full);
    }
    pthread_mutex_unlock(&q->mu);
    return ok;
}

static void queue_close(Queue *q) {
    pthread_mutex_lock(&q->mu);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
}

static Queue a, b;
static int64_t n, sum, count;

static void *ping(void *arg) {
    (void)arg;
    for (int64_t i = 0; i < n; i++) {
        int64_t v;
        queue_send(&a, i);
        if (!queue_recv(&b, &v)) break;
        sum += v;
    }
    queue_close(&a);
    return NULL;
}

static void *pong(void *arg) {
    (void)arg;
    int64_t v;
    while (queue_recv(&a, &v)) {
        queue_send(&b, v + 1);
        count++;
    }
    return NULL;
}

int main(int argc, char **argv) {
    n = argc > 1 ? atoll(argv[1]) : 1000000;
    queue_init(&a);
    queue_init(&b);
    pthread_t tp, tq;
    pthread_create(&tp, NULL, pong, NULL);
    pthread_create(&tq, NULL, ping, NULL);
    pthread_join(tq, NULL);
    pthread_join(tp, NULL);
    printf("messages %lld\n", (long long)count);
    printf("checksum %lld\n", (long long)sum);
    return 0;
}
