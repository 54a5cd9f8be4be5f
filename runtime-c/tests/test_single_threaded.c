/* test_single_threaded.c — the runtime linked into a program that defines the "threads started" flag itself as a
 * constant 0 (single_threaded_program.c; what codegen emits for a --release program that calls no runtime function
 * able to start a thread): refcounts, strings and class pools work with it, the archive's own definition of the
 * flag is not linked (no duplicate symbol), and every way of starting a thread stops with an internal error
 * instead of writing the read-only flag. */
#include "test_util.h"

#include "tml_async.h"

static const TmlAllocSite site = {{"st.tml", 1, 1}, "Node"};

static void destroy_free(void *o) { tml_obj_free(o); }
static void *vtable[] = {(void *)destroy_free};

static void test_single_threaded_work(void) {
    TmlStr *s1 = tu_str("single"), *s2 = tu_str("-threaded");
    TmlStr *s = tml_str_concat(s1, s2);
    tml_str_release(s1);
    tml_str_release(s2);
    tml_str_retain(s);
    tml_str_release(s);
    CHECK_STR(s, "single-threaded");
    tml_str_release(s);

    void *o = tml_obj_alloc(32, vtable, &site);
    tml_obj_retain(o);
    CHECK_EQ_I64(tml_obj_refcount(o), 2);
    tml_obj_release(o);
    CHECK_EQ_I64(tml_obj_refcount(o), 1);
    tml_obj_release(o); /* frees it (Valgrind and ASan runs check) */

    static TmlClassPool pool;
    void *a = tml_class_pool_alloc(&pool, 48, vtable, &site);
    void *b = tml_class_pool_alloc(&pool, 48, vtable, &site);
    CHECK(a != b);
    tml_class_pool_free(&pool, a);
    CHECK(tml_class_pool_alloc(&pool, 48, vtable, &site) == a); /* the free slot comes back first */
    tml_class_pool_free(&pool, a);
    tml_class_pool_free(&pool, b);
}

static void run_nothing(void *env, void *out) {
    (void)env;
    (void)out;
}

static void spawn_task(void *arg) {
    (void)arg;
    tml_task_spawn(run_nothing, NULL, 0, NULL);
}

static void start_timer(void *arg) {
    (void)arg;
    tml_timer_after(tml_chan_new(1, 8), 1);
}

static void check_refused(void (*fn)(void *), const char *what) {
    TuChild *c = tu_run_child(fn, NULL);
    if (c->status != 101) fprintf(stderr, "%s: status %d\n", what, c->status);
    CHECK_EQ_I64(c->status, 101);
    CHECK_EQ_CSTR(c->err, "tmlc: internal error: this program was compiled as single-threaded (it calls no runtime "
                          "function that starts a thread), but it is starting one; please report it\n");
}

int main(void) {
    tml_runtime_init(0, NULL, 0);
    test_single_threaded_work();
    check_refused(spawn_task, "tml_task_spawn");
    check_refused(start_timer, "tml_timer_after");
    return tu_finish("test_single_threaded");
}
