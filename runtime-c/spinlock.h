/* spinlock.h — a tiny test-and-test-and-set lock for very short critical sections (the tracker's list and
 * quarantine updates). Cheaper than a pthread mutex on the hot allocation path; under contention it yields the
 * CPU instead of burning it. */
#ifndef TML_SPINLOCK_H
#define TML_SPINLOCK_H

#include <sched.h>

typedef struct TmlSpinlock {
    int locked;
} TmlSpinlock;

#define TML_SPINLOCK_INIT {0}

static inline void tml_spin_lock(TmlSpinlock *l) {
    for (;;) {
        if (!__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) return;
        for (int spins = 0; __atomic_load_n(&l->locked, __ATOMIC_RELAXED); spins++) {
            if (spins >= 64) {
                sched_yield();
                spins = 0;
            } else {
#if defined(__x86_64__) || defined(__i386__)
                __builtin_ia32_pause();
#elif defined(__aarch64__)
                __asm__ __volatile__("yield");
#endif
            }
        }
    }
}

static inline int tml_spin_trylock(TmlSpinlock *l) {
    return !__atomic_load_n(&l->locked, __ATOMIC_RELAXED) && !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void tml_spin_unlock(TmlSpinlock *l) { __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE); }

#endif /* TML_SPINLOCK_H */
