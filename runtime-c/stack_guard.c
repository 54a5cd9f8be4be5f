/* stack_guard.c — a stack overflow is a panic: "panic: stack overflow in `NAME`", status 101 (docs/decisions.md
 * "Runtime failures").
 *
 * Without this a deep recursion ends with a bare SIGSEGV: no message, and the buffered stdout is lost. The handler
 * cannot run on the stack that overflowed, so every thread that runs TML code gets an alternate signal stack
 * (sigaltstack): the main thread in tml_runtime_init, each task thread in thread.c's task_main. Each thread also
 * records the bounds of its own stack while it can still call pthread_getattr_np (which allocates).
 *
 * In the handler (async-signal-safe: write(2), open/mmap, no malloc, no locks except a trylock on stdout):
 *   - a fault whose address lies in the guard region just below the current thread's stack (or within the lowest
 *     page of it) is an overflow; anything else (a null or wild pointer) keeps the default behaviour: the handler
 *     restores SIG_DFL and returns, the instruction faults again and the process dies of the signal as before;
 *   - the TML function is the symbol of the faulting instruction when it is a TML function (`tml.MODULE.NAME…`,
 *     shown as `MODULE::NAME`), else the innermost TML function whose return address is found on the stack above
 *     the fault (the overflow may happen inside a runtime or libc call). Symbols come from the executable's own
 *     .symtab, read through /proc/self/exe; a stripped executable gives the message without a name.
 * Sanitizer builds leave SIGSEGV to the sanitizer, which reports stack overflows itself. */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>

#include "internal.h"

#define ALT_STACK_SIZE (64 * 1024)
/* Below a thread's lowest usable address: the pthread guard page(s) of a task thread, the kernel's stack guard gap
 * (256 pages) of the main thread. A fault there, or in the lowest page of the stack itself, is an overflow. */
#define GUARD_WINDOW ((uintptr_t)1 << 20)
#define LOW_SLACK ((uintptr_t)64 * 1024)
#define SCAN_WORDS 4096 /* how far up the stack the return-address search looks (32 KiB) */

static _Thread_local uintptr_t stack_lo, stack_hi; /* this thread's usable stack, [lo, hi); 0 when unknown */
static _Thread_local void *alt_stack;
static int installed;

static void record_stack_bounds(void) {
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
        stack_lo = (uintptr_t)addr;
        stack_hi = (uintptr_t)addr + size;
    }
    pthread_attr_destroy(&attr);
}

int tml_rt_stack_guard_thread_init(void) {
    if (!__atomic_load_n(&installed, __ATOMIC_ACQUIRE) || alt_stack) return 0;
    record_stack_bounds();
    void *p = mmap(NULL, ALT_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 0;
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = p;
    ss.ss_size = ALT_STACK_SIZE;
    if (sigaltstack(&ss, NULL) != 0) {
        munmap(p, ALT_STACK_SIZE);
        return 0;
    }
    alt_stack = p;
    return 1;
}

void tml_rt_stack_guard_thread_end(void) {
    if (!alt_stack) return;
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    munmap(alt_stack, ALT_STACK_SIZE);
    alt_stack = NULL;
}

/* ---- the handler's helpers: nothing below allocates or locks ---- */

static void put(const char *s) {
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(2, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

/* The executable's symbol table, mapped read-only for the duration of one report. */
typedef struct {
    const unsigned char *base;
    size_t size;
    const Elf64_Sym *syms;
    size_t nsyms;
    const char *strs;
    size_t strs_size;
    uintptr_t bias; /* run-time address = st_value + bias */
} SymTab;

static void tml_rt_stack_overflow_handler(int sig, siginfo_t *si, void *ucv);

static int symtab_open(SymTab *t) {
    memset(t, 0, sizeof *t);
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat st;
    void *m = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size > (off_t)sizeof(Elf64_Ehdr))
        m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) return 0;
    t->base = m;
    t->size = (size_t)st.st_size;
    const Elf64_Ehdr *eh = m;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff == 0 ||
        eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > t->size)
        return 0;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(t->base + eh->e_shoff);
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum) continue;
        const Elf64_Shdr *ss = &sh[sh[i].sh_link];
        if (sh[i].sh_offset + sh[i].sh_size > t->size || ss->sh_offset + ss->sh_size > t->size) return 0;
        t->syms = (const Elf64_Sym *)(t->base + sh[i].sh_offset);
        t->nsyms = sh[i].sh_size / sizeof(Elf64_Sym);
        t->strs = (const char *)(t->base + ss->sh_offset);
        t->strs_size = ss->sh_size;
        break;
    }
    if (!t->syms) return 0;
    /* the load bias (position-independent executables): from this very handler's symbol (a unique name) */
    for (size_t i = 0; i < t->nsyms; i++) {
        const Elf64_Sym *s = &t->syms[i];
        if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_name >= t->strs_size || !s->st_value) continue;
        if (strcmp(t->strs + s->st_name, "tml_rt_stack_overflow_handler") != 0) continue;
        t->bias = (uintptr_t)&tml_rt_stack_overflow_handler - (uintptr_t)s->st_value;
        return 1;
    }
    return 0;
}

