// enum_dispatch: the C twin of enum_dispatch.tml: a tagged struct and a `switch`, in a small function and inside a
// large one (with the same string, list and map work around the loop: snprintf'd names, a linear-probe table).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum Kind { ADD, MUL, XOR, SHR, NEG, SWAP, DUP };
typedef struct { enum Kind kind; int64_t v; } Op;

static Op *make_ops(int64_t n) {
    Op *ops = malloc((size_t)n * sizeof *ops);
    int64_t x = 7;
    for (int64_t i = 0; i < n; i++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        int64_t k = (x >> 8) % 7, v = (x >> 12) % 1000 + 1;
        ops[i].kind = (enum Kind)k;
        ops[i].v = k == SHR ? v % 5 : (k >= NEG ? 0 : v);
    }
    return ops;
}

#define LOOP                                                          \
    for (int64_t r = 0; r < rounds; r++) {                            \
        for (int64_t i = 0; i < n; i++) {                             \
            const Op *op = &ops[i];                                   \
            switch (op->kind) {                                       \
            case ADD: a = (a + op->v) & 0xffffffff; break;            \
            case MUL: a = (a * op->v) & 0xffffffff; break;            \
            case XOR: a = a ^ op->v; break;                           \
            case SHR: a = a >> op->v; break;                          \
            case NEG: a = (0x100000000 - a) & 0xffffffff; break;      \
            case SWAP: { int64_t t = a; a = b; b = t; break; }        \
            case DUP: b = a; break;                                   \
            }                                                         \
        }                                                             \
    }

__attribute__((noinline)) static int64_t run_small(const Op *ops, int64_t n, int64_t rounds) {
    int64_t a = 1, b = 2;
    LOOP
    return a ^ b;
}

__attribute__((noinline)) static int64_t run_large(const Op *ops, int64_t n, int64_t rounds) {
    char *names[16];
    for (int i = 0; i < 16; i++) {
        names[i] = malloc(8);
        snprintf(names[i], 8, "op%d", i);
    }
    int64_t slots[32];
    for (int i = 0; i < 32; i++) slots[i] = -1;
    for (int i = 0; i < 16; i++) {
        unsigned h = 0;
        for (const char *p = names[i]; *p; p++) h = h * 31 + (unsigned char)*p;
        while (slots[h % 32] >= 0) h++;
        slots[h % 32] = i;
    }
    char header[256] = "";
    for (int i = 0; i < 16; i++) {
        if (i) strcat(header, ",");
        strcat(header, names[i]);
    }
    int64_t hist[7] = {0};
    for (int64_t i = 0; i < n; i++) hist[ops[i].kind]++;
    int64_t a = 1, b = 2;
    LOOP
    char report[256] = "";
    for (int k = 0; k < 7; k++) snprintf(report + strlen(report), sizeof report - strlen(report), "%ld ", (long)hist[k]);
    int64_t found = -1;
    for (int i = 0; i < 32; i++)
        if (slots[i] >= 0 && strcmp(names[slots[i]], "op3") == 0) found = slots[i];
    if ((int64_t)strlen(header) + (int64_t)strlen(report) + found < 0) printf("unreachable: %s %s\n", header, report);
    for (int i = 0; i < 16; i++) free(names[i]);
    return a ^ b;
}

int main(int argc, char **argv) {
    int64_t rounds = argc > 2 ? atol(argv[2]) : 200000;
    Op *ops = make_ops(1024);
    if (argc > 1 && strcmp(argv[1], "large") == 0)
        printf("large: %ld\n", (long)run_large(ops, 1024, rounds));
    else
        printf("small: %ld\n", (long)run_small(ops, 1024, rounds));
    free(ops);
    return 0;
}
