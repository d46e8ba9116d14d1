#ifndef DVS_COPENBLAS_H
#define DVS_COPENBLAS_H
// OpenBLAS's single-precision matrix product, loaded on first use. DVS runs
// OpenBLAS on one thread (its worker pool splits products), but Debian's
// pthread build starts a thread per core when it loads, and they spin for
// milliseconds at every start of `dvs`; the serial build is not safe to call
// from several threads at once. So the library is opened with dlopen, with
// OPENBLAS_NUM_THREADS=1 in the environment while it loads (then restored).
#include <stdbool.h>

/// Loads OpenBLAS once (thread-safe): NULL when cblas_sgemm is available,
/// else why not (a string that stays valid).
const char *dvs_openblas_open(void);

/// cblas_sgemm on row-major matrices: C = alpha · op(A) · op(B) + beta · C.
void dvs_sgemm(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
               const float *b, int ldb, float beta, float *c, int ldc);

#endif