static void symtab_close(SymTab *t) {
    if (t->base) munmap((void *)t->base, t->size);
}

/* The name of the TML function containing address a (a symbol `tml.…`), or NULL. */
static const char *tml_function_at(const SymTab *t, uintptr_t a) {
    if (a < t->bias) return NULL;
    uintptr_t v = a - t->bias;
    for (size_t i = 0; i < t->nsyms; i++) {
        const Elf64_Sym *s = &t->syms[i];
        if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_size == 0) continue;
        if (v < s->st_value || v - s->st_value >= s->st_size || s->st_name >= t->strs_size) continue;
        const char *name = t->strs + s->st_name;
        return strncmp(name, "tml.", 4) == 0 ? name : NULL;
    }
    return NULL;
}

/* `tml.main.depth$I64` -> `main::depth` (written into out). */
static void demangle(const char *sym, char *out, size_t cap) {
    size_t o = 0;
    for (const char *p = sym + 4; *p && *p != '$' && o + 3 < cap; p++) {
        if (*p == '.') {
            if (strncmp(p, ".llvm.", 6) == 0) break; /* a suffix added by LLVM when it internalises */
            out[o++] = ':';
            out[o++] = ':';
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

static int page_mapped(uintptr_t page) {
    unsigned char v;
    return mincore((void *)page, 1, &v) == 0;
}

/* The innermost TML function: the one executing `pc`, else the first return address into a TML function found
 * on the stack from `sp` upwards (at most SCAN_WORDS words; it stops at the stack's top and at an unmapped page). */
static const char *innermost_tml_function(const SymTab *t, uintptr_t pc, uintptr_t sp) {
    const char *name = tml_function_at(t, pc);
    if (name) return name;
    if (!sp || !stack_hi) return NULL;
    long pagesz = sysconf(_SC_PAGESIZE);
    uintptr_t page_mask = ~((uintptr_t)(pagesz > 0 ? pagesz : 4096) - 1);
    uintptr_t checked = 0; /* the page last found mapped */
    sp &= ~(uintptr_t)7;
    for (int i = 0; i < SCAN_WORDS && sp + sizeof(uintptr_t) <= stack_hi; i++, sp += sizeof(uintptr_t)) {
        uintptr_t page = sp & page_mask;
        if (page != checked) {
            if (!page_mapped(page)) return NULL;
            checked = page;
        }
        name = tml_function_at(t, *(const uintptr_t *)sp);
        if (name) return name;
    }
    return NULL;
}

static void context_pc_sp(const void *ucv, uintptr_t *pc, uintptr_t *sp) {
    const ucontext_t *uc = ucv;
    *pc = *sp = 0;
#if defined(__x86_64__)
    *pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    *sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
    *pc = (uintptr_t)uc->uc_mcontext.pc;
    *sp = (uintptr_t)uc->uc_mcontext.sp;
#else
    (void)uc;
#endif
}

static int is_overflow(uintptr_t addr) {
    if (!stack_lo || !stack_hi) return 0;
    uintptr_t floor = stack_lo > GUARD_WINDOW ? stack_lo - GUARD_WINDOW : 0;
    return addr >= floor && addr < stack_lo + LOW_SLACK && addr < stack_hi;
}

static void tml_rt_stack_overflow_handler(int sig, siginfo_t *si, void *ucv) {
    if (si->si_code <= 0 || !is_overflow((uintptr_t)si->si_addr)) {
        /* not a stack overflow: the default action, as if no handler were installed */
        signal(sig, SIG_DFL);
        if (si->si_code <= 0) raise(sig); /* sent by kill/raise: it will not fault again */
        return;
    }
    tml_rt_flush_stdout_try();
    uintptr_t pc, sp;
    context_pc_sp(ucv, &pc, &sp);
    char name[256];
    name[0] = '\0';
    SymTab t;
    if (symtab_open(&t)) {
        const char *sym = innermost_tml_function(&t, pc, sp);
        if (sym) demangle(sym, name, sizeof name);
    }
    symtab_close(&t);
    if (name[0]) {
        put("panic: stack overflow in `");
        put(name);
        put("`\n");
    } else {
        put("panic: stack overflow\n");
    }
    _exit(101);
}

void tml_rt_stack_guard_install(void) {
    if (__atomic_exchange_n(&installed, 1, __ATOMIC_ACQ_REL)) {
        tml_rt_stack_guard_thread_init();
        return;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = tml_rt_stack_overflow_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    tml_rt_stack_guard_thread_init();
}
