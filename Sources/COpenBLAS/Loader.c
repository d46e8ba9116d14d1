// Opens OpenBLAS on first use, on one thread (see include/COpenBLAS.h).
#include "COpenBLAS.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// CBLAS's fixed enum values (cblas.h: CblasRowMajor, CblasNoTrans, CblasTrans).
enum { row_major = 101, no_transpose = 111, transpose = 112 };
typedef void (*sgemm_function)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha,
                               const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

static sgemm_function sgemm;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];

static void open_library(void) {
    const char *name = "OPENBLAS_NUM_THREADS";
    const char *previous = getenv(name);
    char *saved = previous ? strdup(previous) : NULL;
    setenv(name, "1", 1);
    void *library = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!library) library = dlopen("libopenblas.so", RTLD_NOW | RTLD_LOCAL);
    if (saved) {
        setenv(name, saved, 1);
        free(saved);
    } else {
        unsetenv(name);
    }
    if (!library) {
        snprintf(failure, sizeof failure, "cannot load libopenblas.so.0 (%s)", dlerror());
        return;
    }
    *(void **)&sgemm = dlsym(library, "cblas_sgemm");
    if (!sgemm) snprintf(failure, sizeof failure, "libopenblas has no function cblas_sgemm");
}

const char *dvs_openblas_open(void) {
    pthread_once(&once, open_library);
    return failure[0] ? failure : NULL;
}

void dvs_sgemm(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
               const float *b, int ldb, float beta, float *c, int ldc) {
    sgemm(row_major, transpose_a ? transpose : no_transpose, transpose_b ? transpose : no_transpose, m, n, k, alpha,
          a, lda, b, ldb, beta, c, ldc);
}
