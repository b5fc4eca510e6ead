// oneDNN (Debian libdnnl-dev 2.6, OpenMP runtime): only its integer GEMM is used.
#include <oneapi/dnnl/dnnl.h>

// libgomp: oneDNN's threads; Koe's workers each ask for one.
void omp_set_num_threads(int num_threads);
