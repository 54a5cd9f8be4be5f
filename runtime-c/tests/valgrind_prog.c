/* valgrind_prog.c — a small, clean program run under Valgrind by ctest (valgrind_clean_<variant>): Valgrind must
 * report no errors and "All heap blocks were freed" (the quarantine is released at exit, stdout is a static
 * buffer, pool chunks are freed at exit or when their thread ends, the borrow marks' side table at exit, nothing
 * else is kept). Also a plain test of its own. */
#include "test_util.h"

#include <pthread.h>

static const TmlAllocSite site = {{"vg.tml", 1, 1}, "raw alloc"};
static const TmlLoc loc = {"vg.tml", 2, 2};
static const TmlAllocSite obj_site = {{"vg.tml", 3, 3}, "Node"};

/* class instances: a @pool class, a @pool(thread_local) class used by two threads, a heap class */
static TmlClassPool node_pool, msg_key;
static void node_drop(void *o) { tml_class_pool_free(&node_pool, o); }
static void msg_drop(void *o) { tml_class_tlpool_free(o); }
static void heap_drop(void *o) { tml_obj_free(o); }
static void *node_vtable[] = {(void *)node_drop};
static void *msg_vtable[] = {(void *)msg_drop};
static void *heap_vtable[] = {(void *)heap_drop};

static void *messages(void *arg) {
    void **keep = arg;
    for (int i = 0; i < 300; i++) tml_obj_release(tml_class_tlpool_alloc(&msg_key, 32, msg_vtable, &obj_site));
    *keep = tml_class_tlpool_alloc(&msg_key, 32, msg_vtable, &obj_site); /* freed by main after this thread ends */
    return NULL;
}

static void objects(void) {
    void *nodes[100];
    for (int i = 0; i < 100; i++) nodes[i] = tml_class_pool_alloc(&node_pool, 48, node_vtable, &obj_site);
    for (int i = 0; i < 100; i++) tml_obj_release(nodes[i]);
    tml_obj_release(tml_obj_alloc(24, heap_vtable, &obj_site));
    void *kept = tml_class_tlpool_alloc(&msg_key, 32, msg_vtable, &obj_site); /* main's pool: freed at exit */
    void *from_thread = NULL;
    pthread_t t;
    tml_rt_threads_starting(); /* raw threads: the runtime must know */
    pthread_create(&t, NULL, messages, &from_thread);
    pthread_join(t, NULL);
    tml_obj_release(from_thread);
    tml_obj_release(kept);
}

/* borrow marks: the side table grows past its first size, an object holds more marks than fit inline, and some
 * marks are still live at exit (on a static object): tml_runtime_exit frees the table all the same */
static _Alignas(16) TmlObject marked[300];

static void borrow_marks(void) {
    for (int i = 0; i < 300; i++) tml_obj_borrow(&marked[i], i % 2, &loc);
    for (int i = 0; i < 6; i++) tml_obj_borrow(&marked[0], 0, &loc);
    for (int i = 1; i < 300; i++) tml_obj_unborrow(&marked[i], i % 2);
    tml_obj_check_mut(&marked[1], "Node", &loc);
}

/* tasks and a channel: a producer task, a joined task, a detached one whose boxed result is dropped by its thread */
typedef struct TaskEnv {
    void *ch;
    int64_t n;
} TaskEnv;

static void produce(void *env, void *out) {
    TaskEnv e = *(TaskEnv *)env;
    tml_free(env, &loc);
    for (int64_t i = 1; i <= e.n; i++) tml_chan_send(e.ch, &i);
    tml_chan_close(e.ch);
    tml_chan_release(e.ch);
    memcpy(out, &e.n, sizeof e.n);
}

static void boxed(void *env, void *out) {
    tml_free(env, &loc);
    int64_t *box = tml_alloc(sizeof *box, &site);
    *box = 7;
    memcpy(out, &box, sizeof box);
}

static void drop_box(void *result) {
    int64_t *box;
    memcpy(&box, result, sizeof box);
    tml_free(box, &loc);
}

static void tasks(void) {
    void *ch = tml_chan_new(4, sizeof(int64_t));
    TaskEnv *e = tml_alloc(sizeof *e, &site);
    tml_chan_retain(ch);
    e->ch = ch;
    e->n = 100;
    void *t = tml_task_spawn(produce, e, sizeof(int64_t), NULL);
    int64_t v, sum = 0, n = 0;
    while (tml_chan_recv(ch, &v)) sum += v;
    tml_task_join(t, &n);
    tml_chan_release(ch);
    if (sum != 5050 || n != 100) {
        fprintf(stderr, "valgrind_prog: tasks: sum %lld, n %lld\n", (long long)sum, (long long)n);
        exit(1);
    }
    tml_task_detach(tml_task_spawn(boxed, tml_alloc(8, &site), sizeof(int64_t *), drop_box)); /* joined at exit */
}

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

    objects();
    tasks();
    borrow_marks();

    /* enough traffic to fill and cycle the quarantine */
    for (int i = 0; i < 10000; i++) {
        char *p = tml_alloc(16 + i % 64, &site);
        p[0] = 'x';
        p = tml_realloc(p, 128, &site);
        tml_free(p, &loc);
    }
    return tml_runtime_exit(0);
}
