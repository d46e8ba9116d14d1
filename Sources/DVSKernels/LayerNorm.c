#include "DVSKernels.h"
#include "VectorExp.h"

// Row sums with sixteen partial sums, so the loops vectorize without
// reassociating floats (the order depends on c only).
static inline float sum16(const float *p, size_t n) {
    float partial[16] = {0};
    size_t j = 0;
    for (; j + 16 <= n; j += 16)
        for (int k = 0; k < 16; k++) partial[k] += p[j + k];
    float s = 0;
    for (int k = 0; k < 16; k++) s += partial[k];
    for (; j < n; j++) s += p[j];
    return s;
}

DVS_VECTOR_CLONES
void dvs_layer_norm_rows(const float *x, float *y, size_t rows, size_t c, const float *w, const float *b,
                         float eps, float *means, float *rstds) {
    for (size_t r = 0; r < rows; r++) {
        const float *xr = x + r * c;
        float *yr = y + r * c;
        float mean = sum16(xr, c) / (float)c;
        float partial[16] = {0};
        size_t j = 0;
        for (; j + 16 <= c; j += 16)
            for (int k = 0; k < 16; k++) {
                float d = xr[j + k] - mean;
                partial[k] += d * d;
            }
        float var = 0;
        for (int k = 0; k < 16; k++) var += partial[k];
        for (; j < c; j++) {
            float d = xr[j] - mean;
            var += d * d;
        }
        float rstd = 1 / __builtin_sqrtf(var / (float)c + eps);
        means[r] = mean;
        rstds[r] = rstd;
        for (j = 0; j < c; j++) {
            float v = (xr[j] - mean) * rstd;
            if (w) v *= w[j];
            if (b) v += b[j];
            yr[j] = v;
        }
    }
}

DVS_VECTOR_CLONES
void dvs_layer_norm_backward_rows(const float *x, const float *g, float *dx, size_t rows, size_t c, const float *w,
                                  const float *means, const float *rstds, float *dw, float *db) {
    float inv = 1 / (float)c;
    for (size_t r = 0; r < rows; r++) {
        const float *xr = x + r * c, *gr = g + r * c;
        float mean = means[r], rstd = rstds[r];
        if (dx) {
            float sg[16] = {0}, sgx[16] = {0};
            size_t j = 0;
            for (; j + 16 <= c; j += 16)
                for (int k = 0; k < 16; k++) {
                    float gh = w ? gr[j + k] * w[j + k] : gr[j + k];
                    sg[k] += gh;
                    sgx[k] += gh * ((xr[j + k] - mean) * rstd);
                }
            float meanG = 0, meanGX = 0;
            for (int k = 0; k < 16; k++) { meanG += sg[k]; meanGX += sgx[k]; }
            for (; j < c; j++) {
                float gh = w ? gr[j] * w[j] : gr[j];
                meanG += gh;
                meanGX += gh * ((xr[j] - mean) * rstd);
            }
            meanG *= inv;
            meanGX *= inv;
            float *dr = dx + r * c;
            for (j = 0; j < c; j++) {
                float gh = w ? gr[j] * w[j] : gr[j];
                dr[j] = rstd * (gh - meanG - (xr[j] - mean) * rstd * meanGX);
            }
        }
        for (size_t j = 0; j < c; j++) {
            dw[j] += gr[j] * ((xr[j] - mean) * rstd);
            db[j] += gr[j];
        }
    }
}
