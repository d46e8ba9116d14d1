#ifndef DVS_COPENBLAS_SHIM_H
#define DVS_COPENBLAS_SHIM_H
// OpenBLAS (pthread build). pkg-config `openblas` points the include path at
// openblas-pthread/, whose cblas.h declares openblas_set_num_threads.
#include <cblas.h>
#endif
