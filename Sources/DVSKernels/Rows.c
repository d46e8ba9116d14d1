#include "DVSKernels.h"
#include "VectorExp.h"

DVS_VECTOR_CLONES
void dvs_add_rows(const float *restrict x, float *restrict out, size_t rows, size_t width, size_t stride) {
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * stride;
        for (size_t j = 0; j < width; j++) out[j] += row[j];
    }
}

DVS_VECTOR_CLONES
void dvs_softmax_backward_prefix_rows(const float *restrict p, float *restrict ds, size_t rows, size_t cols, int causal) {
    for (size_t r = 0; r < rows; r++) {
        const float *pr = p + r * cols;
        float *dr = ds + r * cols;
        size_t limit = causal ? (r + 1 < cols ? r + 1 : cols) : cols;
        float partial[16] = {0};
        size_t j = 0;
        for (; j + 16 <= limit; j += 16)
            for (int k = 0; k < 16; k++) partial[k] += pr[j + k] * dr[j + k];
        float s = 0;
        for (int k = 0; k < 16; k++) s += partial[k];
        for (; j < limit; j++) s += pr[j] * dr[j];
        for (j = 0; j < limit; j++) dr[j] = pr[j] * (dr[j] - s);
        for (; j < cols; j++) dr[j] = 0;
    }
}
