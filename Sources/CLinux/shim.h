// glibc extras that the Glibc module does not export: the allocator's controls (mallopt,
// malloc_trim) and the calling thread's id (for per-thread scheduling priority).
#include <malloc.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline int koe_current_thread_id(void) { return (int)syscall(SYS_gettid); }
