/* threads_flag.c — the runtime's "threads started" flag (internal.h), alone in its file (nothing else may be
 * defined here, or linking it would pull this definition in): a --release program that can start no thread defines
 * the flag itself, as a constant 0, and the linker then takes no copy from here. */
#include "internal.h"

int32_t tml_rt_threads_flag;
