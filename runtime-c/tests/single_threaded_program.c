/* What a --release program that can start no thread defines (codegen/single_threaded.ts), written as C for
 * test_single_threaded.c: the runtime's "threads started" flag as a read-only 0, and the marker that makes the
 * runtime refuse to start a thread. In its own file: the runtime's headers declare the flag writable. */
#include <stdint.h>

__attribute__((visibility("hidden"))) const int32_t tml_rt_threads_flag = 0;
__attribute__((visibility("hidden"))) const char tml_rt_program_single_threaded = 1;
