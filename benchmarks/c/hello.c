/* The C twin of examples/hello.tml, for benchmarks/compile_speed.sh. */
#include <stdio.h>

int main(void) {
    puts("Hello, TML!");
    return 0;
}
